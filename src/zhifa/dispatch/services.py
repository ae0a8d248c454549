"""Every write of command and dispatch: transactional, permission-checked, row-locked and audited.

Incidents enter through ``report_incident`` (pages, the API, Open311, demo) and move through the
closed loop with ``transition``; ``sweep_deadlines`` marks overdue and escalated ones.
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
from django.db import IntegrityError, transaction
from django.utils import timezone

from zhifa.catalog.models import EnforcementItem
from zhifa.core import audit
from zhifa.core.calendars import district_calendar
from zhifa.core.errors import DomainError, NotFound, PermissionDenied
from zhifa.core.scopes import Scope
from zhifa.organizations.models import Organization

from . import routing, rules
from .models import IdempotencyKey, Incident, IncidentEvent, JurisdictionDispute, Referral

INCIDENT_FIELDS = ("source", "external_id", "title", "text", "lat", "lng", "address", "township", "priority", "item",
                   "responsible_org", "state", "due_at", "escalate_at", "overdue", "escalated", "satisfaction",
                   "merged_into")
TRACKING_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
#: Days the receiving body has to acknowledge a referral, and the guidance office to decide a dispute.
REFERRAL_RECEIPT_WORKING_DAYS = 3
DISPUTE_DECISION_WORKING_DAYS = 5


class IdempotencyConflict(DomainError):
    status = 409

    def __init__(self):
        super().__init__("idempotency_conflict",
                         "该 Idempotency-Key 已用于内容不同的推送；请为新的事件使用新的 Idempotency-Key", "Idempotency-Key")


def _tz():
    return ZoneInfo(settings.TIME_ZONE)


def _field_error(field: str, code: str, message: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def _raise(refusal: rules.Refusal):
    raise DomainError(refusal.code, refusal.message, refusal.field)


def caller_key(actor) -> str:
    kind = "apikey" if actor.__class__.__name__ == "ApiKey" else "user"
    return f"{kind}:{getattr(actor, 'pk', '')}"


def body_hash(data: dict[str, Any]) -> str:
    return hashlib.sha256(audit.canonical_json(data).encode("utf-8")).hexdigest()


def new_tracking_code() -> str:
    return "QJ" + "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(8))


def _decimal(data: dict, field: str) -> Decimal | None:
    value = data.get(field)
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value)).quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError):
        raise _field_error(field, "invalid_coordinate", "坐标应为十进制数字") from None


def clean_report(data: dict[str, Any]) -> dict[str, Any]:
    """Check a pushed or typed report; every problem names its field, nothing is saved."""
    errors: dict[str, ValidationError] = {}
    source = (data.get("source") or "").strip()
    if source not in rules.SOURCE_LABELS:
        errors["source"] = ValidationError(f"未知的事件来源“{source}”，可选：{'、'.join(rules.SOURCE_LABELS)}",
                                           code="unknown_source")
    priority = data.get("priority") or rules.NORMAL
    if priority not in rules.PRIORITY_LABELS:
        errors["priority"] = ValidationError("紧急程度只能为 urgent 或 normal", code="invalid_priority")
    text = (data.get("text") or "").strip()
    title = (data.get("title") or "").strip()[:200]
    address = (data.get("address") or "").strip()[:300]
    lat, lng = _decimal(data, "lat"), _decimal(data, "lng")
    if (lat is None) != (lng is None):
        errors["lat" if lat is None else "lng"] = ValidationError("经纬度须同时提供", code="coordinates_incomplete")
    elif lat is not None and rules.outside_district(lat, lng):
        errors["lat"] = ValidationError(
            f"坐标（{lat}, {lng}）不在衢江区范围内（纬度 28.6–29.3，经度 118.7–119.2），请核对坐标系和经纬度顺序",
            code="outside_district")
    if not (text or title) and lat is None and not address:
        errors["text"] = ValidationError("事件须有诉求内容或发生位置（坐标或地址），二者都缺", code="text_or_location_required")
    if len(text) > 5000:
        errors["text"] = ValidationError("诉求内容不能超过 5000 字", code="text_too_long")
    if errors:
        raise ValidationError(errors)
    return {
        "source": source, "external_id": (data.get("external_id") or "").strip()[:64], "title": title, "text": text,
        "lat": lat, "lng": lng, "address": address, "priority": priority,
        "reporter_name": (data.get("reporter_name") or "").strip()[:50],
        "reporter_phone": (data.get("reporter_phone") or "").strip()[:30],
        "reporter_email": (data.get("reporter_email") or "").strip()[:100],
    }


def _event(incident: Incident, actor, action: str, from_state: str, note: str = "", at=None) -> IncidentEvent:
    org = getattr(actor, "organization", None)
    return IncidentEvent.objects.create(
        incident=incident, at=at or timezone.now(), action=action, from_state=from_state, to_state=incident.state,
        actor_name=(actor.get_username() if actor is not None and hasattr(actor, "get_username") else "系统"),
        organization=org, note=note)


def _snapshot(incident: Incident) -> dict:
    return audit.snapshot(incident, INCIDENT_FIELDS)


@transaction.atomic
def report_incident(actor, data: dict[str, Any], *, idempotency_key: str | None = None,
                    now: dt.datetime | None = None) -> tuple[Incident, bool]:
    """Register an incident; returns (incident, created). The same push twice gives one incident:
    a replayed ``idempotency_key`` with the same body, or the same ``source`` + ``external_id``,
    returns the first one; a replayed key with another body is refused (409)."""
    if not (actor.is_superuser or actor.role in rules.REPORTERS):
        raise PermissionDenied("无权登记事件")
    fingerprint = body_hash(data)
    caller = caller_key(actor)
    if idempotency_key:
        seen = IdempotencyKey.objects.select_related("incident").filter(caller=caller, key=idempotency_key).first()
        if seen is not None:
            if seen.body_hash != fingerprint:
                raise IdempotencyConflict()
            return seen.incident, False
    clean = clean_report(data)
    if clean["external_id"]:
        existing = Incident.objects.filter(source=clean["source"], external_id=clean["external_id"]).first()
        if existing is not None:
            _remember_key(caller, idempotency_key, fingerprint, existing)
            return existing, False
    now = now or timezone.now()
    township = routing.locate(clean["address"], clean["lat"], clean["lng"])
    suggestions = routing.suggest(" ".join(filter(None, (clean["title"], clean["text"]))))
    item = EnforcementItem.objects.select_related("domain").filter(pk=suggestions[0].item_id).first() if suggestions else None
    suggested_org, note = routing.responsible_for(item, township) if item else (None, "")
    incident = Incident(**clean, township=township, suggestions=[s.as_dict() for s in suggestions], item=item,
                        suggested_org=suggested_org, routing_note=note, reported_at=now,
                        tracking_code=new_tracking_code(), created_by=actor.get_username())
    try:
        with transaction.atomic():
            incident.save()
            _remember_key(caller, idempotency_key, fingerprint, incident)
    except IntegrityError:
        # A concurrent push with the same key or external id won the race: return its incident.
        return _winner(caller, idempotency_key, fingerprint, clean), False
    _event(incident, actor, "report", "", note=rules.SOURCE_LABELS[incident.source], at=now)
    audit.record(actor, "incident.report", incident, after=_snapshot(incident))
    return incident, True


def _remember_key(caller: str, key: str | None, fingerprint: str, incident: Incident) -> None:
    if key:
        IdempotencyKey.objects.get_or_create(caller=caller, key=key,
                                             defaults={"body_hash": fingerprint, "incident": incident})


def _winner(caller, key, fingerprint, clean) -> Incident:
    if key:
        seen = IdempotencyKey.objects.select_related("incident").filter(caller=caller, key=key).first()
        if seen is not None:
            if seen.body_hash != fingerprint:
                raise IdempotencyConflict()
            return seen.incident
    return Incident.objects.get(source=clean["source"], external_id=clean["external_id"])


# ---- the closed loop ------------------------------------------------------------------------

def _locked(actor, incident_id: int) -> Incident:
    scope = Scope.for_user(actor)
    incident = (scope.filter(Incident.objects.select_for_update(of=("self",)), "responsible_org", "township")
                .select_related("item__domain", "responsible_org").filter(pk=incident_id).first())
    if incident is None:
        raise NotFound()
    return incident


def may_act(actor, incident: Incident, action: str) -> bool:
    """Whether ``actor`` performs ``action`` on ``incident`` (dispatcher or the assigned body)."""
    if actor.is_superuser:
        return True
    if rules.ACTION_ROLES.get(action) == "dispatcher":
        return actor.role in rules.DISPATCHERS
    org = getattr(actor, "organization", None)
    return (actor.role in rules.HANDLERS and org is not None and incident.responsible_org is not None
            and incident.responsible_org.path.startswith(org.path))


def _set_deadline(incident: Incident, start: dt.datetime) -> None:
    domain = incident.item.domain.name if incident.item_id else None
    rule = rules.deadline_rule(incident.priority, domain)
    calendar = district_calendar()
    day = timezone.localtime(start, _tz()).date()
    incident.due_at = rules.end_of_day(rules.due_date(calendar, day, rule), _tz())
    incident.escalate_at = rules.end_of_day(rules.due_date(calendar, day, rule, rules.ESCALATION_FACTOR), _tz())
    incident.overdue = incident.escalated = False


@transaction.atomic
def transition(actor, incident_id: int, action: str, *, organization: Organization | None = None, reason: str = "",
               reply: str = "", satisfaction: int | None = None, item: EnforcementItem | None = None,
               priority: str | None = None, now: dt.datetime | None = None) -> Incident:
    """One step of the loop. ``organization`` for assign/transfer; ``reason`` for return, transfer
    and reopen; ``reply`` for reply; ``satisfaction`` (1–5) for evaluate."""
    incident = _locked(actor, incident_id)
    if action not in rules.TRANSITIONS or action == "merge":
        raise DomainError("unknown_action", f"未知操作“{action}”")
    if not may_act(actor, incident, action):
        raise PermissionDenied(f"无权对该事件执行“{rules.ACTION_LABELS[action]}”")
    if action == "assign" and organization is None:
        organization = incident.suggested_org
    refusal = rules.action_refusal(
        action, state=incident.state, reason=reason, satisfaction=satisfaction, reply=reply,
        same_org=organization is not None and organization.pk == incident.responsible_org_id,
        has_org=organization is not None, last_satisfaction=incident.satisfaction)
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
        incident.satisfaction, note = satisfaction, f"满意度 {satisfaction} 分"
    if action == "close":
        incident.closed_at = now
    if action == "reopen":
        incident.satisfaction = None
        incident.closed_at = None
    incident.save()
    _event(incident, actor, action, from_state, note, at=now)
    audit.record(actor, f"incident.{action}", incident, before=before, after=_snapshot(incident))
    return incident


@transaction.atomic
def merge_duplicate(actor, incident_id: int, into_id: int) -> Incident:
    """Close ``incident_id`` as a duplicate of ``into_id``: one problem is worked once."""
    if not (actor.is_superuser or actor.role in rules.DISPATCHERS):
        raise PermissionDenied("只有指挥中心可以合并重复事件")
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
    incident.overdue = incident.escalated = False
    incident.save()
    _event(incident, actor, "merge", from_state, f"合并到 {target.tracking_code}")
    audit.record(actor, "incident.merge", incident, before=before, after=_snapshot(incident))
    return incident


def sweep_deadlines(now: dt.datetime | None = None) -> dict[str, int]:
    """Mark incidents past their deadline overdue, and those past 3× the deadline escalated.
    Idempotent: a second run at the same time changes nothing and records nothing."""
    now = now or timezone.now()
    counts = {"overdue": 0, "escalated": 0}
    working = sorted(rules.WORKING_STATES)
    for flag, field, action in (("overdue", "due_at", "overdue"), ("escalated", "escalate_at", "escalate")):
        with transaction.atomic():
            due = list(Incident.objects.select_for_update(skip_locked=True)
                       .filter(state__in=working, **{f"{field}__lt": now, flag: False}))
            for incident in due:
                before = _snapshot(incident)
                setattr(incident, flag, True)
                if flag == "escalated":
                    incident.overdue = True
                incident.save(update_fields=["overdue", "escalated"])
                _event(incident, None, action, incident.state, at=now)
                audit.record(None, f"incident.{action}", incident, before=before, after=_snapshot(incident))
            counts[flag] = len(due)
    return counts


# ---- referrals --------------------------------------------------------------------------------

@transaction.atomic
def refer(actor, *, to_org: Organization, reason: str, incident_id: int | None = None, case_ref: str = "") -> Referral:
    """线索移送: the actor's body passes a lead to the body that has the power."""
    org = getattr(actor, "organization", None)
    if org is None or not (actor.is_superuser or actor.role in rules.HANDLERS | rules.DISPATCHERS):
        raise PermissionDenied("无权移送线索")
    if to_org.pk == org.pk:
        raise _field_error("to_org", "referral_same_org", "不能移送给本单位")
    if not reason.strip():
        raise _field_error("reason", "reason_required", "请填写移送理由")
    incident = _locked(actor, incident_id) if incident_id else None
    if incident is None and not case_ref.strip():
        raise _field_error("incident", "incident_or_case_required", "请关联事件或填写案件编号")
    now = timezone.now()
    due = district_calendar().add_working_days(timezone.localtime(now, _tz()).date(), REFERRAL_RECEIPT_WORKING_DAYS)
    referral = Referral.objects.create(from_org=org, to_org=to_org, incident=incident, case_ref=case_ref.strip(),
                                       reason=reason.strip(), sent_at=now, due_on=due)
    audit.record(actor, "referral.send", referral, after=audit.snapshot(referral, ("from_org", "to_org", "incident",
                                                                                    "case_ref", "reason", "due_on")))
    return referral


@transaction.atomic
def receive_referral(actor, referral_id: int, receipt: str) -> Referral:
    referral = Referral.objects.select_for_update(of=("self",)).select_related("to_org").filter(pk=referral_id).first()
    org = getattr(actor, "organization", None)
    if referral is None or org is None or not referral.to_org.path.startswith(org.path):
        raise NotFound()
    if referral.state != Referral.State.SENT:
        raise DomainError("referral_already_received", "该线索已接收")
    referral.state, referral.received_at, referral.receipt = Referral.State.RECEIVED, timezone.now(), receipt.strip()
    referral.save()
    audit.record(actor, "referral.receive", referral, after={"receipt": referral.receipt})
    return referral


# ---- jurisdiction disputes ---------------------------------------------------------------------

@transaction.atomic
def raise_dispute(actor, incident_id: int, other_org: Organization, reason: str) -> JurisdictionDispute:
    """The assigned body says another body must act. The incident stays with it until decided."""
    incident = _locked(actor, incident_id)
    if not may_act(actor, incident, "accept"):
        raise PermissionDenied("只有承办单位可以就该事件提出执法争议")
    if incident.state not in rules.WORKING_STATES:
        raise DomainError("dispute_not_in_work", "只有办理中的事件可以提出执法争议")
    if not reason.strip():
        raise _field_error("reason", "reason_required", "请填写理由")
    if other_org.pk == incident.responsible_org_id:
        raise _field_error("other_org", "dispute_same_org", "对方单位不能是本单位")
    if JurisdictionDispute.objects.filter(incident=incident, state=JurisdictionDispute.State.OPEN).exists():
        raise DomainError("dispute_already_open", "该事件已有待裁定的执法争议")
    now = timezone.now()
    deadline = district_calendar().add_working_days(timezone.localtime(now, _tz()).date(), DISPUTE_DECISION_WORKING_DAYS)
    dispute = JurisdictionDispute.objects.create(incident=incident, raised_by=incident.responsible_org, other_org=other_org,
                                                 raised_reason=reason.strip(), raised_at=now, deadline=deadline)
    audit.record(actor, "dispute.raise", dispute, after=audit.snapshot(
        dispute, ("incident", "raised_by", "other_org", "raised_reason", "deadline")))
    return dispute


@transaction.atomic
def answer_dispute(actor, dispute_id: int, reason: str) -> JurisdictionDispute:
    dispute = JurisdictionDispute.objects.select_for_update(of=("self",)).select_related("other_org").filter(pk=dispute_id).first()
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
    if not (actor.is_superuser or actor.role == rules.GUIDANCE_ROLE):
        raise PermissionDenied("执法争议由综合行政执法指导办公室裁定")
    dispute = JurisdictionDispute.objects.select_for_update().filter(pk=dispute_id).first()
    if dispute is None:
        raise NotFound()
    if dispute.state != JurisdictionDispute.State.OPEN:
        raise DomainError("dispute_decided", "争议已裁定")
    if not decision.strip():
        raise _field_error("decision", "decision_required", "请填写裁定意见")
    incident = Incident.objects.select_for_update(of=("self",)).select_related("item__domain").get(pk=dispute.incident_id)
    now = timezone.now()
    dispute.state, dispute.decided_org, dispute.decision = JurisdictionDispute.State.DECIDED, decided_org, decision.strip()
    dispute.decided_at, dispute.decided_by = now, actor if actor.__class__.__name__ != "ApiKey" else None
    dispute.save()
    audit.record(actor, "dispute.decide", dispute, after=audit.snapshot(dispute, ("decided_org", "decision", "decided_at")),
                 legal_basis="综合行政执法指导办公室协调裁定（执法争议协调机制）")
    before = _snapshot(incident)
    from_state = incident.state
    incident.responsible_org, incident.state, incident.assigned_at = decided_org, rules.ASSIGNED, now
    incident.replied_at = None
    _set_deadline(incident, now)
    incident.save()
    _event(incident, actor, "dispute_decided", from_state, f"裁定由{decided_org.name}承办：{dispute.decision}", at=now)
    audit.record(actor, "incident.dispute_decided", incident, before=before, after=_snapshot(incident))
    return dispute
