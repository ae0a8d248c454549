"""Each alert rule: data that must raise, and data that must not (the false-positive check)."""

import datetime as dt

import pytest

from tests.conftest import new_officer
from tests.parties.conftest import add_party
from zhifa.cases.models import Case, CaseEvent
from zhifa.dispatch.models import Incident
from zhifa.inspections.models import InspectionRecord, JointInspection
from zhifa.organizations.models import Certificate
from zhifa.supervision import rules
from zhifa.supervision.rules_registry import RULES

from .conftest import NOW, add_event, make_case, make_incident, timezone

pytestmark = pytest.mark.django_db


def subjects(code):
    return {(f.subject_type, f.subject_id) for f in RULES[code].find(NOW)}


def test_every_rule_has_name_basis_and_severity():
    for rule in RULES.values():
        assert rule.name and rule.basis and rule.looks_at
        assert rule.severity in rules.SEVERITY_LABELS


# ---- pure rules ----


def test_decision_due_is_90_days_plus_extensions():  # 行政处罚法第六十条
    assert rules.decision_due(dt.date(2026, 2, 5)) == dt.date(2026, 5, 6)
    assert rules.decision_due(
        dt.date(2026, 2, 5), rules.extension_days([{"days": 30}, {"x": 1}, "bad"])
    ) == dt.date(2026, 6, 5)


def test_loop_close_needs_explanation_or_correction():
    assert rules.next_state(rules.RAISED, "close") is None
    assert rules.next_state(rules.ASSIGNED, "close") is None
    assert rules.next_state(rules.EXPLAINED, "close") == rules.CLOSED
    assert rules.next_state(rules.CORRECTED, "close") == rules.CLOSED
    assert rules.next_state(rules.CLOSED, "explain") is None


# ---- rules over data ----


def test_incident_overdue(sv):
    org = sv.world.team_a
    late = make_incident(org, state="handling", due_at=NOW - dt.timedelta(hours=1))
    flagged = make_incident(org, state="replied", overdue=True)
    escalated = make_incident(org, state="assigned", escalated=True, due_at=NOW + dt.timedelta(days=2))
    make_incident(org, state="handling", due_at=NOW + dt.timedelta(hours=1))  # still in time
    make_incident(org, state="closed", overdue=True, due_at=NOW - dt.timedelta(days=3))  # finished
    assert subjects("incident_overdue") == {("dispatch.Incident", i.pk) for i in (late, flagged, escalated)}


def test_decision_deadline(sv):  # 行政处罚法第六十条
    passed = make_case(sv, state="investigating", filing_date=dt.date(2026, 2, 1))  # due 2 May
    soon = make_case(sv, state="legal_review", filing_date=dt.date(2026, 3, 10))  # due 8 June, 7 days left
    make_case(sv, state="investigating", filing_date=dt.date(2026, 4, 20))  # due 19 July
    make_case(
        sv, state="investigating", filing_date=dt.date(2026, 2, 1), extensions=[{"days": 60}]
    )  # due 1 July
    make_case(sv, state="decided", filing_date=dt.date(2026, 2, 1), decision_date=dt.date(2026, 4, 1))
    found = {f.subject_id: f for f in RULES["decision_deadline"].find(NOW)}
    assert set(found) == {passed.pk, soon.pk}
    assert found[passed.pk].details["days_left"] < 0
    assert found[soon.pk].details["days_left"] == 7


def test_fine_below_minimum(sv):  # 行政处罚法第三十二条
    low = make_case(sv, state="decided", fine="500", decision_date=dt.date(2026, 5, 10))
    make_case(
        sv,
        state="decided",
        fine="500",
        extra_facts={"mitigation_basis": "第三十二条第一项：主动消除危害后果"},
        act_date=dt.date(2026, 4, 2),
    )
    make_case(sv, state="paid", fine="1000", act_date=dt.date(2026, 4, 3))  # at the minimum
    make_case(sv, state="notified", fine="500", act_date=dt.date(2026, 4, 4))  # not decided yet
    assert subjects("fine_below_minimum") == {("cases.Case", low.pk)}


def test_duplicate_fine(sv):  # 行政处罚法第二十九条
    first = make_case(sv, state="paid", fine="2000")
    second = make_case(sv, state="decided", fine="3000")
    make_case(sv, state="no_penalty", fine="0")  # same act, no fine
    make_case(sv, state="decided", fine="2000", act_date=dt.date(2026, 4, 9))  # another act
    other_party = add_party(sv.world.shangfang, name="另一家公司")
    make_case(sv, state="decided", fine="2000", party=other_party)
    found = subjects("duplicate_fine")
    assert found == {("cases.Case", second.pk)}
    assert ("cases.Case", first.pk) not in found


def test_officer_uncertified(sv):  # 行政处罚法第四十二条、第五十五条
    expired = new_officer(sv.world.team_a, name="过期", valid_to=dt.date(2026, 3, 1))
    suspended = new_officer(sv.world.team_a, name="暂扣")
    Certificate.objects.filter(officer=suspended).update(status=Certificate.Status.SUSPENDED)
    bad = make_case(
        sv,
        state="decided",
        fine="2000",
        filing_date=dt.date(2026, 2, 10),
        decision_date=dt.date(2026, 4, 1),
        officers=[expired, suspended, sv.world.officer_a],
    )
    make_case(
        sv,
        state="decided",
        fine="2000",
        filing_date=dt.date(2026, 1, 10),
        decision_date=dt.date(2026, 2, 1),
        officers=[expired, sv.second],
        act_date=dt.date(2026, 1, 2),
    )  # valid then
    make_case(
        sv, state="registered", filing_date=None, officers=[expired, sv.second], act_date=dt.date(2026, 1, 3)
    )
    found = RULES["officer_uncertified"].find(NOW)
    assert {(f.details["case_id"], f.details["officer_id"]) for f in found} == {
        (bad.pk, expired.pk),
        (bad.pk, suspended.pk),
    }


def test_officer_alone(sv):  # 行政处罚法第四十二条
    aux = new_officer(sv.world.team_a, name="辅助", kind="auxiliary")
    alone = make_case(sv, state="investigating", officers=[sv.world.officer_a])
    with_aux = make_case(
        sv, state="investigating", officers=[sv.world.officer_a, aux], act_date=dt.date(2026, 4, 2)
    )
    make_case(sv, state="investigating", act_date=dt.date(2026, 4, 3))  # two officers
    make_case(sv, state="registered", officers=[], act_date=dt.date(2026, 4, 4))  # not yet filed
    assert subjects("officer_alone") == {("cases.Case", alone.pk), ("cases.Case", with_aux.pk)}


def test_repeated_inspection(sv):
    twice = add_party(sv.world.shangfang, name="被重复检查的公司")
    once = add_party(sv.world.shangfang, name="只查一次的公司")
    far = add_party(sv.world.shangfang, name="间隔较长的公司")
    start = NOW - dt.timedelta(days=20)

    def rec(party, dept, at):
        visit = JointInspection.objects.create(party=party, day=at.date(), state="done")
        return InspectionRecord.objects.create(
            visit=visit, party=party, department=dept, started_at=at, ended_at=at + dt.timedelta(hours=1)
        )

    rec(twice, sv.world.bureau, start)
    rec(twice, sv.world.team_a, start + dt.timedelta(days=10))
    rec(once, sv.world.bureau, start)
    rec(far, sv.world.bureau, start - dt.timedelta(days=100))
    rec(far, sv.world.team_a, start)
    rec(once, sv.world.bureau, start + dt.timedelta(days=3))  # same department twice is not 多部门
    assert subjects("repeated_inspection") == {("parties.Party", twice.pk)}


def test_closed_unpaid(sv):  # 行政处罚法第六十七条、第七十二条
    unpaid = make_case(sv, state="closed", fine="2000", amount_paid=0)
    executed = make_case(sv, state="closed", fine="2000", amount_paid=0, act_date=dt.date(2026, 4, 2))
    add_event(executed, "apply_to_court")
    make_case(sv, state="archived", fine="2000", amount_paid=2000, act_date=dt.date(2026, 4, 3))
    make_case(sv, state="paid", fine="2000", amount_paid=0, act_date=dt.date(2026, 4, 4))  # not closed
    assert subjects("closed_unpaid") == {("cases.Case", unpaid.pk)}


# ---- rules added with the loop ----


def test_incident_due_soon(sv):  # closed loop deadline, before it passes
    org = sv.world.team_a
    # NOW is Monday 1 June 2026, 10:00 in Asia/Shanghai: the horizon is the end of the next working day (2 June).
    soon = make_incident(org, state="handling", due_at=NOW + dt.timedelta(hours=20))
    make_incident(org, state="handling", due_at=NOW + dt.timedelta(days=4))  # later
    make_incident(org, state="handling", due_at=NOW - dt.timedelta(hours=1))  # already overdue: other rule
    replied = make_incident(org, state="replied", due_at=NOW + dt.timedelta(hours=5))  # no longer owed
    assert subjects("incident_due_soon") == {("dispatch.Incident", soon.pk)}
    # an event run over given ids finds the same among them, and nothing among the rest
    everyone = list(Incident.objects.values_list("pk", flat=True))
    rule = RULES["incident_due_soon"]
    assert {f.subject_id for f in rule.find(NOW, ids=everyone)} == {soon.pk}
    assert rule.find(NOW, ids=[replied.pk]) == []


def test_case_deadline(sv):  # 行政处罚法第六十一条、第六十四条、第六十七条
    # service within 7 working days of the decision (22 May → 2 June): 1 day left, within the warning
    unserved = make_case(
        sv, state="decided", fine="2000", filing_date=dt.date(2026, 5, 1), decision_date=dt.date(2026, 5, 22)
    )
    make_case(
        sv, state="decided", fine="2000", decision_date=dt.date(2026, 5, 29), act_date=dt.date(2026, 4, 2)
    )  # 9 June
    # payment within 15 days of service (1 May → 16 May, a Saturday, rolls to 18 May): overdue
    unpaid = make_case(
        sv,
        state="served",
        fine="2000",
        decision_date=dt.date(2026, 4, 28),
        service_date=dt.date(2026, 5, 1),
        act_date=dt.date(2026, 4, 3),
    )
    make_case(
        sv,
        state="served",
        fine="2000",
        amount_paid=2000,
        decision_date=dt.date(2026, 4, 28),
        service_date=dt.date(2026, 5, 1),
        act_date=dt.date(2026, 4, 4),
    )  # paid
    make_case(
        sv,
        state="deferred",
        fine="2000",
        decision_date=dt.date(2026, 4, 28),
        service_date=dt.date(2026, 5, 1),
        extra_facts={"deferral_approved": True, "deferred_until": "2026-08-01"},
        act_date=dt.date(2026, 4, 5),
    )
    # hearing on 5 June needs notice by 7 working days before (27 May): missed
    no_notice = make_case(sv, state="hearing", hearing_date=dt.date(2026, 6, 5), act_date=dt.date(2026, 4, 6))
    make_case(
        sv,
        state="hearing",
        hearing_date=dt.date(2026, 6, 5),
        hearing_notice_date=dt.date(2026, 5, 20),
        act_date=dt.date(2026, 4, 7),
    )
    found = {f.subject_id: f for f in RULES["case_deadline"].find(NOW)}
    assert set(found) == {unserved.pk, unpaid.pk, no_notice.pk}
    assert found[unpaid.pk].details["days_left"] < 0
    assert found[unserved.pk].details["due"] == "2026-06-02"


def _baseline(item, low, high):
    from zhifa.discretion.models import CircumstanceLevel, DiscretionBaseline

    baseline = DiscretionBaseline.objects.create(
        item=item,
        version=1,
        status="in_force",
        effective_from=dt.date(2026, 1, 1),
        statutory_kind="fixed",
        statutory_low=1000,
        statutory_high=10000,
    )
    CircumstanceLevel.objects.create(
        baseline=baseline, order=1, name="一般", range_kind="fixed", range_low=low, range_high=high
    )
    CircumstanceLevel.objects.create(
        baseline=baseline, order=2, name="较重", range_kind="fixed", range_low=high, range_high=10000
    )
    return baseline


def test_discretion_deviation(sv):  # 行政处罚法第三十四条、第五十八条；国办发〔2022〕27号
    _baseline(sv.item, 1000, 3000)
    outside = make_case(sv, state="decided", fine="1500", decision_date=dt.date(2026, 5, 10))
    make_case(sv, state="decided", fine="1500", act_date=dt.date(2026, 4, 2), extra_facts={})  # inside → ok
    Case.objects.filter(pk=outside.pk).update(decided_fine=800)  # below every level
    reasoned = make_case(
        sv, state="decided", fine="800", act_date=dt.date(2026, 4, 3), legal_review_passed=True
    )
    CaseEvent.objects.filter(pk=add_event(reasoned, "decide").pk).update(
        note="裁量基准：偏离推荐幅度；偏离理由：主动消除危害"
    )
    unreviewed = make_case(sv, state="decided", fine="800", act_date=dt.date(2026, 4, 4))
    CaseEvent.objects.filter(pk=add_event(unreviewed, "decide").pk).update(note="偏离理由：主动消除危害")
    make_case(
        sv, state="decided", fine="800", act_date=dt.date(2026, 4, 5), filing_date=dt.date(2025, 12, 1)
    )  # no baseline then
    found = {f.subject_id: f for f in RULES["discretion_deviation"].find(NOW)}
    assert set(found) == {outside.pk, unreviewed.pk}
    assert found[unreviewed.pk].details["reasoned"] is True


def test_no_penalty_outlier(sv):  # 行政处罚法第三十三条；国办发〔2022〕27号
    from zhifa.cases.models import CaseOfficer

    officers = [new_officer(sv.world.team_a, name=f"同事{i}") for i in range(4)]
    lenient = new_officer(sv.world.team_a, name="宽松")
    day = iter(range(1, 10000))

    def cases_for(officer, total, no_penalty):
        for i in range(total):
            case = make_case(
                sv,
                state="no_penalty" if i < no_penalty else "closed",
                fine="0" if i < no_penalty else "2000",
                officers=[],
                act_date=dt.date(2020, 1, 1) + dt.timedelta(days=next(day)),
                amount_paid=2000,
            )
            CaseOfficer.objects.create(case=case, officer=officer, role="lead")

    for officer, share in zip(officers, (1, 2, 1, 2), strict=True):
        cases_for(officer, 12, share)
    cases_for(lenient, 12, 9)
    few = new_officer(sv.world.team_a, name="案少")
    cases_for(few, 5, 5)  # too few cases to compare
    found = RULES["no_penalty_outlier"].find(NOW)
    assert {(f.subject_type, f.subject_id) for f in found} == {("organizations.Officer", lenient.pk)}
    assert found[0].details["no_penalty"] == 9 and found[0].details["peers"] == 4


def test_no_penalty_outlier_needs_enough_peers():
    rows = [
        rules.OutlierRow(1, "a", 20, 18),
        rules.OutlierRow(2, "a", 20, 1),
        rules.OutlierRow(3, "a", 20, 1),
    ]
    assert rules.share_outliers(rows) == []  # two peers are not enough to compare with
    rows.append(rules.OutlierRow(4, "a", 20, 2))
    assert [r.key for r, _ in rules.share_outliers(rows)] == [1]


def test_edited_after_decision(sv):  # 行政处罚法第四十七条
    from zhifa.core import audit

    edited = make_case(sv, state="decided", fine="2000", decision_date=dt.date(2026, 5, 10))
    clean = make_case(
        sv, state="served", fine="2000", decision_date=dt.date(2026, 5, 10), act_date=dt.date(2026, 4, 2)
    )
    undecided = make_case(sv, state="investigating", act_date=dt.date(2026, 4, 3))
    audit.record(None, "case.add_evidence", edited, after={"evidence": 1})
    audit.record(None, "case.serve", clean, after={})  # allowed after the decision
    audit.record(None, "case.add_evidence", undecided, after={})  # before any decision
    same_day = make_case(
        sv, state="decided", fine="2000", decision_date=dt.date(2026, 5, 10), act_date=dt.date(2026, 4, 4)
    )
    audit.record(None, "case.add_evidence", same_day, after={})
    # audit rows cannot be back-dated: the decision moves to today instead, so the edit is the same day
    Case.objects.filter(pk=same_day.pk).update(decision_date=timezone.localdate())
    assert subjects("edited_after_decision") == {("cases.Case", edited.pk)}


def test_find_restricted_to_ids(sv):
    a = make_case(sv, state="investigating", officers=[sv.world.officer_a])
    b = make_case(sv, state="investigating", officers=[sv.world.officer_a], act_date=dt.date(2026, 4, 2))
    assert {f.subject_id for f in RULES["officer_alone"].find(NOW, ids=[b.pk])} == {b.pk}
    assert {f.subject_id for f in RULES["officer_alone"].find(NOW)} == {a.pk, b.pk}
