"""Forms of the portal pages. They parse input; the services decide."""

from __future__ import annotations

from django import forms


class DateInput(forms.DateInput):
    input_type = "date"


class DecisionSearchForm(forms.Form):
    q = forms.CharField(label="当事人或文号", max_length=50, required=False)
    item = forms.CharField(label="执法事项", max_length=50, required=False)
    date_from = forms.DateField(label="决定日期自", required=False, widget=DateInput())
    date_to = forms.DateField(label="决定日期至", required=False, widget=DateInput())

    def selector_filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "q": data.get("q") or "",
            "item": data.get("item") or "",
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
        }


class ReportForm(forms.Form):
    """问题上报 on the portal. The contact phone is only for the handling body, never shown publicly."""

    text = forms.CharField(
        label="问题描述",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "请描述看到的问题，如：某路口有人占道经营"}),
    )
    address = forms.CharField(
        label="发生地址",
        max_length=300,
        required=False,
        widget=forms.TextInput(
            attrs={"placeholder": "如：衢江区樟潭街道某某路 12 号附近", "autocomplete": "street-address"}
        ),
    )
    lat = forms.CharField(required=False, widget=forms.HiddenInput())
    lng = forms.CharField(required=False, widget=forms.HiddenInput())
    photo = forms.FileField(
        label="现场照片（可不传）",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )
    phone = forms.CharField(
        label="联系电话（可不填，不公开）",
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )


class TrackForm(forms.Form):
    code = forms.CharField(
        label="查询码",
        max_length=16,
        widget=forms.TextInput(attrs={"placeholder": "如 QJ7K2M9QXA", "autocapitalize": "characters"}),
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="撤回理由（将公开）", max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class RatingForm(forms.Form):
    """The reporter's rating of a closed incident (满意度 1–5)."""

    satisfaction = forms.TypedChoiceField(
        label="满意度",
        coerce=int,
        choices=[(str(n), f"{n} 分") for n in range(5, 0, -1)],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label="意见（可不填）", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label="问题为什么没有解决", max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
