"""Revisions of the catalog (动态调整, plan 三.(一)3) and transfers of items between bodies (划转):
proposed by a department's administrator or the 执法指导办, reviewed by the 执法指导办 (never by the
proposer), applied and published on their effective date. Transactional, permission-checked and
audited.

* Each change carries the item's full new content as a row (``validation``); retiring an item is
  refused while open cases, inspections or published lists rely on it (行政处罚法第三十八条).
* A revision with ``transfer_to`` also moves the district claims of its items to that body and
  records an ``ItemTransfer`` per item (who held it before and after the date) — the "1+5"
  reform's transfer of whole fields to the comprehensive bureau (plan 三.(一)1).
* Applying publishes the changed items (国办发〔2018〕118号: powers published before enforcement).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from zhifa.core import access, audit
from zhifa.core.errors import DomainError, NotFound
from zhifa.core.models import AuditEvent
from zhifa.organizations.models import Organization

from . import rules, services
from .claims import CLAIM_FIELDS, claim_refusal, create_claim
from .models import CatalogRevision, Claim, EnforcementItem, ItemTransfer, RevisionChange
from .validation import CHANGE_KEYS, Lookups, clean_row, text

REVISION_FIELDS = (
    "title",
    "reason",
    "law",
    "document_number",
    "effective_on",
    "state",
    "proposed_by",
    "approved_by",
    "approved_at",
    "applied_at",
    "rejected_by",
    "reject_reason",
    "transfer_to",
)
REVISION_KEYS = ("title", "reason", "law", "document_number", "effective_on", "note", "transfer_to")


def _choice(value: Any, labels: dict[str, str]) -> str | None:
    value = text(value)
    if value in labels:
        return value
    return next((key for key, label in labels.items() if label == value), None)


def _change_errors(
    changes: list[dict], lookups: Lookups, transfer_to: Organization | None
) -> tuple[list[tuple[str, str, dict]], dict]:
    """Validate a revision's changes; returns (action, code, content) triples and field errors
    keyed ``changes.N.column``."""
    errors: dict[str, ValidationError] = {}
    parsed, seen = [], set()
    codes = [text(c.get("item_code") or (c.get("content") or {}).get("code")) for c in changes]
    existing = services.items_by_code(codes)
    for n, (change, code) in enumerate(zip(changes, codes, strict=True)):
        prefix = f"changes.{n}"
        unknown = sorted(set(change) - set(CHANGE_KEYS))
        if unknown:
            errors[f"{prefix}.{unknown[0]}"] = ValidationError(
                f"未知字段“{unknown[0]}”", code="unknown_field"
            )
            continue
        action = _choice(change.get("action"), rules.CHANGE_ACTION_LABELS)
        if action is None:
            errors[f"{prefix}.action"] = ValidationError(
                "调整方式应为新增、调整或取消", code="invalid_choice"
            )
            continue
        if not code:
            errors[f"{prefix}.item_code"] = ValidationError("请填写事项编码", code="required")
            continue
        if code in seen:
            errors[f"{prefix}.item_code"] = ValidationError(
                f"事项 {code} 在本次调整中出现多次", code="duplicate_change"
            )
            continue
        seen.add(code)
        item = existing.get(code)
        status = item.status if item is not None else None
        if action == rules.ADD and status == rules.IN_FORCE:
            errors[f"{prefix}.item_code"] = ValidationError(
                f"事项 {code} 已在清单中，请使用“调整”", code="item_exists"
            )
            continue
        if action in (rules.CHANGE, rules.RETIRE) and status != rules.IN_FORCE:
            errors[f"{prefix}.item_code"] = ValidationError(
                f"清单中没有有效的事项 {code}", code="item_not_found"
            )
            continue
        content = {}
        if action == rules.RETIRE:
            refusals = services.change_refusals(item, None)
        else:
            clean, row_errors = clean_row({**(change.get("content") or {}), "code": code}, None, lookups)
            for e in row_errors:
                errors.setdefault(
                    f"{prefix}.content.{e['column']}", ValidationError(e["message"], code=e["code"])
                )
            if clean is None:
                continue
            content = clean.content
            refusals = (
                services.change_refusals(item, content)
                if item is not None and status == rules.IN_FORCE
                else []
            )
            if transfer_to is not None:
                probe = EnforcementItem(
                    status=rules.IN_FORCE,
                    enforcing_body=clean.enforcing_body,
                    township_library=clean.township_library,
                )
                refusal = claim_refusal(probe, transfer_to)
                if refusal:
                    refusals.append(refusal)
        if refusals:
            errors[f"{prefix}.item_code"] = ValidationError(
                f"事项 {code}：{refusals[0][1]}", code=refusals[0][0]
            )
            continue
        parsed.append((action, code, content))
    return parsed, errors


@transaction.atomic
def propose_revision(
    actor, data: dict[str, Any], changes: list[dict], *, source: str = ""
) -> CatalogRevision:
    """A draft change set: ``data`` has title, reason, law, document_number, effective_on, note and
    optionally transfer_to (an Organization); each change ``{"action": add|change|retire,
    "item_code", "content": row}``. Every error of every change is reported; nothing is saved then.
    ``actor=None`` is the system (the demo loader writing the catalog's history)."""
    if actor is not None:
        access.require(actor, "catalog.propose")
    errors: dict[str, ValidationError] = {}
    for key in sorted(set(data) - set(REVISION_KEYS)):
        errors[key] = ValidationError(f"未知字段“{key}”", code="unknown_field")
    reason = _choice(data.get("reason"), rules.REVISION_REASON_LABELS)
    if reason is None:
        errors["reason"] = ValidationError("请选择调整原因", code="invalid_choice")
    if not text(data.get("title")):
        errors["title"] = ValidationError("请填写标题", code="required")
    effective_on = data.get("effective_on")
    if not isinstance(effective_on, dt.date):
        errors["effective_on"] = ValidationError("请填写生效日期", code="required")
    if reason in ("law_made", "law_amended", "law_repealed") and not text(data.get("law")):
        errors["law"] = ValidationError("因法律法规变化调整清单，须写明相关法律法规", code="required")
    transfer_to = data.get("transfer_to")
    if transfer_to is not None and not (
        isinstance(transfer_to, Organization) and transfer_to.is_enforcement_body
    ):
        errors["transfer_to"] = ValidationError("划入单位应为执法主体", code="invalid_choice")
        transfer_to = None
    if not changes:
        errors["changes"] = ValidationError("调整至少包含一个事项", code="required")
    parsed, change_errors = _change_errors(changes, Lookups.load(), transfer_to)
    errors.update(change_errors)
    if errors:
        raise ValidationError(errors)
    revision = CatalogRevision.objects.create(
        title=text(data["title"]),
        reason=reason,
        law=text(data.get("law")).strip("《》"),
        document_number=text(data.get("document_number")),
        effective_on=effective_on,
        note=text(data.get("note")),
        proposed_by=services.person(actor),
        transfer_to=transfer_to,
    )
    RevisionChange.objects.bulk_create(
        RevisionChange(revision=revision, order=n, action=action, item_code=code, content=content)
        for n, (action, code, content) in enumerate(parsed, 1)
    )
    audit.record(
        actor,
        "revision.propose",
        revision,
        after={
            **audit.snapshot(revision, REVISION_FIELDS),
            "changes": [[a, c] for a, c, _ in parsed],
            "source": source,
        },
        legal_basis=revision.legal_basis,
    )
    return revision


def _transfer(actor, revision: CatalogRevision, item: EnforcementItem, previous_body: str) -> None:
    """Move the item's district claim to ``revision.transfer_to`` and record who held it before."""
    target = revision.transfer_to
    current = (
        Claim.objects.select_for_update()
        .select_related("organization")
        .filter(item=item, level=rules.DISTRICT_LEVEL)
        .first()
    )
    source = current.organization if current is not None else None
    if source is not None and source.pk == target.pk:
        return
    if current is not None:
        before = audit.snapshot(current, CLAIM_FIELDS)
        pk = current.pk
        current.delete()
        audit.record(
            actor,
            "claim.withdraw",
            object_type="catalog.Claim",
            object_id=pk,
            before=before,
            legal_basis=revision.legal_basis,
            organization=source,
        )
    if rules.needs_district_claim(item.enforcing_body, item.township_library):
        create_claim(actor, item, target)
    transfer = ItemTransfer.objects.create(
        item=item,
        from_organization=source,
        to_organization=target,
        effective_on=revision.effective_on,
        previous_enforcing_body=previous_body,
        new_enforcing_body=item.enforcing_body,
        revision=revision,
    )
    audit.record(
        actor,
        "item.transfer",
        transfer,
        legal_basis=revision.legal_basis,
        after={
            "item": item.pk,
            "code": item.code,
            "from": source.pk if source else None,
            "to": target.pk,
            "effective_on": revision.effective_on,
            "previous_enforcing_body": previous_body,
            "new_enforcing_body": item.enforcing_body,
        },
    )


def _apply_revision(actor, revision: CatalogRevision) -> None:
    """Apply every change on the revision's effective date; any refusal undoes them all."""
    day = revision.effective_on
    changes = list(revision.changes.all())
    items = services.items_by_code((c.item_code for c in changes), lock=True)
    lookups = Lookups.load()
    for change in changes:
        item = items.get(change.item_code)
        if change.action == rules.RETIRE:
            if item is None:
                raise DomainError("item_not_found", f"清单中没有事项 {change.item_code}", "item_code")
            services._retire_item(actor, item, day, revision)
            continue
        clean, errors = clean_row({**change.content, "code": change.item_code}, None, lookups)
        if errors:
            raise DomainError(
                errors[0]["code"], f"事项 {change.item_code}：{errors[0]['message']}", errors[0]["column"]
            )
        if change.action == rules.ADD and item is not None and item.status == rules.IN_FORCE:
            raise DomainError("item_exists", f"事项 {change.item_code} 已在清单中", "item_code")
        if change.action == rules.CHANGE and (item is None or item.status != rules.IN_FORCE):
            raise DomainError("item_not_found", f"清单中没有有效的事项 {change.item_code}", "item_code")
        previous_body = item.enforcing_body if item is not None else ""
        services._write_item(actor, clean, item, day, revision=revision, publish=True)
        if revision.transfer_to_id:
            _transfer(actor, revision, EnforcementItem.objects.get(code=change.item_code), previous_body)
    before = audit.snapshot(revision, REVISION_FIELDS)
    revision.state, revision.applied_at, revision.apply_error = rules.APPLIED, timezone.now(), ""
    revision.save(update_fields=["state", "applied_at", "apply_error"])
    audit.record(
        actor,
        "revision.apply",
        revision,
        before=before,
        after=audit.snapshot(revision, REVISION_FIELDS),
        legal_basis=revision.legal_basis,
    )
    services.bump_version()


def _locked_draft(revision_id: int) -> CatalogRevision:
    revision = CatalogRevision.objects.select_for_update().filter(pk=revision_id).first()
    if revision is None:
        raise NotFound()
    if revision.state != rules.DRAFT:
        raise DomainError("revision_not_draft", "该调整已审核", "state")
    return revision


def _proposed_by(revision: CatalogRevision, actor) -> bool:
    """Whether ``actor`` proposed the revision (a user, or an API key named in the audit log)."""
    if actor is None:
        return False
    if services.person(actor) is not None:
        return revision.proposed_by_id == actor.pk
    return AuditEvent.objects.filter(
        action="revision.propose",
        object_type="catalog.CatalogRevision",
        object_id=str(revision.pk),
        actor_name=actor.get_username(),
    ).exists()


@transaction.atomic
def approve_revision(
    actor, revision_id: int, *, today: dt.date | None = None, effective_on: dt.date | None = None
) -> CatalogRevision:
    """审核通过: approve a draft and set its effective date (the proposer's unless the reviewer
    names a later one); when that date has come, apply and publish it at once (otherwise the daily
    task does on that date). Nobody approves their own proposal. ``actor=None`` is the system."""
    if actor is not None:
        access.require(actor, "catalog.review")
    revision = _locked_draft(revision_id)
    if _proposed_by(revision, actor):
        raise DomainError("approver_is_proposer", "提出人不能审批自己提出的调整", "approved_by")
    today = today or timezone.localdate()
    before = audit.snapshot(revision, REVISION_FIELDS)
    if effective_on is not None and effective_on != revision.effective_on:
        if effective_on < today:
            raise DomainError("effective_on_past", "审核时改定的生效日期不能早于今天", "effective_on")
        revision.effective_on = effective_on
    revision.state, revision.approved_by, revision.approved_at = (
        rules.APPROVED,
        services.person(actor),
        timezone.now(),
    )
    revision.save(update_fields=["state", "approved_by", "approved_at", "effective_on"])
    audit.record(
        actor,
        "revision.approve",
        revision,
        before=before,
        after=audit.snapshot(revision, REVISION_FIELDS),
        legal_basis=revision.legal_basis,
    )
    if rules.revision_due(revision.state, revision.effective_on, today):
        _apply_revision(actor, revision)
    return revision


@transaction.atomic
def reject_revision(actor, revision_id: int, reason: str) -> CatalogRevision:
    """退回: the reviewer sends a draft back with the reason; the proposer may propose again."""
    access.require(actor, "catalog.review")
    revision = _locked_draft(revision_id)
    reason = text(reason)
    if not reason:
        raise ValidationError({"reason": ValidationError("请写明退回理由", code="required")})
    before = audit.snapshot(revision, REVISION_FIELDS)
    revision.state, revision.rejected_by, revision.rejected_at, revision.reject_reason = (
        rules.REJECTED,
        services.person(actor),
        timezone.now(),
        reason[:2000],
    )
    revision.save(update_fields=["state", "rejected_by", "rejected_at", "reject_reason"])
    audit.record(
        actor, "revision.reject", revision, before=before, after=audit.snapshot(revision, REVISION_FIELDS)
    )
    return revision


def apply_due_revisions(today: dt.date | None = None) -> dict[int, str]:
    """The daily task: apply every approved revision whose effective date has come, oldest
    first, each in its own transaction. Idempotent: applied revisions are not touched again. A
    refused one stays approved with the reason, and is tried again the next day."""
    today = today or timezone.localdate()
    outcome = {}
    due = CatalogRevision.objects.filter(state=rules.APPROVED, effective_on__lte=today).order_by(
        "effective_on", "pk"
    )
    for revision_id in list(due.values_list("pk", flat=True)):
        try:
            with transaction.atomic():
                revision = (
                    CatalogRevision.objects.select_for_update(skip_locked=True)
                    .filter(pk=revision_id, state=rules.APPROVED)
                    .first()
                )
                if revision is None:
                    continue
                _apply_revision(None, revision)
            outcome[revision_id] = "applied"
        except (DomainError, ValidationError) as exc:
            message = getattr(exc, "message", None) or "; ".join(exc.messages)
            CatalogRevision.objects.filter(pk=revision_id).update(apply_error=message)
            outcome[revision_id] = message
    return outcome
