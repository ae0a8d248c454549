"""发现上报 with photos and location, feedback with photos, the reporter's phone for the handler
(audited) and masked everywhere public, the triage queue and the check list pages."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.dispatch.conftest import SHANGFANG_POINT, report_data
from zhifa.core.models import AuditEvent
from zhifa.dispatch import services
from zhifa.dispatch.models import HandlingCheck, IdempotencyKey, Incident, IncidentPhoto


def _png(color=(200, 30, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), color).save(buffer, format="PNG")
    return buffer.getvalue()


def _photo(name="现场.png", color=(200, 30, 30)):
    return SimpleUploadedFile(name, _png(color), content_type="image/png")


FINDING = {
    "text": "新街菜场门口流动摊贩占道经营，堵住人行道",
    "address": "上方镇新街菜场门口",
    "priority": "normal",
    **SHANGFANG_POINT,
}


def test_an_officer_reports_what_he_finds_with_photos_and_it_enters_the_loop(
    client, world, command, catalog, django_capture_on_commit_callbacks
):
    client.force_login(world.user_a)
    form = client.get("/dispatch/found/")
    assert form.status_code == 200 and "发现上报" in form.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/dispatch/found/", {**FINDING, "key": "k-1", "photos": [_photo(), _photo("2.png", (0, 90, 0))]}
        )
    assert response.status_code == 302
    incident = Incident.objects.get()
    assert (
        incident.source == "patrol"
        and incident.created_by == "officer_a"
        and incident.township == world.shangfang
    )
    assert incident.state == "reported" and incident.item.code == "330202010000"
    photos = list(IncidentPhoto.objects.filter(incident=incident))
    assert len(photos) == 2 and all(
        p.stage == "report" and p.file.storage.exists(p.file.name) for p in photos
    )
    # the same submission again (a retry after a lost connection) gives the same incident
    again = client.post("/dispatch/found/", {**FINDING, "key": "k-1", "photos": [_photo()]})
    assert again.status_code == 302 and Incident.objects.count() == 1
    # the command centre sees it in its queue with the photos, and may open them
    client.force_login(command.user)
    assert incident.tracking_code in client.get("/dispatch/").content.decode()
    page = client.get(f"/dispatch/incidents/{incident.pk}/").content.decode()
    assert "上报照片" in page
    assert client.get(f"/dispatch/photos/{photos[0].pk}/").status_code == 200
    client.force_login(world.leader_b)  # another township: not found
    assert client.get(f"/dispatch/photos/{photos[0].pk}/").status_code == 404


def test_a_bad_finding_names_the_field_and_saves_nothing(client, world, command, catalog):
    client.force_login(world.user_a)
    not_a_picture = SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")
    response = client.post("/dispatch/found/", {**FINDING, "key": "k-2", "photos": [not_a_picture]})
    assert response.status_code == 400 and "照片须为 JPEG、PNG、WebP 或 GIF 图片" in response.content.decode()
    response = client.post("/dispatch/found/", {**FINDING, "key": "k-3", "lat": "39.9", "lng": "116.4"})
    assert response.status_code == 400 and "不在衢江区范围内" in response.content.decode()
    assert (
        Incident.objects.count() == 0
        and IncidentPhoto.objects.count() == 0
        and IdempotencyKey.objects.count() == 0
    )


def test_only_field_roles_report_findings(client, world, command, catalog):
    client.force_login(world.guidance_user)
    assert client.get("/dispatch/found/").status_code == 403


def _assigned(command, **overrides):
    incident, _ = services.report_incident(command.user, report_data(**overrides))
    return services.transition(command.user, incident.pk, "assign")


def test_the_reply_may_carry_photos(client, world, command, catalog, django_capture_on_commit_callbacks):
    incident = _assigned(command)
    client.force_login(world.user_a)
    client.post(f"/dispatch/incidents/{incident.pk}/act/accept/")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/dispatch/incidents/{incident.pk}/act/reply/",
            {"reply": "已劝离摊贩", "photos": [_photo(color=(1, 2, 3))]},
        )
    assert response.status_code == 302
    photo = IncidentPhoto.objects.get(incident=incident)
    assert photo.stage == "feedback" and photo.uploaded_by == "officer_a"
    assert "处置照片" in client.get(f"/dispatch/incidents/{incident.pk}/").content.decode()


def test_the_handler_sees_the_phone_to_call_back_and_each_view_is_audited(client, world, command, catalog):
    incident = _assigned(command)
    client.force_login(world.user_a)
    page = client.get(f"/dispatch/incidents/{incident.pk}/").content.decode()
    assert "138****5678" in page and "13812345678" not in page and "查看完整电话" in page
    shown = client.post(f"/dispatch/incidents/{incident.pk}/phone/")
    assert shown.status_code == 200 and "tel:13812345678" in shown.content.decode()
    views = AuditEvent.objects.filter(action="incident.view_phone", object_id=str(incident.pk))
    assert views.count() == 1 and views.get().actor_name == "officer_a"
    # a body it is not assigned to sees neither the button nor the number
    client.force_login(command.market_officer)
    assert client.post(f"/dispatch/incidents/{incident.pk}/phone/").status_code == 404
    client.force_login(world.guidance_user)  # sees the district, does not call reporters back
    assert "查看完整电话" not in client.get(f"/dispatch/incidents/{incident.pk}/").content.decode()
    assert client.post(f"/dispatch/incidents/{incident.pk}/phone/").status_code == 403
    assert views.count() == 1


def test_the_triage_queue_shows_the_unsure_and_the_dispatcher_assigns_from_it(
    client, world, command, catalog
):
    incident, _ = services.report_incident(command.user, report_data(text="想问一下公积金提取怎么办理"))
    client.force_login(command.user)
    queue = client.get("/dispatch/").content.decode()
    assert "待人工分拣" in queue and "待分拣" in queue
    page = client.get("/dispatch/triage/").content.decode()
    assert incident.tracking_code in page and "最接近" in page
    from zhifa.catalog.models import EnforcementItem

    item = EnforcementItem.objects.get(code="330202010000")
    response = client.post(f"/dispatch/triage/{incident.pk}/assign/", {"item": item.pk})
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.state == "assigned" and incident.item == item and incident.responsible_org == world.team_a
    assert "已分拣" in client.get("/dispatch/triage/").content.decode()  # the message, once
    assert f'data-incident="{incident.pk}"' not in client.get("/dispatch/triage/").content.decode()


def test_the_check_list_shows_low_ratings_to_the_command_centre(client, world, command, catalog):
    incident = _assigned(command)
    for action, kwargs in (("accept", {}), ("reply", {"reply": "已处理"})):
        services.transition(world.user_a, incident.pk, action, **kwargs)
    services.transition(command.user, incident.pk, "evaluate")
    services.transition(command.user, incident.pk, "close")
    services.rate(incident.tracking_code, 2, "没人来过")
    check = HandlingCheck.objects.get()
    client.force_login(command.user)
    page = client.get("/dispatch/checks/").content.decode()
    assert incident.tracking_code in page and "没人来过" in page
    response = client.post(
        f"/dispatch/checks/{check.pk}/finish/", {"result": "回访核实属实", "outcome": "confirm"}
    )
    assert response.status_code == 302
    check.refresh_from_db()
    assert check.state == "confirmed" and check.finished_by == command.user
    client.force_login(world.user_a)
    assert client.get("/dispatch/checks/").status_code == 403
