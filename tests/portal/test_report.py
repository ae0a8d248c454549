"""问题上报 on the portal: no login, through dispatch's intake, a tracking code, a public progress
page without personal data, Chinese errors naming the field, nothing saved on error, a per-address
rate limit."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from zhifa.core.models import AuditEvent
from zhifa.dispatch import rules as dispatch_rules
from zhifa.dispatch import services as dispatch_services
from zhifa.dispatch.models import Incident
from zhifa.organizations.models import User
from zhifa.portal import rules
from zhifa.portal.models import PublicReport

from ..conftest import new_user

GOOD = {
    "text": "某某路口有人长期占道经营，影响通行",
    "address": "衢江区上方镇某某路 12 号",
    "phone": "13800001234",
}


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_a_citizen_reports_with_a_photo_and_gets_a_tracking_code(client, world):
    photo = SimpleUploadedFile("现场.png", _png(), content_type="image/png")
    response = client.post("/public/report/", {**GOOD, "photo": photo})
    assert response.status_code == 302
    incident = Incident.objects.get()
    assert response["Location"] == f"/public/track/{incident.tracking_code}/"
    assert incident.source == dispatch_rules.COMPLAINT and incident.state == dispatch_rules.REPORTED
    assert incident.reporter_phone == "13800001234" and incident.created_by == "公众（门户网站）"
    report = PublicReport.objects.get(incident=incident)
    assert report.photo and len(report.sha256) == 64
    assert AuditEvent.objects.filter(action="incident.report", object_id=str(incident.pk)).exists()
    page = client.get(response["Location"])
    text = page.content.decode()
    assert incident.tracking_code in text and "上报成功" in text and "待交办" in text
    assert "13800001234" not in text and "1234" not in text  # the phone is never shown publicly


def test_errors_name_the_field_in_chinese_and_save_nothing(client, world):
    response = client.post("/public/report/", {"text": "", "address": "", "phone": "12"})
    text = response.content.decode()
    assert response.status_code == 400
    assert (
        "请描述发现的问题" in text
        and "请填写问题发生的地址或位置" in text
        and "联系电话应为 7–12 位数字" in text
    )
    not_a_picture = SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")
    response = client.post("/public/report/", {**GOOD, "photo": not_a_picture})
    assert response.status_code == 400 and "照片须为 JPEG、PNG、WebP 或 GIF 图片" in response.content.decode()
    outside = client.post("/public/report/", {**GOOD, "lat": "39.9", "lng": "116.4"})
    assert outside.status_code == 400 and "不在衢江区范围内" in outside.content.decode()
    assert Incident.objects.count() == 0 and PublicReport.objects.count() == 0


def test_one_address_may_not_flood_the_form(client, world):
    for _ in range(rules.REPORT_LIMIT):
        assert client.post("/public/report/", GOOD).status_code == 302
    refused = client.post("/public/report/", GOOD)
    assert refused.status_code == 400 and "提交过于频繁" in refused.content.decode()
    assert Incident.objects.count() == rules.REPORT_LIMIT
    other = client.post("/public/report/", GOOD, REMOTE_ADDR="10.1.2.3")  # another address is not affected
    assert other.status_code == 302


def test_tracking_shows_the_loop_without_names(client, world):
    client.post("/public/report/", GOOD)
    incident = Incident.objects.get()
    command = new_user("command", world.root, User.Role.COMMAND_CENTER)
    dispatch_services.transition(command, incident.pk, "assign", organization=world.team_a)
    dispatch_services.transition(world.user_a, incident.pk, "accept")
    dispatch_services.transition(world.user_a, incident.pk, "reply", reply="已劝离占道经营者")
    text = client.get(f"/public/track/{incident.tracking_code.lower()}/").content.decode()
    assert "已反馈" in text and "上方镇综合行政执法队" in text and "已劝离占道经营者" in text
    assert "officer_a" not in text and "command" not in text  # no staff user names
    assert client.get("/public/track/QJXXXXXXXX/").status_code == 404
    assert client.get("/public/track/", {"code": incident.tracking_code}).status_code == 302


def test_staff_see_the_photo_within_their_scope(client, world):
    client.post(
        "/public/report/", {**GOOD, "photo": SimpleUploadedFile("a.png", _png(), content_type="image/png")}
    )
    incident = Incident.objects.get()
    command = new_user("command", world.root, User.Role.COMMAND_CENTER)
    client.force_login(command)
    assert "现场照片" in client.get(f"/dispatch/incidents/{incident.pk}/").content.decode()
    photo = client.get(f"/public/staff/reports/{incident.pk}/photo/")
    assert photo.status_code == 200 and b"".join(photo.streaming_content) == _png()
    client.force_login(world.leader_b)  # another township: not assigned, not located there
    assert client.get(f"/public/staff/reports/{incident.pk}/photo/").status_code == 404
    client.logout()
    assert client.get(f"/public/staff/reports/{incident.pk}/photo/").status_code == 302  # to the login page


def test_api_report_and_progress_without_login(client, world):
    response = client.post("/api/v1/portal/reports", GOOD, content_type="application/json")
    assert response.status_code == 201
    code = response.json()["tracking_code"]
    progress = client.get(f"/api/v1/portal/reports/{code}").json()
    assert progress["state"] == "reported" and progress["steps"][0]["label"] == "登记事件"
    assert "13800001234" not in str(progress)
    bad = client.post("/api/v1/portal/reports", {"text": "", "address": ""}, content_type="application/json")
    assert bad.status_code == 422 and bad.json()["field"] in ("text", "address")


@pytest.mark.parametrize(
    "count, refused", [(0, False), (rules.REPORT_LIMIT - 1, False), (rules.REPORT_LIMIT, True)]
)
def test_rate_limit_rule(count, refused):
    assert rules.over_limit(count) is refused


def _closed_from_the_portal(client, world):
    client.post("/public/report/", GOOD)
    incident = Incident.objects.get()
    command = new_user("command", world.root, User.Role.COMMAND_CENTER)
    dispatch_services.transition(command, incident.pk, "assign", organization=world.team_a)
    dispatch_services.transition(world.user_a, incident.pk, "accept")
    dispatch_services.transition(world.user_a, incident.pk, "reply", reply="已劝离占道经营者")
    dispatch_services.transition(command, incident.pk, "evaluate")
    dispatch_services.transition(command, incident.pk, "close")
    return incident


def test_the_reporter_rates_a_closed_incident_on_the_tracking_page(client, world):
    incident = _closed_from_the_portal(client, world)
    page = client.get(f"/public/track/{incident.tracking_code}/").content.decode()
    assert "评价办理结果" in page and "申请重新办理" in page
    refused = client.post(f"/public/track/{incident.tracking_code}/rate/", {"satisfaction": "9"})
    assert refused.status_code == 400 and "满意度须为 1–5 分" in refused.content.decode()
    response = client.post(
        f"/public/track/{incident.tracking_code}/rate/", {"satisfaction": "1", "comment": "还在摆"}
    )
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.satisfaction == 1 and incident.rating_comment == "还在摆"
    page = client.get(f"/public/track/{incident.tracking_code}/").content.decode()
    assert "您的评价：1 分" in page and "评价办理结果" not in page and "13800001234" not in page
    assert incident.checks.get().state == "open"  # the command centre checks the handling


def test_the_reporter_reopens_once_with_a_reason(client, world):
    incident = _closed_from_the_portal(client, world)
    refused = client.post(f"/public/track/{incident.tracking_code}/reopen/", {"reason": " "})
    assert refused.status_code == 400 and "请说明问题为什么没有解决" in refused.content.decode()
    assert (
        client.post(f"/public/track/{incident.tracking_code}/reopen/", {"reason": "晚上又来了"}).status_code
        == 302
    )
    incident.refresh_from_db()
    assert incident.state == "assigned" and incident.citizen_reopened_at is not None
    page = client.get(f"/public/track/{incident.tracking_code}/").content.decode()
    assert "重新办理" in page and "申请重新办理（限一次）" not in page
    assert client.post("/public/track/QJNOSUCH00/rate/", {"satisfaction": "5"}).status_code == 404
