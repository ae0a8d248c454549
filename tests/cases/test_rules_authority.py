"""Rules added with the acts of authority (pure; no database): dates of acts, mandatory
mitigation for minors and art. 32 circumstances, court application by bodies without their own
execution power, and the periods LAW.md corrects (art. 85, 行政强制法 art. 69)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from tests.cases.test_rules import BASE, CONFIG, DECIDED_ON, SERVED, fine
from zhifa.cases import rules

D = dt.date


def test_no_action_dated_in_the_future():
    # 行政处罚法第四十七条: the record states when each step happened; nothing is dated after today.
    config = CONFIG.__class__(**{**CONFIG.__dict__, "today": D(2026, 3, 9)})
    result = rules.check("notified", "decide", BASE, config)
    assert not result.allowed
    assert "date_in_future" in {r.code for r in result.refusals}
    today = CONFIG.__class__(**{**CONFIG.__dict__, "today": DECIDED_ON})
    assert "date_in_future" not in {r.code for r in rules.check("notified", "decide", BASE, today).refusals}


def test_no_action_before_the_configured_earliest_date():
    config = CONFIG.__class__(**{**CONFIG.__dict__, "earliest_date": D(2000, 1, 1)})
    facts = SERVED.replace(payment_date=D(1900, 1, 1), amount_paid=Decimal("5000"))
    result = rules.check("served", "pay", facts, config)
    codes = {r.code for r in result.refusals}
    assert "date_too_early" in codes and "payment_before_service" in codes


def test_no_step_before_the_previous_step():
    # 行政处罚法第五十四条至第六十二条: the procedure runs in order.
    facts = BASE.replace(last_step_on=D(2026, 3, 11))
    result = rules.check("notified", "decide", facts, CONFIG)
    refusal = next(r for r in result.refusals if r.code == "date_before_previous_step")
    assert refusal.cites("行政处罚法:54")
    assert rules.check("notified", "decide", BASE.replace(last_step_on=D(2026, 3, 10)), CONFIG).allowed


def test_payments_are_checked_against_service_not_the_latest_step():
    facts = SERVED.replace(
        last_step_on=D(2026, 4, 1), payment_date=D(2026, 3, 20), amount_paid=Decimal("5000")
    )
    assert rules.check("served", "pay", facts, CONFIG).allowed


def test_art_32_circumstance_is_mandatory_like_minority():
    # 行政处罚法第三十二条: "应当从轻或者减轻" — the maximum of the range is refused.
    facts = BASE.replace(
        mandatory_mitigation="主动消除违法行为危害后果",
        penalties_decided=(fine(10000),),
        penalties_intended=(fine(10000),),
    )
    result = rules.check("notified", "decide", facts, CONFIG)
    refusal = next(r for r in result.refusals if r.code == "mitigation_required")
    assert refusal.cites("行政处罚法:32")
    lighter = facts.replace(penalties_decided=(fine(3000),))
    assert rules.check("notified", "decide", lighter, CONFIG).allowed


def test_a_minor_may_still_be_warned_or_given_a_mitigated_fine():
    # 行政处罚法第三十条: lighter or mitigated — below the minimum with the art. 30 basis is allowed.
    facts = BASE.replace(
        party_birth_date=D(2010, 1, 1),
        penalties_decided=(fine(800),),
        mitigation_basis="《行政处罚法》第三十条",
    )
    assert rules.check("notified", "decide", facts, CONFIG).allowed


def test_court_application_only_for_bodies_without_execution_power():
    # 行政强制法第五十三条: "没有行政强制执行权的行政机关…申请人民法院强制执行".
    facts = SERVED.replace(demand_served_on=D(2026, 9, 1), court_applied_on=D(2026, 9, 16))
    assert rules.check("compulsory_execution", "apply_to_court", facts, CONFIG).allowed
    refused = rules.check(
        "compulsory_execution", "apply_to_court", facts.replace(own_execution_power=True), CONFIG
    )
    assert any(r.code == "own_execution_power" and r.cites("行政强制法:53") for r in refused.refusals)


def test_art_85_only_short_periods_count_working_days():
    # 行政处罚法第八十五条: "二日 三日 五日 七日" are working days; 15 and 90 days are calendar days.
    facts = SERVED  # served Thu 12 Mar 2026
    assert rules.payment_due(facts, CONFIG) == D(2026, 3, 27)  # 15 calendar days
    assert rules.decision_deadline(BASE, CONFIG) == D(2026, 5, 6)  # 90 calendar days from 5 Feb
    # 7 working days to serve after a decision on Tue 10 Mar → Thu 19 Mar (weekend skipped)
    assert rules.service_due(BASE, CONFIG) == D(2026, 3, 19)
    # 5 working days to ask for a hearing after a notice on Mon 2 Mar → Mon 9 Mar
    assert rules.hearing_request_end(BASE, CONFIG) == D(2026, 3, 9)


def test_compulsion_law_art_69_ten_days_are_working_days():
    # 行政强制法第五十四条、第六十九条: the court application waits 10 working days after the demand.
    facts = SERVED.replace(demand_served_on=D(2026, 9, 1))
    early = rules.guard_demand_served(facts, CONFIG, D(2026, 9, 15))  # the 10th working day
    assert early is not None and early.cites("行政强制法:69")
    assert rules.guard_demand_served(facts, CONFIG, D(2026, 9, 16)) is None


def test_surcharge_not_counted_while_a_remedy_is_pending():
    # 行政处罚法第七十三条第三款: 行政复议或者行政诉讼期间加处罚款不予计算.
    # Served Thu 12 Mar, due Fri 27 Mar; a reconsideration from 30 Mar to 9 Apr (11 days) pauses it.
    facts = SERVED.replace(remedy_periods=((D(2026, 3, 30), D(2026, 4, 9)),))
    plain = rules.amount_due(SERVED, D(2026, 4, 10), CONFIG)
    paused = rules.amount_due(facts, D(2026, 4, 10), CONFIG)
    assert plain == Decimal("5000") + Decimal("2100")  # 14 days × 3% × 5,000
    assert paused == Decimal("5000") + Decimal("450")  # only 28–29 Mar and 10 Apr count: 3 days × 150
    pending = SERVED.replace(remedy_periods=((D(2026, 3, 28), None),))
    assert rules.amount_due(pending, D(2026, 5, 1), CONFIG) == Decimal("5000")  # nothing while pending
