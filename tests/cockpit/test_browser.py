"""The cockpit in Chromium: one screen at 1920×1080 and at 3840×2160 (no vertical scroll, no panel
cut off), refreshed every minute with the data time shown, a township map whose shapes open
their drill-downs, every figure linking to its list; usable on a 375 px phone."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.browsing import PHONE, screenshot
from tests.cockpit.conftest import add_case, add_incident
from zhifa.cockpit import selectors as cockpit_selectors

pytestmark = pytest.mark.browser

#: Whether the page and every panel of the screen fit the viewport (the panels clip what overflows,
#: so a clipped panel is caught by its own scroll height).
FITS = """() => {
  const doc = document.documentElement;
  const panels = Array.from(document.querySelectorAll('.screen-panel'));
  return {page: doc.scrollHeight <= innerHeight && doc.scrollWidth <= innerWidth,
          panels: panels.length, clipped: panels.filter(p => p.scrollHeight > p.clientHeight + 1).map(p => p.className)};
}"""


def _log_in(page, live_server, username):
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill("correct-horse-battery")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/")


def _data(world):
    t = timezone.now()
    for i in range(6):
        add_incident(
            world.shangfang if i % 2 else world.xiachuan,
            world.team_a if i % 2 else world.team_b,
            state="replied",
            due_at=t,
            replied_at=t - dt.timedelta(hours=i),
            reported_at=t - dt.timedelta(days=40 * i),
        )
    add_case(
        world.team_a,
        world.shangfang,
        state="decided",
        filing_date=dt.date(2026, 3, 2),
        decision_date=dt.date(2026, 3, 20),
    )


def _screen(browser, width, height):
    context = browser.new_context(
        viewport={"width": width, "height": height}, locale="zh-CN", timezone_id="Asia/Shanghai"
    )
    return context, context.new_page()


def test_cockpit_on_a_phone(transactional_db, live_server, world, phone):
    _data(world)
    _log_in(phone, live_server, "leader_a")
    phone.goto(f"{live_server.url}/cockpit/")
    phone.wait_for_selector("#trend-chart[data-rendered='1'] canvas")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert phone.locator("[data-figure='incidents_total']").get_attribute("data-value") == "3"
    screenshot(phone, "cockpit-phone")
    phone.locator("[data-figure='incidents_total']").click()
    phone.wait_for_url("**/cockpit/d/incidents_total/")
    assert phone.locator("#drilldown-total").inner_text() == "3"
    assert phone.locator(".drilldown-row").count() == 3
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(phone, "cockpit-drilldown-phone")


@pytest.mark.parametrize("width,height", [(1920, 1080), (3840, 2160)])
def test_one_screen_without_scrolling(transactional_db, live_server, world, browser, width, height):
    _data(world)
    context, page = _screen(browser, width, height)
    try:
        _log_in(page, live_server, "bureau_admin")
        page.goto(f"{live_server.url}/cockpit/")
        page.wait_for_selector("#trend-chart[data-rendered='1'] canvas")
        fit = page.evaluate(FITS)
        assert fit == {"page": True, "panels": 4, "clipped": []}, fit
        # the layout scales with the screen: the wall's text is twice the desktop's
        size = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
        assert size == pytest.approx(16 * height / 1080, rel=0.02)
        # every reform indicator is on the screen, each linking to its rows
        links = page.eval_on_selector_all(".reform-row a", "els => els.map(e => e.getAttribute('href'))")
        assert len(links) == 26 and all(link.startswith("/indicators/") for link in links)
        screenshot(page, f"cockpit-{width}x{height}")
    finally:
        context.close()


def test_screen_refreshes_every_minute_with_its_data_time(
    transactional_db, live_server, world, browser, monkeypatch
):
    """The page fetches its content again every 60 s; the server recomputes figures older than
    ``LIVE_SECONDS`` (0 here, so that the minute the browser's clock skips need not pass for real)."""
    _data(world)
    context, page = _screen(browser, 1920, 1080)
    try:
        page.clock.install()
        _log_in(page, live_server, "bureau_admin")
        page.goto(f"{live_server.url}/cockpit/")
        page.wait_for_selector("#trend-chart[data-rendered='1'] canvas")
        total = page.locator("[data-figure='incidents_total']")
        before = int(total.get_attribute("data-value"))
        stamp = page.locator("#cockpit-screen").get_attribute("data-computed-at")
        assert "数据时间" in page.locator(".cockpit-stamp").inner_text()
        assert "每60秒自动刷新" in page.locator(".cockpit-stamp").inner_text()
        monkeypatch.setattr(cockpit_selectors, "LIVE_SECONDS", 0)
        add_incident(world.shangfang, world.bureau)  # the bureau's own incident: in bureau_admin's scope
        page.clock.run_for(30_000)
        assert int(total.get_attribute("data-value")) == before  # not yet a minute
        with page.expect_response("**/cockpit/screen/"):
            page.clock.run_for(31_000)
        page.wait_for_function(f"document.querySelector('#cockpit-screen').dataset.computedAt !== '{stamp}'")
        assert int(page.locator("[data-figure='incidents_total']").get_attribute("data-value")) == before + 1
        page.wait_for_selector("#trend-chart[data-rendered='1'] canvas")
        assert page.evaluate(FITS)["page"] is True
    finally:
        context.close()


def test_map_shapes_and_figures_open_their_lists(transactional_db, live_server, world, browser):
    _data(world)
    context, page = _screen(browser, 1920, 1080)
    try:
        _log_in(page, live_server, "guidance")  # the district
        page.goto(f"{live_server.url}/cockpit/")
        shapes = page.locator(".map-layer[data-layer='incidents'] a.map-link")
        assert shapes.count() == 2  # both townships of the small district, drawn as tiles
        assert "示意图" in page.locator(".screen-map .panel-title").inner_text()
        page.locator(f".map-layer[data-layer='incidents'] a[data-township='{world.shangfang.pk}']").click()
        page.wait_for_url(f"**/cockpit/d/incidents_total/?township={world.shangfang.pk}")
        assert int(page.locator("#drilldown-total").inner_text()) >= 1
        page.go_back()
        page.get_by_role("button", name="案件").click()
        assert page.locator(".map-layer[data-layer='cases']").is_visible()
        assert not page.locator(".map-layer[data-layer='incidents']").is_visible()
        page.locator("[data-figure='staff_township_share'] a").click()
        page.wait_for_url("**/indicators/staff_township_share/counted/**")
        assert page.locator("#drilldown-total").inner_text().isdigit()
    finally:
        context.close()
