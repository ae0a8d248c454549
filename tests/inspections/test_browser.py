"""The inspection pages in a real Chromium at phone width: an officer fills the record form on
the visit (checklist toggles, officers, photo) and the party opens the action code."""

import re

import pytest

from tests.browsing import PHONE, screenshot
from tests.inspections.conftest import DAY, plan_data, run_draw_on
from zhifa.inspections import services
from zhifa.inspections.models import InspectionRecord, JointInspection

pytestmark = pytest.mark.browser


def _fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_record_a_visit_on_a_phone(transactional_db, live_server, world, insp, phone, settings, tmp_path):  # noqa: F811
    settings.MEDIA_ROOT = tmp_path
    plan = services.create_plan(world.bureau_admin, plan_data(world.bureau, [insp.I1]))
    run_draw_on(world.bureau_admin, plan.pk, DAY)
    services.plan_joint_inspections(world.guidance_user, today=DAY)
    visit = JointInspection.objects.get(party=insp.parties.red_a)

    phone.goto(f"{live_server.url}/login/")
    phone.get_by_label("用户名").fill("gas_officer")
    phone.get_by_label("密码").fill("correct-horse-battery")
    phone.get_by_role("button", name=re.compile("登录")).click()
    phone.wait_for_url(f"{live_server.url}/")

    phone.goto(f"{live_server.url}/inspections/visits/")
    assert phone.get_by_text("上方红一").first.is_visible() and _fits_the_phone(phone)
    screenshot(phone, "inspections-visits-phone")

    phone.goto(f"{live_server.url}/inspections/visits/{visit.pk}/record/")
    phone.get_by_text("不符合").first.click()
    phone.get_by_label("开始时间").fill(f"{visit.day}T09:00")
    phone.get_by_label("结束时间").fill(f"{visit.day}T10:00")
    phone.get_by_label("检查情况").fill("气瓶检验过期一只")
    phone.get_by_label("现场照片").set_input_files(
        files=[{"name": "现场.jpg", "mimeType": "image/jpeg", "buffer": b"\xff\xd8\xff\xe0jpeg"}]
    )
    assert _fits_the_phone(phone)
    screenshot(phone, "inspections-record-form-phone")
    phone.get_by_role("button", name="保存检查记录").click()
    phone.wait_for_url(re.compile(r"/inspections/records/\d+/$"))
    record = InspectionRecord.objects.get()
    assert record.checklist_results.filter(result="fail").count() == 1 and record.attachments.count() == 1
    assert _fits_the_phone(phone)
    screenshot(phone, "inspections-record-detail-phone")

    phone.goto(f"{live_server.url}/inspections/public/code/{services.action_code_token(visit.action_code)}/")
    assert phone.get_by_text("提交评价").is_visible() and _fits_the_phone(phone)
    screenshot(phone, "inspections-action-code-phone")
