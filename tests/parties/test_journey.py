"""An administrator changes a credit weight in Chromium; the nightly task puts it in force and
recolours the parties, whose pages show the new colour with its reasons.
Screenshots: test-artifacts/credit-*.png."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from tests.browsing import screenshot
from tests.conftest import new_user
from tests.parties.conftest import add_party
from zhifa.organizations.models import User
from zhifa.parties import services, tasks
from zhifa.parties.models import Party

pytestmark = pytest.mark.browser


def test_administrator_changes_a_weight_and_the_nightly_task_recolours(
    transactional_db, live_server, world, desktop
):
    page = desktop
    shop = add_party(
        world.shangfang, name="上方便民超市", industry=Party.Industry.RETAIL, complaint_count_12m=3
    )
    quiet = add_party(world.shangfang, name="上方清风茶馆", industry=Party.Industry.CATERING)
    services.recompute_all_risk(None)
    assert Party.objects.get(pk=shop.pk).risk_color == "blue"
    new_user("admin", world.root, User.Role.SUPERVISOR, is_superuser=True, is_staff=True)

    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill("admin")
    page.get_by_label("密码").fill("correct-horse-battery")
    page.get_by_role("button", name=re.compile("登录")).click()
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/parties/credit/")
    page.get_by_label("每次投诉举报积分").fill("3")
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    page.get_by_label("施行日期").fill(str(tomorrow))
    page.get_by_label("调整说明").fill("投诉举报反映的风险上调")
    page.get_by_role("button", name="保存规则").click()
    page.wait_for_selector("text=由每晚的任务启用并重新评定")
    assert "待施行的规则" in page.content()
    screenshot(page, "credit-rules-scheduled")
    assert Party.objects.get(pk=shop.pk).risk_color == "blue"  # not before its date

    # The night comes: Celery beat runs parties.recompute_risk.
    summary = tasks.recompute_risk.apply(args=[str(tomorrow)]).get()
    assert summary["activated"] and summary["changed"] == 1

    page.goto(f"{live_server.url}/parties/{shop.pk}/")
    assert "红色（高风险）" in page.content()
    reasons = page.locator(".risk-reasons").inner_text()
    assert "被投诉举报3次" in reasons and "风险积分9分" in reasons
    screenshot(page, "credit-party-recoloured")
    page.goto(f"{live_server.url}/parties/{quiet.pk}/")
    assert "无感监管" in page.content() and "远程核查" in page.content()
