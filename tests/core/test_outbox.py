"""Side effects survive a broker outage (outbox), and the cache keeps answering while Redis restarts."""

import pytest
from django.db import transaction

from zhifa.celery import app
from zhifa.core import outbox
from zhifa.core.cache import ResilientRedisCache
from zhifa.core.models import OutboxMessage


@pytest.fixture
def sent(monkeypatch):
    calls = []
    monkeypatch.setattr(app, "send_task", lambda name, kwargs=None, **kw: calls.append((name, kwargs)))
    return calls


def test_message_is_sent_after_commit(db, sent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            outbox.enqueue("core.fault_drill_write", {"key": "a"})
            assert sent == []  # not before the commit
    assert sent == [("core.fault_drill_write", {"key": "a"})]
    assert OutboxMessage.objects.get().sent_at is not None


def test_rolled_back_change_sends_nothing(db, sent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        outbox.enqueue("core.fault_drill_write", {"key": "b"})
        raise RuntimeError
    assert sent == [] and not OutboxMessage.objects.exists()


def test_message_kept_while_the_broker_is_down_and_delivered_later(
    db, monkeypatch, django_capture_on_commit_callbacks
):
    def down(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(app, "send_task", down)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        outbox.enqueue("core.fault_drill_write", {"key": "c"})
    message = OutboxMessage.objects.get()
    assert message.sent_at is None and message.attempts == 1 and "broker down" in message.last_error
    calls = []
    monkeypatch.setattr(app, "send_task", lambda name, kwargs=None, **kw: calls.append(name))
    assert outbox.deliver() == {"sent": 1, "pending": 0}
    assert calls == ["core.fault_drill_write"] and outbox.pending_count() == 0


def test_cache_answers_as_empty_while_redis_is_unreachable():
    cache = ResilientRedisCache("redis://127.0.0.1:1/0", {})
    assert cache.get("k", "default") == "default"
    assert cache.add("k", 1, 60) is True and cache.incr("k") == 1
    cache.set("k", 1)
    assert cache.get_many(["k"]) == {} and cache.delete("k") is False


def test_drill_task_writes_once_however_often_it_runs(db):
    from zhifa.core import tasks
    from zhifa.core.models import AuditEvent

    tasks.fault_drill_write.apply(kwargs={"key": "x"})
    tasks.fault_drill_write.apply(kwargs={"key": "x"})
    assert AuditEvent.objects.filter(action="drill.write", object_id="x").count() == 1
