"""Every write of the discretion app: baselines (行政裁量权基准) drafted by the item's department,
reviewed and published by the 执法指导办 with their effective date, old versions kept for acts of
their time (行政处罚法第三十四条, 国办发〔2022〕27号); entries of the flexible lists drafted, reviewed,
published and revised by new versions (第三十二条、第三十三条, 行政强制法第十六条). Transactional,
permission-checked (``access.py``) and audited. Also ``recommend_for``, the read the cases app calls
to get a recommendation for a case."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from zhifa.catalog import rules as catalog_rules
from zhifa.catalog.models import EnforcementItem
from zhifa.core import access, audit
from zhifa.core.errors import DomainError, NotFound

from . import rules, selectors
from .models import (
    DRAFT,
    IN_FORCE,
    PUBLISHED,
    SUPERSEDED,
    CircumstanceLevel,
    DiscretionBaseline,
    FlexibleListEntry,
)

BASELINE_FIELDS = (
    "item",
    "version",
    "status",
    "effective_from",
    "effective_to",
    "statutory_kind",
    "statutory_low",
    "statutory_high",
    "document_number",
    "published_on",
    "approved_by",
)
ENTRY_FIELDS = (
    "kind",
    "item",
    "title",
    "conditions",
    "legal_basis",
    "first_offence_waiver",
    "version",
    "effective_from",
    "effective_to",
    "published_on",
    "status",
    "supersedes",
)


def _field_error(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def _amount(value: Any, field: str) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError, TypeError):
        raise _field_error(field, "应为数字", "not_a_number") from None
    if not amount.is_finite():
        raise _field_error(field, "应为数字", "not_a_number")
    return amount


def statutory_range_of(item: EnforcementItem, data: dict[str, Any]) -> rules.PenaltyRange:
    """The statutory range a baseline must stay within: the catalog's fixed fine range when the
    item has one; otherwise (multiples of gains or value, percent of cost) the range the baseline
    states from its legal basis."""
    if item.fine_max is not None:
        return rules.PenaltyRange(rules.FIXED, item.fine_min or Decimal("0"), item.fine_max)
    kind = data.get("statutory_kind") or ""
    if kind not in rules.RANGE_KIND_LABELS or kind == rules.NO_FINE:
        raise _field_error(
            "statutory_kind",
            "该事项在清单中没有固定罚款幅度，请写明法定幅度的计算方式（违法所得倍数、货值倍数或工程造价百分比）",
            "statutory_range_required",
        )
    if kind == rules.FIXED:
        raise _field_error(
            "statutory_kind",
            "该事项在清单中没有固定罚款幅度，不能按固定金额设定基准；请先在事项清单中补充法定罚款幅度",
            "item_has_no_fixed_range",
        )
    return rules.PenaltyRange(
        kind,
        _amount(data.get("statutory_low", 0), "statutory_low"),
        _amount(data.get("statutory_high"), "statutory_high"),
    )


def _levels(data: list[dict[str, Any]]) -> list[CircumstanceLevel]:
    levels = []
    for n, row in enumerate(data):
        levels.append(
            CircumstanceLevel(
                order=n + 1,
                name=row.get("name", ""),
                description=row.get("description", "") or "",
                conditions=row.get("conditions") or {},
                range_kind=row.get("range_kind") or rules.FIXED,
                range_low=_amount(row.get("range_low", 0), f"levels.{n}.range_low"),
                range_high=_amount(row.get("range_high", 0), f"levels.{n}.range_high"),
                other_penalties=row.get("other_penalties", "") or "",
                mitigated=bool(row.get("mitigated")),
            )
        )
    return levels


def _raise_problems(problems: list[rules.Problem]) -> None:
    errors: dict[str, list[ValidationError]] = {}
    for p in problems:
        key = p.field if p.index is None else f"levels.{p.index}.{p.field}"
        errors.setdefault(key, []).append(ValidationError(p.message, code=p.code))
    raise ValidationError(errors)


def _require_drafter(actor, item=None) -> None:
    if actor is not None:
        access.require(actor, "discretion.draft", item)


def _person(actor):
    from zhifa.organizations.models import User

    return actor if isinstance(actor, User) else None


@transaction.atomic
def create_baseline(actor, item: EnforcementItem, data: dict[str, Any]) -> DiscretionBaseline:
    """A new draft version of the item's baseline, validated in full (nothing is saved on error).
    ``data``: effective_from, levels (list of dicts), and for items without a fixed fine range
    statutory_kind / statutory_low / statutory_high / statutory_note; document_number."""
    item = EnforcementItem.objects.select_for_update().filter(pk=item.pk).first()
    if item is None:
        raise NotFound()
    _require_drafter(actor, item)
    if item.status != catalog_rules.IN_FORCE:
        raise DomainError("item_repealed", "该事项已废止，不能制定裁量基准", "item")
    if item.kind != catalog_rules.PENALTY:
        raise DomainError("item_not_penalty", "只有行政处罚事项才制定处罚裁量基准", "item")
    if not data.get("effective_from"):
        raise _field_error("effective_from", "请填写施行日期", "required")
    statutory = statutory_range_of(item, data)
    levels = _levels(data.get("levels") or [])
    problems = rules.validate_baseline(rules.Baseline(tuple(lv.to_rule() for lv in levels), statutory))
    if problems:
        _raise_problems(problems)
    last = DiscretionBaseline.objects.filter(item=item).order_by("-version").first()
    baseline = DiscretionBaseline.objects.create(
        item=item,
        version=(last.version + 1) if last else 1,
        status=DRAFT,
        effective_from=data["effective_from"],
        statutory_kind=statutory.kind,
        statutory_low=statutory.low,
        statutory_high=statutory.high,
        statutory_note=data.get("statutory_note") or item.fine_note[:300],
        document_number=data.get("document_number") or "",
        created_by=_person(actor),
    )
    for level in levels:
        level.baseline = baseline
    CircumstanceLevel.objects.bulk_create(levels)
    audit.record(
        actor,
        "baseline.create",
        baseline,
        after={
            **audit.snapshot(baseline, BASELINE_FIELDS),
            "levels": [
                {"name": lv.name, "conditions": lv.conditions, "range": str(lv.range)} for lv in levels
            ],
        },
        legal_basis=rules.ART34,
    )
    return baseline


@transaction.atomic
def approve_baseline(actor, baseline_id: int, published_on: dt.date | None = None) -> DiscretionBaseline:
    """Put a draft in force on its effective date and publish it (行政处罚法第三十四条). The version
    in force before it ends the day before; cases filed earlier keep that version."""
    if actor is not None:
        access.require(actor, "discretion.approve")
    baseline = DiscretionBaseline.objects.select_for_update().filter(pk=baseline_id).first()
    if baseline is None:
        raise NotFound()
    if baseline.status != DRAFT:
        raise DomainError("baseline_not_draft", "只有草稿状态的裁量基准可以批准")
    problems = rules.validate_baseline(baseline.to_rule())
    if problems:
        _raise_problems(problems)
    previous = list(
        DiscretionBaseline.objects.select_for_update().filter(
            item_id=baseline.item_id, status=IN_FORCE, effective_to__isnull=True
        )
    )
    for old in previous:
        if old.effective_from >= baseline.effective_from:
            raise DomainError(
                "effective_from_too_early",
                f"施行日期须晚于现行第{old.version}版的施行日期（{old.effective_from:%Y-%m-%d}）",
                "effective_from",
            )
        before = audit.snapshot(old, BASELINE_FIELDS)
        old.effective_to = baseline.effective_from - dt.timedelta(days=1)
        old.status = SUPERSEDED
        old.save(update_fields=["effective_to", "status"])
        audit.record(
            actor,
            "baseline.supersede",
            old,
            before=before,
            after=audit.snapshot(old, BASELINE_FIELDS),
            legal_basis=rules.ART34,
        )
    before = audit.snapshot(baseline, BASELINE_FIELDS)
    baseline.status = IN_FORCE
    baseline.approved_by = _person(actor)
    baseline.approved_at = timezone.now()
    baseline.published_on = published_on or timezone.localdate()
    baseline.save(update_fields=["status", "approved_by", "approved_at", "published_on"])
    audit.record(
        actor,
        "baseline.approve",
        baseline,
        before=before,
        after=audit.snapshot(baseline, BASELINE_FIELDS),
        legal_basis=rules.ART34,
    )
    return baseline


def _entry(
    actor, item: EnforcementItem, data: dict[str, Any], supersedes: FlexibleListEntry | None = None
) -> FlexibleListEntry:
    """A checked, unsaved entry (nothing saved on error)."""
    if item.status != catalog_rules.IN_FORCE:
        raise DomainError(
            "item_repealed",
            "该事项已废止，不能列入清单（没有法定依据的行政处罚无效，行政处罚法第三十八条）",
            "item",
        )
    kind = data.get("kind")
    if kind not in rules.LIST_KIND_LABELS:
        raise _field_error("kind", "请选择清单类别", "invalid_choice")
    conditions = data.get("conditions") or {}
    errors = rules.condition_errors(conditions, entry=True)
    if errors:
        raise _field_error("conditions", errors[0][1], errors[0][0])
    waiver = bool(data.get("first_offence_waiver"))
    if waiver and (kind != rules.NO_PENALTY or not conditions.get("first_offence")):
        raise _field_error(
            "first_offence_waiver",
            "首违不罚条目应列入不予处罚清单，并以“首次违法”为条件（行政处罚法第三十三条第一款）",
            "waiver_conditions",
        )
    for field, label in (
        ("title", "情形"),
        ("conditions_text", "适用条件"),
        ("legal_basis", "法律依据"),
        ("effective_from", "施行日期"),
    ):
        if not data.get(field):
            raise _field_error(field, f"请填写{label}", "required")
    if supersedes is not None and data["effective_from"] <= supersedes.effective_from:
        raise _field_error(
            "effective_from",
            f"修订后的施行日期须晚于原条目的施行日期（{supersedes.effective_from:%Y-%m-%d}）",
            "effective_from_too_early",
        )
    entry = FlexibleListEntry(
        kind=kind,
        item=item,
        title=data["title"],
        conditions_text=data["conditions_text"],
        conditions=conditions,
        legal_basis=data["legal_basis"],
        first_offence_waiver=waiver,
        version=(supersedes.version + 1) if supersedes else data.get("version") or 1,
        effective_from=data["effective_from"],
        effective_to=data.get("effective_to"),
        created_by=_person(actor),
        supersedes=supersedes,
    )
    entry.full_clean(exclude=["created_by", "supersedes", "approved_by"])
    return entry


def _publish(actor, entry: FlexibleListEntry, published_on: dt.date) -> None:
    """Publish an entry; the version it revises stops the day before the new one starts."""
    old = entry.supersedes
    if old is not None:
        old = FlexibleListEntry.objects.select_for_update().get(pk=old.pk)
        if old.status != PUBLISHED:
            raise DomainError("entry_not_published", "被修订的条目已不在施行，不能再修订", "supersedes")
        before = audit.snapshot(old, ENTRY_FIELDS)
        old.status, old.effective_to = SUPERSEDED, entry.effective_from - dt.timedelta(days=1)
        old.save(update_fields=["status", "effective_to"])
        audit.record(
            actor,
            "flexible_entry.supersede",
            old,
            before=before,
            after=audit.snapshot(old, ENTRY_FIELDS),
            legal_basis=rules.ART34,
        )
    entry.status, entry.published_on = PUBLISHED, published_on
    entry.approved_by, entry.approved_at = _person(actor), timezone.now()


@transaction.atomic
def add_list_entry(actor, item: EnforcementItem, data: dict[str, Any]) -> FlexibleListEntry:
    """Add an entry to a flexible list. Drafted by the item's department and left for review; the
    执法指导办 (or the system) may publish it at once by giving its publication date. Refused for a
    repealed item: an entry must rest on a power that exists (行政处罚法第三十八条)."""
    item = EnforcementItem.objects.filter(pk=item.pk).first()
    if item is None:
        raise NotFound()
    _require_drafter(actor, item)
    entry = _entry(actor, item, data)
    published_on = data.get("published_on")
    if published_on and (actor is None or access.can(actor, "discretion.approve")):
        _publish(actor, entry, published_on)
    entry.save()
    audit.record(
        actor,
        "flexible_entry.create",
        entry,
        after=audit.snapshot(entry, ENTRY_FIELDS),
        legal_basis=rules.ART33_1 if entry.first_offence_waiver else rules.ART34,
    )
    return entry


@transaction.atomic
def revise_list_entry(actor, entry_id: int, data: dict[str, Any]) -> FlexibleListEntry:
    """修订: a new version of a published entry, a draft until reviewed; from its date it replaces
    the old one, which stays for the days it was in force."""
    old = FlexibleListEntry.objects.select_related("item").filter(pk=entry_id).first()
    if old is None:
        raise NotFound()
    _require_drafter(actor, old.item)
    if old.status != PUBLISHED:
        raise DomainError("entry_not_published", "只能修订已公布施行的条目", "entry")
    if FlexibleListEntry.objects.filter(supersedes=old, status=DRAFT).exists():
        raise DomainError("revision_pending", "该条目已有待审核的修订", "entry")
    entry = _entry(actor, old.item, {**data, "kind": data.get("kind") or old.kind}, supersedes=old)
    entry.save()
    audit.record(
        actor,
        "flexible_entry.revise",
        entry,
        before=audit.snapshot(old, ENTRY_FIELDS),
        after=audit.snapshot(entry, ENTRY_FIELDS),
        legal_basis=rules.ART34,
    )
    return entry


@transaction.atomic
def approve_list_entry(actor, entry_id: int, published_on: dt.date | None = None) -> FlexibleListEntry:
    """审核公布: the 执法指导办 publishes a draft entry (a revision replaces its predecessor from its
    effective date)."""
    if actor is not None:
        access.require(actor, "discretion.approve")
    entry = FlexibleListEntry.objects.select_for_update().filter(pk=entry_id).first()
    if entry is None:
        raise NotFound()
    if entry.status != DRAFT:
        raise DomainError("entry_not_draft", "只有待审核的条目可以审核公布", "status")
    before = audit.snapshot(entry, ENTRY_FIELDS)
    _publish(actor, entry, published_on or timezone.localdate())
    entry.save(update_fields=["status", "published_on", "approved_by", "approved_at"])
    audit.record(
        actor,
        "flexible_entry.approve",
        entry,
        before=before,
        after=audit.snapshot(entry, ENTRY_FIELDS),
        legal_basis=rules.ART33_1 if entry.first_offence_waiver else rules.ART34,
    )
    return entry


def recommend_for(
    item: EnforcementItem | int, facts: rules.Facts | dict, on_date: dt.date
) -> rules.Recommendation:
    """The recommendation for a case of ``item`` with ``facts``, under the baseline and list entries
    in force on ``on_date`` (the case's filing date)."""
    if isinstance(facts, dict):
        facts = rules.Facts.from_dict(facts)
    baseline = selectors.baseline_in_force(item, on_date)
    if baseline is None:
        raise DomainError("no_baseline", f"该事项在 {on_date:%Y-%m-%d} 没有施行中的裁量基准", "item")
    entries = [e.to_rule() for e in selectors.entries_in_force(item, on_date)]
    return rules.recommend(baseline.to_rule(), entries, facts)
