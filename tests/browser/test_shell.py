"""The web shell in a real Chromium at phone width: log in, see the roster, check a credential."""

import re

import pytest

from tests.browsing import PHONE, screenshot
from zhifa.organizations.credentials import issue_token

pytestmark = pytest.mark.browser


def _fits_the_phone(page) -> bool:
    """Nothing wider than the screen: no sideways scrolling on a 375 px phone."""
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def _log_in(page, live_server, username):
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill("correct-horse-battery")
    page.get_by_role("button", name=re.compile("登录")).click()


def test_township_officer_works_on_a_phone(transactional_db, live_server, world, phone):
    _log_in(phone, live_server, "leader_a")
    phone.wait_for_url(f"{live_server.url}/")
    assert _fits_the_phone(phone)
    screenshot(phone, "shell-home-phone")

    phone.goto(f"{live_server.url}/org/officers/")
    assert phone.get_by_text("甲镇队员").first.is_visible()
    assert phone.get_by_text("乙镇队员").count() == 0  # another township's officer is not listed
    assert _fits_the_phone(phone)
    screenshot(phone, "shell-officers-phone")

    phone.get_by_text("甲镇队员").first.click()
    phone.wait_for_url(re.compile(r"/org/officers/\d+/$"))
    # The 亮证 QR code is the officer's own: his township leader sees that it exists, not the code.
    assert phone.get_by_text("亮证二维码只向执法人员本人显示").is_visible()
    assert phone.locator(".credential__qr svg").count() == 0
    assert world.officer_a.id_number not in phone.content()  # masked
    assert _fits_the_phone(phone)
    screenshot(phone, "shell-officer-detail-phone")

    response = phone.goto(f"{live_server.url}/org/officers/{world.officer_b.pk}/")
    assert response.status == 404


def test_wrong_password_is_refused_in_chinese(transactional_db, live_server, world, desktop):
    desktop.goto(f"{live_server.url}/login/")
    desktop.get_by_label("用户名").fill("leader_a")
    desktop.get_by_label("密码").fill("wrong-password")
    desktop.get_by_role("button", name=re.compile("登录")).click()
    assert desktop.get_by_text(re.compile("正确的用户名和密码")).first.is_visible()


def test_public_credential_page_on_a_phone(transactional_db, live_server, world, phone):
    phone.goto(f"{live_server.url}/public/credential/{issue_token(world.officer_a)}/")
    assert phone.get_by_text("甲镇队员").first.is_visible()
    assert phone.get_by_text(world.officer_a.certificates.get().number).first.is_visible()
    assert _fits_the_phone(phone)
    screenshot(phone, "credential-check-phone")
    response = phone.goto(f"{live_server.url}/public/credential/forged-token/")
    assert response.status == 400
