"""Amounts, comparisons and periods: fines and the late surcharge (行政处罚法第七十二条, 行政强制法
第四十五条), hearing eligibility (第六十三条), "heavier" (第四十五条第二款), and every deadline — statement
and defence (第四十五条), hearing request (第六十四条), decision (第六十条), limitation (第三十六条), service
(第六十一条), payment (第六十七条), remedies (行政复议法第二十条, 行政诉讼法第四十六条), court application
(行政强制法第五十三条) and hand-in (第七十一条). Working days only for the 2-, 3-, 5-, 7-day periods (第八十五条)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from zhifa.core.workdays import add_months

from .case_facts import CaseFacts, Penalty
from .config import DEFAULT_CONFIG, CaseConfig, _money
from .vocabulary import _CONFISCATIONS, SEVERITY, PartyKind, PenaltyKind, Procedure

_CENT = Decimal("0.01")


def _sum(penalties: Iterable[Penalty], kinds: Iterable[PenaltyKind]) -> Decimal:
    kinds = frozenset(kinds)
    return sum((p.amount or Decimal("0") for p in penalties if p.kind in kinds), Decimal("0"))


def fine_total(penalties: Iterable[Penalty]) -> Decimal:
    return _sum(penalties, (PenaltyKind.FINE,))


def late_surcharge(
    fine: Decimal | int | str, due_date: dt.date, paid_or_today: dt.date, rate: Decimal = Decimal("0.03")
) -> Decimal:
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
        facts.party_kind == PartyKind.INDIVIDUAL_BUSINESS and config.individual_business_as_citizen
    )


def hearing_eligible(
    facts: CaseFacts, config: CaseConfig = DEFAULT_CONFIG, penalties: Iterable[Penalty] | None = None
) -> bool:
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
    conf_limit = thresholds.citizen_confiscation if citizen else thresholds.organization_confiscation
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
        lighter_than_notified = any(
            (other := SEVERITY[k]) is not None and rank is not None and rank < other for k in intended_by_kind
        )
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
    return (
        None if received is None else config.calendar.calendar_deadline(received, config.reconsideration_days)
    )


def litigation_end(facts: CaseFacts, config: CaseConfig = DEFAULT_CONFIG) -> dt.date | None:
    """行政诉讼法 art. 46: 6 months from knowing the act (= receiving the decision)."""
    received = served_on(facts)
    return None if received is None else config.calendar.month_deadline(received, config.litigation_months)


def court_application_window(
    facts: CaseFacts, config: CaseConfig = DEFAULT_CONFIG
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
    ends = [
        d
        for d in (
            reconsideration_end(facts, config),
            litigation_end(facts, config),
            payment_due(facts, config),
        )
        if d is not None
    ]
    if not ends:
        return None
    expiry = max(ends)
    return expiry + dt.timedelta(days=1), config.calendar.month_deadline(
        expiry, config.court_application_months
    )


def hand_in_due(facts: CaseFacts, config: CaseConfig = DEFAULT_CONFIG) -> dt.date | None:
    """Art. 71 + art. 85: fines collected on the spot reach the authority within 2 working days
    (on water: from landing)."""
    start = facts.landed_on or facts.collected_on_spot_on
    return None if start is None else config.calendar.add_working_days(start, config.hand_in_working_days)


def paused_days(facts: CaseFacts, after: dt.date, until: dt.date) -> int:
    """Art. 73 para 3: "当事人申请行政复议或者提起行政诉讼的，加处罚款的数额在行政复议或者行政诉讼期间不予
    计算" — the days in (after, until] during which a reconsideration or a lawsuit was pending (from
    its filing to its result; still pending: to ``until``)."""
    days: set[dt.date] = set()
    for start, end in facts.remedy_periods:
        first = max(start, after + dt.timedelta(days=1))
        last = min(end or until, until)
        days.update(first + dt.timedelta(days=n) for n in range((last - first).days + 1))
    return len(days)


def amount_due(facts: CaseFacts, on: dt.date, config: CaseConfig = DEFAULT_CONFIG) -> Decimal:
    """Fine plus late surcharge minus any remitted surcharge (art. 67, 72), the days of a pending
    reconsideration or lawsuit not counted (art. 73).

    The surcharge runs until ``facts.payment_date`` (the latest payment) when that is not after
    ``on``, otherwise until ``on``.
    """
    fine = fine_total(facts.penalties_decided)
    due = payment_due(facts, config)
    until = facts.payment_date if facts.payment_date is not None and facts.payment_date <= on else on
    surcharge = Decimal("0")
    if config.impose_late_surcharge and due is not None:
        counted = until - dt.timedelta(days=paused_days(facts, due, until)) if until > due else until
        surcharge = max(
            late_surcharge(fine, due, counted, config.late_surcharge_rate) - facts.surcharge_remitted,
            Decimal("0"),
        )
    return fine + surcharge
