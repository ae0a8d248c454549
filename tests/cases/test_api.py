"""Case API: scoped list and detail, the transition endpoint with {code, message, field} refusals,
evidence with its hash, the document PDF."""

from __future__ import annotations

import base64
import hashlib
import json

import pytest

from tests.cases.conftest import open_general
from zhifa.api.models import ApiKey
from zhifa.cases import services


@pytest.fixture
def key_a(world):
    return ApiKey.generate("上方镇移动端", world.team_a, "officer")[1]


@pytest.fixture
def key_b(world):
    return ApiKey.generate("峡川镇移动端", world.team_b, "officer")[1]


def _post(client, url, key, body):
    return client.post(url, data=json.dumps(body), content_type="application/json", HTTP_X_API_KEY=key)


def test_list_and_detail_are_scoped(client, cw, key_a, key_b):
    case = open_general(cw)
    body = client.get("/api/v1/cases", HTTP_X_API_KEY=key_a).json()
    assert [c["id"] for c in body["items"]] == [case.pk] and body["items"][0]["state"] == "registered"
    assert client.get("/api/v1/cases", HTTP_X_API_KEY=key_b).json()["items"] == []
    assert client.get(f"/api/v1/cases/{case.pk}", HTTP_X_API_KEY=key_b).status_code == 404
    detail = client.get(f"/api/v1/cases/{case.pk}", HTTP_X_API_KEY=key_a).json()
    assert detail["party_name"] == cw.firm.name and detail["events"][0]["to_state"] == "registered"


@pytest.fixture
def head_key_a(world):
    return ApiKey.generate("上方镇负责人", world.team_a, "head")[1]


def test_transition_endpoint_moves_the_case_and_refuses_with_the_article(client, cw, key_a, head_key_a):
    case = open_general(cw)
    officer = _post(
        client,
        f"/api/v1/cases/{case.pk}/transition",
        key_a,
        {"action": "file", "data": {"filing_date": "2026-02-05"}, "expected_version": case.version},
    )
    # 行政处罚法第五十四条: filing is the head's act; the refusal names the role that holds it
    assert officer.status_code == 403 and officer.json()["roles"] == ["head"]
    response = _post(
        client,
        f"/api/v1/cases/{case.pk}/transition",
        head_key_a,
        {"action": "file", "data": {"filing_date": "2026-02-05"}, "expected_version": case.version},
    )
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "filed" and response.json()["version"] == case.version + 1
    refused = _post(
        client,
        f"/api/v1/cases/{case.pk}/transition",
        head_key_a,
        {"action": "decide", "data": {"decision_date": "2026-03-10"}},
    )
    assert refused.status_code == 400
    assert refused.json()["code"] == "transition_not_allowed" and "行政处罚法" in refused.json()["message"]
    stale = _post(
        client,
        f"/api/v1/cases/{case.pk}/transition",
        key_a,
        {"action": "start_investigation", "data": {"as_of": "2026-02-06"}, "expected_version": case.version},
    )
    assert stale.json()["code"] == "case_version_conflict"
    bad = _post(
        client, f"/api/v1/cases/{case.pk}/transition", key_a, {"action": "file", "data": {"nonsense": 1}}
    )
    assert bad.status_code == 422 and bad.json()["field"] == "nonsense"


def test_evidence_endpoint_stores_the_hash(client, cw, key_a, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    case = open_general(cw)
    content = "现场照片".encode()
    response = _post(
        client,
        f"/api/v1/cases/{case.pk}/evidence",
        key_a,
        {
            "kind": "electronic",
            "description": "现场照片",
            "content_base64": base64.b64encode(content).decode(),
            "filename": "photo.jpg",
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["sha256"] == hashlib.sha256(content).hexdigest()
    bad = _post(
        client,
        f"/api/v1/cases/{case.pk}/evidence",
        key_a,
        {"kind": "electronic", "description": "x", "content_base64": "***"},
    )
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_base64"


def test_document_pdf_download_is_scoped(client, cw, key_a, key_b, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    case = open_general(cw)
    document = services.issue_document(cw.user, case.pk, "filing_approval")
    response = client.get(f"/api/v1/cases/documents/{document.pk}/pdf", HTTP_X_API_KEY=key_a)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    data = b"".join(response.streaming_content)
    assert data.startswith(b"%PDF") and hashlib.sha256(data).hexdigest() == document.sha256
    assert client.get(f"/api/v1/cases/documents/{document.pk}/pdf", HTTP_X_API_KEY=key_b).status_code == 404


def test_list_endpoint_query_count_does_not_grow_with_cases(client, cw, key_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/api/v1/cases", HTTP_X_API_KEY=key_a).status_code == 200
        return len(ctx.captured_queries)

    open_general(cw)
    count()  # the key's first use records its last_used_at (a write at most once a minute)
    one = count()
    for _ in range(4):
        open_general(cw)
    assert count() == one


def test_payment_endpoint_and_amount_paid_not_settable_by_transition(client, cw, key_a):
    from tests.cases.conftest import run_to_notified

    case = run_to_notified(cw, open_general(cw))
    services.transition(
        cw.head,
        case.pk,
        "decide",
        {"decision_date": "2026-03-10", "penalties_decided": [{"kind": "fine", "amount": "5000"}]},
    )
    services.transition(cw.user, case.pk, "serve", {"service_date": "2026-03-12"})
    cheat = _post(
        client,
        f"/api/v1/cases/{case.pk}/transition",
        key_a,
        {"action": "pay", "data": {"amount_paid": "5000", "payment_date": "2026-03-20"}},
    )
    assert cheat.status_code == 422 and cheat.json()["code"] == "use_record_payment"
    response = _post(
        client, f"/api/v1/cases/{case.pk}/payments", key_a, {"amount": "5000", "paid_on": "2026-03-20"}
    )
    assert response.status_code == 201, response.content
    assert client.get(f"/api/v1/cases/{case.pk}", HTTP_X_API_KEY=key_a).json()["state"] == "paid"


def test_open_a_case_over_the_api(client, cw, key_a):
    body = {
        "party_id": cw.firm.pk,
        "item_id": cw.item.pk,
        "act_date": "2026-01-20",
        "summary": "占道经营",
        "officer_ids": [cw.world.officer_a.pk, cw.second.pk],
    }
    response = _post(client, "/api/v1/cases", key_a, body)
    assert response.status_code == 201, response.content
    assert response.json()["state"] == "registered" and response.json()["number"].endswith("1号")
    missing = _post(client, "/api/v1/cases", key_a, {**body, "party_id": 999999})
    assert missing.status_code == 422 and missing.json()["field"] == "party_id"
    future = _post(client, "/api/v1/cases", key_a, {**body, "act_date": "2999-01-01"})
    assert future.status_code == 422 and future.json()["code"] == "future_date"


def test_list_count_is_exact_up_to_the_cap_then_estimated(client, cw, key_a, monkeypatch):
    from zhifa.core import sql

    for _ in range(3):
        open_general(cw)
    body = client.get("/api/v1/cases", HTTP_X_API_KEY=key_a).json()
    assert (body["count"], body["count_exact"]) == (3, True) and len(body["items"]) == 3
    monkeypatch.setattr(sql, "COUNT_CAP", 3)
    assert (
        client.get("/api/v1/cases", HTTP_X_API_KEY=key_a).json()["count_exact"] is True
    )  # 3 rows: still exact
    monkeypatch.setattr(sql, "COUNT_CAP", 2)
    body = client.get("/api/v1/cases", HTTP_X_API_KEY=key_a).json()
    assert (
        body["count_exact"] is False and body["count"] >= 3 and len(body["items"]) == 3
    )  # the page is whole
