"""Case endpoints: list, detail, transition (the one state-changing endpoint), evidence, PDFs."""

import base64
import binascii
import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import FileResponse
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from zhifa.api.labels import choice_label
from zhifa.api.pagination import Pagination
from zhifa.catalog.models import EnforcementItem
from zhifa.core.errors import NotFound
from zhifa.parties.models import Party

from . import selectors, services
from .models import Case, Document

router = Router(tags=["办案"])
_state_label = choice_label(Case, "state")


class CaseOut(Schema):
    id: int
    number: str
    organization_id: int
    organization_name: str
    party_id: int
    party_name: str
    item_id: int
    item_code: str
    procedure: str
    state: str
    state_label: str
    act_date: dt.date | None
    filing_date: dt.date | None
    decision_date: dt.date | None
    decided_fine: Decimal
    amount_paid: Decimal
    version: int

    # Resolvers rather than dotted aliases and get_state_display: same values, half the
    # serialisation time of a list page (zhifa.api.labels).
    @staticmethod
    def resolve_organization_name(obj):
        return obj.organization.name

    @staticmethod
    def resolve_party_name(obj):
        return obj.party.name

    @staticmethod
    def resolve_item_code(obj):
        return obj.item.code

    @staticmethod
    def resolve_state_label(obj):
        return _state_label(obj.state)


class EventOut(Schema):
    action: str
    from_state: str
    to_state: str
    on: dt.date | None
    note: str
    article: str


class DocumentOut(Schema):
    id: int
    kind: str
    number: str
    sha256: str
    issued_at: dt.datetime


class EvidenceOut(Schema):
    id: int
    kind: str
    description: str
    sha256: str
    collected_at: dt.datetime


class CaseDetailOut(CaseOut):
    summary: str
    legal_basis: str
    penalties_intended: list[dict[str, Any]]
    penalties_decided: list[dict[str, Any]]
    events: list[EventOut]
    documents: list[DocumentOut]
    evidence: list[EvidenceOut]

    @staticmethod
    def resolve_events(obj):
        return list(obj.events.all())

    @staticmethod
    def resolve_documents(obj):
        return list(obj.documents.all())

    @staticmethod
    def resolve_evidence(obj):
        return list(obj.evidence.all())


class CaseFilters(Schema):
    state: str = ""
    q: str = ""


class TransitionIn(Schema):
    action: str
    data: dict[str, Any] = {}
    expected_version: int | None = None
    note: str = ""


class EvidenceIn(Schema):
    kind: str
    description: str
    content_base64: str = ""
    filename: str = "evidence.bin"


class CaseIn(Schema):
    party_id: int
    item_id: int
    act_date: dt.date
    discovery_date: dt.date | None = None
    summary: str = ""
    procedure: str = "general"
    officer_ids: list[int] = []


@router.post("", response={201: CaseDetailOut}, summary="案源登记（立案前）")
def create_case(request, payload: CaseIn):
    party = Party.objects.filter(pk=payload.party_id).first()
    item = EnforcementItem.objects.filter(pk=payload.item_id).first()
    if party is None:
        raise ValidationError({"party_id": ValidationError("当事人不存在", code="does_not_exist")})
    if item is None:
        raise ValidationError({"item_id": ValidationError("执法事项不存在", code="does_not_exist")})
    if payload.procedure not in ("general", "summary"):
        raise ValidationError({"procedure": ValidationError("程序应为 general 或 summary", code="invalid_choice")})
    case = services.open_case(request.auth, {
        "party": party, "item": item, "act_date": payload.act_date, "discovery_date": payload.discovery_date,
        "summary": payload.summary, "procedure": payload.procedure, "officers": payload.officer_ids})
    return Status(201, selectors.case_record(request.auth, case.pk))


#: The columns CaseOut reads: a case row carries long texts and JSON the list does not show.
CASE_LIST_FIELDS = ("id", "number", "organization_id", "organization__name", "party_id", "party__name", "item_id",
                    "item__code", "procedure", "state", "act_date", "filing_date", "decision_date", "decided_fine",
                    "amount_paid", "version")


@router.get("", response=list[CaseOut], summary="案件列表")
@paginate(Pagination, page_size=50)
def list_cases(request, filters: Query[CaseFilters]):
    return selectors.case_list(request.auth, state=filters.state, q=filters.q).only(*CASE_LIST_FIELDS)


@router.get("/{case_id}", response=CaseDetailOut, summary="案件详情")
def get_case(request, case_id: int):
    return selectors.case_record(request.auth, case_id)


@router.post("/{case_id}/transition", response=CaseDetailOut, summary="办理案件（状态变更）")
def post_transition(request, case_id: int, payload: TransitionIn):
    services.transition(request.auth, case_id, payload.action, payload.data,
                        expected_version=payload.expected_version, note=payload.note)
    return selectors.case_record(request.auth, case_id)


@router.post("/{case_id}/evidence", response={201: EvidenceOut}, summary="登记证据")
def post_evidence(request, case_id: int, payload: EvidenceIn):
    content = None
    if payload.content_base64:
        try:
            content = base64.b64decode(payload.content_base64, validate=True)
        except (binascii.Error, ValueError):
            raise ValidationError({"content_base64": ValidationError("文件内容不是有效的 Base64", code="invalid_base64")}) from None
    evidence = services.add_evidence(request.auth, case_id, {"kind": payload.kind, "description": payload.description},
                                     content=content, filename=payload.filename)
    return Status(201, evidence)


class PaymentIn(Schema):
    amount: Decimal
    paid_on: dt.date
    channel: str = "bank"
    receipt_number: str = ""


class PaymentOut(Schema):
    id: int
    amount: Decimal
    surcharge: Decimal
    paid_on: dt.date
    channel: str
    receipt_number: str


@router.post("/{case_id}/payments", response={201: PaymentOut}, summary="登记缴款（含加处罚款）")
def post_payment(request, case_id: int, payload: PaymentIn):
    payment = services.record_payment(request.auth, case_id, payload.amount, payload.paid_on, payload.channel,
                                      payload.receipt_number)
    return Status(201, payment)


@router.get("/documents/{document_id}/pdf", summary="文书 PDF", response={200: None})
def get_document_pdf(request, document_id: int):
    document = Document.objects.filter(pk=document_id).first()
    if document is None:
        raise NotFound()
    selectors.case_detail(request.auth, document.case_id)
    return FileResponse(document.file.open("rb"), content_type="application/pdf", filename=f"{document.number}.pdf")
