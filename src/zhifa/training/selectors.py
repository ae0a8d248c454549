"""Reads of training, through the access policy: plans, courses with their attendance and exams,
hours per officer per year (with the officers short of their required hours flagged), the legal
qualification roster and the "六支队伍". Aggregates in SQL."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from zhifa.core import access
from zhifa.organizations.models import Officer

from . import rules
from .models import Attendance, Course, Exam, ExamScore, LegalExamCandidate, Support, TrainingPlan

ZERO = Value(Decimal(0), output_field=DecimalField(max_digits=7, decimal_places=1))


def plans(actor, year: int | None = None) -> QuerySet[TrainingPlan]:
    qs = (
        access.visible_to(actor, TrainingPlan)
        .select_related("organization")
        .annotate(course_count=Count("courses", distinct=True))
    )
    return qs.filter(year=year) if year else qs


def get_plan(actor, plan_id) -> TrainingPlan:
    return access.get_visible(actor, TrainingPlan.objects.select_related("organization"), plan_id)


def courses(actor, plan: TrainingPlan) -> QuerySet[Course]:
    return (
        access.visible_to(actor, Course)
        .filter(plan=plan)
        .annotate(attendees=Count("attendance", distinct=True), exam_count=Count("exams", distinct=True))
    )


def get_course(actor, course_id) -> Course:
    return access.get_visible(actor, Course.objects.select_related("plan__organization"), course_id)


def attendance(course: Course) -> QuerySet[Attendance]:
    return course.attendance.select_related("officer__organization").order_by("officer__employee_no")


def exams(course: Course) -> QuerySet[Exam]:
    return course.exams.prefetch_related(
        Prefetch(
            "scores",
            ExamScore.objects.select_related("officer", "exam").order_by("-score", "officer__employee_no"),
        )
    ).order_by("held_on", "pk")


def scores(exam: Exam) -> QuerySet[ExamScore]:
    return exam.scores.select_related("officer__organization", "exam").order_by(
        "-score", "officer__employee_no"
    )


def trainees(actor, plan: TrainingPlan) -> QuerySet[Officer]:
    """Officers who may attend the plan's courses: active officers of the plan's body (its
    subtree) and officers posted to its township, within the actor's scope."""
    org = plan.organization
    condition = Q(organization__path__startswith=org.path)
    if org.region.is_township:
        condition |= Q(posted_to=org.region)
    return (
        access.visible_to(actor, Officer)
        .filter(condition, is_active=True)
        .select_related("organization")
        .order_by("organization__path", "employee_no")
    )


def year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    return (timezone.make_aware(dt.datetime(year, 1, 1)), timezone.make_aware(dt.datetime(year + 1, 1, 1)))


def required_hours_of(officer_org_path: str, year: int, plans_by_path: dict[str, Decimal]) -> Decimal:
    """The hours of the plan of the officer's nearest body that has one for the year; the national
    minimum when none has."""
    best, best_len = Decimal(rules.REQUIRED_HOURS), -1
    for path, hours in plans_by_path.items():
        if officer_org_path.startswith(path) and len(path) > best_len:
            best, best_len = hours, len(path)
    return best


@dataclass(frozen=True)
class OfficerHours:
    officer: Officer
    attended: Decimal
    required: Decimal
    courses: int

    @property
    def shortfall(self) -> Decimal:
        return rules.shortfall(self.attended, self.required)

    @property
    def below(self) -> bool:
        return self.shortfall > 0


def hours_by_officer(actor, year: int, *, officers: QuerySet[Officer] | None = None) -> list[OfficerHours]:
    """Hours attended per active enforcement officer in the year (one aggregate query), against the
    hours their body's plan requires; the ones short of them are ``below``."""
    start, end = year_bounds(year)
    attended = (
        Attendance.objects.filter(
            officer=OuterRef("pk"), course__starts_at__gte=start, course__starts_at__lt=end
        )
        .order_by()
        .values("officer")
        .annotate(total=Sum("hours"))
        .values("total")
    )
    count = (
        Attendance.objects.filter(
            officer=OuterRef("pk"), course__starts_at__gte=start, course__starts_at__lt=end
        )
        .order_by()
        .values("officer")
        .annotate(n=Count("pk"))
        .values("n")
    )
    base = (
        officers
        if officers is not None
        else access.visible_to(actor, Officer).filter(is_active=True, kind=Officer.Kind.ENFORCEMENT)
    )
    rows = (
        base.select_related("organization")
        .annotate(attended=Coalesce(Subquery(attended), ZERO), courses=Coalesce(Subquery(count), 0))
        .order_by("organization__path", "employee_no")
    )
    plans_by_path = dict(
        TrainingPlan.objects.filter(year=year).values_list("organization__path", "required_hours")
    )
    return [
        OfficerHours(o, o.attended, required_hours_of(o.organization.path, year, plans_by_path), o.courses)
        for o in rows
    ]


def training_compliance(officer_ids: list[int], year: int) -> dict[int, tuple[Decimal, Decimal]]:
    """``{officer id: (attended, required)}`` for the appraisal (one aggregate query)."""
    rows = hours_by_officer(None, year, officers=Officer.objects.filter(pk__in=officer_ids))
    return {r.officer.pk: (r.attended, r.required) for r in rows}


def qualified(actor) -> QuerySet[Officer]:
    """Officers holding the national legal professional qualification (法律职业资格)."""
    return (
        access.visible_to(actor, Officer)
        .filter(is_active=True, legal_qualified=True)
        .select_related("organization")
        .order_by("organization__path", "employee_no")
    )


def candidates(actor, year: int | None = None) -> QuerySet[LegalExamCandidate]:
    qs = access.visible_to(actor, LegalExamCandidate).select_related("officer__organization")
    return qs.filter(year=year) if year else qs


def supports(actor, *, current_on: dt.date | None = None) -> QuerySet[Support]:
    qs = access.visible_to(actor, Support).select_related(
        "supported", "supporter_org", "supporter_officer__organization"
    )
    if current_on:
        qs = qs.filter(Q(until__isnull=True) | Q(until__gte=current_on), since__lte=current_on)
    return qs


def has_attended(officer_id: int, course_id: int) -> bool:
    return Attendance.objects.filter(officer_id=officer_id, course_id=course_id).exists()
