"""审批: the officer asks, the head of the body (or a deputy with that delegation) approves or
returns with an opinion (行政处罚法第五十四条、第五十七条、第六十条、第六十六条; 行政强制法第十八条、
第四十二条、第五十三条; 移送规定第五条). An approval of an action performs the action, in the head's
name, in the same transaction: if the law refuses it, nothing is approved."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from zhifa.core import access, audit
from zhifa.core.commands import parse
from zhifa.core.errors import DomainError

from .. import commands, rules
from ..access import ACTION_OF_APPROVAL, APPROVAL_PERMISSION
from ..facts import build_facts
from ..models import Approval, Case
from .common import attach, bump, event, locked_case, today, user_of
from .procedure import command_for, discretion_check, perform

#: The command of each approval that does not perform a case action.
RECORD_COMMANDS: dict[str, type[commands.CaseCommand]] = {
    Approval.Kind.REMISSION: commands.Remission,
    Approval.Kind.EXTENSION: commands.ExtensionIn,
    Approval.Kind.CHANGE_DECISION: commands.ChangeDecision,
}


#: Approvals other apps perform (先行登记保存, 查封扣押 and their extensions…): kind → (command,
#: ``on_approved(actor, case, approval, command, on)``). Registered from those apps' ``ready``.
_HANDLERS: dict[str, tuple[type[commands.Command], Any]] = {}


def register_approval_kind(kind: str, command: type[commands.Command], on_approved) -> None:
    """Let another app ask the head through this inbox: its command is the proposal, and
    ``on_approved`` performs the act in the head's name inside the approving transaction."""
    if kind not in Approval.Kind.values:
        raise ValueError(f"unknown approval kind {kind}")
    _HANDLERS[kind] = (command, on_approved)


def proposal_command(kind: str, data: dict[str, Any] | None) -> commands.CaseCommand:
    if kind in ACTION_OF_APPROVAL:
        return command_for(ACTION_OF_APPROVAL[kind], data)
    if kind in RECORD_COMMANDS:
        return parse(RECORD_COMMANDS[kind], data)
    if kind in _HANDLERS:
        return parse(_HANDLERS[kind][0], data)
    raise ValidationError({"kind": ValidationError("该事项不通过本页审批", code="unknown_kind")})


class RequestIn(commands.Command):
    kind: str
    reason: commands.Text = ""
    data: dict[str, Any] = {}


@transaction.atomic
def request_approval(
    actor,
    case_id: int,
    kind: str,
    data: dict[str, Any] | None = None,
    reason: str = "",
    attachment: bytes | None = None,
    filename: str = "attachment.pdf",
) -> Approval:
    """An officer asks the head for an act. The proposal is the act's own typed command."""
    if kind not in Approval.Kind.values:
        raise ValidationError({"kind": ValidationError("未知的审批事项", code="unknown_kind")})
    command = proposal_command(kind, data)
    case = locked_case(actor, case_id, "cases.request_approval")
    if kind in ACTION_OF_APPROVAL:
        action = ACTION_OF_APPROVAL[kind]
        if (rules.State(case.state), action) not in rules.TRANSITIONS:
            raise DomainError(
                "transition_not_allowed",
                f"案件处于“{case.state_label}”，不能提请"
                f"{Approval.Kind(kind).label}（{rules.cite(rules.ACTION_BASIS[action])}）",
            )
        if action == rules.Action.DECIDE:
            _flag_discretion(case, command)
    approval = Approval(
        case=case,
        kind=kind,
        proposal=command.model_dump(mode="json"),
        reason=reason,
        requested_by=user_of(actor),
    )
    approval.attachment_sha256 = attach(approval.attachment, filename, attachment)
    try:
        with transaction.atomic():
            approval.save()
    except IntegrityError:
        raise DomainError(
            "approval_pending", f"已有待审批的{approval.get_kind_display()}，请等待负责人审批", "kind"
        ) from None
    event(
        case,
        actor,
        "request_approval",
        note=f"提请{approval.get_kind_display()}" + (f"：{reason}" if reason else ""),
    )
    audit.record(
        actor,
        "case.request_approval",
        case,
        after={"approval": approval.pk, "kind": kind, "proposal": approval.proposal, "reason": reason},
    )
    return approval


def _flag_discretion(case: Case, command: commands.Decide) -> None:
    """A proposed fine outside the discretion baseline makes the case need legal review before
    the head can decide (国办发〔2022〕27号; 行政处罚法第五十八条): the officer learns it now."""
    data = command.facts()
    if "penalties_decided" not in data:
        data["penalties_decided"] = case.penalties_intended
    data.pop("decision_date", None)
    facts = build_facts(case, data)
    if rules.fine_total(facts.penalties_decided) > 0:
        needs_review, _ = discretion_check(case, facts, command.circumstances, command.deviation_reason)
        if needs_review and not case.extra_facts.get("review_required_by_discretion"):
            case.extra_facts = {**case.extra_facts, "review_required_by_discretion": True}
            case.save(update_fields=["extra_facts", "updated_at"])


def _locked_approval(actor, approval_id: int) -> tuple[Approval, Case]:
    approval = access.get_visible(actor, Approval.objects.select_related("case"), approval_id)
    case = locked_case(actor, approval.case_id, permission=None)
    approval = Approval.objects.select_for_update().get(pk=approval.pk)
    if approval.status != Approval.Status.PENDING:
        raise DomainError("approval_not_pending", f"该审批已{approval.get_status_display()}", "approval")
    return approval, case


@transaction.atomic
def decide_approval(actor, approval_id: int, data: dict[str, Any]) -> Approval:
    """The head approves (performing the act) or returns it with an opinion."""
    decision = parse(commands.ApprovalDecision, data)
    approval, case = _locked_approval(actor, approval_id)
    access.require(actor, APPROVAL_PERMISSION[approval.kind], case)
    on = decision.as_of or today()
    if on > today():
        raise ValidationError({"as_of": ValidationError("审批日期不能晚于今天", code="future_date")})
    approval.decided_by = user_of(actor)
    approval.decided_at = timezone.now()
    approval.decided_on = on
    approval.opinion = decision.opinion
    if not decision.approve:
        if not decision.opinion:
            raise ValidationError({"opinion": ValidationError("退回须写明审批意见", code="required")})
        approval.status = Approval.Status.RETURNED
        approval.save()
        event(
            case,
            actor,
            "return_approval",
            on=on,
            note=f"退回{approval.get_kind_display()}：{decision.opinion}",
        )
        bump(case)
        audit.record(
            actor,
            "case.return_approval",
            case,
            after={"approval": approval.pk, "kind": approval.kind, "opinion": decision.opinion},
        )
        return approval
    approval.status = Approval.Status.APPROVED
    approval.save()
    command = proposal_command(approval.kind, approval.proposal)
    audit.record(
        actor,
        "case.approve",
        case,
        after={"approval": approval.pk, "kind": approval.kind, "opinion": decision.opinion, "on": on},
        legal_basis=access.get_permission(APPROVAL_PERMISSION[approval.kind]).basis,
    )
    if approval.kind in ACTION_OF_APPROVAL:
        perform(
            actor, case, ACTION_OF_APPROVAL[approval.kind], command, note=decision.opinion, approval=approval
        )
    elif approval.kind in _HANDLERS:
        _HANDLERS[approval.kind][1](actor, case, approval, command, on)
    else:
        _record_approved(actor, case, approval, command, on)
    return approval


def _record_approved(actor, case: Case, approval: Approval, command, on: dt.date) -> None:
    if approval.kind == Approval.Kind.REMISSION:
        # 行政强制法第四十二条: in an execution agreement, after the demand, the surcharge may be
        # reduced or waived when the party takes remedial measures — never the fine itself.
        if case.state != rules.State.COMPULSORY_EXECUTION:
            raise DomainError(
                "remission_not_allowed",
                "减免加处罚款仅限催告后达成执行协议的情形（行政强制法第四十二条）",
                "kind",
            )
        facts = build_facts(case, {"as_of": on})
        config = _config()
        due = rules.payment_due(facts, config)
        surcharge = (
            rules.late_surcharge(
                rules.fine_total(facts.penalties_decided), due, on, config.late_surcharge_rate
            )
            if due
            else Decimal("0")
        )
        if facts.surcharge_remitted > surcharge:  # this approval is already counted in the facts
            raise DomainError(
                "remission_too_large",
                f"减免后的总数额超过加处罚款{surcharge}元（行政强制法第四十二条）",
                "amount",
            )
        note, basis = f"减免加处罚款{command.amount}元：{command.reason}", "《行政强制法》第四十二条"
    elif approval.kind == Approval.Kind.EXTENSION:
        if case.state not in {s.value for s in rules.State} - {"decided", "served", "closed", "archived"}:
            raise DomainError(
                "extension_not_allowed", "已作出决定的案件无需延长办案期限（行政处罚法第六十条）", "kind"
            )
        note, basis = f"延长办案期限{command.days}日：{command.basis}", "《行政处罚法》第六十条"
    else:
        from .remedies import change_decision

        change_decision(actor, case, command, on)
        return
    from ..facts import apply_facts

    apply_facts(case, build_facts(case, {"as_of": on}))
    case.version += 1
    case.save()
    event(case, actor, f"approve_{approval.kind}", on=on, note=note, article=basis)


def _config():
    from .common import case_config

    return case_config()


@transaction.atomic
def withdraw_approval(actor, approval_id: int) -> Approval:
    """The officer who asked takes the request back before the head decides."""
    approval, case = _locked_approval(actor, approval_id)
    access.require(actor, "cases.request_approval", case)
    if approval.requested_by_id != getattr(actor, "pk", None):
        raise DomainError("not_requester", "只有提请人可以撤回审批", "approval")
    approval.status = Approval.Status.WITHDRAWN
    approval.save(update_fields=["status"])
    audit.record(actor, "case.withdraw_approval", case, after={"approval": approval.pk})
    return approval
