"""Every write of the party's space: the party's own acts (with its electronic signature) and the
officers' acts that take them up. Each is one transaction, checked and audited; the acts that belong
to the case are made through the cases app's services, so the case's rules decide.

The party (``PartyActor``) acts on its own records only: every id it names is resolved through the
access policy, which gives it nothing else (a 404)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from decimal import Decimal
from typing import Annotated, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from pydantic import AnyHttpUrl, Field

from zhifa.cases import rules as case_rules
from zhifa.cases import services as case_services
from zhifa.cases.facts import build_facts
from zhifa.cases.models import Approval, Case, Document, EServiceConsent
from zhifa.core import access, audit
from zhifa.core.commands import Command, parse
from zhifa.core.errors import DomainError, NotFound
from zhifa.inspections import services as inspection_services
from zhifa.inspections.models import RectificationOrder
from zhifa.organizations.models import Organization
from zhifa.parties import services as party_services
from zhifa.parties.models import Party

from . import receipts, rules
from .actor import PartyActor, PaymentChannelActor, is_party
from .models import Delivery, HearingSession, Notice, PartyFile, PartyRequest, PaymentOrder
from .payments import Confirmation

Required = Annotated[str, Field(min_length=1, max_length=2000)]
LongRequired = Annotated[str, Field(min_length=1, max_length=20000)]
Optional = Annotated[str, Field(max_length=2000)]
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]

ESERVICE_ADDRESS = "当事人空间（本平台）"


def today() -> dt.date:
    return timezone.localdate()


def _require_party(actor) -> PartyActor:
    if not is_party(actor):
        raise DomainError("party_only", "此事项须由当事人本人在当事人空间办理")
    return actor


def _sign(actor: PartyActor, purpose: str, content: str) -> tuple[str, dt.datetime]:
    at = timezone.now()
    return rules.electronic_signature(settings.SECRET_KEY, actor.party_id, purpose, content, at), at


def _confirmed(confirm: bool) -> None:
    if not confirm:
        raise ValidationError(
            {"confirm": ValidationError("请勾选确认后再提交", code="confirmation_required")}
        )


def _own_case(actor, case_id, *, lock: bool = False) -> Case:
    queryset = Case.objects.select_related("organization", "party", "item")
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    return access.get_visible(actor, queryset, case_id)


def _facts(case: Case, on: dt.date | None = None):
    return build_facts(case, {"as_of": on or today()}), case_services.case_config()


# --------------------------------------------------------------------------------------------
# Uploads
# --------------------------------------------------------------------------------------------


def upload_limits(images_only: bool = False) -> rules.UploadLimits:
    configured = getattr(settings, "ZHIFA_PARTY_UPLOAD_LIMITS", {}) or {}
    return rules.UploadLimits(images_only=images_only, **configured)


def check_uploads(files, limits: rules.UploadLimits, field: str = "files") -> list[tuple[Any, str]]:
    """Each upload with its content type by its first bytes; a ``ValidationError`` naming the field
    with every reason otherwise (nothing is saved)."""
    described = []
    for upload in files:
        head = upload.read(16)
        upload.seek(0)
        described.append((rules.safe_name(upload.name or "file"), upload.size or 0, head))
    problems = rules.upload_refusals(described, limits)
    if problems:
        raise ValidationError({field: [ValidationError(p, code="upload_refused") for p in problems]})
    return [(upload, rules.sniff(head)) for upload, (_, _, head) in zip(files, described, strict=True)]


def _store_files(request: PartyRequest, checked: list[tuple[Any, str]]) -> list[PartyFile]:
    stored = []
    for upload, content_type in checked:
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
        row = PartyFile(
            request=request,
            name=rules.safe_name(upload.name or "file"),
            content_type=content_type,
            size=upload.size,
            sha256=digest.hexdigest(),
        )
        row.file.save(row.name, upload, save=False)
        row.save()
        stored.append(row)
    return stored


def _new_request(
    actor: PartyActor,
    kind: str,
    *,
    case=None,
    rectification=None,
    text: str = "",
    data: dict | None = None,
    status=PartyRequest.Status.PENDING,
) -> PartyRequest:
    signature, at = _sign(
        actor, kind, f"{getattr(case, 'pk', '')}|{getattr(rectification, 'pk', '')}|{text}|{data}"
    )
    request = PartyRequest(
        party_id=actor.party_id,
        kind=kind,
        status=status,
        case=case,
        rectification=rectification,
        text=text,
        data=data or {},
        filed_at=at,
        filed_on=timezone.localdate(at),
        signature=signature,
    )
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError:
        raise DomainError(
            "request_pending", f"您已提交{PartyRequest.Kind(kind).label}，正在办理中，请勿重复提交"
        ) from None
    return request


# --------------------------------------------------------------------------------------------
# Electronic service (行政处罚法第六十一条第二款)
# --------------------------------------------------------------------------------------------


def bodies_of(actor) -> dict[int, Organization]:
    """The enforcement bodies the party has cases with: those it may consent to be served by."""
    bodies: dict[int, Organization] = {}
    for case in access.visible_to(actor, Case).select_related("organization").order_by("-created_at"):
        body = case.organization.body()
        bodies.setdefault(body.pk, body)
    return bodies


def active_consent(party_id: int, body: Organization, on: dt.date | None = None) -> EServiceConsent | None:
    on = on or today()
    for consent in EServiceConsent.objects.filter(
        party_id=party_id, organization=body, revoked_on__isnull=True
    ):
        if consent.covers(on):
            return consent
    return None


class ConsentIn(Command):
    organization_id: Id
    signer: Required  # the name of the person who signs for the party
    confirm: bool = False


@transaction.atomic
def accept_eservice(actor, data: dict[str, Any]) -> EServiceConsent:
    """The party signs, once, the confirmation that the body may serve it in its space
    (第六十一条第二款). Recorded through the cases app as its ``EServiceConsent``."""
    actor = _require_party(actor)
    command = parse(ConsentIn, data)
    _confirmed(command.confirm)
    body = bodies_of(actor).get(command.organization_id)
    if body is None:
        raise ValidationError(
            {"organization_id": ValidationError("请选择与您有案件往来的执法机关", code="does_not_exist")}
        )
    if active_consent(actor.party_id, body) is not None:
        raise DomainError("consent_exists", f"您已同意{body.name}电子送达，无需重复签署")
    case = (
        access.visible_to(actor, Case)
        .filter(organization__path__startswith=body.path)
        .order_by("-created_at")
        .first()
    )
    signature, _ = _sign(actor, "eservice_consent", f"{body.pk}|{command.signer}")
    return case_services.record_consent(
        actor,
        case.pk,
        {"address": f"{ESERVICE_ADDRESS}；签署人：{command.signer}", "signed_on": today()},
        electronic_signature=signature,
    )


@transaction.atomic
def revoke_eservice(actor, organization_id: int) -> int:
    """The party withdraws its consent; later documents are served on paper."""
    actor = _require_party(actor)
    body = bodies_of(actor).get(int(organization_id))
    if body is None:
        raise NotFound()
    party = Party.objects.get(pk=actor.party_id)
    return case_services.revoke_consent(actor, party, body)


# --------------------------------------------------------------------------------------------
# Service of documents (送达)
# --------------------------------------------------------------------------------------------

SERVE_ON_DELIVERY = {Document.Kind.DECISION}


@transaction.atomic
def deliver_document(officer, document_id: int) -> Delivery:
    """Serve a case document: into the party's space when the party signed the confirmation for the
    body (the time it arrives is the time of service, 民事诉讼法第九十条), otherwise on paper with a
    送达回证. Serving the decision electronically performs the case's ``serve`` step."""
    document = (
        Document.objects.select_related("case__organization", "case__party")
        .filter(pk=document_id, case__in=access.visible_to(officer, Case).values("pk"))
        .first()
    )
    if document is None:
        raise NotFound()
    case = document.case
    access.require(officer, "cases.handle", case)
    if document.kind == Document.Kind.SERVICE_RECEIPT:
        raise DomainError("not_served", "送达回证本身不需送达")
    if Delivery.objects.filter(document=document).exists():
        raise DomainError("already_delivered", f"{document.number}已经送达，不能重复送达")
    body = case.organization.body()
    now = timezone.now()
    consent = active_consent(case.party_id, body, timezone.localdate(now))
    delivery = Delivery(
        document=document,
        case=case,
        party=case.party,
        organization=body,
        delivered_at=now,
        delivered_by=officer if getattr(officer, "pk", None) else None,
    )
    if consent is not None:
        delivery.method, delivery.consent = Delivery.Method.ELECTRONIC, consent
        delivery.save()
        if document.kind in SERVE_ON_DELIVERY and case.state == case_rules.State.DECIDED:
            case_services.transition(
                officer,
                case.pk,
                "serve",
                {"service_date": timezone.localdate(now), "service_method": "electronic"},
            )
    else:
        delivery.method = Delivery.Method.PAPER
        if case_services.DOCUMENT_PRECONDITIONS[Document.Kind.SERVICE_RECEIPT][0](case) and document.kind in (
            Document.Kind.DECISION,
            Document.Kind.NO_PENALTY_DECISION,
        ):
            delivery.receipt = case_services.issue_document(officer, case.pk, Document.Kind.SERVICE_RECEIPT)
        else:
            pdf = receipts.render_receipt(document, case)
            delivery.receipt_file.save(f"{document.pk}-receipt.pdf", ContentFile(pdf), save=False)
        delivery.save()
    audit.record(
        officer,
        "partyspace.deliver",
        delivery,
        after={
            "document": document.pk,
            "number": document.number,
            "method": delivery.method,
            "consent": consent.pk if consent else None,
            "delivered_at": now,
        },
        legal_basis="《行政处罚法》第六十一条",
    )
    return delivery


@transaction.atomic
def issue_and_deliver(officer, case_id: int, kind: str) -> Delivery:
    document = case_services.issue_document(officer, case_id, kind)
    return deliver_document(officer, document.pk)


@transaction.atomic
def mark_read(actor, delivery_id: int) -> Delivery:
    """The party opened the document: the first time is kept as part of the proof of service."""
    actor = _require_party(actor)
    delivery = access.get_visible(actor, Delivery.objects.select_for_update(of=("self",)), delivery_id)
    if delivery.first_read_at is None:
        delivery.first_read_at = timezone.now()
        delivery.save(update_fields=["first_read_at"])
        audit.record(
            actor,
            "partyspace.document_read",
            delivery,
            after={"document": delivery.document_id, "first_read_at": delivery.first_read_at},
            legal_basis="《行政处罚法》第六十一条",
        )
    return delivery


# --------------------------------------------------------------------------------------------
# Statement and defence, waiver (第四十四条、第四十五条、第六十二条)
# --------------------------------------------------------------------------------------------


class StatementIn(Command):
    statement: LongRequired
    confirm: bool = False


def _evidence_note(files: list[PartyFile]) -> str:
    if not files:
        return ""
    listed = "；".join(f"{f.name}（SHA-256 {f.sha256[:12]}…）" for f in files)
    return f"\n〔附证据{len(files)}份：{listed}〕"


@transaction.atomic
def file_statement(actor, case_id: int, data: dict[str, Any], files=()) -> PartyRequest:
    """The party's statement and defence with its evidence, within the period of the notice; it
    goes into the case at once (``record_defence``), for the officers to check (第四十五条)."""
    actor = _require_party(actor)
    command = parse(StatementIn, data)
    _confirmed(command.confirm)
    case = _own_case(actor, case_id)
    facts, config = _facts(case)
    refusal = rules.statement_refusal(case.state, today(), case_rules.defence_end(facts, config))
    if refusal:
        raise DomainError("statement_refused", refusal)
    checked = check_uploads(list(files), upload_limits())
    request = _new_request(
        actor,
        PartyRequest.Kind.STATEMENT,
        case=case,
        text=command.statement,
        status=PartyRequest.Status.RECORDED,
    )
    stored = _store_files(request, checked)
    case_services.record_defence(
        actor,
        case.pk,
        {"statement": command.statement + _evidence_note(stored)},
        electronic_signature=request.signature,
    )
    audit.record(
        actor,
        "partyspace.statement",
        request,
        after={
            "case": case.pk,
            "files": [{"name": f.name, "sha256": f.sha256} for f in stored],
            "signature": request.signature,
        },
        legal_basis="《行政处罚法》第四十五条",
    )
    return request


class WaiverIn(Command):
    waives_hearing: bool = False
    statement: Optional = ""
    confirm: bool = False


@transaction.atomic
def waive(actor, case_id: int, data: dict[str, Any]) -> PartyRequest:
    """The party expressly gives up stating and defending (and, if it says so, the hearing): the
    waiver the decision rules read (第六十二条)."""
    actor = _require_party(actor)
    command = parse(WaiverIn, data)
    _confirmed(command.confirm)
    case = _own_case(actor, case_id)
    refusal = rules.waiver_refusal(case.state)
    if refusal:
        raise DomainError("waiver_refused", refusal)
    text = command.statement or (
        "本人（本单位）已知悉拟作出的行政处罚及陈述、申辩"
        + ("、听证" if command.waives_hearing else "")
        + "权利，明确表示放弃。"
    )
    request = _new_request(
        actor,
        PartyRequest.Kind.WAIVER,
        case=case,
        text=text,
        data={"waives_hearing": command.waives_hearing},
        status=PartyRequest.Status.RECORDED,
    )
    waiver = case_services.record_waiver(
        actor,
        case.pk,
        {
            "signed_on": today(),
            "waives_statement": True,
            "waives_hearing": command.waives_hearing,
            "statement": text,
        },
        electronic_signature=request.signature,
    )
    request.reference = f"waiver:{waiver.pk}"
    request.save(update_fields=["reference"])
    return request


# --------------------------------------------------------------------------------------------
# Hearing (第六十三条至第六十五条)
# --------------------------------------------------------------------------------------------


class HearingRequestIn(Command):
    reason: Optional = ""
    confirm: bool = False


@transaction.atomic
def request_hearing(actor, case_id: int, data: dict[str, Any]) -> PartyRequest:
    """The party asks for a hearing within five working days of the notice (第六十四条第一项); the
    date it asked is the date an officer registers in the case."""
    actor = _require_party(actor)
    command = parse(HearingRequestIn, data)
    _confirmed(command.confirm)
    case = _own_case(actor, case_id)
    facts, config = _facts(case)
    refusal = rules.hearing_request_refusal(
        case.state,
        case_rules.hearing_eligible(facts, config),
        today(),
        case_rules.hearing_request_end(facts, config),
    )
    if refusal:
        raise DomainError("hearing_request_refused", refusal)
    request = _new_request(actor, PartyRequest.Kind.HEARING, case=case, text=command.reason or "要求举行听证")
    audit.record(
        actor,
        "partyspace.hearing_request",
        request,
        after={"case": case.pk, "filed_on": request.filed_on},
        legal_basis="《行政处罚法》第六十四条第一项",
    )
    return request


def _locked_request(actor, request_id: int, kind: str | None = None) -> PartyRequest:
    request = access.get_visible(
        actor,
        PartyRequest.objects.select_for_update(of=("self",)).select_related(
            "case", "rectification__record__department"
        ),
        request_id,
    )
    if kind and request.kind != kind:
        raise NotFound()
    if request.status != PartyRequest.Status.PENDING:
        raise DomainError("request_handled", f"该申请已办理（{request.get_status_display()}）")
    return request


def _handled(request: PartyRequest, officer, status: str, reply: str = "", reference: str = "") -> None:
    request.status, request.handled_by, request.handled_at = status, officer, timezone.now()
    request.reply, request.reference = reply, reference or request.reference
    request.save(update_fields=["status", "handled_by", "handled_at", "reply", "reference"])


@transaction.atomic
def register_hearing_request(officer, request_id: int) -> Case:
    """One click: the party's request becomes the case's ``request_hearing`` step, dated the day the
    party asked (the case's rules check the five working days)."""
    request = _locked_request(officer, request_id, PartyRequest.Kind.HEARING)
    access.require(officer, "cases.handle", request.case)
    case = case_services.transition(
        officer, request.case_id, "request_hearing", {"hearing_requested_on": request.filed_on}
    )
    _handled(request, officer, PartyRequest.Status.ACCEPTED, "已登记听证申请，听证时间、地点将另行通知")
    audit.record(
        officer,
        "partyspace.hearing_request_registered",
        request,
        after={"case": case.pk},
        legal_basis="《行政处罚法》第六十四条",
    )
    return case


class ScheduleIn(Command):
    hearing_date: dt.date
    start_time: dt.time
    place: Required
    host_officer_id: Id
    meeting_url: AnyHttpUrl


@transaction.atomic
def schedule_online_hearing(officer, case_id: int, data: dict[str, Any]) -> HearingSession:
    """Notify the hearing (seven working days ahead, a host who did not investigate: the case's
    ``schedule_hearing``), keep the meeting link, and serve the 听证通知书."""
    command = parse(ScheduleIn, data)
    if command.meeting_url.scheme != "https":
        raise ValidationError(
            {"meeting_url": ValidationError("会议链接须以 https:// 开头", code="https_required")}
        )
    case_services.schedule_hearing(
        officer,
        case_id,
        {
            "hearing_date": command.hearing_date,
            "place": command.place,
            "host_officer_id": command.host_officer_id,
        },
    )
    case = access.get_visible(officer, Case, case_id)
    starts_at = timezone.make_aware(dt.datetime.combine(command.hearing_date, command.start_time))
    session, _ = HearingSession.objects.update_or_create(
        case=case,
        defaults={
            "meeting_url": str(command.meeting_url),
            "starts_at": starts_at,
            "place": command.place,
            "scheduled_by": officer if getattr(officer, "pk", None) else None,
            "party_joined_at": None,
        },
    )
    issue_and_deliver(officer, case.pk, Document.Kind.HEARING_NOTICE)
    audit.record(
        officer,
        "partyspace.hearing_scheduled",
        session,
        after={"case": case.pk, "starts_at": starts_at, "meeting_url": session.meeting_url},
        legal_basis="《行政处罚法》第六十四条",
    )
    return session


#: The party may enter the online hearing from an hour before it starts until the end of its day.
JOIN_EARLY = dt.timedelta(hours=1)


@transaction.atomic
def join_hearing(actor, case_id: int) -> HearingSession:
    """The party enters the online hearing: its attendance is recorded (the first time counts)."""
    actor = _require_party(actor)
    case = _own_case(actor, case_id)
    session = HearingSession.objects.select_for_update().filter(case=case).first()
    if session is None:
        raise DomainError("no_hearing", "本案尚未安排听证")
    now = timezone.now()
    if session.held_on is not None:
        raise DomainError("hearing_over", "听证已经结束")
    if now < session.starts_at - JOIN_EARLY:
        raise DomainError(
            "hearing_not_open",
            f"听证将于{timezone.localtime(session.starts_at):%Y-%m-%d %H:%M}开始，请在开始前一小时内进入",
        )
    if timezone.localdate(now) > timezone.localdate(session.starts_at):
        raise DomainError("hearing_over", "听证日期已过")
    if session.party_joined_at is None:
        session.party_joined_at = now
        session.save(update_fields=["party_joined_at", "updated_at"])
        audit.record(
            actor,
            "partyspace.hearing_joined",
            session,
            after={"case": case.pk, "joined_at": now},
            legal_basis="《行政处罚法》第六十四条第五项",
        )
    return session


class HoldIn(Command):
    record: Annotated[str, Field(min_length=1, max_length=10000)]
    party_absent: bool = False


@transaction.atomic
def hold_online_hearing(officer, case_id: int, data: dict[str, Any]) -> HearingSession:
    """The host closes the hearing with its record (第六十四条第八项); the party is then asked to check
    and sign it. A party absent without cause waives the hearing (第六十四条第六项)."""
    command = parse(HoldIn, data)
    session = access.get_visible(
        officer, HearingSession.objects.select_for_update(of=("self",)), case_id, lookup="case_id"
    )
    held_on = timezone.localdate(session.starts_at)
    case_services.transition(
        officer,
        case_id,
        "hold_hearing",
        {"hearing_date": held_on, "record": command.record, "party_absent": command.party_absent},
    )
    session.held_on, session.party_absent, session.record_text = held_on, command.party_absent, command.record
    session.record_published_at = timezone.now()
    session.signature_state = "" if command.party_absent else HearingSession.Signature.PENDING
    session.save()
    audit.record(
        officer,
        "partyspace.hearing_held",
        session,
        after={
            "case": case_id,
            "held_on": held_on,
            "party_absent": command.party_absent,
            "party_joined_at": session.party_joined_at,
        },
        legal_basis="《行政处罚法》第六十四条",
    )
    return session


class SignRecordIn(Command):
    agree: bool
    reason: Optional = ""


@transaction.atomic
def sign_hearing_record(actor, case_id: int, data: dict[str, Any]) -> HearingSession:
    """The party checks the record and signs it, or refuses to sign with its reason; a refusal is
    noted on the record (第六十四条第八项)."""
    actor = _require_party(actor)
    command = parse(SignRecordIn, data)
    case = _own_case(actor, case_id)
    session = HearingSession.objects.select_for_update().filter(case=case).first()
    if session is None or session.signature_state != HearingSession.Signature.PENDING:
        raise DomainError("nothing_to_sign", "没有待您核对签名的听证笔录")
    if not command.agree and not command.reason:
        raise ValidationError({"reason": ValidationError("拒绝签名请写明理由", code="required")})
    session.signature, session.signed_at = _sign(actor, "hearing_record", session.record_text)
    session.signature_state = (
        HearingSession.Signature.SIGNED if command.agree else HearingSession.Signature.REFUSED
    )
    session.refusal_reason = "" if command.agree else command.reason
    session.save()
    audit.record(
        actor,
        "partyspace.hearing_record_signed" if command.agree else "partyspace.hearing_record_refused",
        session,
        after={"case": case.pk, "signature": session.signature, "reason": session.refusal_reason},
        legal_basis="《行政处罚法》第六十四条第八项",
    )
    return session


# --------------------------------------------------------------------------------------------
# Payment (第六十六条、第六十七条)
# --------------------------------------------------------------------------------------------


def outstanding(case: Case, on: dt.date | None = None) -> Decimal:
    """Fine plus any late surcharge (第七十二条) still to pay on ``on``."""
    on = on or today()
    facts = build_facts(case, {"as_of": on, "payment_date": on})
    return max(case_rules.amount_due(facts, on, case_services.case_config()) - case.amount_paid, Decimal("0"))


@transaction.atomic
def start_payment(actor, case_id: int, channel: str) -> PaymentOrder:
    """A payment order for what is due today; an unpaid order of the same amount is reused."""
    actor = _require_party(actor)
    case = _own_case(actor, case_id, lock=True)
    due = outstanding(case)
    refusal = rules.payment_refusal(case.state, due)
    if refusal:
        raise DomainError("payment_refused", refusal)
    order = PaymentOrder.objects.filter(
        case=case, status=PaymentOrder.Status.CREATED, amount=due, channel=channel
    ).first()
    if order is None:
        order = PaymentOrder.objects.create(
            case=case,
            party_id=actor.party_id,
            amount=due,
            channel=channel,
            reference=f"JK{timezone.localdate():%Y%m%d}{secrets.token_hex(5).upper()}",
        )
        audit.record(
            actor,
            "partyspace.payment_started",
            order,
            after={"case": case.pk, "amount": due, "reference": order.reference},
        )
    return order


@transaction.atomic
def complete_payment(confirmation: Confirmation, channel: str) -> PaymentOrder:
    """The channel confirms a payment: recorded once in the case (``record_payment``, channel
    ``electronic``) by the channel acting for the body. A repeated confirmation changes nothing."""
    order = (
        PaymentOrder.objects.select_for_update()
        .select_related("case__organization")
        .filter(reference=confirmation.reference, channel=channel)
        .first()
    )
    if order is None:
        raise NotFound("缴款单不存在")
    if order.status == PaymentOrder.Status.PAID:
        return order
    if confirmation.amount != order.amount:
        raise DomainError(
            "amount_mismatch", f"支付金额{confirmation.amount}元与缴款单金额{order.amount}元不符"
        )
    actor = PaymentChannelActor(order.case.organization, channel)
    payment = case_services.record_payment(
        actor,
        order.case_id,
        order.amount,
        timezone.localdate(confirmation.paid_at),
        channel="electronic",
        receipt_number=confirmation.external_ref[:60],
    )
    order.status, order.paid_at, order.external_ref, order.payment = (
        PaymentOrder.Status.PAID,
        confirmation.paid_at,
        confirmation.external_ref,
        payment,
    )
    order.save()
    audit.record(
        actor,
        "partyspace.payment_completed",
        order,
        after={
            "case": order.case_id,
            "amount": order.amount,
            "external_ref": order.external_ref,
            "payment": payment.pk,
        },
        legal_basis="《行政处罚法》第六十七条",
    )
    return order


class DeferralIn(Command):
    deferred_until: dt.date
    reason: Required
    confirm: bool = False


@transaction.atomic
def apply_deferral(actor, case_id: int, data: dict[str, Any], files=()) -> PartyRequest:
    """The party applies to pay later (第六十六条第二款: 确有经济困难); the officer forwards the
    application to the head, who approves or not."""
    actor = _require_party(actor)
    command = parse(DeferralIn, data)
    _confirmed(command.confirm)
    case = _own_case(actor, case_id)
    facts, _ = _facts(case)
    refusal = rules.deferral_refusal(case.state, facts.deferral_approved) or rules.deferral_date_refusal(
        command.deferred_until, today()
    )
    if refusal:
        raise DomainError("deferral_refused", refusal, "deferred_until")
    checked = check_uploads(list(files), upload_limits())
    request = _new_request(
        actor,
        PartyRequest.Kind.DEFERRAL,
        case=case,
        text=command.reason,
        data={"deferred_until": command.deferred_until.isoformat()},
    )
    _store_files(request, checked)
    audit.record(
        actor,
        "partyspace.deferral_applied",
        request,
        after={"case": case.pk, "deferred_until": command.deferred_until},
        legal_basis="《行政处罚法》第六十六条第二款",
    )
    return request


@transaction.atomic
def forward_deferral(officer, request_id: int) -> Approval:
    """The officer puts the party's application to the head (an ``Approval`` of kind ``deferral``
    whose proposal is the case's ``Defer`` command)."""
    request = _locked_request(officer, request_id, PartyRequest.Kind.DEFERRAL)
    approval = case_services.request_approval(
        officer,
        request.case_id,
        Approval.Kind.DEFERRAL,
        {"deferred_until": request.data["deferred_until"], "application_on": request.filed_on.isoformat()},
        reason=f"当事人于{request.filed_on}在线申请：{request.text}",
    )
    _handled(request, officer, PartyRequest.Status.FORWARDED, "已报机关负责人审批", f"approval:{approval.pk}")
    return approval


# --------------------------------------------------------------------------------------------
# Rectification (责令整改) and credit repair (信用修复)
# --------------------------------------------------------------------------------------------


class RectificationIn(Command):
    text: Required
    confirm: bool = False


@transaction.atomic
def report_rectification(actor, order_id: int, data: dict[str, Any], photos=()) -> PartyRequest:
    """The party reports what it corrected, with photos, for the officers to verify."""
    actor = _require_party(actor)
    command = parse(RectificationIn, data)
    _confirmed(command.confirm)
    order = RectificationOrder.objects.filter(pk=order_id, record__party_id=actor.party_id).first()
    if order is None:
        raise NotFound()
    if order.state != RectificationOrder.State.OPEN:
        raise DomainError("rectification_closed", "该整改已复查通过，无需再报送")
    photos = list(photos)
    if not photos:
        raise ValidationError({"photos": ValidationError("请上传整改后的现场照片", code="required")})
    checked = check_uploads(photos, upload_limits(images_only=True), "photos")
    request = _new_request(actor, PartyRequest.Kind.RECTIFICATION, rectification=order, text=command.text)
    stored = _store_files(request, checked)
    audit.record(
        actor,
        "partyspace.rectification_reported",
        request,
        after={"order": order.pk, "photos": [f.sha256 for f in stored]},
    )
    return request


class ReviewIn(Command):
    passed: bool
    reply: Optional = ""


@transaction.atomic
def review_rectification_report(officer, request_id: int, data: dict[str, Any]) -> PartyRequest:
    """The officer checks the report: passed → the order is verified (inspections' service);
    otherwise the party is told what is still missing."""
    command = parse(ReviewIn, data)
    request = _locked_request(officer, request_id, PartyRequest.Kind.RECTIFICATION)
    access.require(officer, "partyspace.review_rectification", request.rectification.record.department)
    if command.passed:
        inspection_services.verify_rectification(officer, request.rectification_id)
        _handled(request, officer, PartyRequest.Status.ACCEPTED, command.reply or "整改已复查通过")
    else:
        if not command.reply:
            raise ValidationError({"reply": ValidationError("请写明尚需整改的内容", code="required")})
        _handled(request, officer, PartyRequest.Status.REFUSED, command.reply)
    audit.record(
        officer,
        "partyspace.rectification_reviewed",
        request,
        after={"passed": command.passed, "reply": request.reply},
    )
    return request


def repair_facts(case: Case) -> rules.RepairFacts:
    return rules.RepairFacts(
        state=case.state,
        decision_date=case.decision_date,
        fine=case.decided_fine,
        paid=case.amount_paid,
        serious_violation=case.party.serious_violation,
    )


def repair_minimum_months() -> int | None:
    value = getattr(settings, "ZHIFA_CREDIT_REPAIR_MIN_MONTHS", None)
    return int(value) if value else None


class CreditRepairIn(Command):
    case_id: Id
    text: Required
    confirm: bool = False


@transaction.atomic
def apply_credit_repair(actor, data: dict[str, Any], files=()) -> PartyRequest:
    """信用修复: after fulfilling a penalty, the party asks that it no longer weigh on its credit."""
    actor = _require_party(actor)
    command = parse(CreditRepairIn, data)
    _confirmed(command.confirm)
    case = _own_case(actor, command.case_id)
    refusal = rules.credit_repair_refusal(repair_facts(case), today(), repair_minimum_months())
    if refusal:
        raise DomainError("credit_repair_refused", refusal, "case_id")
    if PartyRequest.objects.filter(
        case=case, kind=PartyRequest.Kind.CREDIT_REPAIR, status=PartyRequest.Status.ACCEPTED
    ).exists():
        raise DomainError("credit_repaired", "该处罚信息已完成信用修复")
    checked = check_uploads(list(files), upload_limits())
    request = _new_request(actor, PartyRequest.Kind.CREDIT_REPAIR, case=case, text=command.text)
    _store_files(request, checked)
    audit.record(actor, "partyspace.credit_repair_applied", request, after={"case": case.pk})
    return request


class CreditDecisionIn(Command):
    approve: bool
    reply: Optional = ""


@transaction.atomic
def decide_credit_repair(officer, request_id: int, data: dict[str, Any]) -> PartyRequest:
    """The credit body decides. Approved: the repaired penalty no longer counts among the party's
    recent penalties, and its colour is assessed again (parties' credit rules)."""
    command = parse(CreditDecisionIn, data)
    request = _locked_request(officer, request_id, PartyRequest.Kind.CREDIT_REPAIR)
    access.require(officer, "partyspace.decide_credit_repair", request)
    if not command.approve:
        if not command.reply:
            raise ValidationError({"reply": ValidationError("不予修复须写明理由", code="required")})
        _handled(request, officer, PartyRequest.Status.REFUSED, command.reply)
    else:
        refusal = rules.credit_repair_refusal(repair_facts(request.case), today(), repair_minimum_months())
        if refusal:
            raise DomainError("credit_repair_refused", refusal)
        party = Party.objects.get(pk=request.party_id)
        party_services.record_credit_facts(
            officer, party.pk, {"violation_count_12m": max(party.violation_count_12m - 1, 0)}
        )
        _handled(request, officer, PartyRequest.Status.ACCEPTED, command.reply or "准予信用修复")
    audit.record(
        officer,
        "partyspace.credit_repair_decided",
        request,
        after={"approve": command.approve, "reply": request.reply},
    )
    return request


@transaction.atomic
def answer_request(officer, request_id: int, reply: str) -> PartyRequest:
    """Decline a waiting hearing or deferral request with the reason (the party reads it)."""
    request = _locked_request(officer, request_id)
    if request.kind not in (PartyRequest.Kind.HEARING, PartyRequest.Kind.DEFERRAL):
        raise DomainError("use_review", "请在对应的复查或审核中办理")
    access.require(officer, "cases.handle", request.case)
    reply = (reply or "").strip()
    if not reply:
        raise ValidationError({"reply": ValidationError("请写明不予受理的理由", code="required")})
    _handled(request, officer, PartyRequest.Status.REFUSED, reply[:2000])
    audit.record(officer, "partyspace.request_refused", request, after={"reply": request.reply})
    return request


@transaction.atomic
def admit_evidence(officer, file_id: int) -> PartyFile:
    """Take a file the party uploaded into the case's evidence (第四十六条: 当事人的陈述 / 书证)."""
    row = access.get_visible(
        officer, PartyFile.objects.select_for_update(of=("self",)).select_related("request"), file_id
    )
    if row.request.case_id is None:
        raise DomainError("no_case", "该文件不属于案件")
    if row.evidence_id:
        raise DomainError("already_admitted", "该文件已纳入证据")
    kind = "documentary" if row.content_type == "application/pdf" else "electronic"
    with row.file.open("rb") as handle:
        content = handle.read()
    evidence = case_services.add_evidence(
        officer,
        row.request.case_id,
        {
            "kind": kind,
            "description": f"当事人在线提交：{row.name}（{row.request.get_kind_display()}，{row.request.filed_on}）",
        },
        content,
        row.name,
    )
    row.evidence = evidence
    row.save(update_fields=["evidence"])
    return row


# --------------------------------------------------------------------------------------------
# Notices to the party
# --------------------------------------------------------------------------------------------


def notify_party(party_id: int, key: str, title: str, body: str, case=None) -> Notice:
    notice, _ = Notice.objects.get_or_create(
        party_id=party_id, key=key[:80], defaults={"title": title[:200], "body": body, "case": case}
    )
    return notice


@transaction.atomic
def read_notice(actor, notice_id: int) -> Notice:
    actor = _require_party(actor)
    notice = access.get_visible(actor, Notice, notice_id)
    if notice.read_at is None:
        notice.read_at = timezone.now()
        notice.save(update_fields=["read_at"])
    return notice
