"""移送涉嫌犯罪案件 through the services, against PostgreSQL: the team and report, the head's decision
through the case's ``criminal_referral`` approval, the transfer, receipt, answer, reconsideration,
handover or return to the administrative procedure — and no decision while a referral is under way
(行政执法机关移送涉嫌犯罪案件的规定第五条至第十二条)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.cases.conftest import open_general, run_to_notified
from tests.measures.conftest import ITEMS, D, approve, give_back, officers
from zhifa.cases import services as cases_services
from zhifa.cases.facts import build_facts
from zhifa.cases.models import Approval
from zhifa.cases.services import CaseRefused
from zhifa.core.calendars import district_calendar
from zhifa.core.errors import DomainError, NotFound
from zhifa.core.models import AuditEvent
from zhifa.measures import selectors, services
from zhifa.measures.models import CriminalReferral, MeasureDocument

TZ = dt.timezone(dt.timedelta(hours=8))
CRIME = "涉嫌生产、销售不符合安全标准的食品罪，冻品经检验致病菌超标"


@pytest.fixture
def notified(cw):
    """Notified on Mon 2 Mar 2026 of a 5,000 yuan fine: decidable once the defence period is over."""
    return run_to_notified(cw, open_general(cw))


TEAM_DAY = D(2026, 3, 10)


def _team(cw, case, on=TEAM_DAY) -> CriminalReferral:
    return services.open_referral(
        cw.user,
        case.pk,
        {"discovered_on": on, "team_appointed_on": on, "team_ids": officers(cw), "suspected_crime": CRIME},
    )


def _decide(cw, case):
    return cases_services.transition(cw.head, case.pk, "decide", {"decision_date": D(2026, 3, 20)})


def _transferred(cw, case) -> CriminalReferral:
    referral = _team(cw, case)
    referral = services.report_referral(
        cw.user,
        referral.pk,
        {"reported_on": D(2026, 3, 11), "report": "经核实，涉案冻品经检验不合格，货值达到追诉标准"},
    )
    approve(cw.head, referral.approval_id, D(2026, 3, 12), "同意移送")
    return services.transfer_referral(
        cw.user,
        referral.pk,
        {
            "transferred_at": dt.datetime(2026, 3, 12, 15, 0),
            "police_body": "衢州市公安局衢江分局",
            "materials": ["items_list", "inspection_reports"],
        },
    )


def test_no_decision_while_a_referral_is_under_way(cw, notified):
    """第十一条: without the referral the head could decide on 20 Mar; with the team appointed he cannot."""
    team = _team(cw, notified)
    with pytest.raises(CaseRefused) as exc:
        _decide(cw, notified)
    assert [r.code for r in exc.value.refusals] == ["criminal_referral_pending"]
    assert "第十一条" in exc.value.message and "专案组核查中" in exc.value.message
    # no penalty decision either, nor through an officer's request approved in the inbox
    with pytest.raises(CaseRefused):
        cases_services.transition(
            cw.head,
            notified.pk,
            "decide_no_penalty",
            {"decision_date": D(2026, 3, 20), "no_penalty_ground": "facts_unclear"},
        )
    approval = cases_services.request_approval(cw.user, notified.pk, "decision", {})
    with pytest.raises(CaseRefused):
        approve(cw.head, approval.pk, D(2026, 3, 20))
    assert Approval.objects.get(pk=approval.pk).status == "pending"
    # the head returns the referral (不批准移送, 第五条): the case may be decided again
    team = services.report_referral(
        cw.user, team.pk, {"reported_on": D(2026, 3, 11), "report": "经核实，未达追诉标准"}
    )
    cases_services.withdraw_approval(cw.user, approval.pk)
    give_back(cw.head, team.approval_id, D(2026, 3, 12), "未达到刑事追诉标准，不予移送")
    assert build_facts(notified).criminal_referral_pending == ""
    team.refresh_from_db()
    entry = selectors.referral_entry(team, dt.datetime.now(dt.UTC), district_calendar())
    assert entry.stage == "not_approved"
    assert _decide(cw, notified).state == "decided"


def test_referral_accepted_then_items_handed_over(cw, notified):
    seizure = services.propose_seizure(
        cw.user,
        notified.pk,
        {
            "kind": "seize",
            "items": ITEMS,
            "place": "仓库",
            "reason": "涉案冻品",
            "legal_basis": "《食品安全法》第一百一十条",
        },
    )
    approve(cw.head, seizure.approval_id, D(2026, 3, 5))
    services.execute_seizure(
        cw.user, seizure.pk, {"executed_on": D(2026, 3, 5), "officer_ids": officers(cw), "record": "扣押"}
    )
    with pytest.raises(DomainError) as exc:  # 第五条第一款: a team of two or more
        services.open_referral(
            cw.user,
            notified.pk,
            {
                "discovered_on": D(2026, 3, 10),
                "team_appointed_on": D(2026, 3, 10),
                "team_ids": [cw.world.officer_a.pk],
                "suspected_crime": CRIME,
            },
        )
    assert exc.value.code == "team_too_small"
    referral = _team(cw, notified)
    with pytest.raises(DomainError) as exc:  # one referral at a time
        _team(cw, notified)
    assert exc.value.code == "referral_under_way"
    referral = services.report_referral(
        cw.user, referral.pk, {"reported_on": D(2026, 3, 11), "report": "核实情况报告"}
    )
    approval = referral.approval
    assert approval.kind == Approval.Kind.CRIMINAL_REFERRAL and approval.proposal["suspected_crime"] == CRIME
    decision = {
        d.name: d
        for d in selectors.referral_entry(
            referral, dt.datetime(2026, 3, 12, 9, tzinfo=TZ), district_calendar()
        ).deadlines
    }
    assert decision["head_decision"].due == D(2026, 3, 16)  # Sat 14 Mar + rest days → Mon 16 Mar
    with pytest.raises(DomainError) as exc:  # not before the head approved
        services.transfer_referral(
            cw.user,
            referral.pk,
            {"transferred_at": dt.datetime(2026, 3, 12, 15), "police_body": "衢州市公安局衢江分局"},
        )
    assert exc.value.code == "not_approved"
    approve(cw.head, approval.pk, D(2026, 3, 12), "同意移送")
    notified.refresh_from_db()
    assert notified.state == "referred"  # the case's refer_criminal transition, performed by the approval
    with pytest.raises(DomainError) as exc:
        services.transfer_referral(
            cw.user,
            referral.pk,
            {"transferred_at": dt.datetime(2026, 3, 11, 15), "police_body": "衢州市公安局衢江分局"},
        )
    assert exc.value.code == "date_out_of_order"
    referral = services.transfer_referral(
        cw.user,
        referral.pk,
        {
            "transferred_at": dt.datetime(2026, 3, 12, 15, 0),
            "police_body": "衢州市公安局衢江分局",
            "materials": ["items_list", "inspection_reports"],
        },
    )
    assert (
        referral.letter.kind == MeasureDocument.Kind.CRIMINAL_REFERRAL and "刑移字" in referral.letter.number
    )
    transfer = {
        d.name: d
        for d in selectors.referral_entry(referral, dt.datetime.now(dt.UTC), district_calendar()).deadlines
    }["transfer"]
    assert transfer.status == "ok"  # within the 24 hours of the end of 12 Mar (a decision dated earlier)
    # 行政强制法第二十一条: the seized property goes with the case
    seizure = services.end_seizure(cw.user, seizure.pk, {"ended_on": D(2026, 3, 12), "end_kind": "transfer"})
    assert seizure.transfer_to == "衢州市公安局衢江分局" and seizure.end_document.kind == "seizure_transfer"
    services.record_receipt(
        cw.user, referral.pk, {"received_on": D(2026, 3, 13), "receipt_signed_by": "刑侦大队 王某"}
    )
    with pytest.raises(DomainError):
        services.record_handover(
            cw.user, referral.pk, {"handed_over_on": D(2026, 3, 16), "materials": "案卷"}
        )
    services.record_answer(
        cw.user,
        referral.pk,
        {"answered_on": D(2026, 3, 16), "accepted": True, "answer_number": "衢江公（刑）立字〔2026〕15号"},
    )
    with pytest.raises(DomainError) as exc:  # accepted: never back to the administrative procedure
        services.resume_case(cw.user, referral.pk, {"resumed_on": D(2026, 3, 17)})
    assert exc.value.code == "not_refused"
    referral = services.record_handover(
        cw.user, referral.pk, {"handed_over_on": D(2026, 3, 18), "materials": "案卷一宗、冻品200公斤"}
    )
    entry = selectors.referral_entry(referral, dt.datetime.now(dt.UTC), district_calendar())
    assert entry.stage == "handed_over" and entry.worst == "ok"
    assert build_facts(notified).criminal_referral_pending  # still a criminal case: no penalty replaces it
    with pytest.raises(CaseRefused) as exc:
        cases_services.transition(
            cw.user, notified.pk, "resume", {"referral_declined_on": D(2026, 3, 18), "answer_number": "伪造"}
        )
    assert "criminal_referral_pending" in [r.code for r in exc.value.refusals]
    assert AuditEvent.objects.filter(object_type="measures.CriminalReferral").count() == 6


def test_referral_refused_reconsidered_then_continued_administratively(cw, notified):
    referral = _transferred(cw, notified)
    services.record_receipt(
        cw.user, referral.pk, {"received_on": D(2026, 3, 13), "receipt_signed_by": "王某"}
    )
    with pytest.raises(DomainError) as exc:  # 第八条: a refusal states its reasons
        services.record_answer(
            cw.user,
            referral.pk,
            {
                "answered_on": D(2026, 3, 16),
                "accepted": False,
                "answer_number": "衢江公（刑）不立字〔2026〕3号",
            },
        )
    assert exc.value.code == "reasons_missing"
    services.record_answer(
        cw.user,
        referral.pk,
        {
            "answered_on": D(2026, 3, 16),
            "accepted": False,
            "answer_number": "衢江公（刑）不立字〔2026〕3号",
            "reasons": "货值未达到立案追诉标准",
        },
    )
    assert build_facts(notified).criminal_referral_pending == ""
    with pytest.raises(DomainError) as exc:  # 第九条: within three days of the refusal
        services.request_reconsideration(
            cw.user, referral.pk, {"requested_on": D(2026, 3, 20), "reasons": "x"}
        )
    assert exc.value.code == "reconsideration_late"
    services.request_reconsideration(
        cw.user, referral.pk, {"requested_on": D(2026, 3, 18), "reasons": "另有批次，合计货值已达追诉标准"}
    )
    assert "提请复议中" in build_facts(notified).criminal_referral_pending
    with pytest.raises(DomainError) as exc:  # not while the reconsideration is pending
        services.resume_case(cw.user, referral.pk, {"resumed_on": D(2026, 3, 19)})
    assert exc.value.code == "not_refused"
    services.record_reconsideration_answer(
        cw.user,
        referral.pk,
        {
            "answered_on": D(2026, 3, 20),
            "accepted": False,
            "answer_number": "衢江公（刑）复字〔2026〕1号",
            "reasons": "维持",
        },
    )
    services.suggest_supervision(
        cw.user, referral.pk, {"suggested_on": D(2026, 3, 23), "procuratorate": "衢江区人民检察院"}
    )
    referral = services.resume_case(cw.user, referral.pk, {"resumed_on": D(2026, 3, 24)})
    notified.refresh_from_db()
    assert notified.state == "investigating" and referral.resumed_on == D(2026, 3, 24)
    assert notified.extra_facts["referral_declined_on"] == "2026-03-20"
    assert build_facts(notified).criminal_referral_pending == ""
    entry = selectors.referral_entry(referral, dt.datetime.now(dt.UTC), district_calendar())
    assert entry.stage == "resumed"
    # a new referral may be opened later in the same case
    assert _team(cw, notified, D(2026, 3, 25)).pk != referral.pk


def test_overdue_referral_steps_are_listed_for_supervision(cw, notified):
    referral = _transferred(cw, notified)
    services.record_receipt(
        cw.user, referral.pk, {"received_on": D(2026, 3, 13), "receipt_signed_by": "王某"}
    )
    overdue = selectors.overdue_measures(cw.user)
    assert [(o.kind, o.label) for o in overdue] == [
        ("referral", "移送涉嫌犯罪案件：公安机关审查并书面通知逾期")
    ]
    assert overdue[0].due == D(2026, 3, 16) and "第八条" in overdue[0].article


def test_another_township_cannot_touch_a_referral(cw, notified):
    referral = _team(cw, notified)
    with pytest.raises(NotFound):
        services.report_referral(cw.user_b, referral.pk, {"reported_on": D(2026, 3, 11), "report": "x"})
    with pytest.raises(NotFound):
        services.open_referral(
            cw.user_b,
            notified.pk,
            {
                "discovered_on": D(2026, 3, 10),
                "team_appointed_on": D(2026, 3, 10),
                "team_ids": officers(cw),
                "suspected_crime": CRIME,
            },
        )
