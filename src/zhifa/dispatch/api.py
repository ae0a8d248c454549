"""Dispatch endpoints: incident intake for other platforms (基层治理四平台, 12345 热线) with
``Idempotency-Key``, the loop's actions, and an Open311 GeoReport v2 compatible intake."""

import datetime as dt
import json
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import QueryDict
from ninja import Query, Router, Status
from ninja.pagination import paginate

from zhifa.catalog.models import Domain, EnforcementItem
from zhifa.core.pagination import Pagination
from zhifa.core.schema import Schema
from zhifa.organizations.models import Organization

from . import events, rules, selectors, services
from .models import Incident

router = Router(tags=["指挥调度"])


class IncidentIn(Schema):
    source: str
    external_id: str = ""
    title: str = ""
    text: str = ""
    lat: Decimal | None = None
    lng: Decimal | None = None
    address: str = ""
    priority: str = rules.NORMAL
    reporter_name: str = ""
    reporter_phone: str = ""


class SuggestionOut(Schema):
    item_id: int
    code: str
    name: str
    score: float


class IncidentOut(Schema):
    id: int
    tracking_code: str
    source: str
    external_id: str
    title: str
    text: str
    lat: Decimal | None
    lng: Decimal | None
    address: str
    township_id: int | None
    township_name: str | None
    state: str
    state_label: str
    priority: str
    suggestions: list[SuggestionOut]
    item_code: str | None
    suggested_org_id: int | None
    responsible_org_id: int | None
    routing_note: str
    reported_at: dt.datetime
    due_at: dt.datetime | None
    overdue: bool
    escalated: bool
    satisfaction: int | None
    reporter_phone: str
    needs_triage: bool
    triage_reason: str
    routing_confidence: float | None
    routing_model: str

    @staticmethod
    def resolve_township_name(obj):
        return obj.township.name if obj.township_id else None

    @staticmethod
    def resolve_state_label(obj):
        return rules.STATE_LABELS[obj.state]

    @staticmethod
    def resolve_item_code(obj):
        return obj.item.code if obj.item_id else None

    @staticmethod
    def resolve_reporter_phone(obj):
        return obj.masked_phone


class ActionIn(Schema):
    organization_id: int | None = None
    reason: str = ""
    reply: str = ""
    satisfaction: int | None = None  # refused: the reporter rates on the tracking page
    item_code: str | None = None
    priority: str | None = None


class IncidentFilters(Schema):
    state: str | None = None
    township_id: int | None = None
    source: str | None = None
    overdue: bool | None = None
    q: str | None = None


class DuplicateOut(Schema):
    id: int
    tracking_code: str
    similarity: float
    distance_m: float


def _lookup(model, field: str, **where):
    obj = model.objects.filter(**where).first()
    if obj is None:
        raise ValidationError({field: ValidationError("所选记录不存在", code="does_not_exist")})
    return obj


@router.post(
    "/incidents",
    response={200: IncidentOut, 201: IncidentOut, 409: dict},
    summary="推送事件（支持 Idempotency-Key）",
)
def push_incident(request, payload: IncidentIn):
    """Push an incident. The same push twice (same ``Idempotency-Key`` and body, or the same
    ``source`` + ``external_id``) returns the first incident with 200; a replayed key with a
    different body is refused with 409 ``idempotency_conflict``."""
    data = payload.dict()
    for key in ("lat", "lng"):
        data[key] = None if data[key] is None else str(data[key])
    incident, created = services.report_incident(
        request.auth, data, idempotency_key=request.headers.get("Idempotency-Key")
    )
    # A new incident is answered from memory (its township and item are attached); a replay
    # from the database.
    return Status(201, incident) if created else Status(200, selectors.incident_detail_any(incident.pk))


#: The columns IncidentOut reads (the related rows' names and codes only).
INCIDENT_LIST_FIELDS = (
    "id",
    "tracking_code",
    "source",
    "external_id",
    "title",
    "text",
    "lat",
    "lng",
    "address",
    "township_id",
    "township__name",
    "state",
    "priority",
    "suggestions",
    "item_id",
    "item__code",
    "suggested_org_id",
    "responsible_org_id",
    "routing_note",
    "reported_at",
    "due_at",
    "overdue",
    "escalated",
    "satisfaction",
    "reporter_phone",
    "needs_triage",
    "triage_reason",
    "routing_confidence",
    "routing_model",
)


@router.get("/incidents", response=list[IncidentOut], summary="事件列表")
@paginate(Pagination, page_size=50)
def list_incidents(request, filters: Query[IncidentFilters]):
    return selectors.incidents(selectors.scope_of(request.auth), **filters.dict()).only(*INCIDENT_LIST_FIELDS)


@router.get("/incidents/{incident_id}", response=IncidentOut, summary="事件详情")
def get_incident(request, incident_id: int):
    return selectors.incident_detail(selectors.scope_of(request.auth), incident_id)


@router.post(
    "/incidents/{incident_id}/actions/{action}",
    response=IncidentOut,
    summary="闭环操作：交办、签收、退回、转办、处置、反馈、评价、办结、重办",
)
def act(request, incident_id: int, action: str, payload: ActionIn):
    org = (
        _lookup(Organization, "organization_id", pk=payload.organization_id)
        if payload.organization_id
        else None
    )
    item = _lookup(EnforcementItem, "item_code", code=payload.item_code) if payload.item_code else None
    services.transition(
        request.auth,
        incident_id,
        action,
        organization=org,
        reason=payload.reason,
        reply=payload.reply,
        satisfaction=payload.satisfaction,
        item=item,
        priority=payload.priority,
    )
    return selectors.incident_detail(selectors.scope_of(request.auth), incident_id)


@router.get(
    "/incidents/{incident_id}/duplicates",
    response=list[DuplicateOut],
    summary="疑似重复事件（200 米内、内容相似）",
)
def duplicates(request, incident_id: int):
    incident = selectors.incident_detail(selectors.scope_of(request.auth), incident_id)
    return [
        {"id": o.pk, "tracking_code": o.tracking_code, "similarity": s, "distance_m": d}
        for o, s, d in selectors.possible_duplicates(incident)
    ]


class DisputeIn(Schema):
    other_org_id: int
    reason: str


class DecisionIn(Schema):
    decided_org_id: int
    decision: str


class AnswerIn(Schema):
    reason: str


class DisputeOut(Schema):
    id: int
    incident_id: int
    raised_by_id: int
    other_org_id: int
    raised_reason: str
    other_reason: str
    state: str
    deadline: dt.date
    decided_org_id: int | None
    decision: str
    decided_at: dt.datetime | None


class ReferralIn(Schema):
    to_org_id: int
    reason: str
    incident_id: int | None = None
    case_ref: str = ""


class ReceiptIn(Schema):
    receipt: str = ""


class ReferralOut(Schema):
    id: int
    from_org_id: int
    to_org_id: int
    incident_id: int | None
    case_ref: str
    reason: str
    state: str
    sent_at: dt.datetime
    due_on: dt.date
    received_at: dt.datetime | None
    receipt: str


@router.post(
    "/incidents/{incident_id}/disputes", response={201: DisputeOut}, summary="提出执法争议（推诿扯皮）"
)
def raise_dispute(request, incident_id: int, payload: DisputeIn):
    other = _lookup(Organization, "other_org_id", pk=payload.other_org_id)
    return Status(201, services.raise_dispute(request.auth, incident_id, other, payload.reason))


@router.post("/disputes/{dispute_id}/answer", response=DisputeOut, summary="对方单位陈述理由")
def answer_dispute(request, dispute_id: int, payload: AnswerIn):
    return services.answer_dispute(request.auth, dispute_id, payload.reason)


@router.post("/disputes/{dispute_id}/decision", response=DisputeOut, summary="执法指导办裁定（有约束力）")
def decide_dispute(request, dispute_id: int, payload: DecisionIn):
    org = _lookup(Organization, "decided_org_id", pk=payload.decided_org_id)
    return services.decide_dispute(request.auth, dispute_id, org, payload.decision)


@router.post("/referrals", response={201: ReferralOut}, summary="线索移送")
def refer(request, payload: ReferralIn):
    to_org = _lookup(Organization, "to_org_id", pk=payload.to_org_id)
    return Status(
        201,
        services.refer(
            request.auth,
            to_org=to_org,
            reason=payload.reason,
            incident_id=payload.incident_id,
            case_ref=payload.case_ref,
        ),
    )


@router.post("/referrals/{referral_id}/receipt", response=ReferralOut, summary="接收移送线索并回执")
def receive(request, referral_id: int, payload: ReceiptIn):
    return services.receive_referral(request.auth, referral_id, payload.receipt)


# ---- Open311 GeoReport v2 -----------------------------------------------------------------------
# Services are the catalog's domains (service_code = domain code). Errors keep the platform's
# {code, message, field} shape rather than GeoReport's [{code, description}].


def _service(domain: Domain) -> dict:
    return {
        "service_code": domain.code,
        "service_name": domain.name,
        "description": f"{domain.name}领域的问题",
        "metadata": False,
        "type": "realtime",
        "keywords": "",
        "group": "行政执法",
    }


@router.get("/open311/services.json", summary="Open311：服务列表（执法领域）")
def open311_services(request):
    return [_service(d) for d in Domain.objects.order_by("sort_order", "code")]


def _open311_body(request) -> dict:
    if request.content_type == "application/json":
        try:
            body = json.loads(request.body or b"{}")
        except ValueError:
            raise ValidationError(
                {"__all__": ValidationError("请求体不是合法的 JSON", code="invalid_json")}
            ) from None
        if not isinstance(body, dict):
            raise ValidationError({"__all__": ValidationError("请求体须是 JSON 对象", code="invalid_json")})
        for key, value in body.items():
            if isinstance(value, dict | list):
                raise ValidationError({key: ValidationError("应为文本或数字", code="invalid_type")})
        # GeoReport fields are text: a number or a boolean sent for one is read as its text.
        return {key: None if value is None else str(value) for key, value in body.items()}
    form = request.POST if request.POST else QueryDict(request.body)
    return {key: form.get(key) for key in form}


@router.post(
    "/open311/requests.json", response={201: list[dict], 200: list[dict]}, summary="Open311：提交诉求"
)
def open311_create(request):
    body = _open311_body(request)
    code = (body.get("service_code") or "").strip()
    domain = Domain.objects.filter(code=code).first()
    if domain is None:
        raise ValidationError(
            {"service_code": ValidationError(f"未知的 service_code“{code}”", code="unknown_service")}
        )
    name = " ".join(filter(None, (body.get("last_name"), body.get("first_name")))).strip()
    data = {
        "source": rules.COMPLAINT,
        "external_id": body.get("service_request_id") or "",
        "title": domain.name,
        "text": body.get("description") or "",
        "lat": body.get("lat"),
        "lng": body.get("long"),
        "address": body.get("address_string") or "",
        "reporter_name": name,
        "reporter_phone": body.get("phone") or "",
        "reporter_email": body.get("email") or "",
    }
    incident, created = services.report_incident(
        request.auth, data, idempotency_key=request.headers.get("Idempotency-Key")
    )
    row = {
        "service_request_id": incident.tracking_code,
        "service_notice": "已受理，请凭查询码查询办理进度",
        "account_id": None,
    }
    return Status(201 if created else 200, [row])


def _open311_status(incident) -> dict:
    status = events.status_of(incident)
    return {
        "service_request_id": incident.tracking_code,
        "status": status["open311_status"],
        "status_notes": status["notes"],
        "service_name": incident.item.domain.name if incident.item_id else (incident.title or "其他"),
        "service_code": incident.item.domain.code if incident.item_id else None,
        "description": incident.text,
        "agency_responsible": incident.responsible_org.name if incident.responsible_org_id else "",
        "requested_datetime": incident.reported_at.isoformat(),
        "updated_datetime": status["updated_at"].isoformat(),
        "expected_datetime": incident.due_at.isoformat() if incident.due_at else None,
        "address": incident.address,
        "lat": float(incident.lat) if incident.lat is not None else None,
        "long": float(incident.lng) if incident.lng is not None else None,
    }


@router.get("/open311/requests/{code}.json", summary="Open311：查询诉求")
def open311_get(request, code: str):
    """The status of one request, from the same data the status webhooks send."""
    return [_open311_status(selectors.by_tracking_code(selectors.scope_of(request.auth), code))]


class Open311Query(Schema):
    service_request_id: str = ""


@router.get("/open311/requests.json", summary="Open311：批量查询诉求状态")
def open311_list(request, query: Query[Open311Query]):
    """GeoReport v2 ``GET requests.json?service_request_id=a,b``: up to 100 of the caller's
    requests by id; ids the caller may not see are left out."""
    codes = [c.strip().upper() for c in query.service_request_id.split(",") if c.strip()][:100]
    if not codes:
        raise ValidationError(
            {"service_request_id": ValidationError("请提供 service_request_id（逗号分隔）", code="required")}
        )
    rows = (
        selectors.visible_incidents(selectors.scope_of(request.auth))
        .filter(tracking_code__in=codes)
        .select_related("item__domain", "responsible_org")
    )
    return [_open311_status(incident) for incident in rows]


__all__ = ["router", "Incident"]
