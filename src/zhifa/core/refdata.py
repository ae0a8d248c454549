"""Reference data that every intake reads and administrators change a few times a year (the
townships, the bodies, claims and township item lists): kept in each process instead of queried
on every request.

What a process keeps belongs to a *generation* held in the shared cache (Redis in production). A
committed write to a watched model (``watch``, or a write that calls ``written``) sets a new
generation: the writing process drops what it kept at once, the others when they next look at
the generation — at most once a ``CHECK_SECONDS``. Whatever is kept is read again after
``TTL_SECONDS`` anyway, for writes that send no signal (``QuerySet.update``, ``bulk_create``, raw
SQL). A transaction that wrote a watched row neither uses nor keeps anything until it ends: it
must read what it wrote, and it may still roll back.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Hashable
from typing import Any

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save

GENERATION_KEY = "refdata:generation"
CHECK_SECONDS = 1.0
TTL_SECONDS = 300.0

_lock = threading.Lock()
_kept: dict[Hashable, Any] = {}
_state = {"generation": None, "checked": 0.0, "filled": 0.0}
_thread = threading.local()  # .wrote: this thread's open transaction wrote a watched row


def _shared_generation() -> str | None:
    """The generation in the shared cache, set if missing (a cleared or restarted cache); None
    when the cache cannot be reached (then nothing is kept)."""
    try:
        value = cache.get(GENERATION_KEY)
        if value is None:
            cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
            value = cache.get(GENERATION_KEY)
    except Exception:  # noqa: BLE001 - no shared cache: read the database every time
        return None
    return value


def _current() -> bool:
    """Whether what this process keeps may be used (dropping it when it may not)."""
    now = time.monotonic()
    with _lock:
        if now - _state["filled"] > TTL_SECONDS:
            _kept.clear()
            _state["filled"] = now
        if now - _state["checked"] < CHECK_SECONDS and _state["generation"] is not None:
            return True
    generation = _shared_generation()
    with _lock:
        _state["checked"] = now
        if generation != _state["generation"]:
            _kept.clear()
            _state["generation"], _state["filled"] = generation, now
        return generation is not None


def _wrote() -> bool:
    """Whether this thread is inside a transaction that wrote a watched row."""
    if not getattr(_thread, "wrote", False):
        return False
    if connection.in_atomic_block:
        return True
    clear()  # that transaction has ended, perhaps rolled back: what was kept during it goes too
    return False


def kept(key: Hashable, compute: Callable[[], Any]) -> Any:
    """``compute()``, or what this process kept under ``key`` while the data is unchanged."""
    if _wrote() or not _current():
        return compute()
    with _lock:
        if key in _kept:
            return _kept[key]
    value = compute()
    with _lock:
        _kept[key] = value
    return value


def changed() -> None:
    """A watched table was written: a new generation for every process, after the commit. A
    transaction that writes a thousand rows sets it once: the first callback after the commit
    does it, the rest find nothing pending (one left by a rollback goes with the next commit)."""
    _thread.bump_pending = True
    transaction.on_commit(_bump)


def _bump() -> None:
    if not getattr(_thread, "bump_pending", False):
        return
    _thread.bump_pending = False
    clear()
    try:
        cache.set(GENERATION_KEY, uuid.uuid4().hex, None)
    except Exception:  # noqa: BLE001 - the others drop theirs within TTL_SECONDS
        pass


def written(*_args, **_kwargs) -> None:
    """A watched table was written: the receiver of the watched models' signals, and to be called
    after a write that sends none (``QuerySet.update``, ``bulk_create``, raw SQL)."""
    if connection.in_atomic_block:
        _thread.wrote = True
    changed()


def watch(*models) -> None:
    """Call from an app's ``ready``: writes to these models change the reference data."""
    for model in models:
        for name, signal in (("save", post_save), ("delete", post_delete)):
            signal.connect(written, sender=model, dispatch_uid=f"refdata.{model._meta.label}.{name}")


def clear() -> None:
    """Forget everything kept in this process (and that this thread wrote a watched row)."""
    _thread.wrote = False
    with _lock:
        _kept.clear()
        _state["generation"] = None
