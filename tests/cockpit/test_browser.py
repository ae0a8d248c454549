"""The cockpit in Chromium: usable on a 375 px phone without horizontal scrolling, charts drawn
from the vendored ECharts, a figure opens its drill-down; the same page on a wall screen."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.browsing import PHONE, screenshot
from tests.cockpit.conftest import add_case, add_incident

pytestmark = pytest.mark.browser


def _log_in(page, live_server, username):
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill("correct-horse-battery")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/")


def _data(world):
    t = timezone.now()
    for i in range(6):
        add_incident(world.shangfang if i % 2 else world.xiachuan, world.team_a if i % 2 else world.team_b,
                     state="replied", due_at=t, replied_at=t - dt.timedelta(hours=i), reported_at=t - dt.timedelta(days=40 * i))
    add_case(world.team_a, world.shangfang, state="decided", filing_date=dt.date(2026, 3, 2), decision_date=dt.date(2026, 3, 20))


def test_cockpit_on_a_phone(transactional_db, live_server, world, phone):
    _data(world)
    _log_in(phone, live_server, "leader_a")
    phone.goto(f"{live_server.url}/cockpit/")
    phone.wait_for_selector("#trend-chart[data-rendered='1'] canvas")
    phone.wait_for_selector("#township-chart[data-rendered='1'] canvas")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert phone.locator("[data-figure='incidents_total']").get_attribute("data-value") == "3"
    screenshot(phone, "cockpit-phone")
    phone.locator("[data-figure='incidents_total'] a.cockpit-link").click()
    phone.wait_for_url("**/cockpit/d/incidents_total/")
    assert phone.locator("#drilldown-total").inner_text() == "3"
    assert phone.locator(".drilldown-row").count() == 3
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(phone, "cockpit-drilldown-phone")


def test_cockpit_on_a_wall_screen(transactional_db, live_server, world, browser):
    _data(world)
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    try:
        _log_in(page, live_server, "bureau_admin")
        page.goto(f"{live_server.url}/cockpit/")
        page.wait_for_selector("#trend-chart[data-rendered='1'] canvas")
        assert page.evaluate("document.documentElement.scrollWidth") <= 1920
        columns = page.evaluate("getComputedStyle(document.querySelector('.cockpit-figures')).gridTemplateColumns")
        assert len(columns.split()) == 6
        screenshot(page, "cockpit-wall")
        # a snapshot: a new incident shows once 刷新 is pressed
        total = page.locator("[data-figure='incidents_total']")
        before = int(total.get_attribute("data-value"))
        add_incident(world.shangfang, world.bureau)  # the bureau's own incident: in bureau_admin's scope
        page.reload()
        assert int(total.get_attribute("data-value")) == before
        assert "数据更新于" in page.locator(".cockpit-stamp").inner_text()
        page.get_by_role("button", name="刷新").click()
        page.wait_for_selector("text=驾驶舱数据已更新")
        assert int(total.get_attribute("data-value")) == before + 1
    finally:
        context.close()
