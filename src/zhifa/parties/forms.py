"""Forms of the party pages. They only parse input; selectors and services decide."""

from __future__ import annotations

from django import forms

from zhifa.organizations.models import Region

from .models import Party
from .services import EDITABLE_FIELDS


class PartyFilterForm(forms.Form):
    """The GET filters of the party list. Invalid values are ignored, never an error page."""

    q = forms.CharField(label="名称 / 统一社会信用代码", max_length=50, required=False)
    kind = forms.ChoiceField(label="类型", choices=[("", "全部"), *Party.Kind.choices], required=False)
    township = forms.ModelChoiceField(
        label="乡镇（街道）", queryset=Region.objects.none(), required=False, empty_label="全部乡镇（街道）"
    )
    risk_color = forms.ChoiceField(
        label="风险等级", choices=[("", "全部"), *Party.RiskColor.choices], required=False
    )
    industry = forms.ChoiceField(
        label="行业", choices=[("", "全部"), *Party.Industry.choices], required=False
    )

    def __init__(self, data, townships):
        super().__init__(data)
        self.fields["township"].queryset = townships

    def selector_filters(self) -> dict:
        """Keyword arguments for ``selectors.parties`` from the fields that parsed."""
        self.is_valid()
        data = self.cleaned_data
        township = data.get("township")
        return {
            "q": data.get("q") or None,
            "kind": data.get("kind") or None,
            "township_id": township.pk if township else None,
            "risk_color": data.get("risk_color") or None,
            "industry": data.get("industry") or None,
        }


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class RiskConfigForm(forms.ModelForm):
    """企业四色管理的评定规则: the weight of each fact, the thresholds of the colours, the key
    industries and the 无感监管 rule; from a date (today: at once; later: the nightly task)."""

    key_industries = forms.MultipleChoiceField(
        label="重点监管行业",
        choices=Party.Industry.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    effective_from = forms.DateField(
        label="施行日期", widget=DateInput, help_text="今天施行的立即重新评定；以后的日期由每晚的任务启用"
    )

    class Meta:
        from .models import RiskConfig

        model = RiskConfig
        fields = [
            "window_months",
            "weight_violation",
            "weight_complaint",
            "weight_failed_inspection",
            "weight_key_industry",
            "blue_threshold",
            "yellow_threshold",
            "red_threshold",
            "key_industries",
            "light_touch",
            "effective_from",
            "note",
        ]

    def config_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class CreditFactsForm(forms.Form):
    """The counts behind a party's colour, recorded by hand where no app provides them yet."""

    violation_count_12m = forms.IntegerField(label="近期行政处罚次数", min_value=0, max_value=999)
    complaint_count_12m = forms.IntegerField(label="近期投诉举报次数", min_value=0, max_value=999)
    failed_inspection_count_12m = forms.IntegerField(label="近期检查发现问题次数", min_value=0, max_value=999)
    serious_violation = forms.BooleanField(label="列入严重违法失信名单", required=False)


class PartyEditForm(forms.Form):
    """Correcting a party (``services.update_party``). The ID number is never shown again: left
    empty it stays as registered. ``updated_at`` is the version the form was opened on."""

    kind = forms.ChoiceField(label="类型", choices=Party.Kind.choices)
    name = forms.CharField(label="名称/姓名", max_length=100)
    uscc = forms.CharField(
        label="统一社会信用代码", max_length=18, required=False, help_text="企业、个体工商户必填，18位"
    )
    id_number = forms.CharField(
        label="公民身份号码", max_length=18, required=False, help_text="留空则保持已登记的号码不变"
    )
    representative = forms.CharField(label="法定代表人/经营者", max_length=50, required=False)
    phone = forms.CharField(label="联系电话", max_length=20, required=False)
    address = forms.CharField(label="住所/经营场所", max_length=200, required=False)
    township = forms.ModelChoiceField(
        label="所属乡镇（街道）", queryset=Region.objects.none(), empty_label=None
    )
    industry = forms.ChoiceField(label="行业", choices=Party.Industry.choices)
    updated_at = forms.DateTimeField(widget=forms.HiddenInput)

    FIELDS = EDITABLE_FIELDS  # what update_party accepts

    def __init__(self, data=None, *, party: Party, townships, masked_id_number: str = ""):
        initial = {name: getattr(party, name) for name in self.FIELDS if name != "id_number"}
        super().__init__(data, initial={**initial, "updated_at": party.updated_at.isoformat()})
        self.fields["township"].queryset = townships
        if masked_id_number:
            self.fields["id_number"].help_text = f"已登记 {masked_id_number}；留空则不变"

    def party_data(self) -> dict:
        """The fields for the service; an empty ID number keeps the registered one."""
        data = {name: self.cleaned_data[name] for name in self.FIELDS}
        if not data["id_number"]:
            del data["id_number"]
        return data
