"""Training pages: plans per body and year, a plan's courses, a course's attendance and exams,
hours per officer (flagged when short), the legal qualification roster and the "六支队伍".
Thin: each view parses one command, calls one service, renders."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone

from zhifa.core import access
from zhifa.core.commands import field_errors
from zhifa.core.errors import DomainError
from zhifa.core.exports import wants_xlsx, xlsx_response
from zhifa.core.web import service_view
from zhifa.organizations.models import Officer, Organization

from . import rules, selectors, services


def _year(request) -> int:
    raw = request.GET.get("year") or ""
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else timezone.localdate().year


def _submit(request, command_type, service, **values):
    """Parse the POST into ``command_type``, run ``service``; (result, errors, typed values)."""
    try:
        return service(request.user, command_type.parse(request.POST, **values)), {}, request.POST
    except ValidationError as exc:
        return None, field_errors(exc), request.POST
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        return None, {exc.field or "form": exc.message}, request.POST


def _bodies(user):
    """Bodies the user may keep training records for: enforcement bodies and township teams (and
    the guidance office's own) within his scope."""
    kinds = (Organization.Kind.TOWNSHIP_TEAM, Organization.Kind.GUIDANCE_OFFICE)
    candidates = (
        access.visible_to(user, Organization)
        .filter(Q(is_enforcement_body=True) | Q(kind__in=kinds), is_active=True)
        .order_by("path")
    )
    return [o for o in candidates if access.can(user, "training.manage", o)]


@service_view
def plans(request):
    year = _year(request)
    errors, values = {}, {}
    if request.method == "POST":
        plan, errors, values = _submit(request, services.PlanInput, services.create_plan)
        if plan is not None:
            messages.success(request, "已制定年度培训方案")
            return redirect("training:plan", plan.pk)
    bodies = _bodies(request.user)
    return render(
        request,
        "training/plans.html",
        {
            "year": year,
            "plans": selectors.plans(request.user, year),
            "bodies": bodies,
            "errors": errors,
            "values": values,
            "may_create": bool(bodies),
            "required_hours": rules.REQUIRED_HOURS,
        },
    )


@service_view
def plan(request, plan_id: int):
    plan = selectors.get_plan(request.user, plan_id)
    errors, values = {}, {}
    if request.method == "POST":
        course, errors, values = _submit(request, services.CourseInput, services.add_course, plan=plan.pk)
        if course is not None:
            messages.success(request, "已添加课程")
            return redirect("training:course", course.pk)
    return render(
        request,
        "training/plan.html",
        {
            "plan": plan,
            "courses": selectors.courses(request.user, plan),
            "errors": errors,
            "values": values,
            "kinds": rules.COURSE_KIND_LABELS,
            "may_manage": access.can(request.user, "training.manage", plan),
        },
    )


@service_view
def course(request, course_id: int):
    course = selectors.get_course(request.user, course_id)
    errors, values = {}, {}
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "attendance":
            done, errors, values = _submit(
                request, services.AttendanceInput, services.record_attendance, course=course.pk
            )
            text = f"已登记 {len(done)} 人参训" if done else ""
        elif action == "exam":
            done, errors, values = _submit(
                request, services.ExamInput, services.create_exam, course=course.pk
            )
            text = "已添加考试" if done else ""
        else:
            done, errors, values = _scores(request)
            text = f"已登记 {len(done)} 人成绩" if done else ""
        if done:
            messages.success(request, text)
            return redirect("training:course", course.pk)
    if request.method != "POST":
        values = {"held_on": timezone.localdate().isoformat(), "full_marks": "100", "pass_mark": "60"}
    exams = list(selectors.exams(course))
    return render(
        request,
        "training/course.html",
        {
            "course": course,
            "attendance": selectors.attendance(course),
            "exams": exams,
            "trainees": selectors.trainees(request.user, course.plan),
            "errors": errors,
            "values": values,
            "today": timezone.localdate(),
            "may_manage": access.can(request.user, "training.manage", course.plan),
        },
    )


def _scores(request):
    scores = {
        key.removeprefix("score_"): value
        for key, value in request.POST.items()
        if key.startswith("score_") and value.strip()
    }
    try:
        cmd = services.ScoresInput.parse({"exam": request.POST.get("exam"), "scores": scores})
        return services.record_scores(request.user, cmd), {}, request.POST
    except ValidationError as exc:
        return None, field_errors(exc), request.POST


@service_view
def hours(request):
    year = _year(request)
    rows = selectors.hours_by_officer(request.user, year)
    only_short = request.GET.get("short") == "1"
    shown = [r for r in rows if r.below] if only_short else rows
    if wants_xlsx(request):
        return xlsx_response(
            f"培训学时{year}",
            f"{year}年度执法人员培训学时",
            ["工号", "姓名", "所属机构", "参训课程", "已训学时", "应训学时", "差额", "是否达标"],
            (
                [
                    r.officer.employee_no,
                    r.officer.name,
                    r.officer.organization.name,
                    r.courses,
                    r.attended,
                    r.required,
                    r.shortfall,
                    "否" if r.below else "是",
                ]
                for r in shown
            ),
        )
    return render(
        request,
        "training/hours.html",
        {
            "year": year,
            "rows": shown,
            "total": len(rows),
            "short": sum(1 for r in rows if r.below),
            "only_short": only_short,
        },
    )


@service_view
def qualification(request):
    year = _year(request)
    errors, values = {}, {}
    if request.method == "POST":
        row, errors, values = _submit(request, services.CandidateInput, services.set_candidate)
        if row is not None:
            messages.success(request, "已登记")
            return redirect(f"{request.path}?year={row.year}")
    officers = (
        access.visible_to(request.user, Officer)
        .filter(is_active=True)
        .order_by("organization__path", "employee_no")
    )
    return render(
        request,
        "training/qualification.html",
        {
            "year": year,
            "qualified": selectors.qualified(request.user),
            "candidates": selectors.candidates(request.user, year),
            "statuses": rules.CANDIDATE_STATUS_LABELS,
            "officers": officers,
            "errors": errors,
            "values": values,
            "may_manage": access.has_role(request.user, *access.get_permission("training.manage").roles),
        },
    )


@service_view
def support(request):
    errors, values = {}, {}
    if request.method == "POST":
        row, errors, values = _submit(request, services.SupportInput, services.assign_support)
        if row is not None:
            messages.success(request, "已登记支撑关系")
            return redirect("training:support")
    today = timezone.localdate()
    if request.method != "POST":
        values = {"since": dt.date(today.year, 1, 1).isoformat()}
    visible_orgs = access.visible_to(request.user, Organization).filter(is_active=True).order_by("path")
    return render(
        request,
        "training/support.html",
        {
            "supports": selectors.supports(request.user),
            "today": today,
            "roles": rules.SUPPORT_ROLE_LABELS,
            "supported_orgs": [
                o for o in visible_orgs if access.can(request.user, "training.manage_support", o)
            ],
            "orgs": Organization.objects.filter(is_active=True).order_by("path"),
            "errors": errors,
            "values": values,
        },
    )
