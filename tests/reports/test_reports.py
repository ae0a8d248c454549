"""Monthly and annual reports of the reform: asked for by the district's coordinating roles, built
in the background by the ``reports.generate`` task with its progress recorded step by step, a PDF
with charts and an Excel workbook of the same indicators; a failure is recorded and a retry
builds it; a report already built is left alone."""

from __future__ import annotations

import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from zhifa.core.errors import PermissionDenied
from zhifa.indicators.definitions import INDICATORS
from zhifa.reports import content, services, tasks
from zhifa.reports.models import ReportRun

pytestmark = pytest.mark.django_db
LAST_YEAR = timezone.localdate().year - 1


def _ask(user, **data):
    return services.request_report(
        user, services.ReportInput.parse({"kind": "monthly", "year": LAST_YEAR, "month": 6, **data})
    )


@pytest.fixture
def eager():
    """Tasks run in-process, as in the embedded demo (./dev test starts a broker with no worker)."""
    from zhifa.celery import app

    saved = app.conf.task_always_eager
    app.conf.update(task_always_eager=True)
    yield
    app.conf.update(task_always_eager=saved)


def test_a_report_is_built_in_the_background_with_its_progress(
    world, django_capture_on_commit_callbacks, monkeypatch, eager
):
    seen: list[tuple[int, str]] = []
    real = services._progress

    def spy(run_id):
        tell = real(run_id)

        def record(percent, step):
            seen.append((percent, step))
            tell(percent, step)

        return record

    monkeypatch.setattr(services, "_progress", spy)
    with django_capture_on_commit_callbacks(execute=True):
        run = _ask(world.guidance_user)
        assert run.state == ReportRun.State.QUEUED  # nothing is built inside the request's transaction
    run.refresh_from_db()
    assert run.state == ReportRun.State.DONE and run.progress == 100 and run.finished_at
    percents = [p for p, _ in seen]
    assert percents == sorted(percents) and len(percents) >= 15  # every month of the trend is a step
    assert any("月度趋势" in step for _, step in seen) and any("PDF" in step for _, step in seen)
    from pypdf import PdfReader

    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(run.pdf.open("rb")).pages))
    assert f"{LAST_YEAR}年06月" in text and "月度趋势" in text
    for indicator in INDICATORS:
        assert re.sub(r"\s+", "", indicator.name) in text, indicator.key
    from openpyxl import load_workbook

    book = load_workbook(run.xlsx.open("rb"))
    assert book.sheetnames == ["指标", "月度趋势", "口径"]
    assert book["指标"].max_row == len(INDICATORS) + 2 and book["月度趋势"].max_column == 13


def test_annual_report_compares_years(world):
    run = ReportRun.objects.create(
        kind="annual",
        period_start=timezone.datetime(LAST_YEAR, 1, 1).date(),
        period_end=timezone.datetime(LAST_YEAR, 12, 31).date(),
        requested_by=world.guidance_user,
        requested_at=timezone.now(),
    )
    done = tasks.generate.apply(args=[run.pk]).get()
    assert done == "done"
    run.refresh_from_db()
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(run.xlsx.read()))
    assert "历年" in book.sheetnames and book["历年"].max_column == 1 + content.YEARS_BACK + 1


def test_a_failure_is_recorded_and_a_retry_builds_it(world, monkeypatch):
    run = ReportRun.objects.create(
        kind="monthly",
        period_start=timezone.datetime(LAST_YEAR, 6, 1).date(),
        period_end=timezone.datetime(LAST_YEAR, 6, 30).date(),
        requested_by=world.guidance_user,
        requested_at=timezone.now(),
    )

    def broken(*args, **kwargs):
        raise RuntimeError("数据库暂时不可用")

    monkeypatch.setattr(content, "build", broken)
    with pytest.raises(RuntimeError):
        services.generate(run.pk)
    run.refresh_from_db()
    assert run.state == ReportRun.State.FAILED and "暂时不可用" in run.error
    monkeypatch.undo()
    assert services.generate(run.pk).state == ReportRun.State.DONE
    pdf = run.__class__.objects.get(pk=run.pk).pdf.name
    services.generate(run.pk)  # done: left alone
    assert run.__class__.objects.get(pk=run.pk).pdf.name == pdf


def test_who_may_ask_and_bad_input(client, world):
    with pytest.raises(PermissionDenied):
        _ask(world.leader_a)
    with pytest.raises(ValidationError) as exc:
        _ask(world.guidance_user, month=None)
    assert exc.value.error_dict["month"][0].code == "required"
    with pytest.raises(ValidationError) as exc:
        _ask(world.guidance_user, year=timezone.localdate().year + 1)
    assert exc.value.error_dict["year"][0].code == "period_in_future"
    client.force_login(world.leader_a)
    assert client.get("/reports/").status_code == 403
    client.force_login(world.guidance_user)
    response = client.post("/reports/", {"kind": "monthly", "year": str(LAST_YEAR), "month": ""})
    assert "月度报告请选择月份" in response.content.decode()
    run = ReportRun.objects.create(
        kind="monthly",
        period_start=timezone.datetime(LAST_YEAR, 6, 1).date(),
        period_end=timezone.datetime(LAST_YEAR, 6, 30).date(),
        requested_by=world.guidance_user,
        requested_at=timezone.now(),
    )
    assert client.get(f"/reports/{run.pk}/progress/").json() == {
        "state": "queued",
        "state_label": "排队中",
        "progress": 0,
        "step": "",
        "error": "",
    }
    assert "生成进度" in client.get(f"/reports/{run.pk}/").content.decode()
    assert client.get(f"/reports/{run.pk}/report.pdf").status_code == 404  # not built yet
    client.force_login(world.leader_a)
    assert client.get(f"/reports/{run.pk}/").status_code == 404
