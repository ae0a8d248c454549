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
    domain = forms.ModelChoiceField(label="执法领域", queryset=Domain.objects.all(), required=False, to_field_name="code",
                                    empty_label="全部领域")

    def selector_filters(self) -> dict:
        self.is_valid()
        data = self.cleaned_data
        domain = data.get("domain")
        return {"q": data.get("q") or None, "status": data.get("status") or None, "domain": domain.code if domain else None}


class EntryFilterForm(forms.Form):
    q = forms.CharField(label="事项或情形", max_length=100, required=False)
    kind = forms.ChoiceField(label="清单", choices=[("", "全部清单"), *rules.ENTRY_LABELS.items()], required=False)

    def selector_filters(self) -> dict:
        self.is_valid()
        return {"q": self.cleaned_data.get("q") or None, "kind": self.cleaned_data.get("kind") or None}


class RecommendForm(forms.Form):
    """Pick an item, tick the facts: the recommendation follows."""

    item = forms.ModelChoiceField(label="执法事项", queryset=None, empty_label="请选择有裁量基准的事项")
    on_date = forms.DateField(label="立案日期", widget=DateInput, required=False, help_text="适用立案时施行的基准版本；不填为今天")
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
    mental_incapacity = forms.BooleanField(label="不能辨认或者不能控制自己行为（精神病人、智力残疾人）", required=False)
    age = forms.IntegerField(label="当事人年龄（自然人）", min_value=0, max_value=150, required=False)
    art32_circumstances = forms.MultipleChoiceField(label="从轻、减轻情形（行政处罚法第三十二条）", required=False,
                                                    choices=list(rules.ART32_CIRCUMSTANCES.items()),
                                                    widget=forms.CheckboxSelectMultiple)
    decided_amount = forms.DecimalField(label="拟决定罚款（元）", min_value=0, required=False)
    deviation_reason = forms.CharField(label="偏离推荐幅度的理由", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items

    def facts(self) -> dict:
        data = self.cleaned_data
        return {key: data.get(key) for key in ("first_offence", "corrected_in_time", "harm", "amount_involved", "illegal_gains",
                                              "value_involved", "project_cost", "repeat", "refused_correction",
                                              "no_subjective_fault", "mental_incapacity", "age", "art32_circumstances")}


class ImportForm(forms.Form):
    file = UploadField(label="Excel 文件（.xlsx）", kinds=("xlsx",))
    dry_run = forms.BooleanField(label="仅检查，不导入", required=False)
