"""Forms of the inspection pages. They parse input; the services decide."""

from __future__ import annotations

from django import forms

from zhifa.core.uploads import UploadField
from zhifa.parties.models import Party

from . import rules
from .models import InspectionPlan, InspectionRecord, JointInspection


class PlanFilterForm(forms.Form):
    q = forms.CharField(label="计划名称", max_length=50, required=False)
    state = forms.ChoiceField(
        label="状态", choices=[("", "全部"), *InspectionPlan.State.choices], required=False
    )

    def selector_filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}


class VisitFilterForm(forms.Form):
    q = forms.CharField(label="检查对象", max_length=50, required=False)
    state = forms.ChoiceField(
        label="状态", choices=[("", "全部"), *JointInspection.State.choices], required=False
    )

    def selector_filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class RecordForm(forms.Form):
    """The phone form of a visit: times, officers, findings, outcome, a photo. The checklist
    toggles are read from ``entry_<id>`` fields by the view."""

    started_at = forms.DateTimeField(
        label="开始时间", widget=DateTimeInput(), input_formats=["%Y-%m-%dT%H:%M"]
    )
    ended_at = forms.DateTimeField(label="结束时间", widget=DateTimeInput(), input_formats=["%Y-%m-%dT%H:%M"])
    officer_ids = forms.MultipleChoiceField(
        label="检查人员（至少两名持证人员）", widget=forms.CheckboxSelectMultiple
    )
    findings = forms.CharField(label="检查情况", widget=forms.Textarea(attrs={"rows": 4}), required=False)
    outcome = forms.ChoiceField(label="处理结果", choices=InspectionRecord.Outcome.choices)
    photo = UploadField(
        label="现场照片",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )

    def __init__(self, *args, officers=(), substitutes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer_ids"].choices = [(str(o.pk), o.name) for o in officers] + [
            (str(o.pk), f"{o.name}（替补，非抽取）") for o in substitutes
        ]


class RectificationForm(forms.Form):
    content = forms.CharField(label="整改内容", widget=forms.Textarea(attrs={"rows": 3}))
    working_days = forms.IntegerField(label="整改期限（工作日）", min_value=1, max_value=90, initial=10)


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label="评价", coerce=int, choices=[(n, "★" * n) for n in range(5, 0, -1)], widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label="意见（可不填）", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


COLOR_LABELS = {"green": "绿色", "blue": "蓝色", "yellow": "黄色", "red": "红色"}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class PlanForm(forms.Form):
    """监管执法计划: the department (and the partners of a joint plan), its claimed inspection items,
    the period, and by risk colour the share drawn and the inspections of each in the period."""

    department = forms.ModelChoiceField(label="执法部门", queryset=None, empty_label="请选择")
    name = forms.CharField(label="计划名称", max_length=200)
    kind = forms.ChoiceField(
        label="计划类型", choices=list(rules.PLAN_KIND_LABELS.items()), initial=rules.ANNUAL
    )
    period_start = forms.DateField(label="计划开始", widget=DateInput)
    period_end = forms.DateField(label="计划结束", widget=DateInput)
    items = forms.ModelMultipleChoiceField(
        label="检查事项（本部门或联合部门认领的行政检查事项）",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
    )
    partners = forms.ModelMultipleChoiceField(
        label="联合检查部门（综合查一次，可不选）",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    industries = forms.MultipleChoiceField(
        label="抽查行业（不选为全部）",
        required=False,
        choices=Party.Industry.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    include_light_touch = forms.BooleanField(label="含无感监管名单中的对象", required=False)

    def __init__(self, *args, departments, items, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments
        self.fields["items"].queryset = items
        self.fields["items"].label_from_instance = lambda i: f"{i.code} {i.name}（{i.domain.name}）"
        self.fields["partners"].queryset = partners
        pools = rules.DEFAULT_POOLS[self.initial.get("kind") or rules.ANNUAL]
        for color, label in COLOR_LABELS.items():
            ratio, times = pools[color]
            self.fields[f"ratio_{color}"] = forms.DecimalField(
                label=f"{label}抽查比例（%）",
                min_value=0,
                max_value=100,
                decimal_places=2,
                initial=ratio * 100,
            )
            self.fields[f"times_{color}"] = forms.IntegerField(
                label=f"{label}检查频次（次/期）", min_value=1, max_value=rules.MAX_FREQUENCY, initial=times
            )

    def plan_data(self) -> dict:
        data = self.cleaned_data
        return {
            "department": data["department"],
            "name": data["name"],
            "kind": data["kind"],
            "period_start": data["period_start"],
            "period_end": data["period_end"],
            "items": list(data["items"]),
            "partners": list(data.get("partners") or []),
            "ratios": {c: float(data[f"ratio_{c}"]) / 100 for c in COLOR_LABELS},
            "frequencies": {c: data[f"times_{c}"] for c in COLOR_LABELS},
            "pool": {
                "industries": list(data.get("industries") or []),
                "include_light_touch": bool(data.get("include_light_touch")),
            },
        }


class RedrawForm(forms.Form):
    reason = forms.CharField(label="重新抽取理由", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class CauseRecordForm(forms.Form):
    """An inspection outside the draw: allowed only with its cause and reference (无事不扰)."""

    party = forms.ModelChoiceField(label="检查对象", queryset=None, empty_label="请选择")
    cause_kind = forms.ChoiceField(
        label="检查事由", choices=[("", "请选择"), *rules.CAUSE_LABELS.items()], required=False
    )
    cause_ref = forms.CharField(
        label="事由编号或来源", max_length=100, required=False, help_text="如事件编号、移送函号、交办单号"
    )
    cause_note = forms.CharField(label="事由说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    items = forms.ModelMultipleChoiceField(
        label="检查事项", queryset=None, widget=forms.CheckboxSelectMultiple
    )
    officer_ids = forms.MultipleChoiceField(
        label="检查人员（至少两名持证人员）", widget=forms.CheckboxSelectMultiple
    )
    started_at = forms.DateTimeField(
        label="开始时间", widget=DateTimeInput(), input_formats=["%Y-%m-%dT%H:%M"]
    )
    ended_at = forms.DateTimeField(label="结束时间", widget=DateTimeInput(), input_formats=["%Y-%m-%dT%H:%M"])
    findings = forms.CharField(label="检查情况", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    outcome = forms.ChoiceField(label="处理结果", choices=InspectionRecord.Outcome.choices)

    def __init__(self, *args, parties, items, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = parties
        self.fields["items"].queryset = items
        self.fields["officer_ids"].choices = [(str(o.pk), o.name) for o in officers]


class VerifyRectificationForm(forms.Form):
    note = forms.CharField(label="复查情况", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    photo = forms.FileField(
        label="复查照片",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )


class ReportForm(forms.Form):
    report = forms.CharField(label="整改情况", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class AssignOfficerForm(forms.Form):
    """调整检查人员: which drawn inspector is replaced, by whom, why."""

    replaces = forms.ModelChoiceField(label="被替换的抽取人员", queryset=None, empty_label="请选择")
    officer = forms.ModelChoiceField(label="替补人员", queryset=None, empty_label="请选择")
    reason = forms.CharField(label="理由", max_length=300)

    def __init__(self, *args, drawn, substitutes, **kwargs):
        super().__init__(*args, **kwargs)
        from zhifa.organizations.models import Officer

        self.fields["replaces"].queryset = (
            Officer.objects.filter(pk__in=[o.pk for o in drawn]) if isinstance(drawn, list) else drawn
        )
        self.fields["officer"].queryset = (
            Officer.objects.filter(pk__in=[o.pk for o in substitutes])
            if isinstance(substitutes, list)
            else substitutes
        )
