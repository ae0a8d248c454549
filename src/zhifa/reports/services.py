"""Writes of the reports app: asking for a report (typed command, permission, audit) and building
it in the background — the Celery task ``reports.generate`` computes the content step by step,
recording its progress on the ``ReportRun`` as it goes, then stores the PDF and the Excel.

A report is derived data, recomputable from the audited records: its progress updates are not
audited; the request for it and its completion are."""

from __future__ import annotations

import datetime as dt
import logging

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from pydantic import Field

from zhifa.core import access, audit
from zhifa.core.commands import Command
from zhifa.core.exports import workbook_bytes
from zhifa.indicators.definitions import INDICATORS, Period
from zhifa.organizations.models import User

from . import content as report_content
from .models import ReportRun

log = logging.getLogger(__name__)


class ReportInput(Command):
    kind: str = Field(title="报告类型", pattern="^(monthly|annual)$")
    year: int = Field(title="年度", ge=2000, le=2100)
    month: int | None = Field(title="月份", default=None, ge=1, le=12)


def period_of(cmd: ReportInput) -> Period:
    if cmd.kind == "monthly":
        if cmd.month is None:
            raise ValidationError({"month": ValidationError("月度报告请选择月份", code="required")})
        return Period.month(cmd.year, cmd.month)
    return Period.year(cmd.year)


@transaction.atomic
def request_report(actor, cmd: ReportInput) -> ReportRun:
    """Queue a report; the worker (in-process in the embedded demo) builds it after the commit."""
    access.require(actor, "reports.generate")
    period = period_of(cmd)
    if period.start > timezone.localdate():
        raise ValidationError(
            {"year": ValidationError("不能为尚未开始的期间生成报告", code="period_in_future")}
        )
    run = ReportRun.objects.create(
        kind=cmd.kind,
        period_start=period.start,
        period_end=period.end,
        requested_by=actor if isinstance(actor, User) else None,  # an API key is no user
        requested_at=timezone.now(),
    )
    audit.record(
        actor, "reports.request", run, after={"kind": cmd.kind, "start": period.start, "end": period.end}
    )
    from . import tasks

    transaction.on_commit(lambda: tasks.generate.delay(run.pk))
    return run


def _progress(run_id: int):
    def tell(percent: int, step: str) -> None:
        ReportRun.objects.filter(pk=run_id).update(progress=min(99, max(0, percent)), step=step[:100])

    return tell


def generate(run_id: int, now: dt.datetime | None = None) -> ReportRun | None:
    """Build a queued (or failed, or stuck) report. Idempotent: a report already done is left as it
    is, so a redelivered task does nothing twice."""
    run = ReportRun.objects.filter(pk=run_id).first()
    if run is None or run.state == ReportRun.State.DONE:
        return run
    ReportRun.objects.filter(pk=run_id).update(
        state=ReportRun.State.RUNNING, started_at=now or timezone.now(), progress=1, step="开始", error=""
    )
    tell = _progress(run_id)
    try:
        period = Period(run.period_start, run.period_end)
        built = report_content.build(run.kind, period, tell)
        tell(90, "生成 PDF")
        pdf = pdf_bytes(run, built)
        tell(96, "生成 Excel")
        xlsx = xlsx_bytes(run, built)
    except Exception as exc:  # noqa: BLE001 - any failure is recorded on the run and shown to its reader
        log.exception("report %s failed", run_id)
        ReportRun.objects.filter(pk=run_id).update(
            state=ReportRun.State.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        raise
    stem = f"report-{run.kind}-{run.period_start:%Y%m}-{run.pk}"
    with transaction.atomic():
        run = ReportRun.objects.select_for_update().get(pk=run_id)
        run.pdf.save(f"{stem}.pdf", ContentFile(pdf), save=False)
        run.xlsx.save(f"{stem}.xlsx", ContentFile(xlsx), save=False)
        run.state, run.progress, run.step, run.finished_at = ReportRun.State.DONE, 100, "完成", timezone.now()
        run.save()
        audit.record(None, "reports.done", run, after={"pdf": run.pdf.name, "xlsx": run.xlsx.name})
    return run


def pdf_bytes(run: ReportRun, built: report_content.Content) -> bytes:
    from weasyprint import HTML  # imported late: loading pango takes a moment

    html = render_to_string(
        "reports/report_pdf.html", {"run": run, "c": built, "generated_at": timezone.now()}
    )
    return HTML(string=html).write_pdf()


def xlsx_bytes(run: ReportRun, built: report_content.Content) -> bytes:
    """Three sheets: the indicators of the period, their monthly values, their definitions."""
    import io

    from openpyxl import Workbook, load_workbook

    first = workbook_bytes(
        "指标",
        ["分组", "指标", "数值", "计入", "总数", "目标", "是否达标", "上期", "变化"],
        (
            [
                r.now.indicator.group,
                r.now.indicator.name,
                r.now.display,
                r.now.counted,
                r.now.population,
                r.now.indicator.target_text,
                {True: "达标", False: "未达标", None: "—"}[r.now.meets_target],
                r.before.display if r.before else "—",
                r.change,
            ]
            for _, rows in built.groups
            for r in rows
        ),
    )
    book: Workbook = load_workbook(io.BytesIO(first))
    book.active.title = "指标"
    book.active["A1"] = f"{run.title}（{built.period.label}）"
    trend = book.create_sheet("月度趋势")
    trend.append(["指标", *built.months])
    for indicator in INDICATORS:
        trend.append(
            [
                indicator.name,
                *[None if m.number is None else float(m.number) for m in built.monthly[indicator.key]],
            ]
        )
    if built.yearly:
        years = book.create_sheet("历年")
        years.append(["指标", *built.years])
        for indicator in INDICATORS:
            years.append(
                [
                    indicator.name,
                    *[None if m.number is None else float(m.number) for m in built.yearly[indicator.key]],
                ]
            )
    notes = book.create_sheet("口径")
    notes.append(["指标", "定义", "分子", "分母", "来源", "说明"])
    for indicator in INDICATORS:
        notes.append(
            [
                indicator.name,
                indicator.definition,
                indicator.numerator,
                indicator.denominator,
                indicator.source,
                indicator.note,
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
