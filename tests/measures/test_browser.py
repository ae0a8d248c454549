"""Browser journeys in Chromium, each step by its role: a seizure with one extension and its release
(the officer asks on the desktop, the head approves in /cases/approvals/, the officer carries out,
notifies and releases on a 390×844 phone); a criminal referral accepted; a criminal referral refused
and the case continued administratively. Screenshots go to test-artifacts/measures-*.png."""

from __future__ import annotations

import re

import pytest

from tests.browsing import screenshot
from tests.measures.conftest import investigating
from zhifa.measures.models import CriminalReferral, Seizure

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
PASSWORD = "correct-horse-battery"


def _page(browser, viewport):
    context = browser.new_context(viewport=viewport, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def _log_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("登录")).click()
    page.wait_for_url(lambda url: "/login/" not in url)


def _fits(page) -> bool:
    """No sideways scrolling, and every visible button and field at least 44 px high (WCAG 2.5.5)."""
    small = page.evaluate("""() => [...document.querySelectorAll(
        'main button, main .button, main input:not([type=hidden]):not([type=checkbox]):not([type=radio]), main select, main textarea')]
        .filter(e => e.offsetParent !== null && e.getBoundingClientRect().height < 44)
        .map(e => e.outerHTML.slice(0, 80))""")
    assert small == [], small
    return page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def _form(page, step: str, within: str | None = None):
    """The form of a step (opening its <details> when closed)."""
    scope = page.locator(within) if within else page
    form = scope.locator(f'form[data-step="{step}"]').first
    details = form.locator("xpath=ancestor::details[1]")
    if details.get_attribute("open") is None:
        details.locator("summary").first.click()
    return form


def _fill(form, **fields) -> None:
    for name, value in fields.items():
        control = form.locator(f'[name$="-{name}"]')
        tag = control.first.evaluate("e => e.tagName + ':' + (e.type || '')")
        if tag.startswith("SELECT"):
            control.select_option(value)
        elif tag.endswith(":checkbox"):
            for box in control.all()[: int(value)]:
                box.check()
        else:
            control.fill(value)


def _submit(page, form, expect: str) -> None:
    form.locator('button[type="submit"]').click()
    page.wait_for_load_state()
    assert page.get_by_text(expect).first.is_visible(), page.locator(".messages").inner_text()


def _approve(browser, live_server, head: str, kind_label: str, case_number: str) -> None:
    """The head approves in the existing approvals inbox."""
    page = _page(browser, {"width": 1366, "height": 900})
    _log_in(page, live_server, head)
    page.goto(f"{live_server.url}/cases/approvals/")
    card = page.locator("article.approval").filter(has_text=kind_label).filter(has_text=case_number).first
    card.locator("textarea").fill("同意")
    screenshot(page, f"measures-inbox-{kind_label}")
    card.get_by_role("button", name="批准").click()
    page.wait_for_load_state()
    assert page.get_by_text(f"已批准：{kind_label}").first.is_visible(), page.locator(
        ".messages"
    ).inner_text()
    page.context.close()


def test_seizure_with_one_extension_and_release(transactional_db, live_server, browser, cw):
    case = investigating(cw)
    # the officer asks on the desktop
    desk = _page(browser, {"width": 1366, "height": 900})
    _log_in(desk, live_server, "officer_a")
    desk.goto(f"{live_server.url}/cases/{case.pk}/")
    desk.locator("[data-measures-panel] a.button").click()
    desk.wait_for_url(re.compile(rf"/measures/cases/{case.pk}/"))
    form = _form(desk, "seizure")
    _fill(
        form,
        kind="seize",
        items="过期冻品 200 公斤\n冷藏柜，1，台，白色",
        place="上方镇某某路12号冷库",
        reason="涉嫌经营超过保质期的食品",
        legal_basis="《中华人民共和国食品安全法》第一百一十条第四项",
        period_days="30",
    )
    _submit(desk, form, "已提请查封、扣押")
    screenshot(desk, "measures-seizure-requested")
    desk.context.close()
    seizure = Seizure.objects.get(case=case)

    _approve(browser, live_server, "head_a", "查封扣押审批", case.number)

    # the officer's steps on the phone
    phone = _page(browser, PHONE)
    _log_in(phone, live_server, "officer_a")
    phone.goto(f"{live_server.url}/measures/cases/{case.pk}/")
    section = f"#seizure-{seizure.pk}"
    assert _fits(phone)
    form = _form(phone, "execute", section)
    _fill(
        form, officer_ids="2", record="当事人到场，清点扣押，笔录经当事人签名", statement="当事人称不知已过期"
    )
    screenshot(phone, "measures-seizure-execute-phone")
    _submit(phone, form, "已实施并送达决定书和清单")
    assert phone.locator(section).get_by_text("扣字〔").first.is_visible() and _fits(phone)
    form = _form(phone, "extension", section)
    _fill(form, days="30", reason="检验机构尚未出具检验报告，案情复杂")
    _submit(phone, form, "已提请延长期限")

    _approve(browser, live_server, "head_a", "查封扣押延期审批", case.number)

    phone.goto(f"{live_server.url}/measures/cases/{case.pk}/")
    form = _form(phone, "notice", section)
    _submit(phone, form, "已送达延长期限通知书")
    assert phone.locator(section).get_by_text("强延字〔").first.is_visible()
    form = _form(phone, "end", section)
    _fill(form, end_kind="release", ground="unrelated", note="检验合格，退还")
    screenshot(phone, "measures-seizure-release-phone")
    _submit(phone, form, "已解除、没收或者移送")
    assert phone.locator(f'{section}[data-stage="ended"]').is_visible() and _fits(phone)
    screenshot(phone, "measures-seizure-released-phone")
    phone.context.close()
    seizure.refresh_from_db()
    assert (seizure.extension_days, seizure.end_kind, seizure.ground) == (30, "release", "unrelated")
    assert seizure.extension_notice_on and seizure.end_document


def _refer(browser, live_server, cw, case) -> CriminalReferral:
    """Officer: team and report; the head approves the referral in the inbox; officer: transfer and receipt."""
    desk = _page(browser, {"width": 1366, "height": 900})
    _log_in(desk, live_server, "officer_a")
    desk.goto(f"{live_server.url}/measures/cases/{case.pk}/")
    form = _form(desk, "referral")
    _fill(form, team_ids="2", suspected_crime="涉嫌生产、销售不符合安全标准的食品罪")
    _submit(desk, form, "已发现涉嫌犯罪：指定专案组")
    referral = CriminalReferral.objects.get(case=case)
    section = f"#referral-{referral.pk}"
    form = _form(desk, "report", section)
    _fill(form, report="经核实，涉案冻品经检验致病菌超标，已达立案追诉标准")
    _submit(desk, form, "已提交书面报告")
    assert desk.locator("[data-referral-pending]").is_visible()
    desk.context.close()

    # the head sees on the case page that no decision may replace the referral, then approves it
    head = _page(browser, {"width": 1366, "height": 900})
    _log_in(head, live_server, "head_a")
    head.goto(f"{live_server.url}/cases/{case.pk}/")
    assert head.locator("[data-referral-pending]").get_by_text("不得以行政处罚代替移送").is_visible()
    screenshot(head, "measures-referral-head-case-page")
    head.context.close()
    _approve(browser, live_server, "head_a", "移送涉嫌犯罪案件审批", case.number)

    desk = _page(browser, {"width": 1366, "height": 900})
    _log_in(desk, live_server, "officer_a")
    desk.goto(f"{live_server.url}/measures/cases/{case.pk}/")
    form = _form(desk, "transfer", section)
    _fill(form, police_body="衢州市公安局衢江分局", materials="2")
    _submit(desk, form, "已向公安机关移送")
    assert desk.locator(section).get_by_text("刑移字〔").first.is_visible()
    form = _form(desk, "receipt", section)
    _fill(form, receipt_signed_by="经侦大队 王某")
    _submit(desk, form, "已登记公安机关签收回执")
    return desk, section, referral


def test_criminal_referral_accepted(transactional_db, live_server, browser, cw):
    case = investigating(cw)
    desk, section, referral = _refer(browser, live_server, cw, case)
    form = _form(desk, "answer", section)
    _fill(form, accepted="true", answer_number="衢江公（刑）立字〔2026〕15号")
    _submit(desk, form, "已登记公安机关立案或不予立案")
    form = _form(desk, "handover", section)
    _fill(form, materials="案卷一宗，冻品200公斤")
    _submit(desk, form, "已登记移交涉案物品和材料")
    assert desk.locator(f'{section}[data-stage="handed_over"]').is_visible()
    screenshot(desk, "measures-referral-accepted")
    desk.context.close()
    referral.refresh_from_db()
    assert referral.answer == "accepted" and referral.handed_over_on and referral.case.state == "referred"


def test_criminal_referral_refused_then_continued_administratively(
    transactional_db, live_server, browser, cw
):
    case = investigating(cw)
    desk, section, referral = _refer(browser, live_server, cw, case)
    form = _form(desk, "answer", section)
    _fill(
        form,
        accepted="false",
        answer_number="衢江公（刑）不立字〔2026〕3号",
        reasons="货值未达到立案追诉标准",
    )
    _submit(desk, form, "已登记公安机关立案或不予立案")
    assert desk.locator(f'{section}[data-stage="refused"]').is_visible()
    form = _form(desk, "resume", section)
    _submit(desk, form, "已转回行政处理")
    assert desk.locator(f'{section}[data-stage="resumed"]').is_visible()
    assert desk.locator("[data-referral-pending]").count() == 0
    screenshot(desk, "measures-referral-resumed")
    desk.goto(f"{live_server.url}/cases/{case.pk}/")
    assert desk.locator(".page-title .badge").inner_text() == "调查取证"
    desk.context.close()
    case.refresh_from_db()
    assert case.state == "investigating"
