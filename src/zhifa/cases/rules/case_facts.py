"""``CaseFacts``: a frozen snapshot of everything the guards look at, and the values inside it
(penalties, officers on the case with their certificates — 行政处罚法第四十二条、第五十五条 —, extensions
of 第六十条, fine ranges, special limitation periods of 第三十六条)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from zhifa.organizations.rules import may_decide_or_sign

from .config import _money
from .vocabulary import NoPenaltyGround, PartyKind, PenaltyKind, Procedure


@dataclass(frozen=True)
class Penalty:
    kind: PenaltyKind
    #: Yuan for fines and confiscations (value of confiscated property).
    amount: Decimal | None = None
    #: Days for time-limited penalties (suspension, restriction).
    duration_days: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", PenaltyKind(self.kind))
        if self.amount is not None:
            object.__setattr__(self, "amount", _money(self.amount))


@dataclass(frozen=True)
class OfficerOnCase:
    """An officer on the case. ``assisting`` officers (e.g. auxiliary staff who help) are not one
    of the two enforcing officers and are not checked."""

    id: str
    name: str = ""
    kind: str = "enforcement"  # organizations: Officer.Kind — "enforcement" | "auxiliary"
    certificate_number: str | None = None
    certificate_valid_from: dt.date | None = None
    certificate_valid_to: dt.date | None = None
    certificate_status: str = "valid"  # "valid" | "suspended" | "revoked"
    certificate_domains: tuple[str, ...] = ()
    assisting: bool = False

    @property
    def label(self) -> str:
        return self.name or self.id

    def certificate_problem(self, on: dt.date, domain: str | None = None) -> str | None:
        """Why the certificate does not allow enforcement on ``on`` (None if it does)."""
        if not self.certificate_number:
            return "未持有执法证"
        if self.certificate_status != "valid":
            return f"执法证状态为{self.certificate_status}"
        if self.certificate_valid_from and on < self.certificate_valid_from:
            return f"执法证{self.certificate_valid_from}起才生效"
        if self.certificate_valid_to and on > self.certificate_valid_to:
            return f"执法证已于{self.certificate_valid_to}过期"
        if domain and self.certificate_domains and domain not in self.certificate_domains:
            return f"执法证执法领域不含{domain}"
        return None

    def may_enforce(self, on: dt.date, domain: str | None = None) -> bool:
        return may_decide_or_sign(self.kind, self.certificate_problem(on, domain) is None)


@dataclass(frozen=True)
class Extension:
    """An approved extension of the art. 60 decision period ("法律、法规、规章另有规定的，从其规定"),
    or a period the applicable rules exclude from it (检测、检验、鉴定、听证、公告…)."""

    days: int
    basis: str = ""
    approved_on: dt.date | None = None


@dataclass(frozen=True)
class FineRange:
    """The statutory fine range of the enforcement item (the caller reads it from the catalog)."""

    minimum: Decimal | None = None
    maximum: Decimal | None = None
    basis: str = ""

    def __post_init__(self) -> None:
        for name in ("minimum", "maximum"):
            if getattr(self, name) is not None:
                object.__setattr__(self, name, _money(getattr(self, name)))


@dataclass(frozen=True)
class SpecialLimitation:
    """Art. 36 "法律另有规定的除外": a longer or shorter period set by another law."""

    years: int
    basis: str


@dataclass(frozen=True)
class CaseFacts:
    """Everything the guards look at, as of one moment. Every field has a safe default."""

    procedure: Procedure = Procedure.GENERAL
    party_kind: PartyKind = PartyKind.CITIZEN
    party_birth_date: dt.date | None = None
    domain: str | None = None
    officers: tuple[OfficerOnCase, ...] = ()
    as_of: dt.date | None = None

    # the act and the limitation period (art. 36)
    act_date: dt.date | None = None
    act_end_date: dt.date | None = None  # continuing or repeated acts: when it ended
    discovery_date: dt.date | None = None
    life_health_financial_harm: bool = False
    special_limitation: SpecialLimitation | None = None

    # filing (art. 54)
    filing_date: dt.date | None = None
    decline_reason: str = ""
    filing_revocation_reason: str = ""

    # the penalty
    facts_clear: bool = False  # art. 40: 违法事实清楚、证据确凿
    legal_basis: str = ""  # the provision applied (art. 59 item 3)
    penalties_intended: tuple[Penalty, ...] = ()  # as told in the (latest) notice, art. 44
    penalties_decided: tuple[Penalty, ...] = ()
    fine_range: FineRange | None = None
    mitigation_basis: str = ""  # art. 32 (or art. 30): the basis for going below the minimum
    existing_fines_same_act: tuple[str, ...] = ()  # document numbers of earlier fines, art. 29

    # notice, statement and defence (art. 44, 45, 62)
    notice_date: dt.date | None = None
    notice_contents: frozenset[str] = (
        frozenset()
    )  # "penalty", "facts", "reasons", "basis", "rights", "hearing_right"
    defence_deadline: dt.date | None = None  # the period the notice granted, if longer than the minimum
    defence_submitted: bool = False
    defence_reviewed: bool = False
    rights_waived_on: dt.date | None = None  # express waiver of statement and defence, art. 62
    waiver_record: str = ""  # the signed record of the waiver
    hearing_waived: bool = False  # the waiver record also waives the hearing

    # hearing (art. 63–65)
    hearing_required_by_rule: bool = False  # art. 63 para 1 items 5–6
    hearing_requested_on: dt.date | None = None
    hearing_request_withdrawn: bool = False
    hearing_notice_date: dt.date | None = None
    hearing_date: dt.date | None = None
    hearing_held_on: dt.date | None = None
    hearing_host: str | None = None  # officer id of the presiding person
    hearing_fee_charged: Decimal = Decimal("0")

    # legal review (art. 58) and collective deliberation (art. 57 para 2)
    major_public_interest: bool = False
    complex_case: bool = False
    review_required_by_law: bool = False
    legal_review_passed: bool = False
    serious_violation: bool = False
    collective_deliberation_done: bool = False

    # decision (art. 57, 59, 60) and service (art. 61)
    decision_date: dt.date | None = None
    extensions: tuple[Extension, ...] = ()
    service_date: dt.date | None = None
    service_method: str = "direct"  # direct | post | electronic | public_notice | …
    electronic_service_consent: bool = False

    # no penalty
    no_penalty_ground: NoPenaltyGround | None = None
    minor_violation: bool = False
    corrected_in_time: bool = False
    no_harmful_consequence: bool = False
    first_offence: bool = False
    harm_minor: bool = False
    no_fault_proven: bool = False
    fault_presumed_by_law: bool = False  # art. 33 para 2 "法律、行政法规另有规定的"
    mental_incapacity: bool = False
    education_given: bool = False

    # payment (art. 66–72)
    amount_paid: Decimal = Decimal("0")  # cumulative, including any surcharge paid
    payment_date: dt.date | None = None
    deferral_approved: bool = False
    deferred_until: dt.date | None = None
    surcharge_remitted: Decimal = Decimal("0")  # 行政强制法 art. 42: reduced in an execution agreement
    collected_on_spot_on: dt.date | None = None
    receipt_number: str = ""
    hard_to_enforce_later: bool = False  # art. 68 item 2
    remote_area: bool = False  # art. 69
    party_requested_on_spot: bool = False  # art. 69
    landed_on: dt.date | None = None  # art. 71: fines collected on water, the date of landing
    handed_in_on: dt.date | None = None

    # compulsory execution (行政强制法)
    demand_served_on: dt.date | None = None
    court_applied_on: dt.date | None = None
    review_or_litigation_pending: bool = False
    #: art. 73: (filed, decided or None) of each reconsideration or lawsuit; no surcharge meanwhile
    remedy_periods: tuple[tuple[dt.date, dt.date | None], ...] = ()
    just_cause_for_delay: bool = False
    enforcement_concluded: bool = False  # the court concluded or terminated execution

    # referral and transfer
    suspected_crime: str = ""
    referral_declined_on: dt.date | None = None
    criminal_referral_pending: str = (
        ""  # 移送规定第十一条: what of a referral is still under way (from its rows)
    )
    transfer_to: str = ""

    # the body and the case's history
    own_execution_power: bool = False  # 行政强制法 art. 13, 53: the body executes its decisions itself
    mandatory_mitigation: str = ""  # a recorded art. 32 circumstance ("应当从轻或者减轻")
    last_step_on: dt.date | None = None  # the date of the latest step already taken on the case

    def __post_init__(self) -> None:
        object.__setattr__(self, "procedure", Procedure(self.procedure))
        object.__setattr__(self, "party_kind", PartyKind(self.party_kind))
        if self.no_penalty_ground is not None:
            object.__setattr__(self, "no_penalty_ground", NoPenaltyGround(self.no_penalty_ground))
        for name in ("amount_paid", "hearing_fee_charged", "surcharge_remitted"):
            object.__setattr__(self, name, _money(getattr(self, name)))
        object.__setattr__(self, "notice_contents", frozenset(self.notice_contents))

    @property
    def act_start_of_limitation(self) -> dt.date | None:
        """Art. 36 para 2: from the act, or from its end if it was continuing or repeated."""
        return self.act_end_date or self.act_date

    def replace(self, **changes: Any) -> CaseFacts:
        return dataclasses.replace(self, **changes)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CaseFacts:
        """Build facts from plain data (ISO dates, amounts as strings or numbers, nested dicts).

        Unknown keys raise ``ValueError`` so that a typo in a scenario cannot pass silently.
        """
        hints = _facts_hints()
        unknown = set(data) - set(hints)
        if unknown:
            raise ValueError(f"unknown case facts: {sorted(unknown)}")
        kwargs = {name: _convert(hints[name], value) for name, value in data.items()}
        return cls(**kwargs)


_HINTS: dict[type, dict[str, Any]] = {}


def _facts_hints(cls: type = CaseFacts) -> dict[str, Any]:
    if cls not in _HINTS:
        _HINTS[cls] = typing.get_type_hints(cls)
    return _HINTS[cls]


def _convert(hint: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in args if a is not type(None)]
        return _convert(inner[0], value)
    if origin is tuple:
        return tuple(_convert(args[0], v) for v in value)
    if origin is frozenset:
        return frozenset(value)
    if hint is dt.date:
        return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)
    if hint is Decimal:
        return _money(value)
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return hint(value)
    if dataclasses.is_dataclass(hint) and isinstance(value, Mapping):
        hints = _facts_hints(hint)
        return hint(**{k: _convert(hints[k], v) for k, v in value.items()})
    return value
