"""Remedies and changes of a decided penalty: reconsideration (行政复议法第二十条) and litigation
(行政诉讼法第四十六条) with their results, and the recorded 变更/撤销 of a decision. A decided
penalty is frozen: it changes only through such a result or a change the head approves, with a
reason; publicity follows within 3 days (行政处罚法第四十八条) through the domain event
``DECISION_CHANGED``. A pending remedy pauses the late surcharge (第七十三条) and stops a court
application (行政强制法第五十三条)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from pydantic import Field

from zhifa.core import access, audit, events
from zhifa.core.commands import Command, parse
from zhifa.core.errors import DomainError

from .. import commands, rules
from ..facts import apply_facts, build_facts
from ..models import FINED_STATES, Case, RemedyOutcome
from .common import CASE_FIELDS, event, locked_case, today

_DECIDED = set(FINED_STATES) | {rules.State.NO_PENALTY.value}


class RemedyIn(Command):
    kind: Literal["reconsideration", "litigation"]
    filed_on: dt.date
    authority: Annotated[str, Field(max_length=100)] = ""
    instance: Literal["", "reconsideration", "first", "second", "retrial"] = ""
    outcome: Literal[
        "pending", "upheld", "changed", "revoked", "confirmed_illegal", "ordered", "withdrawn"
    ] = "pending"
    decided_on: dt.date | None = None
    document_number: Annotated[str, Field(max_length=80)] = ""
    note: commands.Text = ""
    penalties_decided: list[commands.PenaltyIn] = []


class RemedyResultIn(Command):
    outcome: Literal["upheld", "changed", "revoked", "confirmed_illegal", "ordered", "withdrawn"]
    decided_on: dt.date
    document_number: Annotated[str, Field(max_length=80)] = ""
    note: commands.Text = ""
    penalties_decided: list[commands.PenaltyIn] = []


@transaction.atomic
def record_remedy(actor, case_id: int, data: dict[str, Any]) -> RemedyOutcome:
    """A reconsideration or a lawsuit against the decision, and (if known) its result."""
    command = parse(RemedyIn, data)
    case = locked_case(actor, case_id, "cases.record_ruling")
    if case.state not in _DECIDED:
        raise DomainError("not_decided", "尚未作出决定的案件不能登记复议、诉讼（行政复议法第二十条）")
    if command.filed_on > today() or (case.decision_date and command.filed_on < case.decision_date):
        raise ValidationError(
            {"filed_on": ValidationError("申请日期不能晚于今天或早于决定日期", code="date_out_of_order")}
        )
    remedy = RemedyOutcome.objects.create(
        case=case,
        kind=command.kind,
        filed_on=command.filed_on,
        authority=command.authority,
        instance=command.instance,
        note=command.note,
    )
    basis = (
        "《行政复议法》第二十条"
        if remedy.kind == RemedyOutcome.Kind.RECONSIDERATION
        else "《行政诉讼法》第四十六条"
    )
    event(
        case,
        actor,
        "record_remedy",
        on=command.filed_on,
        note=f"当事人申请{remedy.get_kind_display()}（{command.authority}）",
        article=basis,
    )
    audit.record(
        actor,
        "case.record_remedy",
        case,
        after={"remedy": remedy.pk, "kind": remedy.kind, "filed_on": remedy.filed_on},
        legal_basis=basis,
    )
    if command.outcome != "pending":
        record_remedy_result(
            actor,
            remedy.pk,
            {
                "outcome": command.outcome,
                "decided_on": command.decided_on,
                "document_number": command.document_number,
                "note": command.note,
                "penalties_decided": [p.model_dump(mode="json") for p in command.penalties_decided],
            },
        )
        remedy.refresh_from_db()
    _refresh(case)
    return remedy


@transaction.atomic
def record_remedy_result(actor, remedy_id: int, data: dict[str, Any]) -> RemedyOutcome:
    """The result: 维持 / 撤销 / 变更 / 确认违法 / 责令履行 / 驳回. Revoking or changing the decision
    changes the case and its publicity (行政处罚法第四十八条)."""
    command = parse(RemedyResultIn, data)
    remedy = access.get_visible(actor, RemedyOutcome.objects.select_related("case"), remedy_id)
    case = locked_case(actor, remedy.case_id, "cases.record_ruling")
    remedy = RemedyOutcome.objects.select_for_update().get(pk=remedy.pk)
    if remedy.outcome != RemedyOutcome.Outcome.PENDING:
        raise DomainError("remedy_decided", "该复议、诉讼已登记结果")
    if command.decided_on > today() or command.decided_on < remedy.filed_on:
        raise ValidationError(
            {"decided_on": ValidationError("结果日期不能晚于今天或早于申请日期", code="date_out_of_order")}
        )
    remedy.outcome = command.outcome
    remedy.decided_on = command.decided_on
    remedy.document_number = command.document_number
    remedy.note = command.note or remedy.note
    remedy.save()
    who = remedy.get_kind_display()
    audit.record(
        actor,
        "case.remedy_result",
        case,
        after={
            "remedy": remedy.pk,
            "outcome": command.outcome,
            "decided_on": command.decided_on,
            "document_number": command.document_number,
        },
    )
    if command.outcome in ("revoked", "confirmed_illegal"):
        apply_change(
            actor,
            case,
            revoke=True,
            penalties=None,
            reason=f"{who}结果：{remedy.get_outcome_display()}{command.document_number}",
            on=command.decided_on,
        )
    elif command.outcome == "changed":
        if not command.penalties_decided:
            raise ValidationError(
                {"penalties_decided": ValidationError("变更须写明变更后的处罚", code="required")}
            )
        apply_change(
            actor,
            case,
            revoke=False,
            penalties=commands.penalties(command.penalties_decided),
            reason=f"{who}决定变更{command.document_number}",
            on=command.decided_on,
        )
    else:
        event(
            case,
            actor,
            "remedy_result",
            on=command.decided_on,
            note=f"{who}结果：{remedy.get_outcome_display()}",
        )
    _refresh(case)
    return remedy


def change_decision(actor, case: Case, command: commands.ChangeDecision, on: dt.date) -> None:
    """The head's approved 变更/撤销 of a decision (its own document, a reason)."""
    apply_change(
        actor,
        case,
        revoke=command.revoke,
        penalties=commands.penalties(command.penalties_decided) or None,
        reason=command.reason,
        on=on,
    )


def apply_change(
    actor, case: Case, *, revoke: bool, penalties: list[dict] | None, reason: str, on: dt.date
) -> None:
    if case.state not in _DECIDED:
        raise DomainError("not_decided", "尚未作出决定，无需变更或撤销")
    if not revoke and not penalties:
        raise ValidationError(
            {"penalties_decided": ValidationError("变更须写明变更后的处罚", code="required")}
        )
    before = audit.snapshot(case, CASE_FIELDS)
    from_state = case.state
    facts = build_facts(case, {"penalties_decided": [] if revoke else penalties, "as_of": on})
    apply_facts(case, facts)
    if revoke:
        case.state = rules.State.CLOSED.value
    case.extra_facts = {
        **case.extra_facts,
        "decision_changed_on": on.isoformat(),
        "decision_change": "revoked" if revoke else "changed",
    }
    case.version += 1
    case.save()
    event(
        case,
        actor,
        "revoke_decision" if revoke else "change_decision",
        from_state=from_state,
        on=on,
        note=reason,
        article="《行政处罚法》第四十八条",
    )
    audit.record(
        actor,
        "case.revoke_decision" if revoke else "case.change_decision",
        case,
        before=before,
        after=audit.snapshot(case, CASE_FIELDS),
        legal_basis="《行政处罚法》第四十八条",
    )
    events.publish(events.DECISION_CHANGED, case=case, revoked=revoke, reason=reason, on=on, actor=actor)


def _refresh(case: Case) -> None:
    """The pending-remedy fact (第七十三条: no surcharge while pending) is cached on the case."""
    case.refresh_from_db()
    apply_facts(case, build_facts(case, {"as_of": today()}))
    case.version += 1
    case.save()
