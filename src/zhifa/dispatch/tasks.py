"""Celery tasks of dispatch. Schedule ``dispatch.sweep_deadlines`` every 10 minutes in the beat
schedule; it is idempotent."""

import datetime as dt

from zhifa.celery import background_task

from . import services


@background_task("dispatch.sweep_deadlines")
def sweep_deadlines(now: str | None = None) -> dict[str, int]:
    """Mark overdue and escalated incidents. ``now`` (ISO datetime) replaces the current time."""
    return services.sweep_deadlines(dt.datetime.fromisoformat(now) if now else None)
