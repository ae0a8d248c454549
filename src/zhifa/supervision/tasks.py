"""Celery tasks of supervision. ``supervision.sweep_alerts`` runs from CELERY_BEAT_SCHEDULE;
sweeps are idempotent, so a retry or an overlap raises nothing twice."""

import datetime as dt

from zhifa.celery import background_task

from . import services


@background_task("supervision.sweep_alerts")
def sweep_alerts(now: str | None = None, rule_codes: list[str] | None = None) -> dict[str, int]:
    """Run the alert rules. ``now`` (ISO datetime) replaces the current time, for catching up or testing."""
    return services.sweep(dt.datetime.fromisoformat(now) if now else None, rule_codes)


@background_task("supervision.run_for")
def run_for(model: str, ids: list[int]) -> dict[str, int]:
    """The rules watching ``model`` over the given ids (an event run queued by another process)."""
    return services.run_for(model, ids)
