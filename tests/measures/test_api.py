"""/api/v1/measures/: the same commands as the pages, {code, message, field} errors (422 for input,
400 for the law, 403 for the role, 404 outside the scope), the head approving through the cases API."""

from __future__ import annotations

import json

import pytest

from tests.measures.conftest import ITEMS, investigating, officers
from zhifa.api.models import ApiKey


@pytest.fixture
def keys(world):
    return {
        "a": ApiKey.generate("上方镇移动端", world.team_a, "officer")[1],
        "head": ApiKey.generate("上方镇负责人", world.team_a, "head")[1],
        "b": ApiKey.generate("峡川镇移动端", world.team_b, "officer")[1],
    }


def _post(client, url, key, body):
    return client.post(
        f"/api/v1{url}", data=json.dumps(body), content_type="application/json", HTTP_X_API_KEY=key
    )


def _approve(client, keys, approval_id, on):
    response = _post(
        client,
        f"/cases/approvals/{approval_id}/decision",
        keys["head"],
        {"approve": True, "opinion": "同意", "as_of": on},
    )
    assert response.status_code == 200, response.content
    return response.json()


SEIZE = {
    "kind": "seal",
    "items": ITEMS,
    "place": "上方镇某某路12号店铺",
    "reason": "无证经营且拒不停止",
    "legal_basis": "《无证无照经营查处办法》第十一条",
}


def test_seizure_with_one_extension_and_release_over_the_api(client, cw, keys):
    case = investigating(cw)
    created = _post(client, f"/measures/cases/{case.pk}/seizures", keys["a"], SEIZE)
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["stage"] == "awaiting_approval" and body["detail"]["approval_status"] == "pending"
    seizure_id, approval_id = body["id"], body["detail"]["approval"]
    inbox = client.get("/api/v1/cases/approvals/inbox", HTTP_X_API_KEY=keys["head"]).json()
    assert [a["id"] for a in inbox] == [approval_id]
    _approve(client, keys, approval_id, "2026-02-09")
    executed = _post(
        client,
        f"/measures/seizures/{seizure_id}/execute",
        keys["a"],
        {"executed_on": "2026-02-10", "officer_ids": officers(cw), "record": "现场查封"},
    )
    assert executed.status_code == 200, executed.content
    assert executed.json()["detail"]["expires_on"] == "2026-03-12"
    assert sorted(executed.json()["detail"]["officers"]) == sorted(officers(cw))
    # the period has run out by now: an extension is refused with its article (400)
    refused = _post(
        client, f"/measures/seizures/{seizure_id}/extension", keys["a"], {"days": 30, "reason": "复杂"}
    )
    assert refused.status_code == 400
    assert refused.json()["code"] == "measure_expired" and "行政强制法" in refused.json()["message"]
    assert refused.json()["field"] == "days"
    released = _post(
        client,
        f"/measures/seizures/{seizure_id}/end",
        keys["a"],
        {"ended_on": "2026-03-12", "end_kind": "release", "ground": "decided"},
    )
    assert released.status_code == 200 and released.json()["stage"] == "ended"
    detail = client.get(f"/api/v1/measures/cases/{case.pk}", HTTP_X_API_KEY=keys["a"]).json()
    [seizure] = detail["seizures"]
    assert {d["name"]: d["status"] for d in seizure["deadlines"]} == {"seizure_end": "ok"}
    pdf = client.get(
        f"/api/v1/measures/documents/{seizure['detail']['decision_document']}/pdf", HTTP_X_API_KEY=keys["a"]
    )
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert (
        client.get(
            f"/api/v1/measures/documents/{seizure['detail']['decision_document']}/pdf",
            HTTP_X_API_KEY=keys["b"],
        ).status_code
        == 404
    )


def test_input_errors_name_the_field(client, cw, keys):
    case = investigating(cw)
    unknown = _post(client, f"/measures/cases/{case.pk}/seizures", keys["a"], {**SEIZE, "colour": "red"})
    assert unknown.status_code == 422 and unknown.json()["field"] == "colour"
    too_long = _post(client, f"/measures/cases/{case.pk}/seizures", keys["a"], {**SEIZE, "period_days": 45})
    assert too_long.status_code == 422 and too_long.json()["field"] == "period_days"
    bad_item = _post(
        client,
        f"/measures/cases/{case.pk}/preservations",
        keys["a"],
        {
            "items": [{"name": "冷藏柜", "quantity": "一台", "unit": "台"}],
            "place": "店内",
            "reason": "可能灭失",
        },
    )
    assert bad_item.status_code == 422 and bad_item.json()["field"] == "items.0.quantity"


def test_another_township_gets_404_and_the_head_cannot_prepare(client, cw, keys):
    case = investigating(cw)
    assert _post(client, f"/measures/cases/{case.pk}/seizures", keys["b"], SEIZE).status_code == 404
    assert client.get(f"/api/v1/measures/cases/{case.pk}", HTTP_X_API_KEY=keys["b"]).status_code == 404
    head = _post(client, f"/measures/cases/{case.pk}/seizures", keys["head"], SEIZE)
    assert head.status_code == 403 and head.json()["roles"] == ["officer"]
    created = _post(client, f"/measures/cases/{case.pk}/seizures", keys["a"], SEIZE).json()
    assert (
        _post(
            client,
            f"/measures/seizures/{created['id']}/end",
            keys["b"],
            {"ended_on": "2026-03-01", "end_kind": "release", "ground": "other"},
        ).status_code
        == 404
    )


def test_referral_refused_and_continued_administratively_over_the_api(client, cw, keys):
    case = investigating(cw)
    opened = _post(
        client,
        f"/measures/cases/{case.pk}/referrals",
        keys["a"],
        {
            "discovered_on": "2026-03-02",
            "team_appointed_on": "2026-03-02",
            "team_ids": officers(cw),
            "suspected_crime": "涉嫌非法经营罪",
        },
    )
    assert opened.status_code == 201, opened.content
    referral_id = opened.json()["id"]
    reported = _post(
        client,
        f"/measures/referrals/{referral_id}/report",
        keys["a"],
        {"reported_on": "2026-03-03", "report": "经营数额达到追诉标准"},
    ).json()
    assert reported["stage"] == "reported"
    _approve(client, keys, reported["detail"]["approval"], "2026-03-04")
    for step, body in (
        ("transfer", {"transferred_at": "2026-03-04T16:00", "police_body": "衢州市公安局衢江分局"}),
        ("receipt", {"received_on": "2026-03-05", "receipt_signed_by": "王某"}),
        (
            "answer",
            {
                "answered_on": "2026-03-06",
                "accepted": False,
                "answer_number": "不立字1号",
                "reasons": "数额未达标准",
            },
        ),
    ):
        response = _post(client, f"/measures/referrals/{referral_id}/{step}", keys["a"], body)
        assert response.status_code == 200, (step, response.content)
    assert response.json()["stage"] == "refused"
    resumed = _post(
        client, f"/measures/referrals/{referral_id}/resume", keys["a"], {"resumed_on": "2026-03-09"}
    )
    assert resumed.status_code == 200 and resumed.json()["stage"] == "resumed"
    assert client.get(f"/api/v1/cases/{case.pk}", HTTP_X_API_KEY=keys["a"]).json()["state"] == "investigating"


def test_overdue_and_shared_evidence_endpoints(client, cw, keys):
    case = investigating(cw)
    shared = _post(
        client,
        f"/measures/cases/{case.pk}/shared-evidence",
        keys["a"],
        {
            "source_organization_id": cw.world.bureau.pk,
            "source_case_number": "衢江综执案〔2026〕3号",
            "kind": "documentary",
            "description": "检测报告",
            "sha256": "e" * 64,
            "gathered_on": "2026-02-03",
        },
    )
    assert shared.status_code == 201 and shared.json()["verified"] is False
    created = _post(
        client,
        f"/measures/cases/{case.pk}/preservations",
        keys["a"],
        {"items": ITEMS, "place": "店内", "reason": "标签可能被更换"},
    ).json()
    _approve(client, keys, created["detail"]["approval"], "2026-02-09")
    _post(
        client,
        f"/measures/preservations/{created['id']}/execute",
        keys["a"],
        {"preserved_on": "2026-02-09", "officer_ids": officers(cw)},
    )
    overdue = client.get("/api/v1/measures/overdue", HTTP_X_API_KEY=keys["a"]).json()
    assert [(o["kind"], o["due"]) for o in overdue] == [("preservation", "2026-02-25")]
    assert client.get("/api/v1/measures/overdue", HTTP_X_API_KEY=keys["b"]).json() == []


def test_paths_and_typed_bodies_are_in_the_openapi_document(client):
    spec = client.get("/api/v1/openapi.json").json()
    paths = spec["paths"]
    for path in (
        "/api/v1/measures/cases/{case_id}",
        "/api/v1/measures/cases/{case_id}/seizures",
        "/api/v1/measures/seizures/{record_id}/extension",
        "/api/v1/measures/referrals/{record_id}/resume",
        "/api/v1/measures/cases/{case_id}/shared-evidence",
        "/api/v1/measures/overdue",
    ):
        assert path in paths, path
    body = paths["/api/v1/measures/cases/{case_id}/seizures"]["post"]["requestBody"]["content"][
        "application/json"
    ]
    schema = spec["components"]["schemas"][body["schema"]["$ref"].rsplit("/", 1)[1]]
    assert {"kind", "items", "place", "reason", "legal_basis"} <= set(schema["required"])
    assert schema["properties"]["period_days"]["maximum"] == 30
