"""Idempotent intake decided by the database: 50 identical pushes at the same instant, on
PostgreSQL, by Idempotency-Key and by source + external id, give one incident each and no 5xx;
a duplicate external id is answered with the incident only to the sender that pushed it."""

from __future__ import annotations

import json
import threading

from django.db import connection, connections
from django.test import Client

from tests.dispatch.conftest import report_data
from zhifa.api.models import ApiKey
from zhifa.dispatch.models import IdempotencyKey, Incident
from zhifa.organizations.models import User

URL = "/api/v1/dispatch/incidents"
N = 50


def _fire(key: str, body: dict, idempotency_key: str | None = None) -> list[tuple[int, dict]]:
    """``N`` threads post the same push after a barrier; their (status, body) answers."""
    barrier = threading.Barrier(N)
    answers: list[tuple[int, dict]] = []
    lock = threading.Lock()

    def push():
        client = Client()
        headers = {"HTTP_X_API_KEY": key}
        if idempotency_key:
            headers["HTTP_IDEMPOTENCY_KEY"] = idempotency_key
        try:
            barrier.wait()
            response = client.post(URL, data=json.dumps(body), content_type="application/json", **headers)
            with lock:
                answers.append((response.status_code, response.json()))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=push) for _ in range(N)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return answers


def _warm(command):
    """Load the router once in this process, so the pushes race on the database, not on training."""
    from zhifa.dispatch import routing

    routing.route("占道经营")


def test_fifty_identical_pushes_with_one_idempotency_key_store_one_incident(
    transactional_db, world, command, catalog
):
    assert connection.vendor == "postgresql"
    _warm(command)
    body = report_data()  # no external id: only the key can tell the pushes apart
    answers = _fire(command.hotline_key, body, idempotency_key="race-key-1")
    assert len(answers) == N
    assert {status for status, _ in answers} <= {200, 201}, answers[:3]
    assert sum(1 for status, _ in answers if status == 201) == 1
    assert len({answer["id"] for _, answer in answers}) == 1
    assert Incident.objects.count() == 1 and IdempotencyKey.objects.count() == 1


def test_fifty_identical_pushes_with_one_external_id_store_one_incident(
    transactional_db, world, command, catalog
):
    _warm(command)
    body = report_data(external_id="12345-2026-000042")
    answers = _fire(command.hotline_key, body)
    assert len(answers) == N and {status for status, _ in answers} <= {200, 201}, answers[:3]
    assert len({answer["id"] for _, answer in answers}) == 1
    assert Incident.objects.filter(external_id="12345-2026-000042").count() == 1


def test_a_duplicate_external_id_shows_the_incident_only_to_its_sender(client, world, command, catalog):
    body = report_data(external_id="12345-2026-000077")
    first = client.post(
        URL, data=json.dumps(body), content_type="application/json", HTTP_X_API_KEY=command.hotline_key
    )
    assert first.status_code == 201
    # another key of the same body (the hotline's command centre) is answered with it
    _, same_body_key = ApiKey.generate("12345 热线备用", command.centre, User.Role.COMMAND_CENTER)
    again = client.post(
        URL, data=json.dumps(body), content_type="application/json", HTTP_X_API_KEY=same_body_key
    )
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    # another platform guessing the id learns nothing about the incident
    other = client.post(
        URL, data=json.dumps(body), content_type="application/json", HTTP_X_API_KEY=command.township_key
    )
    assert other.status_code == 409
    assert (
        other.json()["code"] == "external_id_taken"
        and "id" not in other.json()
        and "text" not in str(other.json())
    )
    assert Incident.objects.count() == 1


def test_an_idempotency_key_longer_than_the_column_is_a_field_error(client, world, command, catalog):
    response = client.post(
        URL,
        data=json.dumps(report_data()),
        content_type="application/json",
        HTTP_X_API_KEY=command.hotline_key,
        HTTP_IDEMPOTENCY_KEY="k" * 201,
    )
    assert response.status_code == 422 and response.json()["field"] == "Idempotency-Key"
    assert Incident.objects.count() == 0
