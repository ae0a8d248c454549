"""Forms of the dispatch pages. They only parse input; the services decide."""

from __future__ import annotations

from django import forms

from zhifa.catalog import rules as catalog_rules
from zhifa.catalog.models import EnforcementItem
from zhifa.organizations.models import Organization, Region

from . import rules


class IncidentFilterForm(forms.Form):
    """GET filters of the command-centre queue. Invalid values are ignored."""

    q = forms.CharField(label="查询码 / 内容 / 地址", max_length=50, required=False)
    state = forms.ChoiceField(
        label="状态", required=False, choices=[("", "全部"), ("open", "未办结"), *rules.STATE_LABELS.items()]
    )
    township_id = forms.ModelChoiceField(
        label="乡镇（街道）", queryset=Region.objects.none(), required=False, empty_label="全部乡镇"
    )
    source = forms.ChoiceField(
        label="来源", required=False, choices=[("", "全部"), *rules.SOURCE_LABELS.items()]
    )
    overdue = forms.ChoiceField(
        label="超期", required=False, choices=[("", "全部"), ("1", "已超期"), ("0", "未超期")]
    )

    def __init__(self, data, townships):
        super().__init__(data)
        self.fields["township_id"].queryset = townships

    def selector_filters(self) -> dict:
        self.is_valid()
        data = self.cleaned_data
        township = data.get("township_id")
        return {
            "q": data.get("q") or None,
            "state": data.get("state") or None,
            "township_id": township.pk if township else None,
            "source": data.get("source") or None,
            "overdue": {"1": True, "0": False}.get(data.get("overdue") or ""),
        }


class ItemChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.domain.name} · {obj.name}"


def penalty_items():
    return (
        EnforcementItem.objects.in_force()
        .filter(kind=catalog_rules.PENALTY)
        .select_related("domain")
        .order_by("domain__sort_order", "code")
    )


class ActionForm(forms.Form):
    """One loop action; which fields matter depends on the action (the service checks)."""

    item = ItemChoiceField(
        label="执法事项", queryset=EnforcementItem.objects.none(), required=False, empty_label="（按推荐）"
    )
    organization = forms.ModelChoiceField(
        label="承办单位",
        queryset=Organization.objects.none(),
        required=False,
        empty_label="（按事项自动确定）",
    )
    reason = forms.CharField(label="理由", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    reply = forms.CharField(label="处置结果", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.fields["item"].queryset = penalty_items()


class FindingForm(forms.Form):
    """发现上报: what an officer found, where, with photos (read from ``request.FILES``)."""

    text = forms.CharField(label="发现的问题", max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
    address = forms.CharField(
        label="地点",
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "如：上方镇新街菜场门口"}),
    )
    lat = forms.CharField(required=False, widget=forms.HiddenInput())
    lng = forms.CharField(required=False, widget=forms.HiddenInput())
    priority = forms.ChoiceField(
        label="紧急程度", choices=list(rules.PRIORITY_LABELS.items()), initial=rules.NORMAL
    )
    key = forms.CharField(widget=forms.HiddenInput(), max_length=64)


class CheckForm(forms.Form):
    result = forms.CharField(label="核查结论", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class ReportForm(forms.Form):
    """登记事件 (command centre staff typing a call in)."""

    source = forms.ChoiceField(label="来源", choices=list(rules.SOURCE_LABELS.items()), initial=rules.HOTLINE)
    priority = forms.ChoiceField(
        label="紧急程度", choices=list(rules.PRIORITY_LABELS.items()), initial=rules.NORMAL
    )
    title = forms.CharField(label="标题", max_length=200, required=False)
    text = forms.CharField(label="诉求内容", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    address = forms.CharField(label="地址", max_length=300, required=False)
    lat = forms.DecimalField(label="纬度", required=False, max_digits=9, decimal_places=6)
    lng = forms.DecimalField(label="经度", required=False, max_digits=9, decimal_places=6)
    reporter_name = forms.CharField(label="报告人", max_length=50, required=False)
    reporter_phone = forms.CharField(label="报告人电话", max_length=30, required=False)
