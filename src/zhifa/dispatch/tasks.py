"""Celery tasks of dispatch. ``dispatch.sweep_deadlines`` runs every 10 minutes (idempotent);
``dispatch.forget_idempotency_keys`` daily (old Idempotency-Key claims);
``dispatch.retrain_router`` nightly: it retrains the router on the command centre's labelled
examples and puts the new model in use only if it is not worse on the fixed test split."""

import datetime as dt

from zhifa.celery import background_task

from . import services


@background_task("dispatch.sweep_deadlines")
def sweep_deadlines(now: str | None = None) -> dict[str, int]:
    """Mark overdue and escalated incidents. ``now`` (ISO datetime) replaces the current time."""
    return services.sweep_deadlines(dt.datetime.fromisoformat(now) if now else None)


@background_task("dispatch.forget_idempotency_keys")
def forget_idempotency_keys(now: str | None = None) -> int:
    """Remove Idempotency-Key claims older than ZHIFA_IDEMPOTENCY_KEY_DAYS (daily; twice is once)."""
    return services.forget_idempotency_keys(dt.datetime.fromisoformat(now) if now else None)


@background_task("dispatch.retrain_router", time_limit=1800, soft_time_limit=1700)
def retrain_router(now: str | None = None) -> dict:
    """Retrain, evaluate on the test split, adopt if not worse. Safe to run twice: the second run
    trains another version and keeps the better or equal one in use."""
    row = services.retrain_router(dt.datetime.fromisoformat(now) if now else None)
    return {"version": row.version, "adopted": row.adopted, "top1": row.metrics.get("top1")}
