"""Training (方案 三（五）2): plans and syllabi per body and year, courses, attendance, exams and
scores, hours per officer against the plan's hours (国办发〔2018〕118号: not less than 60 a year), the
legal qualification candidates and the six support teams — each write typed, permission-checked,
audited and scoped."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.conftest import new_officer
from zhifa.core.errors import NotFound, PermissionDenied
from zhifa.core.models import AuditEvent
from zhifa.training import rules, selectors, services
from zhifa.training.models import Attendance, Support

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


def _plan(user, org, hours="60"):
    return services.create_plan(
        user,
        services.PlanInput.parse(
            {
                "organization": org.pk,
                "year": YEAR,
                "title": "年度培训方案",
                "syllabus": "一、行政处罚法",
                "required_hours": hours,
            }
        ),
    )


def _course(user, plan, hours="8", days_ago=1, kind="legal"):
    starts = timezone.now() - dt.timedelta(days=days_ago)
    if starts.year != YEAR:
        starts = timezone.make_aware(dt.datetime(YEAR, 1, 1, 9))
    return services.add_course(
        user,
        services.CourseInput.parse(
            {
                "plan": plan.pk,
                "title": "行政处罚法专题",
                "kind": kind,
                "starts_at": starts.isoformat(),
                "hours": hours,
            }
        ),
    )


def test_rules():
    """国办发〔2018〕118号: at least 60 hours a year; a shortfall is what is still owed."""
    assert rules.check_required_hours(Decimal(59)) and rules.check_required_hours(Decimal(60)) is None
    assert (
        rules.shortfall(Decimal(48), Decimal(60)) == Decimal(12)
        and rules.shortfall(Decimal(64), Decimal(60)) == 0
    )
    assert (
        rules.check_attended(Decimal(9), Decimal(8)) and rules.check_attended(Decimal(8), Decimal(8)) is None
    )
    assert (
        rules.check_score(Decimal(101), Decimal(100)) and rules.check_score(Decimal(0), Decimal(100)) is None
    )


def test_plan_course_attendance_exam_and_hours(world):
    """Team A's plan asks 64 hours. officer_a attends the 40-hour and the 24-hour course (64: met);
    a2 only the 40-hour one (40: 24 short). officer_b (team B) is not a trainee of team A."""
    a2 = new_officer(world.team_a, name="甲镇二")
    plan = _plan(world.leader_a, world.team_a, hours="64")
    online, legal = (
        _course(world.leader_a, plan, hours="40", days_ago=20),
        _course(world.leader_a, plan, hours="24"),
    )
    services.record_attendance(
        world.leader_a,
        services.AttendanceInput.parse({"course": online.pk, "officers": [world.officer_a.pk, a2.pk]}),
    )
    services.record_attendance(
        world.leader_a, services.AttendanceInput.parse({"course": legal.pk, "officers": [world.officer_a.pk]})
    )
    with pytest.raises(ValidationError) as exc:
        services.record_attendance(
            world.leader_a,
            services.AttendanceInput.parse({"course": legal.pk, "officers": [world.officer_b.pk]}),
        )
    assert exc.value.error_dict["officers"][0].code == "officer_not_trainee"
    with pytest.raises(ValidationError) as exc:
        services.record_attendance(
            world.leader_a,
            services.AttendanceInput.parse({"course": legal.pk, "officers": [world.officer_a.pk]}),
        )
    assert exc.value.error_dict["officers"][0].code == "already_recorded"
    exam = services.create_exam(
        world.leader_a,
        services.ExamInput.parse(
            {"course": legal.pk, "title": "专题考试", "held_on": timezone.localdate().isoformat()}
        ),
    )
    with pytest.raises(ValidationError) as exc:  # a2 did not attend that course
        services.record_scores(
            world.leader_a, services.ScoresInput.parse({"exam": exam.pk, "scores": {a2.pk: 80}})
        )
    assert f"score_{a2.pk}" in exc.value.error_dict
    services.record_scores(
        world.leader_a, services.ScoresInput.parse({"exam": exam.pk, "scores": {world.officer_a.pk: "86.5"}})
    )
    assert exam.scores.get().passed
    hours = {
        r.officer.name: (r.attended, r.required, r.below)
        for r in selectors.hours_by_officer(world.leader_a, YEAR)
    }
    assert hours["甲镇队员"] == (Decimal(64), Decimal(64), False)
    assert hours["甲镇二"] == (Decimal(40), Decimal(64), True)
    # the bureau's officers have no plan of their own: the national 60 hours apply
    district = {r.officer.name: r.required for r in selectors.hours_by_officer(world.guidance_user, YEAR)}
    assert district["局队员"] == Decimal(60) and district["乙镇队员"] == Decimal(60)
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "training.plan.create",
        "training.course.create",
        "training.attendance.record",
        "training.exam.create",
        "training.scores.record",
    } <= actions


def test_bad_input_is_refused_by_field(world):
    with pytest.raises(ValidationError) as exc:
        _plan(world.leader_a, world.team_a, hours="40")
    assert exc.value.error_dict["required_hours"][0].code == "below_national_minimum"
    with pytest.raises(ValidationError) as exc:
        services.PlanInput.parse(
            {"organization": world.team_a.pk, "year": YEAR, "title": "", "syllabus": "x", "unknown": 1}
        )
    assert set(exc.value.error_dict) == {"title", "unknown"}
    assert exc.value.message_dict["title"] == ["请填写方案名称"]
    plan = _plan(world.leader_a, world.team_a)
    with pytest.raises(ValidationError):
        _plan(world.leader_a, world.team_a)  # one plan per body and year
    future = services.CourseInput.parse(
        {
            "plan": plan.pk,
            "title": "未来课程",
            "kind": "business",
            "starts_at": (timezone.now() + dt.timedelta(days=400)).isoformat(),
            "hours": "4",
        }
    )
    with pytest.raises(ValidationError) as exc:
        services.add_course(world.leader_a, future)
    assert "starts_at" in exc.value.error_dict
    course = _course(world.leader_a, plan, hours="8")
    with pytest.raises(ValidationError) as exc:
        services.record_attendance(
            world.leader_a,
            services.AttendanceInput.parse(
                {"course": course.pk, "officers": [world.officer_a.pk], "hours": "9"}
            ),
        )
    assert exc.value.error_dict["hours"][0].code == "hours_out_of_range"
    assert not Attendance.objects.exists()


def test_scoped_and_permission_checked(world):
    plan = _plan(world.leader_a, world.team_a)
    with pytest.raises(PermissionDenied):  # another township's leader
        services.create_plan(
            world.leader_b,
            services.PlanInput.parse(
                {
                    "organization": world.team_a.pk,
                    "year": YEAR + 1 if YEAR < 2100 else YEAR - 1,
                    "title": "t",
                    "syllabus": "s",
                }
            ),
        )
    with pytest.raises(NotFound):
        selectors.get_plan(world.leader_b, plan.pk)
    with pytest.raises(PermissionDenied):  # an officer keeps no training records
        _course(world.user_a, plan)
    assert [p.pk for p in selectors.plans(world.leader_b)] == []
    assert [p.pk for p in selectors.plans(world.guidance_user)] == [plan.pk]


def test_candidates_and_six_support_teams(world):
    services.set_candidate(
        world.leader_a, services.CandidateInput.parse({"officer": world.officer_a.pk, "year": YEAR})
    )
    row = services.set_candidate(
        world.leader_a,
        services.CandidateInput.parse({"officer": world.officer_a.pk, "year": YEAR, "status": "registered"}),
    )
    assert row.get_status_display() == "已报名" and selectors.candidates(world.leader_a, YEAR).count() == 1
    with pytest.raises(NotFound):
        services.set_candidate(
            world.leader_b, services.CandidateInput.parse({"officer": world.officer_a.pk, "year": YEAR})
        )
    support = services.assign_support(
        world.guidance_user,
        services.SupportInput.parse(
            {
                "role": "court",
                "supported": world.team_a.pk,
                "supporter_name": "衢江区人民法院",
                "since": f"{YEAR}-01-01",
            }
        ),
    )
    assert support.supporter_label == "衢江区人民法院"
    with pytest.raises(ValidationError) as exc:
        services.assign_support(
            world.guidance_user,
            services.SupportInput.parse(
                {"role": "public_lawyer", "supported": world.team_a.pk, "since": f"{YEAR}-01-01"}
            ),
        )
    assert exc.value.error_dict["supporter_name"][0].code == "supporter_required"
    with pytest.raises(ValidationError):
        services.SupportInput.parse(
            {"role": "astrologer", "supported": world.team_a.pk, "since": f"{YEAR}-01-01"}
        )
    assert list(selectors.supports(world.leader_b)) == [] and list(selectors.supports(world.leader_a)) == [
        support
    ]
    assert Support.objects.count() == 1


def test_pages(client, world):
    plan = _plan(world.leader_a, world.team_a)
    course = _course(world.leader_a, plan)
    client.force_login(world.leader_a)
    for url in (
        "/training/",
        f"/training/plans/{plan.pk}/",
        f"/training/courses/{course.pk}/",
        "/training/hours/",
        "/training/qualification/",
        "/training/support/",
        "/training/hours/?format=xlsx",
    ):
        assert client.get(url).status_code == 200, url
    response = client.post(
        f"/training/plans/{plan.pk}/", {"title": "", "kind": "legal", "starts_at": "", "hours": "x"}
    )
    html = response.content.decode()
    assert "请填写课程名称" in html and "开课时间" in html and "学时须为数字" in html
    client.force_login(world.leader_b)
    assert client.get(f"/training/plans/{plan.pk}/").status_code == 404
    hours = client.get("/api/v1/training/hours").json()
    assert {h["name"] for h in hours} == {"乙镇队员"}


def test_api_takes_the_same_typed_commands(client, world):
    client.force_login(world.leader_a)
    body = {"organization": world.team_a.pk, "year": YEAR, "title": "方案", "syllabus": "大纲"}
    response = client.post(
        "/api/v1/training/plans", {**body, "colour": "red"}, content_type="application/json"
    )
    assert response.status_code == 422 and response.json()["field"] == "colour"
    response = client.post(
        "/api/v1/training/plans", {**body, "required_hours": 30}, content_type="application/json"
    )
    assert response.status_code == 422 and response.json()["field"] == "required_hours"
    created = client.post("/api/v1/training/plans", body, content_type="application/json")
    assert created.status_code == 201
    assert [p["id"] for p in client.get("/api/v1/training/plans").json()] == [created.json()["id"]]
    client.force_login(world.leader_b)
    other = client.post("/api/v1/training/plans", {**body, "year": YEAR - 1}, content_type="application/json")
    assert other.status_code == 403
