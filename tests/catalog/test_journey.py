"""The catalog kept in a real Chromium, by its proper roles: a department's administrator imports
an Excel file with three bad rows and sees each, fixes and imports it, claims items and proposes a
revision; the 执法指导办 approves and publishes; the public catalog shows the new items.
Screenshots: test-artifacts/catalog-*.png."""

from __future__ import annotations

import re

import pytest

from tests.browsing import screenshot
from tests.catalog.test_upkeep import MARKET_ROWS, bad_file
from zhifa.catalog import excel
from zhifa.catalog.models import CatalogRevision, Claim, EnforcementItem

pytestmark = pytest.mark.browser


def _log_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill("correct-horse-battery")
    page.get_by_role("button", name=re.compile("登录")).click()
    page.wait_for_url(f"{live_server.url}/")


def _log_out(page) -> None:
    page.locator(".nav__user summary").click()  # the sign-out button sits in the user menu
    page.get_by_role("button", name="退出登录").click()


def test_department_admin_imports_claims_proposes_and_the_guidance_office_publishes(
    transactional_db, live_server, catalog, world, orgs, desktop, tmp_path
):
    page = desktop
    bad, good = tmp_path / "市场监管事项.xlsx", tmp_path / "市场监管事项（改正）.xlsx"
    bad.write_bytes(bad_file())
    good.write_bytes(excel.export_workbook(MARKET_ROWS))

    # 1. The market department's administrator uploads a file with three bad rows and sees each.
    _log_in(page, live_server, "market_admin")
    page.goto(f"{live_server.url}/catalog/")
    page.get_by_role("link", name="Excel 导入").first.click()
    page.get_by_label("Excel 文件").set_input_files(str(bad))
    page.get_by_role("button", name="上传并检查").click()
    page.wait_for_selector(".import-errors")
    errors = page.locator("tr.import-error")
    assert errors.count() == 3
    text = page.locator(".import-errors").inner_text()
    for expected in ("罚款下限", "实施依据", "执法领域", "not_a_number", "bad_legal_basis", "unknown_domain"):
        assert expected in text
    assert "未导入任何事项" in page.content()
    screenshot(page, "catalog-import-errors")
    assert not EnforcementItem.objects.filter(code__in=["M1", "M2"]).exists()

    # 2. Fixed, the file is clean and is submitted for review as one revision.
    page.get_by_role("link", name="重新上传").click()
    page.get_by_label("Excel 文件").set_input_files(str(good))
    page.get_by_role("button", name="上传并检查").click()
    page.wait_for_selector("text=检查通过")
    assert "新增 2 项" in page.content()
    assert page.get_by_label("直接导入并公示（执法指导办）").count() == 0  # not his to bypass the review
    page.get_by_label("调整标题").fill("新增食品安全执法事项")
    page.get_by_role("button", name="确认导入").click()
    page.wait_for_url(re.compile(r"/catalog/revisions/\d+/$"))
    assert "待审批" in page.content() and "M1" in page.content()
    screenshot(page, "catalog-import-revision")

    # 3. He claims the unclaimed items of his field.
    page.goto(f"{live_server.url}/catalog/claim/")
    page.get_by_label("认领 P5").check()
    page.get_by_role("button", name="认领所选事项").click()
    page.wait_for_selector("text=已认领 1 个事项")
    assert Claim.objects.filter(item__code="P5", organization=orgs.market).exists()
    screenshot(page, "catalog-claims")

    # 4. And proposes a change of one of his items.
    page.goto(f"{live_server.url}/catalog/items/P4/")
    page.get_by_role("link", name="提出调整").click()
    page.get_by_label("罚款幅度说明").fill("货值金额不足一万元的，并处五万元以上十万元以下罚款")
    page.get_by_label("调整原因").select_option("law_amended")
    page.get_by_label("相关法律法规").fill("中华人民共和国食品安全法")
    page.get_by_role("button", name="提交审核").click()
    page.wait_for_url(re.compile(r"/catalog/revisions/\d+/$"))
    assert "幅度说明" in page.content() and "审批通过" not in page.content()
    _log_out(page)
    assert CatalogRevision.objects.filter(state="draft").count() == 2

    # 5. The 执法指导办 reviews both and publishes them.
    _log_in(page, live_server, "guidance")
    page.goto(f"{live_server.url}/catalog/revisions/")
    for revision in CatalogRevision.objects.filter(state="draft").order_by("pk"):
        page.goto(f"{live_server.url}/catalog/revisions/{revision.pk}/")
        page.get_by_role("button", name="审批通过").click()
        page.wait_for_selector("text=已审批，调整已生效并公示")
    screenshot(page, "catalog-approved")
    assert EnforcementItem.objects.get(code="P4").fine_note.startswith("货值金额不足一万元")
    _log_out(page)

    # 6. Anyone sees the new items in the public catalog.
    page.goto(f"{live_server.url}/catalog/public/")
    assert (
        "对销售过期食品的行政处罚" in page.content()
        and "对未按规定公示食品经营许可证的行政处罚" in page.content()
    )
    page.get_by_label("事项名称或编码").fill("过期食品")
    page.get_by_role("button", name="查询").click()
    assert "含“过期食品”的共 1 项" in page.content()
    screenshot(page, "catalog-public")
