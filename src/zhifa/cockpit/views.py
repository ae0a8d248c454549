"""Cockpit pages: the indicators (from the scope's snapshot), the refresh button, the live
drill-downs behind them, and their exports. Thin: each view calls one selector or service."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST

from zhifa.core.exports import wants_xlsx, xlsx_response
from zhifa.core.scopes import Scope
from zhifa.core.web import service_view

from . import selectors, services

PAGE_SIZE = 50


@service_view
def index(request):
    cockpit = selectors.snapshot(Scope.for_user(request.user))
    return render(request, "cockpit/index.html", {"cockpit": cockpit, "data": cockpit.as_dict(),
                                                  "refresh_minutes": selectors.REFRESH_MINUTES})


@require_POST
@service_view
def refresh(request):
    """刷新: recompute the user's scope now (at most once every few seconds per scope)."""
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
    cockpit = selectors.snapshot(Scope.for_user(request.user))
    response = HttpResponse(indicators_pdf_bytes(cockpit), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="cockpit-indicators-{cockpit.today:%Y%m%d}.pdf"'
    return response


@service_view
def drilldown(request, key):
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
    return render(request, "cockpit/drilldown.html", {
        "measure": measure, "page": page, "header": header, "total": page.paginator.count, "query": filters.query(),
        "cells": [list(zip(header, row, strict=True)) for row in cells], "filters": filters,
    })
