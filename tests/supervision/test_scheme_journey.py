"""The 执法指导办 sets up next year's 四维考评 scheme in Chromium: the form starts from the scheme
in use, a weight sum other than 100 is refused naming the dimensions, the corrected scheme is
created and listed. Screenshots: test-artifacts/scheme-*.png."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from tests.browsing import screenshot
from zhifa.supervision import services
from zhifa.supervision.models import AppraisalScheme

from .test_journey import FOUR, _log_in

pytestmark = pytest.mark.browser


def test_guidance_office_creates_next_years_scheme(transactional_db, live_server, sv, desktop):
    page = desktop
    services.create_scheme(sv.supervisor, {"name": "本年度乡镇执法人员四维考评", "dimensions": FOUR})
    name = f"{timezone.localdate().year + 1}年度乡镇（街道）执法人员四维考评"

    _log_in(page, live_server, sv.guidance.username)
    page.goto(f"{live_server.url}/supervision/appraisals/")
    page.get_by_role("link", name="新建考评方案").click()
    page.wait_for_url(f"{live_server.url}/supervision/appraisals/schemes/new/")
    assert page.get_by_label(re.compile(r"^方案名称")).input_value() == name
    assert page.locator('input[name="dim-0-name"]').input_value() == "执法岗位考评"
    assert page.locator('input[name="dim-0-weight"]').input_value() == "55"

    # a third dimension without taking weight from the others: refused, the sum named
    page.fill('input[name="dim-2-name"]', "服务对象评价")
    page.fill('input[name="dim-2-weight"]', "10")
    page.locator('input[name="dim-2-metrics"][value="satisfaction"]').check()
    page.get_by_role("button", name="建立方案").click()
    page.wait_for_selector("text=各维度权重之和须为100%，当前为110%")
    screenshot(page, "scheme-refused")
    assert not AppraisalScheme.objects.filter(name=name).exists()
    assert page.locator('input[name="dim-2-name"]').input_value() == "服务对象评价"  # nothing lost

    page.fill('input[name="dim-1-weight"]', "35")
    page.fill('input[name="cases_target"]', "8")
    page.get_by_role("button", name="建立方案").click()
    page.wait_for_selector(f"text=已建立考评方案“{name}”")
    assert page.get_by_role("link", name=name).is_visible()
    screenshot(page, "scheme-created")
    scheme = AppraisalScheme.objects.get(name=name)
    assert [(d.name, d.weight) for d in scheme.dimensions.all()] == [
        ("执法岗位考评", 55),
        ("日常考评", 35),
        ("服务对象评价", 10),
    ]
    assert scheme.targets["cases"] == 8 and scheme.created_by == sv.guidance

    page.locator(".nav__user summary").click()  # the sign-out button sits in the user menu
    page.get_by_role("button", name="退出登录").click()
    page.wait_for_url(re.compile(r"/login/"))
