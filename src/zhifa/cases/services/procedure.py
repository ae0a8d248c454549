"""Opening a case, its officers, and the one transition service.

``transition`` takes one action's typed command (``commands.ACTION_COMMANDS``), checks that the
actor holds the act (``access.ACTION_PERMISSION``: the head files and decides, the heads
deliberate, officers do the rest), asks ``rules.check`` and writes nothing when the law refuses.
When the head performs an act that is normally asked of him, the act is recorded as his approval."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from pydantic import Field

from zhifa.catalog.models import Claim, EnforcementItem
from zhifa.core import access, audit
from zhifa.core.commands import parse
from zhifa.core.errors import DomainError
from zhifa.organizations.models import Officer, Organization, User
from zhifa.parties.models import Party

from .. import commands, rules
from ..access import APPROVAL_FOR_ACTION, action_permission
from ..facts import build_facts, review_snapshot
from ..models import Approval, Case, CaseOfficer, Deliberation, LegalReview
from .common import (
    CASE_FIELDS,
    CaseRefused,
    allocate,
    bump,
    case_config,
    event,
    lock_act,
    locked_case,
    short_name,
    today,
    user_of,
)

CASE_NUMBER_KIND = "case"


class OpenCase(commands.Command):
    """案源登记: the party, the item, the act and the officers (the first is the lead)."""

    party_id: commands.Id
    item_id: commands.Id
    act_date: dt.date
    act_end_date: dt.date | None = None
    discovery_date: dt.date | None = None
    summary: commands.LongText = ""
    procedure: rules.Procedure = rules.Procedure.GENERAL
    officer_ids: list[commands.Id] = []
    organization_id: commands.Id | None = None
    legal_basis: commands.Text = ""
    source: Literal["patrol", "incident", "inspection", "complaint", "referral", "non_site", "other"] = (
        "patrol"
    )
    source_ref: Annotated[str, Field(max_length=80)] = ""


def _legacy(data: dict[str, Any]) -> dict[str, Any]:
    """Forms pass model instances under their names; the command takes ids."""
    out = dict(data)
    for name in ("party", "item", "organization"):
        if name in out:
            value = out.pop(name)
            if value is not None:
                out[f"{name}_id"] = getattr(value, "pk", value)
    if "officers" in out:
        out["officer_ids"] = [getattr(o, "pk", o) for o in out.pop("officers") or () if o is not None]
    return {k: v for k, v in out.items() if v is not None}


def _require_party_identifier(party: Party) -> None:
    # 行政处罚法第五十九条第一款第一项: the decision names the party; a party is identified by its
    # USCC (GB 32100-2015) or citizen ID number (GB 11643-1999).
    if party.kind == Party.Kind.PERSON and not party.id_number:
        raise DomainError(
            "party_identifier_missing",
            "当事人缺少公民身份号码，不能立案或作出处罚决定（行政处罚法第五十九条第一款第一项）",
            "party",
        )
    if party.kind != Party.Kind.PERSON and not party.uscc:
        raise DomainError(
            "party_identifier_missing",
            "当事人缺少统一社会信用代码，不能立案或作出处罚决定（行政处罚法第五十九条第一款第一项）",
            "party",
        )


def _require_item_held(organization: Organization, item: EnforcementItem, act_date: dt.date) -> None:
    """A case is bound to the law its body holds: the item is a penalty item, in force on the act
    date (行政处罚法第三十七条), and claimed by the body or a body above it (第十七条、第二十四条)."""
    if item.kind != "penalty":
        raise DomainError("item_not_penalty", "所选事项不是行政处罚事项（行政处罚法第四条）", "item_id")
    if (item.effective_from and act_date < item.effective_from) or (
        item.effective_to and act_date > item.effective_to
    ):
        raise DomainError(
            "item_not_in_force", "违法行为发生时该执法事项不在有效期内（行政处罚法第三十七条）", "item_id"
        )
    if not Claim.objects.filter(item=item, organization_id__in=organization.ancestor_ids()).exists():
        raise DomainError(
            "item_not_claimed",
            f"“{organization.name}”未认领该执法事项，不能以本机关名义办理（行政处罚法第十七条、第二十四条）",
            "item_id",
        )


@transaction.atomic
def open_case(actor, data: dict[str, Any] | OpenCase) -> Case:
    """Register a case (案源登记) for the actor's organisation (or one in his scope)."""
    command = parse(OpenCase, data if isinstance(data, OpenCase) else _legacy(data))
    organization = (
        access.get_visible(actor, Organization, command.organization_id, input_field="organization_id")
        if command.organization_id
        else getattr(actor, "organization", None)
    )
    if organization is None:
        raise ValidationError({"organization_id": ValidationError("请选择办案机关", code="required")})
    access.require(actor, "cases.open", organization)
    party = access.get_visible(actor, Party, command.party_id, input_field="party_id")
    item = access.get_visible(actor, EnforcementItem, command.item_id, input_field="item_id")
    discovery = command.discovery_date or today()
    errors = {}
    if command.act_date > today():
        errors["act_date"] = ValidationError("违法行为发生日期不能晚于今天", code="future_date")
    if discovery > today():
        errors["discovery_date"] = ValidationError("发现日期不能晚于今天", code="future_date")
    elif discovery < command.act_date:
        errors["discovery_date"] = ValidationError(
            "发现日期不能早于违法行为发生日期（行政处罚法第三十六条）", code="discovery_before_act"
        )
    if command.act_end_date and command.act_end_date < command.act_date:
        errors["act_end_date"] = ValidationError("违法行为终了日期不能早于发生日期", code="end_before_start")
    if errors:
        raise ValidationError(errors)
    _require_party_identifier(party)
    _require_item_held(organization, item, command.act_date)
    officers = [
        access.get_visible(actor, Officer, pk, input_field="officer_ids") for pk in command.officer_ids
    ]
    year = discovery.year
    seq = allocate(organization, CASE_NUMBER_KIND, year)
    case = Case(
        organization=organization,
        party=party,
        item=item,
        procedure=command.procedure.value,
        summary=command.summary,
        act_date=command.act_date,
        act_end_date=command.act_end_date,
        discovery_date=discovery,
        legal_basis=command.legal_basis
        or "；".join(f"《{b.law}》{b.article}{b.clause}" for b in item.legal_bases.all()),
        act_key=Case.make_act_key(item.pk, party.pk, command.act_date),
        created_by=user_of(actor),
        source=command.source,
        source_ref=command.source_ref,
        number=f"{short_name(organization)}案〔{year}〕{seq}号",
    )
    case.full_clean(exclude=["act_key"])
    case.save()
    for position, officer in enumerate(officers):
        _add_officer(case, officer, CaseOfficer.Role.LEAD if position == 0 else CaseOfficer.Role.ASSIST)
    event(case, actor, "", from_state="", on=discovery, note="案源登记", article="《行政处罚法》第五十四条")
    audit.record(
        actor,
        "case.open",
        case,
        after=audit.snapshot(case, CASE_FIELDS),
        legal_basis="《行政处罚法》第五十四条",
    )
    return case


def _add_officer(case: Case, officer: Officer, role: str, assisting: bool = False) -> CaseOfficer:
    if not officer.is_active:
        raise ValidationError({"officer_ids": ValidationError("执法人员不在岗", code="officer_inactive")})
    if officer.is_auxiliary and not assisting:
        raise DomainError(
            "auxiliary_officer",
            "执法辅助人员只能协助办案，不能作为办案执法人员（行政处罚法第四十二条、第五十五条）",
            "officer_id",
        )
    row, _ = CaseOfficer.objects.update_or_create(
        case=case, officer=officer, defaults={"role": role, "assisting": assisting}
    )
    return row


class AssignOfficer(commands.Command):
    officer_id: commands.Id
    role: Literal["lead", "assist"] = "assist"
    assisting: bool = False


@transaction.atomic
def assign_officer(
    actor, case_id: int, officer_id: int, role: str = CaseOfficer.Role.ASSIST, assisting: bool = False
) -> CaseOfficer:
    """Put an officer on the case. Auxiliary staff only as ``assisting``; the guards of
    ``rules`` (art. 42, 55) refuse investigating or deciding without two certified officers."""
    command = parse(AssignOfficer, {"officer_id": officer_id, "role": role, "assisting": assisting})
    case = locked_case(actor, case_id)
    officer = access.get_visible(actor, Officer, command.officer_id, input_field="officer_id")
    row = _add_officer(case, officer, command.role, command.assisting)
    bump(case)
    event(
        case,
        actor,
        "assign_officer",
        note=f"{officer.name}（{row.get_role_display()}）",
        article="《行政处罚法》第四十二条",
    )
    audit.record(
        actor,
        "case.assign_officer",
        case,
        after={
            "officer": officer.pk,
            "name": officer.name,
            "role": command.role,
            "assisting": command.assisting,
        },
        legal_basis="《行政处罚法》第四十二条",
    )
    return row


class RemoveOfficer(commands.Command):
    officer_id: commands.Id
    reason: commands.Required


@transaction.atomic
def remove_officer(actor, case_id: int, data: dict[str, Any]) -> None:
    """Take an officer off the case — on recusal (回避, 行政处罚法第四十三条) or reassignment — with
    the reason on the timeline."""
    command = parse(RemoveOfficer, data)
    case = locked_case(actor, case_id)
    row = (
        CaseOfficer.objects.filter(case=case, officer_id=command.officer_id).select_related("officer").first()
    )
    if row is None:
        raise ValidationError({"officer_id": ValidationError("该执法人员不在本案中", code="not_on_case")})
    row.delete()
    bump(case)
    event(
        case,
        actor,
        "remove_officer",
        note=f"{row.officer.name}：{command.reason}",
        article="《行政处罚法》第四十三条",
    )
    audit.record(
        actor,
        "case.remove_officer",
        case,
        before={"officer": row.officer_id, "role": row.role},
        after={"reason": command.reason},
        legal_basis="《行政处罚法》第四十三条",
    )


# --------------------------------------------------------------------------------------------
# the one transition service
# --------------------------------------------------------------------------------------------


def parse_action(action: str) -> rules.Action:
    try:
        action = rules.Action(action)
    except ValueError:
        raise ValidationError({"action": ValidationError("未知的办案操作", code="unknown_action")}) from None
    if action in commands.PAYMENT_ACTIONS:
        raise ValidationError(
            {
                "action": ValidationError(
                    "缴款请通过“登记缴款”办理（金额、票据号由缴款记录计算）", code="use_record_payment"
                )
            }
        )
    return action


def command_for(action: rules.Action, data: dict[str, Any] | None) -> commands.CaseCommand:
    return commands.parse_case(commands.ACTION_COMMANDS[action], data)


@transaction.atomic
def transition(
    actor,
    case_id: int,
    action: str,
    data: dict[str, Any] | None = None,
    *,
    expected_version: int | None = None,
    note: str = "",
) -> Case:
    """Take ``action`` on the case if the actor holds it and the law allows it; nothing is written
    when either refuses."""
    action = parse_action(action)
    command = command_for(action, data)
    case = locked_case(actor, case_id, permission=None)
    access.require(actor, action_permission(action), case)
    if expected_version is not None and expected_version != case.version:
        raise DomainError(
            "case_version_conflict", f"案件已被他人修改（当前版本{case.version}），请刷新后重试", "version"
        )
    if action in APPROVAL_FOR_ACTION:
        # The head acts himself: his act is his approval, recorded like one.
        approval = Approval.objects.create(
            case=case,
            kind=APPROVAL_FOR_ACTION[action],
            status=Approval.Status.APPROVED,
            proposal=command.model_dump(mode="json"),
            reason=note,
            requested_by=user_of(actor),
            decided_by=user_of(actor),
            decided_at=timezone.now(),
            decided_on=command.on() or today(),
            opinion=note,
        )
        return perform(actor, case, action, command, note=note, approval=approval)
    return perform(actor, case, action, command, note=note)


def perform(
    actor,
    case: Case,
    action: rules.Action,
    command: commands.CaseCommand,
    *,
    note: str = "",
    approval: Approval | None = None,
) -> Case:
    """Apply an action whose holder has been checked: the special records of some actions, then
    the rules, then the write, the timeline event and the audit entry."""
    data = command.facts()
    date_field = rules.ACTION_DATE_FIELD.get(action)
    on = command.on() or (approval.decided_on if approval else None) or today()
    if date_field and date_field not in data:
        data[date_field] = on
    if not date_field:
        data["as_of"] = on
    if action in (rules.Action.DECIDE, rules.Action.DECIDE_ON_SPOT):
        lock_act(case.act_key)
    extra_note = ""
    if action == rules.Action.DECIDE:
        data, extra_note = _decision_data(case, command, data)
    elif action == rules.Action.HOLD_HEARING and getattr(command, "party_absent", False):
        # 行政处罚法第六十四条第八项: absent without cause → the hearing right is waived.
        action = rules.Action.WITHDRAW_HEARING_REQUEST
        data = {"as_of": on, "hearing_request_withdrawn": True}
        extra_note = "当事人无正当理由拒不出席听证，视为放弃听证权利（行政处罚法第六十四条第八项）"
    elif action == rules.Action.HOLD_HEARING:
        data["hearing_held_on"] = on
        extra_note = f"听证笔录：{command.record}" if command.record else ""
    elif action == rules.Action.WITHDRAW_HEARING_REQUEST:
        data["hearing_request_withdrawn"] = True
    special = None
    if action == rules.Action.DELIBERATE:
        special = lambda: _record_deliberation(actor, case, command, on)  # noqa: E731
    elif action == rules.Action.SUBMIT_LEGAL_REVIEW:
        special = lambda: _open_review(actor, case, on, case_config())  # noqa: E731
    text = "；".join(
        filter(
            None,
            (
                note,
                getattr(command, "reason", "") or "",
                extra_note,
                f"审批：{approval.get_kind_display()}" if approval else "",
            ),
        )
    )
    return apply_action(actor, case, action, data, note=text, before_write=special)


def apply_action(
    actor, case: Case, action: rules.Action, data: dict[str, Any], *, note: str = "", before_write=None
) -> Case:
    """Ask the rules; on yes write the facts, the new state, the timeline event and the audit entry."""
    from ..facts import apply_facts

    facts = build_facts(case, data)
    result = rules.check(case.state, action, facts, case_config())
    if not result.allowed:
        raise CaseRefused(result.refusals)
    if before_write is not None:
        before_write()
    before = audit.snapshot(case, CASE_FIELDS)
    from_state = case.state
    if action == rules.Action.FILE:
        case.procedure = rules.Procedure.GENERAL.value
    apply_facts(case, facts)
    case.state = result.next_state.value
    case.version += 1
    case.save()
    basis = rules.cite(rules.ACTION_BASIS[action])
    event(
        case,
        actor,
        action.value,
        from_state=from_state,
        on=rules.action_date(action, facts),
        note=note,
        article=basis,
        flags=[{"code": f.code, "message": f.message} for f in result.flags],
    )
    audit.record(
        actor,
        f"case.{action.value}",
        case,
        before=before,
        after=audit.snapshot(case, CASE_FIELDS),
        legal_basis=basis,
    )
    return case


def _decision_data(case: Case, command: commands.Decide, data: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """The decision follows the heads' deliberation when there was one (第五十七条第二款), else the
    notice; a fine outside the discretion baseline needs a reason and a legal review (国办发〔2022〕27号)."""
    deliberation = Deliberation.objects.filter(case=case).order_by("-held_on", "-id").first()
    if deliberation is not None:
        if deliberation.conclusion != Deliberation.Conclusion.PENALTY:
            raise DomainError(
                "decision_against_deliberation",
                f"集体讨论结论为“{deliberation.get_conclusion_display()}”，不能作出行政处罚决定"
                "（行政处罚法第五十七条第二款）",
                "penalties_decided",
            )
        concluded = deliberation.penalties
        if "penalties_decided" in data and _norm(data["penalties_decided"]) != _norm(concluded):
            raise DomainError(
                "decision_against_deliberation",
                "处罚决定须与集体讨论决定的处罚一致（行政处罚法第五十七条第二款）",
                "penalties_decided",
            )
        data["penalties_decided"] = concluded
    elif "penalties_decided" not in data and not case.penalties_decided:
        data["penalties_decided"] = case.penalties_intended
    facts = build_facts(case, data)
    remark = ""
    if rules.fine_total(facts.penalties_decided) > 0:
        needs_review, remark = discretion_check(case, facts, command.circumstances, command.deviation_reason)
        if needs_review:
            case.extra_facts = {**case.extra_facts, "review_required_by_discretion": True}
    return data, remark


def _norm(penalties: list[dict[str, Any]]) -> list[tuple]:
    return sorted(
        (
            p["kind"],
            f"{Decimal(str(p['amount'])):.2f}" if p.get("amount") is not None else "",
            p.get("duration_days") or 0,
        )
        for p in penalties
    )


def discretion_check(
    case: Case, facts: rules.CaseFacts, circumstances: dict, reason: str
) -> tuple[bool, str]:
    """A decision follows the discretion baseline in force when the case was filed (国办发〔2022〕27号;
    行政处罚法第三十四条): a fine outside the recommended range needs a written reason and forces legal
    review (第五十八条). Returns (needs legal review, what to record); items without a baseline pass."""
    from zhifa.discretion import rules as discretion_rules
    from zhifa.discretion import selectors as discretion_selectors
    from zhifa.discretion.services import recommend_for

    filed_on = case.filing_date or today()
    if discretion_selectors.baseline_in_force(case.item, filed_on) is None:
        return False, ""
    recommendation = recommend_for(case.item, circumstances, filed_on)
    result = discretion_rules.deviation_check(
        recommendation, rules.fine_total(facts.penalties_decided), reason
    )
    if not result.allowed:
        raise DomainError(result.code, result.message, "penalties_decided")
    return result.needs_legal_review, f"裁量基准：{result.message}" + (
        f"；偏离理由：{reason}" if reason else ""
    )


def _record_deliberation(actor, case: Case, command: commands.Deliberate, on: dt.date) -> Deliberation:
    """The heads' meeting (第五十七条第二款): chair and participants are heads of the body."""
    heads = {
        u.pk: u
        for u in access.visible_to(actor, User).filter(pk__in=[command.chair_id, *command.participant_ids])
    }
    missing = [pk for pk in {command.chair_id, *command.participant_ids} if pk not in heads]
    if missing:
        raise ValidationError(
            {"participant_ids": ValidationError("参加人员不存在或不在本机关", code="not_found")}
        )
    not_heads = [
        u.display_name or u.username for u in heads.values() if not access.can(u, "cases.deliberate", case)
    ]
    if not_heads:
        raise DomainError(
            "not_a_head",
            f"{'、'.join(not_heads)}不是本机关负责人，不能参加集体讨论（行政处罚法第五十七条第二款）",
            "participant_ids",
        )
    if command.conclusion == "penalty" and not command.penalties:
        raise ValidationError({"penalties": ValidationError("结论为给予处罚时须写明处罚", code="required")})
    deliberation = Deliberation.objects.create(
        case=case,
        held_on=on,
        chair=heads[command.chair_id],
        minutes=command.minutes,
        conclusion=command.conclusion,
        penalties=commands.penalties(command.penalties) or [],
        others_present=command.others_present,
        recorded_by=user_of(actor),
    )
    deliberation.participants.set([heads[pk] for pk in command.participant_ids])
    audit.record(
        actor,
        "case.deliberation",
        case,
        after={
            "deliberation": deliberation.pk,
            "held_on": on,
            "conclusion": command.conclusion,
            "participants": sorted(command.participant_ids),
        },
        legal_basis="《行政处罚法》第五十七条第二款",
    )
    return deliberation


def _open_review(actor, case: Case, on: dt.date, config: rules.CaseConfig) -> LegalReview:
    """Submit for legal review (第五十八条): to the district centre when the body uses one and the
    case is major or the body has no reviewer of its own (区乡案件分类分级审核), else to the body's
    own legal staff; due after the centre's (or the default) time limit in working days."""
    from .review import route_review

    centre, limit = route_review(case)
    return LegalReview.objects.create(
        case=case,
        centre=centre,
        submitted_by=user_of(actor),
        submitted_on=on,
        due_on=config.calendar.add_working_days(on, limit),
        proposal=review_snapshot(case),
    )
