"""Web forms built from the typed commands (``commands.py``), so the page, the API and imports
accept exactly the same fields: each action's form has the fields of its command, with Chinese
labels, and hands its data to the same service. Penalties are entered as up to two rows of kind,
amount and duration."""

from __future__ import annotations

import datetime as dt
import enum
import typing
from decimal import Decimal
from typing import Any

from django import forms

from . import commands, rules

LABELS = {
    "as_of": "办理日期",
    "filing_date": "立案日期",
    "notice_date": "告知日期",
    "decision_date": "决定日期",
    "service_date": "送达日期",
    "hearing_requested_on": "当事人申请听证日期",
    "hearing_date": "听证日期",
    "hearing_notice_date": "听证通知日期",
    "demand_served_on": "催告书送达日期",
    "court_applied_on": "申请日期",
    "referral_declined_on": "公安机关不予立案日期",
    "decline_reason": "不予立案理由",
    "filing_revocation_reason": "撤销立案理由",
    "penalties_intended": "拟作出的处罚",
    "penalties_decided": "处罚决定",
    "facts_clear": "违法事实清楚、证据确凿",
    "defence_deadline": "陈述申辩期限至（可长于法定最短期限）",
    "legal_basis": "处罚依据",
    "record": "听证笔录",
    "party_absent": "当事人无正当理由未到场（视为放弃听证）",
    "reason": "理由",
    "circumstances": "裁量情节",
    "deviation_reason": "偏离裁量基准的理由",
    "no_penalty_ground": "不予处罚的法定情形",
    "education_given": "已对当事人进行教育",
    "education_note": "教育情况",
    "service_method": "送达方式",
    "deferred_until": "暂缓（分期）至",
    "application_on": "当事人申请日期",
    "instalments": "分期计划",
    "court": "人民法院",
    "suspected_crime": "涉嫌犯罪的事实和罪名",
    "answer_number": "公安机关不予立案通知书文号",
    "transfer_to": "移送的有管辖权的机关",
    "chair_id": "主持人",
    "participant_ids": "参加讨论的负责人",
    "minutes": "讨论记录",
    "conclusion": "讨论结论",
    "penalties": "决定的处罚",
    "others_present": "列席人员",
    "act_end_date": "违法行为终了日期",
    "life_health_financial_harm": "涉及生命健康、金融安全且有危害后果",
    "minor_violation": "违法行为轻微",
    "corrected_in_time": "及时改正",
    "no_harmful_consequence": "没有造成危害后果",
    "first_offence": "初次违法",
    "harm_minor": "危害后果轻微",
    "no_fault_proven": "有证据足以证明没有主观过错",
    "fault_presumed_by_law": "法律、行政法规规定不以无过错为由免罚",
    "mental_incapacity": "不能辨认或控制自己行为",
    "mitigation_basis": "减轻处罚的法定依据",
    "mandatory_mitigation": "应当从轻或减轻的法定情形（第三十二条）",
    "hearing_required_by_rule": "依法应当告知听证的其他情形",
    "major_public_interest": "涉及重大公共利益",
    "complex_case": "案情疑难复杂",
    "serious_violation": "重大违法行为",
    "statement": "当事人陈述申辩内容",
    "opinion": "意见",
    "place": "听证地点",
    "host_officer_id": "听证主持人（非本案调查人员）",
    "signed_on": "签署日期",
    "waives_statement": "放弃陈述、申辩",
    "waives_hearing": "放弃听证",
    "ruling_number": "裁定书文号",
    "ruling_date": "裁定日期",
    "result": "结果",
    "address": "电子送达地址",
    "approve": "批准",
    "amount": "数额（元）",
    "agreement": "执行协议",
    "days": "延长天数",
    "basis": "依据",
    "revoke": "撤销处罚决定",
    "checklist": "审核要点",
    "officer_id": "执法人员",
    "role": "角色",
    "assisting": "仅协助（执法辅助人员）",
    "amount_paid": "已缴金额",
    "paid_on": "缴纳日期",
    "channel": "缴纳方式",
    "receipt_number": "票据号（当场收缴时必填）",
    "kind": "种类",
    "filed_on": "申请/起诉日期",
    "authority": "复议机关/人民法院",
    "instance": "审级",
    "outcome": "结果",
    "decided_on": "结果日期",
    "document_number": "文号",
    "note": "说明",
}
CHOICE_LABELS = {
    "service_method": commands.SERVICE_METHODS,
    "no_penalty_ground": {g.value: label for g, label in rules.NO_PENALTY_LABELS.items()},
    "conclusion": {
        "penalty": "给予行政处罚",
        "no_penalty": "不予行政处罚",
        "further_investigation": "补充调查",
    },
    "role": {"lead": "主办", "assist": "协办"},
    "channel": {"bank": "指定银行", "electronic": "电子支付", "on_spot": "当场收缴"},
    "kind": {"reconsideration": "行政复议", "litigation": "行政诉讼"},
    "instance": {"reconsideration": "复议", "first": "一审", "second": "二审", "retrial": "再审"},
    "outcome": {
        "pending": "审理中",
        "upheld": "维持",
        "changed": "变更",
        "revoked": "撤销",
        "confirmed_illegal": "确认违法",
        "ordered": "责令履行",
        "withdrawn": "撤回/驳回",
    },
    "result": {
        "passed": "通过",
        "not_passed": "不通过",
        "returned": "退回补充调查",
        "changes": "建议修改",
        "enforce": "准予执行",
        "refuse": "不予执行",
        "concluded": "执行完毕",
        "terminated": "终结执行",
    },
}
PENALTY_CHOICES = [
    (k.value, label) for k, label in rules.PENALTY_LABELS.items() if k != rules.PenaltyKind.DETENTION
]
LONG = {
    "record",
    "minutes",
    "statement",
    "opinion",
    "suspected_crime",
    "education_note",
    "reason",
    "decline_reason",
    "filing_revocation_reason",
    "deviation_reason",
}


def _inner(annotation):
    """``X | None`` → ``X``; ``Annotated[X, …]`` → ``X``."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _inner(typing.get_args(annotation)[0])
    if origin in (typing.Union, __import__("types").UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _inner(args[0])
    return annotation


def _field(name: str, info, choices: dict[str, list]) -> forms.Field | None:
    annotation = _inner(info.annotation)
    required = info.is_required()
    label = LABELS.get(name, name)
    origin = typing.get_origin(annotation)
    if name in choices:
        if origin is list:
            return forms.MultipleChoiceField(
                label=label, choices=choices[name], required=required, widget=forms.CheckboxSelectMultiple
            )
        return forms.TypedChoiceField(
            label=label, choices=[("", "请选择")] + choices[name], coerce=int, required=required
        )
    if annotation is dt.date:
        return forms.DateField(label=label, required=required, widget=forms.DateInput(attrs={"type": "date"}))
    if annotation is bool:
        return forms.BooleanField(label=label, required=False)
    if annotation is Decimal:
        return forms.DecimalField(
            label=label, required=required, min_value=0, decimal_places=2, max_digits=14
        )
    if annotation is int:
        return forms.IntegerField(label=label, required=required, min_value=1)
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        labels = CHOICE_LABELS.get(name, {})
        return forms.ChoiceField(
            label=label,
            required=required,
            choices=[(m.value, labels.get(m.value, m.value)) for m in annotation],
        )
    if origin is typing.Literal:
        labels = CHOICE_LABELS.get(name, {})
        return forms.ChoiceField(
            label=label,
            required=required,
            choices=[(v, labels.get(v, v)) for v in typing.get_args(annotation) if v != ""],
        )
    if annotation is str:
        widget = forms.Textarea(attrs={"rows": 3}) if name in LONG else forms.TextInput()
        return forms.CharField(label=label, required=required, widget=widget, max_length=20000)
    return None  # lists of penalties are added by CommandForm; dicts are not entered on the page


class CommandForm(forms.Form):
    """A form for one command class; ``command_data()`` gives the data for ``parse``."""

    command: type[commands.Command]
    penalty_field: str | None = None

    def __init__(
        self, *args, choices: dict[str, list] | None = None, initial_penalty=None, omit=(), **kwargs
    ):
        super().__init__(*args, **kwargs)
        choices = choices or {}
        for name, info in self.command.model_fields.items():
            if name in omit:
                continue
            if name == self.penalty_field:
                self._add_penalty_rows(name, info.is_required(), initial_penalty)
                continue
            field = _field(name, info, choices)
            if field is not None:
                self.fields[name] = field

    def _add_penalty_rows(self, name: str, required: bool, initial) -> None:
        initial = list(initial or [])
        for row in (1, 2):
            first = row == 1
            value = initial[row - 1] if len(initial) >= row else {}
            needed = first and required
            self.fields[f"{name}_{row}_kind"] = forms.ChoiceField(
                label=f"{LABELS.get(name, name)}{'' if first else '（第二项，可不填）'}",
                choices=([] if needed else [("", "—")]) + PENALTY_CHOICES,
                required=needed,
                initial=value.get("kind", "fine" if needed else ""),
            )
            self.fields[f"{name}_{row}_amount"] = forms.DecimalField(
                label="数额（元）",
                required=False,
                min_value=0,
                decimal_places=2,
                max_digits=14,
                initial=value.get("amount"),
            )
            self.fields[f"{name}_{row}_days"] = forms.IntegerField(
                label="期限（日）",
                required=False,
                min_value=1,
                max_value=3650,
                initial=value.get("duration_days"),
            )

    def command_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for name in self.command.model_fields:
            if name == self.penalty_field:
                rows = []
                for row in (1, 2):
                    kind = self.cleaned_data.get(f"{name}_{row}_kind")
                    if not kind:
                        continue
                    penalty: dict[str, Any] = {"kind": kind}
                    if self.cleaned_data.get(f"{name}_{row}_amount") is not None:
                        penalty["amount"] = str(self.cleaned_data[f"{name}_{row}_amount"])
                    if self.cleaned_data.get(f"{name}_{row}_days"):
                        penalty["duration_days"] = self.cleaned_data[f"{name}_{row}_days"]
                    rows.append(penalty)
                if rows:
                    data[name] = rows
            elif name in self.fields:
                value = self.cleaned_data.get(name)
                if value in (None, "") and not self.command.model_fields[name].is_required():
                    continue
                if isinstance(value, list):
                    value = [int(v) for v in value]
                data[name] = value
        return data

    def add_service_errors(self, exc) -> None:
        """Put a service's ValidationError on the fields it names (or on the form)."""
        for field, errors in (
            exc.error_dict.items() if hasattr(exc, "error_dict") else (("__all__", exc.error_list),)
        ):
            base = field.split(".")[0]
            target = (
                base
                if base in self.fields
                else (f"{base}_1_kind" if f"{base}_1_kind" in self.fields else None)
            )
            for error in errors:
                self.add_error(target, error.message % error.params if error.params else error.message)


_FORMS: dict[type, type[CommandForm]] = {}

#: Which list field of a command is entered as penalty rows.
PENALTY_FIELDS = {"penalties_intended", "penalties_decided", "penalties"}


def form_for(command_cls: type[commands.Command]) -> type[CommandForm]:
    if command_cls not in _FORMS:
        penalty = next((n for n in command_cls.model_fields if n in PENALTY_FIELDS), None)
        _FORMS[command_cls] = type(
            f"{command_cls.__name__}Form", (CommandForm,), {"command": command_cls, "penalty_field": penalty}
        )
    return _FORMS[command_cls]
