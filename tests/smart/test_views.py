"""Pages of smart enforcement through the test client: what each role sees and may do."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from tests.smart.conftest import payload, push
from zhifa.smart import services
from zhifa.smart.models import Campaign, Device, DeviceEvent


def test_staff_pages_render_for_the_devices_body(client, sw):
    push(client, sw, payload(sw))
    event = DeviceEvent.objects.get()
    client.force_login(sw.cw.user)
    for url in (
        "/smart/events/",
        "/smart/devices/",
        f"/smart/devices/{sw.device.pk}/",
        f"/smart/events/{event.pk}/",
        "/smart/campaigns/",
        "/smart/visits/",
        "/party/desk/",
    ):
        assert client.get(url).status_code == 200, url
    evidence = event.evidence.get()
    assert client.get(reverse("smart:evidence", args=[evidence.pk])).status_code == 200


def test_another_townships_officer_gets_404_on_the_devices_records(client, sw):
    push(client, sw, payload(sw))
    event = DeviceEvent.objects.get()
    client.force_login(sw.cw.user_b)
    assert "QJ-SF-CAM-001" not in client.get("/smart/devices/").content.decode()
    for url in (
        f"/smart/devices/{sw.device.pk}/",
        f"/smart/events/{event.pk}/",
        reverse("smart:evidence", args=[event.evidence.get().pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/smart/events/{event.pk}/discard/", {"reason": "x"}).status_code == 404
    assert DeviceEvent.objects.get().status == "pending"


def test_registering_a_device_shows_its_key_once_and_refuses_bad_input(client, sw):
    client.force_login(sw.admin)
    data = {
        "organization_id": sw.cw.world.team_a.pk,
        "code": "QJ-SF-CAM-002",
        "name": "二号摄像头",
        "kind": "camera",
        "location": "上方镇文化路",
        "township_id": sw.cw.world.shangfang.pk,
        "item_ids": [sw.cw.item.pk],
        "checked_on": "2026-01-01",
        "check_valid_until": "2025-01-01",
    }
    refused = client.post("/smart/devices/new/", data)
    assert refused.status_code == 422 and "有效期不能早于检定日期" in refused.content.decode()
    data["check_valid_until"] = "2027-01-01"
    done = client.post("/smart/devices/new/", data, follow=True)
    assert "只显示这一次" in done.content.decode()
    device = Device.objects.get(code="QJ-SF-CAM-002")
    published = client.post(f"/smart/devices/{device.pk}/publish/", follow=True)
    assert (
        "尚未通过法制审核" in published.content.decode()
        and Device.objects.get(pk=device.pk).status == "draft"
    )


def test_an_officer_sees_no_campaign_creation_and_the_lead_does(client, sw):
    client.force_login(sw.cw.user)
    assert "新建行动" not in client.get("/smart/campaigns/").content.decode()
    client.force_login(sw.cw.world.guidance_user)
    today = timezone.localdate()
    response = client.post(
        "/smart/campaigns/",
        {
            "kind": "campaign",
            "name": "燃气安全专项整治",
            "lead_id": sw.cw.world.guidance.pk,
            "period_start": today.isoformat(),
            "period_end": (today - dt.timedelta(days=1)).isoformat(),
            "item_ids": [sw.inspection.pk],
            "body_ids": [sw.cw.world.team_a.pk],
        },
    )
    assert response.status_code == 422 and "结束日期不能早于开始日期" in response.content.decode()
    assert not Campaign.objects.exists()


def test_the_public_device_list_needs_no_login_and_hides_drafts(client, sw):
    services.register_device(
        sw.admin,
        {
            "organization_id": sw.cw.world.team_a.pk,
            "code": "QJ-SF-DRAFT",
            "name": "未审核设备",
            "kind": "camera",
            "location": "上方镇某处",
            "township_id": sw.cw.world.shangfang.pk,
            "item_ids": [sw.cw.item.pk],
        },
    )
    body = client.get("/smart/public/devices/").content.decode()
    assert sw.device.code in body and "QJ-SF-DRAFT" not in body
