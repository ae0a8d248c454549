"""Forms of the supervision pages. They only parse input; the services decide."""

from django import forms

from zhifa.organizations.models import Organization

from . import rules
from .rules_registry import RULES


class AlertFilterForm(forms.Form):
    """GET filters of the alert list. Invalid values are ignored."""

    q = forms.CharField(label="预警内容", max_length=50, required=False)
    rule_code = forms.ChoiceField(label="预警规则", required=False)
    state = forms.ChoiceField(
        label="状态", required=False, choices=[("", "未关闭"), ("all", "全部"), *rules.STATE_LABELS.items()]
    )
    severity = forms.ChoiceField(
        label="等级", required=False, choices=[("", "全部"), *rules.SEVERITY_LABELS.items()]
    )
    organization_id = forms.ModelChoiceField(
        label="责任单位", queryset=Organization.objects.none(), required=False, empty_label="全部单位"
    )

    def __init__(self, data, organizations):
        super().__init__(data)
        self.fields["rule_code"].choices = [("", "全部规则"), *((r.code, r.name) for r in RULES.values())]
        self.fields["organization_id"].queryset = organizations

    def selector_filters(self) -> dict:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        org = data.get("organization_id")
        state = data.get("state") or ""
        return {
            "rule_code": data.get("rule_code") or "",
            "state": "" if state == "all" else state,
            "open_only": state == "",
            "severity": data.get("severity") or "",
            "organization_id": org.pk if org else None,
        }


class NoticeForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=[("recommendation", "执法建议"), ("circular", "执法通报")])
    to_org = forms.ModelChoiceField(
        label="接收单位", queryset=Organization.objects.filter(is_active=True).order_by("path")
    )
    title = forms.CharField(label="标题", max_length=200)
    body = forms.CharField(label="正文", widget=forms.Textarea(attrs={"rows": 6}))
    alert = forms.IntegerField(label="相关预警编号", required=False, widget=forms.HiddenInput)
    reply_working_days = forms.IntegerField(
        label="回复期限（工作日）", min_value=1, max_value=60, initial=rules.NOTICE_REPLY_WORKING_DAYS
    )


class DrawForm(forms.Form):
    sheet = forms.ModelChoiceField(label="评查表", queryset=None)
    period_start = forms.DateField(label="结案日期起", widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(label="结案日期止", widget=forms.DateInput(attrs={"type": "date"}))
    share = forms.DecimalField(label="抽取比例", min_value=0.01, max_value=1, initial=0.1, decimal_places=3)
    per_body = forms.IntegerField(label="每单位至少", min_value=0, initial=1)
    seed = forms.CharField(label="随机种子（留空自动生成）", max_length=64, required=False)

    def __init__(self, *args, sheets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sheet"].queryset = sheets


class ComputeForm(forms.Form):
    scheme = forms.ModelChoiceField(label="考评方案", queryset=None)
    period_start = forms.DateField(label="考评期起", widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(label="考评期止", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, schemes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scheme"].queryset = schemes
