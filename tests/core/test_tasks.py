"""Background work runs on a real Celery worker fed by Redis (started by ./dev test)."""

import os

import pytest

from zhifa.celery import app
from zhifa.core.tasks import verify_audit_chain
from zhifa.organizations import services

REDIS_URL = os.environ.get("REDIS_URL")


@pytest.fixture
def celery_worker_on_redis():
    from celery.contrib.testing.worker import start_worker

    if not REDIS_URL:
        pytest.fail("REDIS_URL is not set: run the suite with ./dev test, which starts Redis")
    if not app.conf.result_backend:
        pytest.fail("CELERY_RESULT_BACKEND is not set: run the suite with ./dev test")
    saved = {"task_always_eager": app.conf.task_always_eager}
    app.conf.update(task_always_eager=False)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            yield app
    finally:
        app.conf.update(saved)


def test_audit_check_runs_on_a_worker(transactional_db, world, celery_worker_on_redis):
    services.update_officer(world.leader_a, world.officer_a.pk, {"phone": "13800000000"})
    result = verify_audit_chain.delay().get(timeout=30)
    assert result == {"checked": 1, "broken_seq": None, "reason": ""}


def test_beat_schedules_the_nightly_check(settings):
    assert settings.CELERY_BEAT_SCHEDULE["verify-audit-chain-nightly"]["task"] == verify_audit_chain.name
