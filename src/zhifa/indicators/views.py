"""Indicator pages: every indicator of the reform for the user's scope and a period, with its
definition and the plan's sentence; the drill-downs of the rows counted and not counted; the
provincial library. Thin: each view calls one selector or service."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render

from zhifa.core import access
from zhifa.core.commands import field_errors
from zhifa.core.exports import wants_xlsx, xlsx_response
from zhifa.core.scopes import Scope
from zhifa.core.web import service_view

from . import selectors, services

PAGE_SIZE = 50


@service_view
def index(request):
    period = selectors.parse_period(request.GET)
    scope = Scope.for_user(request.user)
    measurements = selectors.measure_all(scope, period)
    if wants_xlsx(request):
        return xlsx_response(
            f"改革指标{period.start:%Y%m%d}-{period.end:%Y%m%d}",
            f"改革指标（{period.label}）",
            ["分组", "指标", "数值", "计入", "总数", "目标", "是否达标", "定义"],
            (
                [
                    m.indicator.group,
                    m.indicator.name,
                    m.display,
                    m.counted,
                    m.population,
                    m.indicator.target_text,
                    {True: "达标", False: "未达标", None: "—"}[m.meets_target],
                    m.indicator.definition,
                ]
                for m in measurements
            ),
        )
    return render(
        request,
        "indicators/index.html",
        {
            "period": period,
            "groups": selectors.grouped(measurements),
            "scoped": not scope.everything,
            "library": selectors.library_imports().first(),
        },
    )


@service_view
def drilldown(request, key: str, part: str):
    indicator = selectors.get_indicator(key)
    period = selectors.parse_period(request.GET)
    queryset = selectors.drilldown(key, part, Scope.for_user(request.user), period)
    title = {selectors.COUNTED: indicator.counted_title, selectors.MISSED: indicator.missed_title}.get(
        part, indicator.name
    )
    if wants_xlsx(request):
        header, cells = selectors.rows(indicator, queryset.iterator(chunk_size=2000))
        return xlsx_response(
            f"{indicator.name}-{selectors.PARTS[part]}",
            f"{indicator.name}：{title}（{period.label}）",
            header,
            cells,
        )
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    header, cells = selectors.rows(indicator, page.object_list)
    links = [indicator.link(r) if indicator.link else None for r in page.object_list]
    return render(
        request,
        "indicators/drilldown.html",
        {
            "indicator": indicator,
            "part": part,
            "title": title,
            "period": period,
            "page": page,
            "header": header,
            "rows": [
                (list(zip(header, row, strict=True)), link) for row, link in zip(cells, links, strict=True)
            ],
            "total": page.paginator.count,
            "query": period.query(),
            "parts": selectors.PARTS,
        },
    )


@service_view
def library(request):
    errors = {}
    if request.method == "POST" and request.POST.get("action") == "limit":
        try:
            row = services.set_publication_limit(
                request.user, services.PublicationLimitInput.parse(request.POST)
            )
        except ValidationError as exc:
            errors = field_errors(exc)
        else:
            messages.success(
                request, f"已设定{row.organization.name}的处罚决定公开时限为{row.working_days}个工作日"
            )
            return redirect("indicators:library")
    elif request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise ValidationError(
                    {"file": ValidationError("请选择省事项库文件（.xlsx 或 .csv）", code="required")}
                )
            rows = services.parse_rows(services.rows_from_file(upload.read(), upload.name))
            cmd = services.LibraryInput.parse(
                {
                    "source_name": upload.name,
                    "version": request.POST.get("version", ""),
                    "rows": [r.model_dump() for r in rows],
                }
            )
            batch = services.import_library(request.user, cmd)
        except ValidationError as exc:
            errors = field_errors(exc)
            errors["rows_list"] = exc.message_dict.get("rows", []) if hasattr(exc, "error_dict") else []
        else:
            messages.success(request, f"已导入省权力事项库 {batch.rows} 条")
            return redirect("indicators:library")
    page = Paginator(selectors.library(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "indicators/library.html",
        {
            "page": page,
            "imports": selectors.library_imports()[:10],
            "errors": errors,
            "query": "",
            "may_import": access.can(request.user, "indicators.import_library"),
            "limits": selectors.publication_limits(),
            "may_set_limit": access.can(request.user, "indicators.set_publication_limit"),
            "departments": selectors.departments(),
        },
    )
