"""Reads of the party's space. What the party sees is filtered to its own rows — by the access
policy for cases and this app's rows, by the party's id for its inspections and rectification
orders (records about the party itself). The officers' desk reads through the officers' scope."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from zhifa.cases import rules as case_rules
from zhifa.cases import services as case_services
from zhifa.cases.facts import build_facts
from zhifa.cases.models import Case, Document, EServiceConsent
from zhifa.core import access
from zhifa.inspections.models import InspectionRecord, RectificationOrder
from zhifa.parties.models import Party

from . import rules, services
from .models import Delivery, HearingSession, Notice, PartyFile, PartyRequest, PaymentOrder

#: The case's state in plain words, for the party.
PLAIN_STATES = {
    "registered": "执法机关正在核查",
    "filed": "已立案调查",
    "investigating": "正在调查取证",
    "notified": "已告知拟作出的处罚：您可以陈述、申辩",
    "hearing": "已登记您的听证申请",
    "heard": "听证已举行，等待处理决定",
    "legal_review": "正在进行法制审核",
    "deliberation": "正在集体讨论",
    "decided": "已作出处罚决定，等待送达",
    "served": "处罚决定已送达，请按期缴纳罚款",
    "partly_paid": "已缴纳部分罚款",
    "deferred": "已批准暂缓或分期缴纳",
    "paid": "罚款已缴清",
    "compulsory_execution": "逾期未缴纳，已催告",
    "court_enforcement": "已申请人民法院强制执行",
    "no_penalty": "不予行政处罚",
    "referred": "已移送司法机关",
    "transferred": "已移送有管辖权的机关",
    "filing_revoked": "已撤销立案",
    "closed": "已结案",
    "archived": "已结案归档",
}


def party_of(actor) -> Party:
    return Party.objects.select_related("township").get(pk=actor.party_id)


def cases(actor) -> QuerySet[Case]:
    return (
        access.visible_to(actor, Case).select_related("organization", "item").order_by("-created_at", "-id")
    )


def deliveries(actor) -> QuerySet[Delivery]:
    return (
        access.visible_to(actor, Delivery)
        .select_related("document", "case", "organization")
        .order_by("-delivered_at", "-id")
    )


def delivery(actor, delivery_id: int) -> Delivery:
    return access.get_visible(
        actor, Delivery.objects.select_related("document", "case", "organization"), delivery_id
    )


def notices(actor) -> QuerySet[Notice]:
    return access.visible_to(actor, Notice).order_by("-created_at", "-id")


def requests(actor) -> QuerySet[PartyRequest]:
    return (
        access.visible_to(actor, PartyRequest)
        .select_related("case", "rectification")
        .prefetch_related("files")
        .order_by("-filed_at", "-id")
    )


def consents(actor) -> list[dict]:
    """Each body the party has cases with, and its consent to electronic service there."""
    today = timezone.localdate()
    rows = []
    signed = list(EServiceConsent.objects.filter(party_id=actor.party_id).order_by("-signed_on", "-id"))
    for body in services.bodies_of(actor).values():
        mine = [c for c in signed if c.organization_id == body.pk]
        active = next((c for c in mine if c.covers(today)), None)
        rows.append({"body": body, "active": active, "history": mine})
    return rows


def inspections(actor) -> QuerySet[InspectionRecord]:
    """The party's own inspection records (filtered by the party)."""
    return (
        InspectionRecord.objects.filter(party_id=actor.party_id)
        .select_related("department")
        .prefetch_related(
            Prefetch("rectifications", queryset=RectificationOrder.objects.order_by("deadline"))
        )
        .order_by("-started_at", "-pk")
    )


def rectification(actor, order_id: int) -> RectificationOrder:
    from zhifa.core.errors import NotFound

    order = (
        RectificationOrder.objects.select_related("record__department")
        .filter(pk=order_id, record__party_id=actor.party_id)
        .first()
    )
    if order is None:
        raise NotFound()
    return order


def open_rectifications(actor) -> QuerySet[RectificationOrder]:
    return (
        RectificationOrder.objects.filter(
            record__party_id=actor.party_id, state=RectificationOrder.State.OPEN
        )
        .select_related("record__department")
        .order_by("deadline")
    )


@dataclass
class CaseView:
    """One case as the party sees it: what happened, what it may do now and by when."""

    case: Case
    plain_state: str
    intended: list
    decided: list
    defence_end: dt.date | None
    hearing_eligible: bool
    hearing_request_end: dt.date | None
    payment_due: dt.date | None
    outstanding: Decimal
    may_state: str | None  # None when allowed, else the reason
    may_waive: str | None
    may_request_hearing: str | None
    may_pay: str | None
    may_defer: str | None
    deliveries: list = field(default_factory=list)
    requests: list = field(default_factory=list)
    hearing: HearingSession | None = None
    orders: list = field(default_factory=list)
    waiver: object = None
    device_events: list = field(default_factory=list)


def case_view(actor, case_id: int) -> CaseView:
    case = access.get_visible(actor, Case.objects.select_related("organization", "item", "party"), case_id)
    today = timezone.localdate()
    config = case_services.case_config()
    facts = build_facts(case, {"as_of": today})
    defence_end = case_rules.defence_end(facts, config)
    eligible = case_rules.hearing_eligible(facts, config)
    request_end = case_rules.hearing_request_end(facts, config)
    due = services.outstanding(case) if case.state in rules.PAYABLE_STATES else Decimal("0")
    own_requests = list(
        access.visible_to(actor, PartyRequest)
        .filter(case=case)
        .prefetch_related("files")
        .order_by("-filed_at", "-id")
    )
    pending = {r.kind for r in own_requests if r.status == PartyRequest.Status.PENDING}
    from zhifa.smart import selectors as smart_selectors

    view = CaseView(
        case=case,
        plain_state=PLAIN_STATES.get(case.state, case.state_label),
        intended=[(case_rules.PENALTY_LABELS[p.kind], p.amount) for p in facts.penalties_intended],
        decided=[(case_rules.PENALTY_LABELS[p.kind], p.amount) for p in facts.penalties_decided],
        defence_end=defence_end,
        hearing_eligible=eligible,
        hearing_request_end=request_end,
        payment_due=case_rules.payment_due(facts, config),
        outstanding=due,
        may_state=rules.statement_refusal(case.state, today, defence_end),
        may_waive=rules.waiver_refusal(case.state)
        or ("您已明确放弃陈述、申辩" if case.waivers.exists() else None),
        may_request_hearing=(
            "您的听证申请正在办理"
            if PartyRequest.Kind.HEARING in pending
            else rules.hearing_request_refusal(case.state, eligible, today, request_end)
        ),
        may_pay=rules.payment_refusal(case.state, due),
        may_defer=(
            "您的暂缓缴纳申请正在办理"
            if PartyRequest.Kind.DEFERRAL in pending
            else rules.deferral_refusal(case.state, facts.deferral_approved)
        ),
        deliveries=list(
            access.visible_to(actor, Delivery)
            .filter(case=case)
            .select_related("document")
            .order_by("-delivered_at")
        ),
        requests=own_requests,
        hearing=HearingSession.objects.filter(case=case).first(),
        orders=list(access.visible_to(actor, PaymentOrder).filter(case=case).order_by("-created_at")[:10]),
        waiver=case.waivers.order_by("-signed_on", "-id").first(),
        device_events=list(smart_selectors.events_of_case(case)),
    )
    return view


def overview(actor) -> dict:
    party = party_of(actor)
    from zhifa.smart import selectors as smart_selectors

    own_cases = list(cases(actor)[:50])
    unread = deliveries(actor).filter(first_read_at__isnull=True, method=Delivery.Method.ELECTRONIC)
    return {
        "party": party,
        "cases": [(c, PLAIN_STATES.get(c.state, c.state_label)) for c in own_cases],
        "unread": list(unread[:10]),
        "notices": list(notices(actor).filter(read_at__isnull=True)[:10]),
        "rectifications": list(open_rectifications(actor)),
        "consents": consents(actor),
        "visits": smart_selectors.party_visit_summary(party.pk, timezone.localdate().year),
    }


# ---- the officers' desk ------------------------------------------------------------------------


def desk_requests(actor, *, status: str | None = PartyRequest.Status.PENDING, kind: str | None = None):
    queryset = (
        access.visible_to(actor, PartyRequest)
        .select_related("party", "case", "rectification__record")
        .prefetch_related("files")
    )
    if status:
        queryset = queryset.filter(status=status)
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset.order_by("filed_at", "id")


def desk_case(actor, case_id: int) -> dict:
    """Everything the party did or received in one case, for its officers."""
    case = access.get_visible(actor, Case.objects.select_related("organization", "party", "item"), case_id)
    body = case.organization.body()
    delivered = {d.document_id: d for d in Delivery.objects.filter(case=case).select_related("receipt")}
    documents = list(
        Document.objects.filter(case=case).exclude(kind=Document.Kind.SERVICE_RECEIPT).order_by("issued_at")
    )
    for document in documents:
        document.delivery = delivered.get(document.pk)
    return {
        "case": case,
        "consent": services.active_consent(case.party_id, body),
        "documents": documents,
        "requests": list(
            access.visible_to(actor, PartyRequest)
            .filter(case=case)
            .prefetch_related("files")
            .order_by("-filed_at")
        ),
        "hearing": HearingSession.objects.filter(case=case).first(),
        "orders": list(PaymentOrder.objects.filter(case=case).order_by("-created_at")[:10]),
        "may_handle": access.can(actor, "cases.handle", case),
    }


def party_file(actor, file_id: int) -> PartyFile:
    return access.get_visible(actor, PartyFile.objects.select_related("request"), file_id)
