"""Web forms built from the typed commands (``commands.py``), so the page, the API and the demo
accept exactly the same fields; the form only renders and coerces, the service validates once.
A list of items is typed one item a line: 名称 数量 单位 [备注]."""

from __future__ import annotations

import datetime as dt
import re
import typing
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from zhifa.core.errors import validation_error_items

LABELS = {
    "items": "物品清单（每行一项：名称 数量 单位 备注）",
    "place": "地点",
    "reason": "理由",
    "preserved_on": "登记保存日期",
    "officer_ids": "实施的执法人员（两名以上）",
    "party_present": "当事人到场",
    "witness": "见证人（当事人不到场时）",
    "site_note": "现场情况",
    "decided_on": "处理决定日期",
    "decision": "处理决定",
    "note": "说明",
    "kind": "措施",
    "legal_basis": "依据（法律、法规条款）",
    "period_days": "期限（日，不超过30日）",
    "executed_on": "实施日期",
    "statement": "当事人陈述、申辩",
    "record": "现场笔录（摘要）",
    "taken_at": "当场实施时间",
    "emergency_reason": "紧急情况",
    "days": "延长天数（不超过30日）",
    "requested_on": "提请日期",
    "served_on": "延期通知送达日期",
    "ended_on": "终结日期",
    "end_kind": "终结方式",
    "ground": "解除理由（行政强制法第二十八条）",
    "transfer_to": "移送机关",
    "discovered_on": "发现涉嫌犯罪日期",
    "team_appointed_on": "指定专案组日期",
    "team_ids": "专案组成员（两名以上）",
    "suspected_crime": "涉嫌犯罪的事实和罪名",
    "reported_on": "报告日期",
    "report": "核实情况的书面报告",
    "transferred_at": "移送时间",
    "police_body": "同级公安机关",
    "materials": "随案移送材料",
    "received_on": "公安机关签收日期",
    "receipt_signed_by": "回执签收人",
    "forwarded_to": "转送的有管辖权机关（如有）",
    "answered_on": "书面通知日期",
    "accepted": "公安机关决定",
    "answer_number": "通知书文号",
    "reasons": "理由",
    "suggested_on": "建议日期",
    "procuratorate": "人民检察院",
    "handed_over_on": "移交日期",
    "resumed_on": "转回行政处理日期",
    "source_organization_id": "收集证据的机关",
    "source_case_number": "来源案件编号",
    "description": "证据说明",
    "sha256": "SHA-256 摘要",
    "gathered_on": "收集日期",
    "transfer_letter": "调取/移交函文号",
}
CHOICES = {
    "decision": [
        ("evidence_kept", "采取记录、复制、拍照、录像等证据保全措施后退还"),
        ("inspection", "送交检测、检验、检疫、鉴定"),
        ("seizure", "依法采取查封、扣押措施"),
        ("confiscation", "违法事实成立，依法予以没收"),
        ("release", "解除先行登记保存，退还物品"),
    ],
    "kind": [("seize", "扣押"), ("seal", "查封")],
    "end_kind": [
        ("release", "解除"),
        ("confiscate", "没收（依处罚决定）"),
        ("transfer", "移送（随涉嫌犯罪案件）"),
    ],
    "ground": [
        ("", "—"),
        ("no_violation", "当事人没有违法行为"),
        ("unrelated", "场所、设施或者财物与违法行为无关"),
        ("decided", "已作出处理决定，不再需要查封、扣押"),
        ("expired", "查封、扣押期限已经届满"),
        ("other", "其他不再需要采取查封、扣押措施的情形"),
    ],
    "materials": [
        ("items_list", "涉案物品清单"),
        ("inspection_reports", "有关检验报告或者鉴定结论"),
        ("other", "其他有关涉嫌犯罪的材料"),
    ],
    "accepted": [("true", "立案"), ("false", "不予立案")],
}
EVIDENCE_CHOICES = [
    ("documentary", "书证"),
    ("physical", "物证"),
    ("audiovisual", "视听资料"),
    ("electronic", "电子数据"),
    ("witness", "证人证言"),
    ("party_statement", "当事人的陈述"),
    ("expert_opinion", "鉴定意见"),
    ("inspection_record", "勘验笔录、现场笔录"),
]
LONG = {
    "reason",
    "site_note",
    "note",
    "statement",
    "record",
    "emergency_reason",
    "suspected_crime",
    "report",
    "reasons",
    "description",
    "items",
}


def _inner(annotation):
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _inner(typing.get_args(annotation)[0])
    if origin in (typing.Union, __import__("types").UnionType):
        return _inner(next(a for a in typing.get_args(annotation) if a is not type(None)))
    return annotation


LINE = re.compile(r"\s*[,，、\s]\s*")


def parse_items(text: str) -> list[dict[str, Any]]:
    """``冷藏柜 1 台 品牌某某`` per line → items; a line that cannot be read names its number."""
    items = []
    for number, line in enumerate((text or "").splitlines(), 1):
        if not line.strip():
            continue
        parts = [p for p in LINE.split(line.strip(), maxsplit=3) if p]
        if len(parts) < 3:
            raise ValidationError(f"第{number}行应写明名称、数量、单位（以空格或逗号分隔）", code="item_line")
        try:
            quantity = Decimal(parts[1])
        except InvalidOperation:
            raise ValidationError(f"第{number}行的数量“{parts[1]}”不是数字", code="item_quantity") from None
        items.append(
            {
                "name": parts[0],
                "quantity": quantity,
                "unit": parts[2],
                "note": parts[3] if len(parts) > 3 else "",
            }
        )
    return items


def items_to_text(items: list[dict]) -> str:
    return "\n".join(
        " ".join(filter(None, (i["name"], str(i["quantity"]), i["unit"], i.get("note", "")))) for i in items
    )


class CommandForm(forms.Form):
    """A form with the fields of one command; ``command_data()`` gives what the service parses."""

    command: type

    def command_data(self) -> dict[str, Any]:
        data = {}
        for name, value in self.cleaned_data.items():
            if value in (None, "") and not self.fields[name].required:
                continue
            if name == "items":
                value = parse_items(value)
            elif name in ("officer_ids", "team_ids"):
                value = [int(v) for v in value]
            elif name == "accepted":
                value = value == "true"
            data[name] = value
        return data

    def add_service_errors(self, exc: ValidationError) -> None:
        for item in validation_error_items(exc):
            field = (item["field"] or "").split(".")[0]
            self.add_error(field if field in self.fields else None, item["message"])


def form_for(
    command: type,
    *,
    prefix: str,
    data=None,
    officers=(),
    organizations=(),
    today: dt.date | None = None,
    now: dt.datetime | None = None,
    omit: tuple[str, ...] = (),
) -> CommandForm:
    """An unbound or bound form for ``command``; ``officers`` and ``organizations`` are the choices."""
    fields: dict[str, forms.Field] = {}
    for name, info in command.model_fields.items():
        if name in omit:
            continue
        annotation = _inner(info.annotation)
        required = info.is_required()
        label = LABELS.get(name, name)
        origin = typing.get_origin(annotation)
        if name in ("officer_ids", "team_ids"):
            field = forms.MultipleChoiceField(
                label=label, choices=officers, widget=forms.CheckboxSelectMultiple
            )
        elif name == "source_organization_id":
            field = forms.ChoiceField(label=label, choices=[("", "请选择")] + list(organizations))
        elif name == "kind" and "description" in command.model_fields:
            field = forms.ChoiceField(label="证据种类", choices=EVIDENCE_CHOICES)
        elif name == "items":
            field = forms.CharField(label=label, widget=forms.Textarea(attrs={"rows": 3}), max_length=20000)
        elif name in CHOICES and origin is list:
            field = forms.MultipleChoiceField(
                label=label, choices=CHOICES[name], required=False, widget=forms.CheckboxSelectMultiple
            )
        elif name in CHOICES and (origin is typing.Literal or annotation is bool):
            field = forms.ChoiceField(
                label=label, choices=CHOICES[name], required=required and name != "ground"
            )
        elif annotation is dt.datetime:
            field = forms.DateTimeField(
                label=label,
                required=required,
                input_formats=["%Y-%m-%dT%H:%M"],
                initial=now,
                widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            )
        elif annotation is dt.date:
            field = forms.DateField(
                label=label,
                required=required,
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                initial=today,
            )
        elif annotation is bool:
            field = forms.BooleanField(label=label, required=False, initial=info.default is True)
        elif annotation is int:
            field = forms.IntegerField(
                label=label,
                required=required,
                min_value=1,
                initial=None if info.default in (None, ...) else info.default,
            )
        else:
            widget = forms.Textarea(attrs={"rows": 2}) if name in LONG else forms.TextInput()
            field = forms.CharField(label=label, required=required, widget=widget, max_length=20000)
        fields[name] = field
    form_class = type(f"{command.__name__}Form", (CommandForm,), {**fields, "command": command})
    return form_class(data, prefix=prefix) if data is not None else form_class(prefix=prefix)
