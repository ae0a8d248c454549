"""Prometheus metrics beyond django-prometheus's per-view latency and status counts: task
durations (the alert sweep and the cockpit refresh among them), queue depth, audit-anchor age,
audit-chain problems. Exposed at ``/metrics`` with the rest (docs/operations.md has an alert rule
for each)."""

from __future__ import annotations

import time

from celery.signals import task_failure, task_postrun, task_prerun
from prometheus_client import REGISTRY, Counter, Gauge, Histogram
from prometheus_client.core import GaugeMetricFamily

TASK_SECONDS = Histogram(
    "zhifa_task_duration_seconds",
    "Celery task run time",
    ["task"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600),
)
TASK_FAILURES = Counter("zhifa_task_failures_total", "Celery tasks that raised", ["task"])
AUDIT_PROBLEMS = Gauge("zhifa_audit_chain_problems", "Problems found by the last audit-chain verification")

_started: dict[str, float] = {}


@task_prerun.connect(weak=False)
def _task_started(task_id=None, task=None, **kwargs):
    _started[task_id] = time.monotonic()


@task_postrun.connect(weak=False)
def _task_finished(task_id=None, task=None, **kwargs):
    started = _started.pop(task_id, None)
    if started is not None and task is not None:
        TASK_SECONDS.labels(task.name).observe(time.monotonic() - started)


@task_failure.connect(weak=False)
def _task_failed(sender=None, **kwargs):
    TASK_FAILURES.labels(getattr(sender, "name", "unknown")).inc()


def queue_depth() -> int | None:
    """Messages waiting in the default Celery queue (Redis list ``celery``), or None without Redis."""
    from django.conf import settings

    if not settings.CELERY_BROKER_URL.startswith("redis"):
        return None
    import redis

    client = redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_timeout=1, socket_connect_timeout=1)
    try:
        return int(client.llen("celery"))
    finally:
        client.close()


class _LiveCollector:
    """Values read at scrape time."""

    def describe(self):
        # Names only: registering the collector must not query the database or Redis.
        yield GaugeMetricFamily(
            "zhifa_audit_anchor_age_seconds", "Seconds since the last audit anchor was written"
        )
        yield GaugeMetricFamily("zhifa_celery_queue_depth", "Tasks waiting in the Celery queue")
        yield GaugeMetricFamily("zhifa_outbox_pending", "Side effects not yet handed to the broker")

    def collect(self):
        from . import anchor

        age = anchor.last_anchor_age_seconds()
        family = GaugeMetricFamily(
            "zhifa_audit_anchor_age_seconds", "Seconds since the last audit anchor was written"
        )
        family.add_metric([], age if age is not None else float("inf"))
        yield family
        try:
            depth = queue_depth()
        except Exception:  # noqa: BLE001 - a scrape must not fail because Redis is away
            depth = None
        if depth is not None:
            queue = GaugeMetricFamily("zhifa_celery_queue_depth", "Tasks waiting in the Celery queue")
            queue.add_metric([], depth)
            yield queue
        try:
            from . import outbox

            pending = outbox.pending_count()
        except Exception:  # noqa: BLE001 - nor because the database is
            pending = None
        if pending is not None:
            family = GaugeMetricFamily("zhifa_outbox_pending", "Side effects not yet handed to the broker")
            family.add_metric([], pending)
            yield family


_collector = _LiveCollector()


def register_live_collector() -> None:
    try:
        REGISTRY.register(_collector)
    except ValueError:  # already registered (autoreload)
        pass
