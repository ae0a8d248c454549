"""Browser journeys in Chromium, each act by the person who holds the power: the bureau's
department administrator grants the 法制审核 role to a colleague, who then finds the review queue
in his menu, and takes it back; the head of the bureau delegates 立案审批 to a deputy for a period
(《行政处罚法》第五十七条), the deputy sees it, the head revokes it. Screenshots go to
test-artifacts/organizations-*.png."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from tests.browsing import screenshot
from tests.conftest import new_officer, new_user
from zhifa.core import access
from zhifa.organizations.models import Delegation, RoleGrant, User

pytestmark = pytest.mark.browser

PASSWORD = "correct-horse-battery"
REVIEW_QUEUE = 'nav a[href^="/cases/reviews/"]'


def _log_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("登录")).click()
    page.wait_for_url(lambda url: "/login/" not in url)


def _log_out(page) -> None:
    page.locator(".nav__user summary").click()  # the sign-out button sits in the user menu
    page.get_by_role("button", name="退出登录").click()
    page.wait_for_url(lambda url: "/login/" in url or url.rstrip("/").count("/") <= 2)


def _menu_link(page, href: str):
    return page.locator(f'nav a[href^="{href}"]')


def test_department_admin_grants_and_takes_back_the_legal_review_role(
    transactional_db, live_server, world, desktop
):
    page = desktop
    colleague = new_user("fzk_colleague", world.bureau, User.Role.OFFICER, display_name="柳法制")

    # 1. The administrator finds his colleague under 用户与角色 and grants him 法制审核人员.
    _log_in(page, live_server, "bureau_admin")
    assert _menu_link(page, "/org/users/").count() == 1
    page.goto(f"{live_server.url}/org/users/")
    page.get_by_role("link", name="柳法制").click()
    page.wait_for_url(re.compile(rf"/org/users/{colleague.pk}/$"))
    page.get_by_role("button", name="授予角色").click()  # not confirmed: refused, nothing granted
    assert page.get_by_text("请选择授予角色").first.is_visible()
    page.get_by_label(re.compile("^授予角色")).select_option(label="法制审核人员")
    page.get_by_label(re.compile("^确认授予")).check()
    page.get_by_role("button", name="授予角色").click()
    page.wait_for_selector("text=已授予柳法制“法制审核人员”角色")
    assert "bureau_admin" in page.locator("#granted-roles").inner_text()  # who granted it
    screenshot(page, "organizations-role-granted")
    _log_out(page)

    # 2. The colleague finds the legal review queue in his menu.
    _log_in(page, live_server, "fzk_colleague")
    assert page.locator(REVIEW_QUEUE).count() == 1
    assert "法制审核人员" in page.locator(".nav__user").text_content()
    response = page.goto(live_server.url + page.locator(REVIEW_QUEUE).first.get_attribute("href"))
    assert response.status < 400 and page.get_by_role("heading", name=re.compile("法制审核")).count() >= 1
    _log_out(page)

    # 3. The administrator takes the role back, with a confirmation.
    _log_in(page, live_server, "bureau_admin")
    page.goto(f"{live_server.url}/org/users/{colleague.pk}/")
    grant = page.locator(".grant-row", has_text="法制审核人员")
    grant.locator("summary", has_text="收回").click()
    grant.get_by_role("button", name="确认收回").click()
    page.wait_for_selector("text=已收回柳法制的“法制审核人员”角色")
    assert page.locator(".grant-row").count() == 0
    assert RoleGrant.objects.get(user=colleague).revoked_by.username == "bureau_admin"
    _log_out(page)

    # 4. The queue is gone from his menu.
    _log_in(page, live_server, "fzk_colleague")
    assert page.locator(REVIEW_QUEUE).count() == 0
    _log_out(page)

    # 5. He is posted to the legal section for good: his main role changes, with the reason.
    _log_in(page, live_server, "bureau_admin")
    page.goto(f"{live_server.url}/org/users/{colleague.pk}/")
    page.locator("summary", has_text="更改主要角色").click()
    form = page.locator("form[data-step=main-role]")
    form.get_by_label("新的主要角色").select_option(label="法制审核人员")
    form.get_by_role("button", name="确认更改").click()  # no reason: refused, nothing changed
    page.wait_for_selector("text=请写明更改主要角色的理由")
    page.locator("summary", has_text="更改主要角色").click()
    form.get_by_label("新的主要角色").select_option(label="法制审核人员")
    form.get_by_label("更改理由").fill("调任法制科")
    form.get_by_role("button", name="确认更改").click()
    page.wait_for_selector("text=已将柳法制的主要角色改为“法制审核人员”")
    assert page.locator("[data-main-role]").inner_text() == "法制审核人员"
    _log_out(page)
    _log_in(page, live_server, "fzk_colleague")
    assert page.locator(REVIEW_QUEUE).count() == 1


def test_the_head_delegates_filing_approval_to_a_deputy_and_revokes_it(
    transactional_db, live_server, world, desktop
):
    page = desktop
    new_user("bureau_head", world.bureau, User.Role.HEAD, display_name="王局长")
    deputy = new_user(
        "bureau_deputy", world.bureau, User.Role.OFFICER, new_officer(world.bureau), display_name="周副局长"
    )
    today = timezone.localdate()
    last_day = today + dt.timedelta(days=30)

    # 1. The head opens 审批委托 from his menu and delegates 立案审批 for thirty days.
    _log_in(page, live_server, "bureau_head")
    _menu_link(page, "/org/delegations/").first.evaluate("a => a.click()")
    page.wait_for_url(re.compile(r"/org/delegations/$"))
    page.get_by_role("button", name="委托").click()  # nothing chosen: refused, naming the field
    assert page.get_by_text("请至少选择一项委托的审批事项").first.is_visible()
    page.get_by_label(re.compile("^受委托的负责人")).select_option(str(deputy.pk))
    page.get_by_label("立案、不予立案、撤销立案审批").check()
    page.get_by_label(re.compile("^起始日期")).fill(today.isoformat())
    page.get_by_label(re.compile("^截止日期")).fill((today - dt.timedelta(days=1)).isoformat())
    page.get_by_role("button", name="委托").click()
    assert page.get_by_text("截止日期不能早于起始日期").first.is_visible()
    assert not Delegation.objects.exists()
    page.get_by_label(re.compile("^截止日期")).fill(last_day.isoformat())
    page.get_by_role("button", name="委托").click()
    page.wait_for_selector("text=已将1项审批事项委托给周副局长")
    row = page.locator(".delegation-row", has_text="周副局长")
    assert "生效中" in row.inner_text() and f"{last_day:%Y-%m-%d}" in row.inner_text()
    screenshot(page, "organizations-delegation")
    assert access.can(deputy, "cases.approve_filing", world.bureau)
    _log_out(page)

    # 2. The deputy sees what was delegated to him, and until when.
    _log_in(page, live_server, "bureau_deputy")
    page.goto(f"{live_server.url}/org/delegations/")
    mine = page.locator("#delegated-to-me").inner_text()
    assert "立案、不予立案、撤销立案审批" in mine and f"{last_day:%Y-%m-%d}" in mine and "王局长" in mine
    assert page.get_by_role("button", name="确认撤销").count() == 0
    _log_out(page)

    # 3. The head revokes it.
    _log_in(page, live_server, "bureau_head")
    page.goto(f"{live_server.url}/org/delegations/")
    row = page.locator(".delegation-row", has_text="周副局长")
    row.locator("summary", has_text="撤销").click()
    row.get_by_role("button", name="确认撤销").click()
    page.wait_for_selector("text=已撤销对周副局长的审批委托")
    assert "已撤销" in page.locator(".delegation-row", has_text="周副局长").inner_text()
    assert not access.can(deputy, "cases.approve_filing", world.bureau)


def test_department_admin_opens_an_account_the_officer_chooses_his_password_then_it_is_stopped(
    transactional_db, live_server, world, desktop
):
    page = desktop
    officer = new_officer(world.bureau, name="柯新人")

    # 1. The administrator opens an account for the new officer, naming him by his 工号.
    _log_in(page, live_server, "bureau_admin")
    page.goto(f"{live_server.url}/org/users/")
    page.get_by_role("link", name="开设账号").click()
    page.wait_for_url(re.compile(r"/org/users/new/$"))
    page.get_by_label(re.compile("^用户名")).fill("ke_xinren")
    page.get_by_role("button", name="开设账号").click()  # an officer without his 工号: refused
    assert page.get_by_text("执法人员账号须对应执法人员名册中的人员，请填写工号").first.is_visible()
    page.get_by_label(re.compile("^对应执法人员工号")).fill(officer.employee_no)
    page.get_by_role("button", name="开设账号").click()
    page.wait_for_selector("text=已开设账号：柯新人")
    password = page.locator("[data-initial-password]").inner_text().strip()
    screenshot(page, "organizations-account-issued")
    _log_out(page)

    # 2. The officer signs in with it and is led to choose his own password before anything else.
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill("ke_xinren")
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name=re.compile("登录")).click()
    page.wait_for_load_state()
    page.wait_for_url(re.compile(r"/account/password/$"))
    assert page.locator("[data-password-must-change]").is_visible()
    page.goto(f"{live_server.url}/cases/")
    page.wait_for_url(re.compile(r"/account/password/$"))
    page.get_by_label(re.compile("^当前密码")).fill(password)
    page.get_by_label(re.compile("^新密码")).fill("Ke-xinren-2026!")
    page.get_by_label(re.compile("^再次输入新密码")).fill("Ke-xinren-2026!")
    page.get_by_role("button", name="保存新密码").click()
    page.wait_for_selector("text=密码已修改")
    page.goto(f"{live_server.url}/cases/")
    assert "/account/password/" not in page.url
    _log_out(page)

    # 3. He leaves the bureau: the administrator stops the account, with the reason.
    _log_in(page, live_server, "bureau_admin")
    user = User.objects.get(username="ke_xinren")
    page.goto(f"{live_server.url}/org/users/{user.pk}/")
    page.locator("#account summary", has_text="停用账号").click()
    page.get_by_label(re.compile("^理由")).fill("调离本单位")
    page.get_by_role("button", name="确认停用").click()
    page.wait_for_selector("text=已停用柯新人的账号")
    assert "停用" in page.locator("[data-account-status]").inner_text()
    _log_out(page)

    # 4. He can no longer sign in.
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill("ke_xinren")
    page.get_by_label("密码").fill("Ke-xinren-2026!")
    page.get_by_role("button", name=re.compile("登录")).click()
    page.wait_for_load_state()
    assert "/login/" in page.url
