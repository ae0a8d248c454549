"""The device push contract (docs/api.md, "Devices"): signed per device, idempotent on
``external_id``, refused with every reason when the device data 行政处罚法第四十一条 requires is
missing; and the published list."""

from __future__ import annotations

import datetime as dt
import json
import time

from django.utils import timezone

from tests.smart.conftest import payload, push
from zhifa.smart import services
from zhifa.smart.models import DeviceEvent, DeviceEvidence


def test_a_signed_push_is_received_with_its_evidence_and_check_data(client, sw):
    response = push(client, sw, payload(sw))
    assert response.status_code == 201, response.content
    event = DeviceEvent.objects.get(pk=response.json()["id"])
    assert event.status == "pending" and event.party == sw.cw.firm and event.item == sw.cw.item
    assert event.device_check["sent"]["certificate_number"] == "浙计检2026-0001"
    assert event.device_check["registered"]["published_on"] == timezone.localdate().isoformat()
    evidence = DeviceEvidence.objects.get(event=event)
    assert evidence.size > 0 and len(evidence.sha256) == 64


def test_the_same_push_again_is_the_same_event_and_other_content_is_a_conflict(client, sw):
    data = payload(sw)
    first = push(client, sw, data)
    again = push(client, sw, data)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"] and DeviceEvent.objects.count() == 1
    changed = push(client, sw, {**data, "description": "另一件事"})
    assert changed.status_code == 409 and changed.json()["code"] == "idempotency_conflict"


def test_a_wrong_or_stale_signature_is_refused(client, sw):
    assert push(client, sw, payload(sw), key="0" * 64).status_code == 401
    stale = push(client, sw, payload(sw), timestamp=int(time.time()) - 3600)
    assert stale.status_code == 401 and "相差超过" in stale.json()["message"]
    assert push(client, sw, payload(sw), device="NO-SUCH-DEVICE").status_code == 401
    old_key = sw.key
    services.rotate_key(sw.admin, sw.device.pk)
    assert push(client, sw, payload(sw), key=old_key).status_code == 401  # rotation voids the old key
    assert not DeviceEvent.objects.exists()


def test_an_event_without_the_device_check_data_is_refused_with_the_reason(client, sw):
    data = payload(sw)
    del data["device_check"]
    response = push(client, sw, data)
    body = response.json()
    assert (
        response.status_code == 422
        and body["code"] == "device_check_missing"
        and "第四十一条" in body["message"]
    )
    assert body["field"] == "device_check"
    expired = push(
        client,
        sw,
        payload(sw, device_check={"certificate_number": "浙计检2026-0001", "valid_until": "2020-01-01"}),
    )
    assert expired.status_code == 422 and expired.json()["code"] == "device_check_expired"
    mismatch = push(
        client, sw, payload(sw, device_check={"certificate_number": "别的证书", "valid_until": "2099-01-01"})
    )
    assert mismatch.json()["code"] == "device_check_mismatch"
    no_evidence = push(client, sw, payload(sw, evidence=[]))
    assert no_evidence.status_code == 422 and no_evidence.json()["code"] == "evidence_missing"
    assert not DeviceEvent.objects.exists()


def test_every_reason_is_listed(client, sw):
    data = payload(sw, evidence=[])
    del data["device_check"]
    response = push(client, sw, data)
    assert {r["code"] for r in response.json()["refusals"]} == {"device_check_missing", "evidence_missing"}


def test_a_retired_or_unpublished_device_cannot_push(client, sw):
    services.retire_device(sw.admin, sw.device.pk, "设备损坏")
    response = push(client, sw, payload(sw))
    assert response.status_code == 422 and response.json()["code"] == "device_not_published"


def test_malformed_pushes_answer_422_naming_the_field(client, sw):
    assert push(client, sw, b"not json").status_code == 422
    assert push(client, sw, b"[1, 2]").status_code == 422
    unknown = push(client, sw, payload(sw, colour="red"))
    assert unknown.status_code == 422 and unknown.json()["field"] == "colour"
    naive = push(client, sw, payload(sw, occurred_at=(dt.datetime.now() - dt.timedelta(hours=1)).isoformat()))
    assert naive.status_code == 422 and naive.json()["field"] == "occurred_at"
    bad = payload(sw)
    bad["evidence"][0]["content_base64"] = "!!!notbase64!!!"
    assert push(client, sw, bad).json()["field"] == "evidence.0.content_base64"
    lying = payload(sw)
    lying["evidence"][0]["content_type"] = "application/pdf"  # a JPEG declared as PDF
    assert push(client, sw, lying).json()["code"] == "content_type_mismatch"
    assert not DeviceEvent.objects.exists()


def test_the_published_devices_are_public(client, sw):
    response = client.get("/api/v1/smart/devices/published")
    assert response.status_code == 200
    [device] = response.json()
    assert device["code"] == sw.device.code and device["location"].startswith("上方镇")
    page = client.get("/smart/public/devices/")
    assert page.status_code == 200 and sw.device.location in page.content.decode()


def test_events_list_and_review_over_the_api(client, sw):
    event_id = push(client, sw, payload(sw)).json()["id"]
    client.force_login(sw.cw.user)
    listed = client.get("/api/v1/smart/device-events")
    assert [e["id"] for e in listed.json()] == [event_id]
    accepted = client.post(
        f"/api/v1/smart/device-events/{event_id}/accept",
        data=json.dumps({"officer_ids": [sw.cw.world.officer_a.pk, sw.cw.second.pk]}),
        content_type="application/json",
    )
    assert accepted.status_code == 200 and accepted.json()["case_id"]
    client.force_login(sw.cw.user_b)
    assert client.get("/api/v1/smart/device-events?status=").json() == []
    assert (
        client.post(
            f"/api/v1/smart/device-events/{event_id}/discard",
            data=json.dumps({"reason": "x"}),
            content_type="application/json",
        ).status_code
        == 404
    )


def test_the_push_is_described_in_the_openapi_document(client, sw):
    client.force_login(sw.cw.user)
    schema = client.get("/api/v1/openapi.json").json()
    push_spec = schema["paths"]["/api/v1/smart/device-events"]["post"]
    assert "external_id" in push_spec["requestBody"]["content"]["application/json"]["schema"]["properties"]
    assert "/api/v1/smart/devices/published" in schema["paths"]
