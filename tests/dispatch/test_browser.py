"""Journeys in a real Chromium, each by the role that does it: the command centre triages an
incident the router was unsure of; an officer reports what he found from his phone with a
photo; a citizen rates a closed incident badly and it lands in the command centre's check list."""

from __future__ import annotations

import io
import json
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.browsing import screenshot
from tests.dispatch.conftest import report_data
from zhifa.dispatch import services
from zhifa.dispatch.models import HandlingCheck, Incident, IncidentPhoto, RoutingExample

pytestmark = pytest.mark.browser


def _log_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill("correct-horse-battery")
    page.get_by_role("button", name=re.compile("登录")).click()
    page.wait_for_url(f"{live_server.url}/")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_the_command_centre_triages_an_incident_the_router_was_unsure_of(
    transactional_db, live_server, world, command, catalog, desktop
):
    # 12345 pushes a call the router cannot place with confidence.
    response = desktop.request.post(
        f"{live_server.url}/api/v1/dispatch/incidents",
        data=json.dumps(
            report_data(text="楼下那家店天天搞得乌烟瘴气的，你们来看看吧", external_id="12345-T-1")
        ),
        headers={"X-API-Key": command.hotline_key, "Content-Type": "application/json"},
    )
    assert response.status == 201
    incident = Incident.objects.get(external_id="12345-T-1")
    if not incident.needs_triage:  # the router is sure of this one: make the journey about one it is not
        incident, _ = services.report_incident(command.user, report_data(text="想问一下公积金提取怎么办理"))
    assert incident.needs_triage

    _log_in(desktop, live_server, command.user.username)
    desktop.goto(f"{live_server.url}/dispatch/")
    desktop.get_by_role("link", name=re.compile("待人工分拣")).click()
    card = desktop.locator(f'[data-incident="{incident.pk}"]')
    assert "最接近" in card.locator(".triage-reason").inner_text()
    screenshot(desktop, "dispatch-triage-queue")
    card.get_by_label("执法事项").select_option(
        label="生态环境 · 对餐饮服务业经营者未安装油烟净化设施或者不正常使用油烟净化设施超标排放油烟的行政处罚"
    )
    card.get_by_role("button", name="分拣并交办").click()
    desktop.wait_for_selector("text=已分拣")
    incident.refresh_from_db()
    assert incident.state == "assigned" and incident.item.code == "330208007000" and not incident.needs_triage
    example = RoutingExample.objects.get(incident=incident)
    assert (
        example.kind == "triage"
        and example.item == incident.item
        and example.created_by == command.user.username
    )


def test_an_officer_reports_a_problem_with_a_photo_from_his_phone(
    transactional_db, live_server, world, command, catalog, phone, media, tmp_path
):
    picture = tmp_path / "现场.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (120, 80, 40)).save(buffer, format="JPEG")
    picture.write_bytes(buffer.getvalue())

    _log_in(phone, live_server, world.user_a.username)
    phone.goto(f"{live_server.url}/dispatch/my/")
    phone.get_by_role("link", name="发现上报").click()
    phone.get_by_label("发现的问题").fill("新街菜场门口流动摊贩把三轮车停在人行道上卖菜")
    phone.get_by_label("地点").fill("上方镇新街菜场门口")
    phone.get_by_label("现场照片（可多张，最多 6 张）").set_input_files(str(picture))
    screenshot(phone, "dispatch-finding-phone")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    phone.get_by_role("button", name="提交上报").click()
    phone.wait_for_url(re.compile(r"/dispatch/incidents/\d+/$"))
    assert phone.get_by_text("上报照片").first.is_visible()
    incident = Incident.objects.get()
    assert incident.source == "patrol" and incident.created_by == world.user_a.username
    photo = IncidentPhoto.objects.get(incident=incident)
    assert photo.stage == "report" and (media / photo.file.name).exists()
    image = phone.locator(f'img[src$="/dispatch/photos/{photo.pk}/"]')
    expect(image).to_have_js_property("complete", True)  # loaded or failed: a broken image has width 0
    assert image.evaluate("img => img.naturalWidth") == 64


def test_a_citizen_rates_a_closed_incident_and_a_low_rating_reaches_the_check_list(
    transactional_db, live_server, world, command, catalog, phone, desktop
):
    incident, _ = services.report_incident(command.user, report_data())
    services.transition(command.user, incident.pk, "assign")
    services.transition(world.user_a, incident.pk, "accept")
    services.transition(world.user_a, incident.pk, "reply", reply="已劝离摊贩")
    services.transition(command.user, incident.pk, "evaluate")
    services.transition(command.user, incident.pk, "close")

    phone.goto(f"{live_server.url}/public/track/")
    phone.get_by_label("查询码").fill(incident.tracking_code)
    phone.get_by_role("button", name="查询").click()
    phone.get_by_label("2 分").check()
    phone.get_by_label("意见（可不填）").fill("第二天摊贩又回来了")
    phone.get_by_role("button", name="提交评价").click()
    phone.wait_for_selector("text=指挥中心将核查办理情况")
    assert phone.locator("[data-rating='2']").is_visible()
    screenshot(phone, "portal-rated-phone")
    assert HandlingCheck.objects.get(incident=incident).state == "open"

    _log_in(desktop, live_server, command.user.username)
    desktop.goto(f"{live_server.url}/dispatch/")
    desktop.get_by_role("link", name=re.compile("满意度核查")).click()
    card = desktop.locator(f'[data-incident="{incident.pk}"]')
    assert "第二天摊贩又回来了" in card.inner_text()
    screenshot(desktop, "dispatch-check-list")
    card.get_by_label("核查结论").fill("回访核实，摊贩确又出摊，重新交办")
    card.get_by_role("button", name="重新交办").click()
    desktop.wait_for_selector("text=已重新交办")
    incident.refresh_from_db()
    assert incident.state == "assigned" and HandlingCheck.objects.get(incident=incident).state == "reopened"
