"""Pages of the body appraisal (单位考评): the year's lines of departments and townships, running
one (with its officers' 四维考评), a body's line with its reasons, manual items with evidence, its
trend across years, and its yearly report as PDF and Excel. Thin: parse, call one service, render."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from zhifa.core import access
from zhifa.core.commands import field_errors
from zhifa.core.errors import DomainError
from zhifa.core.web import service_view

from . import appraisal, appraisal_report, rules, selectors

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _year(request) -> int:
    raw = request.GET.get("year") or ""
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else timezone.localdate().year


@service_view
def bodies(request):
    year = _year(request)
    errors, values = {}, {}
    if request.method == "POST":
        values = request.POST
        try:
            result = appraisal.appraise_body(request.user, appraisal.BodyAppraisalInput.parse(request.POST))
        except ValidationError as exc:
            errors = field_errors(exc)
        except DomainError as exc:
            if exc.status in (403, 404):
                raise
            errors = {exc.field or "form": exc.message}
        else:
            messages.success(request, f"已完成{result.organization.name}{result.year}年度考评")
            return redirect("supervision:body_appraisal", result.pk)
    return render(
        request,
        "supervision/body_appraisals.html",
        {
            "year": year,
            "results": selectors.body_appraisals(request.user, year),
            "errors": errors,
            "values": values,
            "schemes": selectors.body_schemes(),
            "officer_schemes": selectors.officer_schemes(),
            "bodies": appraisal.appraisable_bodies(),
            "may_appraise": access.can(request.user, "supervision.appraise"),
            "metric_labels": rules.BODY_METRIC_LABELS,
        },
    )


@service_view
def body_appraisal(request, appraisal_id: int):
    result = selectors.get_body_appraisal(request.user, appraisal_id)
    errors, values = {}, {}
    if request.method == "POST":
        values = request.POST
        try:
            data = request.POST.copy()
            data.pop("evidence", None)  # an empty file field arrives as a form field
            cmd = appraisal.ManualScoreInput.parse(data, appraisal=result.pk)
            appraisal.add_manual_score(request.user, cmd, request.FILES.get("evidence"))
        except ValidationError as exc:
            errors = field_errors(exc)
        else:
            messages.success(request, "已录入人工考评项")
            return redirect("supervision:body_appraisal", result.pk)
        result.refresh_from_db()
    context = appraisal_report.context(result)
    context.update(
        errors=errors,
        values=values,
        limit=rules.MANUAL_POINTS_LIMIT,
        may_appraise=access.can(request.user, "supervision.appraise"),
    )
    return render(request, "supervision/body_appraisal.html", context)


@service_view
def body_appraisal_report(request, appraisal_id: int, fmt: str):
    result = selectors.get_body_appraisal(request.user, appraisal_id)
    name = f"{result.organization.name}{result.year}年度综合行政执法工作考评"
    if fmt == "pdf":
        response = HttpResponse(appraisal_report.pdf_bytes(result), content_type="application/pdf")
    elif fmt == "xlsx":
        response = HttpResponse(appraisal_report.xlsx_bytes(result), content_type=XLSX)
    else:
        raise Http404()
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}.{fmt}"
    return response
