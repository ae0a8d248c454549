"""A plan created, drawn and published in Chromium by the department's administrator; its tasks on
the drawn inspector's phone (390×844), who records one. Screenshots: test-artifacts/plan-*.png."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from tests.conftest import new_user
from zhifa.inspections.models import InspectionPlan, InspectionRecord
from zhifa.organizations.models import User

pytestmark = pytest.mark.browser

PHONE_390 = {"width": 390, "height": 844}


def _log_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill("correct-horse-battery")
    page.get_by_role("button", name=re.compile("登录")).click()
    page.wait_for_url(f"{live_server.url}/")


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE_390["width"]


def test_plan_drawn_and_its_tasks_on_the_inspectors_phone(
    transactional_db, live_server, world, insp, desktop, browser
):
    from tests.browsing import screenshot

    today = timezone.localdate()
    page = desktop
    _log_in(page, live_server, "bureau_admin")
    page.goto(f"{live_server.url}/inspections/plans/")
    page.get_by_role("link", name="制定月度计划").click()
    page.get_by_label("执法部门").select_option(str(world.bureau.pk))
    page.get_by_label("计划名称").fill("本月燃气安全双随机抽查")
    page.get_by_label("计划开始").fill(str(today))
    page.get_by_label("计划结束").fill(str(today + dt.timedelta(days=25)))
    page.get_by_label(re.compile("I1 对燃气经营者安全生产的行政检查")).check()
    page.get_by_label("红色抽查比例（%）").fill("100")
    for color in ("黄色", "蓝色", "绿色"):
        page.get_by_label(f"{color}抽查比例（%）").fill("0")
    page.get_by_role("button", name="制定并公布计划").click()
    page.wait_for_url(re.compile(r"/inspections/plans/\d+/$"))
    plan = InspectionPlan.objects.get(name="本月燃气安全双随机抽查")
    assert plan.draw_commitment in page.content() and plan.draw_nonce not in page.content()
    page.get_by_role("button", name="开始抽取").click()
    page.wait_for_selector("text=复算一致")
    page.get_by_role("button", name="公示抽取结果").click()
    page.wait_for_selector("text=抽取结果已公示")
    screenshot(page, "plan-drawn")
    plan.refresh_from_db()
    draw = plan.draw
    assert draw.draw_day == today and set(draw.result["parties"]) == {
        insp.parties.red_a.pk,
        insp.parties.red_b.pk,
        insp.parties.red_x.pk,
    }

    # The public sees the commitment, the revealed secret and the inputs.
    page.goto(f"{live_server.url}/inspections/public/draw/{plan.pk}/")
    assert "SHA-256 与承诺一致" in page.content() and "按公示输入复算一致" in page.content()

    # The drawn inspector opens his phone.
    officer_id = draw.result["officers"][str(insp.parties.red_a.pk)][0]
    officer = next(o for o in insp.gas if o.pk == officer_id)
    user = (
        insp.gas_user
        if insp.gas_user.officer_id == officer.pk
        else new_user("drawn_gas", world.bureau, User.Role.OFFICER, officer)
    )
    context = browser.new_context(
        viewport=PHONE_390, locale="zh-CN", timezone_id="Asia/Shanghai", device_scale_factor=2
    )
    phone = context.new_page()
    phone.set_default_timeout(10_000)
    try:
        _log_in(phone, live_server, user.username)
        phone.goto(f"{live_server.url}/inspections/mine/")
        tasks = phone.locator("li.my-task")
        assert tasks.count() >= 1 and "上方红一" in phone.locator(".my-work").last.inner_text()
        assert _fits(phone)
        screenshot(phone, "plan-tasks-on-phone")
        tasks.filter(has_text="上方红一").get_by_role("link", name="填写记录").click()
        phone.wait_for_url(re.compile(r"/inspections/tasks/\d+/record/$"))
        phone.get_by_text("符合").first.click()
        started = timezone.localtime().replace(second=0, microsecond=0) - dt.timedelta(hours=1)
        phone.get_by_label("开始时间").fill(started.strftime("%Y-%m-%dT%H:%M"))
        phone.get_by_label("结束时间").fill((started + dt.timedelta(minutes=40)).strftime("%Y-%m-%dT%H:%M"))
        phone.get_by_label("检查情况").fill("气瓶均在检验有效期内")
        assert _fits(phone)
        screenshot(phone, "plan-record-on-phone")
        phone.get_by_role("button", name="保存检查记录").click()
        phone.wait_for_url(re.compile(r"/inspections/records/\d+/$"))
        record = InspectionRecord.objects.get()
        assert record.party == insp.parties.red_a and record.task.plan == plan and record.substitutes == []
        assert sorted(o.pk for o in record.officers.all()) == sorted(
            draw.result["officers"][str(insp.parties.red_a.pk)]
        )
    finally:
        context.close()
