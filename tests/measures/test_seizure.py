"""查封、扣押 through the services, against PostgreSQL: the head approves in the cases inbox, the
written decision is numbered gap-free and stored as a PDF, one extension with a written notice,
release, the emergency path (行政强制法第十八条、第十九条、第二十四条至第二十八条)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from tests.measures.conftest import ITEMS, D, approve, give_back, investigating, officers
from zhifa.cases import selectors as case_selectors
from zhifa.cases import services as cases_services
from zhifa.cases.models import Approval
from zhifa.core.errors import DomainError, PermissionDenied
from zhifa.core.models import AuditEvent
from zhifa.measures import selectors, services
from zhifa.measures.models import MeasureDocument, Seizure

PROPOSAL = {
    "kind": "seize",
    "items": ITEMS,
    "place": "上方镇某某路12号店内",
    "reason": "涉嫌销售超过保质期的食品",
    "legal_basis": "《中华人民共和国食品安全法》第一百一十条第四项",
}


def _in_force(cw, case) -> Seizure:
    seizure = services.propose_seizure(cw.user, case.pk, PROPOSAL)
    approve(cw.head, seizure.approval_id, D(2026, 2, 9))
    return services.execute_seizure(
        cw.user,
        seizure.pk,
        {
            "executed_on": D(2026, 2, 10),
            "officer_ids": officers(cw),
            "record": "当事人到场，现场扣押并制作笔录",
            "statement": "当事人称不知已过期",
        },
    )


def test_the_head_approves_in_the_existing_inbox_before_the_measure(cw, case):
    seizure = services.propose_seizure(cw.user, case.pk, PROPOSAL)
    assert seizure.approval.kind == Approval.Kind.SEIZURE and seizure.approval.status == "pending"
    inbox = case_selectors.approvals_inbox(cw.head)
    assert [a.pk for a in inbox] == [seizure.approval_id]
    assert "冷藏柜1台" in inbox[0].reason and inbox[0].proposal["basis"].startswith("《行政强制法》第十八条")
    # 行政强制法第十八条第一项: not carried out before the approval
    with pytest.raises(DomainError) as exc:
        services.execute_seizure(
            cw.user,
            seizure.pk,
            {"executed_on": D(2026, 2, 10), "officer_ids": officers(cw), "record": "笔录"},
        )
    assert exc.value.code == "not_approved" and "第十八条" in exc.value.message
    # the officer cannot approve his own request
    with pytest.raises(PermissionDenied):
        approve(cw.user, seizure.approval_id, D(2026, 2, 9))
    approve(cw.head, seizure.approval_id, D(2026, 2, 9))
    seizure.refresh_from_db()
    assert seizure.approved_on == D(2026, 2, 9)
    assert AuditEvent.objects.filter(action="measures.approve_seizure", object_id=str(seizure.pk)).exists()


def test_written_decision_with_the_list_numbered_and_stored(cw, case):
    seizure = _in_force(cw, case)
    document = seizure.decision_document
    assert document.kind == MeasureDocument.Kind.SEIZE_DECISION
    assert (
        document.number == "上方镇综合行政执法队扣字〔2026〕第1号"
        and document.seq == 1
        and len(document.sha256) == 64
    )
    text = "".join(page.extract_text() for page in PdfReader(document.file.path).pages)
    for expected in (
        "扣押决定书",
        "冷藏柜",
        "冻品",
        "2026年3月12日",
        "申请行政复议",
        "衢江区人民政府",
        "食品安全法",
    ):
        assert expected in text.replace("\n", ""), expected
    assert seizure.expires_on == D(2026, 3, 12)
    assert set(seizure.officers.values_list("pk", flat=True)) == set(officers(cw))
    # gap-free per organisation, kind and year: the next 扣押决定书 is number 2
    second = services.propose_seizure(cw.user, investigating(cw, act_date=D(2026, 1, 21)).pk, PROPOSAL)
    approve(cw.head, second.approval_id, D(2026, 2, 9))
    second = services.execute_seizure(
        cw.user, second.pk, {"executed_on": D(2026, 2, 11), "officer_ids": officers(cw), "record": "笔录"}
    )
    assert second.decision_document.seq == 2


def test_two_certified_officers_and_a_witness_when_the_party_is_absent(cw, case):
    seizure = services.propose_seizure(cw.user, case.pk, PROPOSAL)
    approve(cw.head, seizure.approval_id, D(2026, 2, 9))
    with pytest.raises(DomainError) as exc:
        services.execute_seizure(
            cw.user,
            seizure.pk,
            {"executed_on": D(2026, 2, 10), "officer_ids": [cw.world.officer_a.pk], "record": "笔录"},
        )
    assert exc.value.code == "two_officers" and exc.value.field == "officer_ids"
    with pytest.raises(DomainError) as exc:
        services.execute_seizure(
            cw.user,
            seizure.pk,
            {
                "executed_on": D(2026, 2, 10),
                "officer_ids": officers(cw),
                "party_present": False,
                "record": "笔录",
            },
        )
    assert exc.value.code == "witness_missing" and "第十八条第九项" in exc.value.message
    with pytest.raises(ValidationError) as exc:
        services.execute_seizure(
            cw.user, seizure.pk, {"executed_on": D(2026, 2, 10), "officer_ids": officers(cw)}
        )
    assert "record" in exc.value.message_dict
    assert not MeasureDocument.objects.exists()  # nothing half-saved, no number taken


def test_one_extension_approved_by_the_head_then_the_written_notice_and_release(cw, case):
    seizure = _in_force(cw, case)
    seizure = services.request_extension(
        cw.user, seizure.pk, {"days": 30, "reason": "需等待检验结果，案情复杂", "requested_on": D(2026, 3, 9)}
    )
    assert seizure.extension_approval.kind == Approval.Kind.SEIZURE_EXTENSION
    assert seizure.extension_approval.proposal == {"days": 30, "reason": "需等待检验结果，案情复杂"}
    with pytest.raises(DomainError) as exc:
        services.request_extension(cw.user, seizure.pk, {"days": 10, "reason": "再次"})
    assert exc.value.code == "extension_pending"
    approve(cw.head, seizure.extension_approval_id, D(2026, 3, 10))
    seizure.refresh_from_db()
    assert (seizure.extension_days, seizure.extended_on, seizure.expires_on) == (
        30,
        D(2026, 3, 10),
        D(2026, 4, 11),
    )
    with pytest.raises(DomainError) as exc:  # 第二十五条: only one extension
        services.request_extension(cw.user, seizure.pk, {"days": 5, "reason": "再次延长"})
    assert exc.value.code == "already_extended"
    seizure = services.serve_extension_notice(cw.user, seizure.pk, {"served_on": D(2026, 3, 11)})
    assert seizure.extension_notice.number == "上方镇综合行政执法队强延字〔2026〕第1号"
    assert "2026年4月11日" in "".join(
        p.extract_text() for p in PdfReader(seizure.extension_notice.file.path).pages
    )
    seizure = services.end_seizure(
        cw.user,
        seizure.pk,
        {"ended_on": D(2026, 4, 1), "end_kind": "release", "ground": "decided", "note": "检验合格，退还"},
    )
    assert seizure.end_kind == "release" and seizure.end_document.kind == MeasureDocument.Kind.SEIZURE_RELEASE
    entry = selectors.seizure_entry(seizure, dt.datetime.now(dt.UTC))
    assert entry.stage == "ended" and entry.worst == "ok"
    actions = list(
        AuditEvent.objects.filter(object_type="measures.Seizure", object_id=str(seizure.pk)).values_list(
            "action", flat=True
        )
    )
    assert actions == [
        "measures.propose_seizure",
        "measures.approve_seizure",
        "measures.execute_seizure",
        "measures.request_extension",
        "measures.approve_extension",
        "measures.extension_notice",
        "measures.release_seizure",
    ]


def test_the_head_cannot_approve_an_extension_after_day_thirty(cw, case):
    seizure = _in_force(cw, case)
    seizure = services.request_extension(
        cw.user, seizure.pk, {"days": 30, "reason": "案情复杂", "requested_on": D(2026, 3, 9)}
    )
    with pytest.raises(DomainError) as exc:
        approve(cw.head, seizure.extension_approval_id, D(2026, 3, 13))
    assert exc.value.code == "measure_expired"
    assert Approval.objects.get(pk=seizure.extension_approval_id).status == "pending"  # nothing approved


def test_an_expired_measure_can_only_be_released(cw, case):
    seizure = _in_force(cw, case)  # expired 12 Mar 2026; today is later
    with pytest.raises(DomainError) as exc:
        services.request_extension(cw.user, seizure.pk, {"days": 10, "reason": "案情复杂"})
    assert exc.value.code == "measure_expired" and "第二十八条第一款第四项" in exc.value.message
    overdue = selectors.overdue_measures(cw.user)
    assert [(o.kind, o.record_id) for o in overdue] == [("seizure", seizure.pk)]
    with pytest.raises(ValidationError):  # the ground is asked for while the period runs …
        services.end_seizure(cw.user, seizure.pk, {"ended_on": D(2026, 3, 1), "end_kind": "release"})
    seizure = services.end_seizure(cw.user, seizure.pk, {"ended_on": D(2026, 3, 20), "end_kind": "release"})
    assert seizure.ground == "expired"  # … and is the expiry itself after it
    assert selectors.overdue_measures(cw.user) == []
    deadline = {d.name: d for d in selectors.seizure_entry(seizure, dt.datetime.now(dt.UTC)).deadlines}[
        "seizure_end"
    ]
    assert deadline.status == "overdue" and deadline.met == D(2026, 3, 20)  # released late: shown late


def test_confiscation_only_by_a_penalty_decision_and_transfer_only_with_a_referral(cw, case):
    seizure = _in_force(cw, case)
    with pytest.raises(DomainError) as exc:
        services.end_seizure(cw.user, seizure.pk, {"ended_on": D(2026, 3, 1), "end_kind": "confiscate"})
    assert exc.value.code == "no_confiscation_decided"
    with pytest.raises(DomainError) as exc:
        services.end_seizure(cw.user, seizure.pk, {"ended_on": D(2026, 3, 1), "end_kind": "transfer"})
    assert exc.value.code == "no_referral" and "第二十一条" in exc.value.message


def test_emergency_measure_reported_then_not_approved_must_be_released(cw, case):
    taken = dt.datetime(2026, 2, 10, 9, 30)
    data = {
        **PROPOSAL,
        "taken_at": taken,
        "emergency_reason": "当事人正在转移冻品",
        "officer_ids": officers(cw),
        "record": "当场扣押",
    }
    with pytest.raises(DomainError) as exc:
        services.emergency_seizure(cw.user, case.pk, {**data, "taken_at": dt.datetime(2030, 1, 1, 9)})
    assert exc.value.code == "future_date"
    seizure = services.emergency_seizure(cw.user, case.pk, data)
    assert (
        seizure.emergency and seizure.executed_on == D(2026, 2, 10) and seizure.decision_document is not None
    )
    assert seizure.approval.status == "pending" and "第十九条" in seizure.approval.reason
    report = {d.name: d for d in selectors.seizure_entry(seizure, dt.datetime.now(dt.UTC)).deadlines}[
        "emergency_report"
    ]
    assert report.status == "overdue"  # entered months later: the report was late, and shows so
    give_back(cw.head, seizure.approval_id, D(2026, 2, 10), "不符合紧急情形")
    seizure.refresh_from_db()
    entry = selectors.seizure_entry(seizure, dt.datetime.now(dt.UTC))
    assert entry.stage == "not_approved" and entry.worst == "overdue"
    assert [o.kind for o in selectors.overdue_measures(cw.user)] == ["seizure"]
    seizure = services.end_seizure(cw.user, seizure.pk, {"ended_on": D(2026, 2, 10), "end_kind": "release"})
    assert seizure.ground == "not_approved"


def test_approval_of_an_emergency_measure_is_not_dated_before_it(cw, case):
    seizure = services.emergency_seizure(
        cw.user,
        case.pk,
        {
            **PROPOSAL,
            "taken_at": dt.datetime(2026, 2, 10, 9, 30),
            "emergency_reason": "正在转移",
            "officer_ids": officers(cw),
            "record": "当场扣押",
        },
    )
    with pytest.raises(DomainError) as exc:
        approve(cw.head, seizure.approval_id, D(2026, 2, 9))
    assert exc.value.code == "date_out_of_order"
    approve(cw.head, seizure.approval_id, D(2026, 2, 10))


def test_no_new_measure_once_the_case_is_decided(cw, case):
    cases_services.transition(
        cw.head,
        case.pk,
        "revoke_filing",
        {"filing_revocation_reason": "当事人非违法行为人", "as_of": D(2026, 2, 7)},
    )
    with pytest.raises(DomainError) as exc:
        services.propose_seizure(cw.user, case.pk, PROPOSAL)
    assert exc.value.code == "case_state"


def test_period_above_thirty_days_is_refused_with_the_field(cw, case):
    with pytest.raises(ValidationError) as exc:
        services.propose_seizure(cw.user, case.pk, {**PROPOSAL, "period_days": 31})
    assert "period_days" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.propose_seizure(cw.user, case.pk, {**PROPOSAL, "colour": "red"})
    assert "colour" in exc.value.message_dict
