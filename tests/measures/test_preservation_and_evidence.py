"""先行登记保存 (行政处罚法第五十六条、第八十五条) and evidence of another body (浙江省综合行政执法条例
第十八条) through the services, against PostgreSQL."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.core.exceptions import ValidationError

from tests.measures.conftest import ITEMS, D, approve, give_back, investigating, officers
from zhifa.cases import services as cases_services
from zhifa.cases.models import Approval, Evidence
from zhifa.core.calendars import district_calendar
from zhifa.core.errors import DomainError, NotFound
from zhifa.measures import selectors, services
from zhifa.measures.models import MeasureDocument, SharedEvidence

PRESERVE = {
    "items": ITEMS,
    "place": "上方镇某某路12号仓库",
    "reason": "冻品标签可能被当事人更换，证据可能灭失",
}


def test_preservation_approved_then_dealt_with_within_seven_working_days(cw, case):
    record = services.propose_preservation(cw.user, case.pk, PRESERVE)
    assert record.approval.kind == Approval.Kind.PRESERVATION
    assert record.approval.proposal == {"basis": "《行政处罚法》第五十六条"}
    with pytest.raises(DomainError) as exc:
        services.execute_preservation(
            cw.user, record.pk, {"preserved_on": D(2026, 2, 10), "officer_ids": officers(cw)}
        )
    assert exc.value.code == "not_approved"
    approve(cw.head, record.approval_id, D(2026, 2, 10))
    record = services.execute_preservation(
        cw.user, record.pk, {"preserved_on": D(2026, 2, 10), "officer_ids": officers(cw)}
    )
    # 第八十五条: seven working days, across the Spring Festival (14 Feb worked, 15–23 Feb off)
    assert record.due_on == D(2026, 2, 26)
    assert record.notice.kind == MeasureDocument.Kind.PRESERVATION_NOTICE and record.notice.number.endswith(
        "第1号"
    )
    assert [o.kind for o in selectors.overdue_measures(cw.user)] == [
        "preservation"
    ]  # today is long after 26 Feb
    with pytest.raises(DomainError) as exc:
        services.decide_preservation(
            cw.user, record.pk, {"decided_on": D(2026, 2, 9), "decision": "release", "note": "退还"}
        )
    assert exc.value.code == "date_out_of_order"
    record = services.decide_preservation(
        cw.user,
        record.pk,
        {"decided_on": D(2026, 2, 25), "decision": "evidence_kept", "note": "已拍照、抽样后退还"},
    )
    assert record.decision_document.kind == MeasureDocument.Kind.PRESERVATION_DECISION
    entry = selectors.preservation_entry(record, dt.datetime.now(dt.UTC), district_calendar())
    assert entry.stage == "decided" and entry.deadlines[0].status == "ok"
    assert selectors.overdue_measures(cw.user) == []
    with pytest.raises(DomainError):  # decided once
        services.decide_preservation(
            cw.user, record.pk, {"decided_on": D(2026, 2, 25), "decision": "release", "note": "x"}
        )


def test_a_late_decision_is_recorded_and_shown_late(cw, case):
    record = services.propose_preservation(cw.user, case.pk, PRESERVE)
    approve(cw.head, record.approval_id, D(2026, 2, 10))
    services.execute_preservation(
        cw.user, record.pk, {"preserved_on": D(2026, 2, 10), "officer_ids": officers(cw)}
    )
    record = services.decide_preservation(
        cw.user, record.pk, {"decided_on": D(2026, 2, 27), "decision": "release", "note": "退还"}
    )
    entry = selectors.preservation_entry(record, dt.datetime.now(dt.UTC), district_calendar())
    assert entry.deadlines[0].status == "overdue" and entry.deadlines[0].met == D(2026, 2, 27)


def test_returned_preservation_is_not_carried_out(cw, case):
    record = services.propose_preservation(cw.user, case.pk, PRESERVE)
    give_back(cw.head, record.approval_id, D(2026, 2, 10), "证据不会灭失，拍照固定即可")
    record.refresh_from_db()
    entry = selectors.preservation_entry(record, dt.datetime.now(dt.UTC), district_calendar())
    assert entry.stage == "not_approved"
    with pytest.raises(DomainError):
        services.execute_preservation(
            cw.user, record.pk, {"preserved_on": D(2026, 2, 10), "officer_ids": officers(cw)}
        )


def test_withdrawn_request_can_be_asked_again(cw, case):
    record = services.propose_preservation(cw.user, case.pk, PRESERVE)
    cases_services.withdraw_approval(cw.user, record.approval_id)
    record = services.ask_preservation_again(cw.user, record.pk)
    assert record.approval.status == "pending"
    with pytest.raises(DomainError):
        services.ask_preservation_again(cw.user, record.pk)


def test_an_approval_asked_outside_this_app_cannot_be_approved_blind(cw, case):
    approval = cases_services.request_approval(
        cw.user, case.pk, "preservation", {"basis": "《行政处罚法》第五十六条"}
    )
    with pytest.raises(DomainError) as exc:
        approve(cw.head, approval.pk, D(2026, 2, 10))
    assert exc.value.code == "measure_missing"


def test_items_are_typed(cw, case):
    with pytest.raises(ValidationError) as exc:
        services.propose_preservation(
            cw.user, case.pk, {**PRESERVE, "items": [{"name": "冷藏柜", "quantity": "-1", "unit": "台"}]}
        )
    assert "items.0.quantity" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.propose_preservation(cw.user, case.pk, {**PRESERVE, "items": []})
    assert "items" in exc.value.message_dict


# ---- 证据共享 ----------------------------------------------------------------------------------


def _source_case(cw):
    """A case of 峡川镇 with a photo, as its officer registered it."""
    other = investigating(
        cw, party=cw.firm_b, user=cw.user_b, head=cw.head_b, officers=[cw.world.officer_b, cw.second_b]
    )
    content = b"photo of the cold store"
    evidence = cases_services.add_evidence(
        cw.user_b, other.pk, {"kind": "audiovisual", "description": "冷库照片"}, content, "photo.jpg"
    )
    return other, evidence, hashlib.sha256(content).hexdigest()


def test_evidence_of_another_body_by_reference_in_the_case_evidence_list(cw, case):
    other, source, sha = _source_case(cw)
    shared = services.share_evidence(
        cw.user,
        case.pk,
        {
            "source_organization_id": cw.world.team_b.pk,
            "source_case_number": other.number,
            "kind": "audiovisual",
            "description": "峡川镇执法队拍摄的冷库照片",
            "sha256": sha.upper(),
            "gathered_on": D(2026, 2, 3),
            "transfer_letter": "峡综执证调〔2026〕1号",
        },
    )
    assert shared.verified and shared.source_evidence == source and shared.sha256 == sha
    row = Evidence.objects.get(case=case)
    assert row.sha256 == sha and "共享证据" in row.description and other.number in row.description
    assert "平台已核验" in row.description and "第十八条" in row.description
    with pytest.raises(DomainError) as exc:
        services.share_evidence(
            cw.user,
            case.pk,
            {
                "source_organization_id": cw.world.team_b.pk,
                "source_case_number": other.number,
                "kind": "audiovisual",
                "description": "again",
                "sha256": sha,
                "gathered_on": D(2026, 2, 3),
            },
        )
    assert exc.value.code == "already_shared"


def test_evidence_not_on_the_platform_is_kept_as_an_unverified_reference(cw, case):
    shared = services.share_evidence(
        cw.user,
        case.pk,
        {
            "source_organization_id": cw.world.bureau.pk,
            "source_case_number": "衢江综执案〔2025〕88号",
            "kind": "documentary",
            "description": "检测报告",
            "sha256": "b" * 64,
            "gathered_on": D(2025, 12, 1),
        },
    )
    assert not shared.verified


def test_own_body_evidence_is_not_shared_evidence(cw, case):
    with pytest.raises(DomainError) as exc:
        services.share_evidence(
            cw.user,
            case.pk,
            {
                "source_organization_id": cw.world.team_a.pk,
                "source_case_number": case.number,
                "kind": "documentary",
                "description": "本机关证据",
                "sha256": "c" * 64,
                "gathered_on": D(2026, 2, 3),
            },
        )
    assert exc.value.code == "same_body" and exc.value.field == "source_organization_id"
    with pytest.raises(DomainError) as exc:
        services.share_evidence(
            cw.user,
            case.pk,
            {
                "source_organization_id": cw.world.guidance.pk,
                "source_case_number": "x",
                "kind": "documentary",
                "description": "x",
                "sha256": "c" * 64,
                "gathered_on": D(2026, 2, 3),
            },
        )
    assert exc.value.code == "not_enforcement_body"
    assert not SharedEvidence.objects.exists() and not Evidence.objects.filter(case=case).exists()


def test_one_township_cannot_attach_evidence_to_another_townships_case(cw, case):
    with pytest.raises(NotFound):
        services.share_evidence(
            cw.user_b,
            case.pk,
            {
                "source_organization_id": cw.world.bureau.pk,
                "source_case_number": "x",
                "kind": "documentary",
                "description": "x",
                "sha256": "d" * 64,
                "gathered_on": D(2026, 2, 3),
            },
        )
