"""The append-only, hash-chained audit log (全程留痕).

``hash = sha256(prev_hash + canonical_json(event))``. Appends are serialised so that the chain
has no forks: on PostgreSQL a transaction-scoped advisory lock, on SQLite the database lock.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from .context import current_request_id
from .models import AuditEvent

GENESIS_HASH = "0" * 64
_ADVISORY_LOCK_KEY = 0x7A68_6966  # "zhif"

CHAINED_FIELDS = (
    "seq", "at", "actor_id", "actor_name", "organization_id", "organization_name", "action",
    "object_type", "object_id", "before", "after", "legal_basis", "request_id",
)


def _default(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat(timespec="microseconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return str(value)


def canonical_json(data: Any) -> str:
    """Stable text of a value: sorted keys, no spaces, UTF-8 kept, dates in ISO form."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_default)


def jsonable(data: Any) -> Any:
    """What a JSON column gives back for ``data``, so the hash is the same before and after storage."""
    return None if data is None else json.loads(canonical_json(data))


def event_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    return hashlib.sha256((prev_hash + canonical_json(fields)).encode("utf-8")).hexdigest()


def _fields_of(event: AuditEvent) -> dict[str, Any]:
    return {name: getattr(event, name) for name in CHAINED_FIELDS}


def _lock_chain() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_ADVISORY_LOCK_KEY])


def _new_event(actor, action: str, obj=None, *, object_type: str | None = None, object_id: Any = None,
               before: Any = None, after: Any = None, legal_basis: str = "", organization=None) -> AuditEvent:
    """An unsaved, unchained event: who did what to which object."""
    org = organization if organization is not None else getattr(actor, "organization", None)
    return AuditEvent(
        at=timezone.now(),
        actor_id=getattr(actor, "pk", None),
        actor_name=(actor.get_username() if actor is not None and hasattr(actor, "get_username") else str(actor or "system")),
        organization_id=getattr(org, "pk", None),
        organization_name=str(org) if org is not None else "",
        action=action,
        object_type=object_type or (obj._meta.label if obj is not None else ""),
        object_id=str(object_id if object_id is not None else getattr(obj, "pk", "") or ""),
        before=jsonable(before),
        after=jsonable(after),
        legal_basis=legal_basis,
        request_id=current_request_id() or "",
    )


def _append(events: list[AuditEvent]) -> list[AuditEvent]:
    """Chain ``events`` after the last stored one and insert them, under the chain lock."""
    with transaction.atomic():
        _lock_chain()
        last = AuditEvent.objects.order_by("-seq").only("seq", "hash").first()
        seq, prev_hash = (last.seq, last.hash) if last else (0, GENESIS_HASH)
        for event in events:
            seq += 1
            event.seq, event.prev_hash = seq, prev_hash
            event.hash = prev_hash = event_hash(prev_hash, _fields_of(event))
        if len(events) == 1:
            events[0].save()
        else:
            AuditEvent.objects.bulk_create(events, batch_size=1000)
        return events


def record(actor, action: str, obj=None, **details) -> AuditEvent:
    """Append one event to the chain. Call inside the service's transaction: if the write
    rolls back, so does its audit row. ``details``: object_type, object_id, before, after,
    legal_basis, organization."""
    return _append([_new_event(actor, action, obj, **details)])[0]


def record_many(actor, entries: list[dict[str, Any]]) -> list[AuditEvent]:
    """Append one event per entry (keys: action, obj and the ``record`` details) under a single
    lock — for bulk writes such as imports, where each object still gets its own event."""
    return _append([_new_event(actor, **entry) for entry in entries]) if entries else []


@dataclass(frozen=True)
class BrokenLink:
    seq: int
    reason: str


def verify_chain(batch_size: int = 5000) -> tuple[int, BrokenLink | None]:
    """Walk the chain in order; return how many events were checked and the first broken link."""
    prev_hash = GENESIS_HASH
    expected_seq = 1
    checked = 0
    queryset = AuditEvent.objects.order_by("seq")
    for event in queryset.iterator(chunk_size=batch_size):
        if event.seq != expected_seq:
            return checked, BrokenLink(expected_seq, f"缺少序号 {expected_seq}（下一条是 {event.seq}）")
        if event.prev_hash != prev_hash:
            return checked, BrokenLink(event.seq, "前一条哈希不符（记录被删除或替换）")
        if event_hash(prev_hash, _fields_of(event)) != event.hash:
            return checked, BrokenLink(event.seq, "内容哈希不符（记录被篡改）")
        prev_hash = event.hash
        expected_seq += 1
        checked += 1
    return checked, None


def snapshot(obj, fields: list[str] | tuple[str, ...]) -> dict[str, Any]:
    """The audited view of an object: the named fields, foreign keys by id."""
    data = {}
    for name in fields:
        field = obj._meta.get_field(name)
        data[name] = getattr(obj, field.attname)
    return jsonable(data)


def record_view(actor, obj, fields: list[str] | tuple[str, ...], *, reason: str = "") -> AuditEvent:
    """Record that ``actor`` saw the unmasked personal data ``fields`` of ``obj`` (a phone number, an
    ID number): call it where a page or an answer shows them unmasked. The values are not copied
    into the log, only which fields were shown."""
    return record(actor, "personal_data.view", obj, after={"fields": sorted(fields), "reason": reason})
