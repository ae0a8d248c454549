"""Every scheduled task is idempotent and retried on transient database errors, so a worker lost
mid-task (acks_late redelivers it), a retry or two beat instances cannot do the work twice."""

import io

import pytest
from celery import current_app
from django.apps import apps
from django.core.management import call_command
from django.db import OperationalError, connection

from zhifa.core.models import AuditEvent

#: Tables whose rows a periodic run may legitimately replace (the cockpit's newest snapshots).
REWRITTEN = {"cockpit"}


def _scheduled_tasks(settings):
    current_app.loader.import_default_modules()
    return sorted({entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()})


def _row_counts() -> dict[str, int]:
    counts = {}
    with connection.cursor() as cursor:
        for model in apps.get_models():
            if model._meta.app_label in REWRITTEN or not model._meta.managed:
                continue
            table = model._meta.db_table
            if table not in counts:
                cursor.execute(f'SELECT count(*) FROM "{table}"')
                counts[table] = cursor.fetchone()[0]
    return counts


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=io.StringIO())


def test_every_scheduled_task_is_a_registered_retrying_task(settings):
    for name in _scheduled_tasks(settings):
        task = current_app.tasks[name]
        assert task.acks_late, name
        assert OperationalError in task.autoretry_for, name


def test_running_each_scheduled_task_twice_changes_nothing_the_second_time(settings, demo):
    for name in _scheduled_tasks(settings):
        task = current_app.tasks[name]
        task.apply().get()
        counts, last = (
            _row_counts(),
            AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first(),
        )
        task.apply().get()
        assert _row_counts() == counts, name
        assert AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() == last, name


def test_a_transient_database_error_is_retried(settings, db, monkeypatch):
    from zhifa.dispatch import services

    calls = []
    real = services.sweep_deadlines

    def flaky(now=None):
        calls.append(now)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real(now)

    monkeypatch.setattr(services, "sweep_deadlines", flaky)
    # throw=False: like a worker, the eager run turns the Retry into a second run instead of raising it.
    result = current_app.tasks["dispatch.sweep_deadlines"].apply(throw=False)
    assert result.successful() and len(calls) == 2
