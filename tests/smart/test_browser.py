"""Smart enforcement in Chromium, on a PC (1366 px) and a phone (390×844): a camera's event becomes a
case source and then a case, and the party is told in its space; a "一件事" theme is planned, run
and reported."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.utils import timezone
from pypdf import PdfReader

from tests.browsing import screenshot
from tests.smart.conftest import payload, push
from zhifa.cases import services as case_services
from zhifa.cases.models import Case, Evidence
from zhifa.partyspace import otp
from zhifa.smart.models import Campaign, CampaignTask, DeviceEvent

pytestmark = pytest.mark.browser

SIZES = {"pc": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


def _page(browser, size):
    context = browser.new_context(
        viewport=SIZES[size],
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        device_scale_factor=2 if size == "phone" else 1,
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def _fits(page, size) -> bool:
    """Nothing wider than a phone. (At PC width the staff top bar, shared by every app, is not
    measured here.)"""
    return size != "phone" or page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"]


def sign_in(page, url, username):
    page.goto(f"{url}/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill("correct-horse-battery")
    page.get_by_role("button", name="登录", exact=True).click()
    page.wait_for_url(f"{url}/")


@pytest.fixture
def console_codes(settings):
    settings.ZHIFA_OTP_SENDER = "zhifa.partyspace.otp.ConsoleSender"
    otp.OUTBOX.clear()


@pytest.mark.parametrize("size", ["pc", "phone"])
def test_a_camera_event_becomes_a_case_and_the_party_is_told(
    transactional_db, live_server, browser, client, sw, console_codes, size
):
    response = push(client, sw, payload(sw))
    assert response.status_code == 201
    event = DeviceEvent.objects.get()
    url = live_server.url
    context, page = _page(browser, size)
    try:
        sign_in(page, url, "officer_a")
        page.goto(f"{url}/smart/events/")
        screenshot(page, f"smart-{size}-events")
        assert _fits(page, size)
        page.get_by_role("link", name=re.compile("店外占道经营")).click()
        assert page.get_by_text("浙计检2026-0001").first.is_visible()
        screenshot(page, f"smart-{size}-event")
        page.get_by_label("办案执法人员（两名以上，第一名为主办）").select_option(
            [str(sw.cw.world.officer_a.pk), str(sw.cw.second.pk)]
        )
        page.get_by_role("button", name="立为案源并登记案件").click()
        page.wait_for_url(re.compile(r"/cases/\d+/$"))
        assert page.get_by_text(re.compile("已立为案源，登记案件")).is_visible()
        screenshot(page, f"smart-{size}-case")
    finally:
        context.close()
    event.refresh_from_db()
    case = event.case
    assert event.status == "accepted" and case.party == sw.cw.firm
    assert Evidence.objects.filter(case=case, sha256=event.evidence.get().sha256).exists()
    # then a case: the head files it (行政处罚法第五十四条)
    case_services.transition(sw.cw.head, case.pk, "file", {"filing_date": timezone.localdate()})
    assert Case.objects.get(pk=case.pk).state == "filed"

    # the party sees the non-site record and its evidence in its space (第四十一条第三款)
    sw.cw.firm.phone = "13800571234"
    sw.cw.firm.save(update_fields=["phone"])
    context, page = _page(browser, size)
    try:
        page.goto(f"{url}/party/")
        page.get_by_label("统一社会信用代码或公民身份号码").fill(sw.cw.firm.uscc)
        page.get_by_role("button", name="获取验证码").click()
        page.get_by_label("验证码（6位数字）").fill(otp.OUTBOX[-1]["code"])
        page.get_by_role("button", name="登录", exact=True).click()
        page.wait_for_url(re.compile(r"/party/home/$"))
        assert page.get_by_text("非现场执法：电子技术监控设备记录了您的违法行为").is_visible()
        page.get_by_role("button", name="查看").first.click()
        assert page.get_by_text("非现场执法记录").is_visible()
        assert page.get_by_role("link", name="frame-1.jpg").is_visible()
        assert _fits(page, size)
        screenshot(page, f"smart-{size}-party-told")
    finally:
        context.close()


@pytest.mark.parametrize("size", ["pc", "phone"])
def test_a_theme_is_planned_run_and_reported(transactional_db, live_server, browser, sw, size):
    firm = sw.cw.firm
    firm.industry = "catering"
    firm.save(update_fields=["industry"])
    url = live_server.url
    today = timezone.localdate()
    context, page = _page(browser, size)
    try:
        sign_in(page, url, "guidance")
        page.goto(f"{url}/smart/campaigns/")
        page.get_by_text("新建行动").click()
        page.get_by_label("类型").select_option("theme")
        page.get_by_label("名称").fill("餐饮店“一件事”联合检查")
        page.get_by_label("牵头单位").select_option(str(sw.cw.world.guidance.pk))
        page.get_by_label("开始日期").fill(today.isoformat())
        page.get_by_label("结束日期").fill((today + dt.timedelta(days=30)).isoformat())
        page.get_by_label("检查事项").select_option([str(sw.inspection.pk)])
        page.get_by_label("参与部门").select_option([str(sw.cw.world.team_a.pk), str(sw.cw.world.bureau.pk)])
        page.get_by_label("乡镇（街道）（不选为全区）").select_option([str(sw.cw.world.shangfang.pk)])
        page.get_by_label("检查对象行业").select_option(["catering"])
        page.get_by_label("目标与内容").fill("消防、食品、环境、招牌进一次门查清")
        page.get_by_role("button", name="创建").click()
        page.get_by_role("button", name="生成计划和任务").click()
        assert page.get_by_text(re.compile("已生成2个部门的计划、2项任务")).is_visible()
        assert _fits(page, size)
        screenshot(page, f"smart-{size}-campaign-planned")
        campaign = Campaign.objects.get()

        # the township officer records his body's result from the field
        sign_in(page, url, "officer_a")
        page.goto(f"{url}/smart/campaigns/{campaign.pk}/")
        task = CampaignTask.objects.get(campaign=campaign, organization=sw.cw.world.team_a)
        card = page.locator(f"#task-{task.pk}")
        card.get_by_label("检查结果").select_option("rectification")
        card.get_by_label("检查情况").fill("灭火器压力不足，责令三日内更换")
        card.get_by_role("button", name="填报").click()
        assert page.get_by_text(re.compile("已填报")).is_visible()
        assert page.locator("[data-figure=done]").get_attribute("data-value") == "1"
        screenshot(page, f"smart-{size}-campaign-running")

        # the lead closes it with the final report
        sign_in(page, url, "guidance")
        page.goto(f"{url}/smart/campaigns/{campaign.pk}/")
        page.get_by_label("总结").fill("完成餐饮店联合检查，发现问题1处，已责令整改。")
        page.get_by_role("button", name="结束行动并生成总结报告").click()
        assert page.get_by_text("行动已总结，总结报告已生成").is_visible()
        report = page.request.get(f"{url}/smart/campaigns/{campaign.pk}/report.pdf")
        assert report.headers["content-type"] == "application/pdf"
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(report.body())).pages)
        assert "总结报告" in text and "发现问题1处" in text
        screenshot(page, f"smart-{size}-campaign-reported")
    finally:
        context.close()
    assert Campaign.objects.get().state == "closed"
