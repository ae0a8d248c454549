"""The recommend form and a public list in Chromium at phone width (375 px)."""

from __future__ import annotations

import re

import pytest

from tests.browsing import PHONE, screenshot
from tests.discretion.conftest import DAY, STALL_LEVELS
from zhifa.discretion import rules, services

pytestmark = pytest.mark.browser


def _fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.fixture
def stalls(world, items):
    baseline = services.create_baseline(
        world.guidance_user, items.stalls, {"effective_from": DAY, "levels": STALL_LEVELS}
    )
    services.approve_baseline(world.guidance_user, baseline.pk, DAY)
    services.add_list_entry(
        world.guidance_user,
        items.stalls,
        {
            "kind": "no_penalty",
            "first_offence_waiver": True,
            "title": "首次占道经营且及时改正",
            "conditions_text": "首次被发现，危害后果轻微，及时改正",
            "conditions": {"first_offence": True, "harm_max": "minor"},
            "legal_basis": rules.ART33_1,
            "effective_from": DAY,
            "published_on": DAY,
        },
    )
    return baseline


def test_officer_gets_a_recommendation_on_a_phone(transactional_db, live_server, world, items, stalls, phone):  # noqa: F811
    phone.goto(f"{live_server.url}/login/")
    phone.get_by_label("用户名").fill("officer_a")
    phone.get_by_label("密码").fill("correct-horse-battery")
    phone.get_by_role("button", name=re.compile("登录")).click()
    phone.wait_for_url(f"{live_server.url}/")
    phone.goto(f"{live_server.url}/discretion/recommend/")
    phone.get_by_label("执法事项").select_option(label=str(items.stalls))
    phone.get_by_label("首次违法").check()
    phone.get_by_label("及时改正").check()
    phone.locator("select[name=harm]").select_option("minor")
    phone.get_by_role("button", name="推荐").click()
    phone.locator(".recommendation").wait_for()
    assert "首违不罚" in phone.locator(".recommendation").inner_text()
    assert "行政处罚法第三十三条第一款" in phone.locator(".recommendation").inner_text()
    assert _fits_the_phone(phone)
    screenshot(phone, "discretion-recommend-phone")
    for path, name in (
        (f"/discretion/baselines/{stalls.pk}/", "detail"),
        ("/discretion/", "list"),
        ("/discretion/lists/", "lists"),
    ):
        phone.goto(f"{live_server.url}{path}")
        assert _fits_the_phone(phone), path
        screenshot(phone, f"discretion-{name}-phone")
    phone.goto(f"{live_server.url}/discretion/public/first_offence_waiver/")
    assert "首次占道经营且及时改正" in phone.content()
    assert _fits_the_phone(phone)
    screenshot(phone, "discretion-public-phone")
