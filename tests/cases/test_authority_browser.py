"""Journeys of the acts of authority in a real Chromium, each step by its holder (行政处罚法第五十七条、
第五十八条): the officer submits a case for legal review, the legal reviewer takes it from his queue,
checks the list and writes his opinion, the officer asks for the decision, the head approves it from
his inbox — on a desktop and on a phone."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tests.browsing import PHONE, screenshot
from tests.cases.test_browser import _in_a_thread
from zhifa.cases import services
from zhifa.cases.models import Case, LegalReview

pytestmark = pytest.mark.browser
PASSWORD = "correct-horse-battery"
DESKTOP = {"width": 1366, "height": 900}


def _recent_notified_case(cw) -> Case:
    """A case notified 20 days ago: the statement and hearing periods have run (第四十五条、第六十四条)."""
    today = dt.date.today()
    case = services.open_case(
        cw.user,
        {
            "party": cw.firm,
            "item": cw.item,
            "act_date": today - dt.timedelta(days=45),
            "summary": "占道经营",
            "discovery_date": today - dt.timedelta(days=40),
            "officers": [cw.world.officer_a, cw.second],
        },
    )
    services.transition(cw.head, case.pk, "file", {"filing_date": today - dt.timedelta(days=38)})
    services.transition(cw.user, case.pk, "start_investigation", {"as_of": today - dt.timedelta(days=37)})
    services.transition(
        cw.user,
        case.pk,
        "notify",
        {
            "notice_date": today - dt.timedelta(days=20),
            "facts_clear": True,
            "penalties_intended": [{"kind": "fine", "amount": "5000"}],
        },
    )
    return case


def _login(page, url, username):
    page.goto(f"{url}/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("登录")).click()
    page.wait_for_url(re.compile(r".*/$"))


def _logout(page, url):
    page.context.clear_cookies()


def _fits(page, width) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_review_then_head_decides(transactional_db, live_server, cw, viewport):
    case = _recent_notified_case(cw)
    url, name = live_server.url, "phone" if viewport == PHONE else "desktop"

    def journey(page):
        page.set_viewport_size(viewport)
        # the officer submits the case for legal review from the case page
        _login(page, url, "officer_a")
        page.goto(f"{url}/cases/{case.pk}/")
        page.locator("#step-submit_legal_review summary").click()
        page.locator("#step-submit_legal_review").get_by_role("button", name="提交法制审核").click()
        page.get_by_text("已提交法制审核").first.wait_for()
        _logout(page, url)

        # the reviewer takes it from his queue, checks the list, writes his opinion
        _login(page, url, "legal_a")
        page.goto(f"{url}/cases/reviews/")
        assert page.get_by_role("link", name=case.number).is_visible()
        assert _fits(page, viewport["width"])
        screenshot(page, f"review-queue-{name}")
        page.get_by_role("button", name="认领").click()
        page.get_by_text("已承办该审核").first.wait_for()
        page.get_by_label("审核结果").select_option("passed")
        page.get_by_role("button", name="提交审核意见").click()  # no opinion, no checklist: refused, kept
        page.get_by_text("审核要点").first.wait_for()
        assert page.locator(".field__error, .message--error").first.is_visible()
        for label in (
            "执法主体与职权",
            "执法人员资格",
            "事实",
            "证据",
            "程序",
            "法律依据与裁量基准",
            "文书",
            "是否涉嫌犯罪应当移送",
        ):
            page.get_by_label(label, exact=True).check()
        page.get_by_label("审核意见").fill("事实清楚，证据确凿，程序合法，适用依据正确，裁量适当")
        screenshot(page, f"review-opinion-{name}")
        page.get_by_role("button", name="提交审核意见").click()
        page.get_by_text("审核意见已提交：通过").first.wait_for()
        _logout(page, url)

        # the officer asks the head for the decision
        _login(page, url, "officer_a")
        page.goto(f"{url}/cases/{case.pk}/")
        page.locator("#step-request-decision summary").click()
        page.locator("#step-request-decision").get_by_label("提请理由").fill("法制审核已通过，拟罚款5000元")
        page.locator("#step-request-decision").get_by_role("button", name="提请行政处罚决定审批").click()
        page.get_by_text("已提请行政处罚决定审批").first.wait_for()
        _logout(page, url)

        # the head approves from his inbox, seeing the reviewer's opinion
        _login(page, url, "head_a")
        page.goto(f"{url}/cases/approvals/")
        card = page.locator("article.approval").first
        assert "行政处罚决定审批" in card.inner_text() and "事实清楚" in card.inner_text()
        assert _fits(page, viewport["width"])
        screenshot(page, f"head-inbox-{name}")
        card.get_by_label("审批意见").fill("同意")
        card.get_by_role("button", name="批准").click()
        page.get_by_text("已批准：行政处罚决定审批").first.wait_for()

    _in_a_thread(journey)
    case.refresh_from_db()
    assert case.state == "decided" and case.decided_fine == 5000
    review = LegalReview.objects.get(case=case)
    assert review.result == "passed" and review.reviewer == cw.reviewer
    assert case.approvals.get(kind="decision").decided_by == cw.head
