"""Every write of the public portal: publishing and withdrawing penalty decisions, and reports
sent by the public. Transactional, permission-checked and audited."""

from __future__ import annotations

import hashlib
import io
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from zhifa.cases import rules as case_rules
from zhifa.cases.models import FINED_STATES, Case, Document
from zhifa.core import access, audit
from zhifa.core.errors import DomainError, NotFound, PermissionDenied
from zhifa.core.scopes import Scope
from zhifa.dispatch import rules as dispatch_rules
from zhifa.dispatch import services as dispatch_services

from . import rules
from .access import PUBLISH
from .models import PublicReport, PublishedDecision

DECISION_KINDS = (Document.Kind.DECISION, Document.Kind.SUMMARY_DECISION)


# ---- published penalty decisions (行政处罚法第四十八条) -------------------------------------------


def _penalty_lines(penalties: list[dict]) -> list[dict]:
    lines = []
    for penalty in penalties or []:
        kind = penalty.get("kind", "")
        try:
            label = case_rules.PENALTY_LABELS[case_rules.PenaltyKind(kind)]
        except (ValueError, KeyError):
            label = kind
        amount = penalty.get("amount")
        lines.append(
            {
                "kind": kind,
                "label": label,
                "amount": str(Decimal(str(amount))) if amount not in (None, "") else "",
            }
        )
    return lines


def decision_snapshot(case: Case) -> dict[str, Any]:
    """What is published of a decided case, personal data masked (rules.public_party)."""
    party = case.party
    shown = rules.public_party(
        party.kind,
        party.name,
        uscc=party.uscc,
        id_number=party.id_number,
        representative=party.representative,
    )
    secrets = []
    if party.kind == rules.PERSON:
        secrets += [(party.name, shown.label), (party.id_number, shown.id_number)]
    if party.kind == rules.INDIVIDUAL_BUSINESS:
        secrets += [(party.representative, shown.representative), (party.id_number, shown.id_number)]
    if party.phone:
        secrets.append((party.phone, "*" * len(party.phone)))
    document = case.documents.filter(kind__in=DECISION_KINDS).order_by("-issued_at", "-pk").first()
    return {
        "document_number": document.number if document else (case.number or f"案件{case.pk}"),
        "organization": case.organization.name,
        "party": {
            "label": shown.label,
            "kind": party.kind,
            "kind_label": party.get_kind_display(),
            "uscc": shown.uscc,
            "id_number": shown.id_number,
            "representative": shown.representative,
        },
        "item": {"code": case.item.code, "name": case.item.name},
        "procedure": case.get_procedure_display(),
        "facts": rules.mask_text(case.summary or "", secrets),
        "legal_basis": rules.mask_text(case.legal_basis or "", secrets),
        "penalties": _penalty_lines(case.penalties_decided),
        "decided_fine": str(case.decided_fine),
        "decision_date": case.decision_date.isoformat() if case.decision_date else "",
    }


def _locked_case(actor, case_id: int) -> Case:
    case = (
        Scope.for_user(actor)
        .filter(Case.objects.select_for_update(of=("self",)))
        .select_related("organization", "party", "item")
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        raise NotFound()
    return case


@transaction.atomic
def publish_decision(actor, case_id: int) -> PublishedDecision:
    """公开 a decided penalty case of the actor's body (行政处罚法第四十八条第一款). Only a legal
    reviewer or department admin whose scope covers the deciding body; only decided cases; once."""
    if not access.can(actor, PUBLISH):
        raise PermissionDenied("只有法制审核人员或部门管理员可以公开行政处罚决定")
    case = _locked_case(actor, case_id)
    if case.state not in FINED_STATES or case.decision_date is None:
        raise DomainError(
            "case_not_decided", "案件尚未作出行政处罚决定，不能公开（行政处罚法第四十八条）", "case"
        )
    existing = PublishedDecision.objects.select_for_update().filter(case=case).first()
    if existing is not None and not existing.is_withdrawn:
        raise DomainError("already_published", "该行政处罚决定已公开", "case")
    if existing is not None:
        raise DomainError(
            "withdrawn_publication",
            "该决定的公开已撤回，不能再次公开；如决定重新作出，请以新案件公开",
            "case",
        )
    snapshot = decision_snapshot(case)
    publication = PublishedDecision.objects.create(
        case=case,
        organization_name=snapshot["organization"],
        document_number=snapshot["document_number"],
        party_label=snapshot["party"]["label"],
        party_kind=snapshot["party"]["kind"],
        item_code=snapshot["item"]["code"],
        item_name=snapshot["item"]["name"][:300],
        decision_date=case.decision_date,
        snapshot=snapshot,
        published_at=timezone.now(),
        published_by=actor,
    )
    audit.record(
        actor,
        "decision.publish",
        publication,
        organization=case.organization,
        after={"case": case.pk, "document_number": publication.document_number},
        legal_basis=rules.PUBLICATION_BASIS,
    )
    return publication


@transaction.atomic
def withdraw_decision(actor, publication_id: int, reason: str) -> PublishedDecision:
    """撤回 a published decision and publish the reason (行政处罚法第四十八条第二款)."""
    if not access.can(actor, PUBLISH):
        raise PermissionDenied("只有法制审核人员或部门管理员可以撤回公开的行政处罚决定")
    publication = (
        PublishedDecision.objects.select_for_update(of=("self",))
        .select_related("case__organization")
        .filter(pk=publication_id)
        .first()
    )
    if publication is None or not Scope.for_user(actor).covers_organization(publication.case.organization):
        raise NotFound()
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {
                "reason": ValidationError(
                    "撤回须写明理由（行政处罚法第四十八条第二款）", code="reason_required"
                )
            }
        )
    if publication.is_withdrawn:
        raise DomainError("already_withdrawn", "该公开已撤回", "reason")
    publication.withdrawn_at, publication.withdrawn_by, publication.withdrawal_reason = (
        timezone.now(),
        actor,
        reason[:1000],
    )
    publication.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])
    audit.record(
        actor,
        "decision.withdraw",
        publication,
        organization=publication.case.organization,
        after={"case": publication.case_id, "reason": publication.withdrawal_reason},
        legal_basis=rules.WITHDRAWAL_BASIS,
    )
    return publication


# ---- reports from the public -------------------------------------------------------------------


class PortalReporter(dispatch_services.PublicChannel):
    """The actor of reports sent on the portal: the public channel of the command centre's
    统一受理 (incidents from citizens are received by the command centre, then dispatched)."""


class RateLimited(DomainError):
    status = 429

    def __init__(self, minutes: int):
        super().__init__(
            "too_many_reports",
            f"同一网络提交过于频繁，请 {minutes} 分钟后再试；紧急情况请拨打 12345 政务服务热线或 110",
            None,
        )


def _rate_key(client: str) -> str:
    return "portal:report:" + hashlib.sha256(client.encode("utf-8")).hexdigest()[:32]


def check_rate(client: str) -> None:
    """Refuse a report when ``client`` (the sending address) already sent rules.REPORT_LIMIT in
    the window. Counted in Django's cache; nothing is stored about the address itself."""
    if rules.over_limit(cache.get(_rate_key(client), 0)):
        raise RateLimited(rules.REPORT_WINDOW_SECONDS // 60)


def _count(client: str) -> None:
    key = _rate_key(client)
    if cache.add(key, 1, rules.REPORT_WINDOW_SECONDS):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, rules.REPORT_WINDOW_SECONDS)


def clean_photo(upload) -> tuple[bytes, str] | None:
    """The photo's bytes and file name, or None; a file that is not a picture is refused."""
    if upload is None:
        return None
    if upload.size > rules.PHOTO_MAX_BYTES:
        raise ValidationError(
            {
                "photo": ValidationError(
                    f"照片不能超过 {rules.PHOTO_MAX_BYTES // (1024 * 1024)} MB", code="photo_too_large"
                )
            }
        )
    content = upload.read()
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(content)) as image:
            image.verify()
            kind = image.format
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise ValidationError(
            {"photo": ValidationError("照片须为 JPEG、PNG、WebP 或 GIF 图片", code="photo_not_image")}
        ) from None
    if kind not in rules.PHOTO_TYPES:
        raise ValidationError(
            {"photo": ValidationError("照片须为 JPEG、PNG、WebP 或 GIF 图片", code="photo_not_image")}
        )
    return content, upload.name or "photo.jpg"


def clean_phone(value: str) -> str:
    phone = "".join(ch for ch in (value or "") if ch.isdigit() or ch == "-").strip("-")
    if value and value.strip() and not (7 <= len(phone.replace("-", "")) <= 12):
        raise ValidationError({"phone": ValidationError("联系电话应为 7–12 位数字", code="invalid_phone")})
    return phone


@transaction.atomic
def submit_report(data: dict[str, Any], *, client: str = "", photo=None):
    """A report from the public: through dispatch's intake (source 群众投诉), plus its photo.
    Returns the incident; its ``tracking_code`` is the reporter's only handle. Nothing is saved
    when anything is refused."""
    check_rate(client)
    text = (data.get("text") or "").strip()
    address = (data.get("address") or "").strip()
    errors = {}
    if not text:
        errors["text"] = ValidationError("请描述发现的问题", code="text_required")
    elif len(text) < 5:
        errors["text"] = ValidationError("问题描述至少 5 个字", code="text_too_short")
    if not address and data.get("lat") in (None, ""):
        errors["address"] = ValidationError("请填写问题发生的地址或位置", code="location_required")
    try:
        phone = clean_phone(data.get("phone") or "")
    except ValidationError as exc:
        errors.update(exc.error_dict)
    try:
        picture = clean_photo(photo)
    except ValidationError as exc:
        errors.update(exc.error_dict)
    if errors:
        raise ValidationError(errors)
    incident, _ = dispatch_services.report_incident(
        PortalReporter(),
        {
            "source": dispatch_rules.COMPLAINT,
            "text": text,
            "address": address,
            "lat": data.get("lat"),
            "lng": data.get("lng"),
            "reporter_phone": phone,
            "reporter_name": "",
            "title": "",
        },
    )
    report = PublicReport(
        incident=incident, client_hash=hashlib.sha256(client.encode("utf-8")).hexdigest() if client else ""
    )
    if picture is not None:
        content, name = picture
        report.sha256 = hashlib.sha256(content).hexdigest()
        report.photo.save(name, ContentFile(content), save=False)
    report.save()
    audit.record(
        PortalReporter(),
        "incident.public_report",
        incident,
        after={"tracking_code": incident.tracking_code, "photo_sha256": report.sha256},
    )
    _count(client)
    return incident
