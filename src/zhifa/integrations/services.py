"""Every write of the integrations.

Status feedback: ``on_incident_event`` (a dispatch events listener) writes one ``Delivery`` per
interested subscriber inside the dispatch transaction (an outbox); after the commit the delivery
is handed to a Celery task (``schedule``), which ``deliver``s it: one signed POST, logged, then
delivered, retried later with backoff, or dead. A receiver that is down delays nothing in the
loop. ``flush`` picks up what is due (a lost task, a worker restart); ``replay`` sends a dead
delivery again on an administrator's word.

审管联动: ``record_approval`` stores a signed, idempotent approval push and creates the
post-approval check for the supervising department; ``finish_post_approval_check`` closes it.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import secrets
import threading
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.db import IntegrityError, connections, transaction
from django.utils import timezone

from zhifa.catalog import rules as catalog_rules
from zhifa.catalog.models import Claim, EnforcementItem
from zhifa.core import access, audit, refdata
from zhifa.core.errors import DomainError
from zhifa.dispatch.models import Incident
from zhifa.organizations.models import Organization

from . import rules
from .adapters import ADAPTERS
from .models import (
    Delivery,
    DeliveryAttempt,
    InboundClient,
    LicenceApproval,
    PostApprovalCheck,
    SeenSignature,
    Subscriber,
)

log = logging.getLogger(__name__)


def new_secret() -> str:
    return secrets.token_urlsafe(32)


# ---- the outbox ---------------------------------------------------------------------------------


def subscribers_for(incident: Incident) -> list[Subscriber]:
    """The subscribers of the body whose API key pushed the incident."""
    kind, _, pk = (incident.caller or "").partition(":")
    if kind != "apikey" or not pk.isdigit():
        return []
    from django.db.models import Subquery

    from zhifa.api.models import ApiKey

    def read() -> list[Subscriber]:
        sender = ApiKey.objects.filter(pk=int(pk)).values("organization_id")[:1]
        return list(
            Subscriber.objects.filter(organization_id=Subquery(sender), is_active=True).order_by("pk")
        )

    return refdata.kept(("integrations.subscribers", int(pk)), read)  # every intake asks


def on_incident_event(incident: Incident, event: str, details: dict) -> None:
    """Write the deliveries of one status event (inside the dispatch transaction), send after commit."""
    now = timezone.now()
    made = []
    for subscriber in subscribers_for(incident):
        if not subscriber.wants(event):
            continue
        delivery = Delivery(
            subscriber=subscriber, incident=incident, event=event, next_attempt_at=now, created_at=now
        )
        delivery.payload = ADAPTERS[subscriber.adapter].body(
            incident, event, str(delivery.event_id), now, details
        )
        delivery.save()
        made.append(delivery.pk)
    if made:
        transaction.on_commit(lambda: [schedule(pk) for pk in made])


def mode() -> str:
    """How deliveries are sent: by Celery workers (a broker is configured), in a background
    thread (the embedded demo), or only when called (tests)."""
    configured = getattr(settings, "ZHIFA_WEBHOOK_MODE", "")
    if configured:
        return configured
    return "thread" if settings.CELERY_TASK_ALWAYS_EAGER else "celery"


def schedule(delivery_id: int, countdown: float = 0) -> None:
    how = mode()
    if how == "celery":
        from .tasks import deliver_task

        deliver_task.apply_async((delivery_id,), countdown=max(0, countdown))
    elif how == "thread":
        timer = threading.Timer(max(0.0, countdown), _deliver_in_thread, [delivery_id])
        timer.daemon = True
        timer.start()


def _deliver_in_thread(delivery_id: int) -> None:
    try:
        deliver(delivery_id)
    except Exception:  # noqa: BLE001 (a background send must never take the process down)
        log.exception("delivery %s failed", delivery_id)
    finally:
        connections.close_all()


def _claim(delivery_id: int, now: dt.datetime, replay: bool) -> Delivery | None:
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(skip_locked=True)
            .select_related("subscriber")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or delivery.state in (Delivery.State.DELIVERED, Delivery.State.DEAD):
            return None
        if delivery.state == Delivery.State.SENDING and delivery.lease_until and delivery.lease_until > now:
            return None  # another worker is sending it
        if not replay and delivery.next_attempt_at > now + dt.timedelta(seconds=5):
            return None  # not due yet
        delivery.state, delivery.lease_until = (
            Delivery.State.SENDING,
            now + dt.timedelta(seconds=rules.LEASE_SECONDS),
        )
        delivery.attempts += 1
        delivery.save(update_fields=["state", "lease_until", "attempts"])
        return delivery


def _post(subscriber: Subscriber, delivery: Delivery) -> tuple[int | None, str, str, int]:
    body = json.dumps(delivery.payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode(
        "utf-8"
    )
    timestamp = int(time.time())
    request = urllib.request.Request(
        subscriber.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "zhifa-webhooks/1",
            "X-Zhifa-Event": delivery.event,
            "X-Zhifa-Event-Id": str(delivery.event_id),
            "X-Zhifa-Timestamp": str(timestamp),
            "X-Zhifa-Signature": rules.sign(subscriber.secret, timestamp, body),
        },
    )
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=rules.TIMEOUT_SECONDS) as response:  # noqa: S310 (configured URL)
            status, text, error = response.status, response.read(2000).decode("utf-8", "replace"), ""
    except urllib.error.HTTPError as exc:
        status, text, error = exc.code, exc.read(2000).decode("utf-8", "replace"), ""
    except (urllib.error.URLError, OSError, ValueError) as exc:
        status, text, error = None, "", str(getattr(exc, "reason", exc))[:500]
    return status, text, error, int((time.perf_counter() - started) * 1000)


def deliver(delivery_id: int, *, now: dt.datetime | None = None, replay: bool = False) -> Delivery | None:
    """One attempt: POST the signed message, log what came back, then mark it delivered, retry it
    later (backoff) or give up (dead). A delivered or dead delivery is never sent again (unless
    an administrator replays it)."""
    now = now or timezone.now()
    delivery = _claim(delivery_id, now, replay)
    if delivery is None:
        return None
    status, text, error, duration = _post(delivery.subscriber, delivery)
    with transaction.atomic():
        DeliveryAttempt.objects.create(
            delivery=delivery,
            at=now,
            status_code=status,
            response=text[:2000],
            error=error,
            duration_ms=duration,
            replay=replay or delivery.replayed_at is not None,
        )
        delivery.last_status, delivery.last_error, delivery.lease_until = (
            status,
            error or (text[:500] if status else ""),
            None,
        )
        if rules.delivered(status):
            delivery.state, delivery.delivered_at, delivery.last_error = (
                Delivery.State.DELIVERED,
                timezone.now(),
                "",
            )
        else:
            later = rules.next_attempt(delivery.attempts, now)
            if later is None:
                delivery.state = Delivery.State.DEAD
            else:
                delivery.state, delivery.next_attempt_at = Delivery.State.RETRYING, later
        delivery.save(
            update_fields=[
                "state",
                "delivered_at",
                "last_status",
                "last_error",
                "lease_until",
                "next_attempt_at",
            ]
        )
    if delivery.state == Delivery.State.RETRYING:
        schedule(delivery.pk, countdown=(delivery.next_attempt_at - now).total_seconds())
    return delivery


def flush(now: dt.datetime | None = None, limit: int = 500) -> dict[str, int]:
    """Send what is due: new or retrying deliveries whose time has come, and sends whose worker
    was lost (lease expired). Forget accepted inbound signatures older than the replay window.
    Idempotent: a second run at once finds nothing due."""
    now = now or timezone.now()
    from django.db.models import Q

    due = list(
        Delivery.objects.filter(
            Q(state__in=[Delivery.State.PENDING, Delivery.State.RETRYING], next_attempt_at__lte=now)
            | Q(state=Delivery.State.SENDING, lease_until__lt=now)
        )
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    sent = 0
    for pk in due:
        Delivery.objects.filter(pk=pk, state=Delivery.State.SENDING).update(state=Delivery.State.RETRYING)
        sent += deliver(pk, now=now) is not None
    forgotten, _ = SeenSignature.objects.filter(
        at__lt=now - dt.timedelta(seconds=2 * rules.TOLERANCE_SECONDS)
    ).delete()
    return {"due": len(due), "sent": sent, "forgotten_signatures": forgotten}


@transaction.atomic
def replay(actor, delivery_id: int) -> Delivery:
    """Send a dead (or still failing) delivery again, with the same event id."""
    access.require(actor, "integrations.replay")
    delivery = access.get_visible(actor, Delivery.objects.select_for_update(of=("self",)), delivery_id)
    if delivery.state not in (Delivery.State.DEAD, Delivery.State.RETRYING):
        raise DomainError("not_replayable", "只有失败或等待重试的回调可以重放", "delivery")
    delivery.state, delivery.attempts = Delivery.State.PENDING, 0
    delivery.next_attempt_at = delivery.replayed_at = timezone.now()
    delivery.save(update_fields=["state", "attempts", "next_attempt_at", "replayed_at"])
    audit.record(
        actor,
        "integrations.replay",
        delivery,
        after={"event_id": str(delivery.event_id), "subscriber": delivery.subscriber_id},
    )
    transaction.on_commit(lambda: schedule(delivery.pk))
    return delivery


# ---- inbound: signed pushes ------------------------------------------------------------------------


class SignatureRefused(DomainError):
    status = 401


def authenticate_push(
    client_code: str | None,
    timestamp: str | None,
    signature: str | None,
    body: bytes,
    now: float | None = None,
) -> InboundClient:
    """The client of a signed push, or a 401 naming what is wrong; a signature seen before is a
    replay (409)."""
    client = InboundClient.objects.filter(code=client_code, is_active=True).first() if client_code else None
    if client is None:
        raise SignatureRefused("unknown_client", "未知或已停用的接入系统（X-Zhifa-Client）", "X-Zhifa-Client")
    refusal = rules.check_signature(
        client.secret, timestamp, signature, body, now if now is not None else time.time()
    )
    if refusal:
        raise SignatureRefused(refusal.code, refusal.message, refusal.field)
    digest = signature.strip().removeprefix(rules.SIGNATURE_PREFIX)[:64]
    try:
        with transaction.atomic():
            SeenSignature.objects.create(client=client, signature=digest, at=timezone.now())
    except IntegrityError:
        error = DomainError(
            "replayed", "该签名的请求已处理过（重放）；重发请生成新的时间戳和签名", "X-Zhifa-Signature"
        )
        error.status = 409
        raise error from None
    return client


def _supervisor_of(item: EnforcementItem | None, named: str) -> Organization | None:
    if named:
        return Organization.objects.filter(name=named, is_active=True).first()
    if item is None:
        return None
    if item.regulator_id:
        return item.regulator
    claim = (
        Claim.objects.filter(item=item, level=catalog_rules.DISTRICT_LEVEL)
        .select_related("organization")
        .first()
    )
    return claim.organization if claim else None


@transaction.atomic
def record_approval(client: InboundClient, data) -> tuple[LicenceApproval, bool]:
    """审管联动: store a licence approval (once per the client's approval id) and create the
    post-approval check for the department that supervises the item, with its deadline."""
    from django.core.exceptions import ValidationError

    from zhifa.parties.models import Party

    existing = (
        LicenceApproval.objects.filter(client=client, approval_id=data.approval_id)
        .select_related("post_check")
        .first()
    )
    if existing is not None:
        return existing, False
    item = (
        EnforcementItem.objects.select_related("domain", "regulator").filter(code=data.item_code).first()
        if data.item_code
        else None
    )
    if data.item_code and item is None:
        raise ValidationError(
            {"item_code": ValidationError(f"执法事项目录中没有编码 {data.item_code}", code="unknown_item")}
        )
    supervisor = _supervisor_of(item, data.supervising_org)
    if supervisor is None:
        raise ValidationError(
            {
                "supervising_org": ValidationError(
                    "无法确定监管部门：请提供 supervising_org（机构全称）或已认领的 item_code",
                    code="supervisor_unknown",
                )
            }
        )
    if data.valid_to and data.valid_to < data.approved_on:
        raise ValidationError(
            {"valid_to": ValidationError("有效期不能早于审批日期", code="valid_to_before_approval")}
        )
    if data.approved_on > timezone.localdate():
        raise ValidationError(
            {"approved_on": ValidationError("审批日期不能晚于今天", code="approved_in_future")}
        )
    party = Party.objects.filter(uscc=data.uscc).first() if data.uscc else None
    now = timezone.now()
    try:
        with transaction.atomic():
            approval = LicenceApproval.objects.create(
                client=client,
                approval_id=data.approval_id,
                licence_no=data.licence_no,
                licence_name=data.licence_name,
                item=item,
                party=party,
                party_name=data.party_name,
                uscc=data.uscc,
                address=data.address,
                approved_on=data.approved_on,
                valid_to=data.valid_to,
                supervising_org=supervisor,
                payload=audit.jsonable(data.model_dump()),
                received_at=now,
            )
    except IntegrityError:  # the same push, concurrently: the other one stored it
        return LicenceApproval.objects.get(client=client, approval_id=data.approval_id), False
    check = PostApprovalCheck.objects.create(
        approval=approval,
        organization=supervisor,
        created_at=now,
        deadline=rules.check_deadline(
            data.approved_on, item.domain.name if item else None, data.check_within_days
        ),
    )
    audit.record(
        None,
        "approval.receive",
        approval,
        organization=supervisor,
        after={
            "approval_id": approval.approval_id,
            "party": approval.party_name,
            "check_deadline": check.deadline,
        },
        legal_basis="审管联动：审批信息推送监管部门开展批后监管",
    )
    return approval, True


@transaction.atomic
def finish_post_approval_check(actor, check_id: int, *, outcome: str, result: str) -> PostApprovalCheck:
    check = access.get_visible(actor, PostApprovalCheck.objects.select_for_update(of=("self",)), check_id)
    access.require(actor, "integrations.work_post_approval_check", check)
    from django.core.exceptions import ValidationError

    if check.state != PostApprovalCheck.State.OPEN:
        raise DomainError("check_done", "该批后监管任务已完成")
    if outcome not in rules.CHECK_OUTCOMES:
        raise ValidationError({"outcome": ValidationError("请选择检查结论", code="outcome_required")})
    if not (result or "").strip():
        raise ValidationError({"result": ValidationError("请填写检查情况", code="result_required")})
    check.state, check.outcome, check.result = PostApprovalCheck.State.DONE, outcome, result.strip()
    check.done_at, check.done_by = timezone.now(), actor
    check.save()
    audit.record(
        actor,
        "approval.check_done",
        check,
        organization=check.organization,
        after={"outcome": outcome, "result": check.result},
    )
    return check
