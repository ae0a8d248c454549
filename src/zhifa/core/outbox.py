"""The transactional outbox: side effects that must not be lost with a broker outage.

``enqueue("app.task", {...})`` inside a service's transaction writes an :class:`OutboxMessage`
row; when the transaction commits the task is sent to Celery and the row marked sent. If Redis is
down at that moment the row stays unsent and ``core.deliver_outbox`` (every minute, Celery beat)
sends it later. If the transaction rolls back there is neither row nor task. A message may be
sent twice (sent, then the mark failed): tasks sent this way must be idempotent, like every
``background_task``.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from .models import OutboxMessage

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 100


def _send(message: OutboxMessage) -> bool:
    from zhifa.celery import app

    try:
        app.send_task(message.task, kwargs=message.kwargs)
    except Exception as exc:  # noqa: BLE001 - any broker failure: keep the row, try again later
        OutboxMessage.objects.filter(pk=message.pk).update(
            attempts=message.attempts + 1, last_error=str(exc)[:300]
        )
        log.warning("outbox: %s not sent yet (%s)", message.task, exc)
        return False
    OutboxMessage.objects.filter(pk=message.pk).update(sent_at=timezone.now(), attempts=message.attempts + 1)
    return True


def enqueue(task: str, kwargs: dict | None = None) -> OutboxMessage:
    message = OutboxMessage.objects.create(task=task, kwargs=kwargs or {})
    transaction.on_commit(lambda: _send(message))
    return message


def deliver(limit: int = 500) -> dict[str, int]:
    """Send what is still unsent (oldest first); counts of sent and still pending."""
    sent = pending = 0
    for message in OutboxMessage.objects.filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS)[:limit]:
        if _send(message):
            sent += 1
        else:
            pending += 1
    return {"sent": sent, "pending": pending}


def pending_count() -> int:
    return OutboxMessage.objects.filter(sent_at__isnull=True).count()
