"""Penalty case handling by the statute — the pure core (no Django).

Articles refer to 《中华人民共和国行政处罚法》(2021 revision) unless another law is named. Every
rule below cites its article in a comment and in the refusal it produces.

The model
---------
* :class:`State` and :class:`Action` (English identifiers, Chinese labels in ``STATE_LABELS`` /
  ``ACTION_LABELS``) and the table ``TRANSITIONS[(state, action)] -> state``.
* :class:`CaseFacts` — a frozen snapshot of everything the guards need. The service layer builds
  it from the database; tests and the statute scenarios build it from plain dicts
  (:meth:`CaseFacts.from_dict`).
* Guards — one function per legal rule, ``guard(facts, config, on) -> Refusal | None`` where ``on``
  is the date the action is taken. ``GUARDS[action]`` lists the guards of each action; ``FLAGS``
  lists non-blocking checks (e.g. late service, art. 61) that are reported but do not refuse.
* :func:`check` runs the table and every guard of the action and collects *all* refusals.

Counting days
-------------
All day arithmetic goes through :class:`zhifa.core.workdays.WorkdayCalendar`: the "二日 三日 五日
七日" of this law are working days (art. 85); periods of ten days or less in 行政强制法 are working
days (行政强制法 art. 69); every other period counts calendar days with the roll-forward of
民事诉讼法 art. 85 (``calendar_deadline`` / ``month_deadline``).

Where the law is unclear, the value is configuration (:class:`CaseConfig`), not a guess:
* hearing thresholds for "较大数额" (art. 63) are set by each province/department — ``HearingThresholds``;
  without them every fine/confiscation is treated as hearing-eligible (the safe side);
* the statement-and-defence period is not fixed by the law (art. 45) — ``defence_period_working_days``;
* the filing period is not in the law (art. 54 only says "及时立案"); 市场监督管理行政处罚程序规定
  第十八条 sets 15 working days (+15 with approval) — ``filing_period_working_days``, a flag, never a refusal;
* the ranking of penalty *types* used for "heavier" (art. 45 para 2) is the platform's reading of
  art. 9 — ``SEVERITY``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import types
import typing
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from zhifa.core.workdays import WorkdayCalendar, add_months, default_calendar
from zhifa.organizations.rules import may_decide_or_sign

__all__ = [
    "PENALTY_LAW", "COMPULSION_LAW", "RECONSIDERATION_LAW", "LITIGATION_LAW",
    "Ref", "Procedure", "PartyKind", "PenaltyKind", "State", "Action", "NoPenaltyGround",
    "STATE_LABELS", "ACTION_LABELS", "PENALTY_LABELS", "SEVERITY",
    "HearingThresholds", "SummaryLimits", "CaseConfig",
    "Penalty", "OfficerOnCase", "Extension", "FineRange", "SpecialLimitation", "CaseFacts",
    "NO_PENALTY_LABELS", "DEFAULT_HEARING_KINDS", "DEFAULT_CONFIG", "cite", "ref_matches",
    "Refusal", "Result", "Guard", "TRANSITIONS", "ACTION_BASIS", "ACTION_DATE_FIELD", "GUARDS", "FLAGS",
    "ALL_GUARDS", "ALL_FLAGS", "check", "available_actions", "action_date",
    "late_surcharge", "hearing_eligible", "is_heavier", "fine_total", "amount_due",
    "defence_end", "hearing_request_end", "decision_deadline", "limitation_end", "service_due",
    "served_on", "payment_due", "reconsideration_end", "litigation_end", "court_application_window",
    "hand_in_due", "filing_due", "age_on",
]

# --------------------------------------------------------------------------------------------
# Citations
# --------------------------------------------------------------------------------------------

PENALTY_LAW = "行政处罚法"
COMPULSION_LAW = "行政强制法"
RECONSIDERATION_LAW = "行政复议法"
LITIGATION_LAW = "行政诉讼法"
#: 最高人民法院关于适用《中华人民共和国行政诉讼法》的解释 (法释〔2018〕1号)
LITIGATION_INTERPRETATION = "行政诉讼法解释"

_DIGITS = "零一二三四五六七八九"


def _cn(n: int) -> str:
    """Chinese numeral for 1–999 as used in article numbers (第一百五十六条)."""
    if not 0 < n < 1000:
        raise ValueError(n)
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    out = ""
    if hundreds:
        out += _DIGITS[hundreds] + "百"
        if rest and tens == 0:
            return out + "零" + _DIGITS[ones]
        if tens:
            out += _DIGITS[tens] + "十"
    elif tens:
        out += ("" if tens == 1 else _DIGITS[tens]) + "十"
    if ones:
        out += _DIGITS[ones]
    return out


@dataclass(frozen=True)
class Ref:
    """One provision: law, article, optional paragraph (款) and item (项)."""

    article: int
    paragraph: int | None = None
    item: int | None = None
    law: str = PENALTY_LAW

    @property
    def key(self) -> str:
        """Machine form: ``行政处罚法:45.2`` (art. 45 para 2), ``行政处罚法:64(1)`` (art. 64 item 1)."""
        out = f"{self.law}:{self.article}"
        if self.paragraph:
            out += f".{self.paragraph}"
        if self.item:
            out += f"({self.item})"
        return out

    @property
    def text(self) -> str:
        out = f"第{_cn(self.article)}条"
        if self.paragraph:
            out += f"第{_cn(self.paragraph)}款"
        if self.item:
            out += f"第{_cn(self.item)}项"
        return out


def _A(article: int, paragraph: int | None = None, item: int | None = None) -> Ref:
    return Ref(article, paragraph, item, PENALTY_LAW)


def _C(article: int, paragraph: int | None = None, item: int | None = None) -> Ref:
    return Ref(article, paragraph, item, COMPULSION_LAW)


def cite(refs: Iterable[Ref]) -> str:
    """``《行政处罚法》第四十二条、第五十五条；《行政强制法》第五十三条``."""
    groups: dict[str, list[str]] = {}
    for ref in refs:
        groups.setdefault(ref.law, []).append(ref.text)
    return "；".join(f"《{law}》" + "、".join(texts) for law, texts in groups.items())


def ref_matches(key: str, expected: str) -> bool:
    """Whether provision ``key`` is (within) ``expected``: ``行政处罚法:64(1)`` matches ``行政处罚法:64``."""
    return key == expected or (key.startswith(expected) and key[len(expected)] in ".(")


# --------------------------------------------------------------------------------------------
# Enumerations and labels
# --------------------------------------------------------------------------------------------

class Procedure(enum.StrEnum):
    SUMMARY = "summary"  # 简易程序 (art. 51–53)
    GENERAL = "general"  # 普通程序 (art. 54–62), with the hearing procedure (art. 63–65)


class PartyKind(enum.StrEnum):
    CITIZEN = "citizen"  # 公民
    LEGAL_PERSON = "legal_person"  # 法人
    OTHER_ORGANIZATION = "other_organization"  # 其他组织
    # 个体工商户: 民法典 第五十四条 places it among natural persons, so by default it takes the
    # citizen thresholds (CaseConfig.individual_business_as_citizen). Local practice differs (verify).
    INDIVIDUAL_BUSINESS = "individual_business"


class PenaltyKind(enum.StrEnum):
    """Types of administrative penalty, art. 9."""

    WARNING = "warning"  # 警告
    CIRCULATED_CRITICISM = "circulated_criticism"  # 通报批评
    FINE = "fine"  # 罚款
    CONFISCATE_GAINS = "confiscate_gains"  # 没收违法所得
    CONFISCATE_PROPERTY = "confiscate_property"  # 没收非法财物
    SUSPEND_LICENCE = "suspend_licence"  # 暂扣许可证件
    LOWER_QUALIFICATION = "lower_qualification"  # 降低资质等级
    REVOKE_LICENCE = "revoke_licence"  # 吊销许可证件
    RESTRICT_BUSINESS = "restrict_business"  # 限制开展生产经营活动
    SUSPEND_PRODUCTION = "suspend_production"  # 责令停产停业
    ORDER_CLOSURE = "order_closure"  # 责令关闭
    RESTRICT_PRACTICE = "restrict_practice"  # 限制从业
    DETENTION = "detention"  # 行政拘留 (public security only)
    OTHER = "other"  # 法律、行政法规规定的其他行政处罚


PENALTY_LABELS: dict[PenaltyKind, str] = {
    PenaltyKind.WARNING: "警告",
    PenaltyKind.CIRCULATED_CRITICISM: "通报批评",
    PenaltyKind.FINE: "罚款",
    PenaltyKind.CONFISCATE_GAINS: "没收违法所得",
    PenaltyKind.CONFISCATE_PROPERTY: "没收非法财物",
    PenaltyKind.SUSPEND_LICENCE: "暂扣许可证件",
    PenaltyKind.LOWER_QUALIFICATION: "降低资质等级",
    PenaltyKind.REVOKE_LICENCE: "吊销许可证件",
    PenaltyKind.RESTRICT_BUSINESS: "限制开展生产经营活动",
    PenaltyKind.SUSPEND_PRODUCTION: "责令停产停业",
    PenaltyKind.ORDER_CLOSURE: "责令关闭",
    PenaltyKind.RESTRICT_PRACTICE: "限制从业",
    PenaltyKind.DETENTION: "行政拘留",
    PenaltyKind.OTHER: "其他行政处罚",
}

#: Ranking of penalty *types* for "heavier" (art. 45 para 2). The law does not rank the types;
#: this follows the order of art. 9 (申诫罚 < 财产罚 < 资格罚 < 行为罚 < 人身罚). A decided type is
#: lighter than a notified one only if its rank is strictly lower; types of the same rank (a fine
#: vs. a confiscation) are different penalties, so adding one is heavier. ``OTHER`` has no rank:
#: it only matches itself.
SEVERITY: dict[PenaltyKind, int | None] = {
    PenaltyKind.WARNING: 1,
    PenaltyKind.CIRCULATED_CRITICISM: 2,
    PenaltyKind.FINE: 3,
    PenaltyKind.CONFISCATE_GAINS: 3,
    PenaltyKind.CONFISCATE_PROPERTY: 3,
    PenaltyKind.SUSPEND_LICENCE: 4,
    PenaltyKind.LOWER_QUALIFICATION: 5,
    PenaltyKind.RESTRICT_BUSINESS: 5,
    PenaltyKind.SUSPEND_PRODUCTION: 6,
    PenaltyKind.REVOKE_LICENCE: 7,
    PenaltyKind.RESTRICT_PRACTICE: 7,
    PenaltyKind.ORDER_CLOSURE: 8,
    PenaltyKind.DETENTION: 9,
    PenaltyKind.OTHER: None,
}

_CONFISCATIONS = frozenset({PenaltyKind.CONFISCATE_GAINS, PenaltyKind.CONFISCATE_PROPERTY})


class State(enum.StrEnum):
    REGISTERED = "registered"  # 案源登记
    FILED = "filed"  # 已立案 (art. 54)
    INVESTIGATING = "investigating"  # 调查取证 (art. 54–56)
    NOTIFIED = "notified"  # 已告知，陈述申辩期间 (art. 44, 45)
    HEARING = "hearing"  # 听证申请待举行 (art. 63, 64)
    HEARD = "heard"  # 已听证 (art. 65)
    LEGAL_REVIEW = "legal_review"  # 法制审核 (art. 58)
    DELIBERATION = "deliberation"  # 集体讨论 (art. 57 para 2)
    DECIDED = "decided"  # 已作出处罚决定 (art. 57, 59)
    SERVED = "served"  # 已送达 (art. 61)
    PARTLY_PAID = "partly_paid"  # 部分缴纳
    DEFERRED = "deferred"  # 暂缓或分期缴纳 (art. 66)
    PAID = "paid"  # 已缴清 (art. 67)
    COMPULSORY_EXECUTION = "compulsory_execution"  # 强制执行：已催告 (行政强制法 art. 54)
    COURT_ENFORCEMENT = "court_enforcement"  # 已申请法院强制执行 (行政强制法 art. 53)
    NO_PENALTY = "no_penalty"  # 不予行政处罚 (art. 30, 31, 33, 36, 40)
    REFERRED = "referred"  # 移送司法机关 (art. 27)
    TRANSFERRED = "transferred"  # 移送有管辖权的机关 (art. 22–25)
    FILING_REVOKED = "filing_revoked"  # 撤销立案
    CLOSED = "closed"  # 结案
    ARCHIVED = "archived"  # 归档 (art. 47)


STATE_LABELS: dict[State, str] = {
    State.REGISTERED: "案源登记",
    State.FILED: "已立案",
    State.INVESTIGATING: "调查取证",
    State.NOTIFIED: "已告知（陈述申辩）",
    State.HEARING: "听证",
    State.HEARD: "已听证",
    State.LEGAL_REVIEW: "法制审核",
    State.DELIBERATION: "集体讨论",
    State.DECIDED: "已作出处罚决定",
    State.SERVED: "已送达",
    State.PARTLY_PAID: "部分缴纳",
    State.DEFERRED: "暂缓或分期缴纳",
    State.PAID: "已缴纳",
    State.COMPULSORY_EXECUTION: "强制执行（已催告）",
    State.COURT_ENFORCEMENT: "申请法院强制执行",
    State.NO_PENALTY: "不予行政处罚",
    State.REFERRED: "移送司法机关",
    State.TRANSFERRED: "移送管辖",
    State.FILING_REVOKED: "撤销立案",
    State.CLOSED: "结案",
    State.ARCHIVED: "归档",
}


class Action(enum.StrEnum):
    FILE = "file"
    DECLINE_FILING = "decline_filing"
    START_INVESTIGATION = "start_investigation"
    NOTIFY = "notify"
    REQUEST_HEARING = "request_hearing"
    WITHDRAW_HEARING_REQUEST = "withdraw_hearing_request"
    HOLD_HEARING = "hold_hearing"
    SUBMIT_LEGAL_REVIEW = "submit_legal_review"
    DELIBERATE = "deliberate"
    RETURN_FOR_INVESTIGATION = "return_for_investigation"
    DECIDE = "decide"
    DECIDE_NO_PENALTY = "decide_no_penalty"
    DECIDE_ON_SPOT = "decide_on_spot"
    SERVE = "serve"
    PAY = "pay"
    PAY_PART = "pay_part"
    DEFER = "defer"
    COLLECT_ON_SPOT = "collect_on_spot"
    DEMAND_PAYMENT = "demand_payment"
    APPLY_TO_COURT = "apply_to_court"
    REFER_CRIMINAL = "refer_criminal"
    RESUME = "resume"
    TRANSFER = "transfer"
    REVOKE_FILING = "revoke_filing"
    CLOSE = "close"
    ARCHIVE = "archive"


ACTION_LABELS: dict[Action, str] = {
    Action.FILE: "立案",
    Action.DECLINE_FILING: "不予立案",
    Action.START_INVESTIGATION: "调查取证",
    Action.NOTIFY: "告知拟作出的行政处罚",
    Action.REQUEST_HEARING: "申请听证",
    Action.WITHDRAW_HEARING_REQUEST: "撤回听证申请",
    Action.HOLD_HEARING: "举行听证",
    Action.SUBMIT_LEGAL_REVIEW: "提交法制审核",
    Action.DELIBERATE: "集体讨论",
    Action.RETURN_FOR_INVESTIGATION: "退回补充调查",
    Action.DECIDE: "作出行政处罚决定",
    Action.DECIDE_NO_PENALTY: "作出不予行政处罚决定",
    Action.DECIDE_ON_SPOT: "当场作出行政处罚决定",
    Action.SERVE: "送达处罚决定书",
    Action.PAY: "缴清罚款",
    Action.PAY_PART: "部分缴纳罚款",
    Action.DEFER: "批准暂缓或分期缴纳",
    Action.COLLECT_ON_SPOT: "当场收缴罚款",
    Action.DEMAND_PAYMENT: "催告",
    Action.APPLY_TO_COURT: "申请人民法院强制执行",
    Action.REFER_CRIMINAL: "移送涉嫌犯罪案件",
    Action.RESUME: "退回后继续办理",
    Action.TRANSFER: "移送有管辖权的机关",
    Action.REVOKE_FILING: "撤销立案",
    Action.CLOSE: "结案",
    Action.ARCHIVE: "归档",
}


class NoPenaltyGround(enum.StrEnum):
    MINOR_CORRECTED_NO_HARM = "minor_corrected_no_harm"  # art. 33 para 1, first sentence ("不予")
    FIRST_OFFENCE = "first_offence"  # 首违不罚, art. 33 para 1, second sentence ("可以不予")
    NO_FAULT = "no_fault"  # art. 33 para 2
    UNDER_14 = "under_14"  # art. 30
    MENTAL_INCAPACITY = "mental_incapacity"  # art. 31
    LIMITATION_EXPIRED = "limitation_expired"  # art. 36
    FACTS_UNCLEAR = "facts_unclear"  # art. 40; art. 57 para 1 item 3


NO_PENALTY_LABELS: dict[NoPenaltyGround, str] = {
    NoPenaltyGround.MINOR_CORRECTED_NO_HARM: "违法行为轻微并及时改正，没有造成危害后果",
    NoPenaltyGround.FIRST_OFFENCE: "初次违法且危害后果轻微并及时改正（首违不罚）",
    NoPenaltyGround.NO_FAULT: "有证据足以证明没有主观过错",
    NoPenaltyGround.UNDER_14: "不满十四周岁",
    NoPenaltyGround.MENTAL_INCAPACITY: "精神病人、智力残疾人在不能辨认或者不能控制自己行为时",
    NoPenaltyGround.LIMITATION_EXPIRED: "超过追责时效",
    NoPenaltyGround.FACTS_UNCLEAR: "违法事实不清、证据不足",
}

# --------------------------------------------------------------------------------------------
# Configuration (data, not law)
# --------------------------------------------------------------------------------------------


def _money(value: Any) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


@dataclass(frozen=True)
class HearingThresholds:
    """"较大数额" for art. 63 para 1 items 1–2, set by each province or department.

    Amounts are inclusive ("…元以上" includes the amount). Confiscation thresholds default to the
    fine thresholds, as most provincial rules do ("等值").
    """

    citizen_fine: Decimal
    organization_fine: Decimal
    citizen_confiscation: Decimal | None = None
    organization_confiscation: Decimal | None = None
    source: str = ""

    def __post_init__(self) -> None:
        for name in ("citizen_fine", "organization_fine", "citizen_confiscation", "organization_confiscation"):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, _money(value))


@dataclass(frozen=True)
class SummaryLimits:
    """Art. 51: a fine of 200 yuan *or less* (二百元以下) for a citizen, 3,000 yuan or less for a
    legal person or other organisation, or a warning. "以下" includes the amount itself, so 200
    and 3,000 are allowed. "法律另有规定的，从其规定" — override per law."""

    citizen: Decimal = Decimal("200")
    organization: Decimal = Decimal("3000")


# Art. 63 para 1 items 3–4: types that always give the right to a hearing. 限制开展生产经营活动 is not
# named in art. 63 but is a 行为罚 between 降低资质 and 责令停产停业; listed here as "其他较重的行政
# 处罚" (item 5) on the safe side. 暂扣许可证件 is not listed (a caller may add it).
DEFAULT_HEARING_KINDS = frozenset({
    PenaltyKind.LOWER_QUALIFICATION,
    PenaltyKind.REVOKE_LICENCE,
    PenaltyKind.RESTRICT_BUSINESS,
    PenaltyKind.SUSPEND_PRODUCTION,
    PenaltyKind.ORDER_CLOSURE,
    PenaltyKind.RESTRICT_PRACTICE,
})


@dataclass(frozen=True)
class CaseConfig:
    """Numbers that are data rather than law, with the statutory defaults where the law fixes them."""

    #: None → every fine or confiscation counts as "较大数额" (safe side: never denies a hearing).
    hearing_thresholds: HearingThresholds | None = None
    hearing_kinds: frozenset[PenaltyKind] = DEFAULT_HEARING_KINDS
    summary_limits: SummaryLimits = SummaryLimits()
    individual_business_as_citizen: bool = True
    #: Art. 42: "执法人员不得少于两人，法律另有规定的除外".
    min_officers: int = 2
    #: Summary procedure: art. 42 applies too; some laws allow one officer (override here).
    min_officers_summary: int = 2
    #: Art. 45 fixes no period for statement and defence; 3 working days is common practice
    #: (some department rules use 5). Configurable; the notice may grant longer (defence_deadline).
    defence_period_working_days: int = 3
    #: Art. 64 item 1 + art. 85: within 5 (working) days after the notice.
    hearing_request_working_days: int = 5
    #: Art. 64 item 2 + art. 85: the party is told 7 (working) days before the hearing.
    hearing_notice_working_days: int = 7
    #: Art. 61 + art. 85: service within 7 (working) days when the party was absent.
    service_working_days: int = 7
    #: Art. 67: pay within 15 days of receiving the decision — calendar days (art. 85 lists only 2/3/5/7).
    payment_days: int = 15
    #: Art. 68 item 1: on-the-spot collection of fines of 100 yuan or less (一百元以下, inclusive).
    on_spot_collection_limit: Decimal = Decimal("100")
    #: Art. 71 + art. 85: fines collected on the spot are handed in within 2 (working) days.
    hand_in_working_days: int = 2
    #: Art. 60: decision within 90 days of filing (calendar days), extensions as the law allows.
    decision_days: int = 90
    #: Art. 36: 2 years; 5 years where life, health or financial security are involved with harm.
    limitation_years: int = 2
    limitation_years_serious: int = 5
    #: Art. 72 item 1: 3% of the fine per day; art. 72 says the authority "可以" impose it.
    late_surcharge_rate: Decimal = Decimal("0.03")
    impose_late_surcharge: bool = True
    #: 行政强制法 art. 54 + art. 69: the demand must have been served 10 (working) days.
    demand_wait_working_days: int = 10
    #: 行政强制法 art. 53: apply to the court within 3 months after the remedy periods expire.
    court_application_months: int = 3
    #: 行政复议法 (2023) art. 20: 60 days; 行政诉讼法 art. 46: 6 months.
    reconsideration_days: int = 60
    litigation_months: int = 6
    #: Not in 行政处罚法. 市场监督管理行政处罚程序规定 第十八条: 15 working days from discovering
    #: the lead, +15 with approval. Data — a late filing is flagged, never refused.
    filing_period_working_days: int = 15
    filing_period_basis: Ref = Ref(18, law="市场监督管理行政处罚程序规定")
    #: Deadlines turn to "warning" this many calendar days before they fall due.
    warning_days: int = 3
    calendar: WorkdayCalendar = field(default=default_calendar, compare=False)


DEFAULT_CONFIG = CaseConfig()

# --------------------------------------------------------------------------------------------
# Facts
# --------------------------------------------------------------------------------------------


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
    notice_contents: frozenset[str] = frozenset()  # "penalty", "facts", "reasons", "basis", "rights", "hearing_right"
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
    just_cause_for_delay: bool = False
    enforcement_concluded: bool = False  # the court concluded or terminated execution

    # referral and transfer
    suspected_crime: str = ""
    referral_declined_on: dt.date | None = None
    transfer_to: str = ""

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


# --------------------------------------------------------------------------------------------
# Refusals and results
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Refusal:
    """Why an action is not allowed (or, in ``Result.flags``, what must be looked at)."""

    code: str
    article: str  # display citation, e.g. 《行政处罚法》第四十二条、第五十五条
    message: str  # Chinese, ends with the citation
    refs: tuple[str, ...] = ()  # machine form, e.g. ("行政处罚法:42", "行政处罚法:55")

    def cites(self, expected: str) -> bool:
        return any(ref_matches(key, expected) for key in self.refs)


def _refuse(code: str, refs: Iterable[Ref], message: str) -> Refusal:
    refs = tuple(refs)
    article = cite(refs)
    return Refusal(code=code, article=article, message=f"{message}（{article}）", refs=tuple(r.key for r in refs))


@dataclass(frozen=True)
class Result:
    allowed: bool
    next_state: State | None  # the state after the action; None when refused
    refusals: list[Refusal] = field(default_factory=list)
    flags: list[Refusal] = field(default_factory=list)  # non-blocking findings

    def cites(self, expected: str) -> bool:
        return any(r.cites(expected) for r in (*self.refusals, *self.flags))


# --------------------------------------------------------------------------------------------
# Transition table
# --------------------------------------------------------------------------------------------

S, A = State, Action
_BEFORE_DECISION = (S.REGISTERED, S.FILED, S.INVESTIGATING, S.NOTIFIED, S.HEARING, S.HEARD,
                    S.LEGAL_REVIEW, S.DELIBERATION)
_READY_TO_DECIDE = (S.NOTIFIED, S.HEARD, S.LEGAL_REVIEW, S.DELIBERATION)

TRANSITIONS: dict[tuple[State, Action], State] = {
    # filing (art. 54) or not — filing puts the case in the general procedure (the service sets
    # procedure=general); the summary procedure decides on the spot instead (art. 51, 52)
    (S.REGISTERED, A.FILE): S.FILED,
    (S.REGISTERED, A.DECLINE_FILING): S.CLOSED,
    (S.REGISTERED, A.DECIDE_ON_SPOT): S.SERVED,  # art. 52: the decision is handed over on the spot
    (S.FILED, A.START_INVESTIGATION): S.INVESTIGATING,
    (S.FILED, A.DECIDE_NO_PENALTY): S.NO_PENALTY,
    (S.FILED, A.REVOKE_FILING): S.FILING_REVOKED,
    (S.INVESTIGATING, A.NOTIFY): S.NOTIFIED,  # art. 44
    (S.INVESTIGATING, A.DECIDE_NO_PENALTY): S.NO_PENALTY,
    (S.INVESTIGATING, A.REVOKE_FILING): S.FILING_REVOKED,
    # statement, defence and hearing (art. 45, 63–65)
    (S.NOTIFIED, A.REQUEST_HEARING): S.HEARING,
    (S.HEARING, A.WITHDRAW_HEARING_REQUEST): S.NOTIFIED,
    (S.HEARING, A.HOLD_HEARING): S.HEARD,
    (S.HEARING, A.DECIDE_NO_PENALTY): S.NO_PENALTY,
    # review, deliberation, decision (art. 57, 58)
    **{(s, A.NOTIFY): S.NOTIFIED for s in _READY_TO_DECIDE},  # a new notice (e.g. a changed penalty)
    **{(s, A.RETURN_FOR_INVESTIGATION): S.INVESTIGATING for s in _READY_TO_DECIDE},
    **{(s, A.SUBMIT_LEGAL_REVIEW): S.LEGAL_REVIEW for s in (S.NOTIFIED, S.HEARD, S.DELIBERATION)},
    **{(s, A.DELIBERATE): S.DELIBERATION for s in (S.NOTIFIED, S.HEARD, S.LEGAL_REVIEW)},
    **{(s, A.DECIDE): S.DECIDED for s in _READY_TO_DECIDE},
    **{(s, A.DECIDE_NO_PENALTY): S.NO_PENALTY for s in _READY_TO_DECIDE},
    # criminal referral at any stage before the decision (art. 27); jurisdiction (art. 22–25)
    **{(s, A.REFER_CRIMINAL): S.REFERRED for s in _BEFORE_DECISION},
    **{(s, A.TRANSFER): S.TRANSFERRED for s in (S.REGISTERED, S.FILED, S.INVESTIGATING)},
    (S.REFERRED, A.RESUME): S.INVESTIGATING,
    # service (art. 61) and payment (art. 66–72)
    (S.DECIDED, A.SERVE): S.SERVED,
    (S.SERVED, A.PAY): S.PAID,
    (S.SERVED, A.PAY_PART): S.PARTLY_PAID,
    (S.SERVED, A.DEFER): S.DEFERRED,
    (S.SERVED, A.COLLECT_ON_SPOT): S.PAID,
    (S.SERVED, A.DEMAND_PAYMENT): S.COMPULSORY_EXECUTION,
    (S.PARTLY_PAID, A.PAY): S.PAID,
    (S.PARTLY_PAID, A.PAY_PART): S.PARTLY_PAID,
    (S.PARTLY_PAID, A.DEFER): S.DEFERRED,
    (S.PARTLY_PAID, A.DEMAND_PAYMENT): S.COMPULSORY_EXECUTION,
    (S.DEFERRED, A.PAY): S.PAID,
    (S.DEFERRED, A.PAY_PART): S.DEFERRED,
    (S.DEFERRED, A.DEMAND_PAYMENT): S.COMPULSORY_EXECUTION,
    # compulsory execution (行政强制法 art. 53, 54; 行政处罚法 art. 72)
    (S.COMPULSORY_EXECUTION, A.PAY): S.PAID,
    (S.COMPULSORY_EXECUTION, A.PAY_PART): S.COMPULSORY_EXECUTION,
    (S.COMPULSORY_EXECUTION, A.APPLY_TO_COURT): S.COURT_ENFORCEMENT,
    (S.COURT_ENFORCEMENT, A.PAY): S.PAID,
    # closing and archiving (art. 47: 全过程记录，归档保存)
    **{(s, A.CLOSE): S.CLOSED for s in (S.SERVED, S.PAID, S.COURT_ENFORCEMENT, S.NO_PENALTY, S.REFERRED,
                                         S.TRANSFERRED, S.FILING_REVOKED)},
    (S.CLOSED, A.ARCHIVE): S.ARCHIVED,
}

#: The provision behind each action, cited when the action is not possible in a state.
ACTION_BASIS: dict[Action, tuple[Ref, ...]] = {
    A.FILE: (_A(54),),
    A.DECLINE_FILING: (_A(54),),
    A.START_INVESTIGATION: (_A(54), _A(55)),
    A.NOTIFY: (_A(44),),
    A.REQUEST_HEARING: (_A(63), _A(64, item=1)),
    A.WITHDRAW_HEARING_REQUEST: (_A(64),),
    A.HOLD_HEARING: (_A(64),),
    A.SUBMIT_LEGAL_REVIEW: (_A(58),),
    A.DELIBERATE: (_A(57, 2),),
    A.RETURN_FOR_INVESTIGATION: (_A(54), _A(57)),
    A.DECIDE: (_A(44), _A(57), _A(62)),
    A.DECIDE_NO_PENALTY: (_A(57, 1),),
    A.DECIDE_ON_SPOT: (_A(51), _A(52)),
    A.SERVE: (_A(61),),
    A.PAY: (_A(66), _A(67)),
    A.PAY_PART: (_A(66), _A(67)),
    A.DEFER: (_A(66, 2),),
    A.COLLECT_ON_SPOT: (_A(68), _A(69)),
    A.DEMAND_PAYMENT: (_A(72), _C(54)),
    A.APPLY_TO_COURT: (_A(72), _C(53), _C(54)),
    A.REFER_CRIMINAL: (_A(27),),
    A.RESUME: (_A(27),),
    A.TRANSFER: (_A(22), _A(23), _A(24), _A(25)),
    A.REVOKE_FILING: (_A(54),),
    A.CLOSE: (_A(47),),
    A.ARCHIVE: (_A(47),),
}

# --------------------------------------------------------------------------------------------
# Amounts, comparisons and periods
# --------------------------------------------------------------------------------------------

_CENT = Decimal("0.01")


def _sum(penalties: Iterable[Penalty], kinds: Iterable[PenaltyKind]) -> Decimal:
    kinds = frozenset(kinds)
    return sum((p.amount or Decimal("0") for p in penalties if p.kind in kinds), Decimal("0"))


def fine_total(penalties: Iterable[Penalty]) -> Decimal:
    return _sum(penalties, (PenaltyKind.FINE,))


def late_surcharge(fine: Decimal | int | str, due_date: dt.date, paid_or_today: dt.date,
                   rate: Decimal = Decimal("0.03")) -> Decimal:
    """加处罚款: 3% of the fine for every day after ``due_date``, never more than the fine.

    《行政处罚法》第七十二条第一款第一项: 到期不缴纳罚款的，每日按罚款数额的百分之三加处罚款，加处
    罚款的数额不得超出罚款的数额; 《行政强制法》第四十五条第二款: the surcharge never exceeds the
    principal. ``due_date`` is the last day to pay (already rolled forward off rest days, or the end
    of an approved deferral, art. 66/72 para 2). The rate applies to the fine as decided — the
    law's words "按罚款数额"; practice on partial payments varies (verify locally). Rounded to fen.
    """
    fine = _money(fine)
    days = (paid_or_today - due_date).days
    if fine <= 0 or days <= 0:
        return Decimal("0.00")
    surcharge = (fine * _money(rate) * days).quantize(_CENT, rounding=ROUND_HALF_UP)
    return min(surcharge, fine.quantize(_CENT, rounding=ROUND_HALF_UP))


def _is_citizen(facts: CaseFacts, config: CaseConfig) -> bool:
    return facts.party_kind == PartyKind.CITIZEN or (
        facts.party_kind == PartyKind.INDIVIDUAL_BUSINESS and config.individual_business_as_citizen)


def hearing_eligible(facts: CaseFacts, config: CaseConfig = DEFAULT_CONFIG,
                     penalties: Iterable[Penalty] | None = None) -> bool:
    """Whether the intended penalty gives the party the right to a hearing (art. 63 para 1).

    Items 3–4 by type (``config.hearing_kinds``); items 1–2 by amount against the configured
    thresholds ("以上" — inclusive); items 5–6 through ``facts.hearing_required_by_rule``.
    """
    penalties = tuple(facts.penalties_intended if penalties is None else penalties)
    if facts.hearing_required_by_rule or any(p.kind in config.hearing_kinds for p in penalties):
        return True
    fines = fine_total(penalties)
    confiscated = _sum(penalties, _CONFISCATIONS)
    thresholds = config.hearing_thresholds
    if thresholds is None:
        return fines > 0 or confiscated > 0
    citizen = _is_citizen(facts, config)
    fine_limit = thresholds.citizen_fine if citizen else thresholds.organization_fine
    conf_limit = (thresholds.citizen_confiscation if citizen else thresholds.organization_confiscation)
    conf_limit = fine_limit if conf_limit is None else conf_limit
    return (fines > 0 and fines >= fine_limit) or (confiscated > 0 and confiscated >= conf_limit)


def _aggregate(penalties: Iterable[Penalty]) -> dict[PenaltyKind, tuple[Decimal, int]]:
    out: dict[PenaltyKind, tuple[Decimal, int]] = {}
    for p in penalties:
        amount, days = out.get(p.kind, (Decimal("0"), 0))
        out[p.kind] = (amount + (p.amount or Decimal("0")), days + (p.duration_days or 0))
    return out


def is_heavier(decided: Iterable[Penalty], intended: Iterable[Penalty]) -> bool:
    """Whether ``decided`` is heavier than ``intended`` (art. 45 para 2; see ``SEVERITY``).

    Each decided type must be covered by the notice: the same type with an amount and duration no
    greater, or a type that ranks strictly lower than some notified type.
    """
    intended_by_kind = _aggregate(intended)
    for kind, (amount, days) in _aggregate(decided).items():
        if kind in intended_by_kind:
            i_amount, i_days = intended_by_kind[kind]
            if amount <= i_amount and days <= i_days:
                continue
            return True
        rank = SEVERITY[kind]
        lighter_than_notified = any((other := SEVERITY[k]) is not None and rank is not None and rank < other
                                    for k in intended_by_kind)
        if not lighter_than_notified:
            return True
    return False


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def defence_end(facts: CaseFacts, config: CaseConfig = DEFAULT_CONFIG) -> dt.date | None:
    """Last day of the statement-and-defence period (art. 45): the configured minimum after the
    notice, or the longer period the notice granted."""
    if facts.notice_date is None:
        return None
    minimum = config.calendar.add_working_days(facts.notice_date, config.defence_period_working_days)
    return max(minimum, facts.defence_deadline) if facts.defence_deadline else minimum


def hearing_request_end(facts: CaseFacts, config: CaseConfig = DEFAULT_CONFIG) -> dt.date | None:
    """Art. 64 item 1 + art. 85: last day to request a hearing — 5 working days after the notice."""
    if facts.notice_date is None:
        return None
    return config.calendar.add_working_days(facts.notice_date, config.hearing_request_working_days)


def decision_deadline(facts: CaseFacts, config: CaseConfig = DEFAULT_CONFIG) -> dt.date | None:
    """Art. 60: 90 (calendar) days from filing plus approved extensions; the last day rolls
    forward off a rest day (民事诉讼法 art. 85)."""
    if facts.filing_date is None:
        return None
    days = config.decision_days + sum(e.days for e in facts.extensions)
    return config.calendar.calendar_deadline(facts.filing_date, days)


def limitation_end(facts: CaseFacts, config: CaseConfig = DEFAULT_CONFIG) -> dt.date | None:
    """Art. 36: last day on which discovery still allows a penalty.

    2 years, or 5 where citizens' life and health or financial security are involved *and* there
    were harmful consequences; "法律另有规定的除外" via ``special_limitation``. Counted from the act,
    or from its end for continuing or repeated acts. Years are counted as calendar years from the
    day of the act (``add_months``), without a holiday roll-forward: the period limits the
    authority, not a time for a party to act (a reading, verify).
    """
    start = facts.act_start_of_limitation
    if start is None:
        return None
    if facts.special_limitation is not None:
        years = facts.special_limitation.years
    elif facts.life_health_financial_harm:
        years = config.limitation_years_serious
    else:
        years = config.limitation_years
    return add_months(start, 12 * years)


def filing_due(facts: CaseFacts, config: CaseConfig = DEFAULT_CONFIG) -> dt.date | None:
    """Filing period of the department rules (config; not in 行政处罚法)."""
    if facts.discovery_date is None:
        return None
    return config.calendar.add_working_days(facts.discovery_date, config.filing_period_working_days)


def service_due(facts: CaseFacts, config: CaseConfig = DEFAULT_CONFIG) -> dt.date | None:
    """Art. 61 + art. 85: within 7 working days after the decision when not handed over on the spot."""
    if facts.decision_date is None:
        return None
    return config.calendar.add_working_days(facts.decision_date, config.service_working_days)


def served_on(facts: CaseFacts) -> dt.date | None:
    """When the party received the decision; summary decisions are handed over on the spot (art. 52)."""
    if facts.service_date is not None:
        return facts.service_date
    if facts.procedure == Procedure.SUMMARY:
        return facts.decision_date
    return None


def payment_due(facts: CaseFacts, config: CaseConfig = DEFAULT_CONFIG) -> dt.date | None:
    """Art. 67: within 15 days of receiving the decision (calendar days, rolled forward off rest
    days), or the end of an approved deferral or instalment plan (art. 66)."""
    if facts.deferral_approved and facts.deferred_until is not None:
        return facts.deferred_until
    received = served_on(facts)
    if received is None:
        return None
    return config.calendar.calendar_deadline(received, config.payment_days)


def reconsideration_end(facts: CaseFacts, config: CaseConfig = DEFAULT_CONFIG) -> dt.date | None:
    """行政复议法 (2023) art. 20: 60 days from knowing the act (= receiving the decision)."""
    received = served_on(facts)
    return None if received is None else config.calendar.calendar_deadline(received, config.reconsideration_days)


def litigation_end(facts: CaseFacts, config: CaseConfig = DEFAULT_CONFIG) -> dt.date | None:
    """行政诉讼法 art. 46: 6 months from knowing the act (= receiving the decision)."""
    received = served_on(facts)
    return None if received is None else config.calendar.month_deadline(received, config.litigation_months)


def court_application_window(facts: CaseFacts, config: CaseConfig = DEFAULT_CONFIG
                             ) -> tuple[dt.date, dt.date] | None:
    """First and last day to apply to the court for compulsory execution.

    行政强制法 art. 53: if the party neither seeks reconsideration nor sues within the statutory
    periods and does not perform, the authority may apply "自期限届满之日起三个月内" — the
    periods meant are those for reconsideration and litigation (最高人民法院关于适用《行政诉讼法》
    的解释 第一百五十六条: "自被执行人的法定起诉期限届满之日起三个月内"). 行政处罚法 art. 72 para 2:
    with an approved deferral or instalments, the period runs from their end. So the window opens
    the day after the latest of (reconsideration end, litigation end, payment deadline) and closes
    3 months later. The demand of 行政强制法 art. 54 is checked separately.
    """
    ends = [d for d in (reconsideration_end(facts, config), litigation_end(facts, config),
                        payment_due(facts, config)) if d is not None]
    if not ends:
        return None
    expiry = max(ends)
    return expiry + dt.timedelta(days=1), config.calendar.month_deadline(expiry, config.court_application_months)


def hand_in_due(facts: CaseFacts, config: CaseConfig = DEFAULT_CONFIG) -> dt.date | None:
    """Art. 71 + art. 85: fines collected on the spot reach the authority within 2 working days
    (on water: from landing)."""
    start = facts.landed_on or facts.collected_on_spot_on
    return None if start is None else config.calendar.add_working_days(start, config.hand_in_working_days)


def amount_due(facts: CaseFacts, on: dt.date, config: CaseConfig = DEFAULT_CONFIG) -> Decimal:
    """Fine plus late surcharge minus any remitted surcharge (art. 67, 72).

    The surcharge runs until ``facts.payment_date`` (the latest payment) when that is not after
    ``on``, otherwise until ``on``.
    """
    fine = fine_total(facts.penalties_decided)
    due = payment_due(facts, config)
    until = facts.payment_date if facts.payment_date is not None and facts.payment_date <= on else on
    surcharge = Decimal("0")
    if config.impose_late_surcharge and due is not None:
        surcharge = max(late_surcharge(fine, due, until, config.late_surcharge_rate) - facts.surcharge_remitted,
                        Decimal("0"))
    return fine + surcharge


# --------------------------------------------------------------------------------------------
# Guards — each returns a Refusal or None. ``on`` is the date of the action.
# --------------------------------------------------------------------------------------------

Guard = Callable[[CaseFacts, CaseConfig, dt.date], Refusal | None]


def _handlers(facts: CaseFacts) -> list[OfficerOnCase]:
    return [o for o in facts.officers if not o.assisting]


def _min_officers(facts: CaseFacts, config: CaseConfig) -> int:
    return config.min_officers_summary if facts.procedure == Procedure.SUMMARY else config.min_officers


def guard_no_auxiliary_officer(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 42, 55: penalties are imposed by officers qualified for enforcement; auxiliary staff
    # (执法辅助人员) may assist but cannot be one of the enforcing officers.
    aux = [o.label for o in _handlers(facts) if o.kind == "auxiliary"]
    if aux:
        return _refuse("auxiliary_officer", (_A(42), _A(55)),
                       f"执法辅助人员{'、'.join(aux)}不能作为办案执法人员")
    return None


def guard_certificates_valid(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 42 (执法资格), 55 (出示执法证件): each enforcing officer holds a certificate valid that day.
    problems = [f"{o.label}{o.certificate_problem(on, facts.domain)}" for o in _handlers(facts)
                if o.kind != "auxiliary" and o.certificate_problem(on, facts.domain)]
    if problems:
        return _refuse("certificate_invalid", (_A(42), _A(55)), "；".join(problems))
    return None


def guard_two_officers(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 42: 执法人员不得少于两人 (unless a law provides otherwise — config.min_officers*);
    # art. 55: investigation and inspection by officers who show their certificates.
    needed = _min_officers(facts, config)
    valid = sum(1 for o in _handlers(facts) if o.may_enforce(on, facts.domain))
    if valid < needed:
        return _refuse("too_few_officers", (_A(42), _A(55)),
                       f"持有效执法证的执法人员{valid}名，不得少于{needed}名")
    return None


def guard_limitation(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 36: not discovered within 2 (5) years → no penalty; from the end of a continuing act.
    end = limitation_end(facts, config)
    if end is None:
        return _refuse("limitation_unknown", (_A(36),), "缺少违法行为发生（终了）日期，无法核对追责时效")
    discovered = facts.discovery_date or on
    if discovered > end:
        basis = facts.special_limitation.basis if facts.special_limitation else ""
        return _refuse("limitation_expired", (_A(36),),
                       f"违法行为于{facts.act_start_of_limitation}发生（终了），至{end}未被发现，"
                       f"{discovered}方发现，超过追责时效{basis}，不再给予行政处罚")
    return None


def guard_decline_reason(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 54: a case meeting the filing standard must be filed; declining needs a recorded reason.
    if not facts.decline_reason.strip():
        return _refuse("decline_reason_missing", (_A(54),), "不予立案须载明理由（符合立案标准的应当及时立案）")
    return None


def guard_revocation_reason(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 54: filing follows the filing standard; revoking a filing needs a recorded reason.
    if not facts.filing_revocation_reason.strip():
        return _refuse("revocation_reason_missing", (_A(54),), "撤销立案须载明理由")
    return None


def guard_filed(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 54: investigation in the general procedure follows filing (立案).
    if facts.filing_date is None or facts.filing_date > on:
        return _refuse("not_filed", (_A(54),), "普通程序案件须先立案再调查取证")
    return None


def guard_intended_penalty(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 44: the notice states the intended penalty (拟作出的行政处罚内容).
    if not facts.penalties_intended:
        return _refuse("intended_penalty_missing", (_A(44),), "告知书须载明拟作出的行政处罚内容")
    return None


_NOTICE_CONTENT = {"penalty": "拟作出的行政处罚内容", "facts": "事实", "reasons": "理由", "basis": "依据",
                   "rights": "陈述、申辩等权利"}


def guard_notice_content(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 44: content, facts, reasons, basis, and the rights to state, defend and (art. 63)
    # request a hearing.
    missing = [label for key, label in _NOTICE_CONTENT.items() if key not in facts.notice_contents]
    if hearing_eligible(facts, config) and "hearing_right" not in facts.notice_contents:
        missing.append("要求听证的权利")
    if missing:
        return _refuse("notice_incomplete", (_A(44), _A(63)), f"告知书缺少：{'、'.join(missing)}")
    return None


def guard_notice_after_filing(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 44, 54: the notice follows filing and investigation.
    if facts.filing_date is not None and on < facts.filing_date:
        return _refuse("notice_before_filing", (_A(44), _A(54)), f"告知日期{on}早于立案日期{facts.filing_date}")
    return None


def guard_hearing_right(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 63 para 1: a hearing is for larger fines/confiscations (thresholds are data), lowering a
    # qualification, revoking a licence, suspension/closure, restricting practice, and others.
    if not hearing_eligible(facts, config):
        return _refuse("hearing_not_available", (_A(63),), "拟作出的行政处罚不属于应当告知听证权利的情形")
    return None


def guard_hearing_request_timely(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 64 item 1 + art. 85: request within 5 working days after the notice.
    end = hearing_request_end(facts, config)
    if end is None:
        return _refuse("no_notice", (_A(44), _A(64, item=1)), "尚未告知，不能申请听证")
    if on > end:
        return _refuse("hearing_request_late", (_A(64, item=1), _A(85)),
                       f"听证申请应在告知后五个工作日内（至{end}）提出，{on}提出已逾期")
    return None


def guard_hearing_notice(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 64 item 2 + art. 85: the party is told the time and place 7 working days before the
    # hearing. Read as: the hearing is on or after the 7th working day after the notice day.
    if facts.hearing_notice_date is None:
        return _refuse("hearing_notice_missing", (_A(64, item=2),), "未通知当事人举行听证的时间、地点")
    earliest = config.calendar.add_working_days(facts.hearing_notice_date, config.hearing_notice_working_days)
    if on < earliest:
        return _refuse("hearing_notice_late", (_A(64, item=2), _A(85)),
                       f"听证通知于{facts.hearing_notice_date}发出，听证最早应在{earliest}举行（七个工作日前通知）")
    return None


def guard_hearing_host(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 64 item 4: presided by a person designated by the authority who did not investigate the case.
    investigators = {o.id for o in facts.officers}
    if not facts.hearing_host:
        return _refuse("hearing_host_missing", (_A(64, item=4),), "未指定听证主持人")
    if facts.hearing_host in investigators:
        return _refuse("hearing_host_investigator", (_A(64, item=4),), "听证主持人不得是本案调查人员")
    return None


def guard_hearing_free(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 63 para 2: 当事人不承担行政机关组织听证的费用.
    if facts.hearing_fee_charged > 0:
        return _refuse("hearing_fee", (_A(63, 2),), "当事人不承担组织听证的费用")
    return None


def guard_notice_before_decision(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 44, 62: no decision without first telling the party the intended penalty, facts,
    # reasons, basis and rights.
    if facts.notice_date is None or facts.notice_date > on:
        return _refuse("no_notice", (_A(44), _A(62)), "作出行政处罚决定前未告知当事人拟作出的行政处罚及其权利")
    return None


def guard_defence_period_over(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 45, 62: the party's statement and defence must be heard before the decision; the
    # decision waits for the end of the period unless the party expressly waived (recorded, art. 62).
    if facts.notice_date is None:
        return None  # guard_notice_before_decision refuses
    if facts.rights_waived_on is not None:
        if not facts.waiver_record.strip():
            return _refuse("waiver_not_recorded", (_A(62),), "当事人明确放弃陈述、申辩权利须有书面记录")
        if facts.rights_waived_on > on:
            return _refuse("waiver_after_decision", (_A(62),), "放弃陈述、申辩的记录晚于决定日期")
        return None
    end = defence_end(facts, config)
    assert end is not None
    if on <= end:
        return _refuse("defence_period_running", (_A(45), _A(62)),
                       f"陈述、申辩期限至{end}届满，届满前不得作出行政处罚决定")
    return None


def guard_defence_reviewed(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 45 para 1: facts, reasons and evidence put forward by the party must be checked (复核).
    if facts.defence_submitted and not facts.defence_reviewed:
        return _refuse("defence_not_reviewed", (_A(45, 1),), "当事人提出的事实、理由和证据尚未复核")
    return None


def guard_hearing_window_over(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 63, 64 item 1: where a hearing is available, the decision waits for the 5-working-day
    # request period, unless the party expressly waived the hearing (recorded, art. 62).
    if facts.notice_date is None or not hearing_eligible(facts, config):
        return None
    if facts.hearing_requested_on is not None:
        return None  # guard_no_pending_hearing
    if facts.hearing_waived and facts.rights_waived_on is not None and facts.waiver_record.strip():
        return None
    end = hearing_request_end(facts, config)
    assert end is not None
    if on <= end:
        return _refuse("hearing_period_running", (_A(63), _A(64, item=1)),
                       f"听证申请期限至{end}届满，届满前不得作出行政处罚决定")
    return None


def _timely_request_pending(facts: CaseFacts, config: CaseConfig) -> bool:
    end = hearing_request_end(facts, config)
    return (facts.hearing_requested_on is not None and end is not None and facts.hearing_requested_on <= end
            and not facts.hearing_request_withdrawn and facts.hearing_held_on is None
            and hearing_eligible(facts, config))


def guard_no_pending_hearing(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 63, 64, 65: a timely hearing request must be heard; the decision follows the hearing record.
    if _timely_request_pending(facts, config):
        return _refuse("hearing_pending", (_A(63), _A(64), _A(65)),
                       f"当事人已于{facts.hearing_requested_on}依法要求听证，听证结束前不得作出行政处罚决定")
    return None


def guard_not_heavier(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 45 para 2: 不得因当事人陈述、申辩而给予更重的处罚; art. 44: the party was told the intended
    # penalty. A heavier penalty needs a new notice with its own periods.
    if is_heavier(facts.penalties_decided, facts.penalties_intended):
        return _refuse("heavier_than_notified", (_A(44), _A(45, 2)),
                       "决定的行政处罚重于告知的拟处罚，不得因陈述、申辩加重处罚；如需加重应重新告知")
    return None


def guard_no_double_fine(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 29: one illegal act of the same party gets at most one fine.
    if fine_total(facts.penalties_decided) > 0 and facts.existing_fines_same_act:
        return _refuse("double_fine", (_A(29),),
                       f"同一违法行为已被罚款（{'、'.join(facts.existing_fines_same_act)}），不得再次罚款")
    return None


def guard_fine_in_range(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 4: penalties as the law, regulation or rule provides — never above the item's maximum;
    # art. 32: below the minimum (减轻处罚) only with a legal basis for mitigation.
    fine = fine_total(facts.penalties_decided)
    rng = facts.fine_range
    if fine <= 0 or rng is None:
        return None
    basis = f"（{rng.basis}）" if rng.basis else ""
    if rng.maximum is not None and fine > rng.maximum:
        return _refuse("fine_above_maximum", (_A(4),), f"罚款{fine}元超过法定最高额{rng.maximum}元{basis}")
    if rng.minimum is not None and fine < rng.minimum and not facts.mitigation_basis.strip():
        return _refuse("fine_below_minimum", (_A(32),),
                       f"罚款{fine}元低于法定最低额{rng.minimum}元{basis}，减轻处罚须有法定依据")
    return None


def guard_legal_review(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 58: legal review before the decision where (1) major public interest, (2) major rights
    # and a hearing was held (a held hearing is taken to suffice — hearing penalties are major by
    # nature), (3) difficult or complex cases, (4) required by law; not reviewed or not passed → no decision.
    required = (facts.major_public_interest or facts.hearing_held_on is not None or facts.complex_case
                or facts.review_required_by_law)
    if required and not facts.legal_review_passed:
        return _refuse("legal_review_missing", (_A(58),), "本案应当进行法制审核，未经审核或审核未通过不得作出决定")
    return None


def guard_collective_deliberation(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 57 para 2: complex cases and serious violations are decided by collective deliberation.
    if (facts.serious_violation or facts.complex_case) and not facts.collective_deliberation_done:
        return _refuse("deliberation_missing", (_A(57, 2),), "情节复杂或者重大违法行为应当由行政机关负责人集体讨论决定")
    return None


def guard_decision_within_period(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 60: decision within 90 days of filing; extensions only as laws/regulations/rules provide.
    due = decision_deadline(facts, config)
    if due is None:
        return _refuse("not_filed", (_A(54), _A(60)), "缺少立案日期，无法核对办案期限")
    if on > due:
        extra = sum(e.days for e in facts.extensions)
        ext = f"（含延长{extra}日）" if extra else ""
        return _refuse("decision_overdue", (_A(60),),
                       f"应自立案之日起九十日内作出决定{ext}，期限至{due}，{on}已超期且无延长批准")
    return None


def guard_facts_clear(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 40: facts unclear or evidence insufficient → no penalty (also art. 51: "违法事实确凿").
    if not facts.facts_clear:
        return _refuse("facts_unclear", (_A(40),), "违法事实不清、证据不足的，不得给予行政处罚")
    return None


def guard_legal_basis(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 59 items 2–3 (and art. 51 "有法定依据"): the decision names the penalty and its legal basis.
    if not facts.legal_basis.strip() or not facts.penalties_decided:
        return _refuse("basis_missing", (_A(59),), "处罚决定须载明行政处罚的种类和依据")
    return None


def guard_not_under_14(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 30: a person under 14 is not punished. The age at the end of a continuing act counts.
    act = facts.act_start_of_limitation
    if (facts.party_kind == PartyKind.CITIZEN and facts.party_birth_date and act
            and age_on(facts.party_birth_date, act) < 14):
        return _refuse("under_14", (_A(30),), "不满十四周岁的未成年人有违法行为的，不予行政处罚")
    return None


def guard_not_mentally_incapable(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 31: not punished when unable to recognise or control their conduct.
    if facts.mental_incapacity:
        return _refuse("mental_incapacity", (_A(31),), "精神病人、智力残疾人在不能辨认或者不能控制自己行为时有违法行为的，不予行政处罚")
    return None


def guard_not_minor_corrected(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 33 para 1, first sentence: minor, corrected in time, no harm → no penalty ("不予", mandatory).
    if facts.minor_violation and facts.corrected_in_time and facts.no_harmful_consequence:
        return _refuse("minor_corrected_no_harm", (_A(33, 1),), "违法行为轻微并及时改正，没有造成危害后果的，不予行政处罚")
    return None


def guard_not_without_fault(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 33 para 2: proof of no subjective fault → no penalty, unless a law or administrative
    # regulation provides otherwise.
    if facts.no_fault_proven and not facts.fault_presumed_by_law:
        return _refuse("no_fault", (_A(33, 2),), "当事人有证据足以证明没有主观过错的，不予行政处罚")
    return None


def guard_summary_procedure(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 51: on-the-spot decisions belong to the summary procedure.
    if facts.procedure != Procedure.SUMMARY:
        return _refuse("not_summary", (_A(51),), "普通程序案件不得当场作出行政处罚决定")
    return None


def guard_summary_limits(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 51: only a warning, or a fine of 200 yuan or less (citizen) / 3,000 yuan or less (legal
    # person, other organisation). "以下" includes the amount. Otherwise: the general procedure.
    other = [PENALTY_LABELS[p.kind] for p in facts.penalties_decided
             if p.kind not in (PenaltyKind.WARNING, PenaltyKind.FINE)]
    if other:
        return _refuse("summary_penalty_type", (_A(51),),
                       f"简易程序只能给予警告或者限额以下罚款，{'、'.join(other)}应适用普通程序")
    fine = fine_total(facts.penalties_decided)
    citizen = _is_citizen(facts, config)
    limit = config.summary_limits.citizen if citizen else config.summary_limits.organization
    if fine > limit:
        who = "公民" if citizen else "法人或者其他组织"
        return _refuse("summary_limit_exceeded", (_A(51),),
                       f"对{who}当场罚款以{limit}元以下为限，{fine}元应适用普通程序")
    return None


def guard_service_after_decision(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 61: the decision is served after it is made.
    if facts.decision_date is None or on < facts.decision_date:
        return _refuse("service_before_decision", (_A(61),), "送达日期早于处罚决定日期或尚未作出决定")
    return None


def guard_electronic_consent(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 61 para 2: electronic service (fax, e-mail…) only with the party's signed consent.
    if facts.service_method == "electronic" and not facts.electronic_service_consent:
        return _refuse("electronic_service_without_consent", (_A(61, 2),), "电子送达须经当事人同意并签订确认书")
    return None


def guard_paid_in_full(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 67 (fine) and art. 72 item 1 (late surcharge): "paid" means fine plus any surcharge.
    due = amount_due(facts, on, config)
    if facts.amount_paid < due:
        return _refuse("not_paid_in_full", (_A(67), _A(72, 1, 1)),
                       f"应缴{due}元（含加处罚款），已缴{facts.amount_paid}元，尚未缴清")
    return None


def guard_deferral_approved(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 66 para 2: deferral or instalments on the party's application and the authority's approval.
    if not facts.deferral_approved or facts.deferred_until is None:
        return _refuse("deferral_not_approved", (_A(66, 2),), "暂缓或者分期缴纳罚款须经当事人申请和行政机关批准并明确期限")
    return None


def guard_on_spot_collection(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 67 para 1: the deciding body does not collect fines itself, except art. 68 (summary
    # procedure: 100 yuan or less, or hard to enforce afterwards) and art. 69 (remote, water or
    # poorly connected areas, at the party's request).
    fine = fine_total(facts.penalties_decided)
    art68 = facts.procedure == Procedure.SUMMARY and (fine <= config.on_spot_collection_limit
                                                       or facts.hard_to_enforce_later)
    art69 = facts.remote_area and facts.party_requested_on_spot
    if not (art68 or art69):
        return _refuse("on_spot_collection_not_allowed", (_A(67), _A(68), _A(69)),
                       f"当场收缴罚款仅限简易程序{config.on_spot_collection_limit}元以下或事后难以执行，"
                       f"或边远、水上、交通不便地区经当事人提出")
    return None


def guard_receipt(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 70: an official receipt of the provincial finance department is issued.
    if not facts.receipt_number.strip():
        return _refuse("receipt_missing", (_A(70),), "当场收缴罚款须出具省级财政部门统一制发的专用票据")
    return None


def _fine_outstanding(facts: CaseFacts, on: dt.date, config: CaseConfig) -> bool:
    return fine_total(facts.penalties_decided) > 0 and facts.amount_paid < amount_due(facts, on, config)


def guard_payment_overdue(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # 行政处罚法 art. 72; 行政强制法 art. 54: the demand (催告) follows a missed payment deadline.
    due = payment_due(facts, config)
    if due is None or on <= due:
        return _refuse("payment_not_overdue", (_A(67), _A(72), _C(54)), f"缴纳期限{due or '未开始'}尚未届满，不得催告")
    if not _fine_outstanding(facts, on, config):
        return _refuse("nothing_outstanding", (_A(72), _C(54)), "罚款已缴清，无需催告")
    return None


def guard_demand_served(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # 行政强制法 art. 54 + art. 69: demand first; apply when 10 (working) days after its service
    # the party still has not performed.
    if facts.demand_served_on is None:
        return _refuse("demand_missing", (_C(54),), "申请人民法院强制执行前应当催告当事人履行义务")
    ready = config.calendar.add_working_days(facts.demand_served_on, config.demand_wait_working_days)
    if on <= ready:
        return _refuse("demand_period_running", (_C(54), _C(69)), f"催告书送达十个工作日（至{ready}）后方可申请")
    return None


def guard_court_window(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # 行政强制法 art. 53 (and 行政诉讼法解释 art. 156): apply within 3 months after the statutory
    # periods for reconsideration and litigation expire; 行政处罚法 art. 72 para 2: after an approved
    # deferral, from its end. Late applications only with just cause.
    window = court_application_window(facts, config)
    if window is None:
        return _refuse("not_served", (_C(53),), "处罚决定尚未送达，复议、诉讼期限未起算")
    first, last = window
    if on < first:
        return _refuse("court_application_premature", (_C(53), _A(72, 2)),
                       f"当事人申请复议、提起诉讼的期限尚未届满，{first}起方可申请")
    if on > last and not facts.just_cause_for_delay:
        return _refuse("court_application_late", (_C(53), Ref(156, law=LITIGATION_INTERPRETATION)),
                       f"申请期限已于{last}届满（期限届满之日起三个月内），无正当理由逾期申请法院不予受理")
    return None


def guard_no_remedy_pending(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # 行政强制法 art. 53: only where the party neither sought reconsideration nor sued.
    if facts.review_or_litigation_pending:
        return _refuse("remedy_pending", (_C(53),), "当事人已申请行政复议或提起行政诉讼，不得申请非诉强制执行")
    return None


def guard_execution_outstanding(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # 行政强制法 art. 53: only where the party has not performed.
    if fine_total(facts.penalties_decided) > 0 and not _fine_outstanding(facts, on, config):
        return _refuse("nothing_outstanding", (_C(53),), "当事人已履行，无需申请强制执行")
    return None


def guard_suspected_crime(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 27: a suspected crime is transferred to the judicial authorities.
    if not facts.suspected_crime.strip():
        return _refuse("suspected_crime_missing", (_A(27),), "移送须载明涉嫌犯罪的事实和罪名")
    return None


def guard_referral_declined(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 27: the administrative case continues only if the judicial authority declined the case
    # (不予立案并退回; the referral rules of the State Council set the details — verify).
    if facts.referral_declined_on is None:
        return _refuse("referral_not_declined", (_A(27),), "司法机关尚未作出不予立案等决定并退回，不得继续办理")
    return None


def guard_transfer_target(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 22–25: jurisdiction by place, level, township assignment, first filing or designation.
    if not facts.transfer_to.strip():
        return _refuse("transfer_target_missing", (_A(22), _A(23), _A(24), _A(25)), "移送管辖须载明有管辖权的机关")
    return None


def guard_no_penalty_ground(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 30, 31, 33, 36, 40, 57 para 1 item 3: no penalty only on a ground the facts support.
    ground = facts.no_penalty_ground
    if ground is None:
        return _refuse("no_penalty_ground_missing", (_A(57, 1),), "不予行政处罚须载明法定情形")
    supported, refs = {
        NoPenaltyGround.MINOR_CORRECTED_NO_HARM: (
            facts.minor_violation and facts.corrected_in_time and facts.no_harmful_consequence, (_A(33, 1),)),
        NoPenaltyGround.FIRST_OFFENCE: (
            facts.first_offence and facts.harm_minor and facts.corrected_in_time, (_A(33, 1),)),
        NoPenaltyGround.NO_FAULT: (facts.no_fault_proven and not facts.fault_presumed_by_law, (_A(33, 2),)),
        NoPenaltyGround.UNDER_14: (guard_not_under_14(facts, config, on) is not None, (_A(30),)),
        NoPenaltyGround.MENTAL_INCAPACITY: (facts.mental_incapacity, (_A(31),)),
        NoPenaltyGround.LIMITATION_EXPIRED: (
            limitation_end(facts, config) is not None and guard_limitation(facts, config, on) is not None,
            (_A(36),)),
        NoPenaltyGround.FACTS_UNCLEAR: (not facts.facts_clear, (_A(40), _A(57, 1, 3))),
    }[ground]
    if not supported:
        return _refuse("no_penalty_ground_unsupported", refs,
                       f"案件事实不符合“{NO_PENALTY_LABELS[ground]}”不予处罚的法定条件")
    return None


def guard_nothing_outstanding(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 66, 67, 72: a case with a fine closes when the fine (and surcharge) is paid, or when
    # the court concluded execution.
    if _fine_outstanding(facts, on, config) and not facts.enforcement_concluded:
        return _refuse("fine_outstanding", (_A(66), _A(67), _A(72)), "罚款尚未缴清，不得结案")
    return None


# -- non-blocking flags ----------------------------------------------------------------------


def flag_filing_late(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Not in 行政处罚法 (art. 54 says "及时立案"); the period of the department rules is data.
    due = filing_due(facts, config)
    if due is not None and on > due:
        return _refuse("filing_late", (config.filing_period_basis,),
                       f"自发现线索之日起{config.filing_period_working_days}个工作日内（至{due}）应决定是否立案"
                       f"，{on}立案已超期")
    return None


def flag_service_late(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 61 + art. 85: served within 7 working days after the decision.
    due = service_due(facts, config)
    if due is not None and on > due:
        return _refuse("service_late", (_A(61), _A(85)), f"处罚决定书应在决定后七个工作日内（至{due}）送达，{on}送达已超期")
    return None


def flag_payment_late(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 67: 15 days from receipt; art. 72: late → surcharge.
    due = payment_due(facts, config)
    if due is not None and on > due:
        return _refuse("payment_late", (_A(67), _A(72, 1, 1)), f"缴纳期限至{due}，{on}缴纳已逾期，依法加处罚款")
    return None


def flag_minor_14_to_18(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 30: 14 to 18 years old → a lighter or mitigated penalty.
    act = facts.act_start_of_limitation
    if facts.party_kind == PartyKind.CITIZEN and facts.party_birth_date and act \
            and 14 <= age_on(facts.party_birth_date, act) < 18:
        return _refuse("minor_lighter", (_A(30),), "已满十四周岁不满十八周岁的未成年人有违法行为的，应当从轻或者减轻行政处罚")
    return None


def flag_education(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 33 para 3: where no penalty is given under art. 33, the party is educated.
    if facts.no_penalty_ground in (NoPenaltyGround.MINOR_CORRECTED_NO_HARM, NoPenaltyGround.FIRST_OFFENCE,
                                   NoPenaltyGround.NO_FAULT) and not facts.education_given:
        return _refuse("education_missing", (_A(33, 3),), "依法不予行政处罚的，应当对当事人进行教育")
    return None


def flag_hand_in_late(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 71 + art. 85: fines collected on the spot are handed in within 2 working days.
    due = hand_in_due(facts, config)
    if due is not None and (facts.handed_in_on or on) > due:
        return _refuse("hand_in_late", (_A(71), _A(85)), f"当场收缴的罚款应于{due}前交至行政机关")
    return None


# -- registries ------------------------------------------------------------------------------

_OFFICERS = (guard_no_auxiliary_officer, guard_certificates_valid, guard_two_officers)
_MANDATORY_NO_PENALTY = (guard_not_under_14, guard_not_mentally_incapable, guard_not_minor_corrected,
                         guard_not_without_fault, guard_facts_clear)

GUARDS: dict[Action, tuple[Guard, ...]] = {
    A.FILE: (guard_limitation,),
    A.DECLINE_FILING: (guard_decline_reason,),
    A.START_INVESTIGATION: (guard_filed, *_OFFICERS),
    A.NOTIFY: (guard_intended_penalty, guard_notice_content, guard_notice_after_filing),
    A.REQUEST_HEARING: (guard_hearing_right, guard_hearing_request_timely),
    A.WITHDRAW_HEARING_REQUEST: (),
    A.HOLD_HEARING: (guard_hearing_notice, guard_hearing_host, guard_hearing_free),
    A.SUBMIT_LEGAL_REVIEW: (),
    A.DELIBERATE: (),
    A.RETURN_FOR_INVESTIGATION: (),
    A.DECIDE: (*_OFFICERS, guard_notice_before_decision, guard_defence_period_over, guard_defence_reviewed,
               guard_hearing_window_over, guard_no_pending_hearing, guard_not_heavier, guard_no_double_fine,
               guard_fine_in_range, guard_legal_review, guard_collective_deliberation,
               guard_decision_within_period, guard_limitation, guard_legal_basis, *_MANDATORY_NO_PENALTY),
    A.DECIDE_NO_PENALTY: (guard_no_penalty_ground,),
    A.DECIDE_ON_SPOT: (guard_summary_procedure, guard_summary_limits, *_OFFICERS, guard_legal_basis,
                       guard_no_double_fine, guard_fine_in_range, guard_limitation, *_MANDATORY_NO_PENALTY),
    A.SERVE: (guard_service_after_decision, guard_electronic_consent),
    A.PAY: (guard_paid_in_full,),
    A.PAY_PART: (),
    A.DEFER: (guard_deferral_approved,),
    A.COLLECT_ON_SPOT: (guard_on_spot_collection, guard_receipt),
    A.DEMAND_PAYMENT: (guard_payment_overdue,),
    A.APPLY_TO_COURT: (guard_demand_served, guard_court_window, guard_no_remedy_pending, guard_execution_outstanding),
    A.REFER_CRIMINAL: (guard_suspected_crime,),
    A.RESUME: (guard_referral_declined,),
    A.TRANSFER: (guard_transfer_target,),
    A.REVOKE_FILING: (guard_revocation_reason,),
    A.CLOSE: (guard_nothing_outstanding,),
    A.ARCHIVE: (),
}

FLAGS: dict[Action, tuple[Guard, ...]] = {
    A.FILE: (flag_filing_late,),
    A.DECIDE: (flag_minor_14_to_18,),
    A.DECIDE_ON_SPOT: (flag_minor_14_to_18,),
    A.DECIDE_NO_PENALTY: (flag_education,),
    A.SERVE: (flag_service_late,),
    A.PAY: (flag_payment_late,),
    A.PAY_PART: (flag_payment_late,),
    A.CLOSE: (flag_hand_in_late,),
}

ALL_GUARDS: tuple[Guard, ...] = tuple(dict.fromkeys(g for gs in GUARDS.values() for g in gs))
ALL_FLAGS: tuple[Guard, ...] = tuple(dict.fromkeys(g for gs in FLAGS.values() for g in gs))

#: The facts field holding the date of each action (falls back to ``facts.as_of``).
ACTION_DATE_FIELD: dict[Action, str] = {
    A.FILE: "filing_date",
    A.NOTIFY: "notice_date",
    A.REQUEST_HEARING: "hearing_requested_on",
    A.HOLD_HEARING: "hearing_date",
    A.DECIDE: "decision_date",
    A.DECIDE_NO_PENALTY: "decision_date",
    A.DECIDE_ON_SPOT: "decision_date",
    A.SERVE: "service_date",
    A.PAY: "payment_date",
    A.PAY_PART: "payment_date",
    A.COLLECT_ON_SPOT: "collected_on_spot_on",
    A.DEMAND_PAYMENT: "demand_served_on",
    A.APPLY_TO_COURT: "court_applied_on",
    A.RESUME: "referral_declined_on",
}


def action_date(action: Action | str, facts: CaseFacts) -> dt.date | None:
    name = ACTION_DATE_FIELD.get(Action(action))
    return (getattr(facts, name) if name else None) or facts.as_of


# --------------------------------------------------------------------------------------------
# check
# --------------------------------------------------------------------------------------------


def check(state: State | str, action: Action | str, facts: CaseFacts,
          config: CaseConfig | None = None) -> Result:
    """May ``action`` be taken on a case in ``state`` with ``facts``? Collects every refusal."""
    config = config or DEFAULT_CONFIG
    state, action = State(state), Action(action)
    target = TRANSITIONS.get((state, action))
    refusals: list[Refusal] = []
    flags: list[Refusal] = []
    if target is None:
        refusals.append(_refuse("transition_not_allowed", ACTION_BASIS[action],
                                f"案件处于“{STATE_LABELS[state]}”，不能{ACTION_LABELS[action]}"))
    on = action_date(action, facts)
    if on is None:
        refusals.append(_refuse("date_missing", ACTION_BASIS[action], f"缺少{ACTION_LABELS[action]}的日期"))
    else:
        for guard in GUARDS[action]:
            if (refusal := guard(facts, config, on)) is not None:
                refusals.append(refusal)
        for flag in FLAGS.get(action, ()):
            if (finding := flag(facts, config, on)) is not None:
                flags.append(finding)
    allowed = not refusals
    return Result(allowed=allowed, next_state=target if allowed else None, refusals=refusals, flags=flags)


def available_actions(state: State | str, facts: CaseFacts, config: CaseConfig | None = None) -> list[Action]:
    """Actions the table offers from ``state`` whose guards all pass."""
    state = State(state)
    return [a for (s, a) in TRANSITIONS if s == state and check(s, a, facts, config).allowed]
