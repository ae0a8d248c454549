"""Celery task of the reports: ``reports.generate`` builds one queued report (idempotent: a report
already done is left alone; a failed one is built again on retry)."""

from zhifa.celery import background_task

from . import services


@background_task("reports.generate")
def generate(run_id: int) -> str | None:
    run = services.generate(run_id)
    return run.state if run is not None else None
