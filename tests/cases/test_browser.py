"""The phone journey in a real Chromium at 375 px: open a case from a finding, decide on the spot,
read the case file — nothing wider than the screen.

Playwright's sync API allows one instance per thread, and ``tests/browser`` keeps a session-wide
one alive on the main thread; so this journey drives its own Chromium from a worker thread."""

from __future__ import annotations

import datetime as dt
import re
import threading

import pytest

from tests.browsing import CHROMIUM, CHROMIUM_ARGS, PHONE, screenshot
from tests.cases.conftest import new_item
from zhifa.cases.models import Case

pytestmark = pytest.mark.browser


def _in_a_thread(journey) -> None:
    failures: list[BaseException] = []

    def run():
        try:
            from playwright.sync_api import sync_playwright

            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
                )
                context = browser.new_context(
                    viewport=PHONE, locale="zh-CN", timezone_id="Asia/Shanghai", device_scale_factor=2
                )
                page = context.new_page()
                page.set_default_timeout(10_000)
                try:
                    journey(page)
                finally:
                    browser.close()
        except BaseException as exc:  # noqa: BLE001 — re-raised on the test's thread
            failures.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if failures:
        raise failures[0]


def _fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_officer_decides_on_the_spot_from_a_phone(transactional_db, live_server, cw):
    item = new_item(cw.domain, "T7", fine_max="200", name="对乱扔垃圾的行政处罚")
    person, second = str(cw.person.pk), str(cw.second.pk)

    def journey(phone):
        phone.goto(f"{live_server.url}/login/")
        phone.get_by_label("用户名").fill("officer_a")
        phone.get_by_label("密码").fill("correct-horse-battery")
        phone.get_by_role("button", name=re.compile("登录")).click()
        phone.wait_for_url(f"{live_server.url}/")
        phone.goto(f"{live_server.url}/cases/on-spot/")
        assert _fits_the_phone(phone)
        phone.get_by_label("当事人").select_option(person)
        phone.get_by_label("执法事项").select_option(str(item.pk))
        phone.get_by_label("违法行为发生日期").fill(dt.date.today().isoformat())
        phone.get_by_label("违法事实").fill("在街面乱扔垃圾")
        phone.get_by_label("另一名执法人员").select_option(second)
        phone.get_by_label("当场作出处罚决定（简易程序）").check()
        phone.get_by_label("罚款金额（元）").fill("50")
        screenshot(phone, "cases-on-spot-phone")
        phone.get_by_role("button", name="提交").click()
        phone.wait_for_url(re.compile(r"/cases/\d+/$"))
        assert phone.get_by_text("已当场作出行政处罚决定").first.is_visible()
        assert _fits_the_phone(phone)
        screenshot(phone, "cases-detail-phone")

    _in_a_thread(journey)
    assert Case.objects.get(item=item).state == "served"
