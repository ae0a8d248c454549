"""The Celery application: periodic sweeps and long work run on workers fed by Redis."""

import os

from celery import Celery, shared_task

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")

app = Celery("zhifa")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def _transient_errors() -> tuple[type[BaseException], ...]:
    from django.db import InterfaceError, OperationalError

    return (OperationalError, InterfaceError)


def background_task(name: str, **options):
    """A task that is safe to run twice and to retry: acknowledged only when done (a task lost
    with its worker runs again) and retried with growing, jittered delays when the database is
    briefly unreachable (failover, restart, too many connections). Every task declared with it
    must be idempotent — tests/core/test_periodic_tasks.py runs each scheduled one twice."""
    defaults = {
        "acks_late": True,
        "autoretry_for": _transient_errors(),
        "retry_backoff": 5,
        "retry_backoff_max": 600,
        "retry_jitter": True,
        "max_retries": 5,
    }
    return shared_task(name=name, **(defaults | options))
