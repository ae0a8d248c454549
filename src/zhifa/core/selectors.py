"""Reads of cross-cutting data."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from .models import AuditEvent


def audit_trail(objects: Iterable[tuple[str, Iterable]], limit: int = 50) -> QuerySet[AuditEvent]:
    """The newest audit events of the given objects, as (object_type, ids) pairs. The caller
    has already checked that the user may see those objects."""
    condition = Q(pk__in=[])
    for object_type, ids in objects:
        ids = [str(i) for i in ids]
        if ids:
            condition |= Q(object_type=object_type, object_id__in=ids)
    return AuditEvent.objects.filter(condition).order_by("-id")[:limit]  # insertion order, across chains
