"""Celery tasks of the parties: the nightly recolouring (企业四色管理). Scheduled as
``parties.recompute_risk`` in ``CELERY_BEAT_SCHEDULE``."""

import datetime as dt

from zhifa.celery import background_task

from . import services


@background_task("parties.recompute_risk")
def recompute_risk(today: str | None = None) -> dict:
    """Put in force the credit rules whose date has come and reassess every party with its reasons
    (idempotent: a second run changes nothing). ``today`` (YYYY-MM-DD) replaces the current date."""
    summary = services.nightly_recompute(dt.date.fromisoformat(today) if today else None)
    return {
        "activated": summary["activated"],
        "checked": summary["checked"],
        "changed": len(summary["changed"]),
    }
