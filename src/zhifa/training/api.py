"""Training endpoints: plans, a year's hours per officer (flagged when short), and the writes of
plans, courses, attendance and exam scores — the same typed commands the pages use."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from ninja import Router, Status

from zhifa.core.schema import Schema

from . import selectors, services

router = Router(tags=["培训"])


class TrainingPlanOut(Schema):
    id: int
    organization_id: int
    organization_name: str
    year: int
    title: str
    required_hours: Decimal

    @staticmethod
    def resolve_organization_name(obj):
        return obj.organization.name


class HoursOut(Schema):
    officer_id: int
    name: str
    organization: str
    attended: Decimal
    required: Decimal
    below: bool


class CreatedOut(Schema):
    id: int


@router.get("/plans", response=list[TrainingPlanOut], summary="年度培训方案")
def plans(request, year: int | None = None):
    return list(selectors.plans(request.auth, year))


@router.get("/hours", response=list[HoursOut], summary="执法人员年度培训学时（below=未达应训学时）")
def hours(request, year: int | None = None):
    year = year or timezone.localdate().year
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": ValidationError("年度须在2000至2100之间", code="out_of_range")})
    return [
        HoursOut(
            officer_id=r.officer.pk,
            name=r.officer.name,
            organization=r.officer.organization.name,
            attended=r.attended,
            required=r.required,
            below=r.below,
        )
        for r in selectors.hours_by_officer(request.auth, year)
    ]


@router.post("/plans", response={201: CreatedOut}, summary="制定年度培训方案")
def create_plan(request, payload: services.PlanInput):
    return Status(201, {"id": services.create_plan(request.auth, payload).pk})


@router.post("/courses", response={201: CreatedOut}, summary="添加培训课程")
def add_course(request, payload: services.CourseInput):
    return Status(201, {"id": services.add_course(request.auth, payload).pk})


@router.post("/attendance", response={201: list[int]}, summary="登记参训")
def attendance(request, payload: services.AttendanceInput):
    return Status(201, [row.pk for row in services.record_attendance(request.auth, payload)])


@router.post("/exams", response={201: CreatedOut}, summary="添加考试")
def create_exam(request, payload: services.ExamInput):
    return Status(201, {"id": services.create_exam(request.auth, payload).pk})


@router.post("/scores", response={201: list[int]}, summary="登记考试成绩")
def scores(request, payload: services.ScoresInput):
    return Status(201, [row.pk for row in services.record_scores(request.auth, payload)])
