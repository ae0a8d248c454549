"""Inspection pages: visits (综合查一次) and their merging, an inspector's own work on the phone, the
record form — offered only where the user may record, with the drawn inspectors ticked — the
inspection with a recorded cause, records with rectification and verification (复查), and the
public 行政行为码 page where the party rates and reports its rectification. Plans and draws are in
``plan_views``. Views parse, call one service or selector, render."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from zhifa.catalog import rules as catalog_rules
from zhifa.catalog.models import EnforcementItem
from zhifa.core import access
from zhifa.core.errors import DomainError, NotFound, PermissionDenied
from zhifa.core.exports import wants_xlsx, xlsx_response
from zhifa.core.scopes import Scope
from zhifa.core.web import public_url, service_view
from zhifa.organizations.credentials import qr_svg
from zhifa.organizations.forms import add_service_errors
from zhifa.organizations.models import Certificate, Officer
from zhifa.parties.selectors import visible_parties

from . import handoffs, selectors, services
from .forms import (
    AssignOfficerForm,
    CauseRecordForm,
    RatingForm,
    RecordForm,
    RectificationForm,
    ReportForm,
    VerifyRectificationForm,
    VisitFilterForm,
)
from .models import InspectionTask, JointInspection, assigned_officer_ids
from .plan_views import (
    plan_detail,
    plan_draw,
    plan_list,
    plan_new,
    plan_publish,
    plan_redraw,
    public_draw,
    public_plans,
)

__all__ = [
    "plan_detail",
    "plan_draw",
    "plan_list",
    "plan_new",
    "plan_publish",
    "plan_redraw",
    "public_draw",
    "public_plans",
]

PAGE_SIZE = 50
#: The visit list's 重复检查 panel looks this far back; the supervision rule covers all records.
REPEATED_PANEL_PERIOD = dt.timedelta(days=90)


def _page(request, queryset):
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


def _refusal(exc: Exception) -> str:
    if isinstance(exc, NotFound | PermissionDenied):
        raise exc
    return "；".join(exc.messages) if isinstance(exc, ValidationError) else exc.message


@service_view
def visit_list(request):
    scope = Scope.for_user(request.user)
    filters = VisitFilterForm(request.GET)
    visits = selectors.visits(scope, **filters.selector_filters())
    if wants_xlsx(request):
        return xlsx_response(
            "综合查一次",
            "综合查一次",
            ["检查对象", "乡镇（街道）", "日期", "部门", "任务数", "状态"],
            (
                [
                    v.party.name,
                    v.party.township.name,
                    v.day,
                    "、".join(t.department.name for t in v.tasks.all()),
                    v.task_count,
                    v.get_state_display(),
                ]
                for v in visits.iterator(chunk_size=500)
            ),
        )
    page, query = _page(request, visits)
    user = request.user
    rows = [
        (v, v.state == JointInspection.State.PLANNED and access.can(user, "inspections.record", v))
        for v in page
    ]
    return render(
        request,
        "inspections/visit_list.html",
        {
            "filters": filters,
            "page": page,
            "rows": rows,
            "query": query,
            "may_merge": access.can(user, "inspections.joint_plan"),
            "departments": selectors.department_indicators(scope),
            "indicators": selectors.district_indicators(scope),
            "repeated": selectors.repeated_inspections(scope, since=timezone.now() - REPEATED_PANEL_PERIOD)[
                :20
            ],
        },
    )


@service_view
@require_POST
def visit_merge(request):
    """统筹安排综合查一次: merge every department's open tasks into visits, from today on."""
    result = services.plan_joint_inspections(request.user)
    messages.success(
        request, f"已统筹安排：{result.tasks} 项任务合并为 {result.visits} 次上门，减少上门 {result.saved} 次"
    )
    return redirect("inspections:visit_list")


@service_view
def my_work(request):
    """我的检查: the visits and tasks the user was drawn for, on the phone."""
    today = timezone.localdate()
    work = selectors.my_work(getattr(request.user, "officer_id", None), today)
    return render(
        request,
        "inspections/my_work.html",
        {**work, "today": today, "may_cause": access.can(request.user, "inspections.inspect_for_cause")},
    )


def _checklist(tasks):
    seen, lines = set(), []
    for task in tasks:
        for item in task.plan.items.all():
            for entry in item.checklist.all():
                if entry.pk not in seen:
                    seen.add(entry.pk)
                    lines.append((item, entry))
    return lines


def _substitutes(tasks, drawn: list[Officer]) -> list[Officer]:
    """Certified officers of the tasks' departments who were not drawn: offered, unticked, as
    substitutes when a drawn inspector cannot come (recorded as such)."""
    day = timezone.localdate()
    drawn_ids = {o.pk for o in drawn}
    certified = Certificate.objects.valid_on(day).values("officer_id")
    return list(
        Officer.objects.filter(
            organization__in=[t.department_id for t in tasks],
            is_active=True,
            kind=Officer.Kind.ENFORCEMENT,
            pk__in=certified,
        )
        .exclude(pk__in=drawn_ids)
        .order_by("pk")[:30]
    )


def _record_page(request, target, tasks, data_key: str):
    """The phone form of a visit or a task: the drawn inspectors ticked, substitutes offered."""
    access.require(request.user, "inspections.record", target)
    officers = list(Officer.objects.filter(pk__in=assigned_officer_ids(target)).order_by("pk"))
    lines = _checklist(tasks)
    initial = {
        "officer_ids": [str(o.pk) for o in officers],
        "started_at": timezone.localtime().replace(second=0, microsecond=0),
        "outcome": "no_issue",
    }
    form = RecordForm(
        request.POST or None,
        request.FILES or None,
        officers=officers,
        substitutes=_substitutes(tasks, officers),
        initial=initial,
    )
    chosen = {str(e.pk): request.POST.get(f"entry_{e.pk}", "") for _, e in lines}
    if request.method == "POST" and form.is_valid():
        data = {
            **form.cleaned_data,
            data_key: target.pk,
            "officer_ids": [int(i) for i in form.cleaned_data["officer_ids"]],
            "checklist": [
                {"entry_id": int(pk), "result": value, "note": request.POST.get(f"note_{pk}", "")}
                for pk, value in chosen.items()
                if value
            ],
        }
        data.pop("photo", None)
        try:
            with transaction.atomic():
                result = services.record_inspection(request.user, data)
                if form.cleaned_data.get("photo"):
                    services.add_attachment(request.user, result.record.pk, form.cleaned_data["photo"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        except DomainError as exc:
            form.add_error(None, _refusal(exc))
        else:
            for warning in result.warnings:
                messages.warning(request, warning)
            messages.success(request, "检查记录已保存")
            return redirect("inspections:record_detail", record_id=result.record.pk)
    code = getattr(target, "action_code", None) if isinstance(target, JointInspection) else None
    token = services.action_code_token(code) if code is not None else None
    code_url = public_url(request, reverse("inspections:public_code", args=[token])) if token else None
    substitutes = _substitutes(tasks, officers)
    return render(
        request,
        "inspections/record_form.html",
        {
            "assign_form": AssignOfficerForm(drawn=officers, substitutes=substitutes),
            "changes": list(target.changes.all()),
            "visit": target if isinstance(target, JointInspection) else None,
            "task": target if isinstance(target, InspectionTask) else None,
            "party": target.party,
            "tasks": tasks,
            "form": form,
            "lines": [(item, entry, chosen.get(str(entry.pk), "")) for item, entry in lines],
            "code_url": code_url,
            "code_qr": mark_safe(qr_svg(code_url)) if code_url else "",  # SVG from segno, no user text
        },
    )


@service_view
def visit_record(request, visit_id: int):
    try:
        visit = selectors.visit_detail(Scope.for_user(request.user), visit_id)
    except NotFound:
        visit = _drawn_visit(request.user, visit_id)
    if hasattr(visit, "record"):
        return redirect("inspections:record_detail", record_id=visit.record.pk)
    if visit.state == JointInspection.State.CANCELLED:
        raise NotFound("这次综合查一次因重新抽取已取消")
    tasks = [t for t in visit.tasks.all() if t.state != InspectionTask.State.CANCELLED]
    return _record_page(request, visit, tasks, "visit")


def _drawn_visit(user, visit_id) -> JointInspection:
    """A visit outside the user's scope that he was drawn for (a posted officer of another body)."""
    visit = (
        JointInspection.objects.filter(pk=visit_id, officers=getattr(user, "officer_id", None) or 0)
        .select_related("party")
        .prefetch_related("tasks__plan__items__checklist", "tasks__department", "officers")
        .first()
    )
    if visit is None:
        raise NotFound()
    return visit


@service_view
def task_record(request, task_id: int):
    task = selectors.task_detail(Scope.for_user(request.user), task_id)
    if hasattr(task, "record"):
        return redirect("inspections:record_detail", record_id=task.record.pk)
    if task.visit_id:
        return redirect("inspections:visit_record", visit_id=task.visit_id)
    return _record_page(request, task, [task], "task")


@service_view
def cause_record(request):
    """An inspection outside the draw, only with its recorded cause (无事不扰)."""
    user = request.user
    access.require(user, "inspections.inspect_for_cause")
    org = getattr(user, "organization", None)
    department = org.body() if org is not None else None
    if department is None:
        raise PermissionDenied("未归属执法主体的用户不能登记检查")
    items = (
        EnforcementItem.objects.filter(
            kind=catalog_rules.INSPECTION, status=catalog_rules.IN_FORCE, claims__organization=department
        )
        .distinct()
        .order_by("code")
    )
    officers = Officer.objects.filter(
        organization__path__startswith=department.path, is_active=True, kind=Officer.Kind.ENFORCEMENT
    ).order_by("pk")[:100]
    parties = visible_parties(Scope.for_user(user)).order_by("name")
    form = CauseRecordForm(
        request.POST or None,
        parties=parties,
        items=items,
        officers=officers,
        initial={
            "officer_ids": [str(user.officer_id)] if getattr(user, "officer_id", None) else [],
            "started_at": timezone.localtime().replace(second=0, microsecond=0),
            "outcome": "no_issue",
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = services.record_for_cause(
                user,
                {
                    "party": data["party"],
                    "department": department,
                    "cause_kind": data["cause_kind"],
                    "cause_ref": data["cause_ref"],
                    "cause_note": data["cause_note"],
                    "item_ids": [i.pk for i in data["items"]],
                    "officer_ids": [int(i) for i in data["officer_ids"]],
                    "started_at": data["started_at"],
                    "ended_at": data["ended_at"],
                    "findings": data["findings"],
                    "outcome": data["outcome"],
                },
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except DomainError as exc:
            form.add_error(None, _refusal(exc))
        else:
            messages.success(request, "检查记录已保存")
            return redirect("inspections:record_detail", record_id=result.record.pk)
    return render(request, "inspections/cause_form.html", {"form": form, "department": department})


@service_view
def record_list(request):
    scope = Scope.for_user(request.user)
    filters = VisitFilterForm(request.GET)
    q = filters.cleaned_data.get("q") if filters.is_valid() else None
    records = selectors.records(scope, q=q)
    if wants_xlsx(request):
        return xlsx_response(
            "检查记录",
            "检查记录",
            ["检查对象", "部门", "开始时间", "结束时间", "检查人员", "处理结果", "检查事由"],
            (
                [
                    r.party.name,
                    r.department.name,
                    r.started_at,
                    r.ended_at,
                    "、".join(o.name for o in r.officers.all()),
                    r.get_outcome_display(),
                    r.get_cause_kind_display() or "计划检查",
                ]
                for r in records.iterator(chunk_size=500)
            ),
        )
    page, query = _page(request, records)
    return render(
        request,
        "inspections/record_list.html",
        {
            "filters": filters,
            "page": page,
            "query": query,
            "overdue": list(selectors.overdue_rectifications(scope, timezone.localdate())[:20]),
        },
    )


def _render_record(request, record_id: int, rectification_form=None):
    scope = Scope.for_user(request.user)
    record = selectors.record_detail(scope, record_id)
    may_record = access.can(request.user, "inspections.record", record)
    today = timezone.localdate()
    return render(
        request,
        "inspections/record_detail.html",
        {
            "record": record,
            "may_record": may_record,
            "today": today,
            "orders": [(o, o.state == "open" and o.deadline < today) for o in record.rectifications.all()],
            "handoffs": handoffs.registered() if may_record and not record.handoff_ref else [],
            "rectification_form": rectification_form or (RectificationForm() if may_record else None),
            "verify_form": VerifyRectificationForm() if may_record else None,
        },
    )


@service_view
def record_detail(request, record_id: int):
    return _render_record(request, record_id)


@service_view
def attachment_file(request, record_id: int, attachment_id: int):
    """A record's attachment, only to users who may see the record (files are never served directly)."""
    record = selectors.record_detail(Scope.for_user(request.user), record_id)
    attachment = next((a for a in record.attachments.all() if a.pk == attachment_id), None)
    if attachment is None:
        raise NotFound()
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)


@service_view
@require_POST
def record_handoff(request, record_id: int):
    try:
        record = services.hand_off(request.user, record_id, request.POST.get("kind", ""))
    except DomainError as exc:
        messages.error(request, _refusal(exc))
    else:
        messages.success(request, f"已移交：{record.handoff_ref}")
    return redirect("inspections:record_detail", record_id=record_id)


@service_view
@require_POST
def record_rectification(request, record_id: int):
    form = RectificationForm(request.POST)
    if form.is_valid():
        try:
            order = services.issue_rectification(
                request.user, record_id, form.cleaned_data["content"], form.cleaned_data["working_days"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已责令整改，期限至 {order.deadline:%Y-%m-%d}")
            return redirect("inspections:record_detail", record_id=record_id)
    return _render_record(request, record_id, rectification_form=form)


@service_view
@require_POST
def rectification_verify(request, record_id: int, order_id: int):
    form = VerifyRectificationForm(request.POST, request.FILES)
    form.is_valid()
    try:
        services.verify_rectification(
            request.user,
            order_id,
            note=form.cleaned_data.get("note", ""),
            photo=form.cleaned_data.get("photo"),
        )
    except (DomainError, ValidationError) as exc:
        messages.error(request, _refusal(exc))
    else:
        messages.success(request, "整改复查已通过")
    return redirect("inspections:record_detail", record_id=record_id)


# ---- public pages (no login) ----


@never_cache
def public_code(request, token: str):
    try:
        code = services.code_from_token(token)
    except NotFound as exc:
        raise Http404(exc.message) from None
    form = RatingForm(request.POST or None) if request.POST.get("form") != "report" else RatingForm()
    report_form = ReportForm(request.POST or None) if request.POST.get("form") == "report" else ReportForm()
    if request.method == "POST" and request.POST.get("form") == "report" and report_form.is_valid():
        try:
            services.report_rectification(
                token, int(request.POST.get("order") or 0), report_form.cleaned_data["report"]
            )
        except ValidationError as exc:
            add_service_errors(report_form, exc)
        except DomainError as exc:
            report_form.add_error(None, exc.message)
        else:
            return redirect("inspections:public_code", token=token)
    elif request.method == "POST" and form.is_valid():
        try:
            services.rate_action_code(token, form.cleaned_data["rating"], form.cleaned_data["comment"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("inspections:public_code", token=token)
    info = selectors.public_code(services.code_from_token(token))
    orders = selectors.code_rectifications(code)
    response = render(
        request,
        "inspections/public_code.html",
        {"info": info, "form": form, "orders": orders, "report_form": report_form},
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@service_view
@require_POST
def assign_officer(request, kind: str, target_id: int):
    """调整检查人员 before the inspection: a drawn inspector replaced, with the reason."""
    form = AssignOfficerForm(request.POST, drawn=Officer.objects.all(), substitutes=Officer.objects.all())
    back = (
        ("inspections:visit_record", "visit_id")
        if kind == "visit"
        else ("inspections:task_record", "task_id")
    )
    if not form.is_valid():
        messages.error(request, "请选择被替换人员、替补人员并写明理由")
    else:
        try:
            officer = services.assign_officer(
                request.user,
                officer_id=form.cleaned_data["officer"].pk,
                replaces_id=form.cleaned_data["replaces"].pk,
                reason=form.cleaned_data["reason"],
                **{f"{kind}_id": target_id},
            )
        except (ValidationError, DomainError) as exc:
            messages.error(request, _refusal(exc))
        else:
            messages.success(request, f"已调整检查人员：{officer.name}")
    return redirect(back[0], **{back[1]: target_id})
