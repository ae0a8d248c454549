"""Celery tasks of the integrations: one delivery (queued after the commit that made it, and
again with backoff after a failure) and ``integrations.flush_outbox`` every minute for whatever
is due (a lost task, a restarted worker). Both are idempotent."""

from zhifa.celery import background_task

from . import services


@background_task("integrations.deliver")
def deliver_task(delivery_id: int) -> str:
    delivery = services.deliver(delivery_id)
    return delivery.state if delivery else "skipped"


@background_task("integrations.flush_outbox")
def flush_outbox() -> dict:
    return services.flush()
