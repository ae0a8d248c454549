"""Celery tasks of the cockpit. ``cockpit.refresh_snapshots`` runs every five minutes from
CELERY_BEAT_SCHEDULE; it is idempotent and skips a scope whose refresh is already running."""

from zhifa.celery import background_task

from . import services


@background_task("cockpit.refresh_snapshots")
def refresh_snapshots(days: int = services.VIEWED_DAYS) -> dict[str, int | None]:
    """Recompute the district's snapshot and those of the scopes viewed in the last ``days`` days."""
    return services.refresh_snapshots(days)
