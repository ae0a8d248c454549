"""The general procedure finished in a real Chromium, every step by its proper role, at desktop and
at phone size (390×844): 立案审批 → 调查 → 告知 → 听证（申请、通知、举行）→ 法制审核 → 集体讨论 → 决定 →
送达 → 部分缴纳 → 暂缓缴纳 → 缴清 → 结案 → 归档 → 案卷 PDF; and the shorter paths: 不予立案, 不予处罚
with education, 移送管辖, and a reconsideration that revokes the decision."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tests.browsing import screenshot
from tests.cases.test_browser import _in_a_thread
from tests.conftest import new_officer
from zhifa.cases import services
from zhifa.cases.models import Case, Document

pytestmark = pytest.mark.browser
PASSWORD = "correct-horse-battery"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
CHECKLIST = (
    "执法主体与职权",
    "执法人员资格",
    "事实",
    "证据",
    "程序",
    "法律依据与裁量基准",
    "文书",
    "是否涉嫌犯罪应当移送",
)


class Desk:
    """Drives the pages as one user after another."""

    def __init__(self, page, url):
        self.page, self.url = page, url

    def login(self, username: str) -> Desk:
        self.page.context.clear_cookies()
        self.page.goto(f"{self.url}/login/")
        self.page.get_by_label("用户名").fill(username)
        self.page.get_by_label("密码").fill(PASSWORD)
        self.page.get_by_role("button", name=re.compile("登录")).click()
        self.page.wait_for_url(re.compile(r".*/$"))
        return self

    def case(self, case: Case) -> Desk:
        self.page.goto(f"{self.url}/cases/{case.pk}/")
        return self

    def step(self, name: str, fields: dict | None = None, *, upload: str | None = None) -> Desk:
        """Open a step of the case page, fill it (a key starting with ``@`` is a field name), submit."""
        box = self.page.locator(f"#step-{name}")
        if not box.evaluate("e => e.open"):
            box.locator("summary").click()
        for key, value in (fields or {}).items():
            if isinstance(value, list):  # checkboxes of a multiple choice, by value
                for item in value:
                    box.locator(f'input[name="{name}-{key[1:]}"][value="{item}"]').check()
                continue
            field = (
                box.locator(f'[name="{name}-{key[1:]}"]')
                if key.startswith("@")
                else box.get_by_label(
                    re.compile(rf"^{re.escape(key)}\s*\*?$")
                )  # a required field's label ends in *
            )
            kind = field.evaluate("e => e.tagName + ':' + (e.type || '')")
            if kind.startswith("SELECT"):
                field.select_option(str(value))
            elif kind.endswith("checkbox"):
                field.set_checked(bool(value))
            else:
                field.fill(str(value))
        if upload:
            box.locator('input[type="file"]').set_input_files(
                {"name": "signed.pdf", "mimeType": "application/pdf", "buffer": upload.encode()}
            )
        box.locator('button[type="submit"]').click()
        self.page.wait_for_load_state()
        errors = self.page.locator(".message--error")
        assert not errors.count(), errors.first.inner_text()
        return self

    def approve(self, kind_label: str, on: dt.date) -> Desk:
        self.page.goto(f"{self.url}/cases/approvals/")
        card = self.page.locator("article.approval", has_text=kind_label).first
        card.get_by_label("审批日期").fill(on.isoformat())
        card.get_by_label("审批意见").fill("同意")
        card.get_by_role("button", name="批准").click()
        self.page.get_by_text(f"已批准：{kind_label}").first.wait_for()
        return self

    def fits(self, width: int) -> bool:
        return self.page.evaluate("document.documentElement.scrollWidth") <= width


def _opened(cw, days_ago: int, **extra) -> Case:
    today = dt.date.today()
    return services.open_case(
        cw.user,
        {
            "party": extra.pop("party", cw.firm),
            "item": cw.item,
            "act_date": today - dt.timedelta(days=days_ago + 5),
            "discovery_date": today - dt.timedelta(days=days_ago),
            "summary": "在门店外占道经营",
            "officers": [cw.world.officer_a, cw.second],
        },
    )


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_general_procedure_with_hearing_to_the_case_file(
    transactional_db, live_server, cw, viewport, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path)
    host = new_officer(cw.world.team_a, name="听证主持人")
    # A citizen fined 10,000 元: a 较大数额 fine, so the party may ask for a hearing (第六十三条).
    case = _opened(cw, 75, party=cw.person)
    t = dt.date.today()

    def d(days: int) -> str:
        return (t - dt.timedelta(days=days)).isoformat()

    name = "phone" if viewport == PHONE else "desktop"

    def journey(page):
        page.set_viewport_size(viewport)
        desk = Desk(page, live_server.url)
        desk.login("officer_a").case(case).step(
            "request-filing", {"提请理由": "巡查发现占道经营，符合立案条件"}
        )
        desk.login("head_a").approve("立案审批", t - dt.timedelta(days=74))
        desk.login("officer_a").case(case).step("start_investigation", {"办理日期": d(73)})
        desk.step(
            "notify",
            {
                "告知日期": d(60),
                "违法事实清楚、证据确凿": True,
                "@penalties_intended_1_kind": "fine",
                "@penalties_intended_1_amount": "10000",
            },
        )
        desk.step("request_hearing", {"当事人申请听证日期": d(58)})
        desk.step(
            "hearing",
            {
                "听证通知日期": d(57),
                "听证日期": d(44),
                "听证地点": "上方镇执法队听证室",
                "听证主持人（非本案调查人员）": host.pk,
            },
        )
        desk.step("hold_hearing", {"听证日期": d(44), "听证笔录": "当事人对事实无异议，请求从轻"})
        desk.step("submit_legal_review", {"办理日期": d(40)})
        assert desk.fits(viewport["width"])
        screenshot(page, f"general-officer-{name}")
        # the reviewer: queue → checklist → opinion
        desk.login("legal_a")
        page.goto(f"{live_server.url}/cases/reviews/")
        page.get_by_role("button", name="认领").click()
        for label in CHECKLIST:
            page.get_by_label(label, exact=True).check()
        page.get_by_label("审核结果").select_option("passed")
        page.get_by_label("审核意见").fill("经听证，事实清楚，程序合法")
        page.get_by_label("审核日期").fill(d(39))
        page.get_by_role("button", name="提交审核意见").click()
        page.get_by_text("审核意见已提交").first.wait_for()
        # the heads deliberate; the decision follows their conclusion
        desk.login("head_a").case(case).step(
            "deliberate",
            {
                "办理日期": d(38),
                "主持人": cw.head.pk,
                "@participant_ids": [cw.head.pk, cw.deputy.pk],
                "讨论记录": "同意给予罚款10000元",
                "讨论结论": "penalty",
                "@penalties_1_kind": "fine",
                "@penalties_1_amount": "10000",
            },
        )
        desk.login("officer_a").case(case).step("request-decision", {"提请理由": "集体讨论决定罚款10000元"})
        desk.login("head_a").approve("行政处罚决定审批", t - dt.timedelta(days=37))
        desk.login("officer_a").case(case).step("serve", {"送达日期": d(36), "送达方式": "direct"})
        desk.step("payment", {"数额（元）": "4000", "缴纳日期": d(30)})
        desk.step(
            "request-deferral",
            {
                "暂缓（分期）至": (t + dt.timedelta(days=30)).isoformat(),
                "当事人申请日期": d(29),
                "提请理由": "当事人经营困难，申请暂缓缴纳",
            },
        )
        desk.login("head_a").approve("暂缓或分期缴纳罚款审批", t - dt.timedelta(days=28))
        desk.login("officer_a").case(case).step("payment", {"数额（元）": "6000", "缴纳日期": d(5)})
        desk.step("request-closing", {"提请理由": "罚款已缴清"})
        desk.login("head_a").approve("结案审批", t - dt.timedelta(days=4))
        desk.login("officer_a").case(case).step("archive", {"办理日期": d(3)})
        page.locator("#doc-kind").select_option("case_file")
        page.get_by_role("button", name="出具文书").click()
        page.get_by_text("已出具").first.wait_for()
        link = page.get_by_role("link", name=re.compile("卷字"))
        assert link.count() == 1
        screenshot(page, f"general-archived-{name}")

    _in_a_thread(journey)
    case.refresh_from_db()
    assert case.state == "archived" and case.amount_paid == 10000
    assert case.legal_reviews.get().result == "passed" and case.deliberations.count() == 1
    assert [a.kind for a in case.approvals.order_by("id")] == ["filing", "decision", "deferral", "closing"]
    assert Document.objects.get(case=case, kind="case_file").sha256


def test_decline_no_penalty_transfer_and_revoked_decision_on_a_phone(transactional_db, live_server, cw):
    """不予立案; 不予处罚 with the education given (第三十三条); 移送管辖 (第二十二条至第二十五条); a
    reconsideration that revokes the decision closes the case and puts its publicity due for withdrawal."""
    t = dt.date.today()
    declined, no_penalty, transferred = _opened(cw, 20), _opened(cw, 30), _opened(cw, 25)
    revoked = _opened(cw, 70)
    services.transition(cw.head, revoked.pk, "file", {"filing_date": t - dt.timedelta(days=68)})
    services.transition(cw.user, revoked.pk, "start_investigation", {"as_of": t - dt.timedelta(days=67)})
    services.transition(
        cw.user,
        revoked.pk,
        "notify",
        {
            "notice_date": t - dt.timedelta(days=60),
            "facts_clear": True,
            "penalties_intended": [{"kind": "fine", "amount": "3000"}],
        },
    )
    services.transition(cw.head, revoked.pk, "decide", {"decision_date": t - dt.timedelta(days=45)})
    services.transition(cw.user, revoked.pk, "serve", {"service_date": t - dt.timedelta(days=44)})

    def journey(page):
        page.set_viewport_size(PHONE)
        desk = Desk(page, live_server.url)
        desk.login("officer_a").case(declined).step(
            "request-decline_filing", {"不予立案理由": "经核查不存在违法事实"}
        )
        desk.case(no_penalty).step("request-filing")
        desk.case(transferred).step("request-filing")
        desk.login("head_a").approve("不予立案审批", t)
        desk.approve("立案审批", t - dt.timedelta(days=28)).approve("立案审批", t - dt.timedelta(days=24))
        desk.login("officer_a").case(no_penalty).step(
            "start_investigation", {"办理日期": (t - dt.timedelta(days=27)).isoformat()}
        )
        desk.step(
            "request-no_penalty",
            {
                "不予处罚的法定情形": "facts_unclear",
                "已对当事人进行教育": True,
                "教育情况": "已当面宣讲市容管理规定",
            },
        )
        desk.case(transferred).step("request-transfer", {"移送的有管辖权的机关": "衢州市生态环境局衢江分局"})
        desk.login("head_a").approve("不予行政处罚决定审批", t).approve("移送管辖审批", t)
        desk.login("officer_a").case(revoked).step(
            "remedy",
            {
                "种类": "reconsideration",
                "申请/起诉日期": (t - dt.timedelta(days=30)).isoformat(),
                "复议机关/人民法院": "衢州市衢江区人民政府",
                "结果": "revoked",
                "结果日期": (t - dt.timedelta(days=2)).isoformat(),
                "文号": "衢江政复决字〔2026〕第9号",
            },
        )
        assert desk.fits(PHONE["width"])
        screenshot(page, "revoked-by-reconsideration-phone")

    _in_a_thread(journey)
    states = {c.pk: Case.objects.get(pk=c.pk).state for c in (declined, no_penalty, transferred, revoked)}
    assert states == {
        declined.pk: "closed",
        no_penalty.pk: "no_penalty",
        transferred.pk: "transferred",
        revoked.pk: "closed",
    }
    assert Case.objects.get(pk=no_penalty.pk).extra_facts.get("education_given") is True
    revoked.refresh_from_db()
    assert revoked.decided_fine == 0 and revoked.extra_facts["decision_change"] == "revoked"
