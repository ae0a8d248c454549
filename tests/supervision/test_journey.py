"""The assurance journey in Chromium: a township leader makes this year's training plan, adds a
course, records who attended and an exam with scores; a supervisor then appraises the township
(its comprehensive enforcement line and its officers' 四维考评), adds a manual item with its
evidence, and downloads the township's appraisal report as a PDF."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from tests.browsing import screenshot
from zhifa.supervision import appraisal, services
from zhifa.supervision.models import BodyAppraisal
from zhifa.training.models import Attendance, ExamScore

pytestmark = pytest.mark.browser
BODY = [
    {"name": "办案质效", "weight": 40, "metrics": ["cases", "case_timeliness"]},
    {"name": "事件处置", "weight": 30, "metrics": ["incident_timeliness"]},
    {"name": "队伍建设", "weight": 30, "metrics": ["training"]},
]
FOUR = [
    {"name": "执法岗位考评", "weight": 55, "enforcement_post": True, "metrics": ["cases", "inspections"]},
    {"name": "日常考评", "weight": 45, "metrics": ["incidents_on_time"]},
]


def _log_in(page, live_server, username):
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill("correct-horse-battery")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/")


def test_training_then_appraisal_of_a_township_and_its_pdf(
    transactional_db, live_server, sv, desktop, tmp_path
):
    world = sv.world
    appraisal.create_body_scheme(
        sv.supervisor,
        appraisal.BodySchemeInput.parse({"name": "综合行政执法工作单列考核", "dimensions": BODY}),
    )
    services.create_scheme(sv.supervisor, {"name": "乡镇执法人员四维考评", "dimensions": FOUR})
    now = timezone.localtime()
    year = now.year
    start = max(now - dt.timedelta(days=2), timezone.make_aware(dt.datetime(year, 1, 1, 8)))
    page = desktop

    # 1. the township leader: plan, course, attendance, exam and scores
    _log_in(page, live_server, world.leader_a.username)
    page.goto(f"{live_server.url}/training/")
    page.select_option("#id_organization", label=world.team_a.name)
    page.fill("#id_title", f"上方镇{year}年度执法人员培训方案")
    page.fill("#id_syllabus", "一、《行政处罚法》\n二、执法文书制作")
    page.get_by_role("button", name="保存方案").click()
    page.wait_for_selector("text=已制定年度培训方案")
    page.fill("#id_title", "《行政处罚法》专题培训")
    page.select_option("#id_kind", "legal")
    page.fill("#id_starts_at", start.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_hours", "8")
    page.get_by_role("button", name="添加课程").click()
    page.wait_for_selector("text=已添加课程")
    page.check(f"input[name='officers'][value='{world.officer_a.pk}']")
    page.check(f"input[name='officers'][value='{sv.second.pk}']")
    page.get_by_role("button", name="登记参训").click()
    page.wait_for_selector("text=已登记 2 人参训")
    assert page.locator("#attendance-count").inner_text() == "2"
    page.fill("section.card--form #id_title", "专题考试")
    page.get_by_role("button", name="添加考试").click()
    page.wait_for_selector("text=已添加考试")
    page.fill(f"input[name='score_{world.officer_a.pk}']", "88")
    page.fill(f"input[name='score_{sv.second.pk}']", "55")
    page.get_by_role("button", name="登记成绩").click()
    page.wait_for_selector("text=已登记 2 人成绩")
    assert page.locator(".score-row").count() == 2 and page.locator(".score-row .badge--bad").count() == 1
    screenshot(page, "journey-training-course")
    assert Attendance.objects.count() == 2 and ExamScore.objects.count() == 2
    page.goto(f"{live_server.url}/training/hours/?short=1")
    assert (
        page.locator(f".hours-row[data-officer='{world.officer_a.pk}'][data-below='1']").count() == 1
    )  # 8 of 60

    # 2. the supervisor: the township's appraisal, a manual item with evidence, the PDF
    page.locator(".nav__user summary").click()  # the sign-out button sits in the user menu
    page.get_by_role("button", name="退出登录").click()
    _log_in(page, live_server, sv.supervisor.username)
    page.goto(f"{live_server.url}/supervision/appraisals/bodies/")
    page.select_option("#id_organization", label=world.team_a.name)
    page.get_by_role("button", name="计算考评").click()
    page.wait_for_selector(f"text=已完成{world.team_a.name}{year}年度考评")
    assert "培训学时达标率：0/2" in page.content()
    assert page.locator("text=甲镇队员二").count() >= 1  # the township's officers were appraised too
    evidence = tmp_path / "表彰通报.pdf"
    evidence.write_bytes(b"%PDF-1.4\n%%EOF\n")
    page.fill("#id_title", "获市级表彰")
    page.fill("#id_points", "2")
    page.get_by_role("button", name="录入").click()
    page.wait_for_selector("text=人工考评项须上传佐证材料")  # no evidence: refused
    page.fill("#id_title", "获市级表彰")
    page.fill("#id_points", "2")
    page.set_input_files("#id_evidence", str(evidence))
    page.get_by_role("button", name="录入").click()
    page.wait_for_selector("text=已录入人工考评项")
    result = BodyAppraisal.objects.get(organization=world.team_a, year=year)
    assert page.locator("#body-total").inner_text() == str(result.total) and result.manual_score == 2
    screenshot(page, "journey-body-appraisal")
    with page.expect_download() as download:
        page.get_by_role("link", name="下载 PDF").click()
    path = tmp_path / "report.pdf"
    download.value.save_as(path)
    from pypdf import PdfReader

    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(path).pages))
    assert path.read_bytes().startswith(b"%PDF")
    assert f"{world.team_a.name}{year}年度综合行政执法工作考评报告" in text and "获市级表彰" in text
