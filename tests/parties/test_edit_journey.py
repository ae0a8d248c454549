"""A township officer corrects a party's address and phone on its page in Chromium and sees the
change and its line in the history. Screenshots: test-artifacts/party-edit-*.png."""

from __future__ import annotations

import re

import pytest

from tests.browsing import screenshot
from tests.parties.conftest import add_party
from zhifa.core.models import AuditEvent
from zhifa.parties.models import Party

pytestmark = pytest.mark.browser


def test_township_officer_corrects_address_and_phone(transactional_db, live_server, world, desktop):
    page = desktop
    shop = add_party(world.shangfang, name="上方便民超市", address="上方镇老街1号", phone="13800000000")

    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill(world.user_a.username)
    page.get_by_label("密码").fill("correct-horse-battery")
    page.get_by_role("button", name=re.compile("登录")).click()
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/parties/")
    page.get_by_role("link", name="上方便民超市").click()
    page.wait_for_url(f"{live_server.url}/parties/{shop.pk}/")
    page.get_by_role("link", name="编辑", exact=True).click()
    page.wait_for_url(f"{live_server.url}/parties/{shop.pk}/edit/")
    assert page.get_by_label(re.compile(r"^住所/经营场所")).input_value() == "上方镇老街1号"
    page.get_by_label(re.compile(r"^住所/经营场所")).fill("上方镇新街8号")
    page.get_by_label(re.compile(r"^联系电话")).fill("0570-8123456")
    screenshot(page, "party-edit-form")
    page.get_by_role("button", name="保存").click()

    page.wait_for_url(f"{live_server.url}/parties/{shop.pk}/")
    page.wait_for_selector("text=已保存监管对象信息")
    facts = page.locator(".facts").first.inner_text()
    assert "上方镇新街8号" in facts and "0570-8123456" in facts
    history = page.locator(".timeline").inner_text()
    assert "修改监管对象信息：联系电话、住所/经营场所" in history
    screenshot(page, "party-edit-saved")
    shop.refresh_from_db()
    assert (shop.address, shop.phone) == ("上方镇新街8号", "0570-8123456")
    assert AuditEvent.objects.filter(action="party.update", object_id=str(shop.pk)).count() == 1
    assert Party.objects.count() == 1

    page.locator(".nav__user summary").click()  # the sign-out button sits in the user menu
    page.get_by_role("button", name="退出登录").click()
    page.wait_for_url(re.compile(r"/login/"))
