"""先行登记保存 (行政处罚法第五十六条): the officer proposes (the head approves in the cases inbox),
preserves the items with the notice on the spot, and records the decision on them within seven
working days (第八十五条)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from zhifa.cases import services as cases_services
from zhifa.core import audit
from zhifa.core.commands import parse
from zhifa.core.errors import DomainError

from .. import commands, documents, facts, rules
from ..models import EvidencePreservation, MeasureDocument
from .common import (
    before_decision,
    calendar,
    locked_case,
    locked_record,
    need_witness,
    officers_on_site,
    raise_if,
    today,
    user_of,
)

BASIS = "《行政处罚法》第五十六条"


def items_json(items) -> list[dict[str, str]]:
    return [
        {"name": i.name, "quantity": f"{i.quantity.normalize():f}", "unit": i.unit, "note": i.note}
        for i in items
    ]


def items_text(items: list[dict[str, str]]) -> str:
    return "；".join(f"{i['name']}{i['quantity']}{i['unit']}" for i in items)


def _ask(actor, case, record: EvidencePreservation) -> None:
    approval = cases_services.request_approval(
        actor,
        case.pk,
        "preservation",
        {"basis": BASIS},
        reason=f"先行登记保存：{items_text(record.items)}；地点：{record.place}；证据可能灭失或者以后难以取得的情形：{record.reason}",
    )
    record.approval = approval
    record.save(update_fields=["approval"])


@transaction.atomic
def propose_preservation(
    actor, case_id: int, data: dict[str, Any] | commands.ProposePreservation
) -> EvidencePreservation:
    """Ask the head to approve preserving these items (第五十六条: "经行政机关负责人批准")."""
    command = parse(commands.ProposePreservation, data)
    case = locked_case(actor, case_id, "measures.preserve")
    before_decision(case, "先行登记保存", BASIS)
    record = EvidencePreservation.objects.create(
        case=case,
        items=items_json(command.items),
        place=command.place,
        reason=command.reason,
        created_by=user_of(actor),
    )
    _ask(actor, case, record)
    audit.record(
        actor,
        "measures.propose_preservation",
        record,
        after={"case": case.pk, "items": record.items, "approval": record.approval_id},
        legal_basis=BASIS,
    )
    return record


@transaction.atomic
def ask_again(actor, preservation_id: int) -> EvidencePreservation:
    """Ask again after the officer withdrew the request."""
    record, case = locked_record(actor, EvidencePreservation, preservation_id, "measures.preserve")
    if rules.preservation_stage(facts.preservation(record)) != rules.Stage.WITHDRAWN:
        raise DomainError("not_withdrawn", "只有撤回的审批可以重新提请", "preservation")
    _ask(actor, case, record)
    audit.record(
        actor,
        "measures.propose_preservation",
        record,
        after={"approval": record.approval_id},
        legal_basis=BASIS,
    )
    return record


def preservation_approved(actor, case, approval, command: commands.MeasureApproval, on) -> None:
    """The head's approval in the cases inbox (inside its transaction)."""
    record = EvidencePreservation.objects.select_for_update().filter(approval=approval).first()
    if record is None:
        raise DomainError(
            "measure_missing", "该审批没有对应的先行登记保存记录，请在“强制措施与移送”中提请", "approval"
        )
    raise_if(
        rules.date_refusal(
            on,
            today=today(),
            field="as_of",
            label="批准日期",
            after=case.discovery_date,
            after_label="发现违法行为日期",
            refs=(rules.P(56),),
        )
    )
    record.approved_on = on
    record.save(update_fields=["approved_on"])
    audit.record(
        actor,
        "measures.approve_preservation",
        record,
        after={"approved_on": on, "approval": approval.pk},
        legal_basis=BASIS,
    )


@transaction.atomic
def execute_preservation(
    actor, preservation_id: int, data: dict[str, Any] | commands.ExecutePreservation
) -> EvidencePreservation:
    """登记保存 on the spot, by two officers (第五十五条), with the notice to the party."""
    command = parse(commands.ExecutePreservation, data)
    record, case = locked_record(actor, EvidencePreservation, preservation_id, "measures.preserve")
    on = command.preserved_on
    raise_if(rules.preservation_execute_refusal(facts.preservation(record), on, today()))
    officers = officers_on_site(actor, command.officer_ids, on, refs=(rules.P(42), rules.P(55)))
    need_witness(command.party_present, command.witness, (rules.P(55),))
    record.preserved_on = on
    record.due_on = rules.preservation_due(on, calendar())
    record.party_present, record.witness, record.site_note = (
        command.party_present,
        command.witness,
        command.site_note,
    )
    record.notice = documents.issue(
        actor,
        case,
        MeasureDocument.Kind.PRESERVATION_NOTICE,
        on,
        {"record": record, "items": record.items, "officers": officers, "due_on": record.due_on},
    )
    record.save()
    record.officers.set(officers)
    audit.record(
        actor,
        "measures.preserve",
        record,
        after={
            "preserved_on": on,
            "due_on": record.due_on,
            "officers": [o.pk for o in officers],
            "notice": record.notice.number,
        },
        legal_basis=f"{BASIS}、第五十五条",
    )
    return record


@transaction.atomic
def decide_preservation(
    actor, preservation_id: int, data: dict[str, Any] | commands.PreservationDecisionIn
) -> EvidencePreservation:
    """The decision on the preserved items (第五十六条 "七日内及时作出处理决定"); a late one is
    recorded and shown late."""
    command = parse(commands.PreservationDecisionIn, data)
    record, case = locked_record(actor, EvidencePreservation, preservation_id, "measures.preserve")
    on = command.decided_on
    raise_if(rules.preservation_decision_refusal(facts.preservation(record), on, today()))
    record.decided_on, record.decision, record.decision_note = on, command.decision, command.note
    record.decision_document = documents.issue(
        actor,
        case,
        MeasureDocument.Kind.PRESERVATION_DECISION,
        on,
        {
            "record": record,
            "items": record.items,
            "decision": EvidencePreservation.Decision(command.decision).label,
        },
    )
    record.save()
    audit.record(
        actor,
        "measures.decide_preservation",
        record,
        after={
            "decided_on": on,
            "decision": command.decision,
            "due_on": record.due_on,
            "late": bool(record.due_on and on > record.due_on),
        },
        legal_basis=f"{BASIS}、第八十五条",
    )
    return record
