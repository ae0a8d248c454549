"""Forms of the case pages."""

from __future__ import annotations

from django import forms

from zhifa.catalog.models import EnforcementItem
from zhifa.core import uploads
from zhifa.core.uploads import UploadField
from zhifa.organizations.models import Officer
from zhifa.parties.models import Party

from . import rules
from .models import Case, Evidence


class CaseFilterForm(forms.Form):
    q = forms.CharField(label="案件编号或当事人", required=False, max_length=50)
    state = forms.ChoiceField(
        label="状态",
        required=False,
        choices=[("", "全部")] + [(s.value, label) for s, label in rules.STATE_LABELS.items()],
    )


class OnSpotForm(forms.Form):
    """现场办案：from a finding to a case (summary decision on the spot when the law allows)."""

    party = forms.ModelChoiceField(label="当事人", queryset=Party.objects.none())
    item = forms.ModelChoiceField(label="执法事项", queryset=EnforcementItem.objects.none())
    act_date = forms.DateField(label="违法行为发生日期", widget=forms.DateInput(attrs={"type": "date"}))
    summary = forms.CharField(label="违法事实", widget=forms.Textarea(attrs={"rows": 3}))
    second_officer = forms.ModelChoiceField(label="另一名执法人员", queryset=Officer.objects.none())
    on_spot = forms.BooleanField(label="当场作出处罚决定（简易程序）", required=False)
    penalty = forms.ChoiceField(
        label="处罚种类", choices=[("warning", "警告"), ("fine", "罚款")], initial="fine"
    )
    amount = forms.DecimalField(
        label="罚款金额（元）", required=False, min_value=0, max_digits=12, decimal_places=2
    )
    source = forms.ChoiceField(
        label="案件来源", choices=Case.Source.choices, initial=Case.Source.PATROL, required=False
    )
    source_ref = forms.CharField(
        label="来源编号", required=False, max_length=80, help_text="事件编号、检查记录编号或移送函文号"
    )

    def __init__(self, *args, parties=None, items=None, officers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if parties is not None:
            self.fields["party"].queryset = parties
        if items is not None:
            self.fields["item"].queryset = items
        if officers is not None:
            self.fields["second_officer"].queryset = officers


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(label="证据种类", choices=Evidence.Kind.choices)
    description = forms.CharField(label="证据说明", widget=forms.Textarea(attrs={"rows": 2}))
    file = UploadField(label="文件", required=False, kinds=uploads.EVIDENCE)
