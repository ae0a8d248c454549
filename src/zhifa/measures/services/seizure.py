"""查封、扣押 (行政强制法第十八条、第十九条、第二十一条至第二十八条): proposed and approved by the head (or,
in an emergency, carried out and reported within 24 hours), carried out with a written decision
and its list, extended once with the head's approval and a written notice, ended by release,
confiscation or transfer."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from zhifa.cases import services as cases_services
from zhifa.core import audit
from zhifa.core.commands import parse
from zhifa.core.errors import DomainError

from .. import commands, documents, facts, rules
from ..models import CriminalReferral, MeasureDocument, Seizure
from .common import (
    before_decision,
    locked_case,
    locked_record,
    need_witness,
    now,
    officers_on_site,
    raise_if,
    today,
    user_of,
)
from .preservation import items_json, items_text

BASIS = "《行政强制法》第十八条、第二十四条、第二十五条"
ON_SITE_REFS = (rules.C(17, 3), rules.C(18, item=2), rules.C(18, item=3))


def _ask(actor, case, record: Seizure) -> None:
    label = record.get_kind_display()
    reason = (
        f"{'情况紧急已当场实施，报告并补办批准手续（行政强制法第十九条）。紧急情况：' + record.emergency_reason + '。' if record.emergency else ''}"
        f"{label}（期限{record.period_days}日）：{items_text(record.items)}；地点：{record.place}；理由：{record.reason}"
    )
    approval = cases_services.request_approval(
        actor,
        case.pk,
        "seizure",
        {"basis": f"《行政强制法》第十八条、第二十四条；{record.legal_basis}"},
        reason=reason,
    )
    record.approval = approval
    record.save(update_fields=["approval"])


def _new(case, command, actor, **extra) -> Seizure:
    raise_if(rules.period_refusal(command.period_days))
    return Seizure.objects.create(
        case=case,
        kind=command.kind,
        items=items_json(command.items),
        place=command.place,
        reason=command.reason,
        legal_basis=command.legal_basis,
        period_days=command.period_days,
        created_by=user_of(actor),
        **extra,
    )


@transaction.atomic
def propose_seizure(actor, case_id: int, data: dict[str, Any] | commands.ProposeSeizure) -> Seizure:
    """Ask the head first (第十八条第一项 "实施前须向行政机关负责人报告并经批准")."""
    command = parse(commands.ProposeSeizure, data)
    case = locked_case(actor, case_id, "measures.seize")
    before_decision(case, "查封、扣押", "《行政强制法》第十八条")
    record = _new(case, command, actor)
    _ask(actor, case, record)
    audit.record(
        actor,
        "measures.propose_seizure",
        record,
        after={"case": case.pk, "kind": record.kind, "items": record.items, "approval": record.approval_id},
        legal_basis=BASIS,
    )
    return record


def _decision(actor, case, record: Seizure, officers) -> MeasureDocument:
    """查封、扣押决定书 and its list (第二十四条), handed over on the spot."""
    kind = (
        MeasureDocument.Kind.SEAL_DECISION
        if record.kind == Seizure.Kind.SEAL
        else MeasureDocument.Kind.SEIZE_DECISION
    )
    return documents.issue(
        actor, case, kind, record.executed_on, {"record": record, "items": record.items, "officers": officers}
    )


def _on_site(actor, record: Seizure, command, on: dt.date):
    officers = officers_on_site(actor, command.officer_ids, on, refs=ON_SITE_REFS)
    need_witness(command.party_present, command.witness, (rules.C(18, item=9),))
    record.party_present, record.witness = command.party_present, command.witness
    record.statement, record.record = command.statement, command.record
    record.executed_on = on
    record.expires_on = rules.seizure_expiry(facts.seizure(record))
    return officers


@transaction.atomic
def emergency_seizure(actor, case_id: int, data: dict[str, Any] | commands.EmergencySeizure) -> Seizure:
    """情况紧急 (第十九条): carried out on the spot, then reported to the head — this record is the
    report, and asks for the approval in the same step."""
    command = parse(commands.EmergencySeizure, data)
    case = locked_case(actor, case_id, "measures.seize")
    before_decision(case, "查封、扣押", "《行政强制法》第十九条")
    raise_if(rules.emergency_refusal(command.taken_at, now(), case.discovery_date))
    on = timezone.localtime(command.taken_at).date()
    record = _new(
        case,
        command,
        actor,
        emergency=True,
        emergency_reason=command.emergency_reason,
        taken_at=command.taken_at,
    )
    officers = _on_site(actor, record, command, on)
    record.decision_document = _decision(actor, case, record, officers)
    record.save()
    record.officers.set(officers)
    _ask(actor, case, record)
    late = now() - command.taken_at > rules.EMERGENCY_REPORT
    audit.record(
        actor,
        "measures.emergency_seizure",
        record,
        after={
            "case": case.pk,
            "kind": record.kind,
            "taken_at": command.taken_at,
            "items": record.items,
            "decision": record.decision_document.number,
            "reported_late": late,
        },
        legal_basis="《行政强制法》第十九条、第二十四条",
    )
    return record


@transaction.atomic
def ask_again(actor, seizure_id: int) -> Seizure:
    """Ask (or report) again after the officer withdrew the request."""
    record, case = locked_record(actor, Seizure, seizure_id, "measures.seize")
    if record.approval is not None and record.approval.status != "withdrawn":
        raise DomainError("not_withdrawn", "只有撤回的审批可以重新提请", "seizure")
    if record.ended_on is not None:
        raise DomainError("measure_ended", "查封、扣押已经终结", "seizure")
    _ask(actor, case, record)
    audit.record(
        actor, "measures.propose_seizure", record, after={"approval": record.approval_id}, legal_basis=BASIS
    )
    return record


def seizure_approved(actor, case, approval, command: commands.MeasureApproval, on) -> None:
    """The head's approval in the cases inbox (inside its transaction): before the measure, or
    after an emergency measure (第十九条: "补办批准手续")."""
    record = Seizure.objects.select_for_update().filter(approval=approval).first()
    if record is None:
        raise DomainError(
            "measure_missing", "该审批没有对应的查封、扣押记录，请在“强制措施与移送”中提请", "approval"
        )
    after, label = (
        (record.executed_on, "当场实施日期")
        if record.emergency
        else (case.discovery_date, "发现违法行为日期")
    )
    raise_if(
        rules.date_refusal(
            on,
            today=today(),
            field="as_of",
            label="批准日期",
            after=after,
            after_label=label,
            refs=(rules.C(19) if record.emergency else rules.C(18, item=1),),
        )
    )
    record.approved_on = on
    record.save(update_fields=["approved_on"])
    audit.record(
        actor,
        "measures.approve_seizure",
        record,
        after={"approved_on": on, "approval": approval.pk, "emergency": record.emergency},
        legal_basis="《行政强制法》第十九条" if record.emergency else "《行政强制法》第十八条",
    )


@transaction.atomic
def execute_seizure(actor, seizure_id: int, data: dict[str, Any] | commands.ExecuteSeizure) -> Seizure:
    """实施 with the written decision and list handed over on the spot (第十八条、第二十四条)."""
    command = parse(commands.ExecuteSeizure, data)
    record, case = locked_record(actor, Seizure, seizure_id, "measures.seize")
    raise_if(rules.seizure_execute_refusal(facts.seizure(record), command.executed_on, today()))
    officers = _on_site(actor, record, command, command.executed_on)
    record.decision_document = _decision(actor, case, record, officers)
    record.save()
    record.officers.set(officers)
    audit.record(
        actor,
        "measures.execute_seizure",
        record,
        after={
            "executed_on": record.executed_on,
            "expires_on": record.expires_on,
            "decision": record.decision_document.number,
            "officers": [o.pk for o in officers],
        },
        legal_basis=BASIS,
    )
    return record


@transaction.atomic
def request_extension(actor, seizure_id: int, data: dict[str, Any] | commands.RequestExtension) -> Seizure:
    """Ask the head for the one extension (第二十五条第一款), while the measure is in force."""
    command = parse(commands.RequestExtension, data)
    record, case = locked_record(actor, Seizure, seizure_id, "measures.seize")
    if record.extension_approval is not None and record.extension_approval.status == "pending":
        raise DomainError("extension_pending", "已提请延长期限，等待负责人审批", "days")
    on = command.requested_on or today()
    f = facts.seizure(record)
    raise_if(
        rules.first(
            rules.date_refusal(
                on,
                today=today(),
                field="requested_on",
                label="提请日期",
                after=f.executed_on,
                after_label="实施日期",
                refs=(rules.C(25, 1),),
            ),
            rules.extension_request_refusal(f, command.days, on),
        )
    )
    approval = cases_services.request_approval(
        actor,
        case.pk,
        "seizure_extension",
        {"days": command.days, "reason": command.reason},
        reason=f"{record.get_kind_display()}（{record.decision_document.number if record.decision_document else ''}）"
        f"期限至{record.expires_on}，情况复杂，拟延长{command.days}日",
    )
    record.extension_approval = approval
    record.save(update_fields=["extension_approval"])
    audit.record(
        actor,
        "measures.request_extension",
        record,
        after={"days": command.days, "reason": command.reason, "requested_on": on, "approval": approval.pk},
        legal_basis="《行政强制法》第二十五条第一款",
    )
    return record


def extension_approved(actor, case, approval, command: commands.ExtensionApproval, on) -> None:
    """The head approves the extension (inside the inbox's transaction), dated before the period ran out."""
    record = Seizure.objects.select_for_update().filter(extension_approval=approval).first()
    if record is None:
        raise DomainError(
            "measure_missing", "该审批没有对应的查封、扣押记录，请在“强制措施与移送”中提请延期", "approval"
        )
    raise_if(rules.extension_approval_refusal(facts.seizure(record), command.days, on))
    record.extension_days, record.extended_on = command.days, on
    record.expires_on = rules.seizure_expiry(facts.seizure(record))
    record.save(update_fields=["extension_days", "extended_on", "expires_on"])
    audit.record(
        actor,
        "measures.approve_extension",
        record,
        after={"days": command.days, "extended_on": on, "expires_on": record.expires_on},
        legal_basis="《行政强制法》第二十五条第一款",
    )


@transaction.atomic
def serve_extension_notice(
    actor, seizure_id: int, data: dict[str, Any] | commands.ExtensionNotice
) -> Seizure:
    """The written notice of the extension, with its reasons, served on the party (第二十五条第二款)."""
    command = parse(commands.ExtensionNotice, data)
    record, case = locked_record(actor, Seizure, seizure_id, "measures.seize")
    raise_if(rules.extension_notice_refusal(facts.seizure(record), command.served_on, today()))
    record.extension_notice_on = command.served_on
    reason = record.extension_approval.proposal.get("reason", "") if record.extension_approval else ""
    record.extension_notice = documents.issue(
        actor,
        case,
        MeasureDocument.Kind.SEIZURE_EXTENSION,
        command.served_on,
        {"record": record, "items": record.items, "reason": reason},
    )
    record.save(update_fields=["extension_notice_on", "extension_notice"])
    audit.record(
        actor,
        "measures.extension_notice",
        record,
        after={"served_on": command.served_on, "notice": record.extension_notice.number},
        legal_basis="《行政强制法》第二十五条第二款",
    )
    return record


def _confiscation_decided(case, on: dt.date) -> bool:
    """行政处罚法第九条第二项: the penalty decision confiscates illegal property (decided by ``on``)."""
    return bool(
        case.decision_date
        and case.decision_date <= on
        and any(p.get("kind") == "confiscate_property" for p in case.penalties_decided or ())
    )


def _transferred_referral(case, on: dt.date) -> CriminalReferral | None:
    """行政强制法第二十一条: the property goes with the case transferred to the judicial body."""
    for referral in CriminalReferral.objects.filter(case=case, transferred_at__isnull=False).order_by(
        "-transferred_at"
    ):
        if timezone.localtime(referral.transferred_at).date() <= on:
            return referral
    return None


@transaction.atomic
def end_seizure(actor, seizure_id: int, data: dict[str, Any] | commands.EndSeizure) -> Seizure:
    """解除 (第二十八条), 没收 (第二十七条, by the penalty decision) or 移送 (第二十一条)."""
    command = parse(commands.EndSeizure, data)
    record, case = locked_record(actor, Seizure, seizure_id, "measures.seize")
    on = command.ended_on
    f = facts.seizure(record)
    referral = _transferred_referral(case, on)
    raise_if(
        rules.end_refusal(
            f,
            command.end_kind,
            on,
            today(),
            confiscation_decided=_confiscation_decided(case, on),
            referral_transferred=referral is not None,
        )
    )
    ground = command.ground or ""
    transfer_to = command.transfer_to
    if command.end_kind == "release":
        if f.emergency and f.approval_status == "returned":
            ground = Seizure.Ground.NOT_APPROVED
        elif not ground:
            expiry = rules.seizure_expiry(f)
            if expiry is None or on <= expiry:
                raise ValidationError(
                    {"ground": ValidationError("请选择解除的理由（行政强制法第二十八条）", code="required")}
                )
            ground = Seizure.Ground.EXPIRED
    elif command.end_kind == "transfer":
        transfer_to = transfer_to or referral.police_body
    record.ended_on, record.end_kind, record.ground = on, command.end_kind, ground
    record.transfer_to, record.end_note = transfer_to, command.note
    kind = {
        "release": MeasureDocument.Kind.SEIZURE_RELEASE,
        "transfer": MeasureDocument.Kind.SEIZURE_TRANSFER,
    }.get(command.end_kind)
    if kind:
        record.end_document = documents.issue(
            actor,
            case,
            kind,
            on,
            {
                "record": record,
                "items": record.items,
                "ground": Seizure.Ground(ground).label if ground else "",
                "referral": referral,
            },
        )
    record.save()
    expiry = rules.seizure_expiry(f)
    audit.record(
        actor,
        f"measures.{command.end_kind}_seizure",
        record,
        after={
            "ended_on": on,
            "end_kind": command.end_kind,
            "ground": ground,
            "transfer_to": transfer_to,
            "document": record.end_document.number if record.end_document else "",
            "late": bool(expiry and on > expiry),
        },
        legal_basis={
            "release": "《行政强制法》第二十八条",
            "confiscate": "《行政强制法》第二十七条",
            "transfer": "《行政强制法》第二十一条",
        }[command.end_kind],
    )
    return record
