"""Forms of the inspection pages. They parse input; the services decide."""

from __future__ import annotations

from django import forms

from zhifa.core.uploads import UploadField

from .models import InspectionPlan, InspectionRecord, JointInspection


class PlanFilterForm(forms.Form):
    q = forms.CharField(label="计划名称", max_length=50, required=False)
    state = forms.ChoiceField(label="状态", choices=[("", "全部"), *InspectionPlan.State.choices], required=False)

    def selector_filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}


class VisitFilterForm(forms.Form):
    q = forms.CharField(label="检查对象", max_length=50, required=False)
    state = forms.ChoiceField(label="状态", choices=[("", "全部"), *JointInspection.State.choices], required=False)

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

    started_at = forms.DateTimeField(label="开始时间", widget=DateTimeInput(), input_formats=["%Y-%m-%dT%H:%M"])
    ended_at = forms.DateTimeField(label="结束时间", widget=DateTimeInput(), input_formats=["%Y-%m-%dT%H:%M"])
    officer_ids = forms.MultipleChoiceField(label="检查人员（至少两名持证人员）", widget=forms.CheckboxSelectMultiple)
    findings = forms.CharField(label="检查情况", widget=forms.Textarea(attrs={"rows": 4}), required=False)
    outcome = forms.ChoiceField(label="处理结果", choices=InspectionRecord.Outcome.choices)
    photo = UploadField(label="现场照片", required=False, widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}))

    def __init__(self, *args, officers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer_ids"].choices = [(str(o.pk), o.name) for o in officers]


class RectificationForm(forms.Form):
    content = forms.CharField(label="整改内容", widget=forms.Textarea(attrs={"rows": 3}))
    working_days = forms.IntegerField(label="整改期限（工作日）", min_value=1, max_value=90, initial=10)


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(label="评价", coerce=int, choices=[(n, "★" * n) for n in range(5, 0, -1)],
                                    widget=forms.RadioSelect)
    comment = forms.CharField(label="意见（可不填）", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3}))
