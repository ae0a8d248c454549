"""Public endpoints (no authentication): published penalty decisions (行政处罚法第四十八条),
reports from the public and their progress by tracking code. Personal data is masked or left out."""

import datetime as dt

from django.http import Http404
from ninja import Query, Router, Status
from ninja.pagination import paginate

from zhifa.core.errors import NotFound
from zhifa.core.pagination import Pagination
from zhifa.core.schema import Schema
from zhifa.dispatch import rules as dispatch_rules

from . import selectors, services
from .views import PUBLIC_ACTIONS, client_address

router = Router(tags=["政务公开"])


class DecisionOut(Schema):
    id: int
    document_number: str
    organization_name: str
    party_label: str
    party_kind: str
    item_code: str
    item_name: str
    decision_date: dt.date
    published_at: dt.datetime


class DecisionDetailOut(DecisionOut):
    snapshot: dict


class DecisionFilters(Schema):
    q: str = ""
    item: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


@router.get("/decisions", response=list[DecisionOut], auth=None, summary="公开的行政处罚决定")
@paginate(Pagination, page_size=50)
def list_decisions(request, filters: Query[DecisionFilters]):
    return selectors.published_decisions(**filters.dict())


@router.get(
    "/decisions/{publication_id}", response=DecisionDetailOut, auth=None, summary="一件公开的行政处罚决定"
)
def get_decision(request, publication_id: int):
    try:
        publication = selectors.published_decision(publication_id)
    except NotFound:
        raise Http404 from None
    if publication.is_withdrawn:
        raise Http404
    return publication


class ReportIn(Schema):
    text: str
    address: str = ""
    lat: str | None = None
    lng: str | None = None
    phone: str = ""


class ReportOut(Schema):
    tracking_code: str
    message: str


class ProgressStep(Schema):
    at: dt.datetime
    label: str
    organization: str


class ProgressOut(Schema):
    tracking_code: str
    state: str
    state_label: str
    reported_at: dt.datetime
    responsible_org: str | None
    reply: str | None
    steps: list[ProgressStep]


@router.post("/reports", response={201: ReportOut}, auth=None, summary="公众上报问题（无照片）")
def create_report(request, payload: ReportIn):
    incident = services.submit_report(payload.dict(), client=client_address(request) or "unknown")
    return Status(201, {"tracking_code": incident.tracking_code, "message": "已受理，请凭查询码查询办理进度"})


@router.get("/reports/{code}", response=ProgressOut, auth=None, summary="凭查询码查询办理进度")
def get_report(request, code: str):
    try:
        incident = selectors.tracked_incident(code)
    except NotFound:
        raise Http404 from None
    finished = incident.state in dispatch_rules.FINISHED_STATES or incident.state == dispatch_rules.REPLIED
    return {
        "tracking_code": incident.tracking_code,
        "state": incident.state,
        "state_label": dispatch_rules.STATE_LABELS[incident.state],
        "reported_at": incident.reported_at,
        "responsible_org": incident.responsible_org.name if incident.responsible_org_id else None,
        "reply": incident.reply if finished and incident.reply else None,
        "steps": [
            {
                "at": e.at,
                "label": dispatch_rules.ACTION_LABELS.get(e.action, e.action),
                "organization": e.organization.name if e.organization_id else "",
            }
            for e in incident.events.all()
            if e.action in PUBLIC_ACTIONS
        ],
    }
