"""The yearly appraisal report of one body (方案 三（五）3): its comprehensive enforcement line with
the reasons of every dimension, the manual items with their evidence, its officers' 四维考评 of
the year, and its totals across years — as a PDF (WeasyPrint, CJK fonts embedded, a chart of the
trend) and as an Excel workbook. Read-only."""

from __future__ import annotations

import datetime as dt
import io

from django.template.loader import render_to_string
from django.utils import timezone

from .appraisal import trend
from .models import AppraisalResult, BodyAppraisal


def officer_results(appraisal: BodyAppraisal):
    return (
        AppraisalResult.objects.filter(
            organization=appraisal.organization,
            period_start=dt.date(appraisal.year, 1, 1),
            period_end=dt.date(appraisal.year, 12, 31),
        )
        .select_related("officer", "scheme")
        .order_by("-total", "officer__employee_no")
    )


def context(appraisal: BodyAppraisal) -> dict:
    from zhifa.indicators.charts import bar_chart

    years = trend(appraisal.organization, appraisal.scheme)
    chart = bar_chart(
        [str(a.year) for a in years], [float(a.total) for a in years], title="历年总分", width=560, height=180
    )
    from .rules import BODY_DATA_LABELS

    data = [(BODY_DATA_LABELS.get(k, k), v) for k, v in appraisal.data.items()]
    return {
        "a": appraisal,
        "data": data,
        "manual": list(appraisal.manual_items.select_related("entered_by")),
        "officers": list(officer_results(appraisal)),
        "years": years,
        "chart": chart,
        "generated_at": timezone.now(),
    }


def pdf_bytes(appraisal: BodyAppraisal) -> bytes:
    from weasyprint import HTML  # imported late: loading pango takes a moment

    return HTML(
        string=render_to_string("supervision/appraisal_report_pdf.html", context(appraisal))
    ).write_pdf()


def xlsx_bytes(appraisal: BodyAppraisal) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    line = book.active
    line.title = "单位考评"
    line.append(
        [f"{appraisal.organization.name}{appraisal.year}年度综合行政执法工作考评（{appraisal.scheme.name}）"]
    )
    line.append(["维度", "权重（%）", "得分", "计入总分", "计分理由"])
    for d in appraisal.dimensions:
        line.append([d["name"], d["weight"], d["score"], d["weighted"], "；".join(d["reasons"])])
    line.append(["平台数据得分", None, None, float(appraisal.platform_score)])
    line.append(["人工加减分", None, None, float(appraisal.manual_score)])
    line.append(["总分", None, None, float(appraisal.total)])
    manual = book.create_sheet("人工考评项")
    manual.append(["事项", "加减分", "佐证材料", "SHA-256", "说明", "录入人", "录入时间"])
    for m in appraisal.manual_items.select_related("entered_by"):
        manual.append(
            [
                m.title,
                float(m.points),
                m.evidence_name,
                m.evidence_sha256,
                m.note,
                str(m.entered_by or ""),
                timezone.localtime(m.entered_at).replace(tzinfo=None),
            ]
        )
    officers = book.create_sheet("执法人员四维考评")
    officers.append(["执法人员", "工号", "总分", "各维度"])
    for r in officer_results(appraisal):
        officers.append(
            [
                r.officer.name,
                r.officer.employee_no,
                float(r.total),
                "；".join(f"{d['name']}{d['score']}分×{d['weight']}%" for d in r.dimensions),
            ]
        )
    years = book.create_sheet("历年")
    years.append(["年度", "平台数据得分", "人工加减分", "总分"])
    for a in trend(appraisal.organization, appraisal.scheme):
        years.append([a.year, float(a.platform_score), float(a.manual_score), float(a.total)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
