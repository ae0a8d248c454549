"""Liveness, readiness, metrics, JSON logs with the request id, and the start-up checks of the
platform's settings."""

import json
import logging

import pytest
from django.core import checks
from django.test import override_settings

from zhifa.core.logging import RequestIdFilter
from zhifa.core.models import AuditEvent


def test_liveness_answers_without_touching_dependencies(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_readiness_checks_database_migrations_and_redis(client, db, settings):
    settings.CELERY_BROKER_URL = ""  # eager: no worker to ask
    response = client.get("/readyz")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["checks"]["database"]["ok"] and body["checks"]["redis"]["ok"]


def test_readiness_is_503_when_no_celery_worker_answers(client, db, settings):
    settings.CELERY_BROKER_URL = settings.REDIS_URL  # a broker, but no worker running in tests
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["celery"]["problem"] == "no Celery worker answered"


def test_readiness_is_503_when_redis_is_away(client, db, settings):
    settings.CELERY_BROKER_URL = ""
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/readyz")
    assert response.status_code == 503 and not response.json()["checks"]["redis"]["ok"]


def test_metrics_expose_latency_per_view_and_the_platform_gauges(client, db, settings, tmp_path):
    settings.ZHIFA_AUDIT_ANCHOR_PATH = tmp_path / "none.jsonl"
    client.get("/healthz")
    text = client.get("/metrics").content.decode()
    assert "django_http_requests_latency_seconds_by_view_method" in text
    assert "django_http_responses_total_by_status_view_method" in text
    assert "zhifa_audit_anchor_age_seconds +Inf" in text
    assert "zhifa_outbox_pending 0.0" in text
    assert "zhifa_celery_queue_depth" in text or not settings.CELERY_BROKER_URL


def test_request_id_reaches_the_audit_log_and_the_log_record(client, world):
    response = client.post(
        "/login/",
        {"username": "officer_a", "password": "correct-horse-battery"},
        HTTP_X_REQUEST_ID="req-12345",
    )
    assert response["X-Request-ID"] == "req-12345"
    assert AuditEvent.objects.get(action="auth.login").request_id == "req-12345"
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "m", (), None)
    from zhifa.core.context import reset_request_id, set_request_id

    token = set_request_id("req-9")
    try:
        RequestIdFilter().filter(record)
    finally:
        reset_request_id(token)
    assert record.request_id == "req-9"


def test_json_log_lines_carry_the_request_id(settings):
    from pythonjsonlogger.json import JsonFormatter

    formatter = JsonFormatter(
        **{k: v for k, v in settings.LOGGING["formatters"]["json"].items() if k != "()"}
    )
    record = logging.LogRecord("zhifa", logging.WARNING, __file__, 1, "hello", (), None)
    record.request_id = "abc"
    line = json.loads(formatter.format(record))
    assert (line["message"], line["request_id"], line["level"]) == ("hello", "abc", "WARNING")


def test_task_durations_are_measured(db):
    from prometheus_client import REGISTRY

    from zhifa.core import tasks

    tasks.verify_audit_chain.apply()
    assert (
        REGISTRY.get_sample_value("zhifa_task_duration_seconds_count", {"task": "core.verify_audit_chain"})
        >= 1
    )


@pytest.mark.parametrize(
    "name, value, error_id",
    [
        ("ZHIFA_DISTRICT_CODE", "33080", "zhifa.E001"),
        ("ZHIFA_PUBLIC_BASE_URL", "ftp://x", "zhifa.E002"),
        ("ZHIFA_CREDENTIAL_TOKEN_MAX_AGE", 0, "zhifa.E003"),
        ("ZHIFA_API_MAX_BODY_BYTES", -1, "zhifa.E005"),
        ("ZHIFA_CASE_CONFIG", [], "zhifa.E010"),
        ("ZHIFA_AUDIT_ANCHOR_KEY", "short", "zhifa.E011"),
        ("ZHIFA_SUPERVISION_EVENT_RUNS", "later", "zhifa.E014"),
    ],
)
def test_system_checks_refuse_bad_platform_settings(name, value, error_id):
    with override_settings(**{name: value}):
        ids = {message.id for message in checks.run_checks()}
    assert error_id in ids


def test_system_checks_pass_with_the_defaults():
    assert not [m for m in checks.run_checks() if m.id.startswith("zhifa.")]


def test_deploy_checks_want_an_anchor_key(settings):
    settings.ZHIFA_AUDIT_ANCHOR_KEY = ""
    ids = {m.id for m in checks.run_checks(include_deployment_checks=True)}
    assert "zhifa.E101" in ids
