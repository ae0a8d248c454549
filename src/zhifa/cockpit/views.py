"""Cockpit pages: the one-screen cockpit (1920×1080, and 3840×2160 on a wall), its fragment that
the page fetches every minute, the refresh button, the tables behind the screen, the live
drill-downs and their exports, and the PDF. Thin: each view calls one service or selector."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhifa.core import access
from zhifa.core.exports import wants_xlsx, xlsx_response
from zhifa.core.scopes import Scope
from zhifa.core.web import service_view

from . import geo, selectors, services

PAGE_SIZE = 50
#: Figures of the right-hand panel of the screen (the operational counts), by group title.
OPERATIONS = ("指挥调度（事件闭环）", "案件办理", "综合查一次", "执法力量", "监督预警")


def _screen(request, cockpit) -> dict:
    reform = [
        (title.removeprefix("改革目标·"), figures)
        for title, figures in cockpit.groups
        if title.startswith("改革目标·")
    ]
    operations = [(title, figures) for title, figures in cockpit.groups if title in OPERATIONS]
    age = (timezone.now() - cockpit.computed_at).total_seconds() if cockpit.computed_at else None
    return {
        "cockpit": cockpit,
        "data": cockpit.as_dict(),
        "reform": reform,
        "operations": operations,
        "map": geo.township_map(cockpit.map, settings.ZHIFA_TOWNSHIP_GEOJSON),
        "refresh_seconds": selectors.LIVE_SECONDS,
        "age": age,
        "may_refresh": access.can(request.user, "cockpit.refresh"),
    }


@service_view
def index(request):
    access.require(request.user, "cockpit.view")
    cockpit = services.current(Scope.for_user(request.user))
    context = _screen(request, cockpit)
    context["wall"] = request.GET.get("screen") == "wall"
    return render(request, "cockpit/index.html", context)


@service_view
def screen(request):
    """The screen's content alone: what the page swaps in every ``LIVE_SECONDS``."""
    access.require(request.user, "cockpit.view")
    cockpit = services.current(Scope.for_user(request.user))
    return render(request, "cockpit/_screen.html", _screen(request, cockpit))


@service_view
def tables(request):
    """The breakdowns by township and department and the monthly table (not on the one screen)."""
    access.require(request.user, "cockpit.view")
    cockpit = services.current(Scope.for_user(request.user))
    return render(request, "cockpit/tables.html", {"cockpit": cockpit})


@require_POST
@service_view
def refresh(request):
    """刷新: recompute the user's scope now (at most once every few seconds per scope)."""
    access.require(request.user, "cockpit.refresh")
    if services.refresh_by_hand(Scope.for_user(request.user)):
        messages.success(request, "驾驶舱数据已更新。")
    else:
        messages.info(request, f"数据刚刚更新过，请 {services.MANUAL_INTERVAL.seconds} 秒后再试。")
    return redirect("cockpit:index")


def indicators_pdf_bytes(cockpit) -> bytes:
    from weasyprint import HTML  # imported late: loading pango takes a moment

    return HTML(string=render_to_string("cockpit/indicators_pdf.html", {"cockpit": cockpit})).write_pdf()


@service_view
def indicators_pdf(request):
    access.require(request.user, "cockpit.view")
    cockpit = services.current(Scope.for_user(request.user))
    response = HttpResponse(indicators_pdf_bytes(cockpit), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="cockpit-indicators-{cockpit.today:%Y%m%d}.pdf"'
    return response


@service_view
def drilldown(request, key):
    access.require(request.user, "cockpit.view")
    if key not in selectors.MEASURES or not selectors._available(key):
        raise Http404()
    measure = selectors.MEASURES[key]
    filters = selectors.Filters.parse(request.GET)
    queryset = selectors.drilldown(key, Scope.for_user(request.user), filters=filters)
    if wants_xlsx(request):
        header, cells = selectors.rows(key, queryset.iterator(chunk_size=2000))
        return xlsx_response(f"驾驶舱-{measure.title}", measure.title, header, cells)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    header, cells = selectors.rows(key, page.object_list)
    return render(
        request,
        "cockpit/drilldown.html",
        {
            "measure": measure,
            "page": page,
            "header": header,
            "total": page.paginator.count,
            "query": filters.query(),
            "cells": [list(zip(header, row, strict=True)) for row in cells],
            "filters": filters,
        },
    )
