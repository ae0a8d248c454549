"""Case endpoints: list, detail, transition (the one state-changing endpoint), evidence, PDFs."""

import base64
import binascii
import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import FileResponse
from ninja import Query, Router, Status
from ninja.pagination import paginate

from zhifa.core.errors import NotFound
from zhifa.core.labels import choice_label
from zhifa.core.pagination import Pagination
from zhifa.core.schema import Schema

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
    # serialisation time of a list page (zhifa.core.labels).
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
    if payload.procedure not in ("general", "summary"):
        raise ValidationError(
            {"procedure": ValidationError("程序应为 general 或 summary", code="invalid_choice")}
        )
    case = services.open_case(
        request.auth,
        {
            "party_id": payload.party_id,
            "item_id": payload.item_id,
            "act_date": payload.act_date,
            "discovery_date": payload.discovery_date,
            "summary": payload.summary,
            "procedure": payload.procedure,
            "officer_ids": payload.officer_ids,
        },
    )
    return Status(201, selectors.case_record(request.auth, case.pk))


#: The columns CaseOut reads: a case row carries long texts and JSON the list does not show.
CASE_LIST_FIELDS = (
    "id",
    "number",
    "organization_id",
    "organization__name",
    "party_id",
    "party__name",
    "item_id",
    "item__code",
    "procedure",
    "state",
    "act_date",
    "filing_date",
    "decision_date",
    "decided_fine",
    "amount_paid",
    "version",
)


@router.get("", response=list[CaseOut], summary="案件列表")
@paginate(Pagination, page_size=50)
def list_cases(request, filters: Query[CaseFilters]):
    return selectors.case_list(request.auth, state=filters.state, q=filters.q).only(*CASE_LIST_FIELDS)


@router.get("/{case_id}", response=CaseDetailOut, summary="案件详情")
def get_case(request, case_id: int):
    return selectors.case_record(request.auth, case_id)


@router.post("/{case_id}/transition", response=CaseDetailOut, summary="办理案件（状态变更）")
def post_transition(request, case_id: int, payload: TransitionIn):
    services.transition(
        request.auth,
        case_id,
        payload.action,
        payload.data,
        expected_version=payload.expected_version,
        note=payload.note,
    )
    return selectors.case_record(request.auth, case_id)


@router.post("/{case_id}/evidence", response={201: EvidenceOut}, summary="登记证据")
def post_evidence(request, case_id: int, payload: EvidenceIn):
    content = None
    if payload.content_base64:
        try:
            content = base64.b64decode(payload.content_base64, validate=True)
        except (binascii.Error, ValueError):
            raise ValidationError(
                {"content_base64": ValidationError("文件内容不是有效的 Base64", code="invalid_base64")}
            ) from None
    evidence = services.add_evidence(
        request.auth,
        case_id,
        {"kind": payload.kind, "description": payload.description},
        content=content,
        filename=payload.filename,
    )
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
    payment = services.record_payment(
        request.auth, case_id, payload.amount, payload.paid_on, payload.channel, payload.receipt_number
    )
    return Status(201, payment)


@router.get("/documents/{document_id}/pdf", summary="文书 PDF", response={200: None})
def get_document_pdf(request, document_id: int):
    document = Document.objects.filter(pk=document_id).first()
    if document is None:
        raise NotFound()
    selectors.case_record(request.auth, document.case_id)  # NotFound outside the actor's scope
    return FileResponse(
        document.file.open("rb"), content_type="application/pdf", filename=f"{document.number}.pdf"
    )


# ---- acts of authority ---------------------------------------------------------------------------


class ApprovalOut(Schema):
    id: int
    case_id: int
    kind: str
    status: str
    proposal: dict[str, Any]
    reason: str
    requested_at: dt.datetime
    decided_on: dt.date | None
    opinion: str


class ApprovalIn(Schema):
    kind: str
    data: dict[str, Any] = {}
    reason: str = ""


class ApprovalDecisionIn(Schema):
    approve: bool
    opinion: str = ""
    as_of: dt.date | None = None


@router.post(
    "/{case_id}/approvals", response={201: ApprovalOut}, summary="提请负责人审批（立案、决定、暂缓分期…）"
)
def post_approval(request, case_id: int, payload: ApprovalIn):
    return Status(
        201,
        services.request_approval(request.auth, case_id, payload.kind, payload.data, reason=payload.reason),
    )


@router.get("/approvals/inbox", response=list[ApprovalOut], summary="负责人审批待办")
def get_inbox(request):
    return selectors.approvals_inbox(request.auth)


@router.post("/approvals/{approval_id}/decision", response=ApprovalOut, summary="负责人批准或退回")
def post_approval_decision(request, approval_id: int, payload: ApprovalDecisionIn):
    return services.decide_approval(request.auth, approval_id, payload.dict())


class ReviewOut(Schema):
    id: int
    case_id: int
    status: str
    result: str
    submitted_on: dt.date
    due_on: dt.date
    reviewer_id: int | None
    opinion: str
    checklist: dict[str, Any]


class ReviewResultIn(Schema):
    result: str
    opinion: str
    checklist: dict[str, bool] = {}
    as_of: dt.date | None = None


class AssignIn(Schema):
    reviewer_id: int


@router.get("/reviews/queue", response=list[ReviewOut], summary="法制审核待办")
def get_review_queue(request, mine: bool = False):
    return list(selectors.review_queue(request.auth, mine=mine))


@router.post("/reviews/{review_id}/claim", response=ReviewOut, summary="认领法制审核")
def post_review_claim(request, review_id: int):
    return services.claim_review(request.auth, review_id)


@router.post("/reviews/{review_id}/assign", response=ReviewOut, summary="分配法制审核")
def post_review_assign(request, review_id: int, payload: AssignIn):
    return services.assign_review(request.auth, review_id, payload.dict())


@router.post("/reviews/{review_id}/result", response=ReviewOut, summary="提交法制审核意见")
def post_review_result(request, review_id: int, payload: ReviewResultIn):
    return services.record_review(request.auth, review_id, payload.dict())


class RecordIn(Schema):
    data: dict[str, Any] = {}
    document_base64: str = ""
    filename: str = "document.pdf"


def _document(payload: RecordIn) -> bytes | None:
    if not payload.document_base64:
        return None
    try:
        return base64.b64decode(payload.document_base64, validate=True)
    except (binascii.Error, ValueError):
        raise ValidationError(
            {"document_base64": ValidationError("文件内容不是有效的 Base64", code="invalid_base64")}
        ) from None


RECORDS = {
    "findings": services.record_findings,
    "defence": services.record_defence,
    "defence-review": services.review_defence,
    "hearing": services.schedule_hearing,
    "remedies": services.record_remedy,
}
RECORDS_WITH_DOCUMENT = {
    "waivers": services.record_waiver,
    "consents": services.record_consent,
    "court-rulings": services.record_court_ruling,
}


@router.post(
    "/{case_id}/records/{kind}",
    response=CaseDetailOut,
    summary="登记（调查结论 findings、陈述申辩 defence、复核 defence-review、听证通知 hearing、复议诉讼 remedies、"
    "放弃陈述申辩 waivers、电子送达确认 consents、法院裁定 court-rulings）",
)
def post_record(request, case_id: int, kind: str, payload: RecordIn):
    if kind in RECORDS:
        if payload.document_base64:
            raise ValidationError(
                {"document_base64": ValidationError("此项登记不接受文件", code="extra_forbidden")}
            )
        RECORDS[kind](request.auth, case_id, payload.data)
    elif kind in RECORDS_WITH_DOCUMENT:
        RECORDS_WITH_DOCUMENT[kind](request.auth, case_id, payload.data, _document(payload), payload.filename)
    else:
        raise NotFound()
    return selectors.case_record(request.auth, case_id)
