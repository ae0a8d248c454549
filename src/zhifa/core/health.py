"""Liveness and readiness for the load balancer and the orchestrator.

* ``/healthz`` — the process answers (no dependency checked: restarting it would not help them).
* ``/readyz`` — it can serve: the database answers, every migration is applied, Redis answers
  (when configured) and at least one Celery worker answers a ping (when a broker is configured).
  503 with the failing parts named otherwise.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache


def _database() -> str | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return f"{len(pending)} migrations not applied" if pending else None


def _redis() -> str | None:
    if not settings.REDIS_URL:
        return None
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=1, socket_connect_timeout=1)
    try:
        client.ping()
    finally:
        client.close()
    return None


def _workers() -> str | None:
    if not settings.CELERY_BROKER_URL:
        return None  # eager mode: tasks run in the web process
    known = cache.get("health:celery-workers")
    if known is None:
        from zhifa.celery import app

        known = len(app.control.ping(timeout=0.5) or [])
        cache.set("health:celery-workers", known, 15)
    return None if known else "no Celery worker answered"


CHECKS = {"database": _database, "redis": _redis, "celery": _workers}


@never_cache
def liveness(request):
    return JsonResponse({"status": "ok"})


@never_cache
def readiness(request):
    results, ready = {}, True
    for name, check in CHECKS.items():
        started = time.monotonic()
        try:
            problem = check()
        except Exception as exc:  # noqa: BLE001 - any failure of a dependency means "not ready"
            problem = f"{type(exc).__name__}: {exc}"[:200]
        results[name] = {"ok": problem is None, "ms": round((time.monotonic() - started) * 1000, 1)}
        if problem:
            results[name]["problem"] = problem
            ready = False
    return JsonResponse(
        {"status": "ready" if ready else "not ready", "checks": results}, status=200 if ready else 503
    )
