"""Every write to the catalog's items: create, import, update, retire, publish. Transactional,
permission-checked (``access.py``) and audited with before and after.

Items enter the catalog in one shape, the *row* (``validation``): the demo data, an Excel row, the
item form and the API all go through ``validation.clean_row``. ``item_content`` turns an item back
into a row, which is what ``ItemHistory`` keeps (the catalog as of any date). Claims and township
choices are in ``claims``, revisions and transfers in ``revisions``, the demo loader in ``loading``;
this module re-exports them so that ``services.<name>`` stays the one entry point.

Articles: 行政处罚法第三十八条 (no item without a legal basis; no retirement while open cases rely on
it), 国办发〔2018〕118号 (公示: the catalog is published before enforcement).
Functions that take ``actor=None`` act as the system (demo loader, the daily task).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone

from zhifa.core import access, audit, refdata
from zhifa.core.errors import DomainError

from . import rules
from .models import CatalogRevision, CatalogVersion, ChecklistEntry, EnforcementItem, ItemHistory, LegalBasis
from .references import change_problems, open_reference_count
from .validation import FLAGS, ROW_KEYS, CleanRow, Lookups, clean_rows, money
from .validation import clean_row as clean_item_row
from .validation import validate_row as validate_item_row

__all__ = ["ROW_KEYS", "FLAGS", "CleanRow", "Lookups", "clean_item_row", "validate_item_row"]


def person(actor):
    """The user behind an actor, for the "by whom" columns; None for the system or an API key (the
    audit log names the key)."""
    from zhifa.organizations.models import User

    return actor if isinstance(actor, User) else None


def require_manager(actor) -> None:
    """The catalog is kept by the 执法指导办 (``catalog.manage``); ``None`` is the system."""
    if actor is not None:
        access.require(actor, "catalog.manage")


def item_content(item: EnforcementItem) -> dict[str, Any]:
    """An item as a row (what history and revisions keep). Use with ``domain``, ``regulator``,
    ``legal_bases`` and ``checklist`` loaded."""
    return {
        "code": item.code,
        "name": item.name,
        "kind": item.kind,
        "domain": item.domain.name,
        "legal_bases": [
            {"law": b.law, "article": b.article, "clause": b.clause, "text": b.text}
            for b in item.legal_bases.all()
        ],
        "penalty_types": list(item.penalty_types),
        "fine_min": money(item.fine_min),
        "fine_max": money(item.fine_max),
        "fine_note": item.fine_note,
        "regulator": item.regulator.name if item.regulator_id else None,
        "enforcing_body": item.enforcing_body,
        **{flag: getattr(item, flag) for flag in FLAGS},
        "township_library": item.township_library,
        "keywords": item.keywords,
        "checklist": [{"text": c.text, "legal_basis": c.legal_basis} for c in item.checklist.all()],
    }


def items_by_code(codes: Iterable[str], *, lock: bool = False) -> dict[str, EnforcementItem]:
    qs = EnforcementItem.objects.select_related("domain", "regulator").prefetch_related(
        "legal_bases", "checklist"
    )
    if lock:
        qs = qs.select_for_update(of=("self",))
    return {item.code: item for item in qs.filter(code__in=list(codes))}


def bump_version() -> None:
    """Tell per-process caches (the search index, the routing model's items) that the catalog
    changed."""
    token = uuid.uuid4().hex
    if not CatalogVersion.objects.filter(pk=1).update(version=F("version") + 1, token=token):
        CatalogVersion.objects.get_or_create(pk=1, defaults={"version": 1, "token": token})
    refdata.written()  # routing keeps the version per process (core.refdata)


# ---------------------------------------------------------------------------------------------
# What a change would break
# ---------------------------------------------------------------------------------------------


def change_refusals(item: EnforcementItem, new_content: dict[str, Any] | None) -> list[tuple[str, str]]:
    """Each way changing ``item`` to ``new_content`` (None: retiring it) would break what relies on
    it: open cases and inspections, the townships that chose it, published baselines and lists."""
    old = item_content(item)
    in_use = open_reference_count(item.pk)
    if new_content is None:
        refusals = [("item_in_use", rules.in_use_message(in_use))] if in_use else []
    else:
        chosen = item.township_choices.count() if item.township_library == rules.OPTIONAL else 0
        refusals = rules.change_refusals(old, new_content, open_references=in_use, township_choices=chosen)
    return refusals + change_problems(item, old, new_content)


def refuse_if_breaking(
    item: EnforcementItem, new_content: dict[str, Any] | None, field_name: str = "item_code"
) -> None:
    refusals = change_refusals(item, new_content)
    if refusals:
        code, message = refusals[0]
        raise DomainError(code, f"事项 {item.code}：{message}", field_name)


# ---------------------------------------------------------------------------------------------
# Writing one item
# ---------------------------------------------------------------------------------------------


def _open_version(
    item: EnforcementItem, content: dict, day: dt.date, revision: CatalogRevision | None = None
) -> None:
    """Record ``content`` as the item's version from ``day`` on, closing the current version
    the day before. A second write on the same day replaces that day's version."""
    current = ItemHistory.objects.select_for_update().filter(item=item, valid_to__isnull=True).first()
    if current is not None:
        if day < current.valid_from:
            raise DomainError(
                "revision_backdated",
                f"生效日期 {day} 早于事项 {item.code} 现行版本的生效日期 {current.valid_from}",
                "effective_on",
            )
        if day == current.valid_from:
            current.content, current.revision = content, revision
            current.save(update_fields=["content", "revision"])
            return
        current.valid_to = day - dt.timedelta(days=1)
        current.save(update_fields=["valid_to"])
    ItemHistory.objects.create(item=item, code=item.code, content=content, valid_from=day, revision=revision)


def _write_item(
    actor,
    clean: CleanRow,
    item: EnforcementItem | None,
    day: dt.date,
    *,
    revision: CatalogRevision | None = None,
    publish: bool = False,
) -> str:
    """Create or update one item from a clean row; returns "created", "updated" or "unchanged"."""
    before = item_content(item) if item is not None else None
    reinstated = item is not None and item.status == rules.REPEALED
    if before == clean.content and not reinstated:
        return "unchanged"
    if item is not None and not reinstated:
        refuse_if_breaking(item, clean.content)
    creating = item is None
    if creating:
        item = EnforcementItem(code=clean.code, effective_from=day)
    for name, value in clean.fields.items():
        setattr(item, name, value)
    if reinstated:
        item.status, item.effective_to = rules.IN_FORCE, None
    if publish and item.published_on is None:
        item.published_on = day
    item.save()
    if not creating:
        item.legal_bases.all().delete()
        item.checklist.all().delete()
    LegalBasis.objects.bulk_create(
        LegalBasis(item=item, order=n, **basis) for n, basis in enumerate(clean.legal_bases, 1)
    )
    ChecklistEntry.objects.bulk_create(
        ChecklistEntry(item=item, order=n, **entry) for n, entry in enumerate(clean.checklist, 1)
    )
    _open_version(item, clean.content, day, revision)
    action = "item.create" if creating else "item.reinstate" if reinstated else "item.update"
    audit.record(
        actor,
        action,
        item,
        before=before,
        after=clean.content,
        legal_basis=revision.legal_basis if revision else "",
    )
    return "created" if creating else "updated"


def _retire_item(actor, item: EnforcementItem, day: dt.date, revision: CatalogRevision | None) -> None:
    """取消: the item stops being in force after ``day - 1``. Refused while open records use it."""
    if item.status != rules.IN_FORCE:
        raise DomainError("item_repealed", f"事项 {item.code} 已废止", "item_code")
    refuse_if_breaking(item, None)
    before = audit.snapshot(item, ("status", "effective_to"))
    item.status, item.effective_to = rules.REPEALED, day - dt.timedelta(days=1)
    item.save(update_fields=["status", "effective_to", "updated_at"])
    current = ItemHistory.objects.select_for_update().filter(item=item, valid_to__isnull=True).first()
    if current is not None:
        if day < current.valid_from:
            raise DomainError(
                "revision_backdated",
                f"生效日期 {day} 早于事项 {item.code} 现行版本的生效日期 {current.valid_from}",
                "effective_on",
            )
        current.valid_to, current.retired = item.effective_to, True
        current.save(update_fields=["valid_to", "retired"])
    audit.record(
        actor,
        "item.retire",
        item,
        before=before,
        after=audit.snapshot(item, ("status", "effective_to")),
        legal_basis=revision.legal_basis if revision else "",
    )


# ---------------------------------------------------------------------------------------------
# Import (the Excel import, the revision of an imported file and the demo loader build on these)
# ---------------------------------------------------------------------------------------------


@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


_clean_rows = clean_rows  # the demo loader's name for it


def database_errors(rows: list[dict], cleaned: list[CleanRow], first_row: int) -> list[dict]:
    """Errors only the database can tell: a repealed item (restored only by a revision) and a
    change that would break what relies on the item."""
    number = {}
    for n, row in enumerate(rows, first_row):
        number.setdefault(str(row.get("code") or "").strip(), n)
    errors = []
    existing = items_by_code(c.code for c in cleaned)
    for clean in cleaned:
        item = existing.get(clean.code)
        if item is None:
            continue
        if item.status == rules.REPEALED:
            errors.append(
                {
                    "row": number.get(clean.code),
                    "column": "code",
                    "code": "item_repealed",
                    "message": f"事项 {clean.code} 已废止，恢复须经清单动态调整",
                }
            )
            continue
        if item_content(item) == clean.content:
            continue
        for code, message in change_refusals(item, clean.content):
            errors.append({"row": number.get(clean.code), "column": "code", "code": code, "message": message})
    return errors


def _save_clean_rows(
    actor, cleaned: list[CleanRow], day: dt.date, *, publish: bool, result: ImportResult
) -> None:
    existing = items_by_code((c.code for c in cleaned), lock=True)
    new_rows = []
    for clean in cleaned:
        item = existing.get(clean.code)
        if item is None:
            new_rows.append(clean)
            continue
        if item.status == rules.REPEALED:
            raise DomainError("item_repealed", f"事项 {clean.code} 已废止，恢复须经清单动态调整", "code")
        outcome = _write_item(actor, clean, item, day, publish=publish)
        getattr(result, outcome).append(clean.code)
    _create_items(actor, new_rows, day, publish=publish)
    result.created.extend(c.code for c in new_rows)


def _create_items(actor, cleaned: list[CleanRow], day: dt.date, *, publish: bool) -> None:
    """New items in bulk: the same rows, history and one audit event per item as ``_write_item``,
    in a handful of statements instead of several per item (a 5,000-row import)."""
    if not cleaned:
        return
    items = []
    for clean in cleaned:
        item = EnforcementItem(code=clean.code, effective_from=day, **clean.fields)
        if publish:
            item.published_on = day
        items.append(item)
    EnforcementItem.objects.bulk_create(items, batch_size=1000)
    if any(item.pk is None for item in items):  # backends that return no ids on bulk insert
        ids = dict(
            EnforcementItem.objects.filter(code__in=[c.code for c in cleaned]).values_list("code", "pk")
        )
        for item in items:
            item.pk = ids[item.code]
    LegalBasis.objects.bulk_create(
        (
            LegalBasis(item=item, order=n, **basis)
            for item, clean in zip(items, cleaned, strict=True)
            for n, basis in enumerate(clean.legal_bases, 1)
        ),
        batch_size=1000,
    )
    ChecklistEntry.objects.bulk_create(
        (
            ChecklistEntry(item=item, order=n, **entry)
            for item, clean in zip(items, cleaned, strict=True)
            for n, entry in enumerate(clean.checklist, 1)
        ),
        batch_size=1000,
    )
    ItemHistory.objects.bulk_create(
        (
            ItemHistory(item=item, code=item.code, content=clean.content, valid_from=day)
            for item, clean in zip(items, cleaned, strict=True)
        ),
        batch_size=1000,
    )
    audit.record_many(
        actor,
        [
            {"action": "item.create", "obj": item, "after": clean.content}
            for item, clean in zip(items, cleaned, strict=True)
        ],
    )


def import_items(
    actor,
    rows: list[dict],
    *,
    dry_run: bool = False,
    first_row: int = 2,
    publish: bool = False,
    day: dt.date | None = None,
    lookups: Lookups | None = None,
) -> ImportResult:
    """Validate every row (numbered from ``first_row``, 2 for a sheet with a header); when all are
    valid and this is not a dry run, create or update the items in one transaction. Any error
    saves nothing. Unchanged rows are left alone (no audit event, no new version)."""
    require_manager(actor)
    lookups = lookups or Lookups.load()
    cleaned, errors = clean_rows(rows, lookups, first_row)
    errors += database_errors(rows, cleaned, first_row)
    result = ImportResult(errors=errors, dry_run=dry_run)
    if errors:
        return result
    if dry_run:
        existing = set(
            EnforcementItem.objects.filter(code__in=[c.code for c in cleaned]).values_list("code", flat=True)
        )
        result.created = [c.code for c in cleaned if c.code not in existing]
        result.updated = [c.code for c in cleaned if c.code in existing]
        return result
    save_item_rows(actor, cleaned, publish=publish, day=day, result=result)
    return result


def save_item_rows(
    actor,
    rows: list[dict] | list[CleanRow],
    *,
    publish: bool = False,
    day: dt.date | None = None,
    result: ImportResult | None = None,
) -> ImportResult:
    """Create or update items from rows in one transaction, audited item by item. Rows that are
    not yet clean are validated first; any error refuses the whole batch (``import_invalid``)."""
    require_manager(actor)
    result = result or ImportResult()
    day = day or timezone.localdate()
    cleaned = [r for r in rows if isinstance(r, CleanRow)]
    raw = [r for r in rows if not isinstance(r, CleanRow)]
    if raw:
        more, errors = clean_rows(raw, Lookups.load(), 1)
        if errors:
            result.errors = errors
            raise DomainError(
                "import_invalid",
                f"有 {len(errors)} 处错误，未导入任何事项：{errors[0]['message']}",
                errors[0]["column"],
            )
        cleaned += more
    with transaction.atomic():
        _save_clean_rows(actor, cleaned, day, publish=publish, result=result)
        if result.created or result.updated:
            bump_version()
    return result


@transaction.atomic
def create_item(actor, row: dict[str, Any], *, publish: bool = False) -> EnforcementItem:
    """One new item from a form or the API; field errors as ValidationError named by column."""
    require_manager(actor)
    clean, errors = clean_item_row(row, None, Lookups.load())
    if errors:
        raise ValidationError(
            {e["column"]: ValidationError(e["message"], code=e["code"]) for e in reversed(errors)}
        )
    if EnforcementItem.objects.filter(code=clean.code).exists():
        raise ValidationError({"code": ValidationError(f"事项编码 {clean.code} 已存在", code="unique")})
    _write_item(actor, clean, None, timezone.localdate(), publish=publish)
    bump_version()
    return EnforcementItem.objects.get(code=clean.code)


@transaction.atomic
def publish_items(actor, item_ids: Iterable[int], day: dt.date | None = None) -> int:
    """公示: publish items on the public portal (三项制度, 国办发〔2018〕118号: powers published beforehand).
    Only items in force are published."""
    require_manager(actor)
    day = day or timezone.localdate()
    items = list(
        EnforcementItem.objects.select_for_update().filter(
            pk__in=list(item_ids), published_on__isnull=True, status=rules.IN_FORCE
        )
    )
    for item in items:
        item.published_on = day
        item.save(update_fields=["published_on", "updated_at"])
        audit.record(
            actor,
            "item.publish",
            item,
            before={"published_on": None},
            after={"published_on": day},
            legal_basis="国办发〔2018〕118号",
        )
    if items:
        bump_version()
    return len(items)


def unpublished_count() -> int:
    return EnforcementItem.objects.in_force().filter(published_on__isnull=True).aggregate(n=Count("pk"))["n"]


# The rest of the catalog's writes, reached through this module (``services.claim_item`` …) and
# imported on first use, so that those modules may import this one.
_ELSEWHERE = {
    "claims": (
        "CLAIM_FIELDS",
        "choose_optional_item",
        "claim_item",
        "claim_items",
        "township_team",
        "unchoose_optional_item",
        "withdraw_claim",
    ),
    "loading": ("COMPREHENSIVE_BUREAU_NAME", "LoadResult", "load_catalog", "comprehensive_bureau"),
    "revisions": (
        "REVISION_FIELDS",
        "apply_due_revisions",
        "approve_revision",
        "propose_revision",
        "reject_revision",
    ),
}
_WHERE = {name: module for module, names in _ELSEWHERE.items() for name in names}
__all__ += list(_WHERE)


def __getattr__(name: str):
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__package__}.{module}"), name)
