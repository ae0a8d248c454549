"""Every write to a penalty case: transactional, permission-checked, row-locked and audited.

All state changes go through :func:`transition`, which asks ``rules.check`` and writes nothing
when the law refuses the action."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from zhifa.catalog.models import EnforcementItem
from zhifa.core import audit
from zhifa.core.calendars import district_calendar
from zhifa.core.errors import DomainError, NotFound, PermissionDenied
from zhifa.core.scopes import Scope
from zhifa.organizations.models import Officer, Organization
from zhifa.parties.models import Party

from . import rules
from .facts import build_facts, clean_data
from .models import Case, CaseEvent, CaseOfficer, Document, DocumentCounter, Evidence, Payment, RemedyOutcome

#: Roles that handle cases. The command centre, guidance office and supervisors only read.
HANDLER_ROLES = frozenset({"officer", "township_leader", "department_admin", "legal_reviewer"})
CASE_FIELDS = ("number", "procedure", "state", "party_id", "item_id", "act_date", "filing_date", "decision_date",
               "service_date", "penalties_intended", "penalties_decided", "amount_paid", "version")

#: The word of each document kind in its number: 衢江综执罚决字〔2026〕第12号.
DOCUMENT_WORDS = {
    Document.Kind.FILING_APPROVAL: "立审", Document.Kind.NOTICE: "罚告", Document.Kind.HEARING_NOTICE: "听通",
    Document.Kind.DECISION: "罚决", Document.Kind.SUMMARY_DECISION: "简罚", Document.Kind.NO_PENALTY_DECISION: "不罚",
    Document.Kind.SERVICE_RECEIPT: "送达", Document.Kind.PAYMENT_DEMAND: "催告",
}
CASE_NUMBER_KIND = "case"

#: When a document may be issued: (condition on the case, refusal message with its article).
DOCUMENT_PRECONDITIONS = {
    Document.Kind.NOTICE: (lambda c: c.notice_date is not None, "尚未告知拟作出的行政处罚，不能出具告知书（行政处罚法第四十四条）"),
    Document.Kind.HEARING_NOTICE: (lambda c: c.hearing_requested_on is not None,
                                   "当事人未申请听证，不能出具听证通知书（行政处罚法第六十四条）"),
    Document.Kind.DECISION: (lambda c: c.procedure == "general" and c.decision_date is not None and c.state != "no_penalty",
                             "尚未作出行政处罚决定，不能出具处罚决定书（行政处罚法第五十九条）"),
    Document.Kind.SUMMARY_DECISION: (lambda c: c.procedure == "summary" and c.decision_date is not None,
                                     "尚未当场作出处罚决定，不能出具当场处罚决定书（行政处罚法第五十二条）"),
    Document.Kind.NO_PENALTY_DECISION: (lambda c: c.state == "no_penalty",
                                        "尚未作出不予行政处罚决定（行政处罚法第五十七条第一款）"),
    Document.Kind.SERVICE_RECEIPT: (lambda c: c.decision_date is not None or c.state == "no_penalty",
                                    "尚无可送达的决定书（行政处罚法第六十一条）"),
    Document.Kind.PAYMENT_DEMAND: (lambda c: c.state == "compulsory_execution", "尚未进入催告程序（行政强制法第五十四条）"),
}


class CaseRefused(DomainError):
    """``rules.check`` refused the action: ``code``/``message`` of the first refusal (the message
    ends with its article); every refusal in ``refusals``."""

    def __init__(self, refusals: list[rules.Refusal]):
        first = refusals[0]
        super().__init__(first.code, first.message)
        self.refusals = refusals
        self.article = first.article


def case_config() -> rules.CaseConfig:
    """Configuration data (hearing thresholds etc.) from ``settings.ZHIFA_CASE_CONFIG`` plus the
    district's working-day calendar."""
    data = dict(settings.ZHIFA_CASE_CONFIG)
    thresholds = data.pop("hearing_thresholds", None)
    return rules.CaseConfig(hearing_thresholds=rules.HearingThresholds(**thresholds) if thresholds else None,
                            calendar=district_calendar(), **data)


def today() -> dt.date:
    return timezone.localdate()


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------

def _require_handler(actor, organization: Organization) -> None:
    if not actor.is_superuser and actor.role not in HANDLER_ROLES:
        raise PermissionDenied("只有执法机关的办案人员可以办理案件")
    if not Scope.for_user(actor).covers_organization(organization):
        raise PermissionDenied("不能办理本机构以外的案件")


def _locked_case(actor, case_id: int) -> Case:
    case = (Scope.for_user(actor).filter(Case.objects.select_for_update(of=("self",)))
            .select_related("organization", "party", "item__domain").filter(pk=case_id).first())
    if case is None:
        raise NotFound()
    _require_handler(actor, case.organization)
    return case


def _require_party_identifier(party: Party) -> None:
    # 行政处罚法第五十九条第一款第一项: the decision names the party; a party is identified by its
    # USCC (GB 32100-2015) or citizen ID number (GB 11643-1999).
    if party.kind == Party.Kind.PERSON and not party.id_number:
        raise DomainError("party_identifier_missing", "当事人缺少公民身份号码，不能立案或作出处罚决定（行政处罚法第五十九条第一款第一项）", "party")
    if party.kind != Party.Kind.PERSON and not party.uscc:
        raise DomainError("party_identifier_missing", "当事人缺少统一社会信用代码，不能立案或作出处罚决定（行政处罚法第五十九条第一款第一项）", "party")


def _allocate(organization: Organization, kind: str, year: int) -> int:
    """Take the next number: the counter row is created if missing and locked, so two
    transactions never share a number and a rolled-back transaction gives its number back."""
    DocumentCounter.objects.bulk_create([DocumentCounter(organization=organization, kind=kind, year=year)],
                                        ignore_conflicts=True)
    counter = DocumentCounter.objects.select_for_update().get(organization=organization, kind=kind, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def _user(actor):
    """The user for ``*_by`` columns; integrations acting with an API key are recorded in the audit log only."""
    from django.contrib.auth import get_user_model

    return actor if isinstance(actor, get_user_model()) else None


def _short_name(organization: Organization) -> str:
    return organization.short_name or organization.name


# --------------------------------------------------------------------------------------------
# opening a case, officers
# --------------------------------------------------------------------------------------------

@transaction.atomic
def open_case(actor, data: dict[str, Any]) -> Case:
    """Register a case (案源登记). ``data``: party, item, procedure, summary, act_date, discovery_date,
    officers (ids; the first is the lead) and optional organization (defaults to the actor's)."""
    organization = data.get("organization") or actor.organization
    if organization is None:
        raise ValidationError({"organization": ValidationError("请选择办案机关", code="required")})
    _require_handler(actor, organization)
    party, item = data.get("party"), data.get("item")
    errors = {}
    if party is None:
        errors["party"] = ValidationError("请选择当事人", code="required")
    if item is None:
        errors["item"] = ValidationError("请选择执法事项", code="required")
    act_date = data.get("act_date")
    if act_date is None:
        errors["act_date"] = ValidationError("请填写违法行为发生日期", code="required")
    elif act_date > today():
        errors["act_date"] = ValidationError("违法行为发生日期不能晚于今天", code="future_date")
    if errors:
        raise ValidationError(errors)
    if isinstance(party, int):
        party = Party.objects.get(pk=party)
    if isinstance(item, int):
        item = EnforcementItem.objects.get(pk=item)
    _require_party_identifier(party)
    # 行政处罚法第三十七条: the item (and its law) in force when the act took place.
    if (item.effective_from and act_date < item.effective_from) or (item.effective_to and act_date > item.effective_to):
        raise DomainError("item_not_in_force", "违法行为发生时该执法事项不在有效期内（行政处罚法第三十七条）", "item")
    if item.kind != "penalty":
        raise DomainError("item_not_penalty", "所选事项不是行政处罚事项（行政处罚法第四条）", "item")
    procedure = rules.Procedure(data.get("procedure", rules.Procedure.GENERAL))
    year = (data.get("discovery_date") or today()).year
    seq = _allocate(organization, CASE_NUMBER_KIND, year)
    case = Case(
        organization=organization, party=party, item=item, procedure=procedure.value,
        summary=data.get("summary", ""), act_date=act_date, act_end_date=data.get("act_end_date"),
        discovery_date=data.get("discovery_date") or today(),
        legal_basis=data.get("legal_basis") or "；".join(f"《{b.law}》{b.article}{b.clause}" for b in item.legal_bases.all()),
        act_key=Case.make_act_key(item.pk, party.pk, act_date), created_by=_user(actor),
        number=f"{_short_name(organization)}案〔{year}〕{seq}号",
    )
    case.full_clean(exclude=["act_key"])
    case.save()
    for position, officer in enumerate(data.get("officers") or ()):
        _add_officer(case, officer, CaseOfficer.Role.LEAD if position == 0 else CaseOfficer.Role.ASSIST)
    CaseEvent.objects.create(case=case, action="", from_state="", to_state=case.state, on=case.discovery_date,
                             actor=_user(actor), note="案源登记", article="《行政处罚法》第五十四条")
    audit.record(actor, "case.open", case, after=audit.snapshot(case, CASE_FIELDS), legal_basis="《行政处罚法》第五十四条")
    return case


def _add_officer(case: Case, officer, role: str, assisting: bool = False) -> CaseOfficer:
    officer = officer if isinstance(officer, Officer) else Officer.objects.filter(pk=officer).first()
    if officer is None or not officer.is_active:
        raise ValidationError({"officers": ValidationError("执法人员不存在或不在岗", code="officer_unknown")})
    row, _ = CaseOfficer.objects.update_or_create(case=case, officer=officer,
                                                  defaults={"role": role, "assisting": assisting})
    return row


@transaction.atomic
def assign_officer(actor, case_id: int, officer_id: int, role: str = CaseOfficer.Role.ASSIST,
                   assisting: bool = False) -> CaseOfficer:
    """Put an officer on the case. Auxiliary staff only as ``assisting``; the guards of
    ``rules`` (art. 42, 55) refuse investigating or deciding without two certified officers."""
    case = _locked_case(actor, case_id)
    officer = Officer.objects.filter(pk=officer_id).first()
    if officer is not None and officer.is_auxiliary and not assisting:
        raise DomainError("auxiliary_officer", "执法辅助人员只能协助办案，不能作为办案执法人员（行政处罚法第四十二条、第五十五条）",
                          "officer")
    row = _add_officer(case, officer or officer_id, role, assisting)
    case.version += 1
    case.save(update_fields=["version", "updated_at"])
    audit.record(actor, "case.assign_officer", case, after={"officer": officer_id, "role": role, "assisting": assisting},
                 legal_basis="《行政处罚法》第四十二条")
    return row


# --------------------------------------------------------------------------------------------
# the one transition service
# --------------------------------------------------------------------------------------------

@transaction.atomic
def transition(actor, case_id: int, action: str, data: dict[str, Any] | None = None, *,
               expected_version: int | None = None, note: str = "") -> Case:
    """Take ``action`` on the case if the law allows it. ``data`` holds new facts by their
    ``rules.CaseFacts`` names (e.g. ``decision_date``, ``penalties_decided``); nothing is written
    when the action is refused."""
    try:
        action = rules.Action(action)
    except ValueError:
        raise ValidationError({"action": ValidationError("未知的办案操作", code="unknown_action")}) from None
    data = dict(data or {})
    # The discretion facts and the reason for deviating are not case facts of the statute rules.
    discretion = {"circumstances": data.pop("circumstances", None) or {},
                  "reason": str(data.pop("deviation_reason", "") or "")}
    data = clean_data(data)
    if "amount_paid" in data:
        raise ValidationError({"amount_paid": ValidationError("缴款请通过“登记缴款”办理，已缴金额由缴款记录计算",
                                                              code="use_record_payment")})
    case = _locked_case(actor, case_id)
    if expected_version is not None and expected_version != case.version:
        raise DomainError("case_version_conflict", f"案件已被他人修改（当前版本{case.version}），请刷新后重试", "version")
    return _apply(actor, case, action, data, note, discretion=discretion)


def _discretion_check(case: Case, facts: rules.CaseFacts, circumstances: dict, reason: str) -> tuple[bool, str]:
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
    result = discretion_rules.deviation_check(recommendation, rules.fine_total(facts.penalties_decided), reason)
    if not result.allowed:
        raise DomainError(result.code, result.message, "penalties_decided")
    return result.needs_legal_review, f"裁量基准：{result.message}" + (f"；偏离理由：{reason}" if reason else "")


def _apply(actor, case: Case, action: rules.Action, data: dict[str, Any], note: str = "", *,
           discretion: dict | None = None) -> Case:
    from .facts import apply_facts

    if action in (rules.Action.FILE, rules.Action.DECIDE, rules.Action.DECIDE_ON_SPOT):
        _require_party_identifier(case.party)
    if action == rules.Action.DECIDE and "penalties_decided" not in data and not case.penalties_decided:
        data["penalties_decided"] = case.penalties_intended  # the penalty of the notice, unless the caller changes it
    date_field = rules.ACTION_DATE_FIELD.get(action)
    if date_field and date_field not in data:
        data[date_field] = data.get("as_of") or today()
    if not date_field and "as_of" not in data:
        data["as_of"] = today()
    facts = build_facts(case, data)
    if action == rules.Action.DECIDE and rules.fine_total(facts.penalties_decided) > 0:
        discretion = discretion or {}
        needs_review, remark = _discretion_check(case, facts, discretion.get("circumstances") or {},
                                                 discretion.get("reason", ""))
        if needs_review and not facts.review_required_by_law:
            data["review_required_by_law"] = True  # the guard of 第五十八条 then requires a passed review
            facts = build_facts(case, data)
        note = "；".join(filter(None, (note, remark)))
    result = rules.check(case.state, action, facts, case_config())
    if not result.allowed:
        raise CaseRefused(result.refusals)
    before = audit.snapshot(case, CASE_FIELDS)
    from_state = case.state
    if action == rules.Action.FILE:
        case.procedure = rules.Procedure.GENERAL.value
    apply_facts(case, facts)
    case.state = result.next_state.value
    case.version += 1
    case.save()
    basis = rules.cite(rules.ACTION_BASIS[action])
    CaseEvent.objects.create(case=case, action=action.value, from_state=from_state, to_state=case.state,
                             on=rules.action_date(action, facts), actor=_user(actor), note=note, article=basis,
                             flags=[{"code": f.code, "message": f.message} for f in result.flags])
    audit.record(actor, f"case.{action.value}", case, before=before, after=audit.snapshot(case, CASE_FIELDS),
                 legal_basis=basis)
    return case


# --------------------------------------------------------------------------------------------
# evidence, payments, remedies
# --------------------------------------------------------------------------------------------

@transaction.atomic
def add_evidence(actor, case_id: int, data: dict[str, Any], content: bytes | None = None,
                 filename: str = "evidence.bin") -> Evidence:
    """证据 (行政处罚法第四十六条); the file's SHA-256 is kept so later changes show (第四十七条)."""
    case = _locked_case(actor, case_id)
    if case.state in (rules.State.CLOSED, rules.State.ARCHIVED):
        raise DomainError("case_closed", "案件已结案，不能补充证据（行政处罚法第四十七条）")
    evidence = Evidence(case=case, kind=data.get("kind", ""), description=data.get("description", ""),
                        collected_by=data.get("collected_by"), collected_at=data.get("collected_at") or timezone.now(),
                        added_by=_user(actor))
    if content is not None:
        evidence.sha256 = hashlib.sha256(content).hexdigest()
        evidence.file.save(filename, ContentFile(content), save=False)
    evidence.full_clean(exclude=["case", "file", "collected_by", "added_by"])
    evidence.save()
    audit.record(actor, "case.add_evidence", case, after={"evidence": evidence.pk, "kind": evidence.kind,
                                                          "sha256": evidence.sha256},
                 legal_basis="《行政处罚法》第四十六条、第四十七条")
    return evidence


@transaction.atomic
def record_payment(actor, case_id: int, amount: Decimal, paid_on: dt.date, channel: str = Payment.Channel.BANK,
                   receipt_number: str = "") -> Payment:
    """A payment; the action (pay in full, in part, on the spot) follows from the amount due
    including the late surcharge (行政处罚法第七十二条)."""
    amount = Decimal(str(amount))
    if amount <= 0:
        raise ValidationError({"amount": ValidationError("缴纳金额必须大于零", code="amount_not_positive")})
    case = _locked_case(actor, case_id)
    config = case_config()
    paid_total = case.amount_paid + amount
    facts = build_facts(case, {"payment_date": paid_on, "amount_paid": paid_total})
    due = rules.amount_due(facts, paid_on, config)
    if paid_total > due:
        raise ValidationError({"amount": ValidationError(f"缴纳金额超过应缴金额{due}元", code="overpayment")})
    deadline = rules.payment_due(facts, config)
    surcharge = rules.late_surcharge(rules.fine_total(facts.penalties_decided), deadline, paid_on,
                                     config.late_surcharge_rate) if deadline else Decimal("0")
    data: dict[str, Any] = {"payment_date": paid_on, "amount_paid": paid_total}
    if channel == Payment.Channel.ON_SPOT:
        action = rules.Action.COLLECT_ON_SPOT
        data = {**data, "collected_on_spot_on": paid_on, "receipt_number": receipt_number}
    else:
        action = rules.Action.PAY if paid_total >= due else rules.Action.PAY_PART
    _apply(actor, case, action, data, note=f"缴纳{amount}元")
    payment = Payment.objects.create(case=case, amount=amount, surcharge=min(surcharge, amount), paid_on=paid_on,
                                     channel=channel, receipt_number=receipt_number, recorded_by=_user(actor))
    return payment


@transaction.atomic
def record_remedy(actor, case_id: int, data: dict[str, Any]) -> RemedyOutcome:
    """行政复议 (行政复议法第二十条) or 行政诉讼 (行政诉讼法第四十六条) and its outcome. A pending remedy
    stops an application for court execution (行政强制法第五十三条)."""
    case = _locked_case(actor, case_id)
    remedy = RemedyOutcome(case=case, kind=data.get("kind", ""), filed_on=data.get("filed_on"),
                           outcome=data.get("outcome", RemedyOutcome.Outcome.PENDING),
                           decided_on=data.get("decided_on"), note=data.get("note", ""))
    remedy.full_clean(exclude=["case"])
    remedy.save()
    pending = case.remedies.filter(outcome=RemedyOutcome.Outcome.PENDING).exists()
    extra = dict(case.extra_facts)
    if pending:
        extra["review_or_litigation_pending"] = True
    else:
        extra.pop("review_or_litigation_pending", None)
    case.extra_facts = extra
    case.version += 1
    case.save(update_fields=["extra_facts", "version", "updated_at"])
    basis = "《行政复议法》第二十条" if remedy.kind == RemedyOutcome.Kind.RECONSIDERATION else "《行政诉讼法》第四十六条"
    audit.record(actor, "case.record_remedy", case, after={"kind": remedy.kind, "outcome": remedy.outcome,
                                                           "filed_on": remedy.filed_on}, legal_basis=basis)
    return remedy


# --------------------------------------------------------------------------------------------
# documents
# --------------------------------------------------------------------------------------------

@transaction.atomic
def issue_document(actor, case_id: int, kind: str) -> Document:
    """Number (gap-free per organisation, kind and year), render and store a document PDF."""
    from .documents import render_pdf

    case = _locked_case(actor, case_id)
    if kind not in DOCUMENT_WORDS:
        raise ValidationError({"kind": ValidationError("未知的文书种类", code="unknown_kind")})
    precondition = DOCUMENT_PRECONDITIONS.get(kind)
    if precondition and not precondition[0](case):
        raise DomainError("document_premature", precondition[1], "kind")
    issued_at = timezone.now()
    year = timezone.localtime(issued_at).year
    seq = _allocate(case.organization, kind, year)
    number = f"{_short_name(case.organization)}{DOCUMENT_WORDS[kind]}字〔{year}〕第{seq}号"
    document = Document(case=case, kind=kind, number=number, year=year, seq=seq, issued_at=issued_at, issued_by=_user(actor))
    pdf = render_pdf(document, build_facts(case, {"as_of": timezone.localdate(issued_at)}), case_config())
    document.sha256 = hashlib.sha256(pdf).hexdigest()
    document.file.save(f"{case.pk}-{kind}-{year}-{seq}.pdf", ContentFile(pdf), save=False)
    document.save()
    audit.record(actor, "case.issue_document", case, after={"document": document.pk, "number": number,
                                                            "sha256": document.sha256},
                 legal_basis="《行政处罚法》第五十九条")
    return document
