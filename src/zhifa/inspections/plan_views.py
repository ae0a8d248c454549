"""Plan pages: the plan list, a new plan (annual / monthly / special, alone or joint, by colour and
frequency), a plan with its draw, re-draw and publication; and the public pages without login — the
announced plans with their commitments, and a published draw with its inputs to recompute.

Views parse, call one service or selector and render; the services check the permissions."""

from __future__ import annotations

import datetime as dt
import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from zhifa.core import access
from zhifa.core.errors import DomainError, NotFound, PermissionDenied
from zhifa.core.exports import wants_xlsx, xlsx_response
from zhifa.core.scopes import Scope
from zhifa.core.web import service_view
from zhifa.organizations.forms import add_service_errors

from . import rules, selectors, services
from .forms import PlanFilterForm, PlanForm, RedrawForm

PAGE_SIZE = 50


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
        return xlsx_response(
            "检查计划",
            "监管执法计划",
            ["计划", "类型", "执法部门", "计划开始", "计划结束", "事项", "任务", "状态"],
            (
                [
                    p.name,
                    p.get_kind_display(),
                    p.department.name,
                    p.period_start,
                    p.period_end,
                    p.item_count,
                    p.task_count,
                    p.get_state_display(),
                ]
                for p in plans.iterator(chunk_size=500)
            ),
        )
    page, query = _page(request, plans)
    return render(
        request,
        "inspections/plan_list.html",
        {
            "filters": filters,
            "page": page,
            "query": query,
            "indicators": selectors.district_indicators(scope),
            "may_plan": access.can(request.user, "inspections.plan"),
        },
    )


def _default_period(kind: str, today: dt.date) -> tuple[dt.date, dt.date]:
    if kind == rules.MONTHLY:
        start = today.replace(day=1) + dt.timedelta(days=32)
        start = start.replace(day=1)
        return start, (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    if kind == rules.ANNUAL:
        return dt.date(today.year + 1, 1, 1), dt.date(today.year + 1, 12, 31)
    return today, today + dt.timedelta(days=30)


@service_view
def plan_new(request):
    access.require(request.user, "inspections.plan")
    choices = selectors.plan_choices(request.user)
    kind = request.GET.get("kind") if request.GET.get("kind") in rules.PLAN_KIND_LABELS else rules.ANNUAL
    start, end = _default_period(kind, timezone.localdate())
    form = PlanForm(
        request.POST or None,
        initial={"kind": kind, "period_start": start, "period_end": end},
        departments=choices["departments"],
        items=choices["items"],
        partners=choices["partners"],
    )
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.create_plan(request.user, form.plan_data())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "已制定计划并公布抽取密钥的承诺值（SHA-256）；抽取后公示结果时公开密钥")
            return redirect("inspections:plan_detail", plan_id=plan.pk)
    return render(
        request,
        "inspections/plan_form.html",
        {"form": form, "kind_label": rules.PLAN_KIND_LABELS[kind], "kind": kind},
    )


@service_view
def plan_detail(request, plan_id: int):
    scope = Scope.for_user(request.user)
    plan = selectors.plan_detail(scope, plan_id)
    draw = plan.draw
    check = services.verify_draw(draw) if draw is not None else None
    may_manage = access.can(request.user, "inspections.plan", plan.department)
    return render(
        request,
        "inspections/plan_detail.html",
        {
            "plan": plan,
            "draw": draw,
            "check": check,
            "rows": selectors.draw_rows(draw) if draw else [],
            "earlier": selectors.earlier_draws(plan.pk),
            "may_manage": may_manage,
            "redraw_form": RedrawForm(),
            "public_url": reverse("inspections:public_draw", args=[plan.pk]),
            "colors": [(c, plan.ratios.get(c), plan.frequencies.get(c, 1)) for c in rules.COLORS],
        },
    )


def _act(request, plan_id: int, action, success: str):
    try:
        action()
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    except DomainError as exc:
        if isinstance(exc, NotFound | PermissionDenied):
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, success)
    return redirect("inspections:plan_detail", plan_id=plan_id)


@service_view
@require_POST
def plan_draw(request, plan_id: int):
    return _act(
        request,
        plan_id,
        lambda: services.run_draw(request.user, plan_id),
        "已完成双随机抽取，抽取日期由服务器确定；公示后公开密钥，任何人可复算",
    )


@service_view
@require_POST
def plan_redraw(request, plan_id: int):
    return _act(
        request,
        plan_id,
        lambda: services.redraw(request.user, plan_id, request.POST.get("reason", "")),
        "已重新抽取；原抽取结果和理由保留并将一并公示",
    )


@service_view
@require_POST
def plan_publish(request, plan_id: int):
    return _act(request, plan_id, lambda: services.publish_draw(request.user, plan_id), "抽取结果已公示")


# ---- public pages (no login) ----


@cache_control(public=True, max_age=300)
def public_plans(request):
    """Announced plans with the commitment to each draw's secret (published before the draw)."""
    page, query = _page(request, selectors.announced_plans())
    return render(request, "inspections/public_plans.html", {"page": page, "query": query})


def public_draw(request, plan_id: int):
    """A published draw: seed, the revealed secret against its commitment, the digest of the
    inputs and the inputs themselves (``?format=json``) for anyone to recompute; earlier rounds a
    re-draw replaced stay listed with their reasons."""
    try:
        draw = selectors.published_draw(plan_id)
    except NotFound as exc:
        raise Http404(exc.message) from None
    if request.GET.get("format") == "json":
        wanted = request.GET.get("round")
        if wanted and wanted != str(draw.round):
            draw = next((d for d in selectors.earlier_draws(plan_id) if str(d.round) == wanted), None)
            if draw is None:
                raise Http404("没有这一轮抽取")
        response = JsonResponse(
            {
                "round": draw.round,
                "inputs": draw.inputs,
                "inputs_digest": draw.inputs_digest,
                "seed": draw.seed,
                "commitment": draw.commitment,
                "result": draw.result,
            },
            json_dumps_params={"ensure_ascii": False, "sort_keys": True},
        )
        response["Content-Disposition"] = f'attachment; filename="draw-{plan_id}-{draw.round}.json"'
        return response
    check = services.verify_draw(draw)
    return render(
        request,
        "inspections/public_draw.html",
        {
            "draw": draw,
            "plan": draw.plan,
            "rows": selectors.draw_rows(draw),
            "check": check,
            "earlier": selectors.earlier_draws(plan_id),
            "inputs_size": len(json.dumps(draw.inputs)),
            "commitment_matches": rules.commitment(draw.nonce) == draw.commitment,
        },
    )
