"""Every write of smart enforcement: transactional, checked through the access policy, audited.

Devices (行政处罚法第四十一条第一款): registered with their technical check, legally reviewed,
published, retired; each has its own signing key. Events (第四十一条第二款): received from a device
(signed, idempotent, refused with the reason when the legally required device data is missing),
reviewed by an officer — accepted as a case source (a case opened through the cases app, the
evidence taken into it, the party told) or discarded with the reason. Campaigns and themes: created,
planned into the bodies' tasks, results recorded, closed with a final report."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
import secrets
from typing import Annotated, Any, Literal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from pydantic import Field

from zhifa.cases import services as case_services
from zhifa.catalog.models import Claim, Domain, EnforcementItem
from zhifa.core import access, audit, events
from zhifa.core.calendars import district_calendar
from zhifa.core.commands import Command, parse
from zhifa.core.errors import DomainError
from zhifa.core.validators import IdentifierError, validate_id_number, validate_uscc
from zhifa.organizations.models import Officer, Organization, Region, User
from zhifa.parties.models import Party

from . import rules
from .models import Campaign, CampaignPlan, CampaignTask, Device, DeviceEvent, DeviceEvidence

#: Published when an officer accepts a device event as a case source: ``event``, ``case``, ``actor``.
DEVICE_EVENT_ACCEPTED = "smart.device_event_accepted"

Required = Annotated[str, Field(min_length=1, max_length=2000)]
Short = Annotated[str, Field(max_length=200)]
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]


def _user(actor):
    """The user for ``*_by`` columns (integrations and devices are named in the audit log only)."""
    return actor if isinstance(actor, User) else None


def today() -> dt.date:
    return timezone.localdate()


# --------------------------------------------------------------------------------------------
# Devices
# --------------------------------------------------------------------------------------------

DEVICE_FIELDS = (
    "organization",
    "code",
    "name",
    "kind",
    "location",
    "township",
    "latitude",
    "longitude",
    "check_certificate",
    "check_body",
    "checked_on",
    "check_valid_until",
    "signage",
    "legal_reviewed_on",
    "published_on",
    "status",
)


class DeviceIn(Command):
    organization_id: Id
    code: Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_.-]+$")]
    name: Annotated[str, Field(min_length=1, max_length=100)]
    kind: Literal["camera", "sensor", "noise", "dust", "weighing", "other"]
    location: Annotated[str, Field(min_length=1, max_length=200)]
    township_id: Id
    latitude: Annotated[float, Field(ge=-90, le=90)] | None = None
    longitude: Annotated[float, Field(ge=-180, le=180)] | None = None
    item_ids: Annotated[list[Id], Field(min_length=1, max_length=20)]
    check_certificate: Short = ""
    check_body: Short = ""
    checked_on: dt.date | None = None
    check_valid_until: dt.date | None = None
    signage: bool = False


def device_key(device: Device) -> str:
    return rules.device_key(settings.SECRET_KEY, device.code, device.key_nonce)


@transaction.atomic
def register_device(actor, data: dict[str, Any]) -> tuple[Device, str]:
    """Register a device with its technical check (检定/校准); returns it and its signing key,
    shown once."""
    command = parse(DeviceIn, data)
    organization = access.get_visible(
        actor, Organization, command.organization_id, input_field="organization_id"
    )
    access.require(actor, "smart.manage_devices", organization)
    township = Region.objects.filter(pk=command.township_id).first()
    if township is None or not township.is_township:
        raise ValidationError({"township_id": ValidationError("请选择乡镇（街道）", code="invalid_choice")})
    items = list(EnforcementItem.objects.filter(pk__in=command.item_ids))
    if len(items) != len(set(command.item_ids)):
        raise ValidationError({"item_ids": ValidationError("执法事项不存在", code="does_not_exist")})
    if command.checked_on and command.check_valid_until and command.check_valid_until < command.checked_on:
        raise ValidationError(
            {"check_valid_until": ValidationError("有效期不能早于检定日期", code="date_out_of_order")}
        )
    device = Device(
        organization=organization,
        township=township,
        key_nonce=secrets.token_hex(16),
        created_by=_user(actor),
        **command.model_dump(exclude={"organization_id", "township_id", "item_ids"}),
    )
    try:
        with transaction.atomic():
            device.save()
    except IntegrityError:
        raise ValidationError({"code": ValidationError("该设备编号已登记", code="duplicate")}) from None
    device.items.set(items)
    audit.record(
        actor,
        "smart.device_register",
        device,
        after={**audit.snapshot(device, DEVICE_FIELDS), "items": [i.code for i in items]},
        legal_basis=rules.ART41,
    )
    return device, device_key(device)


def _locked_device(actor, device_id: int) -> Device:
    return access.get_visible(
        actor, Device.objects.select_for_update(of=("self",)).select_related("organization"), device_id
    )


class DeviceCheckIn(Command):
    check_certificate: Annotated[str, Field(min_length=1, max_length=100)]
    check_body: Annotated[str, Field(min_length=1, max_length=100)]
    checked_on: dt.date
    check_valid_until: dt.date
    signage: bool = False


@transaction.atomic
def record_device_check(actor, device_id: int, data: dict[str, Any]) -> Device:
    """A new technical check (检定/校准) of a device; the record of the earlier one stays in the audit log."""
    command = parse(DeviceCheckIn, data)
    device = _locked_device(actor, device_id)
    access.require(actor, "smart.manage_devices", device)
    if command.check_valid_until < command.checked_on:
        raise ValidationError(
            {"check_valid_until": ValidationError("有效期不能早于检定日期", code="date_out_of_order")}
        )
    if command.checked_on > today():
        raise ValidationError({"checked_on": ValidationError("日期不能晚于今天", code="future_date")})
    before = audit.snapshot(device, DEVICE_FIELDS)
    for name, value in command.model_dump().items():
        setattr(device, name, value)
    device.save()
    audit.record(
        actor,
        "smart.device_check",
        device,
        before=before,
        after=audit.snapshot(device, DEVICE_FIELDS),
        legal_basis=rules.ART41,
    )
    return device


class DeviceReviewIn(Command):
    opinion: Required
    passed: bool = True
    reviewed_on: dt.date | None = None


def _act_date(value: dt.date | None, field: str, not_before: dt.date | None) -> dt.date:
    """The date of an act: today unless given; never in the future, never before the step it follows."""
    on = value or today()
    if on > today():
        raise ValidationError({field: ValidationError("日期不能晚于今天", code="future_date")})
    if not_before is not None and on < not_before:
        raise ValidationError({field: ValidationError(f"日期不能早于{not_before}", code="date_out_of_order")})
    return on


@transaction.atomic
def review_device(actor, device_id: int, data: dict[str, Any]) -> Device:
    """法制审核 of the device (第四十一条第一款): the legal reviewer's opinion."""
    command = parse(DeviceReviewIn, data)
    device = _locked_device(actor, device_id)
    access.require(actor, "smart.review_device", device)
    device.legal_review_opinion = command.opinion
    device.legal_reviewed_by = _user(actor)
    reviewed_on = _act_date(command.reviewed_on, "reviewed_on", device.checked_on)
    device.legal_reviewed_on = reviewed_on if command.passed else None
    device.save(update_fields=["legal_review_opinion", "legal_reviewed_by", "legal_reviewed_on"])
    audit.record(
        actor,
        "smart.device_legal_review",
        device,
        after={"passed": command.passed, "opinion": command.opinion},
        legal_basis=rules.ART41,
    )
    return device


def _facts(device: Device) -> rules.DeviceFacts:
    return rules.DeviceFacts(
        legal_reviewed_on=device.legal_reviewed_on,
        check_certificate=device.check_certificate,
        check_body=device.check_body,
        checked_on=device.checked_on,
        check_valid_until=device.check_valid_until,
        signage=device.signage,
        location=device.location,
        item_count=device.items.count(),
    )


class PublishIn(Command):
    published_on: dt.date | None = None  # the day the location was made public (today unless given)


@transaction.atomic
def publish_device(actor, device_id: int, data: dict[str, Any] | None = None) -> Device:
    """Publish the device and its location (第四十一条第一款); records from the day of publication on
    may be used."""
    command = parse(PublishIn, data or {})
    device = _locked_device(actor, device_id)
    access.require(actor, "smart.manage_devices", device)
    problems = rules.publish_refusals(_facts(device), today())
    if problems:
        raise DomainError("device_not_ready", "；".join(problems))
    published_on = _act_date(command.published_on, "published_on", device.legal_reviewed_on)
    device.status, device.published_on = Device.Status.PUBLISHED, published_on
    device.save(update_fields=["status", "published_on"])
    audit.record(
        actor,
        "smart.device_publish",
        device,
        after={"published_on": device.published_on},
        legal_basis=rules.ART41,
    )
    return device


@transaction.atomic
def retire_device(actor, device_id: int, reason: str) -> Device:
    device = _locked_device(actor, device_id)
    access.require(actor, "smart.manage_devices", device)
    if not (reason or "").strip():
        raise ValidationError({"reason": ValidationError("请写明停用理由", code="required")})
    device.status = Device.Status.RETIRED
    device.save(update_fields=["status"])
    audit.record(actor, "smart.device_retire", device, after={"reason": reason.strip()[:500]})
    return device


@transaction.atomic
def rotate_key(actor, device_id: int) -> str:
    """A new signing key; the old one stops working at once."""
    device = _locked_device(actor, device_id)
    access.require(actor, "smart.manage_devices", device)
    device.key_nonce = secrets.token_hex(16)
    device.save(update_fields=["key_nonce"])
    audit.record(actor, "smart.device_key_rotated", device)
    return device_key(device)


# --------------------------------------------------------------------------------------------
# Events pushed by devices
# --------------------------------------------------------------------------------------------


class EventRefused(DomainError):
    """422: the event may not be taken; every reason in ``reasons``."""

    status = 422

    def __init__(self, reasons: list[rules.EventRefusal]):
        first = reasons[0]
        super().__init__(first.code, first.message, first.field)
        self.refusals = reasons


class SignatureRefused(DomainError):
    status = 401


class IdempotencyConflict(DomainError):
    status = 409

    def __init__(self):
        super().__init__(
            "idempotency_conflict", "该事件编号已推送过不同的内容；新的事件请使用新的编号", "external_id"
        )


class EvidenceIn(Command):
    name: Annotated[str, Field(min_length=1, max_length=120)]
    content_type: Literal["image/jpeg", "image/png", "video/mp4", "application/pdf"]
    content_base64: Annotated[str, Field(min_length=4, max_length=14_000_000)]


class DeviceCheckSent(Command):
    certificate_number: Annotated[str, Field(min_length=1, max_length=100)]
    valid_until: dt.date


class PartyRef(Command):
    uscc: Annotated[str, Field(max_length=18)] = ""
    id_number: Annotated[str, Field(max_length=18)] = ""
    hint: Annotated[str, Field(max_length=100)] = ""


class DeviceEventIn(Command):
    external_id: Annotated[str, Field(min_length=1, max_length=100)]
    occurred_at: dt.datetime
    description: Required
    location: Short = ""
    item_code: Annotated[str, Field(max_length=50)] = ""
    party: PartyRef | None = None
    device_check: DeviceCheckSent | None = None
    evidence: Annotated[list[EvidenceIn], Field(max_length=10)] = []


MAGIC = {
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "application/pdf": (b"%PDF-",),
    "video/mp4": (b"ftyp",),
}
MAX_EVIDENCE_BYTES = 8 * 1024 * 1024


def _decode(index: int, evidence: EvidenceIn) -> bytes:
    try:
        content = base64.b64decode(evidence.content_base64, validate=True)
    except (binascii.Error, ValueError):
        raise ValidationError(
            {
                f"evidence.{index}.content_base64": ValidationError(
                    "不是有效的 Base64 内容", code="invalid_base64"
                )
            }
        ) from None
    if not content:
        raise ValidationError(
            {f"evidence.{index}.content_base64": ValidationError("文件为空", code="empty_file")}
        )
    if len(content) > MAX_EVIDENCE_BYTES:
        raise ValidationError(
            {
                f"evidence.{index}.content_base64": ValidationError(
                    f"单个文件不能超过{MAX_EVIDENCE_BYTES // (1024 * 1024)}MB", code="file_too_large"
                )
            }
        )
    magics = MAGIC[evidence.content_type]
    head = content[4:8] if evidence.content_type == "video/mp4" else content
    if not any(head.startswith(m) for m in magics):
        raise ValidationError(
            {
                f"evidence.{index}.content_type": ValidationError(
                    "文件内容与声明的类型不符", code="content_type_mismatch"
                )
            }
        )
    return content


def _find_party(ref: PartyRef | None) -> Party | None:
    if ref is None:
        return None
    try:
        if ref.uscc:
            return Party.objects.filter(uscc=validate_uscc(ref.uscc)).first()
        if ref.id_number:
            return Party.objects.filter(
                id_number=validate_id_number(ref.id_number), kind=Party.Kind.PERSON
            ).first()
    except IdentifierError:
        return None
    return None


def verify_push(code: str, timestamp: str, body: bytes, signature: str) -> Device:
    """The device named in the push, when the signature is its own (``SignatureRefused`` otherwise:
    an unknown device and a wrong signature answer alike)."""
    device = Device.objects.filter(code=code or "").select_related("organization").first()
    problem = rules.signature_problem(
        device_key(device) if device else secrets.token_hex(32),
        timestamp or "",
        body,
        signature or "",
        timezone.now().timestamp(),
    )
    if device is None or problem:
        raise SignatureRefused("signature_invalid", f"设备签名校验未通过：{problem or '签名不正确'}")
    return device


@transaction.atomic
def receive_event(device: Device, body: bytes) -> tuple[DeviceEvent, bool]:
    """Take a signed push. The same ``external_id`` again with the same content returns the event
    already received (``created`` False); with other content it is refused (409)."""
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ValidationError(
            {"body": ValidationError("请求体不是有效的 JSON", code="invalid_json")}
        ) from None
    if not isinstance(data, dict):
        raise ValidationError({"body": ValidationError("请求体应为 JSON 对象", code="invalid_json")})
    command = parse(DeviceEventIn, data)
    digest = hashlib.sha256(body).hexdigest()
    existing = DeviceEvent.objects.filter(device=device, external_id=command.external_id).first()
    if existing is not None:
        if existing.payload_sha256 != digest:
            raise IdempotencyConflict()
        return existing, False
    if timezone.is_naive(command.occurred_at):
        raise ValidationError(
            {"occurred_at": ValidationError("发生时间须带时区（如 +08:00）", code="naive_datetime")}
        )
    now = timezone.now()
    refusals = rules.event_refusals(
        published_on=device.published_on if device.status == Device.Status.PUBLISHED else None,
        registered_certificate=device.check_certificate,
        registered_valid_until=device.check_valid_until,
        sent_check=command.device_check.model_dump() if command.device_check else None,
        occurred=timezone.localtime(command.occurred_at),
        received=timezone.localtime(now),
        evidence_count=len(command.evidence),
    )
    if refusals:
        raise EventRefused(refusals)
    contents = [_decode(n, e) for n, e in enumerate(command.evidence)]
    item = None
    if command.item_code:
        item = device.items.filter(code=command.item_code).first()
        if item is None:
            raise ValidationError(
                {"item_code": ValidationError("该设备未登记监控此执法事项", code="item_not_monitored")}
            )
    elif device.items.count() == 1:
        item = device.items.first()
    party = _find_party(command.party)
    event = DeviceEvent(
        device=device,
        external_id=command.external_id,
        payload_sha256=digest,
        occurred_at=command.occurred_at,
        description=command.description,
        location=command.location or device.location,
        item=item,
        party=party,
        party_hint=(command.party.hint if command.party else ""),
        device_check={
            "sent": command.device_check.model_dump(mode="json"),
            "registered": {
                "certificate_number": device.check_certificate,
                "check_body": device.check_body,
                "valid_until": device.check_valid_until.isoformat(),
                "published_on": device.published_on.isoformat(),
            },
        },
    )
    try:
        with transaction.atomic():
            event.save()
    except IntegrityError:  # the same push raced in
        return DeviceEvent.objects.get(device=device, external_id=command.external_id), False
    for evidence, content in zip(command.evidence, contents, strict=True):
        sha = hashlib.sha256(content).hexdigest()
        row = DeviceEvidence(
            event=event,
            name=evidence.name.replace("/", "_")[-120:],
            content_type=evidence.content_type,
            size=len(content),
            sha256=sha,
        )
        row.file.save(row.name, ContentFile(content), save=False)
        row.save()
    audit.record(
        device_actor(device),
        "smart.event_received",
        event,
        after={
            "external_id": event.external_id,
            "occurred_at": event.occurred_at,
            "payload_sha256": digest,
            "evidence": [hashlib.sha256(c).hexdigest() for c in contents],
        },
        legal_basis=rules.ART41,
    )
    return event, True


class _DeviceActor:
    """The device, as the actor of the audit entry for its push."""

    is_authenticated = True
    pk = None

    def __init__(self, device: Device):
        self.organization = device.organization
        self._name = f"device:{device.code}"

    def get_username(self) -> str:
        return self._name


def device_actor(device: Device) -> _DeviceActor:
    return _DeviceActor(device)


def _locked_event(actor, event_id: int) -> DeviceEvent:
    event = access.get_visible(
        actor,
        DeviceEvent.objects.select_for_update(of=("self",)).select_related("device__organization"),
        event_id,
    )
    access.require(actor, "smart.review_event", event.device)
    if event.status != DeviceEvent.Status.PENDING:
        raise DomainError("event_reviewed", f"该记录已审核（{event.get_status_display()}）")
    return event


class AcceptIn(Command):
    party_id: Id | None = None
    item_id: Id | None = None
    officer_ids: Annotated[list[Id], Field(min_length=2, max_length=5)]
    summary: Annotated[str, Field(max_length=2000)] = ""
    note: Annotated[str, Field(max_length=2000)] = ""


@transaction.atomic
def accept_event(actor, event_id: int, data: dict[str, Any]) -> DeviceEvent:
    """The officer checked the record (第四十一条第二款: 真实、清晰、完整、准确) and takes it as a case
    source: a case is opened for the device's body, the evidence goes into it with its digests and
    the device's check data, and the party is told (第四十一条第三款)."""
    command = parse(AcceptIn, data)
    event = _locked_event(actor, event_id)
    party = (
        access.get_visible(actor, Party, command.party_id, input_field="party_id")
        if command.party_id
        else event.party
    )
    if party is None:
        raise ValidationError({"party_id": ValidationError("请确认当事人", code="required")})
    item = event.device.items.filter(pk=command.item_id).first() if command.item_id else event.item
    if item is None:
        raise ValidationError({"item_id": ValidationError("请选择该设备监控的执法事项", code="required")})
    occurred = timezone.localtime(event.occurred_at)
    case = case_services.open_case(
        actor,
        {
            "party_id": party.pk,
            "item_id": item.pk,
            "act_date": occurred.date(),
            "discovery_date": timezone.localtime(event.received_at).date(),
            "officer_ids": command.officer_ids,
            "organization_id": event.device.organization_id,
            "summary": command.summary
            or f"{occurred:%Y年%m月%d日%H时%M分}，{event.location}：{event.description}"
            f"（电子技术监控设备{event.device.code}记录）",
        },
    )
    check = event.device_check.get("registered", {})
    for evidence in event.evidence.all():
        with evidence.file.open("rb") as handle:
            content = handle.read()
        case_services.add_evidence(
            actor,
            case.pk,
            {
                "kind": "audiovisual"
                if evidence.content_type.startswith(("image", "video"))
                else "electronic",
                "description": f"电子技术监控设备{event.device.code}（{event.device.location}）于{occurred:%Y-%m-%d %H:%M}记录；"
                f"检定证书{check.get('certificate_number', '')}，有效期至{check.get('valid_until', '')}；"
                f"原始文件{evidence.name}，SHA-256 {evidence.sha256}",
            },
            content,
            evidence.name,
        )
    event.status, event.case, event.party = DeviceEvent.Status.ACCEPTED, case, party
    event.reviewed_by, event.reviewed_at, event.review_note = _user(actor), timezone.now(), command.note
    event.save()
    audit.record(
        actor,
        "smart.event_accepted",
        event,
        after={"case": case.pk, "party": party.pk, "item": item.pk},
        legal_basis=rules.ART41,
    )
    events.publish(DEVICE_EVENT_ACCEPTED, event=event, case=case, actor=actor)
    return event


@transaction.atomic
def discard_event(actor, event_id: int, reason: str) -> DeviceEvent:
    """Not usable as evidence (unclear, incomplete, not a violation): discarded with the reason."""
    event = _locked_event(actor, event_id)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ValidationError("请写明不予采用的理由", code="required")})
    event.status, event.review_note = DeviceEvent.Status.DISCARDED, reason[:2000]
    event.reviewed_by, event.reviewed_at = _user(actor), timezone.now()
    event.save(update_fields=["status", "review_note", "reviewed_by", "reviewed_at"])
    audit.record(
        actor, "smart.event_discarded", event, after={"reason": event.review_note}, legal_basis=rules.ART41
    )
    return event


# --------------------------------------------------------------------------------------------
# Campaigns and themes
# --------------------------------------------------------------------------------------------


class CampaignIn(Command):
    kind: Literal["campaign", "theme"]
    name: Annotated[str, Field(min_length=1, max_length=200)]
    goal: Annotated[str, Field(max_length=5000)] = ""
    lead_id: Id
    period_start: dt.date
    period_end: dt.date
    domain_ids: Annotated[list[Id], Field(max_length=50)] = []
    item_ids: Annotated[list[Id], Field(min_length=1, max_length=100)]
    body_ids: Annotated[list[Id], Field(min_length=1, max_length=50)]
    township_ids: Annotated[list[Id], Field(max_length=50)] = []
    industries: Annotated[list[str], Field(max_length=20)] = []
    target_ids: Annotated[list[Id], Field(max_length=500)] = []


MAX_TARGETS = 2000


@transaction.atomic
def create_campaign(actor, data: dict[str, Any]) -> Campaign:
    command = parse(CampaignIn, data)
    lead = access.get_visible(actor, Organization, command.lead_id, input_field="lead_id")
    campaign = Campaign(
        kind=command.kind,
        name=command.name,
        goal=command.goal,
        lead=lead,
        period_start=command.period_start,
        period_end=command.period_end,
        industries=command.industries,
        created_by=_user(actor),
    )
    access.require(actor, "smart.manage_campaign", campaign)
    if command.period_end < command.period_start:
        raise ValidationError(
            {"period_end": ValidationError("结束日期不能早于开始日期", code="date_out_of_order")}
        )
    unknown = set(command.industries) - set(Party.Industry.values)
    if unknown:
        raise ValidationError({"industries": ValidationError("行业不在可选范围内", code="invalid_choice")})
    items = list(EnforcementItem.objects.filter(pk__in=command.item_ids, kind="inspection"))
    if len(items) != len(set(command.item_ids)):
        raise ValidationError({"item_ids": ValidationError("请选择行政检查事项", code="item_not_inspection")})
    bodies = list(Organization.objects.filter(pk__in=command.body_ids, is_active=True))
    if len(bodies) != len(set(command.body_ids)):
        raise ValidationError({"body_ids": ValidationError("参与部门不存在", code="does_not_exist")})
    townships = list(Region.objects.filter(pk__in=command.township_ids))
    if len(townships) != len(set(command.township_ids)) or any(not t.is_township for t in townships):
        raise ValidationError({"township_ids": ValidationError("请选择乡镇（街道）", code="invalid_choice")})
    targets = [access.get_visible(actor, Party, pk, input_field="target_ids") for pk in command.target_ids]
    campaign.save()
    campaign.items.set(items)
    campaign.bodies.set(bodies)
    campaign.townships.set(townships)
    campaign.domains.set(
        Domain.objects.filter(pk__in=command.domain_ids)
        if command.domain_ids
        else Domain.objects.filter(pk__in={i.domain_id for i in items})
    )
    campaign.targets.set(targets)
    audit.record(
        actor,
        "smart.campaign_create",
        campaign,
        after={**command.model_dump(mode="json")},
        legal_basis="《浙江省综合行政执法条例》第五条",
    )
    return campaign


def _locked_campaign(actor, campaign_id: int, permission: str = "smart.manage_campaign") -> Campaign:
    campaign = access.get_visible(
        actor, Campaign.objects.select_for_update(of=("self",)).select_related("lead"), campaign_id
    )
    access.require(actor, permission, campaign)
    return campaign


def _targets(campaign: Campaign) -> list[tuple[int, int]]:
    parties = Party.objects.none()
    if campaign.industries or campaign.townships.exists():
        parties = Party.objects.exclude(kind=Party.Kind.PERSON)
        if campaign.industries:
            parties = parties.filter(industry__in=campaign.industries)
        if campaign.townships.exists():
            parties = parties.filter(township__in=campaign.townships.all())
    chosen = set(parties.values_list("pk", "township_id")[: MAX_TARGETS + 1])
    chosen |= set(campaign.targets.values_list("pk", "township_id"))
    return sorted(chosen)


@transaction.atomic
def plan_campaign(actor, campaign_id: int) -> dict[str, Any]:
    """Generate the bodies' plans and tasks: every target × every participating body that claimed
    one of the campaign's items; in a theme one day per target for all bodies. Bodies that claimed
    none are named in the result. The campaign is then running."""
    campaign = _locked_campaign(actor, campaign_id)
    if campaign.state != Campaign.State.DRAFT:
        raise DomainError("campaign_planned", "该行动已生成计划")
    targets = _targets(campaign)
    if not targets:
        raise DomainError(
            "no_targets", "没有符合条件的检查对象：请选择行业、乡镇（街道）或指定检查对象", "targets"
        )
    if len(targets) > MAX_TARGETS:
        raise DomainError("too_many_targets", f"检查对象超过{MAX_TARGETS}个，请缩小行业或乡镇范围", "targets")
    item_ids = list(campaign.items.values_list("pk", flat=True))
    claimed: dict[int, list[int]] = {}
    skipped = []
    for body in campaign.bodies.all():
        own = sorted(
            set(
                Claim.objects.filter(
                    item_id__in=item_ids, organization__path__startswith=body.path
                ).values_list("item_id", flat=True)
            )
        )
        claimed[body.pk] = own
        if not own:
            skipped.append(body.name)
    start = max(campaign.period_start, today())
    days = rules.visit_days(start, campaign.period_end, district_calendar().is_workday)
    if not days:
        raise DomainError("no_working_day", "行动期间内已没有工作日，请调整期间", "period_end")
    planned = rules.plan_tasks(targets, claimed, days, joint=campaign.kind == Campaign.Kind.THEME)
    CampaignTask.objects.bulk_create(
        [
            CampaignTask(
                campaign=campaign,
                party_id=t.party_id,
                township_id=t.township_id,
                organization_id=t.organization_id,
                visit_day=t.visit_day,
            )
            for t in planned
        ],
        batch_size=1000,
    )
    counts: dict[int, int] = {}
    for task in planned:
        counts[task.organization_id] = counts.get(task.organization_id, 0) + 1
    for body_id, items in claimed.items():
        if items:
            plan = CampaignPlan.objects.create(
                campaign=campaign, organization_id=body_id, task_count=counts.get(body_id, 0)
            )
            plan.items.set(items)
    campaign.state, campaign.planned_at = Campaign.State.RUNNING, timezone.now()
    campaign.save(update_fields=["state", "planned_at"])
    result = {
        "targets": len(targets),
        "tasks": len(planned),
        "bodies": len([b for b in claimed.values() if b]),
        "skipped": skipped,
    }
    audit.record(actor, "smart.campaign_plan", campaign, after=result)
    return result


class ResultIn(Command):
    outcome: Literal["no_issue", "rectification", "case_suggested", "not_found"]
    findings: Annotated[str, Field(max_length=5000)] = ""
    checked_on: dt.date | None = None


@transaction.atomic
def record_result(actor, task_id: int, data: dict[str, Any]) -> CampaignTask:
    command = parse(ResultIn, data)
    task = access.get_visible(
        actor,
        CampaignTask.objects.select_for_update(of=("self",)).select_related("campaign", "organization"),
        task_id,
    )
    access.require(actor, "smart.record_campaign_result", task)
    if task.campaign.state != Campaign.State.RUNNING:
        raise DomainError("campaign_not_running", "行动不在实施中，不能填报结果")
    checked_on = command.checked_on or today()
    if checked_on > today():
        raise ValidationError({"checked_on": ValidationError("检查日期不能晚于今天", code="future_date")})
    if not task.campaign.period_start <= checked_on <= task.campaign.period_end:
        raise ValidationError(
            {"checked_on": ValidationError("检查日期应在行动期间内", code="outside_period")}
        )
    if command.outcome != "no_issue" and not command.findings:
        raise ValidationError({"findings": ValidationError("发现问题的，请写明检查情况", code="required")})
    before = {"state": task.state, "outcome": task.outcome}
    task.state, task.outcome, task.findings, task.checked_on = (
        CampaignTask.State.DONE,
        command.outcome,
        command.findings,
        checked_on,
    )
    task.recorded_by, task.recorded_at = _user(actor), timezone.now()
    task.save()
    audit.record(
        actor,
        "smart.campaign_result",
        task,
        before=before,
        after={"outcome": task.outcome, "checked_on": checked_on, "findings": task.findings},
    )
    return task


class CloseIn(Command):
    conclusion: Annotated[str, Field(min_length=1, max_length=10000)]


@transaction.atomic
def close_campaign(actor, campaign_id: int, data: dict[str, Any]) -> Campaign:
    """Close the campaign with its conclusion and the final report (PDF, kept with its SHA-256)."""
    from . import reports, selectors

    command = parse(CloseIn, data)
    campaign = _locked_campaign(actor, campaign_id)
    if campaign.state != Campaign.State.RUNNING:
        raise DomainError("campaign_not_running", "只有实施中的行动可以总结")
    campaign.conclusion, campaign.closed_at, campaign.state = (
        command.conclusion,
        timezone.now(),
        Campaign.State.CLOSED,
    )
    pdf = reports.render_report(campaign, selectors.dashboard(campaign))
    campaign.report_sha256 = hashlib.sha256(pdf).hexdigest()
    campaign.report.save(f"campaign-{campaign.pk}.pdf", ContentFile(pdf), save=False)
    campaign.save()
    audit.record(actor, "smart.campaign_close", campaign, after={"report_sha256": campaign.report_sha256})
    return campaign


def officers_of(actor) -> list[Officer]:
    return list(
        access.visible_to(actor, Officer)
        .filter(is_active=True, kind=Officer.Kind.ENFORCEMENT)
        .order_by("name")[:300]
    )
