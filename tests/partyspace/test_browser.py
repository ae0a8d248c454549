"""The party's journey in Chromium, on a PC (1366 px) and a phone (390×844): an enterprise signs in
with a one-time code, accepts electronic service, receives the 告知书 in its space, files a statement
with evidence, requests a hearing, attends it online and signs the record, receives the decision
and pays through the test payment channel. The officer takes each request up on his desk.

The hearing is at least seven working days after its notice (行政处罚法第六十四条第二项): the journey
moves the platform's clock forward (``clock``), and both sign in again, as days later in life."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from tests.browsing import screenshot
from tests.conftest import new_officer
from tests.partyspace.conftest import hearing_day, jpeg, last_code, legal_review_passed, notified_case
from zhifa.cases import services as case_services
from zhifa.cases.models import Case, CaseEvent, Payment
from zhifa.partyspace.models import Delivery, HearingSession

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


_visits = iter(range(1, 10_000))


def visit(page, address: str) -> None:
    """Load ``address`` afresh: a link differing only by its #fragment would not reload the page."""
    path, _, fragment = address.partition("#")
    page.goto(f"{path}{'&' if '?' in path else '?'}v={next(_visits)}" + (f"#{fragment}" if fragment else ""))


def _fits(page, size) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"]


def party_signs_in(page, url, ps):
    page.goto(f"{url}/party/")
    page.get_by_label("企业、个体工商户").check()
    page.get_by_label("统一社会信用代码或公民身份号码").fill(ps.firm.uscc)
    page.get_by_role("button", name="获取验证码").click()
    page.get_by_label("验证码（6位数字）").fill(last_code(ps))
    page.get_by_role("button", name="登录", exact=True).click()
    page.wait_for_url(re.compile(r"/party/home/$"))


def officer_signs_in(page, url, username="officer_a"):
    page.goto(f"{url}/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill("correct-horse-battery")
    page.get_by_role("button", name="登录", exact=True).click()
    page.wait_for_url(f"{url}/")


@pytest.mark.parametrize("size", ["pc", "phone"])
def test_enterprise_takes_part_online_from_notice_to_payment(
    transactional_db, live_server, browser, ps, clock, size
):
    url = live_server.url
    case = notified_case(ps, fine="6000")
    host = new_officer(ps.cw.world.team_a, name="听证主持人")
    party_context, party = _page(browser, size)
    office_context, office = _page(browser, "pc")
    try:
        # 1. The enterprise signs in with the code sent to its registered phone.
        party_signs_in(party, url, ps)
        assert party.get_by_role("heading", name=ps.firm.name).is_visible()
        assert _fits(party, size)
        screenshot(party, f"party-{size}-1-home")

        # 2. It signs the confirmation to be served electronically (第六十一条第二款).
        party.get_by_role("link", name="电子送达").first.click()
        party.get_by_label("签署人姓名（法定代表人、经营者或委托的人）").fill("王经理")
        party.get_by_label("我已阅读并同意以上电子送达确认书").check()
        party.get_by_role("button", name="签署确认书").click()
        assert party.get_by_text("已同意电子送达").first.is_visible()
        screenshot(party, f"party-{size}-2-consent")

        # 3. The officer issues the 告知书 and serves it: it lands in the space.
        officer_signs_in(office, url)
        visit(office, f"{url}/party/desk/cases/{case.pk}/")
        office.get_by_label("出具并送达").select_option("notice")
        office.get_by_role("button", name="出具并送达").click()
        assert office.get_by_text("电子送达（当事人空间）").first.is_visible()

        visit(party, f"{url}/party/home/")
        party.get_by_role("link", name=re.compile("行政处罚事先告知书")).first.click()
        assert party.get_by_text("首次阅读").first.is_visible()
        notice = Delivery.objects.get(case=case, document__kind="notice")
        assert notice.first_read_at is not None  # the proof of service: delivered and read
        assert (
            party.request.get(f"{url}/party/home/documents/{notice.pk}/pdf/").headers["content-type"]
            == "application/pdf"
        )
        screenshot(party, f"party-{size}-3-notice")

        # 4. Statement and defence with evidence (第四十五条).
        visit(party, f"{url}/party/home/cases/{case.pk}/")
        party.get_by_label("陈述、申辩内容").fill("当日系临时卸货，十分钟内已清理完毕，请从轻处理。")
        party.set_input_files(
            "#files", files=[{"name": "现场照片.jpg", "mimeType": "image/jpeg", "buffer": jpeg(4000)}]
        )
        party.get_by_label("以上内容由本人（本单位）提交，真实有效").check()
        party.get_by_role("button", name="提交陈述、申辩").click()
        # A form with files is sent in the background; the server's answer appears in place.
        party.get_by_text("您的陈述、申辩已提交").first.wait_for(timeout=30_000)
        visit(party, f"{url}/party/home/cases/{case.pk}/")
        assert CaseEvent.objects.filter(
            case=case, action="record_defence", note__contains="现场照片.jpg"
        ).exists()

        # 5. A hearing request within five working days (第六十四条第一项).
        party.get_by_label("本人（本单位）要求举行听证").check()
        party.get_by_role("button", name="申请听证", exact=True).click()
        assert party.get_by_text("您的听证申请已提交").is_visible()
        assert _fits(party, size)
        screenshot(party, f"party-{size}-4-statement-and-hearing-request")

        # 6. The officer registers it in one click and notifies the hearing with its meeting link.
        office.goto(f"{url}/party/desk/")
        office.get_by_role("button", name="登记听证申请").click()
        assert Case.objects.get(pk=case.pk).state == "hearing"
        visit(office, f"{url}/party/desk/cases/{case.pk}/")
        day = hearing_day()
        office.get_by_label("听证日期").fill(day.isoformat())
        office.get_by_label("开始时间").fill("09:30")
        office.get_by_label("听证主持人（非本案调查人员）").select_option(str(host.pk))
        office.get_by_label("在线会议链接").fill("https://meeting.example.cn/hearing/2026-17")
        office.get_by_role("button", name="通知听证并送达听证通知书").click()
        assert office.get_by_text("已通知听证并送达听证通知书").is_visible()
        visit(party, f"{url}/party/home/cases/{case.pk}/#hearing")
        screenshot(party, f"party-{size}-5-hearing-notice")
        assert party.get_by_text("https://meeting.example.cn/hearing/2026-17").is_visible()
        assert party.get_by_text("听证通知书").first.is_visible()
        screenshot(party, f"party-{size}-5-hearing-notice")

        # 7. The hearing day: the enterprise enters the online hearing (attendance recorded).
        clock.travel_to(day, dt.time(9, 15))
        party_signs_in(party, url, ps)
        visit(party, f"{url}/party/home/cases/{case.pk}/")
        party.get_by_role("button", name="进入在线听证").click()
        assert party.get_by_text("已记录您于").is_visible()
        screenshot(party, f"party-{size}-6-hearing-room")

        # 8. The host records the hearing; the enterprise checks the record and signs it.
        clock.travel_to(day, dt.time(11, 0))
        officer_signs_in(office, url)
        visit(office, f"{url}/party/desk/cases/{case.pk}/")
        office.get_by_text("举行听证，制作笔录").click()
        assert not office.get_by_label("当事人无正当理由未出席（视为放弃听证）").is_checked()
        office.get_by_label("听证笔录").fill("调查人员出示照片；当事人申辩系临时卸货并已清理。")
        office.get_by_role("button", name="记录听证").click()
        assert Case.objects.get(pk=case.pk).state == "heard"
        visit(party, f"{url}/party/home/cases/{case.pk}/#hearing")
        party.get_by_role("button", name="核对无误，签名确认").click()
        assert party.get_by_text("当事人已签名").is_visible()
        assert HearingSession.objects.get(case=case).signature_state == "signed"

        # 9. The officers check the defence, the reviewer reviews, the head decides (cases services);
        #    the officer serves the decision into the space.
        case_services.review_defence(ps.cw.user, case.pk, {"opinion": "当事人所述属实，予以从轻"})
        legal_review_passed(ps, case, day)
        case_services.transition(
            ps.cw.head,
            case.pk,
            "decide",
            {"decision_date": day, "penalties_decided": [{"kind": "fine", "amount": "3000"}]},
        )
        visit(office, f"{url}/party/desk/cases/{case.pk}/")
        office.get_by_label("出具并送达").select_option("decision")
        office.get_by_role("button", name="出具并送达").click()
        assert Case.objects.get(pk=case.pk).state == "served"

        # 10. The enterprise reads the decision and pays through the test channel (第六十七条).
        visit(party, f"{url}/party/home/documents/")
        party.get_by_role("link", name=re.compile("行政处罚决定书")).click()
        visit(party, f"{url}/party/home/cases/{case.pk}/#payment")
        assert party.locator("[data-figure=outstanding]").get_attribute("data-value") == "3000.00"
        screenshot(party, f"party-{size}-7-payment-notice")
        party.get_by_role("button", name="在线缴纳 3000.00 元").click()
        party.get_by_role("button", name="确认支付 3000.00 元").click()
        assert party.get_by_text("缴款成功：3000.00元").is_visible()
        assert _fits(party, size)
        screenshot(party, f"party-{size}-8-paid")
    finally:
        party_context.close()
        office_context.close()
    payment = Payment.objects.get(case=case)
    assert (payment.channel, payment.amount) == ("electronic", 3000)
    assert Case.objects.get(pk=case.pk).state == "paid"
    assert timezone.localdate() == day
