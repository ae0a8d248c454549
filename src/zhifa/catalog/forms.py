"""Forms of the catalog pages. They only parse input; the services decide."""

from __future__ import annotations

from django import forms

from zhifa.organizations.models import Region

from . import rules
from .models import Domain
from .selectors import LIST_LABELS

YES_NO = [("", "全部"), ("1", "是"), ("0", "否")]


def _with_all(labels: dict[str, str]) -> list[tuple[str, str]]:
    return [("", "全部"), *labels.items()]


class ItemFilterForm(forms.Form):
    """The GET filters of the item list. Invalid values are ignored, never an error page."""

    q = forms.CharField(label="关键词", max_length=100, required=False)
    list = forms.ChoiceField(label="清单", choices=list(LIST_LABELS.items()), required=False)
    region = forms.ModelChoiceField(
        label="乡镇（街道）", queryset=Region.objects.none(), required=False, empty_label="请选择乡镇（街道）"
    )
    domain = forms.ModelChoiceField(
        label="执法领域",
        queryset=Domain.objects.all(),
        required=False,
        to_field_name="code",
        empty_label="全部领域",
    )
    kind = forms.ChoiceField(label="事项类别", choices=_with_all(rules.KIND_LABELS), required=False)
    enforcing_body = forms.ChoiceField(
        label="实施主体", choices=_with_all(rules.ENFORCING_BODY_LABELS), required=False
    )
    high_three = forms.ChoiceField(label="三高事项", choices=YES_NO, required=False)
    key_supervision = forms.ChoiceField(label="重点监管", choices=YES_NO, required=False)
    township_library = forms.ChoiceField(
        label="乡镇事项库", choices=_with_all(rules.TOWNSHIP_LIBRARY_LABELS), required=False
    )
    status = forms.ChoiceField(
        label="状态", choices=[("", "有效"), (rules.REPEALED, "已废止"), ("all", "全部")], required=False
    )

    def __init__(self, data, townships):
        super().__init__(data)
        self.fields["region"].queryset = townships

    def selector_filters(self) -> dict:
        """Keyword arguments for ``selectors.items`` from the fields that parsed."""
        self.is_valid()
        data = self.cleaned_data
        flag = {"1": True, "0": False}
        domain = data.get("domain")
        return {
            "q": data.get("q") or None,
            "list_name": data.get("list") or "master",
            "region": data.get("region"),
            "domain": domain.code if domain else None,
            "kind": data.get("kind") or None,
            "enforcing_body": data.get("enforcing_body") or None,
            "high_three": flag.get(data.get("high_three") or ""),
            "key_supervision": flag.get(data.get("key_supervision") or ""),
            "township_library": data.get("township_library") or None,
            "status": data.get("status") or None,
        }


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class ItemForm(forms.Form):
    """One item as a row. The form only gathers the row; ``validation.clean_row`` (the one row
    validator, also used by the Excel import and the API) decides and names every error by field."""

    code = forms.CharField(label="事项编码", max_length=40, help_text="省权力事项库编码")
    name = forms.CharField(label="事项名称", max_length=300)
    kind = forms.ChoiceField(label="事项类别", choices=list(rules.KIND_LABELS.items()))
    domain = forms.ChoiceField(label="执法领域")
    legal_bases = forms.CharField(
        label="实施依据",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="每行一条，如：《中华人民共和国城乡规划法》第六十四条：条文摘录（摘录可不填）",
    )
    penalty_types = forms.MultipleChoiceField(
        label="处罚种类",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(k, v) for k, v in rules.PENALTY_TYPE_LABELS.items()],
    )
    fine_min = forms.CharField(label="罚款下限（元）", required=False, max_length=20)
    fine_max = forms.CharField(label="罚款上限（元）", required=False, max_length=20)
    fine_note = forms.CharField(label="罚款幅度说明", required=False, max_length=300)
    regulator = forms.ChoiceField(label="监管主体", required=False)
    enforcing_body = forms.ChoiceField(
        label="实施主体类别", choices=list(rules.ENFORCING_BODY_LABELS.items())
    )
    township_library = forms.ChoiceField(
        label="乡镇事项库", choices=list(rules.TOWNSHIP_LIBRARY_LABELS.items()), initial=rules.NONE
    )
    high_frequency = forms.BooleanField(label="高频", required=False)
    high_demand = forms.BooleanField(label="高需", required=False)
    high_comprehensiveness = forms.BooleanField(label="高综合", required=False)
    key_supervision = forms.BooleanField(label="列入重点监管清单", required=False)
    keywords = forms.CharField(label="检索关键词", required=False, max_length=2000)
    checklist = forms.CharField(
        label="检查要点（行政检查事项）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="每行一条",
    )

    def __init__(self, *args, domains, regulators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["domain"].choices = [("", "请选择")] + [(d.name, d.name) for d in domains]
        self.fields["regulator"].choices = [("", "—")] + [(o.name, o.name) for o in regulators]

    @staticmethod
    def initial_from(content: dict) -> dict:
        """The form's initial values from an item's content (``services.item_content``)."""
        bases = "\n".join(
            f"《{b['law']}》{b['article']}{b['clause']}" + (f"：{b['text']}" if b.get("text") else "")
            for b in content.get("legal_bases") or []
        )
        checklist = "\n".join(
            c["text"] if isinstance(c, dict) else str(c) for c in content.get("checklist") or []
        )
        return {
            **content,
            "legal_bases": bases,
            "checklist": checklist,
            "regulator": content.get("regulator") or "",
            "fine_min": content.get("fine_min") or "",
            "fine_max": content.get("fine_max") or "",
        }

    def row(self) -> dict:
        """The row to validate (call after ``is_valid``)."""
        data = self.cleaned_data
        bases = []
        for line in (data.get("legal_bases") or "").splitlines():
            line = line.strip()
            if not line:
                continue
            basis, _, excerpt = line.partition("：")
            bases.append({"basis": basis.strip(), "text": excerpt.strip()})
        return {
            "code": data["code"].strip(),
            "name": data["name"].strip(),
            "kind": data["kind"],
            "domain": data["domain"],
            "legal_bases": [_basis(b) for b in bases],
            "penalty_types": data.get("penalty_types") or [],
            "fine_min": data.get("fine_min") or None,
            "fine_max": data.get("fine_max") or None,
            "fine_note": data.get("fine_note") or "",
            "regulator": data.get("regulator") or None,
            "enforcing_body": data["enforcing_body"],
            "township_library": data["township_library"],
            **{
                flag: bool(data.get(flag))
                for flag in ("high_frequency", "high_demand", "high_comprehensiveness", "key_supervision")
            },
            "keywords": data.get("keywords") or "",
            "checklist": [
                line.strip() for line in (data.get("checklist") or "").splitlines() if line.strip()
            ],
        }

    def add_row_errors(self, errors: list[dict]) -> None:
        for error in errors:
            field = error["column"] if error["column"] in self.fields else None
            self.add_error(field, error["message"])


def _basis(entry: dict) -> dict | str:
    from .validation import parse_basis

    parsed = parse_basis(entry["basis"])
    if parsed is None:
        return entry["basis"]  # the validator names the malformed basis
    return {**parsed, "text": entry["text"]}


class RevisionForm(forms.Form):
    """What a revision is: why, under which law, from when."""

    title = forms.CharField(label="调整标题", max_length=200)
    reason = forms.ChoiceField(label="调整原因", choices=list(rules.REVISION_REASON_LABELS.items()))
    law = forms.CharField(
        label="相关法律法规",
        max_length=200,
        required=False,
        help_text="因法律法规制定、修改、废止而调整的，须写明",
    )
    document_number = forms.CharField(label="文号", max_length=100, required=False)
    effective_on = forms.DateField(label="生效日期", widget=DateInput)
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def revision_data(self) -> dict:
        return {
            k: self.cleaned_data.get(k)
            for k in ("title", "reason", "law", "document_number", "effective_on", "note")
        }


class ImportUploadForm(forms.Form):
    file = forms.FileField(label="Excel 文件（.xlsx，执法事项模板格式）")


class ImportCommitForm(RevisionForm):
    mode = forms.ChoiceField(
        label="导入方式",
        initial="revision",
        widget=forms.RadioSelect,
        choices=[
            ("revision", "提交执法指导办审核，审核通过后按生效日期发布"),
            ("direct", "直接导入并公示（执法指导办）"),
        ],
    )


class ReviewForm(forms.Form):
    effective_on = forms.DateField(
        label="生效日期",
        widget=DateInput,
        required=False,
        help_text="不改则按提出时的生效日期；到期即生效并公示",
    )


class RejectForm(forms.Form):
    reason = forms.CharField(label="退回理由", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class RetireForm(RevisionForm):
    pass
