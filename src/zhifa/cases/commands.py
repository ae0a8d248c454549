"""The typed input of every case action (DESIGN.md, "Inputs"): each lists exactly the fields its
action accepts; anything else is refused with 422 naming the field. Facts that define a case's
legal position — legal review, deliberation, waiver, approvals, court rulings — are in no command
of an officer's: they are rows made by the acts that record them (``models/acts.py``)."""

from __future__ import annotations

import datetime as dt
import typing
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import Field

from zhifa.core.commands import Command

from . import rules

Text = Annotated[str, Field(max_length=2000)]
LongText = Annotated[str, Field(max_length=10000)]
Required = Annotated[str, Field(min_length=1, max_length=2000)]
Money = Annotated[Decimal, Field(ge=0, le=Decimal("1000000000"), max_digits=14, decimal_places=2)]
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]


class PenaltyIn(Command):
    kind: rules.PenaltyKind
    amount: Money | None = None
    duration_days: Annotated[int, Field(ge=1, le=3650)] | None = None

    def as_fact(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind.value}
        if self.amount is not None:
            out["amount"] = str(self.amount)
        if self.duration_days is not None:
            out["duration_days"] = self.duration_days
        return out


def penalties(items: list[PenaltyIn] | None) -> list[dict[str, Any]] | None:
    if items is None:
        return None
    for position, item in enumerate(items):
        if (
            item.kind
            in (
                rules.PenaltyKind.FINE,
                rules.PenaltyKind.CONFISCATE_GAINS,
                rules.PenaltyKind.CONFISCATE_PROPERTY,
            )
            and not item.amount
        ):
            from django.core.exceptions import ValidationError

            raise ValidationError(
                {f"penalties.{position}.amount": ValidationError("罚款、没收须写明数额", code="required")}
            )
    return [p.as_fact() for p in items]


class CaseCommand(Command):
    """Every action command: ``facts()`` gives the case facts it sets (by ``rules.CaseFacts``
    names); the other fields are recorded by the service."""

    def facts(self) -> dict[str, Any]:
        return {}

    #: The field holding the action's date (``rules.ACTION_DATE_FIELD``, else ``as_of``).
    date_field: typing.ClassVar[str] = "as_of"

    def on(self) -> dt.date | None:
        return getattr(self, self.date_field, None)

    def dated(self, out: dict[str, Any]) -> dict[str, Any]:
        if self.on() is not None:
            out[self.date_field] = self.on()
        return out


class OnlyDate(CaseCommand):
    as_of: dt.date | None = None


class File(CaseCommand):
    """立案 (第五十四条): the head approves; the filing date is the approval date unless given."""

    date_field = "filing_date"
    filing_date: dt.date | None = None

    def facts(self):
        return self.dated({})


class DeclineFiling(OnlyDate):
    decline_reason: Required

    def facts(self):
        return {"decline_reason": self.decline_reason}


class StartInvestigation(OnlyDate):
    pass


NOTICE_CONTENTS = frozenset({"penalty", "facts", "reasons", "basis", "rights", "hearing_right"})


class Notify(CaseCommand):
    """告知 (第四十四条): the intended penalty, on the investigation's finding that the facts are
    clear; the notice is generated with every content item the article names."""

    date_field = "notice_date"
    notice_date: dt.date | None = None
    penalties_intended: Annotated[list[PenaltyIn], Field(min_length=1, max_length=10)]
    facts_clear: bool | None = None
    defence_deadline: dt.date | None = None
    legal_basis: Text | None = None

    def facts(self):
        # The platform generates the notice with every item art. 44 names (and the hearing right
        # where art. 63 gives it), so its contents are complete by construction.
        out: dict[str, Any] = {
            "penalties_intended": penalties(self.penalties_intended),
            "notice_contents": sorted(NOTICE_CONTENTS),
        }
        for name in ("facts_clear", "defence_deadline", "legal_basis"):
            if getattr(self, name) not in (None, ""):
                out[name] = getattr(self, name)
        return self.dated(out)


class RequestHearing(CaseCommand):
    """The party's request for a hearing (第六十四条第一项), dated the day the party asked."""

    date_field = "hearing_requested_on"
    hearing_requested_on: dt.date | None = None

    def facts(self):
        return self.dated({})


class WithdrawHearingRequest(OnlyDate):
    reason: Text = ""


class HoldHearing(CaseCommand):
    """听证 (第六十四条、第六十五条): the record; a party absent without cause waives the hearing."""

    date_field = "hearing_date"
    hearing_date: dt.date | None = None
    record: LongText = ""
    party_absent: bool = False

    def facts(self):
        return self.dated({})


class SubmitLegalReview(OnlyDate):
    pass


class ReturnForInvestigation(OnlyDate):
    reason: Required


class Decide(CaseCommand):
    """处罚决定 (第五十七条): the head decides; without penalties, the notified (or deliberated) ones."""

    date_field = "decision_date"
    decision_date: dt.date | None = None
    penalties_decided: Annotated[list[PenaltyIn], Field(min_length=1, max_length=10)] | None = None
    legal_basis: Text | None = None
    circumstances: dict[Annotated[str, Field(max_length=50)], Annotated[str, Field(max_length=200)]] = {}
    deviation_reason: Text = ""

    def facts(self):
        out: dict[str, Any] = {}
        if self.penalties_decided is not None:
            out["penalties_decided"] = penalties(self.penalties_decided)
        if self.legal_basis:
            out["legal_basis"] = self.legal_basis
        return self.dated(out)


class DecideNoPenalty(CaseCommand):
    """不予行政处罚 (第三十条、第三十一条、第三十三条、第三十六条、第四十条、第五十七条)."""

    date_field = "decision_date"
    decision_date: dt.date | None = None
    no_penalty_ground: rules.NoPenaltyGround
    education_given: bool = False
    education_note: Text = ""

    def facts(self):
        return self.dated(
            {"no_penalty_ground": self.no_penalty_ground.value, "education_given": self.education_given}
        )


class DecideOnSpot(CaseCommand):
    """当场处罚 (第五十一条、第五十二条): by the two officers on the spot."""

    date_field = "decision_date"
    decision_date: dt.date | None = None
    penalties_decided: Annotated[list[PenaltyIn], Field(min_length=1, max_length=3)]
    facts_clear: bool = True
    legal_basis: Text | None = None

    def facts(self):
        out = {"penalties_decided": penalties(self.penalties_decided), "facts_clear": self.facts_clear}
        if self.legal_basis:
            out["legal_basis"] = self.legal_basis
        return self.dated(out)


SERVICE_METHODS = {
    "direct": "直接送达",
    "left": "留置送达",
    "post": "邮寄送达",
    "entrusted": "委托送达",
    "electronic": "电子送达",
    "public_notice": "公告送达",
}


class Serve(CaseCommand):
    """送达 (第六十一条): electronic only with the party's signed confirmation."""

    date_field = "service_date"
    service_date: dt.date | None = None
    service_method: Literal["direct", "left", "post", "entrusted", "electronic", "public_notice"] = "direct"

    def facts(self):
        return self.dated({"service_method": self.service_method})


class Instalment(Command):
    due: dt.date
    amount: Money


class Defer(OnlyDate):
    """暂缓或分期 (第六十六条): on the party's application, approved by the head with a schedule;
    deferral_approved / deferred_until come from the approved row (``facts.acts_of_authority``)."""

    deferred_until: dt.date
    application_on: dt.date
    instalments: Annotated[list[Instalment], Field(max_length=24)] = []


class DemandPayment(CaseCommand):
    date_field = "demand_served_on"
    demand_served_on: dt.date | None = None

    def facts(self):
        return self.dated({})


class ApplyToCourt(CaseCommand):
    date_field = "court_applied_on"
    court_applied_on: dt.date | None = None
    court: Required

    def facts(self):
        return self.dated({})


class ReferCriminal(OnlyDate):
    suspected_crime: Required

    def facts(self):
        return {"suspected_crime": self.suspected_crime}


class Resume(CaseCommand):
    """继续办理: the public security body declined the referral (its written answer)."""

    date_field = "referral_declined_on"
    referral_declined_on: dt.date | None = None
    answer_number: Required

    def facts(self):
        return self.dated({})


class Transfer(OnlyDate):
    transfer_to: Required

    def facts(self):
        return {"transfer_to": self.transfer_to}


class RevokeFiling(OnlyDate):
    filing_revocation_reason: Required

    def facts(self):
        return {"filing_revocation_reason": self.filing_revocation_reason}


class Close(OnlyDate):
    pass


class Archive(OnlyDate):
    pass


class Deliberate(OnlyDate):
    """集体讨论 (第五十七条第二款): recorded by a head, with the heads present and the conclusion."""

    chair_id: Id
    participant_ids: Annotated[list[Id], Field(min_length=2, max_length=30)]
    minutes: Annotated[str, Field(min_length=1, max_length=20000)]
    conclusion: Literal["penalty", "no_penalty", "further_investigation"]
    penalties: Annotated[list[PenaltyIn], Field(max_length=10)] = []
    others_present: Text = ""


A = rules.Action
ACTION_COMMANDS: dict[rules.Action, type[CaseCommand]] = {
    A.FILE: File,
    A.DECLINE_FILING: DeclineFiling,
    A.START_INVESTIGATION: StartInvestigation,
    A.NOTIFY: Notify,
    A.REQUEST_HEARING: RequestHearing,
    A.WITHDRAW_HEARING_REQUEST: WithdrawHearingRequest,
    A.HOLD_HEARING: HoldHearing,
    A.SUBMIT_LEGAL_REVIEW: SubmitLegalReview,
    A.DELIBERATE: Deliberate,
    A.RETURN_FOR_INVESTIGATION: ReturnForInvestigation,
    A.DECIDE: Decide,
    A.DECIDE_NO_PENALTY: DecideNoPenalty,
    A.DECIDE_ON_SPOT: DecideOnSpot,
    A.SERVE: Serve,
    A.DEFER: Defer,
    A.DEMAND_PAYMENT: DemandPayment,
    A.APPLY_TO_COURT: ApplyToCourt,
    A.REFER_CRIMINAL: ReferCriminal,
    A.RESUME: Resume,
    A.TRANSFER: Transfer,
    A.REVOKE_FILING: RevokeFiling,
    A.CLOSE: Close,
    A.ARCHIVE: Archive,
}
#: Payments go through ``record_payment`` (amount, receipt), never a transition request.
PAYMENT_ACTIONS = frozenset({A.PAY, A.PAY_PART, A.COLLECT_ON_SPOT})


# ---- commands that record without changing the state ------------------------------------


class Findings(CaseCommand):
    """调查终结 findings of the investigators. Flags that add obligations (review, deliberation,
    hearing) can be raised here, never lowered."""

    facts_clear: bool | None = None
    act_end_date: dt.date | None = None
    life_health_financial_harm: bool | None = None
    minor_violation: bool | None = None
    corrected_in_time: bool | None = None
    no_harmful_consequence: bool | None = None
    first_offence: bool | None = None
    harm_minor: bool | None = None
    no_fault_proven: bool | None = None
    fault_presumed_by_law: bool | None = None
    mental_incapacity: bool | None = None
    mitigation_basis: Text | None = None
    mandatory_mitigation: Text | None = None
    hearing_required_by_rule: bool | None = None
    major_public_interest: bool | None = None
    complex_case: bool | None = None
    serious_violation: bool | None = None

    def facts(self):
        return {k: v for k, v in self.model_dump().items() if v is not None}


ESCALATIONS = ("hearing_required_by_rule", "major_public_interest", "complex_case", "serious_violation")


class Defence(CaseCommand):
    """陈述、申辩 (第四十五条): what the party said, and the officers' check of it."""

    as_of: dt.date | None = None
    statement: Annotated[str, Field(min_length=1, max_length=20000)]


class DefenceReview(CaseCommand):
    as_of: dt.date | None = None
    opinion: Annotated[str, Field(min_length=1, max_length=20000)]


class ScheduleHearing(CaseCommand):
    """听证通知 (第六十四条第二项): time, place and a host who did not investigate."""

    hearing_notice_date: dt.date | None = None
    hearing_date: dt.date
    place: Required
    host_officer_id: Id


class WaiverIn(CaseCommand):
    """The party's express waiver (第六十二条): its signed statement is uploaded with it."""

    signed_on: dt.date
    waives_statement: bool = True
    waives_hearing: bool = False
    statement: Text = ""


class CourtRulingIn(CaseCommand):
    court: Required
    ruling_number: Annotated[str, Field(min_length=1, max_length=80)]
    ruling_date: dt.date
    result: Literal["enforce", "refuse", "concluded", "terminated"]


class ConsentIn(CaseCommand):
    """电子送达确认书 (第六十一条第二款), signed by the party."""

    address: Annotated[str, Field(min_length=1, max_length=200)]
    signed_on: dt.date


class ReviewResult(CaseCommand):
    """A reviewer's opinion (第五十八条)."""

    result: Literal["passed", "not_passed", "returned", "changes"]
    opinion: Annotated[str, Field(min_length=1, max_length=20000)]
    checklist: dict[
        Literal["authority", "officers", "facts", "evidence", "procedure", "basis", "documents", "crime"],
        bool,
    ] = {}
    as_of: dt.date | None = None


class ApprovalDecision(CaseCommand):
    approve: bool
    opinion: Text = ""
    as_of: dt.date | None = None


class Remission(CaseCommand):
    """减免加处罚款 (行政强制法第四十二条): in an execution agreement, when the party takes remedial
    measures; approved by the head with the reason."""

    amount: Annotated[Decimal, Field(gt=0, le=Decimal("1000000000"), max_digits=14, decimal_places=2)]
    reason: Required
    agreement: Required


class ExtensionIn(CaseCommand):
    """延长办案期限 (第六十条 "法律、法规、规章另有规定的，从其规定"): only under a named provision."""

    days: Annotated[int, Field(ge=1, le=365)]
    basis: Required


class ChangeDecision(CaseCommand):
    """变更或撤销 a decision (第四十八条 publicity follows): with a reason, approved by the head."""

    revoke: bool = False
    penalties_decided: Annotated[list[PenaltyIn], Field(max_length=10)] = []
    reason: Required


def parse_case(command: type[CaseCommand], data: dict[str, Any] | None) -> CaseCommand:
    """``parse`` with the case's own codes for a field the action does not take: ``derived_fact``
    (read from related rows or made only by an act of authority), ``not_this_action`` (a fact
    another action sets) or ``unknown_fact``."""
    from django.core.exceptions import ValidationError

    from zhifa.core.commands import parse

    from .facts import DERIVED, FACT_NAMES

    try:
        return parse(command, data)
    except ValidationError as exc:
        errors = {}
        for field, items in exc.error_dict.items():
            fixed = []
            for item in items:
                if item.code == "extra_forbidden":
                    if field in DERIVED:
                        item = ValidationError(
                            "该事实由案件关联数据或审批、审核、讨论等记录得出，不能直接填写",
                            code="derived_fact",
                        )
                    elif field in FACT_NAMES:
                        item = ValidationError("该事实不由此操作填写", code="not_this_action")
                    else:
                        item = ValidationError("未知的案件事实字段", code="unknown_fact")
                fixed.append(item)
            errors[field] = fixed
        raise ValidationError(errors) from None
