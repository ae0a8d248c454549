"""Celery tasks of supervision. Schedule ``supervision.sweep_alerts`` in CELERY_BEAT_SCHEDULE
(e.g. hourly); sweeps are idempotent, so a retry or an overlap raises nothing twice."""

import datetime as dt

from celery import shared_task

from . import services


@shared_task(name="supervision.sweep_alerts")
def sweep_alerts(now: str | None = None, rule_codes: list[str] | None = None) -> dict[str, int]:
    """Run the alert rules. ``now`` (ISO datetime) replaces the current time, for catching up or testing."""
    return services.sweep(dt.datetime.fromisoformat(now) if now else None, rule_codes)
