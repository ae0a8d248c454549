"""Every write of training: plans, courses, attendance, exams and scores, legal exam candidates and
the "六支队伍". Each takes one typed command, checks the permission on the body concerned, runs in
one transaction and is audited."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from pydantic import Field

from zhifa.core import access, audit
from zhifa.core.commands import Command
from zhifa.organizations.models import Officer, Organization

from . import rules, selectors
from .models import Attendance, Course, Exam, ExamScore, LegalExamCandidate, Support, TrainingPlan

BASIS = "方案 三（五）2；国办发〔2018〕118号"


def _error(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


class PlanInput(Command):
    organization: int = Field(title="单位")
    year: int = Field(title="年度", ge=2000, le=2100)
    title: str = Field(title="方案名称", min_length=1, max_length=200)
    syllabus: str = Field(title="培训大纲", min_length=1, max_length=20000)
    required_hours: Decimal = Field(
        title="每人年度应训学时", default=Decimal(rules.REQUIRED_HOURS), gt=0, le=1000, decimal_places=1
    )


class CourseInput(Command):
    plan: int = Field(title="培训方案")
    title: str = Field(title="课程名称", min_length=1, max_length=200)
    kind: str = Field(title="类别", pattern="^(business|legal)$")
    starts_at: dt.datetime = Field(title="开课时间")
    hours: Decimal = Field(title="学时", gt=0, le=200, decimal_places=1)
    teacher: str = Field(title="授课人", default="", max_length=100)
    location: str = Field(title="地点", default="", max_length=200)


class AttendanceInput(Command):
    course: int = Field(title="课程")
    officers: list[int] = Field(title="参训人员", min_length=1)
    hours: Decimal | None = Field(title="参训学时", default=None, gt=0, le=200, decimal_places=1)


class ExamInput(Command):
    course: int = Field(title="课程")
    title: str = Field(title="考试名称", min_length=1, max_length=200)
    held_on: dt.date = Field(title="考试日期")
    full_marks: Decimal = Field(title="满分", default=Decimal(100), gt=0, le=1000, decimal_places=1)
    pass_mark: Decimal = Field(title="及格分", default=Decimal(60), gt=0, le=1000, decimal_places=1)


class ScoresInput(Command):
    exam: int = Field(title="考试")
    scores: dict[int, Decimal] = Field(title="成绩", min_length=1)


class CandidateInput(Command):
    officer: int = Field(title="执法人员")
    year: int = Field(title="考试年度", ge=2000, le=2100)
    status: str = Field(
        title="状态", default=rules.PREPARING, pattern="^(preparing|registered|passed|failed)$"
    )
    note: str = Field(title="说明", default="", max_length=200)


class SupportInput(Command):
    role: str = Field(title="支撑队伍", pattern="^(" + "|".join(rules.SUPPORT_ROLE_LABELS) + ")$")
    supported: int = Field(title="被支撑单位")
    supporter_org: int | None = Field(title="支撑单位", default=None)
    supporter_officer: int | None = Field(title="支撑人员", default=None)
    supporter_name: str = Field(title="支撑方名称", default="", max_length=100)
    since: dt.date = Field(title="起始日期")
    until: dt.date | None = Field(title="终止日期", default=None)
    note: str = Field(title="支撑内容", default="", max_length=300)


def _not_future(field: str, label: str, day: dt.date) -> None:
    if day > timezone.localdate():
        raise _error(field, f"{label}不能晚于今天", "date_in_future")


@transaction.atomic
def create_plan(actor, cmd: PlanInput) -> TrainingPlan:
    org = access.get_visible(actor, Organization, cmd.organization)
    access.require(actor, "training.manage", org)
    problem = rules.check_required_hours(cmd.required_hours)
    if problem:
        raise _error("required_hours", problem, "below_national_minimum")
    if TrainingPlan.objects.filter(organization=org, year=cmd.year).exists():
        raise _error("year", f"{org.name}已有{cmd.year}年度培训方案", "plan_exists")
    plan = TrainingPlan.objects.create(
        organization=org,
        year=cmd.year,
        title=cmd.title,
        syllabus=cmd.syllabus,
        required_hours=cmd.required_hours,
        created_by=actor,
    )
    audit.record(
        actor,
        "training.plan.create",
        plan,
        organization=org,
        legal_basis=BASIS,
        after={"year": cmd.year, "title": cmd.title, "required_hours": cmd.required_hours},
    )
    return plan


@transaction.atomic
def add_course(actor, cmd: CourseInput) -> Course:
    plan = selectors.get_plan(actor, cmd.plan)
    access.require(actor, "training.manage", plan)
    if (
        timezone.localtime(
            cmd.starts_at if timezone.is_aware(cmd.starts_at) else timezone.make_aware(cmd.starts_at)
        ).year
        != plan.year
    ):
        raise _error("starts_at", f"开课时间须在方案年度（{plan.year}年）内", "outside_plan_year")
    starts_at = cmd.starts_at if timezone.is_aware(cmd.starts_at) else timezone.make_aware(cmd.starts_at)
    course = Course.objects.create(
        plan=plan,
        title=cmd.title,
        kind=cmd.kind,
        starts_at=starts_at,
        hours=cmd.hours,
        teacher=cmd.teacher,
        location=cmd.location,
        created_by=actor,
    )
    audit.record(
        actor,
        "training.course.create",
        course,
        organization=plan.organization,
        legal_basis=BASIS,
        after={
            "plan": plan.pk,
            "title": cmd.title,
            "kind": cmd.kind,
            "hours": cmd.hours,
            "starts_at": starts_at,
        },
    )
    return course


@transaction.atomic
def record_attendance(actor, cmd: AttendanceInput) -> list[Attendance]:
    """Officers attended the course (for its full hours unless ``hours`` says less). An officer
    already recorded is refused, so nothing is counted twice."""
    course = selectors.get_course(actor, cmd.course)
    access.require(actor, "training.manage", course.plan)
    if course.starts_at > timezone.now():
        raise _error("course", "课程尚未开始，不能登记参训", "course_not_started")
    hours = cmd.hours if cmd.hours is not None else course.hours
    problem = rules.check_attended(hours, course.hours)
    if problem:
        raise _error("hours", problem, "hours_out_of_range")
    allowed = {o.pk: o for o in selectors.trainees(actor, course.plan).filter(pk__in=cmd.officers)}
    unknown = [pk for pk in cmd.officers if pk not in allowed]
    if unknown:
        raise _error("officers", "参训人员须为本单位在岗人员", "officer_not_trainee")
    already = set(
        Attendance.objects.filter(course=course, officer_id__in=cmd.officers).values_list(
            "officer_id", flat=True
        )
    )
    if already:
        names = "、".join(allowed[pk].name for pk in sorted(already))
        raise _error("officers", f"已登记过参训：{names}", "already_recorded")
    rows = Attendance.objects.bulk_create(
        [
            Attendance(course=course, officer=allowed[pk], hours=hours, recorded_by=actor)
            for pk in dict.fromkeys(cmd.officers)
        ]
    )
    audit.record(
        actor,
        "training.attendance.record",
        course,
        organization=course.plan.organization,
        after={"officers": sorted(allowed), "hours": hours},
    )
    return rows


@transaction.atomic
def create_exam(actor, cmd: ExamInput) -> Exam:
    course = selectors.get_course(actor, cmd.course)
    access.require(actor, "training.manage", course.plan)
    _not_future("held_on", "考试日期", cmd.held_on)
    if cmd.pass_mark > cmd.full_marks:
        raise _error("pass_mark", "及格分不能高于满分", "pass_mark_above_full")
    exam = Exam.objects.create(
        course=course,
        title=cmd.title,
        held_on=cmd.held_on,
        full_marks=cmd.full_marks,
        pass_mark=cmd.pass_mark,
    )
    audit.record(
        actor,
        "training.exam.create",
        exam,
        organization=course.plan.organization,
        after={"course": course.pk, "title": cmd.title, "held_on": cmd.held_on, "pass_mark": cmd.pass_mark},
    )
    return exam


@transaction.atomic
def record_scores(actor, cmd: ScoresInput) -> list[ExamScore]:
    """Scores of officers who attended the exam's course; a score is recorded once."""
    exam = access.get_visible(actor, Exam.objects.select_related("course__plan__organization"), cmd.exam)
    access.require(actor, "training.manage", exam.course.plan)
    attended = set(
        Attendance.objects.filter(course=exam.course, officer_id__in=list(cmd.scores)).values_list(
            "officer_id", flat=True
        )
    )
    errors = {}
    for officer_id, score in cmd.scores.items():
        if officer_id not in attended:
            errors[f"score_{officer_id}"] = ValidationError(
                "未登记参加该课程，不能登记成绩", code="not_attended"
            )
        elif problem := rules.check_score(score, exam.full_marks):
            errors[f"score_{officer_id}"] = ValidationError(problem, code="score_out_of_range")
    if ExamScore.objects.filter(exam=exam, officer_id__in=list(cmd.scores)).exists():
        errors["scores"] = ValidationError("已登记过成绩的人员不能重复登记", code="already_recorded")
    if errors:
        raise ValidationError(errors)
    rows = ExamScore.objects.bulk_create(
        [
            ExamScore(exam=exam, officer_id=pk, score=score, recorded_by=actor)
            for pk, score in cmd.scores.items()
        ]
    )
    audit.record(
        actor,
        "training.scores.record",
        exam,
        organization=exam.course.plan.organization,
        after={"scores": {str(k): v for k, v in cmd.scores.items()}},
    )
    return rows


@transaction.atomic
def set_candidate(actor, cmd: CandidateInput) -> LegalExamCandidate:
    officer = access.get_visible(actor, Officer.objects.select_related("organization"), cmd.officer)
    access.require(actor, "training.manage", officer)
    row, created = LegalExamCandidate.objects.update_or_create(
        officer=officer, year=cmd.year, defaults={"status": cmd.status, "note": cmd.note}
    )
    audit.record(
        actor,
        "training.legal_exam." + ("add" if created else "update"),
        row,
        organization=officer.organization,
        after={"officer": officer.pk, "year": cmd.year, "status": cmd.status},
        legal_basis="方案 三（五）2：鼓励参加国家统一法律职业资格考试",
    )
    return row


@transaction.atomic
def assign_support(actor, cmd: SupportInput) -> Support:
    supported = access.get_visible(actor, Organization, cmd.supported)
    access.require(actor, "training.manage_support", supported)
    supporter_org = Organization.objects.filter(pk=cmd.supporter_org).first() if cmd.supporter_org else None
    if cmd.supporter_org and supporter_org is None:
        raise _error("supporter_org", "支撑单位不存在", "not_found")
    officer = None
    if cmd.supporter_officer:
        officer = Officer.objects.filter(pk=cmd.supporter_officer, is_active=True).first()
        if officer is None:
            raise _error("supporter_officer", "支撑人员不存在或不在岗", "not_found")
    if supporter_org is None and officer is None and not cmd.supporter_name:
        raise _error("supporter_name", "请填写支撑单位、支撑人员或支撑方名称", "supporter_required")
    if cmd.until and cmd.until < cmd.since:
        raise _error("until", "终止日期不能早于起始日期", "dates_reversed")
    row = Support.objects.create(
        role=cmd.role,
        supported=supported,
        supporter_org=supporter_org,
        supporter_officer=officer,
        supporter_name=cmd.supporter_name,
        since=cmd.since,
        until=cmd.until,
        note=cmd.note,
        created_by=actor,
    )
    audit.record(
        actor,
        "training.support.assign",
        row,
        organization=supported,
        legal_basis=BASIS,
        after={
            "role": cmd.role,
            "supported": supported.pk,
            "supporter_org": getattr(supporter_org, "pk", None),
            "supporter_officer": getattr(officer, "pk", None),
            "supporter_name": cmd.supporter_name,
        },
    )
    return row
