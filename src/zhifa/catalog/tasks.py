"""Celery tasks of the catalog. Schedule ``catalog.apply_due_revisions`` daily (just after
midnight, Asia/Shanghai) in the beat schedule."""

import datetime as dt

from zhifa.celery import background_task

from . import services


@background_task("catalog.apply_due_revisions")
def apply_due_revisions(today: str | None = None) -> dict[int, str]:
    """Apply the approved revisions whose effective date has come (idempotent). ``today``
    (YYYY-MM-DD) replaces the current date, for catching up or testing."""
    return services.apply_due_revisions(dt.date.fromisoformat(today) if today else None)
