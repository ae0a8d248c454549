"""Statutory deadlines of a penalty case — pure Python, no Django.

``case_deadlines(facts, calendar)`` lists every deadline that the facts make computable, each with
the article that sets it and a status relative to "today":

* ``ok`` — met on time, or not yet near;
* ``warning`` — not met and due within ``config.warning_days`` calendar days;
* ``overdue`` — not met and past due, or met late.

Deadlines marked ``party=True`` are periods *of the party* (statement and defence, hearing request,
reconsideration, litigation): there "overdue" means the period has run out. The period arithmetic
itself lives in :mod:`zhifa.cases.rules` so that the guards and this list can never disagree.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
from dataclasses import dataclass

from zhifa.cases.rules import (
    COMPULSION_LAW,
    DEFAULT_CONFIG,
    LITIGATION_LAW,
    PENALTY_LAW,
    RECONSIDERATION_LAW,
    CaseConfig,
    CaseFacts,
    Procedure,
    Ref,
    amount_due,
    cite,
    court_application_window,
    decision_deadline,
    defence_end,
    filing_due,
    fine_total,
    hand_in_due,
    hearing_eligible,
    hearing_request_end,
    late_surcharge,
    limitation_end,
    litigation_end,
    payment_due,
    reconsideration_end,
    ref_matches,
    service_due,
)
from zhifa.core import workdays
from zhifa.core.workdays import WorkdayCalendar

__all__ = ["DeadlineStatus", "Deadline", "case_deadlines", "late_surcharge"]


class DeadlineStatus(enum.StrEnum):
    OK = "ok"
    WARNING = "warning"
    OVERDUE = "overdue"


@dataclass(frozen=True)
class Deadline:
    name: str  # identifier, e.g. "decision"
    label: str  # Chinese label for the UI
    due: dt.date  # the last day
    article: str  # display citation, e.g. 《行政处罚法》第六十条
    status: DeadlineStatus
    met_on: dt.date | None = None  # when the duty was performed or the period used
    party: bool = False  # a period of the party rather than a duty of the authority
    refs: tuple[str, ...] = ()  # machine form, e.g. ("行政处罚法:60",)

    def cites(self, expected: str) -> bool:
        return any(ref_matches(key, expected) for key in self.refs)


def _P(article: int, paragraph: int | None = None, item: int | None = None) -> Ref:
    return Ref(article, paragraph, item, PENALTY_LAW)


def _status(due: dt.date, met_on: dt.date | None, today: dt.date, warning_days: int) -> DeadlineStatus:
    if met_on is not None:
        return DeadlineStatus.OK if met_on <= due else DeadlineStatus.OVERDUE
    if today > due:
        return DeadlineStatus.OVERDUE
    if (due - today).days <= warning_days:
        return DeadlineStatus.WARNING
    return DeadlineStatus.OK


def case_deadlines(
    facts: CaseFacts,
    calendar: WorkdayCalendar | None = None,
    config: CaseConfig | None = None,
    today: dt.date | None = None,
) -> list[Deadline]:
    """Every computable deadline of the case, in the order the procedure meets them.

    ``calendar`` overrides ``config.calendar``; ``today`` defaults to ``facts.as_of`` (and only then
    to today in China).
    """
    config = config or DEFAULT_CONFIG
    if calendar is not None:
        config = dataclasses.replace(config, calendar=calendar)
    today = today or facts.as_of or workdays.today()
    out: list[Deadline] = []

    def add(
        name: str,
        label: str,
        due: dt.date | None,
        refs: tuple[Ref, ...],
        met_on: dt.date | None = None,
        party: bool = False,
    ) -> None:
        if due is not None:
            out.append(
                Deadline(
                    name,
                    label,
                    due,
                    cite(refs),
                    _status(due, met_on, today, config.warning_days),
                    met_on,
                    party,
                    tuple(r.key for r in refs),
                )
            )

    general = facts.procedure == Procedure.GENERAL
    fine = fine_total(facts.penalties_decided)

    # Limitation (art. 36; "法律另有规定的除外" — a special period names its basis in the label).
    special = facts.special_limitation
    add(
        "limitation",
        f"追责时效（{special.basis}）" if special else "追责时效",
        limitation_end(facts, config),
        (_P(36),),
        met_on=facts.discovery_date,
    )
    # Filing: department rules, not the law (config).
    if general:
        add(
            "filing",
            "决定是否立案",
            filing_due(facts, config),
            (config.filing_period_basis,),
            met_on=facts.filing_date,
        )
    # Statement and defence (art. 45; length is configuration) and hearing request (art. 64 item 1, art. 85).
    if general and facts.rights_waived_on is None:
        add("defence_period", "陈述申辩期限", defence_end(facts, config), (_P(45),), party=True)
    if general and hearing_eligible(facts, config) and not facts.hearing_waived:
        add(
            "hearing_request",
            "听证申请期限",
            hearing_request_end(facts, config),
            (_P(64, item=1), _P(85)),
            met_on=facts.hearing_requested_on,
            party=True,
        )
    # Hearing notice 7 working days before the hearing (art. 64 item 2, art. 85).
    if facts.hearing_date is not None:
        add(
            "hearing_notice",
            "听证通知",
            config.calendar.add_working_days(facts.hearing_date, -config.hearing_notice_working_days),
            (_P(64, item=2), _P(85)),
            met_on=facts.hearing_notice_date,
        )
    # Decision within 90 days of filing plus extensions (art. 60).
    if general:
        add(
            "decision",
            "作出处罚决定",
            decision_deadline(facts, config),
            (_P(60),),
            met_on=facts.decision_date,
        )
    # Service within 7 working days (art. 61, art. 85).
    if general:
        add(
            "service",
            "送达处罚决定书",
            service_due(facts, config),
            (_P(61), _P(85)),
            met_on=facts.service_date,
        )
    # Payment within 15 days of receipt, or the approved deferral (art. 66, 67).
    if fine > 0:
        due = payment_due(facts, config)
        paid_on = None
        if (
            due is not None
            and facts.payment_date is not None
            and facts.amount_paid >= amount_due(facts, facts.payment_date, config)
        ):
            paid_on = facts.payment_date
        add("payment", "缴纳罚款", due, (_P(66), _P(67)), met_on=paid_on)
    # Fines collected on the spot handed in within 2 working days (art. 71, art. 85).
    add(
        "hand_in",
        "当场收缴罚款交至行政机关",
        hand_in_due(facts, config),
        (_P(71), _P(85)),
        met_on=facts.handed_in_on,
    )
    # The party's remedies: reconsideration (60 days) and litigation (6 months).
    if facts.penalties_decided:
        add(
            "reconsideration",
            "申请行政复议期限",
            reconsideration_end(facts, config),
            (Ref(20, law=RECONSIDERATION_LAW),),
            party=True,
        )
        add(
            "litigation",
            "提起行政诉讼期限",
            litigation_end(facts, config),
            (Ref(46, law=LITIGATION_LAW),),
            party=True,
        )
    # Application to the court (行政强制法 art. 53, 54; 行政处罚法 art. 72 para 2), only while unpaid.
    if fine > 0 and facts.amount_paid < amount_due(facts, today, config):
        window = court_application_window(facts, config)
        if window is not None:
            add(
                "court_application",
                "申请人民法院强制执行",
                window[1],
                (Ref(53, law=COMPULSION_LAW), Ref(54, law=COMPULSION_LAW), _P(72, 2)),
                met_on=facts.court_applied_on,
            )
    return out
