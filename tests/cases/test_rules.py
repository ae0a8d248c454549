"""Unit and property tests of the penalty-case rules (pure; no database).

Holiday facts used (chinese_calendar, State Council notice for 2026): Spring Festival rest
15–23 Feb with make-up working days 14 and 28 Feb; Qingming 4–6 Apr; Labour Day 1–5 May;
National Day 1–7 Oct with make-up working days 20 Sep and 10 Oct.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import deque
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhifa.cases import rules
from zhifa.cases.deadlines import DeadlineStatus, case_deadlines
from zhifa.cases.rules import (
    ACTION_BASIS,
    ACTION_LABELS,
    ALL_FLAGS,
    ALL_GUARDS,
    FLAGS,
    GUARDS,
    PENALTY_LABELS,
    SEVERITY,
    STATE_LABELS,
    TRANSITIONS,
    Action,
    CaseConfig,
    CaseFacts,
    Extension,
    FineRange,
    HearingThresholds,
    NoPenaltyGround,
    OfficerOnCase,
    PartyKind,
    Penalty,
    PenaltyKind,
    Procedure,
    Ref,
    SpecialLimitation,
    State,
    available_actions,
    check,
    cite,
    court_application_window,
    hearing_eligible,
    is_heavier,
    late_surcharge,
    ref_matches,
)
from zhifa.core.workdays import WorkdayCalendar, month_deadline

D = dt.date
K = PenaltyKind

CONFIG = CaseConfig(
    hearing_thresholds=HearingThresholds(citizen_fine=Decimal("10000"), organization_fine=Decimal("100000"))
)

O1 = OfficerOnCase(
    "O1",
    "王敏",
    certificate_number="浙QJ0001",
    certificate_valid_from=D(2024, 1, 1),
    certificate_valid_to=D(2029, 12, 31),
)
O2 = OfficerOnCase(
    "O2",
    "陈立",
    certificate_number="浙QJ0002",
    certificate_valid_from=D(2024, 1, 1),
    certificate_valid_to=D(2029, 12, 31),
)
AUX = OfficerOnCase("X1", "李辅", kind="auxiliary")
EXPIRED = dataclasses.replace(O2, id="O3", name="赵过", certificate_valid_to=D(2025, 12, 31))


def fine(amount: int | str) -> Penalty:
    return Penalty(K.FINE, Decimal(str(amount)))


# A citizen's general-procedure case: filed Thu 5 Feb, notified Mon 2 Mar (defence period to Thu
# 5 Mar, hearing requests to Mon 9 Mar), a 5,000 yuan fine decided Tue 10 Mar.
BASE = CaseFacts(
    procedure=Procedure.GENERAL,
    party_kind=PartyKind.CITIZEN,
    officers=(O1, O2),
    act_date=D(2026, 1, 20),
    discovery_date=D(2026, 2, 2),
    filing_date=D(2026, 2, 5),
    facts_clear=True,
    legal_basis="示例条款",
    fine_range=FineRange(Decimal("1000"), Decimal("10000")),
    notice_date=D(2026, 3, 2),
    notice_contents=frozenset({"penalty", "facts", "reasons", "basis", "rights"}),
    penalties_intended=(fine(5000),),
    penalties_decided=(fine(5000),),
    decision_date=D(2026, 3, 10),
)
DECIDED_ON = D(2026, 3, 10)
HEARING = BASE.replace(
    penalties_intended=(fine(20000),),
    penalties_decided=(fine(20000),),
    fine_range=FineRange(Decimal("10000"), Decimal("50000")),
    notice_contents=BASE.notice_contents | {"hearing_right"},
)
# served Thu 12 Mar: pay by Fri 27 Mar; litigation to Mon 14 Sep; court application 15 Sep – 14 Dec.
SERVED = BASE.replace(service_date=D(2026, 3, 12))
SUMMARY = BASE.replace(
    procedure=Procedure.SUMMARY,
    penalties_decided=(fine(100),),
    penalties_intended=(),
    notice_date=None,
    filing_date=None,
    fine_range=None,
)


# --------------------------------------------------------------------------------------------
# Every guard: one allowed and one refused case, the refusal citing its article
# --------------------------------------------------------------------------------------------


def case(guard, ok: CaseFacts, ok_on: dt.date, bad: CaseFacts, bad_on: dt.date, ref: str):
    return pytest.param(guard, ok, ok_on, bad, bad_on, ref, id=guard.__name__)


GUARD_CASES = [
    case(
        rules.guard_no_auxiliary_officer,
        BASE.replace(officers=(O1, O2, dataclasses.replace(AUX, assisting=True))),
        DECIDED_ON,
        BASE.replace(officers=(O1, AUX)),
        DECIDED_ON,
        "行政处罚法:42",
    ),
    case(
        rules.guard_certificates_valid,
        BASE,
        DECIDED_ON,
        BASE.replace(officers=(O1, EXPIRED)),
        DECIDED_ON,
        "行政处罚法:55",
    ),
    case(
        rules.guard_two_officers, BASE, DECIDED_ON, BASE.replace(officers=(O1,)), DECIDED_ON, "行政处罚法:42"
    ),
    case(
        rules.guard_limitation,
        BASE,
        DECIDED_ON,
        BASE.replace(act_date=D(2023, 11, 1)),
        DECIDED_ON,
        "行政处罚法:36",
    ),
    case(
        rules.guard_decline_reason,
        BASE.replace(decline_reason="不符合立案条件"),
        DECIDED_ON,
        BASE,
        DECIDED_ON,
        "行政处罚法:54",
    ),
    case(
        rules.guard_revocation_reason,
        BASE.replace(filing_revocation_reason="立案依据错误"),
        DECIDED_ON,
        BASE,
        DECIDED_ON,
        "行政处罚法:54",
    ),
    case(
        rules.guard_filed, BASE, D(2026, 2, 6), BASE.replace(filing_date=None), D(2026, 2, 6), "行政处罚法:54"
    ),
    case(
        rules.guard_intended_penalty,
        BASE,
        D(2026, 3, 2),
        BASE.replace(penalties_intended=()),
        D(2026, 3, 2),
        "行政处罚法:44",
    ),
    case(
        rules.guard_notice_content,
        BASE,
        D(2026, 3, 2),
        BASE.replace(notice_contents=frozenset({"penalty"})),
        D(2026, 3, 2),
        "行政处罚法:44",
    ),
    case(rules.guard_notice_after_filing, BASE, D(2026, 3, 2), BASE, D(2026, 2, 4), "行政处罚法:44"),
    case(rules.guard_hearing_right, HEARING, D(2026, 3, 3), BASE, D(2026, 3, 3), "行政处罚法:63"),
    case(
        rules.guard_hearing_request_timely,
        HEARING,
        D(2026, 3, 9),
        HEARING,
        D(2026, 3, 10),
        "行政处罚法:64(1)",
    ),
    case(
        rules.guard_hearing_notice,
        HEARING.replace(hearing_notice_date=D(2026, 3, 10)),
        D(2026, 3, 19),
        HEARING.replace(hearing_notice_date=D(2026, 3, 10)),
        D(2026, 3, 18),
        "行政处罚法:64(2)",
    ),
    case(
        rules.guard_hearing_host,
        HEARING.replace(hearing_host="H1"),
        D(2026, 3, 19),
        HEARING.replace(hearing_host="O2"),
        D(2026, 3, 19),
        "行政处罚法:64(4)",
    ),
    case(
        rules.guard_hearing_free,
        HEARING,
        D(2026, 3, 19),
        HEARING.replace(hearing_fee_charged=Decimal("1")),
        D(2026, 3, 19),
        "行政处罚法:63.2",
    ),
    case(
        rules.guard_notice_before_decision,
        BASE,
        DECIDED_ON,
        BASE.replace(notice_date=None),
        DECIDED_ON,
        "行政处罚法:44",
    ),
    case(rules.guard_defence_period_over, BASE, D(2026, 3, 6), BASE, D(2026, 3, 5), "行政处罚法:45"),
    case(
        rules.guard_defence_reviewed,
        BASE.replace(defence_submitted=True, defence_reviewed=True),
        DECIDED_ON,
        BASE.replace(defence_submitted=True),
        DECIDED_ON,
        "行政处罚法:45.1",
    ),
    case(
        rules.guard_hearing_window_over, HEARING, D(2026, 3, 10), HEARING, D(2026, 3, 9), "行政处罚法:64(1)"
    ),
    case(
        rules.guard_no_pending_hearing,
        HEARING.replace(hearing_requested_on=D(2026, 3, 4), hearing_held_on=D(2026, 3, 19)),
        D(2026, 3, 25),
        HEARING.replace(hearing_requested_on=D(2026, 3, 4)),
        D(2026, 3, 25),
        "行政处罚法:64",
    ),
    case(
        rules.guard_not_heavier,
        BASE.replace(penalties_decided=(fine(4999),)),
        DECIDED_ON,
        BASE.replace(penalties_decided=(fine(5001),)),
        DECIDED_ON,
        "行政处罚法:45.2",
    ),
    case(
        rules.guard_no_double_fine,
        BASE.replace(
            penalties_decided=(Penalty(K.WARNING),), existing_fines_same_act=("罚决字〔2025〕第3号",)
        ),
        DECIDED_ON,
        BASE.replace(existing_fines_same_act=("罚决字〔2025〕第3号",)),
        DECIDED_ON,
        "行政处罚法:29",
    ),
    case(
        rules.guard_fine_in_range,
        BASE.replace(penalties_decided=(fine(500),), mitigation_basis="《行政处罚法》第三十二条第二项"),
        DECIDED_ON,
        BASE.replace(penalties_decided=(fine(500),)),
        DECIDED_ON,
        "行政处罚法:32",
    ),
    case(
        rules.guard_legal_review,
        BASE.replace(complex_case=True, legal_review_passed=True),
        DECIDED_ON,
        BASE.replace(complex_case=True),
        DECIDED_ON,
        "行政处罚法:58",
    ),
    case(
        rules.guard_collective_deliberation,
        BASE.replace(serious_violation=True, collective_deliberation_done=True),
        DECIDED_ON,
        BASE.replace(serious_violation=True),
        DECIDED_ON,
        "行政处罚法:57.2",
    ),
    case(rules.guard_decision_within_period, BASE, D(2026, 5, 6), BASE, D(2026, 5, 7), "行政处罚法:60"),
    case(
        rules.guard_facts_clear,
        BASE,
        DECIDED_ON,
        BASE.replace(facts_clear=False),
        DECIDED_ON,
        "行政处罚法:40",
    ),
    case(
        rules.guard_legal_basis, BASE, DECIDED_ON, BASE.replace(legal_basis=" "), DECIDED_ON, "行政处罚法:59"
    ),
    case(
        rules.guard_not_under_14,
        BASE.replace(party_birth_date=D(2012, 1, 20)),
        DECIDED_ON,
        BASE.replace(party_birth_date=D(2012, 1, 21)),
        DECIDED_ON,
        "行政处罚法:30",
    ),
    case(
        rules.guard_not_mentally_incapable,
        BASE,
        DECIDED_ON,
        BASE.replace(mental_incapacity=True),
        DECIDED_ON,
        "行政处罚法:31",
    ),
    case(
        rules.guard_not_minor_corrected,
        BASE.replace(minor_violation=True, corrected_in_time=True),
        DECIDED_ON,
        BASE.replace(minor_violation=True, corrected_in_time=True, no_harmful_consequence=True),
        DECIDED_ON,
        "行政处罚法:33.1",
    ),
    case(
        rules.guard_not_without_fault,
        BASE.replace(no_fault_proven=True, fault_presumed_by_law=True),
        DECIDED_ON,
        BASE.replace(no_fault_proven=True),
        DECIDED_ON,
        "行政处罚法:33.2",
    ),
    case(rules.guard_summary_procedure, SUMMARY, DECIDED_ON, BASE, DECIDED_ON, "行政处罚法:51"),
    case(
        rules.guard_summary_limits,
        SUMMARY.replace(penalties_decided=(fine(200), Penalty(K.WARNING))),
        DECIDED_ON,
        SUMMARY.replace(penalties_decided=(fine("200.01"),)),
        DECIDED_ON,
        "行政处罚法:51",
    ),
    case(rules.guard_service_after_decision, BASE, DECIDED_ON, BASE, D(2026, 3, 9), "行政处罚法:61"),
    case(
        rules.guard_electronic_consent,
        BASE.replace(service_method="electronic", electronic_service_consent=True),
        D(2026, 3, 11),
        BASE.replace(service_method="electronic"),
        D(2026, 3, 11),
        "行政处罚法:61.2",
    ),
    case(
        rules.guard_paid_in_full,
        SERVED.replace(amount_paid=Decimal("5000")),
        D(2026, 3, 27),
        SERVED.replace(amount_paid=Decimal("5000")),
        D(2026, 3, 28),
        "行政处罚法:72.1(1)",
    ),
    case(
        rules.guard_deferral_approved,
        SERVED.replace(deferral_approved=True, deferred_until=D(2026, 6, 30)),
        D(2026, 3, 20),
        SERVED.replace(deferred_until=D(2026, 6, 30)),
        D(2026, 3, 20),
        "行政处罚法:66.2",
    ),
    case(
        rules.guard_on_spot_collection,
        SUMMARY,
        DECIDED_ON,
        SUMMARY.replace(penalties_decided=(fine(101),)),
        DECIDED_ON,
        "行政处罚法:68",
    ),
    case(
        rules.guard_receipt,
        SUMMARY.replace(receipt_number="浙财0001"),
        DECIDED_ON,
        SUMMARY,
        DECIDED_ON,
        "行政处罚法:70",
    ),
    case(rules.guard_payment_overdue, SERVED, D(2026, 3, 28), SERVED, D(2026, 3, 27), "行政强制法:54"),
    case(
        rules.guard_demand_served,
        SERVED.replace(demand_served_on=D(2026, 9, 1)),
        D(2026, 9, 16),
        SERVED.replace(demand_served_on=D(2026, 9, 1)),
        D(2026, 9, 15),
        "行政强制法:54",
    ),
    case(rules.guard_court_window, SERVED, D(2026, 12, 14), SERVED, D(2026, 12, 15), "行政强制法:53"),
    case(
        rules.guard_no_remedy_pending,
        SERVED,
        D(2026, 9, 16),
        SERVED.replace(review_or_litigation_pending=True),
        D(2026, 9, 16),
        "行政强制法:53",
    ),
    case(
        rules.guard_execution_outstanding,
        SERVED,
        D(2026, 9, 16),
        SERVED.replace(amount_paid=Decimal("5000"), payment_date=D(2026, 3, 20)),
        D(2026, 9, 16),
        "行政强制法:53",
    ),
    case(
        rules.guard_suspected_crime,
        BASE.replace(suspected_crime="涉嫌污染环境罪"),
        DECIDED_ON,
        BASE,
        DECIDED_ON,
        "行政处罚法:27",
    ),
    case(
        rules.guard_referral_declined,
        BASE.replace(referral_declined_on=D(2026, 4, 1)),
        D(2026, 4, 1),
        BASE,
        D(2026, 4, 1),
        "行政处罚法:27",
    ),
    # 移送规定第十一条: no decision while a criminal referral of the case is under way
    case(
        rules.guard_no_pending_referral,
        BASE,
        DECIDED_ON,
        BASE.replace(criminal_referral_pending="移送涉嫌犯罪案件待负责人决定"),
        DECIDED_ON,
        "行政执法机关移送涉嫌犯罪案件的规定:11",
    ),
    case(
        rules.guard_transfer_target,
        BASE.replace(transfer_to="衢江区市场监督管理局"),
        DECIDED_ON,
        BASE,
        DECIDED_ON,
        "行政处罚法:22",
    ),
    case(
        rules.guard_no_penalty_ground,
        BASE.replace(no_penalty_ground=NoPenaltyGround.MENTAL_INCAPACITY, mental_incapacity=True),
        DECIDED_ON,
        BASE.replace(no_penalty_ground=NoPenaltyGround.MENTAL_INCAPACITY),
        DECIDED_ON,
        "行政处罚法:31",
    ),
    case(
        rules.guard_nothing_outstanding,
        SERVED.replace(amount_paid=Decimal("5000"), payment_date=D(2026, 3, 20)),
        D(2026, 4, 20),
        SERVED.replace(amount_paid=Decimal("4999")),
        D(2026, 3, 20),
        "行政处罚法:67",
    ),
    # art. 54: filing ≥ discovery ≥ act
    case(rules.guard_filing_after_discovery, BASE, D(2026, 2, 2), BASE, D(2026, 2, 1), "行政处罚法:54"),
    # art. 30: aged 16 on the act, range 1,000–10,000: 5,500 (the middle) is lighter, 5,501 is not
    case(
        rules.guard_mandatory_mitigation,
        BASE.replace(party_birth_date=D(2010, 1, 1), penalties_decided=(fine(5500),)),
        DECIDED_ON,
        BASE.replace(party_birth_date=D(2010, 1, 1), penalties_decided=(fine(5501),)),
        DECIDED_ON,
        "行政处罚法:30",
    ),
    # art. 67: no payment before the decision was served (Thu 12 Mar)
    case(rules.guard_payment_after_service, SERVED, D(2026, 3, 12), SERVED, D(2026, 3, 11), "行政处罚法:67"),
    # 行政强制法 art. 53: a body with its own execution power does not apply to the court
    case(
        rules.guard_no_own_execution_power,
        SERVED,
        D(2026, 9, 16),
        SERVED.replace(own_execution_power=True),
        D(2026, 9, 16),
        "行政强制法:53",
    ),
]

FLAG_CASES = [
    case(
        rules.flag_filing_late, BASE, D(2026, 2, 28), BASE, D(2026, 3, 2), "市场监督管理行政处罚程序规定:18"
    ),
    case(rules.flag_service_late, BASE, D(2026, 3, 19), BASE, D(2026, 3, 20), "行政处罚法:61"),
    case(rules.flag_payment_late, SERVED, D(2026, 3, 27), SERVED, D(2026, 3, 28), "行政处罚法:67"),
    case(
        rules.flag_minor_14_to_18,
        BASE.replace(party_birth_date=D(2008, 1, 20)),
        DECIDED_ON,
        BASE.replace(party_birth_date=D(2008, 1, 21)),
        DECIDED_ON,
        "行政处罚法:30",
    ),
    case(
        rules.flag_education,
        BASE.replace(no_penalty_ground=NoPenaltyGround.NO_FAULT, education_given=True),
        DECIDED_ON,
        BASE.replace(no_penalty_ground=NoPenaltyGround.NO_FAULT),
        DECIDED_ON,
        "行政处罚法:33.3",
    ),
    case(
        rules.flag_hand_in_late,
        SUMMARY.replace(collected_on_spot_on=DECIDED_ON, handed_in_on=D(2026, 3, 12)),
        D(2026, 3, 20),
        SUMMARY.replace(collected_on_spot_on=DECIDED_ON),
        D(2026, 3, 13),
        "行政处罚法:71",
    ),
]


@pytest.mark.parametrize("guard, ok, ok_on, bad, bad_on, ref", GUARD_CASES + FLAG_CASES)
def test_guard(guard, ok, ok_on, bad, bad_on, ref):
    assert guard(ok, CONFIG, ok_on) is None
    refusal = guard(bad, CONFIG, bad_on)
    assert refusal is not None
    assert refusal.cites(ref), refusal
    assert refusal.article and refusal.article in refusal.message


def test_every_guard_and_flag_has_a_unit_test():
    tested = {p.values[0] for p in GUARD_CASES + FLAG_CASES}
    assert set(ALL_GUARDS) | set(ALL_FLAGS) == tested


def test_every_guard_cites_an_article_in_a_comment():
    import inspect

    for guard in (*ALL_GUARDS, *ALL_FLAGS):
        source = inspect.getsource(guard)
        assert "# " in source and ("art." in source.lower() or "行政" in source), guard.__name__


# --- more specific guard behaviour ------------------------------------------------------------


@pytest.mark.parametrize(
    "officer, problem",
    [
        (dataclasses.replace(O2, certificate_number=None), "未持有执法证"),
        (dataclasses.replace(O2, certificate_status="suspended"), "suspended"),
        (dataclasses.replace(O2, certificate_valid_from=D(2026, 4, 1)), "起才生效"),
        (dataclasses.replace(O2, certificate_domains=("生态环境",)), "执法领域"),
    ],
)
def test_certificate_problems(officer, problem):
    facts = BASE.replace(officers=(O1, officer), domain="市容环境卫生")
    refusal = rules.guard_certificates_valid(facts, CONFIG, DECIDED_ON)
    assert refusal is not None and problem in refusal.message
    assert rules.guard_two_officers(facts, CONFIG, DECIDED_ON) is not None


def test_certificate_valid_on_its_last_day_only():
    last = BASE.replace(officers=(O1, EXPIRED))
    assert rules.guard_two_officers(last, CONFIG, D(2025, 12, 31)) is None
    assert rules.guard_two_officers(last, CONFIG, D(2026, 1, 1)) is not None


def test_a_law_may_allow_one_officer_in_the_summary_procedure():
    one = SUMMARY.replace(officers=(O1,))
    assert rules.guard_two_officers(one, CONFIG, DECIDED_ON) is not None
    assert (
        rules.guard_two_officers(one, dataclasses.replace(CONFIG, min_officers_summary=1), DECIDED_ON) is None
    )


def test_summary_limits_are_inclusive_per_party_kind():
    def refused(kind, amount, config=CONFIG):
        facts = SUMMARY.replace(party_kind=kind, penalties_decided=(fine(amount),))
        return rules.guard_summary_limits(facts, config, DECIDED_ON) is not None

    assert not refused(PartyKind.CITIZEN, 200) and refused(PartyKind.CITIZEN, 201)
    assert not refused(PartyKind.LEGAL_PERSON, 3000) and refused(PartyKind.LEGAL_PERSON, 3001)
    assert not refused(PartyKind.OTHER_ORGANIZATION, 3000) and refused(
        PartyKind.OTHER_ORGANIZATION, "3000.01"
    )
    assert refused(PartyKind.INDIVIDUAL_BUSINESS, 201)
    as_org = dataclasses.replace(CONFIG, individual_business_as_citizen=False)
    assert not refused(PartyKind.INDIVIDUAL_BUSINESS, 3000, as_org)


def test_on_spot_collection_hard_cases_and_remote_areas():
    big = SUMMARY.replace(penalties_decided=(fine(200),))
    assert rules.guard_on_spot_collection(big, CONFIG, DECIDED_ON) is not None
    assert rules.guard_on_spot_collection(big.replace(hard_to_enforce_later=True), CONFIG, DECIDED_ON) is None
    general = BASE  # art. 69: any procedure, remote area, at the party's request
    assert rules.guard_on_spot_collection(general, CONFIG, DECIDED_ON) is not None
    assert rules.guard_on_spot_collection(general.replace(remote_area=True), CONFIG, DECIDED_ON) is not None
    assert (
        rules.guard_on_spot_collection(
            general.replace(remote_area=True, party_requested_on_spot=True), CONFIG, DECIDED_ON
        )
        is None
    )


def test_defence_period_is_configurable_and_the_notice_may_grant_more():
    five = dataclasses.replace(CONFIG, defence_period_working_days=5)
    assert rules.guard_defence_period_over(BASE, five, D(2026, 3, 9)) is not None
    assert rules.guard_defence_period_over(BASE, five, D(2026, 3, 10)) is None
    longer = BASE.replace(defence_deadline=D(2026, 3, 12))
    assert rules.guard_defence_period_over(longer, CONFIG, D(2026, 3, 12)) is not None
    assert rules.guard_defence_period_over(longer, CONFIG, D(2026, 3, 13)) is None


def test_recorded_waiver_can_cover_the_hearing_too():
    waived = HEARING.replace(rights_waived_on=D(2026, 3, 3), waiver_record="放弃确认书")
    assert rules.guard_defence_period_over(waived, CONFIG, D(2026, 3, 3)) is None
    assert rules.guard_hearing_window_over(waived, CONFIG, D(2026, 3, 3)) is not None
    both = waived.replace(hearing_waived=True)
    assert rules.guard_hearing_window_over(both, CONFIG, D(2026, 3, 3)) is None


def test_late_or_withdrawn_hearing_request_does_not_block_the_decision():
    late = HEARING.replace(hearing_requested_on=D(2026, 3, 10))
    assert rules.guard_no_pending_hearing(late, CONFIG, D(2026, 3, 12)) is None
    withdrawn = HEARING.replace(hearing_requested_on=D(2026, 3, 4), hearing_request_withdrawn=True)
    assert rules.guard_no_pending_hearing(withdrawn, CONFIG, D(2026, 3, 12)) is None


def test_fine_above_the_maximum_is_refused_even_with_a_mitigation_basis():
    facts = BASE.replace(penalties_decided=(fine(10001),), mitigation_basis="第三十二条")
    refusal = rules.guard_fine_in_range(facts, CONFIG, DECIDED_ON)
    assert refusal is not None and refusal.code == "fine_above_maximum" and refusal.cites("行政处罚法:4")


def test_decision_period_with_extensions():
    ext = BASE.replace(extensions=(Extension(30, "负责人批准延长"), Extension(10, "鉴定期间不计入")))
    # 5 Feb + 130 days = 15 Jun 2026 (Monday)
    assert rules.decision_deadline(ext, CONFIG) == D(2026, 6, 15)
    assert rules.guard_decision_within_period(ext, CONFIG, D(2026, 6, 15)) is None
    assert rules.guard_decision_within_period(ext, CONFIG, D(2026, 6, 16)) is not None


def test_limitation_variants():
    two_years = BASE.replace(act_date=D(2024, 2, 2), discovery_date=D(2026, 2, 2))
    assert rules.guard_limitation(two_years, CONFIG, DECIDED_ON) is None  # discovered on the last day
    assert rules.guard_limitation(two_years.replace(act_date=D(2024, 2, 1)), CONFIG, DECIDED_ON) is not None
    special = two_years.replace(
        act_date=D(2020, 1, 1), special_limitation=SpecialLimitation(10, "某法律另有规定（示例）")
    )
    assert rules.guard_limitation(special, CONFIG, DECIDED_ON) is None
    unknown = BASE.replace(act_date=None)
    refusal = rules.guard_limitation(unknown, CONFIG, DECIDED_ON)
    assert refusal is not None and refusal.code == "limitation_unknown"


@pytest.mark.parametrize(
    "ground, changes",
    [
        (
            NoPenaltyGround.MINOR_CORRECTED_NO_HARM,
            {"minor_violation": True, "corrected_in_time": True, "no_harmful_consequence": True},
        ),
        (
            NoPenaltyGround.FIRST_OFFENCE,
            {"first_offence": True, "harm_minor": True, "corrected_in_time": True},
        ),
        (NoPenaltyGround.NO_FAULT, {"no_fault_proven": True}),
        (NoPenaltyGround.UNDER_14, {"party_birth_date": D(2013, 1, 1)}),
        (NoPenaltyGround.MENTAL_INCAPACITY, {"mental_incapacity": True}),
        (NoPenaltyGround.LIMITATION_EXPIRED, {"act_date": D(2023, 1, 1)}),
        (NoPenaltyGround.FACTS_UNCLEAR, {"facts_clear": False}),
    ],
)
def test_every_no_penalty_ground_needs_supporting_facts(ground, changes):
    assert (
        rules.guard_no_penalty_ground(BASE.replace(no_penalty_ground=ground, **changes), CONFIG, DECIDED_ON)
        is None
    )
    refusal = rules.guard_no_penalty_ground(BASE.replace(no_penalty_ground=ground), CONFIG, DECIDED_ON)
    assert refusal is not None and refusal.code == "no_penalty_ground_unsupported"


def test_no_fault_does_not_apply_where_a_law_presumes_fault():
    facts = BASE.replace(
        no_penalty_ground=NoPenaltyGround.NO_FAULT, no_fault_proven=True, fault_presumed_by_law=True
    )
    assert rules.guard_no_penalty_ground(facts, CONFIG, DECIDED_ON) is not None


# --------------------------------------------------------------------------------------------
# Hearing eligibility (art. 63) and "heavier" (art. 45 para 2)
# --------------------------------------------------------------------------------------------


def test_hearing_thresholds_are_inclusive_and_per_party_kind():
    def eligible(penalties, kind=PartyKind.CITIZEN, config=CONFIG):
        return hearing_eligible(BASE.replace(party_kind=kind), config, penalties)

    assert eligible((fine(10000),)) and not eligible((fine("9999.99"),))
    assert not eligible((fine(99999),), PartyKind.LEGAL_PERSON) and eligible(
        (fine(100000),), PartyKind.LEGAL_PERSON
    )
    assert eligible((Penalty(K.CONFISCATE_GAINS, Decimal("10000")),))
    assert eligible((Penalty(K.REVOKE_LICENCE),)) and eligible((Penalty(K.SUSPEND_PRODUCTION),))
    assert not eligible((Penalty(K.WARNING),)) and not eligible((Penalty(K.SUSPEND_LICENCE),))
    assert hearing_eligible(BASE.replace(hearing_required_by_rule=True), CONFIG, (Penalty(K.WARNING),))
    # without configured thresholds every fine counts (the safe side)
    assert eligible((fine(1),), config=CaseConfig()) and not eligible(
        (Penalty(K.WARNING),), config=CaseConfig()
    )


def test_heavier_examples():
    assert not is_heavier([fine(5000)], [fine(5000)])
    assert is_heavier([fine(5001)], [fine(5000)])
    assert not is_heavier([Penalty(K.WARNING)], [fine(5000)])
    assert is_heavier([fine(1)], [Penalty(K.WARNING)])
    assert is_heavier([fine(5000), Penalty(K.CONFISCATE_GAINS, Decimal("1"))], [fine(5000)])
    assert not is_heavier([fine(3000)], [fine(5000), Penalty(K.SUSPEND_PRODUCTION, duration_days=30)])
    assert is_heavier(
        [Penalty(K.SUSPEND_PRODUCTION, duration_days=31)], [Penalty(K.SUSPEND_PRODUCTION, duration_days=30)]
    )
    assert is_heavier([Penalty(K.REVOKE_LICENCE)], [Penalty(K.SUSPEND_LICENCE)])
    assert is_heavier([Penalty(K.OTHER)], [Penalty(K.ORDER_CLOSURE)])
    assert not is_heavier([], [fine(5000)])


penalties_st = st.lists(
    st.builds(
        Penalty,
        st.sampled_from(list(PenaltyKind)),
        st.one_of(st.none(), st.decimals(min_value=0, max_value=200000, places=2)),
        st.one_of(st.none(), st.integers(min_value=0, max_value=365)),
    ),
    max_size=4,
)


@given(penalties_st, penalties_st)
def test_decision_passes_the_heavier_guard_only_when_not_heavier(decided, intended):
    facts = BASE.replace(penalties_decided=tuple(decided), penalties_intended=tuple(intended))
    refusal = rules.guard_not_heavier(facts, CONFIG, DECIDED_ON)
    assert (refusal is None) == (not is_heavier(decided, intended))
    if refusal is not None:
        assert refusal.cites("行政处罚法:45.2")


@given(penalties_st)
def test_the_notified_penalty_itself_and_anything_lower_are_never_heavier(intended):
    assert not is_heavier(intended, intended)
    lower = [dataclasses.replace(p, amount=p.amount / 2 if p.amount else p.amount) for p in intended]
    assert not is_heavier(lower, intended)


@given(
    st.decimals(min_value=Decimal("0.01"), max_value=100000, places=2),
    st.decimals(min_value=Decimal("0.01"), max_value=1000, places=2),
)
def test_raising_a_notified_fine_is_always_heavier(amount, extra):
    assert is_heavier([fine(amount + extra)], [fine(amount)])


# --------------------------------------------------------------------------------------------
# Late surcharge (art. 72; 行政强制法 art. 45)
# --------------------------------------------------------------------------------------------


def test_surcharge_examples():
    due = D(2026, 3, 27)
    assert late_surcharge(Decimal("1000"), due, due) == 0
    assert late_surcharge(Decimal("1000"), due, D(2026, 3, 28)) == Decimal("30.00")
    assert late_surcharge(Decimal("1000"), due, D(2026, 4, 29)) == Decimal("990.00")  # 33 days
    assert late_surcharge(Decimal("1000"), due, D(2026, 4, 30)) == Decimal("1000.00")  # 34 days: capped
    assert late_surcharge(Decimal("333.33"), due, D(2026, 3, 28)) == Decimal("10.00")
    assert late_surcharge(Decimal("0"), due, D(2027, 1, 1)) == 0


fines_st = st.decimals(min_value=0, max_value=10_000_000, places=2)


@given(fines_st, st.integers(min_value=-30, max_value=2000))
def test_surcharge_never_exceeds_the_fine(amount, days):
    due = D(2026, 1, 1)
    surcharge = late_surcharge(amount, due, due + dt.timedelta(days=days))
    assert 0 <= surcharge <= amount
    if days > 0 and amount * Decimal("0.03") * days <= amount:
        # Money is rounded 四舍五入 to the fen (half up), as on a payment notice: 19.50 × 3% = 0.585 → 0.59.
        assert surcharge == (amount * Decimal("0.03") * days).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )


@given(fines_st, st.integers(min_value=-30, max_value=2000), st.integers(min_value=0, max_value=100))
def test_surcharge_is_monotonic_in_days(amount, days, more):
    due = D(2026, 1, 1)
    earlier = late_surcharge(amount, due, due + dt.timedelta(days=days))
    later = late_surcharge(amount, due, due + dt.timedelta(days=days + more))
    assert earlier <= later


def test_pay_requires_the_surcharge_unless_not_imposed_or_remitted():
    late = SERVED.replace(payment_date=D(2026, 3, 30), amount_paid=Decimal("5000"))
    assert not check(State.SERVED, Action.PAY, late, CONFIG).allowed
    assert check(
        State.SERVED, Action.PAY, late, dataclasses.replace(CONFIG, impose_late_surcharge=False)
    ).allowed
    assert check(State.SERVED, Action.PAY, late.replace(surcharge_remitted=Decimal("450")), CONFIG).allowed


def test_deferral_moves_the_payment_deadline():
    deferred = SERVED.replace(deferral_approved=True, deferred_until=D(2026, 6, 30))
    assert rules.payment_due(deferred, CONFIG) == D(2026, 6, 30)
    assert rules.amount_due(deferred, D(2026, 6, 30), CONFIG) == Decimal("5000")
    # art. 72 para 2: the court application period runs from the end of the deferral; a deferral
    # ending before the 6-month litigation period does not move the window, a later one does
    assert court_application_window(deferred, CONFIG) == (D(2026, 9, 15), D(2026, 12, 14))
    long = SERVED.replace(deferral_approved=True, deferred_until=D(2026, 11, 30))
    assert court_application_window(long, CONFIG) == (D(2026, 12, 1), month_deadline(D(2026, 11, 30), 3))


# --------------------------------------------------------------------------------------------
# The state machine
# --------------------------------------------------------------------------------------------


def test_tables_are_complete():
    assert set(STATE_LABELS) == set(State)
    assert set(ACTION_LABELS) == set(Action) == set(ACTION_BASIS) == set(GUARDS)
    assert set(PENALTY_LABELS) == set(PenaltyKind) == set(SEVERITY)
    assert set(FLAGS) <= set(Action)
    assert all(
        isinstance(s, State) and isinstance(a, Action) and isinstance(t, State)
        for (s, a), t in TRANSITIONS.items()
    )


def _reachable(
    start: State, skip: frozenset[State] = frozenset(), skip_actions: frozenset[Action] = frozenset()
) -> set[State]:
    seen, queue = {start}, deque([start])
    while queue:
        state = queue.popleft()
        for (s, a), t in TRANSITIONS.items():
            if s == state and a not in skip_actions and t not in skip and t not in seen:
                seen.add(t)
                queue.append(t)
    return seen


def test_every_state_is_reachable_and_every_case_can_be_archived():
    assert _reachable(State.REGISTERED) == set(State)
    for state in State:
        assert State.ARCHIVED in _reachable(state), state


def test_no_path_to_a_decision_avoids_the_notice():
    # Structural form of art. 44/62: without passing "notified", "decided" is unreachable.
    assert State.DECIDED not in _reachable(State.REGISTERED, skip=frozenset({State.NOTIFIED}))


def test_archive_only_after_close_and_close_is_final():
    assert [s for (s, a) in TRANSITIONS if a == Action.ARCHIVE] == [State.CLOSED]
    assert {a for (s, a) in TRANSITIONS if s == State.CLOSED} == {Action.ARCHIVE}
    assert not [a for (s, a) in TRANSITIONS if s == State.ARCHIVED]


def test_referral_is_possible_in_every_state_before_the_decision():
    before = {
        State.REGISTERED,
        State.FILED,
        State.INVESTIGATING,
        State.NOTIFIED,
        State.HEARING,
        State.HEARD,
        State.LEGAL_REVIEW,
        State.DELIBERATION,
    }
    assert {s for (s, a) in TRANSITIONS if a == Action.REFER_CRIMINAL} == before


def test_check_collects_all_refusals_and_accepts_strings():
    facts = BASE.replace(officers=(O1, AUX), notice_date=None, existing_fines_same_act=("第3号",))
    result = check("investigating", "decide", facts, CONFIG)
    codes = {r.code for r in result.refusals}
    assert {
        "transition_not_allowed",
        "auxiliary_officer",
        "too_few_officers",
        "no_notice",
        "double_fine",
    } <= codes
    assert result.next_state is None and not result.allowed


def test_check_without_a_date_refuses():
    result = check(State.FILED, Action.START_INVESTIGATION, BASE, CONFIG)
    assert not result.allowed and result.refusals[0].code == "date_missing"
    assert check(State.FILED, Action.START_INVESTIGATION, BASE.replace(as_of=D(2026, 2, 6)), CONFIG).allowed


def test_available_actions():
    facts = BASE.replace(as_of=D(2026, 3, 20))
    actions = available_actions(State.NOTIFIED, facts, CONFIG)
    assert Action.DECIDE in actions and Action.SUBMIT_LEGAL_REVIEW in actions
    assert Action.REQUEST_HEARING not in actions  # not eligible and the date would be late
    assert Action.REFER_CRIMINAL not in actions  # nothing to refer


# A case whose facts satisfy every guard of the general procedure, so that random walks exercise
# the table. Dates are chosen so that each action date passes its guards.
PERMISSIVE = HEARING.replace(
    as_of=D(2026, 3, 20),
    hearing_requested_on=D(2026, 3, 4),
    hearing_notice_date=D(2026, 3, 10),
    hearing_date=D(2026, 3, 19),
    hearing_held_on=D(2026, 3, 19),
    hearing_host="H1",
    legal_review_passed=True,
    decision_date=D(2026, 3, 25),
    service_date=D(2026, 3, 26),
    payment_date=D(2026, 4, 1),
    amount_paid=Decimal("20000"),
    suspected_crime="涉嫌犯罪",
    referral_declined_on=D(2026, 3, 20),
    transfer_to="有管辖权的机关",
    filing_revocation_reason="理由",
    decline_reason="理由",
    no_penalty_ground=NoPenaltyGround.FACTS_UNCLEAR,
    deferral_approved=True,
    deferred_until=D(2026, 5, 1),
)


@settings(max_examples=300)
@given(
    st.lists(st.sampled_from(list(Action)), max_size=40),
    st.sampled_from(
        [
            PERMISSIVE,
            PERMISSIVE.replace(notice_date=None),
            BASE.replace(as_of=D(2026, 3, 20)),
            PERMISSIVE.replace(facts_clear=False),
        ]
    ),
)
def test_random_walks_never_decide_without_a_notice(actions, facts):
    state, visited = State.REGISTERED, [State.REGISTERED]
    for action in actions:
        result = check(state, action, facts, CONFIG)
        if result.allowed:
            assert result.next_state == TRANSITIONS[(state, action)]
            state = result.next_state
            visited.append(state)
        else:
            assert result.next_state is None and result.refusals
    if State.DECIDED in visited:
        assert State.NOTIFIED in visited[: visited.index(State.DECIDED)]
    if State.SERVED in visited and facts.procedure == Procedure.GENERAL:
        assert State.NOTIFIED in visited[: visited.index(State.SERVED)]


def test_permissive_facts_really_walk_the_general_procedure_to_the_archive():
    path = [
        Action.FILE,
        Action.START_INVESTIGATION,
        Action.NOTIFY,
        Action.REQUEST_HEARING,
        Action.HOLD_HEARING,
        Action.SUBMIT_LEGAL_REVIEW,
        Action.DECIDE,
        Action.SERVE,
        Action.PAY,
        Action.CLOSE,
        Action.ARCHIVE,
    ]
    facts = PERMISSIVE.replace(filing_date=D(2026, 2, 5), act_date=D(2026, 1, 20))
    state = State.REGISTERED
    for action in path:
        result = check(state, action, facts, CONFIG)
        assert result.allowed, (action, result)
        state = result.next_state
    assert state == State.ARCHIVED


# --------------------------------------------------------------------------------------------
# Deadlines
# --------------------------------------------------------------------------------------------


def _deadlines(facts, today):
    return {d.name: d for d in case_deadlines(facts, WorkdayCalendar(), CONFIG, today=today)}


def test_deadlines_of_a_served_case():
    d = _deadlines(SERVED, D(2026, 3, 20))
    assert d["limitation"].due == D(2028, 1, 20) and d["limitation"].status == DeadlineStatus.OK
    assert d["filing"].due == D(2026, 2, 28) and d["filing"].met_on == D(2026, 2, 5)
    assert d["defence_period"].due == D(2026, 3, 5) and d["defence_period"].party
    assert "hearing_request" not in d  # not eligible
    assert d["decision"].due == D(2026, 5, 6) and d["decision"].status == DeadlineStatus.OK
    assert d["service"].due == D(2026, 3, 19) and d["service"].status == DeadlineStatus.OK
    assert d["payment"].due == D(2026, 3, 27) and d["payment"].status == DeadlineStatus.OK
    assert d["reconsideration"].due == D(2026, 5, 11)
    assert d["litigation"].due == D(2026, 9, 14)
    assert d["court_application"].due == D(2026, 12, 14) and d["court_application"].cites("行政强制法:53")
    assert all(x.article for x in d.values())


def test_deadline_statuses():
    assert _deadlines(SERVED, D(2026, 3, 24))["payment"].status == DeadlineStatus.WARNING
    assert _deadlines(SERVED, D(2026, 3, 28))["payment"].status == DeadlineStatus.OVERDUE
    paid = SERVED.replace(amount_paid=Decimal("5000"), payment_date=D(2026, 3, 27))
    d = _deadlines(paid, D(2026, 10, 1))
    assert d["payment"].status == DeadlineStatus.OK and d["payment"].met_on == D(2026, 3, 27)
    assert "court_application" not in d
    late_service = BASE.replace(service_date=D(2026, 3, 20))
    assert _deadlines(late_service, D(2026, 3, 20))["service"].status == DeadlineStatus.OVERDUE


def test_deadlines_of_a_hearing_case_and_a_summary_case():
    d = _deadlines(
        HEARING.replace(hearing_date=D(2026, 3, 19), hearing_notice_date=D(2026, 3, 10)), D(2026, 3, 3)
    )
    assert d["hearing_request"].due == D(2026, 3, 9) and d["hearing_request"].cites("行政处罚法:64(1)")
    assert d["hearing_notice"].due == D(2026, 3, 10) and d["hearing_notice"].status == DeadlineStatus.OK
    s = _deadlines(SUMMARY.replace(collected_on_spot_on=DECIDED_ON), D(2026, 3, 11))
    assert "service" not in s and "decision" not in s
    assert s["payment"].due == D(2026, 3, 25)
    assert s["hand_in"].due == D(2026, 3, 12) and s["hand_in"].status == DeadlineStatus.WARNING


def test_warning_days_are_configurable():
    config = dataclasses.replace(CONFIG, warning_days=10)
    d = {x.name: x for x in case_deadlines(SERVED, None, config, today=D(2026, 3, 17))}
    assert d["payment"].status == DeadlineStatus.WARNING


# --------------------------------------------------------------------------------------------
# Facts from plain data, citations
# --------------------------------------------------------------------------------------------


def test_facts_from_dict():
    facts = CaseFacts.from_dict(
        {
            "procedure": "summary",
            "party_kind": "legal_person",
            "act_date": "2026-03-10",
            "penalties_decided": [{"kind": "fine", "amount": "3000"}],
            "officers": [{"id": "O1", "certificate_number": "X", "certificate_valid_to": "2029-12-31"}],
            "extensions": [{"days": 30, "basis": "批准"}],
            "fine_range": {"minimum": "1000", "maximum": 5000},
            "notice_contents": ["facts"],
            "no_penalty_ground": "first_offence",
            "amount_paid": 12.5,
        }
    )
    assert facts.procedure is Procedure.SUMMARY and facts.party_kind is PartyKind.LEGAL_PERSON
    assert facts.penalties_decided == (Penalty(K.FINE, Decimal("3000")),)
    assert facts.officers[0].certificate_valid_to == D(2029, 12, 31)
    assert facts.extensions == (Extension(30, "批准"),)
    assert facts.fine_range == FineRange(Decimal("1000"), Decimal("5000"))
    assert facts.notice_contents == frozenset({"facts"}) and facts.amount_paid == Decimal("12.5")
    with pytest.raises(ValueError, match="unknown"):
        CaseFacts.from_dict({"procedur": "summary"})


def test_citations():
    refs = (Ref(42), Ref(55), Ref(45, 2), Ref(64, item=1), Ref(156, law="某解释"), Ref(53, law="行政强制法"))
    assert (
        cite(refs)
        == "《行政处罚法》第四十二条、第五十五条、第四十五条第二款、第六十四条第一项；《某解释》第一百五十六条；《行政强制法》第五十三条"
    )
    assert [r.key for r in refs[2:4]] == ["行政处罚法:45.2", "行政处罚法:64(1)"]
    assert ref_matches("行政处罚法:64(1)", "行政处罚法:64") and ref_matches(
        "行政处罚法:45.2", "行政处罚法:45"
    )
    assert not ref_matches("行政处罚法:45", "行政处罚法:4") and not ref_matches(
        "行政处罚法:45", "行政处罚法:45.2"
    )
    assert rules._cn(10) == "十" and rules._cn(85) == "八十五" and rules._cn(101) == "一百零一"
    assert rules._cn(110) == "一百一十"


def test_surcharge_rounds_half_up_to_the_fen():
    # 行政处罚法第七十二条: 3% of 19.50 a day is 0.585, charged as 0.59 (四舍五入), not 0.58.
    due = D(2026, 1, 1)
    assert late_surcharge(Decimal("19.50"), due, due + dt.timedelta(days=1)) == Decimal("0.59")
