"""The issue's journeys in Chromium, phone and desktop side by side: a citizen reports on the
portal and follows the tracking code, the command centre dispatches, a township officer handles
it on the phone, an officer files and decides cases, and the cockpit's figures move.

The cockpit contract: each figure is an element with ``data-figure="<key>"`` and
``data-value="<number>"``. Screenshots of every step go to test-artifacts/journey-*.png."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.cache import cache

from tests.browsing import PHONE, screenshot
from tests.cases import conftest as cases_conftest
from tests.cases.conftest import new_item
from tests.conftest import new_user
from zhifa.cases.models import Case
from zhifa.dispatch.models import Incident
from zhifa.organizations.models import User

pytestmark = pytest.mark.browser

#: The cases district (two townships, parties, two certified officers of 上方镇), shared here.
cw = cases_conftest.cw

FIGURES = ("incidents_total", "incidents_closed", "incidents_on_time", "cases_total", "cases_decided")


def _fits_the_phone(page) -> bool:
    """No sideways scrolling on a 375 px phone."""
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def _small_touch_targets(page) -> list[str]:
    """Visible buttons and form controls lower than 44 px (WCAG 2.5.5 target size)."""
    return page.evaluate("""() => [...document.querySelectorAll(
        'main button, main .button, main input:not([type=hidden]):not([type=checkbox]):not([type=radio]), main select, main textarea')]
        .filter(e => e.offsetParent !== null && e.getBoundingClientRect().height < 44)
        .map(e => e.outerHTML.slice(0, 80))""")


def _phone_ok(page, name: str) -> None:
    assert _fits_the_phone(page), f"{name}: wider than the phone"
    assert _small_touch_targets(page) == [], f"{name}: touch targets under 44 px"
    screenshot(page, f"journey-{name}")


def _log_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill("correct-horse-battery")
    page.get_by_role("button", name=re.compile("登录")).click()
    page.wait_for_url(f"{live_server.url}/")


def _cockpit(page, live_server, name: str) -> dict[str, float]:
    """The cockpit shows a snapshot (refreshed every five minutes); 刷新 recomputes it now."""
    page.goto(f"{live_server.url}/cockpit/")
    page.get_by_role("button", name="刷新").click()
    page.wait_for_selector("text=驾驶舱数据已更新")
    values = {}
    for key in FIGURES:
        element = page.locator(f'[data-figure="{key}"]').first
        values[key] = float(element.get_attribute("data-value"))
    screenshot(page, f"journey-{name}")
    return values


def _act(page, action: str, **fields) -> None:
    """Open one action of the incident page and submit it."""
    form = page.locator(f'form[action$="/act/{action}/"]')
    form.locator("xpath=..").locator("summary").click()
    for name, value in fields.items():
        control = form.locator(f'[name="{name}"]')
        if control.evaluate("e => e.tagName") == "SELECT":
            control.select_option(value)
        else:
            control.fill(value)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()


@pytest.fixture
def journey(cw, monkeypatch):
    from zhifa.cockpit import services as cockpit_services

    # The journeys read the cockpit twice within seconds; the button's anti-hammering pause is not under test.
    monkeypatch.setattr(cockpit_services, "MANUAL_INTERVAL", dt.timedelta(0))
    cache.clear()  # the portal's per-address report limit counts in the cache
    world = cw.world
    command = new_user("command_center", world.root, User.Role.COMMAND_CENTER)
    yield world, command
    cache.clear()


def test_citizen_report_is_dispatched_handled_on_a_phone_and_tracked(
    transactional_db, live_server, journey, phone, desktop
):
    world, command = journey
    _log_in(desktop, live_server, command.username)
    before = _cockpit(desktop, live_server, "cockpit-before")

    # 1. A citizen reports on the portal with a phone, no login.
    phone.goto(f"{live_server.url}/public/")
    _phone_ok(phone, "portal-home-phone")
    phone.get_by_role("link", name="我要上报问题").click()
    phone.get_by_label("问题描述").fill("上方镇某某路口有人长期占道经营，影响通行")
    phone.get_by_label("发生地址").fill("衢江区上方镇某某路 12 号")
    phone.get_by_label("联系电话（可不填，不公开）").fill("13800001234")
    _phone_ok(phone, "report-form-phone")
    phone.get_by_role("button", name="提交上报").click()
    phone.wait_for_url(re.compile(r"/public/track/QJ[0-9A-Z]{8}/$"))
    code = phone.locator("[data-tracking-code]").inner_text()
    assert phone.get_by_text("上报成功").first.is_visible() and "13800001234" not in phone.content()
    _phone_ok(phone, "tracking-reported-phone")
    incident = Incident.objects.get(tracking_code=code)

    # 2. The command centre finds it by its code and assigns it to 上方镇.
    desktop.goto(f"{live_server.url}/dispatch/?q={code}")
    desktop.get_by_role("link", name=code).click()
    _act(desktop, "assign", organization=str(world.team_a.pk))
    assert desktop.get_by_text("已交办").first.is_visible()
    screenshot(desktop, "journey-dispatched-desktop")

    # 3. The township officer works it from the phone: my tasks → accept → reply.
    officer = phone.context.browser.new_context(
        viewport=PHONE, locale="zh-CN", timezone_id="Asia/Shanghai"
    ).new_page()
    _log_in(officer, live_server, world.user_a.username)
    officer.goto(f"{live_server.url}/dispatch/my/")
    _phone_ok(officer, "my-tasks-phone")
    officer.get_by_text("占道经营").first.click()
    officer.wait_for_url(re.compile(rf"/dispatch/incidents/{incident.pk}/$"))
    _act(officer, "accept")
    _act(officer, "reply", reply="已到场劝离占道经营者，路口恢复通行")
    # The reply form carries photos: it is sent in the background and the answer appears in place.
    officer.get_by_text("已反馈").first.wait_for(timeout=30_000)
    _phone_ok(officer, "incident-replied-phone")
    officer.context.close()

    # 4. The citizen's tracking page shows it handled, without staff names.
    phone.reload()
    assert phone.locator('[data-state="replied"]').is_visible()
    assert phone.get_by_text("已到场劝离占道经营者").first.is_visible()
    assert world.user_a.username not in phone.content()
    _phone_ok(phone, "tracking-replied-phone")

    # 5. The command centre checks the reply and closes it (the reporter rates it himself); the cockpit moves.
    desktop.goto(f"{live_server.url}/dispatch/incidents/{incident.pk}/")
    _act(desktop, "evaluate")
    _act(desktop, "close")
    assert desktop.get_by_text("已办结").first.is_visible()
    after = _cockpit(desktop, live_server, "cockpit-after-incident")
    assert after["incidents_total"] == before["incidents_total"] + 1
    assert after["incidents_closed"] == before["incidents_closed"] + 1
    assert after["incidents_on_time"] == before["incidents_on_time"] + 1


def test_officer_files_and_decides_cases_on_a_phone_and_the_cockpit_counts_them(
    transactional_db, live_server, journey, cw, phone, desktop
):
    world, command = journey
    item = new_item(cw.domain, "J1", fine_max="200", name="对乱扔垃圾的行政处罚")
    _log_in(desktop, live_server, command.username)
    before = _cockpit(desktop, live_server, "cockpit-before-cases")
    _log_in(phone, live_server, world.user_a.username)

    def open_case(on_spot: bool) -> int:
        phone.goto(f"{live_server.url}/cases/on-spot/")
        phone.get_by_label("当事人").select_option(str(cw.person.pk))
        phone.get_by_label("执法事项").select_option(str(item.pk))
        phone.get_by_label("违法行为发生日期").fill(dt.date.today().isoformat())
        phone.get_by_label("违法事实").fill("张某在街面乱扔垃圾")
        phone.get_by_label("另一名执法人员").select_option(str(cw.second.pk))
        if on_spot:
            phone.get_by_label("当场作出处罚决定（简易程序）").check()
            phone.get_by_label("罚款金额（元）").fill("50")
        phone.get_by_role("button", name="提交").click()
        phone.wait_for_url(re.compile(r"/cases/\d+/$"))
        return int(re.search(r"/cases/(\d+)/$", phone.url).group(1))

    # General procedure: register, then ask the head to file it (行政处罚法第五十四条: 立案 is the
    # head's approval, not the officer's own act).
    filed = open_case(on_spot=False)
    box = phone.locator("#step-request-filing")
    if not box.evaluate("e => e.open"):
        box.locator("summary").click()
    box.get_by_label("提请理由", exact=True).fill("巡查发现乱扔垃圾，符合立案条件")
    box.locator('button[type="submit"]').click()
    phone.wait_for_load_state()
    assert not phone.locator(".message--error").count()
    case = Case.objects.get(pk=filed)
    assert case.state == "registered"
    assert [(a.kind, a.status) for a in case.approvals.all()] == [("filing", "pending")]
    screenshot(phone, "journey-case-filing-requested-phone")

    # Summary procedure: decided on the spot (行政处罚法第五十一条), then the phone timeline with a camera field.
    decided = open_case(on_spot=True)
    assert phone.get_by_text("已当场作出行政处罚决定").first.is_visible()
    phone.goto(f"{live_server.url}/cases/{decided}/timeline/")
    assert phone.get_by_text("当场作出行政处罚决定").first.is_visible()
    assert phone.locator('input[type=file][accept="image/*"][capture]').count() == 1
    _phone_ok(phone, "case-timeline-phone")

    after = _cockpit(desktop, live_server, "cockpit-after-cases")
    assert after["cases_total"] == before["cases_total"] + 2
    assert after["cases_decided"] == before["cases_decided"] + 1
