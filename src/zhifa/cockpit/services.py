"""Writes of the cockpit: computing and storing snapshots (docs/decisions/0003-cockpit-snapshots.md),
and handing the page figures no older than a minute (``current``).

A snapshot is derived data — recomputable at any time from the records, which are audited where
they are written — so storing one is not an audited action. Two computations of one scope never
run at once: each holds a PostgreSQL advisory lock on its scope key for its transaction.
"""

from __future__ import annotations

import datetime as dt
import time

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from zhifa.core.scopes import Scope

from . import selectors
from .models import Snapshot

#: The 刷新 button recomputes a scope at most once in this interval (whoever presses it).
MANUAL_INTERVAL = dt.timedelta(seconds=10)
#: The task refreshes the scopes somebody looked at in this many days (and always the district).
VIEWED_DAYS = 7
#: First key of the two-key advisory locks of this app ("ck").
LOCK_CLASS = 0x636B


def _lock(key: str, wait: bool) -> bool:
    """Lock ``key`` until the end of the transaction; False when another holds it and ``wait`` is
    False. SQLite (the embedded default) serialises writers itself."""
    if connection.vendor != "postgresql":
        return True
    function = "pg_advisory_xact_lock" if wait else "pg_try_advisory_xact_lock"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {function}(%s, hashtext(%s))", [LOCK_CLASS, key])
        got = cursor.fetchone()[0]
    return wait or bool(got)


def refresh(
    scope: Scope, *, wait: bool = False, today: dt.date | None = None, viewed_at: dt.datetime | None = None
) -> Snapshot | None:
    """Compute the cockpit of ``scope`` live and store it as the scope's snapshot (one row per
    scope; the newest computation wins). Idempotent. While another computation of the same scope
    runs: None at once, or with ``wait``, the snapshot it stored once it is done. ``viewed_at``:
    computed for somebody looking at it (the first look at a scope)."""
    key = selectors.scope_key(scope)
    asked = timezone.now()
    with transaction.atomic():
        if not _lock(key, wait):
            return None
        if wait:
            done = Snapshot.objects.filter(scope_key=key, computed_at__gte=asked).first()
            if done is not None:  # started after we asked, by the holder of the lock we waited for
                return done
        computed_at, started = timezone.now(), time.perf_counter()
        cockpit = selectors.indicators(scope, today)
        duration = round((time.perf_counter() - started) * 1000)
        row, _ = Snapshot.objects.update_or_create(
            scope_key=key,
            defaults={
                "everything": scope.everything,
                "org_path": scope.org_path or "",
                "township_region_id": scope.township_region_id,
                "computed_at": computed_at,
                "duration_ms": duration,
                "data": cockpit.to_json(),
                **({"viewed_at": viewed_at} if viewed_at else {}),
            },
        )
    return row


def refresh_by_hand(scope: Scope) -> bool:
    """The 刷新 button: recompute the scope now, unless somebody did so less than
    ``MANUAL_INTERVAL`` ago (then False and nothing is computed)."""
    now = timezone.now()
    rows = Snapshot.objects.filter(scope_key=selectors.scope_key(scope))
    if rows.exists():
        free = Q(requested_at__isnull=True) | Q(requested_at__lte=now - MANUAL_INTERVAL)
        if not rows.filter(free).update(requested_at=now):
            return False
    refresh(scope, wait=True)
    rows.filter(requested_at__isnull=True).update(requested_at=now)
    return True


def snapshot(scope: Scope) -> selectors.Cockpit:
    """The newest snapshot of ``scope``; the first look at a scope computes it live once and stores
    it. Stamps ``viewed_at`` at most once an hour (so the refresh task keeps the scope warm)."""
    row = selectors.stored(scope)
    now = timezone.now()
    if row is None:
        row = refresh(scope, wait=True, viewed_at=now)
    elif row.viewed_at is None or row.viewed_at < now - selectors.VIEW_STAMP_INTERVAL:
        Snapshot.objects.filter(pk=row.pk).update(viewed_at=now)
    return selectors.as_cockpit(row)


def current(scope: Scope, max_age: int | None = None) -> selectors.Cockpit:
    """Figures no older than ``max_age`` seconds (``selectors.LIVE_SECONDS``, the page's refresh
    interval): the stored snapshot while it is that fresh, else computed now. Viewers of one scope
    share one computation (the scope's lock); a viewer who waited reuses the result."""
    max_age = selectors.LIVE_SECONDS if max_age is None else max_age
    cockpit = snapshot(scope)
    if cockpit.computed_at is not None and cockpit.computed_at >= timezone.now() - dt.timedelta(
        seconds=max_age
    ):
        return cockpit
    return selectors.as_cockpit(refresh(scope, wait=True))


def scope_of(row: Snapshot) -> Scope:
    return Scope(
        everything=row.everything, org_path=row.org_path or None, township_region_id=row.township_region_id
    )


def refresh_snapshots(days: int = VIEWED_DAYS, now: dt.datetime | None = None) -> dict[str, int | None]:
    """The periodic refresh: the district and every scope viewed in the last ``days`` days. Returns
    each scope's computation time in ms (None: another computation of it was running)."""
    now = now or timezone.now()
    scopes = {selectors.scope_key(Scope(everything=True)): Scope(everything=True)}
    for row in (
        Snapshot.objects.filter(viewed_at__gte=now - dt.timedelta(days=days))
        .only("scope_key", "everything", "org_path", "township_region_id")
        .order_by("scope_key")
    ):
        scopes.setdefault(row.scope_key, scope_of(row))
    out: dict[str, int | None] = {}
    for key, scope in scopes.items():
        row = refresh(scope)
        out[key] = row.duration_ms if row is not None else None
    return out
