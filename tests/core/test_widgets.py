"""The project's select template writes the same markup as Django's, only faster."""

from django import forms
from django.forms.renderers import DjangoTemplates
from django.test.html import parse_html


class Form(forms.Form):
    plain = forms.ChoiceField(choices=[("", "全部"), ("a", "甲 & 乙"), ("b", "<b>")], required=False)
    grouped = forms.ChoiceField(choices=[("镇", [("1", "上方镇"), ("2", "全旺镇")]), ("3", "樟潭街道")])
    many = forms.MultipleChoiceField(choices=[("x", "X"), ("y", "Y")], required=False)


def test_select_markup_is_djangos():
    data = {"plain": "a", "grouped": "2", "many": ["x", "y"]}
    ours, stock = Form(data), Form(data, renderer=DjangoTemplates())  # the project's renderer, Django's own
    for name in ("plain", "grouped", "many"):
        assert parse_html(str(ours[name])) == parse_html(str(stock[name])), name
    assert "<optgroup" in str(ours["grouped"])
    assert "selected>甲 &amp; 乙</option>" in str(ours["plain"]) and "&lt;b&gt;" in str(ours["plain"])
