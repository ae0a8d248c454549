"""Smart enforcement endpoints.

``POST /smart/device-events`` is the device push (docs/api.md, "Devices"): no API key, but the
device's own HMAC signature over ``timestamp + "." + raw body`` in ``X-Zhifa-Signature``, its code in
``X-Zhifa-Device`` and the Unix time in ``X-Zhifa-Timestamp``; idempotent on ``external_id``. An event
without the device data 行政处罚法第四十一条 requires is refused with 422 and every reason."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from ninja import Query, Router, Status

from zhifa.core.schema import Schema
from zhifa.core.scopes import Scope

from . import selectors, services

router = Router(tags=["智慧执法"])


class EventReceived(Schema):
    id: int
    external_id: str
    status: str
    received_at: dt.datetime
    evidence: int


@router.post(
    "/device-events",
    auth=None,
    response={200: EventReceived, 201: EventReceived},
    summary="设备推送非现场执法事件（HMAC 签名，按 external_id 幂等）",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "required": ["external_id", "occurred_at", "description"],
                        "properties": {
                            "external_id": {"type": "string"},
                            "occurred_at": {"type": "string", "format": "date-time"},
                            "description": {"type": "string"},
                            "location": {"type": "string"},
                            "item_code": {"type": "string"},
                            "party": {
                                "type": "object",
                                "properties": {
                                    "uscc": {"type": "string"},
                                    "id_number": {"type": "string"},
                                    "hint": {"type": "string"},
                                },
                            },
                            "device_check": {
                                "type": "object",
                                "properties": {
                                    "certificate_number": {"type": "string"},
                                    "valid_until": {"type": "string", "format": "date"},
                                },
                            },
                            "evidence": {
                                "type": "array",
                                "items": {
                                    "type": "object",
                                    "properties": {
                                        "name": {"type": "string"},
                                        "content_type": {"type": "string"},
                                        "content_base64": {"type": "string"},
                                    },
                                },
                            },
                        },
                    }
                }
            },
        }
    },
)
def push_event(request):
    device = services.verify_push(
        request.headers.get("X-Zhifa-Device", ""),
        request.headers.get("X-Zhifa-Timestamp", ""),
        request.body,
        request.headers.get("X-Zhifa-Signature", ""),
    )
    event, created = services.receive_event(device, request.body)
    body = EventReceived(
        id=event.pk,
        external_id=event.external_id,
        status=event.status,
        received_at=event.received_at,
        evidence=event.evidence.count(),
    )
    return Status(201 if created else 200, body)


class DeviceOut(Schema):
    code: str
    name: str
    kind: str
    organization: str
    township: str
    location: str
    latitude: float | None
    longitude: float | None
    items: list[str]
    check_valid_until: dt.date | None
    published_on: dt.date | None

    @staticmethod
    def resolve_organization(obj) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_township(obj) -> str:
        return obj.township.name

    @staticmethod
    def resolve_items(obj) -> list[str]:
        return [i.name for i in obj.items.all()]


@router.get(
    "/devices/published", auth=None, response=list[DeviceOut], summary="公布的电子技术监控设备及设置地点"
)
def published_devices(request):
    return list(selectors.published_devices()[:2000])


class PendingEventOut(Schema):
    id: int
    device: str
    external_id: str
    occurred_at: dt.datetime
    description: str
    location: str
    status: str
    party_id: int | None
    item_id: int | None
    case_id: int | None

    @staticmethod
    def resolve_device(obj) -> str:
        return obj.device.code


class EventFilter(Schema):
    status: str | None = "pending"


@router.get("/device-events", response=list[PendingEventOut], summary="非现场执法事件（本机构设备）")
def list_events(request, filters: Query[EventFilter]):
    return list(selectors.events(request.auth, status=filters.status or None)[:200])


class AcceptBody(Schema):
    party_id: int | None = None
    item_id: int | None = None
    officer_ids: list[int]
    summary: str = ""
    note: str = ""


@router.post(
    "/device-events/{event_id}/accept", response=PendingEventOut, summary="审核通过，立为案源并登记案件"
)
def accept_event(request, event_id: int, body: AcceptBody):
    return services.accept_event(request.auth, event_id, body.dict())


class DiscardBody(Schema):
    reason: str


@router.post("/device-events/{event_id}/discard", response=PendingEventOut, summary="不予采用（写明理由）")
def discard_event(request, event_id: int, body: DiscardBody):
    return services.discard_event(request.auth, event_id, body.reason)


class MeasuresOut(Schema):
    year: int
    total: dict
    by_township: list[dict]


class MeasuresFilter(Schema):
    year: int | None = None


@router.get("/visit-measures", response=MeasuresOut, summary="双简双增：检查次数、上门部门、联合与单独检查")
def visit_measures(request, filters: Query[MeasuresFilter]):
    year = filters.year or timezone.localdate().year
    if not 2000 <= year <= 2100:
        year = timezone.localdate().year
    return selectors.visit_measures(Scope.for_user(request.auth), year)
