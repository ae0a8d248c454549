"""Every write of command and dispatch: transactional, permission-checked, row-locked and audited.

Incidents enter through ``report_incident`` (pages, the API, Open311, the portal, demo) and move
through the closed loop with ``transition``; ``sweep_deadlines`` marks overdue and escalated ones.
The reporter rates the handling (``rate``) and may ask once for it to be reopened
(``citizen_reopen``); a low rating opens a ``HandlingCheck`` for the command centre. Every
assignment or correction by the command centre is kept as a ``RoutingExample``; the router
retrains on them (``retrain_router``). Listeners of ``events`` (status feedback to the platforms
that sent incidents) are told of each step inside the same transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from zhifa.catalog.models import EnforcementItem
from zhifa.core import access, audit
from zhifa.core.calendars import district_calendar
from zhifa.core.errors import DomainError, NotFound
from zhifa.organizations.models import Organization

from . import events, routing, rules
from .models import (
    HandlingCheck,
    IdempotencyKey,
    Incident,
    IncidentEvent,
    IncidentPhoto,
    JurisdictionDispute,
    Referral,
    RoutingExample,
    RoutingModelVersion,
)
from .photos import Photo, clean_photos

INCIDENT_FIELDS = (
    "source",
    "external_id",
    "title",
    "text",
    "lat",
    "lng",
    "address",
    "township",
    "priority",
    "item",
    "responsible_org",
    "state",
    "due_at",
    "escalate_at",
    "overdue",
    "escalated",
    "satisfaction",
    "merged_into",
    "needs_triage",
)
TRACKING_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
#: Days the receiving body has to acknowledge a referral, and the guidance office to decide a dispute.
REFERRAL_RECEIPT_WORKING_DAYS = 3
DISPUTE_DECISION_WORKING_DAYS = 5
MAX_KEY_LENGTH = 200


class IdempotencyConflict(DomainError):
    status = 409

    def __init__(self):
        super().__init__(
            "idempotency_conflict",
            "该 Idempotency-Key 已用于内容不同的推送；请为新的事件使用新的 Idempotency-Key",
            "Idempotency-Key",
        )


class ExternalIdTaken(DomainError):
    """Another platform (or body) already pushed an incident with this source and external id;
    the incident itself is not shown to anyone but its sender."""

    status = 409

    def __init__(self):
        super().__init__(
            "external_id_taken", "该来源编号已由其他推送方使用，请核对 source 与 external_id", "external_id"
        )


class PublicChannel:
    """The actor of what the public does without an account: reports on the portal (the command
    centre's public intake), ratings and reopen requests on the tracking page."""

    pk = None
    is_superuser = False
    is_authenticated = False
    role = rules.COMMAND_CENTER_ROLE
    organization = None

    def get_username(self) -> str:
        return "公众（门户网站）"

    def __str__(self) -> str:
        return self.get_username()


def _tz():
    return ZoneInfo(settings.TIME_ZONE)


def _field_error(field: str, code: str, message: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def _raise(refusal: rules.Refusal):
    raise DomainError(refusal.code, refusal.message, refusal.field)


#: The caller of a claim on a platform's own id: ``source:<source>``, key = the external id.
SOURCE_CLAIM = "source:"


def caller_key(actor) -> str:
    if isinstance(actor, PublicChannel):
        return "public"
    kind = "apikey" if actor.__class__.__name__ == "ApiKey" else "user"
    return f"{kind}:{getattr(actor, 'pk', '')}"


def _caller_organization_id(caller: str) -> int | None:
    kind, _, pk = caller.partition(":")
    if not pk.isdigit():
        return None
    if kind == "apikey":
        from zhifa.api.models import ApiKey

        return ApiKey.objects.filter(pk=int(pk)).values_list("organization_id", flat=True).first()
    if kind == "user":
        from zhifa.organizations.models import User

        return User.objects.filter(pk=int(pk)).values_list("organization_id", flat=True).first()
    return None


def sent_by(actor, incident: Incident) -> bool:
    """Whether ``actor`` is the credential that pushed ``incident``, or acts for the same body."""
    if isinstance(actor, PublicChannel):
        return False
    mine = caller_key(actor)
    if incident.caller:
        if incident.caller == mine:
            return True
        org_id = getattr(actor, "organization_id", None)
        return org_id is not None and org_id == _caller_organization_id(incident.caller)
    # pushed before the caller was recorded: whoever may see it
    return access.visible_to(actor, Incident).filter(pk=incident.pk).exists()


def body_hash(data: dict[str, Any]) -> str:
    return hashlib.sha256(audit.canonical_json(data).encode("utf-8")).hexdigest()


def new_tracking_code() -> str:
    return "QJ" + "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(8))


def _decimal(data: dict, field: str) -> Decimal | None:
    value = data.get(field)
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value)).quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError):
        raise _field_error(field, "invalid_coordinate", "坐标应为十进制数字") from None
    if not number.is_finite():
        raise _field_error(field, "invalid_coordinate", "坐标应为十进制数字")
    return number


def clean_report(data: dict[str, Any]) -> dict[str, Any]:
    """Check a pushed or typed report; every problem names its field, nothing is saved."""
    errors: dict[str, ValidationError] = {}
    source = (data.get("source") or "").strip()
    if source not in rules.SOURCE_LABELS:
        errors["source"] = ValidationError(
            f"未知的事件来源“{source}”，可选：{'、'.join(rules.SOURCE_LABELS)}", code="unknown_source"
        )
    priority = data.get("priority") or rules.NORMAL
    if priority not in rules.PRIORITY_LABELS:
        errors["priority"] = ValidationError("紧急程度只能为 urgent 或 normal", code="invalid_priority")
    text = (data.get("text") or "").strip()
    title = (data.get("title") or "").strip()[:200]
    address = (data.get("address") or "").strip()[:300]
    try:
        lat, lng = _decimal(data, "lat"), _decimal(data, "lng")
    except ValidationError as exc:
        errors.update(exc.error_dict)
        lat = lng = None
    if "lat" in errors or "lng" in errors:
        pass
    elif (lat is None) != (lng is None):
        errors["lat" if lat is None else "lng"] = ValidationError(
            "经纬度须同时提供", code="coordinates_incomplete"
        )
    elif lat is not None and rules.outside_district(lat, lng):
        errors["lat"] = ValidationError(
            f"坐标（{lat}, {lng}）不在衢江区范围内（纬度 28.6–29.3，经度 118.7–119.2），请核对坐标系和经纬度顺序",
            code="outside_district",
        )
    if not (text or title) and lat is None and not address:
        errors["text"] = ValidationError(
            "事件须有诉求内容或发生位置（坐标或地址），二者都缺", code="text_or_location_required"
        )
    if len(text) > 5000:
        errors["text"] = ValidationError("诉求内容不能超过 5000 字", code="text_too_long")
    if errors:
        raise ValidationError(errors)
    return {
        "source": source,
        "external_id": (data.get("external_id") or "").strip()[:64],
        "title": title,
        "text": text,
        "lat": lat,
        "lng": lng,
        "address": address,
        "priority": priority,
        "reporter_name": (data.get("reporter_name") or "").strip()[:50],
        "reporter_phone": (data.get("reporter_phone") or "").strip()[:30],
        "reporter_email": (data.get("reporter_email") or "").strip()[:100],
    }


def _event(incident: Incident, actor, action: str, from_state: str, note: str = "", at=None) -> IncidentEvent:
    org = getattr(actor, "organization", None)
    return IncidentEvent.objects.create(
        incident=incident,
        at=at or timezone.now(),
        action=action,
        from_state=from_state,
        to_state=incident.state,
        actor_name=(actor.get_username() if actor is not None and hasattr(actor, "get_username") else "系统"),
        organization=org,
        note=note[:2000],
    )


def _snapshot(incident: Incident) -> dict:
    return audit.snapshot(incident, INCIDENT_FIELDS)


# ---- intake ---------------------------------------------------------------------------------


def _claim(caller: str, key: str, fingerprint: str, token: str) -> bool:
    """Insert the claim row; True when this request's row is the one stored. ON CONFLICT DO
    NOTHING RETURNING answers both in one statement (PostgreSQL, SQLite ≥ 3.35): a row comes back
    only when this insert stored it. A concurrent claim of the same row waits here until its
    transaction ends (committed: lost; rolled back: this one is stored)."""
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {q(IdempotencyKey._meta.db_table)} "
            f"({q('caller')}, {q('key')}, {q('body_hash')}, {q('claim')}, {q('created_at')}) "
            f"VALUES (%s, %s, %s, %s, %s) ON CONFLICT ({q('caller')}, {q('key')}) "
            f"DO NOTHING RETURNING {q('id')}",
            [caller, key, fingerprint, token, connection.ops.adapt_datetimefield_value(timezone.now())],
        )
        return cursor.fetchone() is not None


def forget_idempotency_keys(now: dt.datetime | None = None) -> int:
    """Remove the claims of ``Idempotency-Key`` headers older than ZHIFA_IDEMPOTENCY_KEY_DAYS; the
    number removed. A platform retries a push within minutes or hours, and a key kept for ever is
    a row per push for ever. A platform's own ids (``source:`` claims) stay: they keep one
    incident per external id for good."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=settings.ZHIFA_IDEMPOTENCY_KEY_DAYS)
    old = IdempotencyKey.objects.filter(created_at__lt=cutoff).exclude(caller__startswith=SOURCE_CLAIM)
    return old.delete()[0]


def _settle(claims: list[tuple[str, str]], token: str, incident: Incident) -> None:
    """Point this request's claim rows at ``incident``. They are found by their unique
    (caller, key), an index lookup: found by ``claim`` alone the update read every key ever kept
    (13 ms at 60,000 keys, growing with each push)."""
    if claims:
        match = Q()
        for caller, key in claims:
            match |= Q(caller=caller, key=key)
        IdempotencyKey.objects.filter(match, claim=token).update(incident=incident)


def _duplicate(actor, caller: str, key: str, fingerprint: str, source: str) -> Incident:
    """The incident a duplicate push is answered with, or a refusal."""
    row = IdempotencyKey.objects.select_related("incident").filter(caller=caller, key=key).first()
    if caller.startswith(SOURCE_CLAIM):
        incident = (
            row.incident
            if row is not None and row.incident_id
            else Incident.objects.filter(source=source, external_id=key).first()
        )
        if incident is None:
            raise DomainError("push_in_progress", "相同的推送正在处理，请稍后重试", "external_id")
        if not sent_by(actor, incident):
            raise ExternalIdTaken()
        return incident
    if row is None or row.body_hash != fingerprint:
        raise IdempotencyConflict()
    if row.incident is None:
        raise DomainError("push_in_progress", "相同的推送正在处理，请稍后重试", "Idempotency-Key")
    return row.incident


def report_incident(
    actor,
    data: dict[str, Any],
    *,
    idempotency_key: str | None = None,
    now: dt.datetime | None = None,
    photos: list[Photo] = (),
) -> tuple[Incident, bool]:
    """Register an incident; returns (incident, created). The same push twice gives one incident:
    a replayed ``idempotency_key`` with the same body, or the same ``source`` + ``external_id``
    from the same sender, returns the first one; a replayed key with another body is refused
    (409), and an external id another sender used is refused without showing its incident (409).
    Under concurrency the database decides: the claim rows are inserted first with ON CONFLICT
    DO NOTHING, the loser waits for the winner and answers with its incident."""
    if not isinstance(actor, PublicChannel):
        access.require(actor, "dispatch.report")
    key = idempotency_key.strip() if idempotency_key is not None else None
    if idempotency_key is not None and (not key or len(key) > MAX_KEY_LENGTH or "\x00" in key):
        raise _field_error(
            "Idempotency-Key", "invalid_idempotency_key", f"Idempotency-Key 须为 1–{MAX_KEY_LENGTH} 个字符"
        )
    fingerprint = body_hash(data)
    caller = caller_key(actor)
    if key:
        seen = (
            IdempotencyKey.objects.filter(caller=caller, key=key)
            .values_list("body_hash", "incident_id")
            .first()
        )
        if seen is not None and seen[1]:  # a replay (rare): its incident is read only then
            if seen[0] != fingerprint:
                raise IdempotencyConflict()
            return Incident.objects.get(pk=seen[1]), False
    clean = clean_report(data)
    # Where it goes is worked out before the transaction, where the townships, bodies and
    # claims come from the process's copy (core.refdata) instead of the database.
    routed = _routing_of(clean)
    return _register(actor, clean, routed, key, fingerprint, caller, now or timezone.now(), photos)


def _routing_of(clean: dict[str, Any]) -> dict[str, Any]:
    """The township, the router's suggestions and the body that must act, as incident fields."""
    township = routing.locate(clean["address"], clean["lat"], clean["lng"])
    routed = routing.route(" ".join(filter(None, (clean["title"], clean["text"]))))
    top = routed.suggestions[0] if routed.suggestions and not routed.abstain else None
    item = routing.suggested_item(top.item_id) if top else None
    suggested_org, note = routing.responsible_for(item, township) if item else (None, "")
    return {
        "township": township,
        "suggestions": [s.as_dict() for s in routed.suggestions],
        "item": item,
        "suggested_org": suggested_org,
        "routing_note": note,
        "routing_model": routed.model_version,
        "routing_confidence": routed.confidence,
        "needs_triage": routed.abstain,
        "triage_reason": routed.triage_reason,
    }


@transaction.atomic
def _register(actor, clean, routed, key, fingerprint, caller, now, photos) -> tuple[Incident, bool]:
    token = secrets.token_hex(16)
    claims = [(caller, key)] if key else []
    if clean["external_id"]:
        claims.append((SOURCE_CLAIM + clean["source"], clean["external_id"]))
        legacy = Incident.objects.filter(source=clean["source"], external_id=clean["external_id"]).first()
        if legacy is not None:  # pushed before claims were kept
            answer = _duplicate(actor, claims[-1][0], clean["external_id"], fingerprint, clean["source"])
            _settle(claims, token, answer)
            return answer, False
    for claim_caller, claim_key in claims:
        if not _claim(claim_caller, claim_key, fingerprint, token):
            answer = _duplicate(actor, claim_caller, claim_key, fingerprint, clean["source"])
            _settle(claims, token, answer)
            return answer, False
    incident = Incident(
        **clean,
        **routed,
        reported_at=now,
        tracking_code=new_tracking_code(),
        created_by=actor.get_username(),
        caller=caller,
    )
    if clean["external_id"]:  # a savepoint only where a duplicate can be expected
        try:
            with transaction.atomic():
                incident.save()
        except IntegrityError:
            answer = _duplicate(actor, claims[-1][0], clean["external_id"], fingerprint, clean["source"])
            return answer, False
    else:
        incident.save()
    _settle(claims, token, incident)
    _save_photos(incident, photos, IncidentPhoto.Stage.REPORT, actor)
    _event(incident, actor, "report", "", note=rules.SOURCE_LABELS[incident.source], at=now)
    audit.record(actor, "incident.report", incident, after=_snapshot(incident))
    events.emit(incident, events.ACCEPTED)
    return incident, True


def _store_photo(pk: int, name: str, content: bytes, storage) -> None:
    """Write a photo's file after the commit; a storage that gives it another free name (the
    upload storage does inside a transaction) has the row follow that name."""
    if storage.exists(name):
        return
    stored = storage.save(name, ContentFile(content))
    if stored != name:
        IncidentPhoto.objects.filter(pk=pk).update(file=stored)


def _save_photos(incident: Incident, photos: list[Photo], stage: str, actor) -> list[IncidentPhoto]:
    """Rows now, files after the commit: a refused or rolled-back write leaves no file behind."""
    from .models import incident_photo_path

    saved = []
    for photo in photos:
        if IncidentPhoto.objects.filter(incident=incident, stage=stage, sha256=photo.sha256).exists():
            continue
        row = IncidentPhoto(
            incident=incident,
            stage=stage,
            sha256=photo.sha256,
            image_format=photo.image_format,
            size=len(photo.content),
            uploaded_by=actor.get_username(),
        )
        row.file.name = incident_photo_path(row, "")
        row.save()
        saved.append(row)
        transaction.on_commit(
            lambda pk=row.pk, name=row.file.name, content=photo.content, storage=row.file.storage: (
                _store_photo(pk, name, content, storage)
            )
        )
    return saved


@transaction.atomic
def report_finding(
    actor, data: dict[str, Any], uploads=(), *, idempotency_key: str | None = None
) -> tuple[Incident, bool]:
    """发现上报: an officer reports a problem he found in the field (source 巡查发现) with photos
    and his location; it enters the command centre's loop like any other incident. The form
    sends a key of its own, so a submission retried after a lost connection gives one incident."""
    access.require(actor, "dispatch.report_finding")
    photos = clean_photos(uploads)
    return report_incident(
        actor, {**data, "source": rules.PATROL}, idempotency_key=idempotency_key, photos=photos
    )


# ---- the closed loop ------------------------------------------------------------------------


def _locked(actor, incident_id: int) -> Incident:
    rows = Incident.objects.select_for_update(of=("self",))
    incident = (
        (rows if isinstance(actor, PublicChannel) else access.visible_to(actor, rows))
        .select_related("item__domain", "responsible_org", "township")
        .filter(pk=incident_id)
        .first()
    )
    if incident is None:
        raise NotFound()
    return incident


def _permission_for(action: str) -> str:
    return "dispatch.dispatch" if rules.ACTION_ROLES.get(action) == "dispatcher" else "dispatch.handle"


def may_act(actor, incident: Incident, action: str) -> bool:
    """Whether ``actor`` performs ``action`` on ``incident`` (dispatcher or the assigned body)."""
    return access.can(actor, _permission_for(action), incident)


def _set_deadline(incident: Incident, start: dt.datetime) -> None:
    domain = incident.item.domain.name if incident.item_id else None
    rule = rules.deadline_rule(incident.priority, domain)
    calendar = district_calendar()
    day = timezone.localtime(start, _tz()).date()
    incident.due_at = rules.end_of_day(rules.due_date(calendar, day, rule), _tz())
    incident.escalate_at = rules.end_of_day(
        rules.due_date(calendar, day, rule, rules.ESCALATION_FACTOR), _tz()
    )
    incident.overdue = incident.escalated = False


def _learn(
    actor, incident: Incident, action: str, previous_item: EnforcementItem | None, now: dt.datetime
) -> None:
    """Keep the dispatcher's choice as a labelled example for the router."""
    if incident.item_id is None or not (incident.text or incident.title).strip():
        return
    suggested = (incident.suggestions or [{}])[0].get("code", "") if incident.suggestions else ""
    if action == "transfer":
        kind = RoutingExample.Kind.REASSIGNMENT
    elif incident.needs_triage:
        kind = RoutingExample.Kind.TRIAGE
    elif incident.item.code != suggested or (
        incident.suggested_org_id and incident.responsible_org_id != incident.suggested_org_id
    ):
        kind = RoutingExample.Kind.CORRECTION
    else:
        kind = RoutingExample.Kind.CONFIRMATION
    RoutingExample.objects.create(
        incident=incident,
        text=" ".join(filter(None, (incident.title, incident.text)))[:5000],
        item=incident.item,
        suggested_code=suggested,
        organization=incident.responsible_org,
        suggested_org_id=incident.suggested_org_id,
        kind=kind,
        model_version=incident.routing_model,
        created_at=now,
        created_by=actor.get_username(),
    )


@transaction.atomic
def transition(
    actor,
    incident_id: int,
    action: str,
    *,
    organization: Organization | None = None,
    reason: str = "",
    reply: str = "",
    satisfaction: int | None = None,
    item: EnforcementItem | None = None,
    priority: str | None = None,
    now: dt.datetime | None = None,
    photos: list[Photo] = (),
) -> Incident:
    """One step of the loop. ``organization`` for assign/transfer (by default the body the item
    calls for); ``item`` corrects the enforcement item; ``reason`` for return, transfer and
    reopen; ``reply`` (and ``photos``) for reply. Satisfaction is the reporter's to give
    (``rate``), not the command centre's."""
    incident = _locked(actor, incident_id)
    if action not in rules.TRANSITIONS or action == "merge":
        raise DomainError("unknown_action", f"未知操作“{action}”")
    if not isinstance(actor, PublicChannel):
        access.require(actor, _permission_for(action), incident)
    if satisfaction is not None:
        raise DomainError(
            "rated_by_reporter",
            "满意度由报告人在办理进度查询页自行评价，指挥中心不再代为录入",
            "satisfaction",
        )
    if photos and action != "reply":
        raise DomainError("photos_with_reply_only", "照片随处置反馈上传", "photos")
    previous_item = incident.item
    if (
        item is not None
        and action in ("assign", "transfer")
        and item.pk != incident.item_id
        and organization is None
    ):
        organization, _ = routing.responsible_for(item, incident.township)
    if action == "assign" and organization is None:
        organization = incident.suggested_org
    refusal = rules.action_refusal(
        action,
        state=incident.state,
        reason=reason,
        reply=reply,
        same_org=organization is not None and organization.pk == incident.responsible_org_id,
        has_org=organization is not None,
    )
    if refusal:
        _raise(refusal)
    if priority is not None and priority not in rules.PRIORITY_LABELS:
        raise _field_error("priority", "invalid_priority", "紧急程度只能为 urgent 或 normal")
    now = now or timezone.now()
    before = _snapshot(incident)
    from_state = incident.state
    incident.state = rules.TRANSITIONS[action][1]
    note = reason
    if item is not None:
        incident.item = item
    if priority:
        incident.priority = priority
    if action in ("assign", "transfer"):
        incident.responsible_org = organization
        note = f"{organization.name}{('：' + reason) if reason else ''}"
    if action in ("assign", "transfer", "reopen"):
        incident.assigned_at = now
        incident.replied_at = None
        _set_deadline(incident, now)
    if action == "return":
        incident.due_at = incident.escalate_at = None
        incident.overdue = incident.escalated = False
    if action == "reply":
        incident.reply, incident.replied_at, note = reply.strip(), now, reply.strip()
    if action == "evaluate":
        note = reason or "指挥中心审核处置结果"
    if action == "close":
        incident.closed_at = now
    if action == "reopen":
        incident.closed_at = None
    if action in ("assign", "transfer"):
        _learn(actor, incident, action, previous_item, now)
        incident.needs_triage = False
    incident.save()
    _save_photos(incident, photos, IncidentPhoto.Stage.FEEDBACK, actor)
    _event(incident, actor, action, from_state, note, at=now)
    audit.record(actor, f"incident.{action}", incident, before=before, after=_snapshot(incident))
    if action in events.ACTION_EVENTS:
        events.emit(incident, events.ACTION_EVENTS[action], note=note)
    return incident


@transaction.atomic
def merge_duplicate(actor, incident_id: int, into_id: int) -> Incident:
    """Close ``incident_id`` as a duplicate of ``into_id``: one problem is worked once."""
    access.require(actor, "dispatch.merge")
    if incident_id == into_id:
        raise DomainError("merge_into_self", "不能把事件合并到它自己", "into")
    ids = sorted([incident_id, into_id])  # lock in a fixed order: two merges never deadlock
    locked = {pk: _locked(actor, pk) for pk in ids}
    incident, target = locked[incident_id], locked[into_id]
    if target.state not in rules.OPEN_STATES:
        raise DomainError("merge_target_closed", "只能合并到尚未办结的事件", "into")
    refusal = rules.action_refusal("merge", state=incident.state)
    if refusal:
        _raise(refusal)
    before = _snapshot(incident)
    from_state = incident.state
    incident.state, incident.merged_into, incident.closed_at = rules.MERGED, target, timezone.now()
    incident.overdue = incident.escalated = incident.needs_triage = False
    incident.save()
    _event(incident, actor, "merge", from_state, f"合并到 {target.tracking_code}")
    audit.record(actor, "incident.merge", incident, before=before, after=_snapshot(incident))
    events.emit(incident, events.CLOSED, note=f"与 {target.tracking_code} 合并办理")
    return incident


# ---- the reporter's word: rating, reopening; the command centre's check ------------------------


def _tracked_for_update(code: str) -> Incident:
    code = (code or "").strip().upper()
    incident = (
        Incident.objects.select_for_update(of=("self",))
        .select_related("responsible_org", "item__domain", "township")
        .filter(tracking_code=code)
        .first()
        if code
        else None
    )
    if incident is None:
        raise NotFound("查询码不存在，请核对后重新输入")
    return incident


@transaction.atomic
def rate(code: str, score: int | None, comment: str = "", *, now: dt.datetime | None = None) -> Incident:
    """The reporter rates the handling of a closed incident on the tracking page (1–5), once per
    closure. A rating of 2 or less opens a check of the handling by the command centre."""
    incident = _tracked_for_update(code)
    refusal = rules.rating_refusal(
        state=incident.state, score=score, closed_at=incident.closed_at, rated_at=incident.rated_at
    )
    if refusal:
        _raise(refusal)
    now = now or timezone.now()
    before = _snapshot(incident)
    actor = PublicChannel()
    incident.satisfaction, incident.rated_at, incident.rating_comment = (
        score,
        now,
        (comment or "").strip()[:500],
    )
    incident.save(update_fields=["satisfaction", "rated_at", "rating_comment", "updated_at"])
    _event(
        incident,
        actor,
        "rate",
        incident.state,
        f"满意度 {score} 分" + (f"：{incident.rating_comment}" if incident.rating_comment else ""),
        at=now,
    )
    audit.record(actor, "incident.rate", incident, before=before, after=_snapshot(incident))
    if rules.dissatisfied(score):
        HandlingCheck.objects.get_or_create(
            incident=incident,
            state=HandlingCheck.State.OPEN,
            defaults={"rating": score, "comment": incident.rating_comment, "created_at": now},
        )
        audit.record(actor, "incident.check_requested", incident, after={"rating": score})
    events.emit(incident, events.RATED, satisfaction=score)
    return incident


@transaction.atomic
def citizen_reopen(code: str, reason: str, *, now: dt.datetime | None = None) -> Incident:
    """The reporter says the problem is not fixed: once per incident, with a reason, the closed
    incident goes back to the body that handled it with a new deadline."""
    incident = _tracked_for_update(code)
    refusal = rules.citizen_reopen_refusal(
        state=incident.state, reason=reason, already=incident.citizen_reopened_at is not None
    )
    if refusal:
        _raise(refusal)
    now = now or timezone.now()
    incident.citizen_reopened_at = now
    incident.save(update_fields=["citizen_reopened_at", "updated_at"])
    HandlingCheck.objects.filter(incident=incident, state=HandlingCheck.State.OPEN).update(
        state=HandlingCheck.State.REOPENED, finished_at=now, result="报告人申请重新办理"
    )
    return transition(
        PublicChannel(), incident.pk, "reopen", reason=f"报告人反映问题未解决：{reason.strip()}", now=now
    )


@transaction.atomic
def finish_check(actor, check_id: int, *, reopen: bool, result: str) -> HandlingCheck:
    """The command centre's conclusion on a low-rated incident: the handling was right
    (confirmed), or it was not and the incident goes back to work (reopened)."""
    check = access.get_visible(actor, HandlingCheck.objects.select_for_update(of=("self",)), check_id)
    access.require(actor, "dispatch.check_handling", check.incident)
    if check.state != HandlingCheck.State.OPEN:
        raise DomainError("check_finished", "该核查已完成")
    if not (result or "").strip():
        raise _field_error("result", "result_required", "请填写核查结论")
    now = timezone.now()
    if reopen:
        transition(actor, check.incident_id, "reopen", reason=f"满意度核查：{result.strip()}", now=now)
    check.state = HandlingCheck.State.REOPENED if reopen else HandlingCheck.State.CONFIRMED
    check.finished_at, check.finished_by, check.result = now, actor, result.strip()
    check.save()
    audit.record(
        actor,
        "incident.check_finished",
        check.incident,
        after={"check": check.pk, "state": check.state, "result": check.result},
    )
    return check


def reveal_phone(actor, incident_id: int) -> str:
    """The reporter's full phone number, for the body handling the incident or the command centre
    to call back; every view is audited (个人信息保护法: access only where the work needs it)."""
    incident = access.get_visible(actor, Incident.objects.select_related("responsible_org"), incident_id)
    access.require(actor, "dispatch.view_phone", incident)
    with transaction.atomic():
        audit.record(
            actor,
            "incident.view_phone",
            incident,
            after={"field": "reporter_phone"},
            legal_basis="《个人信息保护法》第六条、第十条：为回访处置所必需",
        )
    return incident.reporter_phone


# ---- learning from the command centre ------------------------------------------------------------


def retrain_router(now: dt.datetime | None = None) -> RoutingModelVersion:
    """Retrain the router on the generated set plus every labelled example the command centre
    made, evaluate it on the fixed test split, and put it in use only if it is not worse there
    than the model in use. Either way the new version and its figures are kept. The version is a
    fingerprint of what it learns from: with nothing new since the last run, nothing is trained
    and that version is returned (a second run changes nothing)."""
    now = now or timezone.now()
    items = routing.catalog_items()
    if not items:
        raise DomainError("empty_catalog", "执法事项目录中没有处罚事项，无法训练")
    codes = {i.code for i in items}
    examples = [
        (t, c)
        for t, c in RoutingExample.objects.filter(item__code__in=codes)
        .values_list("text", "item__code")
        .order_by("pk")
    ]
    version = "r-" + routing.fingerprint(routing.baseline_fingerprint(items), examples)
    existing = RoutingModelVersion.objects.filter(version=version).first()
    if existing is not None:
        return existing
    current, _ = routing.current()
    with transaction.atomic():
        if current is not None and not RoutingModelVersion.objects.filter(version=current.version).exists():
            _record_version(
                current,
                items,
                now - dt.timedelta(seconds=1),
                active=False,
                adopted=True,
                note="基线模型：由生成的标注集训练",
                examples=0,
            )
    model = routing.cached_model(items, examples, version=version)
    mine = routing.evaluation(model, items)
    theirs = routing.evaluation(current, items) if current is not None else None
    adopted = mine["overall"].not_worse_than(theirs["overall"].as_dict() if theirs else None)
    note = (
        "测试集上不差于在用模型，已启用"
        if adopted
        else f"测试集首选正确率 {mine['overall'].top1:.1%}，在用模型 {theirs['overall'].top1:.1%}，未启用"
    )
    with transaction.atomic():
        if adopted:
            RoutingModelVersion.objects.filter(active=True).update(active=False)
        row = _record_version(
            model,
            items,
            now,
            active=adopted,
            adopted=adopted,
            note=note,
            examples=len(examples),
            evaluation=mine,
        )
        audit.record(
            None,
            "routing_model.train",
            row,
            after={
                "version": row.version,
                "adopted": adopted,
                "top1": mine["overall"].top1,
                "examples": len(examples),
            },
        )
    routing.invalidate()
    return row


def _record_version(
    model,
    items,
    now,
    *,
    active: bool,
    adopted: bool,
    note: str,
    examples: int,
    evaluation: dict | None = None,
) -> RoutingModelVersion:
    evaluation = evaluation or routing.evaluation(model, items)
    metrics = {
        **evaluation["overall"].as_dict(),
        "domains": {d: m.as_dict() for d, m in evaluation["domains"].items()},
        "kinds": {k: m.as_dict() for k, m in evaluation["kinds"].items()},
    }
    return RoutingModelVersion.objects.create(
        version=model.version,
        created_at=now,
        active=active,
        adopted=adopted,
        trained_on=model.trained_on,
        examples=examples,
        threshold=model.threshold,
        metrics=metrics,
        note=note[:300],
        blob=model.dumps() if active else None,
    )


def sweep_deadlines(now: dt.datetime | None = None) -> dict[str, int]:
    """Mark incidents past their deadline overdue, and those past 3× the deadline escalated.
    Idempotent: a second run at the same time changes nothing and records nothing."""
    now = now or timezone.now()
    counts = {"overdue": 0, "escalated": 0}
    working = sorted(rules.WORKING_STATES)
    for flag, field, action in (("overdue", "due_at", "overdue"), ("escalated", "escalate_at", "escalate")):
        with transaction.atomic():
            due = list(
                Incident.objects.select_for_update(skip_locked=True).filter(
                    state__in=working, **{f"{field}__lt": now, flag: False}
                )
            )
            for incident in due:
                before = _snapshot(incident)
                setattr(incident, flag, True)
                if flag == "escalated":
                    incident.overdue = True
                incident.save(update_fields=["overdue", "escalated", "updated_at"])
                _event(incident, None, action, incident.state, at=now)
                audit.record(None, f"incident.{action}", incident, before=before, after=_snapshot(incident))
            counts[flag] = len(due)
    return counts


# ---- referrals --------------------------------------------------------------------------------


@transaction.atomic
def refer(
    actor, *, to_org: Organization, reason: str, incident_id: int | None = None, case_ref: str = ""
) -> Referral:
    """线索移送: the actor's body passes a lead to the body that has the power."""
    access.require(actor, "dispatch.refer")
    org = getattr(actor, "organization", None)
    if org is None:
        raise DomainError("organization_required", "移送须以本单位名义进行，当前账号未关联单位")
    if to_org.pk == org.pk:
        raise _field_error("to_org", "referral_same_org", "不能移送给本单位")
    if not reason.strip():
        raise _field_error("reason", "reason_required", "请填写移送理由")
    incident = _locked(actor, incident_id) if incident_id else None
    if incident is None and not case_ref.strip():
        raise _field_error("incident", "incident_or_case_required", "请关联事件或填写案件编号")
    now = timezone.now()
    due = district_calendar().add_working_days(
        timezone.localtime(now, _tz()).date(), REFERRAL_RECEIPT_WORKING_DAYS
    )
    referral = Referral.objects.create(
        from_org=org,
        to_org=to_org,
        incident=incident,
        case_ref=case_ref.strip(),
        reason=reason.strip(),
        sent_at=now,
        due_on=due,
    )
    audit.record(
        actor,
        "referral.send",
        referral,
        after=audit.snapshot(referral, ("from_org", "to_org", "incident", "case_ref", "reason", "due_on")),
    )
    return referral


@transaction.atomic
def receive_referral(actor, referral_id: int, receipt: str) -> Referral:
    referral = (
        Referral.objects.select_for_update(of=("self",))
        .select_related("to_org")
        .filter(pk=referral_id)
        .first()
    )
    org = getattr(actor, "organization", None)
    if referral is None or org is None or not referral.to_org.path.startswith(org.path):
        raise NotFound()
    if referral.state != Referral.State.SENT:
        raise DomainError("referral_already_received", "该线索已接收")
    referral.state, referral.received_at, referral.receipt = (
        Referral.State.RECEIVED,
        timezone.now(),
        receipt.strip(),
    )
    referral.save()
    audit.record(actor, "referral.receive", referral, after={"receipt": referral.receipt})
    return referral


# ---- jurisdiction disputes ---------------------------------------------------------------------


@transaction.atomic
def raise_dispute(actor, incident_id: int, other_org: Organization, reason: str) -> JurisdictionDispute:
    """The assigned body says another body must act. The incident stays with it until decided."""
    incident = _locked(actor, incident_id)
    access.require(actor, "dispatch.raise_dispute", incident)
    if incident.state not in rules.WORKING_STATES:
        raise DomainError("dispute_not_in_work", "只有办理中的事件可以提出执法争议")
    if not reason.strip():
        raise _field_error("reason", "reason_required", "请填写理由")
    if other_org.pk == incident.responsible_org_id:
        raise _field_error("other_org", "dispute_same_org", "对方单位不能是本单位")
    if JurisdictionDispute.objects.filter(incident=incident, state=JurisdictionDispute.State.OPEN).exists():
        raise DomainError("dispute_already_open", "该事件已有待裁定的执法争议")
    now = timezone.now()
    deadline = district_calendar().add_working_days(
        timezone.localtime(now, _tz()).date(), DISPUTE_DECISION_WORKING_DAYS
    )
    dispute = JurisdictionDispute.objects.create(
        incident=incident,
        raised_by=incident.responsible_org,
        other_org=other_org,
        raised_reason=reason.strip(),
        raised_at=now,
        deadline=deadline,
    )
    audit.record(
        actor,
        "dispute.raise",
        dispute,
        after=audit.snapshot(dispute, ("incident", "raised_by", "other_org", "raised_reason", "deadline")),
    )
    return dispute


@transaction.atomic
def answer_dispute(actor, dispute_id: int, reason: str) -> JurisdictionDispute:
    dispute = (
        JurisdictionDispute.objects.select_for_update(of=("self",))
        .select_related("other_org")
        .filter(pk=dispute_id)
        .first()
    )
    org = getattr(actor, "organization", None)
    if dispute is None or org is None or not dispute.other_org.path.startswith(org.path):
        raise NotFound()
    if dispute.state != JurisdictionDispute.State.OPEN:
        raise DomainError("dispute_decided", "争议已裁定")
    dispute.other_reason = reason.strip()
    dispute.save(update_fields=["other_reason"])
    audit.record(actor, "dispute.answer", dispute, after={"other_reason": dispute.other_reason})
    return dispute


@transaction.atomic
def decide_dispute(actor, dispute_id: int, decided_org: Organization, decision: str) -> JurisdictionDispute:
    """The guidance office decides; the decision binds: the incident goes to the decided body
    with a new deadline, and both the decision and the reassignment are audited."""
    access.require(actor, "dispatch.decide_dispute")
    dispute = JurisdictionDispute.objects.select_for_update().filter(pk=dispute_id).first()
    if dispute is None:
        raise NotFound()
    if dispute.state != JurisdictionDispute.State.OPEN:
        raise DomainError("dispute_decided", "争议已裁定")
    if not decision.strip():
        raise _field_error("decision", "decision_required", "请填写裁定意见")
    incident = (
        Incident.objects.select_for_update(of=("self",))
        .select_related("item__domain")
        .get(pk=dispute.incident_id)
    )
    now = timezone.now()
    dispute.state, dispute.decided_org, dispute.decision = (
        JurisdictionDispute.State.DECIDED,
        decided_org,
        decision.strip(),
    )
    dispute.decided_at, dispute.decided_by = now, actor if actor.__class__.__name__ != "ApiKey" else None
    dispute.save()
    audit.record(
        actor,
        "dispute.decide",
        dispute,
        after=audit.snapshot(dispute, ("decided_org", "decision", "decided_at")),
        legal_basis="综合行政执法指导办公室协调裁定（执法争议协调机制）",
    )
    before = _snapshot(incident)
    from_state = incident.state
    incident.responsible_org, incident.state, incident.assigned_at = decided_org, rules.ASSIGNED, now
    incident.replied_at = None
    _set_deadline(incident, now)
    incident.save()
    _event(
        incident,
        actor,
        "dispute_decided",
        from_state,
        f"裁定由{decided_org.name}承办：{dispute.decision}",
        at=now,
    )
    audit.record(actor, "incident.dispute_decided", incident, before=before, after=_snapshot(incident))
    events.emit(incident, events.ASSIGNED, note=f"裁定由{decided_org.name}承办")
    return dispute
