"""Incremental exports for the provincial 执法监管数字应用: cases, inspection records and
incidents changed since a cursor, in a documented JSON format with a JSON Schema per kind.

The cursor is opaque to the puller: it encodes the change time and id of the last row sent
(``updated_at`` of cases and incidents, ``created_at`` of inspection records, which are not
edited). Rows are read in (time, id) order and only up to ``SETTLE_SECONDS`` ago, so that a
transaction that commits a little after a later one is not skipped. The other apps' models are
only read. Personal data is minimised: a natural person's ID number is masked; reporters'
names and phones are not exported.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone

from zhifa.core.scopes import Scope
from zhifa.core.validators import mask_id_number

SETTLE_SECONDS = 30
MAX_LIMIT = 1000
SCHEMA_BASE = "https://zhifa.example/schemas/export"  # the $id namespace; the schemas are served by the API


def encode_cursor(at: dt.datetime, pk: int) -> str:
    return base64.urlsafe_b64encode(f"{at.astimezone(dt.UTC).isoformat()}|{pk}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[dt.datetime, int] | None:
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        at, pk = raw.split("|")
        moment = dt.datetime.fromisoformat(at)
        if moment.tzinfo is None:
            raise ValueError
        return moment, int(pk)
    except (ValueError, UnicodeDecodeError):
        raise ValidationError(
            {
                "since": ValidationError(
                    "游标无效：请使用上一页返回的 next_cursor，首次拉取不传", code="invalid_cursor"
                )
            }
        ) from None


def _date(value):
    return value.isoformat() if value else None


def _time(value):
    return value.astimezone(dt.UTC).isoformat() if value else None


def _party(party) -> dict | None:
    if party is None:
        return None
    return {
        "kind": party.kind,
        "name": party.name,
        "uscc": party.uscc or None,
        "id_number": mask_id_number(party.id_number) if party.id_number else None,
    }


# ---- what each kind exports ------------------------------------------------------------------------


def _cases(actor) -> QuerySet:
    from zhifa.cases.models import Case

    return Scope.for_user(actor).filter(
        Case.objects.select_related("organization", "party", "item"), "organization"
    )


def _case_row(case) -> dict:
    return {
        "id": case.pk,
        "number": case.number or None,
        "organization": case.organization.name,
        "procedure": case.procedure,
        "state": case.state,
        "party": _party(case.party),
        "item": {"code": case.item.code, "name": case.item.name},
        "act_date": _date(case.act_date),
        "filing_date": _date(case.filing_date),
        "decision_date": _date(case.decision_date),
        "decided_fine": str(case.decided_fine),
        "amount_paid": str(case.amount_paid),
        "penalties": [
            {"kind": p.get("kind"), "amount": str(p["amount"]) if p.get("amount") not in (None, "") else None}
            for p in case.penalties_decided or []
        ],
        "updated_at": _time(case.updated_at),
    }


def _inspections(actor) -> QuerySet:
    from zhifa.inspections.models import InspectionRecord

    return Scope.for_user(actor).filter(
        InspectionRecord.objects.select_related("department", "party").prefetch_related("officers"),
        "department",
    )


def _inspection_row(record) -> dict:
    return {
        "id": record.pk,
        "department": record.department.name,
        "party": _party(record.party),
        "started_at": _time(record.started_at),
        "ended_at": _time(record.ended_at),
        "outcome": record.outcome,
        "findings": record.findings or None,
        "officers": sorted(o.name for o in record.officers.all()),
        "joint": record.visit_id is not None,
        "created_at": _time(record.created_at),
    }


def _incidents(actor) -> QuerySet:
    from zhifa.dispatch.models import Incident

    return Scope.for_user(actor).filter(
        Incident.objects.select_related("township", "item", "responsible_org"), "responsible_org", "township"
    )


def _incident_row(incident) -> dict:
    return {
        "id": incident.pk,
        "tracking_code": incident.tracking_code,
        "source": incident.source,
        "external_id": incident.external_id or None,
        "state": incident.state,
        "priority": incident.priority,
        "text": incident.text,
        "address": incident.address or None,
        "township": incident.township.name if incident.township_id else None,
        "lat": str(incident.lat) if incident.lat is not None else None,
        "lng": str(incident.lng) if incident.lng is not None else None,
        "item": {"code": incident.item.code, "name": incident.item.name} if incident.item_id else None,
        "responsible_org": incident.responsible_org.name if incident.responsible_org_id else None,
        "reported_at": _time(incident.reported_at),
        "due_at": _time(incident.due_at),
        "closed_at": _time(incident.closed_at),
        "overdue": incident.overdue,
        "satisfaction": incident.satisfaction,
        "updated_at": _time(incident.updated_at),
    }


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    rows: Callable
    time_field: str
    row: Callable


KINDS = {
    "cases": Kind("cases", "行政处罚案件", _cases, "updated_at", _case_row),
    "inspections": Kind("inspections", "行政检查记录", _inspections, "created_at", _inspection_row),
    "incidents": Kind("incidents", "事件", _incidents, "updated_at", _incident_row),
}


def page(actor, kind: str, since: str = "", limit: int = 500, now: dt.datetime | None = None) -> dict:
    """One page of ``kind`` changed after the cursor ``since`` (all when empty)."""
    spec = KINDS[kind]
    limit = max(1, min(limit, MAX_LIMIT))
    now = now or timezone.now()
    rows = spec.rows(actor).filter(**{f"{spec.time_field}__lt": now - dt.timedelta(seconds=SETTLE_SECONDS)})
    after = decode_cursor(since)
    if after:
        at, pk = after
        rows = rows.filter(Q(**{f"{spec.time_field}__gt": at}) | Q(**{spec.time_field: at, "pk__gt": pk}))
    batch = list(rows.order_by(spec.time_field, "pk")[: limit + 1])
    more = len(batch) > limit
    batch = batch[:limit]
    cursor = encode_cursor(getattr(batch[-1], spec.time_field), batch[-1].pk) if batch else (since or "")
    return {
        "kind": kind,
        "schema": f"{SCHEMA_BASE}/{kind}.json",
        "count": len(batch),
        "has_more": more,
        "next_cursor": cursor,
        "items": [spec.row(obj) for obj in batch],
    }


# ---- JSON Schemas (draft 2020-12) --------------------------------------------------------------------

_S, _N, _I, _B = {"type": "string"}, {"type": "null"}, {"type": "integer"}, {"type": "boolean"}


def _nullable(schema: dict) -> dict:
    return {"anyOf": [schema, _N]}


_TIME = {"type": "string", "format": "date-time"}
_DAY = {"type": "string", "format": "date"}
_MONEY = {"type": "string", "pattern": r"^-?\d+(\.\d+)?$"}
_ITEM = {
    "type": "object",
    "additionalProperties": False,
    "required": ["code", "name"],
    "properties": {"code": _S, "name": _S},
}
_PARTY = {
    "type": "object",
    "additionalProperties": False,
    "required": ["kind", "name", "uscc", "id_number"],
    "properties": {
        "kind": {"enum": ["enterprise", "individual_business", "person"]},
        "name": _S,
        "uscc": _nullable(_S),
        "id_number": _nullable(_S),
    },
}

ROW_SCHEMAS = {
    "cases": {
        "properties": {
            "id": _I,
            "number": _nullable(_S),
            "organization": _S,
            "procedure": {"enum": ["summary", "general"]},
            "state": _S,
            "party": _nullable(_PARTY),
            "item": _ITEM,
            "act_date": _nullable(_DAY),
            "filing_date": _nullable(_DAY),
            "decision_date": _nullable(_DAY),
            "decided_fine": _MONEY,
            "amount_paid": _MONEY,
            "penalties": {
                "type": "array",
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["kind", "amount"],
                    "properties": {"kind": _nullable(_S), "amount": _nullable(_MONEY)},
                },
            },
            "updated_at": _TIME,
        }
    },
    "inspections": {
        "properties": {
            "id": _I,
            "department": _S,
            "party": _nullable(_PARTY),
            "started_at": _TIME,
            "ended_at": _TIME,
            "outcome": {"enum": ["no_issue", "rectification", "case_suggested", "incident_suggested"]},
            "findings": _nullable(_S),
            "officers": {"type": "array", "items": _S},
            "joint": _B,
            "created_at": _TIME,
        }
    },
    "incidents": {
        "properties": {
            "id": _I,
            "tracking_code": _S,
            "source": _S,
            "external_id": _nullable(_S),
            "state": _S,
            "priority": {"enum": ["urgent", "normal"]},
            "text": _S,
            "address": _nullable(_S),
            "township": _nullable(_S),
            "lat": _nullable(_S),
            "lng": _nullable(_S),
            "item": _nullable(_ITEM),
            "responsible_org": _nullable(_S),
            "reported_at": _TIME,
            "due_at": _nullable(_TIME),
            "closed_at": _nullable(_TIME),
            "overdue": _B,
            "satisfaction": _nullable({"type": "integer", "minimum": 1, "maximum": 5}),
            "updated_at": _TIME,
        }
    },
}


def schema(kind: str) -> dict:
    """The JSON Schema of one export page of ``kind``."""
    row = {
        "type": "object",
        "additionalProperties": False,
        "required": sorted(ROW_SCHEMAS[kind]["properties"]),
        **ROW_SCHEMAS[kind],
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{SCHEMA_BASE}/{kind}.json",
        "title": f"{KINDS[kind].label}增量导出",
        "type": "object",
        "additionalProperties": False,
        "required": ["kind", "schema", "count", "has_more", "next_cursor", "items"],
        "properties": {
            "kind": {"const": kind},
            "schema": _S,
            "count": _I,
            "has_more": _B,
            "next_cursor": _S,
            "items": {"type": "array", "items": row},
        },
    }
