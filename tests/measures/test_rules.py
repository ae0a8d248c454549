"""The pure rules of compulsory measures and criminal referral, each with the article it applies
(no database). Dates in 2026: Spring Festival 15–23 Feb (14 Feb worked), National Day 1–7 Oct
(10 Oct worked)."""

from __future__ import annotations

import datetime as dt

import pytest

from zhifa.measures import rules
from zhifa.measures.rules import OfficerOnSite, ReferralFacts, ReferralStage, SeizureFacts, Stage, Status

D = dt.date
TZ = dt.timezone(dt.timedelta(hours=8))


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=TZ)


O1 = OfficerOnSite(
    "王敏",
    certificate_number="浙QJ0001",
    certificate_valid_from=D(2024, 1, 1),
    certificate_valid_to=D(2029, 12, 31),
)
O2 = OfficerOnSite(
    "陈立",
    certificate_number="浙QJ0002",
    certificate_valid_from=D(2024, 1, 1),
    certificate_valid_to=D(2029, 12, 31),
)
AUX = OfficerOnSite("李辅", kind="auxiliary")
EXPIRED = OfficerOnSite(
    "赵过",
    certificate_number="浙QJ0003",
    certificate_valid_from=D(2021, 1, 1),
    certificate_valid_to=D(2025, 12, 31),
)


# ---- dates of acts (DESIGN.md "Inputs") ---------------------------------------------------------


def test_an_act_is_never_in_the_future_nor_before_the_step_it_follows():
    assert (
        rules.date_refusal(D(2026, 3, 2), today=D(2026, 3, 2), field="x", label="日期", after=D(2026, 3, 2))
        is None
    )
    future = rules.date_refusal(
        D(2026, 3, 3), today=D(2026, 3, 2), field="x", label="日期", refs=(rules.C(18),)
    )
    assert future.code == "future_date" and future.cites("行政强制法:18") and future.field == "x"
    early = rules.date_refusal(
        D(2026, 3, 1),
        today=D(2026, 3, 2),
        field="x",
        label="日期",
        after=D(2026, 3, 2),
        after_label="批准日期",
        refs=(rules.C(18),),
    )
    assert (
        early.code == "date_out_of_order" and "批准日期" in early.message and early.article in early.message
    )


def test_a_moment_just_after_midnight_in_beijing_is_not_in_the_future_of_the_same_moment_in_utc():
    # 00:58 on the 5th in Beijing is 16:58 on the 4th in UTC: the same moment, not "tomorrow"
    utc_now = dt.datetime(2026, 12, 4, 16, 58, tzinfo=dt.UTC)
    beijing = dt.timezone(dt.timedelta(hours=8))
    act = dt.datetime(2026, 12, 5, 0, 57, tzinfo=beijing)
    assert rules.date_refusal(act, today=utc_now, field="x", label="移送时间") is None
    # a day counts where the act happened: the approval on the 5th (Beijing) is not after the act
    assert rules.date_refusal(act, today=utc_now, field="x", label="移送时间", after=D(2026, 12, 5)) is None
    assert rules.date_refusal(D(2026, 12, 5), today=utc_now, field="x", label="签收日期") is None
    late = rules.date_refusal(D(2026, 12, 6), today=utc_now, field="x", label="签收日期")
    assert late.code == "future_date"


# ---- officers on site (行政强制法第十七条第三款、第十八条第二项、第三项) -------------------------------


def test_two_certified_officers_carry_out_a_measure():
    assert rules.officers_refusal([O1, O2], D(2026, 3, 2)) is None
    assert rules.officers_refusal([O1], D(2026, 3, 2)).cites("行政强制法:18(2)")
    assert rules.officers_refusal([O1, AUX], D(2026, 3, 2)).cites("行政强制法:17.3")
    refusal = rules.officers_refusal([O1, EXPIRED], D(2026, 3, 2))
    assert refusal.code == "certificate_invalid" and "赵过" in refusal.message
    assert rules.officers_refusal([O1, EXPIRED], D(2025, 12, 31)) is None  # valid on its last day


# ---- 先行登记保存 (行政处罚法第五十六条、第八十五条) -------------------------------------------------


def test_preservation_is_dealt_with_within_seven_working_days():
    # 第八十五条: 七日 are working days — across National Day (10 Oct is a make-up working day).
    assert rules.preservation_due(D(2026, 9, 25)) == D(2026, 10, 12)
    # across the Spring Festival (14 Feb worked, 15–23 Feb off)
    assert rules.preservation_due(D(2026, 2, 10)) == D(2026, 2, 26)


def test_preservation_deadline_warns_before_and_is_flagged_after():
    f = rules.PreservationFacts(
        approval_status="approved", approved_on=D(2026, 3, 1), preserved_on=D(2026, 3, 2)
    )
    [due] = rules.preservation_deadlines(f, at(2026, 3, 3, 9))
    assert (
        due.due == D(2026, 3, 11)
        and due.status == Status.OK
        and due.cites("行政处罚法:56")
        and due.cites("行政处罚法:85")
    )
    assert rules.preservation_deadlines(f, at(2026, 3, 9, 9))[0].status == Status.WARNING
    assert rules.preservation_deadlines(f, at(2026, 3, 12, 9))[0].status == Status.OVERDUE
    late = rules.PreservationFacts(
        approval_status="approved", preserved_on=D(2026, 3, 2), decided_on=D(2026, 3, 12)
    )
    assert rules.preservation_deadlines(late, at(2026, 3, 20, 9))[0].status == Status.OVERDUE
    on_time = rules.PreservationFacts(
        approval_status="approved", preserved_on=D(2026, 3, 2), decided_on=D(2026, 3, 11)
    )
    assert rules.preservation_deadlines(on_time, at(2026, 3, 20, 9))[0].status == Status.OK


def test_preservation_only_after_the_heads_approval():
    # 第五十六条: "经行政机关负责人批准".
    pending = rules.PreservationFacts(approval_status="pending")
    assert rules.preservation_execute_refusal(pending, D(2026, 3, 2), D(2026, 3, 2)).cites("行政处罚法:56")
    approved = rules.PreservationFacts(approval_status="approved", approved_on=D(2026, 3, 2))
    assert rules.preservation_execute_refusal(approved, D(2026, 3, 2), D(2026, 3, 5)) is None
    assert (
        rules.preservation_execute_refusal(approved, D(2026, 3, 1), D(2026, 3, 5)).code == "date_out_of_order"
    )
    returned = rules.PreservationFacts(approval_status="returned")
    assert rules.preservation_stage(returned) == Stage.NOT_APPROVED
    decided = rules.PreservationFacts(
        approval_status="approved", preserved_on=D(2026, 3, 2), decided_on=D(2026, 3, 3)
    )
    assert rules.preservation_decision_refusal(decided, D(2026, 3, 4), D(2026, 3, 5)).code == "not_in_force"


# ---- 查封、扣押 (行政强制法) ----------------------------------------------------------------------

IN_FORCE = SeizureFacts(approval_status="approved", approved_on=D(2026, 2, 9), executed_on=D(2026, 2, 10))


def test_at_most_thirty_days_counted_in_calendar_days_without_roll_forward():
    # 第二十五条: 30 days; 第六十九条: only periods of ten days or less are working days.
    assert rules.period_refusal(30) is None
    assert rules.period_refusal(31).cites("行政强制法:25.1")
    assert rules.seizure_expiry(IN_FORCE) == D(2026, 3, 12)
    # a last day on National Day stays: the measure may not outlast its thirty days
    assert rules.seizure_expiry(SeizureFacts(executed_on=D(2026, 9, 1))) == D(2026, 10, 1)
    extended = IN_FORCE.__class__(
        **{**IN_FORCE.__dict__, "extension_days": 30, "extended_on": D(2026, 3, 10)}
    )
    assert rules.seizure_expiry(extended) == D(2026, 4, 11)


def test_one_extension_of_at_most_thirty_days_while_in_force():
    # 第二十五条第一款
    assert rules.extension_request_refusal(IN_FORCE, 30, D(2026, 3, 10)) is None
    assert rules.extension_request_refusal(IN_FORCE, 31, D(2026, 3, 10)).code == "extension_too_long"
    extended = SeizureFacts(**{**IN_FORCE.__dict__, "extension_days": 10, "extended_on": D(2026, 3, 10)})
    again = rules.extension_request_refusal(extended, 10, D(2026, 3, 15))
    assert again.code == "already_extended" and again.cites("行政强制法:25.1")
    # day 31 without an extension: the measure expired; only its release remains (第二十八条第一款第四项)
    late = rules.extension_request_refusal(IN_FORCE, 10, D(2026, 3, 13))
    assert late.code == "measure_expired" and late.cites("行政强制法:28.1(4)")
    # approval dated before the measure was carried out is out of order
    assert rules.extension_approval_refusal(IN_FORCE, 10, D(2026, 2, 9)) is not None


def test_refusal_after_day_sixty():
    # 第二十五条: 30 + 30 at most; after the last day no act but the release.
    extended = SeizureFacts(**{**IN_FORCE.__dict__, "extension_days": 30, "extended_on": D(2026, 3, 10)})
    assert rules.seizure_expiry(extended) == D(2026, 4, 11)
    assert rules.seizure_stage(extended, D(2026, 4, 11)) == Stage.IN_FORCE
    assert rules.seizure_stage(extended, D(2026, 4, 12)) == Stage.EXPIRED
    assert rules.extension_notice_refusal(extended, D(2026, 4, 12), D(2026, 4, 12)).code == "measure_expired"
    confiscate = rules.end_refusal(
        extended, "confiscate", D(2026, 4, 12), D(2026, 4, 12), confiscation_decided=True
    )
    assert confiscate.code == "measure_expired"
    assert rules.end_refusal(extended, "release", D(2026, 4, 12), D(2026, 4, 12)) is None


def test_extension_notice_in_writing_after_the_approval():
    # 第二十五条第二款
    assert rules.extension_notice_refusal(IN_FORCE, D(2026, 3, 10), D(2026, 3, 10)).code == "not_extended"
    extended = SeizureFacts(**{**IN_FORCE.__dict__, "extension_days": 30, "extended_on": D(2026, 3, 10)})
    assert rules.extension_notice_refusal(extended, D(2026, 3, 11), D(2026, 3, 12)) is None
    early = rules.extension_notice_refusal(extended, D(2026, 3, 9), D(2026, 3, 12))
    assert early.code == "date_out_of_order" and early.cites("行政强制法:25.2")
    deadlines = {d.name: d for d in rules.seizure_deadlines(extended, at(2026, 3, 11, 9))}
    assert (
        deadlines["extension_notice"].due == D(2026, 3, 12)
        and deadlines["extension_notice"].status == Status.WARNING
    )


def test_ended_by_release_confiscation_or_transfer():
    # 第二十七条: confiscation by the penalty decision (行政处罚法第九条第二项); 第二十一条: transfer with
    # the criminal case; 第二十八条: release.
    on = D(2026, 3, 1)
    assert rules.end_refusal(IN_FORCE, "release", on, on) is None
    refusal = rules.end_refusal(IN_FORCE, "confiscate", on, on)
    assert (
        refusal.code == "no_confiscation_decided"
        and refusal.cites("行政强制法:27")
        and refusal.cites("行政处罚法:9")
    )
    assert rules.end_refusal(IN_FORCE, "confiscate", on, on, confiscation_decided=True) is None
    assert rules.end_refusal(IN_FORCE, "transfer", on, on).cites("行政强制法:21")
    assert rules.end_refusal(IN_FORCE, "transfer", on, on, referral_transferred=True) is None
    assert rules.end_refusal(IN_FORCE, "release", D(2026, 2, 9), on).code == "date_out_of_order"
    assert rules.end_refusal(IN_FORCE, "release", D(2026, 3, 2), on).code == "future_date"
    ended = SeizureFacts(**{**IN_FORCE.__dict__, "ended_on": on})
    assert rules.end_refusal(ended, "release", on, on).code == "measure_ended"


def test_seizure_warned_from_day_25_and_flagged_after_day_30():
    def status(now):
        return {d.name: d for d in rules.seizure_deadlines(IN_FORCE, now)}["seizure_end"].status

    assert status(at(2026, 3, 6, 9)) == Status.OK  # 6 days left
    assert status(at(2026, 3, 7, 9)) == Status.WARNING  # day 25
    assert status(at(2026, 3, 12, 20)) == Status.WARNING  # the last day
    assert status(at(2026, 3, 13, 0, 5)) == Status.OVERDUE


def test_emergency_measure_reported_within_24_hours_and_released_at_once_if_not_approved():
    # 第十九条
    taken = at(2026, 3, 2, 10)
    on_time = SeizureFacts(
        emergency=True,
        approval_status="pending",
        taken_at=taken,
        reported_at=at(2026, 3, 3, 9),
        executed_on=D(2026, 3, 2),
    )
    report = {d.name: d for d in rules.seizure_deadlines(on_time, at(2026, 3, 3, 12))}["emergency_report"]
    assert report.due == at(2026, 3, 3, 10) and report.status == Status.OK and report.cites("行政强制法:19")
    late = SeizureFacts(**{**on_time.__dict__, "reported_at": at(2026, 3, 3, 10, 1)})
    assert {d.name: d for d in rules.seizure_deadlines(late, at(2026, 3, 3, 12))}[
        "emergency_report"
    ].status == Status.OVERDUE
    refused = SeizureFacts(
        **{**on_time.__dict__, "approval_status": "returned", "approval_decided_on": D(2026, 3, 3)}
    )
    assert rules.seizure_stage(refused, D(2026, 3, 3)) == Stage.NOT_APPROVED
    release = {d.name: d for d in rules.seizure_deadlines(refused, at(2026, 3, 4, 9))}["release_at_once"]
    assert release.status == Status.OVERDUE
    assert rules.extension_request_refusal(refused, 10, D(2026, 3, 3)).code == "emergency_not_approved"
    assert rules.end_refusal(refused, "release", D(2026, 3, 3), D(2026, 3, 3)) is None
    assert rules.emergency_refusal(at(2026, 3, 3, 11), at(2026, 3, 3, 10), None).code == "future_date"
    assert (
        rules.emergency_refusal(at(2026, 3, 1, 11), at(2026, 3, 3, 10), D(2026, 3, 2)).code
        == "date_out_of_order"
    )


def test_a_seizure_is_carried_out_only_after_approval():
    # 第十八条第一项
    pending = SeizureFacts(approval_status="pending")
    assert rules.seizure_execute_refusal(pending, D(2026, 2, 10), D(2026, 2, 10)).cites("行政强制法:18(1)")
    approved = SeizureFacts(approval_status="approved", approved_on=D(2026, 2, 9))
    assert rules.seizure_execute_refusal(approved, D(2026, 2, 10), D(2026, 2, 10)) is None
    assert rules.seizure_execute_refusal(approved, D(2026, 2, 8), D(2026, 2, 10)).code == "date_out_of_order"


# ---- 移送涉嫌犯罪案件 (行政执法机关移送涉嫌犯罪案件的规定) -----------------------------------------------

BASE = ReferralFacts(discovered_on=D(2026, 3, 2), team_appointed_on=D(2026, 3, 2))
REPORTED = ReferralFacts(**{**BASE.__dict__, "reported_on": D(2026, 3, 5), "approval_status": "pending"})
APPROVED = ReferralFacts(
    **{
        **REPORTED.__dict__,
        "approval_status": "approved",
        "decided_on": D(2026, 3, 6),
        "decided_at": at(2026, 3, 6, 10),
    }
)
TRANSFERRED = ReferralFacts(**{**APPROVED.__dict__, "transferred_at": at(2026, 3, 6, 15)})
RECEIVED = ReferralFacts(**{**TRANSFERRED.__dict__, "received_on": D(2026, 3, 6)})
REFUSED = ReferralFacts(**{**RECEIVED.__dict__, "answer": "refused", "answered_on": D(2026, 3, 9)})


def test_a_team_of_two_at_once():
    # 第五条第一款
    assert rules.open_referral_refusal(D(2026, 3, 2), D(2026, 3, 2), 2, D(2026, 3, 2), D(2026, 2, 2)) is None
    assert rules.open_referral_refusal(D(2026, 3, 2), D(2026, 3, 2), 1, D(2026, 3, 2), None).cites(
        "行政执法机关移送涉嫌犯罪案件的规定:5.1"
    )
    assert (
        rules.open_referral_refusal(D(2026, 3, 2), D(2026, 3, 1), 2, D(2026, 3, 2), None).code
        == "date_out_of_order"
    )
    late_team = ReferralFacts(discovered_on=D(2026, 3, 2), team_appointed_on=D(2026, 3, 3))
    team = {d.name: d for d in rules.referral_deadlines(late_team, at(2026, 3, 3, 9))}["team"]
    assert team.status == Status.OVERDUE and team.cites("行政执法机关移送涉嫌犯罪案件的规定:5.1")


def test_the_head_decides_within_three_days_of_the_report():
    # 第五条第二款: 3 days, calendar days; ending on Sunday 8 Mar it moves to Monday (民法典第二百零三条).
    decision = {d.name: d for d in rules.referral_deadlines(REPORTED, at(2026, 3, 6, 9))}["head_decision"]
    assert decision.due == D(2026, 3, 9) and decision.status == Status.WARNING
    assert rules.referral_stage(REPORTED) == ReferralStage.REPORTED
    assert {d.name: d for d in rules.referral_deadlines(REPORTED, at(2026, 3, 10, 9))}[
        "head_decision"
    ].status == Status.OVERDUE
    assert rules.three_days(D(2026, 9, 28), rules.default_calendar) == D(2026, 10, 8)  # National Day


def test_transfer_within_24_hours_of_the_approval():
    # 第五条第二款
    transfer = {d.name: d for d in rules.referral_deadlines(APPROVED, at(2026, 3, 6, 11))}["transfer"]
    assert transfer.due == at(2026, 3, 7, 10) and transfer.status == Status.WARNING
    late = ReferralFacts(**{**APPROVED.__dict__, "transferred_at": at(2026, 3, 7, 11)})
    assert {d.name: d for d in rules.referral_deadlines(late, at(2026, 3, 8))}[
        "transfer"
    ].status == Status.OVERDUE
    assert rules.transfer_refusal(APPROVED, at(2026, 3, 6, 15), at(2026, 3, 6, 16)) is None
    assert (
        rules.transfer_refusal(APPROVED, at(2026, 3, 5, 15), at(2026, 3, 6, 16)).code == "date_out_of_order"
    )
    assert rules.transfer_refusal(REPORTED, at(2026, 3, 6, 15), at(2026, 3, 6, 16)).code == "not_approved"


def test_receipt_and_answer_within_three_days():
    # 第七条、第八条
    assert rules.receipt_refusal(TRANSFERRED, D(2026, 3, 6), D(2026, 3, 6)) is None
    assert rules.receipt_refusal(TRANSFERRED, D(2026, 3, 5), D(2026, 3, 6)).cites(
        "行政执法机关移送涉嫌犯罪案件的规定:7"
    )
    review = {d.name: d for d in rules.referral_deadlines(RECEIVED, at(2026, 3, 10, 9))}["police_review"]
    assert (
        review.due == D(2026, 3, 9)
        and review.status == Status.OVERDUE
        and review.cites("行政执法机关移送涉嫌犯罪案件的规定:8")
    )
    assert rules.answer_refusal(RECEIVED, D(2026, 3, 9), D(2026, 3, 9), False, "").code == "reasons_missing"
    assert rules.answer_refusal(RECEIVED, D(2026, 3, 9), D(2026, 3, 9), False, "犯罪事实显著轻微") is None


def test_reconsideration_within_three_days_of_a_refusal():
    # 第九条
    assert rules.referral_stage(REFUSED) == ReferralStage.REFUSED
    assert rules.reconsideration_refusal(REFUSED, D(2026, 3, 12), D(2026, 3, 20)) is None
    late = rules.reconsideration_refusal(REFUSED, D(2026, 3, 13), D(2026, 3, 20))
    assert late.code == "reconsideration_late" and late.cites("行政执法机关移送涉嫌犯罪案件的规定:9.1")
    window = {d.name: d for d in rules.referral_deadlines(REFUSED, at(2026, 3, 13, 9))}[
        "reconsideration_request"
    ]
    assert window.optional and window.status == Status.LAPSED
    pending = ReferralFacts(**{**REFUSED.__dict__, "reconsideration_requested_on": D(2026, 3, 10)})
    assert rules.referral_stage(pending) == ReferralStage.RECONSIDERATION
    answer = {d.name: d for d in rules.referral_deadlines(pending, at(2026, 3, 11, 9))}[
        "police_reconsideration"
    ]
    assert answer.due == D(2026, 3, 13)


def test_the_case_continues_administratively_only_after_a_final_refusal():
    # 第十条 (and 第九条: not while the reconsideration is pending)
    assert rules.resume_refusal(REFUSED, D(2026, 3, 10), D(2026, 3, 10)) is None
    assert rules.resume_refusal(REFUSED, D(2026, 3, 8), D(2026, 3, 10)).code == "date_out_of_order"
    pending = ReferralFacts(**{**REFUSED.__dict__, "reconsideration_requested_on": D(2026, 3, 10)})
    assert rules.resume_refusal(pending, D(2026, 3, 11), D(2026, 3, 11)).cites(
        "行政执法机关移送涉嫌犯罪案件的规定:10"
    )
    final = ReferralFacts(
        **{
            **pending.__dict__,
            "reconsideration_answer": "refused",
            "reconsideration_answered_on": D(2026, 3, 12),
        }
    )
    assert rules.referral_stage(final) == ReferralStage.REFUSED_FINAL
    assert final.refused_on == D(2026, 3, 12)
    assert rules.resume_refusal(final, D(2026, 3, 12), D(2026, 3, 12)) is None
    assert rules.resume_refusal(RECEIVED, D(2026, 3, 12), D(2026, 3, 12)).code == "not_refused"


def test_items_handed_over_within_three_days_of_acceptance():
    # 第十二条
    accepted = ReferralFacts(**{**RECEIVED.__dict__, "answer": "accepted", "answered_on": D(2026, 3, 9)})
    assert rules.referral_stage(accepted) == ReferralStage.ACCEPTED
    handover = {d.name: d for d in rules.referral_deadlines(accepted, at(2026, 3, 13, 9))}["handover"]
    assert handover.due == D(2026, 3, 12) and handover.status == Status.OVERDUE
    assert handover.cites("行政执法机关移送涉嫌犯罪案件的规定:12")
    assert rules.handover_refusal(accepted, D(2026, 3, 10), D(2026, 3, 10)) is None
    assert rules.resume_refusal(accepted, D(2026, 3, 10), D(2026, 3, 10)).code == "not_refused"


@pytest.mark.parametrize(
    "facts, pending",
    [
        (BASE, True),
        (REPORTED, True),
        (APPROVED, True),
        (TRANSFERRED, True),
        (RECEIVED, True),
        (REFUSED, False),
        (ReferralFacts(**{**REPORTED.__dict__, "approval_status": "returned"}), False),
        (ReferralFacts(**{**REFUSED.__dict__, "reconsideration_requested_on": D(2026, 3, 10)}), True),
        (ReferralFacts(**{**RECEIVED.__dict__, "answer": "accepted", "answered_on": D(2026, 3, 9)}), True),
        (ReferralFacts(**{**REFUSED.__dict__, "resumed_on": D(2026, 3, 10)}), False),
    ],
)
def test_a_penalty_never_replaces_a_referral_under_way(facts, pending):
    # 第十一条: the case fact the decision guard reads
    assert bool(rules.referral_pending(facts)) is pending


# ---- 证据共享 (浙江省综合行政执法条例第十八条) -----------------------------------------------------------


def test_evidence_of_another_body_by_its_digest():
    sha = "a" * 64
    assert (
        rules.shared_evidence_refusal(
            same_body=False, sha256=sha, gathered_on=D(2026, 3, 1), today=D(2026, 3, 2)
        )
        is None
    )
    same = rules.shared_evidence_refusal(
        same_body=True, sha256=sha, gathered_on=D(2026, 3, 1), today=D(2026, 3, 2)
    )
    assert same.code == "same_body" and same.cites("浙江省综合行政执法条例:18")
    assert (
        rules.shared_evidence_refusal(
            same_body=False, sha256="xyz" * 21 + "a", gathered_on=D(2026, 3, 1), today=D(2026, 3, 2)
        ).code
        == "bad_sha256"
    )
    assert (
        rules.shared_evidence_refusal(
            same_body=False, sha256=sha, gathered_on=D(2026, 3, 3), today=D(2026, 3, 2)
        ).code
        == "future_date"
    )
