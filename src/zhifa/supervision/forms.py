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


#: The rows a new 四维考评 scheme starts from when there is no earlier scheme to copy: the
#: enforcement post ≥ 50%, then the township's daily appraisal, the sending department's and the
#: public's.
FOUR_DIMENSIONS = [
    {
        "name": "执法岗位考评",
        "weight": 55,
        "enforcement_post": True,
        "metrics": ["cases", "inspections", "review_score"],
    },
    {
        "name": "乡镇（街道）日常考评",
        "weight": 20,
        "enforcement_post": False,
        "metrics": ["incidents_on_time"],
    },
    {"name": "派出部门业务考评", "weight": 10, "enforcement_post": False, "metrics": ["review_score"]},
    {"name": "服务对象评价", "weight": 15, "enforcement_post": False, "metrics": ["satisfaction"]},
]
#: Blank rows below the copied ones, for a dimension to add.
BLANK_DIMENSIONS = 2


class SchemeForm(forms.Form):
    """A new 四维考评 scheme (``services.create_scheme``); its dimensions are ``DimensionFormSet``."""

    name = forms.CharField(label="方案名称", max_length=100)
    cases_target = forms.IntegerField(
        label="办理案件数满分标准（件）", min_value=1, max_value=10_000, help_text="考评期内办理多少件得满分"
    )
    inspections_target = forms.IntegerField(
        label="参与检查数满分标准（次）",
        min_value=1,
        max_value=10_000,
        help_text="考评期内参与多少次检查得满分",
    )
    neutral_score = forms.DecimalField(
        label="无数据时基准分",
        min_value=0,
        max_value=100,
        decimal_places=1,
        help_text="某一维度考评期内没有数据时的得分",
    )


class DimensionForm(forms.Form):
    name = forms.CharField(label="维度名称", max_length=50, required=False)
    weight = forms.IntegerField(label="权重（%）", min_value=1, max_value=100, required=False)
    enforcement_post = forms.BooleanField(label="执法岗位维度", required=False)
    metrics = forms.MultipleChoiceField(
        label="数据指标",
        choices=list(rules.METRIC_LABELS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean(self):
        data = super().clean()
        if not self.is_blank():
            if not data.get("name") and "name" not in self.errors:
                self.add_error("name", "请填写维度名称")
            if not data.get("weight") and "weight" not in self.errors:
                self.add_error("weight", "请填写权重")
            if not data.get("metrics") and "metrics" not in self.errors:
                self.add_error("metrics", "请至少选择一项数据指标")
        return data

    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not (
            data.get("name") or data.get("weight") or data.get("metrics") or data.get("enforcement_post")
        )


DimensionFormSet = forms.formset_factory(DimensionForm, extra=BLANK_DIMENSIONS, max_num=12, validate_max=True)


def scheme_data(form: SchemeForm, formset) -> tuple[dict, list[int]]:
    """The service's input from the page, and the formset row of each dimension it lists (blank
    rows are left out), so that an error of ``dimensions.N.weight`` lands on its row."""
    rows = [i for i, row in enumerate(formset.forms) if not row.is_blank()]
    data = form.cleaned_data
    return (
        {
            "name": data["name"],
            "targets": {"cases": data["cases_target"], "inspections": data["inspections_target"]},
            "neutral_score": data["neutral_score"],
            "dimensions": [
                {
                    "name": formset.forms[i].cleaned_data.get("name") or "",
                    "weight": formset.forms[i].cleaned_data.get("weight") or 0,
                    "enforcement_post": bool(formset.forms[i].cleaned_data.get("enforcement_post")),
                    "metrics": list(formset.forms[i].cleaned_data.get("metrics") or []),
                }
                for i in rows
            ],
        },
        rows,
    )
