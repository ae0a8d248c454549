"""The append-only, hash-chained audit log (全程留痕).

``hash = sha256(prev_hash + canonical_json(event))``. Appends to one chain are serialised so that
it has no forks: on PostgreSQL a transaction-scoped advisory lock per chain, on SQLite the
database lock.

At province scale one chain makes every write of every body wait for the one before it to commit.
``ZHIFA_AUDIT_CHAINS`` = N (default 1) splits the log into N chains by organisation
(``organization_id % N``): writes of bodies in different chains append in parallel, each chain
still gap-free and linked, each verified on its own; the anchor (``zhifa.core.anchor``) signs the
heads of all chains together — the district-wide head. With N = 1 the log is one chain, as it
always was; the chain number enters an event's hash only when it is not 0, so existing events
verify unchanged.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max, Q
from django.utils import timezone

from .context import current_request_id
from .models import AuditEvent

GENESIS_HASH = "0" * 64
_ADVISORY_LOCK_KEY = 0x7A68_6966  # "zhif"

CHAINED_FIELDS = (
    "seq",
    "at",
    "actor_id",
    "actor_name",
    "organization_id",
    "organization_name",
    "action",
    "object_type",
    "object_id",
    "before",
    "after",
    "legal_basis",
    "request_id",
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
    fields = {name: getattr(event, name) for name in CHAINED_FIELDS}
    if event.chain:
        fields["chain"] = event.chain
    return fields


def chain_count() -> int:
    return max(1, int(getattr(settings, "ZHIFA_AUDIT_CHAINS", 1)))


def chain_of(organization_id: int | None) -> int:
    """The chain an event of this organisation is appended to."""
    count = chain_count()
    return (organization_id or 0) % count if count > 1 else 0


def _lock_chain(chain: int = 0) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_ADVISORY_LOCK_KEY + chain])


def _new_event(
    actor,
    action: str,
    obj=None,
    *,
    object_type: str | None = None,
    object_id: Any = None,
    before: Any = None,
    after: Any = None,
    legal_basis: str = "",
    organization=None,
) -> AuditEvent:
    """An unsaved, unchained event: who did what to which object."""
    org = organization if organization is not None else getattr(actor, "organization", None)
    return AuditEvent(
        at=timezone.now(),
        actor_id=getattr(actor, "pk", None),
        actor_name=(
            actor.get_username()
            if actor is not None and hasattr(actor, "get_username")
            else str(actor or "system")
        ),
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
    """Chain ``events`` after the last stored one of their chain and insert them, under the
    chains' locks (taken in chain order, so two writers never wait on each other in a circle)."""
    for event in events:
        event.chain = chain_of(event.organization_id)
    # Inside the service's transaction no savepoint is needed: a failed append fails the write.
    with transaction.atomic(savepoint=False):
        for chain in sorted({event.chain for event in events}):
            _lock_chain(chain)
            last = AuditEvent.objects.filter(chain=chain).order_by("-seq").only("seq", "hash").first()
            seq, prev_hash = (last.seq, last.hash) if last else (0, GENESIS_HASH)
            for event in events:
                if event.chain != chain:
                    continue
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


def record_refusal(actor, where: str, exc) -> None:
    """A refused act of authority is itself recorded (who tried what, and why it was refused). Runs
    after the service's transaction rolled back, in a transaction of its own."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return
    with transaction.atomic():
        record(
            actor,
            "access.refused",
            object_type="request",
            object_id=where[:64],
            after={"code": exc.code, "message": exc.message, "roles": getattr(exc, "roles", [])},
        )


@dataclass(frozen=True)
class BrokenLink:
    seq: int
    reason: str
    chain: int = 0


def verify_chain(batch_size: int = 5000) -> tuple[int, BrokenLink | None]:
    """Walk every chain in order; return how many events were checked and the first broken link."""
    checked = 0
    for chain in sorted(set(AuditEvent.objects.values_list("chain", flat=True).distinct())):
        count, broken = _verify_one(chain, batch_size)
        checked += count
        if broken is not None:
            return checked, broken
    return checked, None


def _verify_one(chain: int, batch_size: int) -> tuple[int, BrokenLink | None]:
    prev_hash = GENESIS_HASH
    expected_seq = 1
    checked = 0
    queryset = AuditEvent.objects.filter(chain=chain).order_by("seq")
    for event in queryset.iterator(chunk_size=batch_size):
        if event.seq != expected_seq:
            return checked, BrokenLink(
                expected_seq, f"缺少序号 {expected_seq}（下一条是 {event.seq}）", chain
            )
        if event.prev_hash != prev_hash:
            return checked, BrokenLink(event.seq, "前一条哈希不符（记录被删除或替换）", chain)
        if event_hash(prev_hash, _fields_of(event)) != event.hash:
            return checked, BrokenLink(event.seq, "内容哈希不符（记录被篡改）", chain)
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


def heads() -> list[tuple[int, int, str]]:
    """``(chain, seq, hash)`` of the last event of every chain, in chain order."""
    last = dict(AuditEvent.objects.values_list("chain").annotate(Max("seq")))
    if not last:
        return []
    condition = None
    for chain, seq in last.items():
        part = Q(chain=chain, seq=seq)
        condition = part if condition is None else condition | part
    rows = AuditEvent.objects.filter(condition).values_list("chain", "seq", "hash")
    return sorted(rows)


def district_head(chain_heads: list[tuple[int, int, str]]) -> str:
    """One hash over the heads of all chains: the district-wide head the anchor signs."""
    return hashlib.sha256(canonical_json([list(h) for h in chain_heads]).encode("utf-8")).hexdigest()
