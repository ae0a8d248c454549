"""Report pages: the list with the request form, a report's page with its progress (polled while a
worker builds it), and its downloads. Thin: each view parses one command, calls one service."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from zhifa.core import access
from zhifa.core.commands import field_errors
from zhifa.core.web import service_view

from . import selectors, services


@service_view
def runs(request):
    access.require(request.user, "reports.generate")
    errors, values = {}, {}
    if request.method == "POST":
        values = request.POST
        try:
            run = services.request_report(request.user, services.ReportInput.parse(request.POST))
        except ValidationError as exc:
            errors = field_errors(exc)
        else:
            messages.success(request, "已开始生成报告")
            return redirect("reports:detail", run.pk)
    today = timezone.localdate()
    previous = today.replace(day=1) - dt.timedelta(days=1)
    return render(
        request,
        "reports/runs.html",
        {
            "runs": selectors.runs(request.user)[:50],
            "errors": errors,
            "values": values,
            "default_year": previous.year,
            "default_month": previous.month,
            "months": range(1, 13),
        },
    )


@service_view
def detail(request, run_id: int):
    run = selectors.get_run(request.user, run_id)
    return render(request, "reports/detail.html", {"run": run})


@service_view
def progress(request, run_id: int):
    run = selectors.get_run(request.user, run_id)
    return JsonResponse(
        {
            "state": run.state,
            "state_label": run.get_state_display(),
            "progress": run.progress,
            "step": run.step,
            "error": run.error if run.state == run.State.FAILED else "",
        }
    )


@service_view
def download(request, run_id: int, fmt: str):
    run = selectors.get_run(request.user, run_id)
    stored = {"pdf": run.pdf, "xlsx": run.xlsx}.get(fmt)
    if stored is None or not stored:
        raise Http404()
    return FileResponse(stored.open("rb"), as_attachment=True, filename=f"{run.title}.{fmt}")
