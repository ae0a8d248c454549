"""The officer on his phone (390×844): the bottom bar, his own 亮证 code, 立案 from an incident he
handles, and a photo that survives a lost connection."""

from __future__ import annotations

import re

import pytest

from tests.browsing import screenshot
from tests.cases import conftest as cases_conftest
from tests.cases.conftest import open_general
from tests.dispatch import conftest as dispatch_conftest
from tests.dispatch.conftest import report_data
from zhifa.cases.models import Evidence
from zhifa.dispatch import services

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
cw = cases_conftest.cw
command, catalog = dispatch_conftest.command, dispatch_conftest.catalog


@pytest.fixture
def officer_phone(browser):
    context = browser.new_context(
        viewport=PHONE,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        device_scale_factor=2,
        has_touch=True,
        is_mobile=True,
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def _log_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill("correct-horse-battery")
    page.get_by_role("button", name=re.compile("登录")).click()
    page.wait_for_url(f"{live_server.url}/")


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_officer_works_from_the_bottom_bar_and_files_a_case_from_an_incident(
    transactional_db, live_server, world, command, catalog, officer_phone
):
    incident, _ = services.report_incident(command.user, report_data())
    services.transition(command.user, incident.pk, "assign")
    services.transition(world.user_a, incident.pk, "accept")
    page = officer_phone
    _log_in(page, live_server, "officer_a")
    bar = page.locator(".phone-bar")
    assert bar.is_visible() and bar.locator("a").all_inner_texts() == ["待办", "任务", "办案", "亮证"]
    assert page.locator('[data-todo-section="my-incidents"]').get_by_text(incident.tracking_code).is_visible()
    assert _fits(page)
    screenshot(page, "officer-phone-landing")

    # 亮证: his own code, large, one tap away
    bar.get_by_text("亮证").click()
    page.wait_for_url(re.compile(r"/org/credential/$"))
    assert page.locator(".credential__qr svg").is_visible() and _fits(page)
    screenshot(page, "officer-phone-credential")

    # 立案 from the incident he handles: the case form opens with the incident's facts
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name=re.compile(incident.tracking_code)).first.click()
    page.wait_for_url(re.compile(rf"/dispatch/incidents/{incident.pk}/$"))
    page.locator("[data-file-case]").click()
    page.wait_for_url(re.compile(r"/cases/on-spot/\?"))
    summary = page.locator("textarea[name=summary]").input_value()
    assert incident.tracking_code in summary and "流动摊贩占道经营" in summary
    assert _fits(page)
    screenshot(page, "officer-phone-file-case")


def test_a_photo_taken_while_offline_is_sent_when_the_connection_returns(
    transactional_db, live_server, cw, officer_phone, tmp_path
):
    case = open_general(cw)
    photo = tmp_path / "现场照片.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0" + b"0" * 2048)
    page = officer_phone
    _log_in(page, live_server, "officer_a")
    page.goto(f"{live_server.url}/cases/{case.pk}/timeline/")
    form = page.locator("form.evidence-form")
    form.locator("select[name=kind]").select_option(index=1)
    form.locator("textarea[name=description]").fill("占道经营现场照片")
    form.locator("input[type=file]").set_input_files(str(photo))

    page.context.set_offline(True)
    form.locator("button[type=submit]").click()
    status = page.locator("#upload-status")
    status.get_by_text(re.compile("网络连接中断")).wait_for()
    assert not Evidence.objects.filter(case=case).exists()
    screenshot(page, "officer-phone-upload-offline")

    page.context.set_offline(False)  # the browser says it is online again: the kept form is sent
    status.get_by_text(re.compile("已上传")).wait_for(timeout=30_000)
    evidence = Evidence.objects.get(case=case)
    assert evidence.description == "占道经营现场照片" and evidence.file.name.endswith(".jpg")
    screenshot(page, "officer-phone-upload-sent")


def test_a_photo_sent_online_shows_the_servers_answer_like_a_plain_form(
    transactional_db, live_server, cw, officer_phone, tmp_path
):
    case = open_general(cw)
    photo = tmp_path / "现场.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0" + b"1" * 1024)
    page = officer_phone
    _log_in(page, live_server, "officer_a")
    page.goto(f"{live_server.url}/cases/{case.pk}/timeline/")
    form = page.locator("form.evidence-form")
    form.locator("textarea[name=description]").fill("现场照片")
    form.locator("input[type=file]").set_input_files(str(photo))
    form.locator("button[type=submit]").click()
    page.get_by_text("证据已登记").first.wait_for()  # the message of the page the redirect led to
    assert page.url.endswith(f"/cases/{case.pk}/timeline/")
    assert page.get_by_text("现场照片").first.is_visible()
    page.locator(".phone-bar").get_by_text("待办").click()  # the page shown in place works as any other
    page.wait_for_url(f"{live_server.url}/")
