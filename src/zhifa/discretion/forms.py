"""Forms of the discretion pages. They only parse input; the services and rules decide."""

from __future__ import annotations

from django import forms

from zhifa.catalog.models import Domain
from zhifa.core.uploads import UploadField

from . import rules
from .models import STATUS_LABELS


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class BaselineFilterForm(forms.Form):
    q = forms.CharField(label="事项名称或编码", max_length=100, required=False)
    status = forms.ChoiceField(label="状态", choices=[("", "全部"), *STATUS_LABELS.items()], required=False)
    domain = forms.ModelChoiceField(
        label="执法领域",
        queryset=Domain.objects.all(),
        required=False,
        to_field_name="code",
        empty_label="全部领域",
    )

    def selector_filters(self) -> dict:
        self.is_valid()
        data = self.cleaned_data
        domain = data.get("domain")
        return {
            "q": data.get("q") or None,
            "status": data.get("status") or None,
            "domain": domain.code if domain else None,
        }


class EntryFilterForm(forms.Form):
    q = forms.CharField(label="事项或情形", max_length=100, required=False)
    kind = forms.ChoiceField(
        label="清单", choices=[("", "全部清单"), *rules.ENTRY_LABELS.items()], required=False
    )

    def selector_filters(self) -> dict:
        self.is_valid()
        return {"q": self.cleaned_data.get("q") or None, "kind": self.cleaned_data.get("kind") or None}


class RecommendForm(forms.Form):
    """Pick an item, tick the facts: the recommendation follows."""

    item = forms.ModelChoiceField(label="执法事项", queryset=None, empty_label="请选择有裁量基准的事项")
    on_date = forms.DateField(
        label="立案日期", widget=DateInput, required=False, help_text="适用立案时施行的基准版本；不填为今天"
    )
    first_offence = forms.BooleanField(label="首次违法", required=False)
    corrected_in_time = forms.BooleanField(label="及时改正", required=False)
    harm = forms.ChoiceField(label="危害后果", choices=list(rules.HARM_LABELS.items()), initial="none")
    amount_involved = forms.DecimalField(label="涉案金额（元）", min_value=0, required=False, initial=0)
    illegal_gains = forms.DecimalField(label="违法所得（元）", min_value=0, required=False)
    value_involved = forms.DecimalField(label="货值金额/涉案价值（元）", min_value=0, required=False)
    project_cost = forms.DecimalField(label="工程造价（元）", min_value=0, required=False)
    repeat = forms.BooleanField(label="再次违法", required=False)
    refused_correction = forms.BooleanField(label="拒不改正", required=False)
    no_subjective_fault = forms.BooleanField(label="有证据证明没有主观过错", required=False)
    mental_incapacity = forms.BooleanField(
        label="不能辨认或者不能控制自己行为（精神病人、智力残疾人）", required=False
    )
    age = forms.IntegerField(label="当事人年龄（自然人）", min_value=0, max_value=150, required=False)
    art32_circumstances = forms.MultipleChoiceField(
        label="从轻、减轻情形（行政处罚法第三十二条）",
        required=False,
        choices=list(rules.ART32_CIRCUMSTANCES.items()),
        widget=forms.CheckboxSelectMultiple,
    )
    decided_amount = forms.DecimalField(label="拟决定罚款（元）", min_value=0, required=False)
    deviation_reason = forms.CharField(
        label="偏离推荐幅度的理由", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items

    def facts(self) -> dict:
        data = self.cleaned_data
        return {
            key: data.get(key)
            for key in (
                "first_offence",
                "corrected_in_time",
                "harm",
                "amount_involved",
                "illegal_gains",
                "value_involved",
                "project_cost",
                "repeat",
                "refused_correction",
                "no_subjective_fault",
                "mental_incapacity",
                "age",
                "art32_circumstances",
            )
        }


class ImportForm(forms.Form):
    file = UploadField(label="Excel 文件（.xlsx）", kinds=("xlsx",))
    dry_run = forms.BooleanField(label="仅检查，不导入", required=False)


HARM_MAX = [("", "不限"), ("none", "未造成危害后果"), ("minor", "危害后果轻微")]
HARM_MIN = [("", "不限"), ("minor", "危害后果至少轻微"), ("serious", "危害后果较重")]


class LevelForm(forms.Form):
    """One circumstance level (情节) of a baseline; the conditions are gathered into the rule's dict."""

    name = forms.ChoiceField(
        label="情节", choices=[("", "（不用）"), *rules.LEVEL_LABELS.items()], required=False
    )
    description = forms.CharField(label="情节描述", max_length=500, required=False)
    amount_min = forms.DecimalField(label="涉案金额自（元）", min_value=0, required=False)
    amount_max = forms.DecimalField(label="涉案金额至（元，不含）", min_value=0, required=False)
    first_offence = forms.BooleanField(label="首次违法", required=False)
    corrected_in_time = forms.BooleanField(label="及时改正", required=False)
    harm_max = forms.ChoiceField(label="危害后果不超过", choices=HARM_MAX, required=False)
    repeat = forms.BooleanField(label="再次违法", required=False)
    refused_correction = forms.BooleanField(label="拒不改正", required=False)
    harm_min = forms.ChoiceField(label="危害后果至少", choices=HARM_MIN, required=False)
    range_kind = forms.ChoiceField(
        label="罚款计算方式", choices=list(rules.RANGE_KIND_LABELS.items()), initial=rules.FIXED
    )
    range_low = forms.DecimalField(label="幅度下限", min_value=0, required=False, initial=0)
    range_high = forms.DecimalField(label="幅度上限", min_value=0, required=False, initial=0)
    mitigated = forms.BooleanField(label="减轻处罚（低于法定下限）", required=False)

    @staticmethod
    def initial_from(level) -> dict:
        c = level.conditions or {}
        amount = c.get("amount") or {}
        return {
            "name": level.name,
            "description": level.description,
            "amount_min": amount.get("min"),
            "amount_max": amount.get("max"),
            "first_offence": bool(c.get("first_offence")),
            "corrected_in_time": bool(c.get("corrected_in_time")),
            "harm_max": c.get("harm_max", ""),
            "repeat": bool(c.get("repeat")),
            "refused_correction": bool(c.get("refused_correction")),
            "harm_min": c.get("harm_min", ""),
            "range_kind": level.range_kind,
            "range_low": level.range_low,
            "range_high": level.range_high,
            "mitigated": level.mitigated,
        }

    def level(self) -> dict | None:
        data = self.cleaned_data
        if not data.get("name"):
            return None
        conditions: dict = {}
        if data.get("amount_min") is not None or data.get("amount_max") is not None:
            conditions["amount"] = {
                "min": str(data["amount_min"]) if data.get("amount_min") is not None else None,
                "max": str(data["amount_max"]) if data.get("amount_max") is not None else None,
            }
        for flag in ("first_offence", "corrected_in_time", "repeat", "refused_correction"):
            if data.get(flag):
                conditions[flag] = True
        for key in ("harm_max", "harm_min"):
            if data.get(key):
                conditions[key] = data[key]
        return {
            "name": data["name"],
            "description": data.get("description") or "",
            "conditions": conditions,
            "range_kind": data["range_kind"],
            "range_low": data.get("range_low") or 0,
            "range_high": data.get("range_high") or 0,
            "mitigated": bool(data.get("mitigated")),
        }


class BaselineForm(forms.Form):
    """A new version of an item's baseline: a draft until the 执法指导办 approves and publishes it."""

    item = forms.ModelChoiceField(label="执法事项", queryset=None, empty_label="请选择本部门的行政处罚事项")
    effective_from = forms.DateField(label="施行日期", widget=DateInput)
    document_number = forms.CharField(label="发布文号", max_length=100, required=False)
    statutory_kind = forms.ChoiceField(
        label="法定幅度计算方式（事项无固定罚款幅度时填写）",
        required=False,
        choices=[("", "按事项清单的罚款幅度"), *list(rules.RANGE_KIND_LABELS.items())[1:]],
    )
    statutory_low = forms.DecimalField(label="法定下限", min_value=0, required=False)
    statutory_high = forms.DecimalField(label="法定上限", min_value=0, required=False)
    statutory_note = forms.CharField(label="法定幅度依据", max_length=300, required=False)

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items

    def baseline_data(self, levels: list[dict]) -> dict:
        data = {
            k: self.cleaned_data.get(k)
            for k in (
                "effective_from",
                "document_number",
                "statutory_kind",
                "statutory_low",
                "statutory_high",
                "statutory_note",
            )
        }
        return {**{k: v for k, v in data.items() if v not in (None, "")}, "levels": levels}


class EntryForm(forms.Form):
    """An entry of a flexible list: the situation, its conditions, the law it rests on."""

    kind = forms.ChoiceField(label="清单", choices=list(rules.LIST_KIND_LABELS.items()))
    item = forms.ModelChoiceField(label="执法事项", queryset=None, empty_label="请选择")
    title = forms.CharField(label="情形", max_length=300)
    conditions_text = forms.CharField(label="适用条件", widget=forms.Textarea(attrs={"rows": 2}))
    legal_basis = forms.CharField(
        label="法律依据", max_length=300, help_text="如：行政处罚法第三十三条第一款"
    )
    first_offence_waiver = forms.BooleanField(label="首违不罚", required=False)
    first_offence = forms.BooleanField(label="条件：首次违法", required=False)
    corrected_in_time = forms.BooleanField(label="条件：及时改正", required=False)
    harm_max = forms.ChoiceField(label="条件：危害后果不超过", choices=HARM_MAX, required=False)
    amount_max = forms.DecimalField(label="条件：涉案金额低于（元）", min_value=0, required=False)
    effective_from = forms.DateField(label="施行日期", widget=DateInput)

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items

    def entry_data(self) -> dict:
        data = self.cleaned_data
        conditions: dict = {}
        for flag in ("first_offence", "corrected_in_time"):
            if data.get(flag):
                conditions[flag] = True
        if data.get("harm_max"):
            conditions["harm_max"] = data["harm_max"]
        if data.get("amount_max") is not None:
            conditions["amount_max"] = str(data["amount_max"])
        return {
            "kind": data["kind"],
            "title": data["title"],
            "conditions_text": data["conditions_text"],
            "legal_basis": data["legal_basis"],
            "first_offence_waiver": bool(data.get("first_offence_waiver")),
            "conditions": conditions,
            "effective_from": data["effective_from"],
        }
