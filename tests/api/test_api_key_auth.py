"""API key authentication stays a read: one indexed lookup and a SHA-256 per request, and
``last_used_at`` is written at most once a minute (not on every request, which would make every
read a write and queue concurrent requests of one integration on the key's row lock)."""

from datetime import timedelta

import pytest
from django.contrib.auth import hashers
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhifa.api.models import ApiKey
from zhifa.api.security import LAST_USED_RESOLUTION


@pytest.fixture
def key(world):
    return ApiKey.generate("上方镇四平台", world.team_a, "officer")[1]


def _get(client, key):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/api/v1/officers", HTTP_X_API_KEY=key)
    assert response.status_code == 200
    return [q["sql"] for q in ctx.captured_queries]


def test_first_use_records_last_used_at(client, world, key):
    assert ApiKey.objects.get().last_used_at is None
    sql = _get(client, key)
    assert ApiKey.objects.get().last_used_at is not None
    assert sum(s.startswith('UPDATE "api_apikey"') for s in sql) == 1


def test_requests_within_the_resolution_do_not_write(client, world, key):
    _get(client, key)
    first = ApiKey.objects.get().last_used_at
    sql = _get(client, key)
    assert not [s for s in sql if s.startswith(("UPDATE", "INSERT", "DELETE"))], sql
    assert ApiKey.objects.get().last_used_at == first


def test_last_used_at_is_refreshed_once_it_is_older_than_the_resolution(client, world, key):
    _get(client, key)
    stale = ApiKey.objects.get().last_used_at - LAST_USED_RESOLUTION - timedelta(seconds=1)
    ApiKey.objects.update(last_used_at=stale)
    sql = _get(client, key)
    assert sum(s.startswith('UPDATE "api_apikey"') for s in sql) == 1
    assert ApiKey.objects.get().last_used_at > stale


def test_no_password_hasher_runs_for_an_api_key(client, world, key, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a password hasher ran during API key authentication")

    for hasher in hashers.get_hashers():
        monkeypatch.setattr(type(hasher), "verify", refuse)
        monkeypatch.setattr(type(hasher), "encode", refuse)
    _get(client, key)
