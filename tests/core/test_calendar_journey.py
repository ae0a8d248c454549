"""The guidance office enters a make-up working day of 2027 in Chromium, and a deadline computed
across it moves.

4 December 2026: the State Council's notice for 2027 is awaited (《全国年节及纪念日放假办法》第七条
leaves the bridging days and make-up working days to it) and nobody has entered it, so the
guidance office sees the warning on every page. Until it is entered, 2027 is counted with the
festival days of 第二条 (国务院令第795号) and Saturdays and Sundays off. 3 working days
(《行政处罚法》第八十五条) from Thursday 18 February 2027 end on Tuesday 23 February; once Saturday
20 February is entered as a make-up working day they end on Monday 22 February.
Screenshots go to test-artifacts/calendar-*.png.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tests.browsing import screenshot
from zhifa.core import calendars
from zhifa.core.models import AuditEvent, HolidayOverride

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def district_today(monkeypatch):
    # The live server runs in this process: its pages see the same date.
    monkeypatch.setattr(calendars, "today", lambda: dt.date(2026, 12, 4))


def _deadline(page, live_server) -> str:
    page.goto(f"{live_server.url}/calendar/2027/")
    page.get_by_label("起算日").fill("2027-02-18")
    page.get_by_label("期间（天）").fill("3")
    page.get_by_label("计算方式").select_option("working")
    page.get_by_role("button", name="计算").click()
    return page.locator("[data-deadline]").get_attribute("data-deadline")


def test_the_guidance_office_enters_a_make_up_day_and_the_deadline_moves(desktop, live_server, world):
    page = desktop
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill("guidance")
    page.get_by_label("密码").fill("correct-horse-battery")
    page.get_by_role("button", name=re.compile("登录")).click()
    page.wait_for_url(f"{live_server.url}/")

    warning = page.locator('[data-calendar-warning="2027"]')
    assert "2027年的节假日安排尚未录入" in warning.inner_text()
    screenshot(page, "calendar-warning")

    assert _deadline(page, live_server) == "2027-02-23"
    assert page.locator('tr[data-day="2027-02-20"]').count() == 0  # a plain Saturday so far

    form = page.locator("#day form")
    form.get_by_label("日期").fill("2027-02-20")
    form.get_by_label("安排").select_option("work")
    form.get_by_label("说明").fill("春节调休上班")
    form.get_by_role("button", name="保存").click()
    page.wait_for_selector("text=已录入：2027-02-20 上班 春节调休上班")
    row = page.locator('tr[data-day="2027-02-20"]')
    assert row.get_attribute("data-workday") == "1" and "录入" in row.inner_text()
    assert page.locator("[data-calendar-warning]").count() == 0  # the notice is being entered
    screenshot(page, "calendar-entered")

    assert _deadline(page, live_server) == "2027-02-22"
    screenshot(page, "calendar-deadline")
    assert HolidayOverride.objects.get(date=dt.date(2027, 2, 20)).is_workday
    event = AuditEvent.objects.get(action="calendar.set_day")
    assert event.actor_name == "guidance" and event.before is None and event.after["is_workday"] is True
