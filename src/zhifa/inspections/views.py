"""Inspection pages: plans with their draw, visits, the phone record form, records, and the
public pages (行政行为码, published draw results). Views parse, call one service or selector, render."""

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

from zhifa.core.errors import DomainError, NotFound
from zhifa.core.exports import wants_xlsx, xlsx_response
from zhifa.core.scopes import Scope
from zhifa.core.web import public_url, service_view
from zhifa.organizations.credentials import qr_svg
from zhifa.organizations.forms import add_service_errors

from . import handoffs, rules, selectors, services
from .forms import PlanFilterForm, RatingForm, RecordForm, RectificationForm, VisitFilterForm

PAGE_SIZE = 50


def _may_plan(user) -> bool:
    return user.is_superuser or user.role in rules.PLAN_MANAGERS


def _may_record(user) -> bool:
    return user.is_superuser or user.role in rules.RECORDERS


def _page(request, queryset):
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


@service_view
def plan_list(request):
    scope = Scope.for_user(request.user)
    filters = PlanFilterForm(request.GET)
    plans = selectors.plans(scope, **filters.selector_filters())
    if wants_xlsx(request):
        return xlsx_response("检查计划", "监管执法计划", ["计划", "执法部门", "计划开始", "计划结束", "事项", "任务", "状态"], (
            [p.name, p.department.name, p.period_start, p.period_end, p.item_count, p.task_count, p.get_state_display()]
            for p in plans.iterator(chunk_size=500)))
    page, query = _page(request, plans)
    indicators = selectors.district_indicators(scope)
    return render(request, "inspections/plan_list.html", {"filters": filters, "page": page, "query": query,
                                                          "indicators": indicators})


@service_view
def plan_detail(request, plan_id: int):
    scope = Scope.for_user(request.user)
    plan = selectors.plan_detail(scope, plan_id)
    draw = getattr(plan, "draw", None) if plan.state != plan.State.DRAFT else None
    check = services.verify_draw(draw) if draw is not None else None
    return render(request, "inspections/plan_detail.html", {
        "plan": plan, "draw": draw, "check": check, "rows": selectors.draw_rows(draw) if draw else [],
        "may_manage": _may_plan(request.user) and scope.covers_organization(plan.department),
        "public_url": reverse("inspections:public_draw", args=[plan.pk]),
    })


@service_view
@require_POST
def plan_draw(request, plan_id: int):
    try:
        draw = services.run_draw(request.user, plan_id)
    except DomainError as exc:
        if isinstance(exc, NotFound):
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已完成双随机抽取：抽中 {len(draw.result['parties'])} 个对象")
    return redirect("inspections:plan_detail", plan_id=plan_id)


@service_view
@require_POST
def plan_publish(request, plan_id: int):
    try:
        services.publish_draw(request.user, plan_id)
    except DomainError as exc:
        if isinstance(exc, NotFound):
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, "抽取结果已公示")
    return redirect("inspections:plan_detail", plan_id=plan_id)


#: The visit list's 重复检查 panel looks this far back; the supervision rule covers all records.
REPEATED_PANEL_PERIOD = dt.timedelta(days=90)


@service_view
def visit_list(request):
    scope = Scope.for_user(request.user)
    filters = VisitFilterForm(request.GET)
    visits = selectors.visits(scope, **filters.selector_filters())
    if wants_xlsx(request):
        return xlsx_response("综合查一次", "综合查一次", ["检查对象", "乡镇（街道）", "日期", "部门", "任务数", "状态"], (
            [v.party.name, v.party.township.name, v.day, "、".join(t.department.name for t in v.tasks.all()),
             v.task_count, v.get_state_display()] for v in visits.iterator(chunk_size=500)))
    page, query = _page(request, visits)
    return render(request, "inspections/visit_list.html", {
        "filters": filters, "page": page, "query": query, "may_record": _may_record(request.user),
        "departments": selectors.department_indicators(scope), "indicators": selectors.district_indicators(scope),
        "repeated": selectors.repeated_inspections(scope, since=timezone.now() - REPEATED_PANEL_PERIOD)[:20],
    })


def _checklist(visit):
    seen, lines = set(), []
    for task in visit.tasks.all():
        for item in task.plan.items.all():
            for entry in item.checklist.all():
                if entry.pk not in seen:
                    seen.add(entry.pk)
                    lines.append((item, entry))
    return lines


@service_view
def visit_record(request, visit_id: int):
    scope = Scope.for_user(request.user)
    visit = selectors.visit_detail(scope, visit_id)
    if hasattr(visit, "record"):
        return redirect("inspections:record_detail", record_id=visit.record.pk)
    officers = list(visit.officers.all())
    lines = _checklist(visit)
    initial = {"officer_ids": [str(o.pk) for o in officers], "started_at": timezone.localtime().replace(second=0, microsecond=0),
               "outcome": "no_issue"}
    form = RecordForm(request.POST or None, request.FILES or None, officers=officers, initial=initial)
    chosen = {str(e.pk): request.POST.get(f"entry_{e.pk}", "") for _, e in lines}
    if request.method == "POST" and form.is_valid():
        data = {**form.cleaned_data, "visit": visit.pk, "officer_ids": [int(i) for i in form.cleaned_data["officer_ids"]],
                "checklist": [{"entry_id": int(pk), "result": value, "note": request.POST.get(f"note_{pk}", "")}
                              for pk, value in chosen.items() if value]}
        try:
            with transaction.atomic():
                result = services.record_inspection(request.user, data)
                if form.cleaned_data.get("photo"):
                    services.add_attachment(request.user, result.record.pk, form.cleaned_data["photo"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        except DomainError as exc:
            if isinstance(exc, NotFound):
                raise
            form.add_error(None, exc.message)
        else:
            for warning in result.warnings:
                messages.warning(request, warning)
            messages.success(request, "检查记录已保存")
            return redirect("inspections:record_detail", record_id=result.record.pk)
    token = services.action_code_token(visit.action_code) if hasattr(visit, "action_code") else None
    code_url = public_url(request, reverse("inspections:public_code", args=[token])) if token else None
    return render(request, "inspections/record_form.html", {
        "visit": visit, "form": form, "lines": [(item, entry, chosen.get(str(entry.pk), "")) for item, entry in lines],
        "code_url": code_url, "code_qr": mark_safe(qr_svg(code_url)) if code_url else "",  # SVG from segno, no user text
    })


@service_view
def record_list(request):
    scope = Scope.for_user(request.user)
    filters = VisitFilterForm(request.GET)
    q = filters.cleaned_data.get("q") if filters.is_valid() else None
    records = selectors.records(scope, q=q)
    if wants_xlsx(request):
        return xlsx_response("检查记录", "检查记录", ["检查对象", "部门", "开始时间", "结束时间", "检查人员", "处理结果"], (
            [r.party.name, r.department.name, r.started_at, r.ended_at, "、".join(o.name for o in r.officers.all()),
             r.get_outcome_display()] for r in records.iterator(chunk_size=500)))
    page, query = _page(request, records)
    return render(request, "inspections/record_list.html", {"filters": filters, "page": page, "query": query})


def _render_record(request, record_id: int, rectification_form=None):
    scope = Scope.for_user(request.user)
    record = selectors.record_detail(scope, record_id)
    may_record = _may_record(request.user)
    return render(request, "inspections/record_detail.html", {
        "record": record, "may_record": may_record,
        "handoffs": handoffs.registered() if may_record and not record.handoff_ref else [],
        "rectification_form": rectification_form or (RectificationForm() if may_record else None),
    })


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
        if isinstance(exc, NotFound):
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已移交：{record.handoff_ref}")
    return redirect("inspections:record_detail", record_id=record_id)


@service_view
@require_POST
def record_rectification(request, record_id: int):
    form = RectificationForm(request.POST)
    if form.is_valid():
        try:
            order = services.issue_rectification(request.user, record_id, form.cleaned_data["content"],
                                                 form.cleaned_data["working_days"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已责令整改，期限至 {order.deadline:%Y-%m-%d}")
            return redirect("inspections:record_detail", record_id=record_id)
    return _render_record(request, record_id, rectification_form=form)


# ---- public pages (no login) ----

@never_cache
def public_code(request, token: str):
    try:
        services.code_from_token(token)
    except NotFound as exc:
        raise Http404(exc.message) from None
    form = RatingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.rate_action_code(token, form.cleaned_data["rating"], form.cleaned_data["comment"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("inspections:public_code", token=token)
    info = selectors.public_code(services.code_from_token(token))
    response = render(request, "inspections/public_code.html", {"info": info, "form": form})
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def public_draw(request, plan_id: int):
    try:
        draw = selectors.published_draw(plan_id)
    except NotFound as exc:
        raise Http404(exc.message) from None
    return render(request, "inspections/public_draw.html", {
        "draw": draw, "plan": draw.plan, "rows": selectors.draw_rows(draw)})
