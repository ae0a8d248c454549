"""Every write to the catalog: transactional, permission-checked and audited.

Items enter the catalog in one shape, the *row* (a dict as in ``demo_items.py`` or an Excel row):
``validate_item_row`` checks one row and names its errors by column; ``import_items`` /
``save_item_rows`` write validated rows in one transaction; revisions carry rows as their new
content; ``item_content`` turns an item back into a row, which is also what ``ItemHistory`` keeps.
Functions that take ``actor=None`` act as the system (demo loader, the daily task).
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from zhifa.core import audit
from zhifa.core.errors import DomainError, NotFound, PermissionDenied
from zhifa.core.scopes import Scope
from zhifa.organizations.models import Organization, Region

from . import rules
from .models import (
    CatalogRevision,
    CatalogVersion,
    ChecklistEntry,
    Claim,
    Domain,
    EnforcementItem,
    ItemHistory,
    LegalBasis,
    RevisionChange,
    TownshipItemChoice,
)
from .references import open_reference_count

# ---------------------------------------------------------------------------------------------
# Rows: parsing and validation
# ---------------------------------------------------------------------------------------------

#: The keys of a row, in the order of the demo data and the Excel template.
ROW_KEYS = (
    "code", "name", "kind", "domain", "legal_bases", "penalty_types", "fine_min", "fine_max", "fine_note",
    "regulator", "enforcing_body", "high_frequency", "high_demand", "high_comprehensiveness", "key_supervision",
    "township_library", "keywords", "checklist",
)
FLAGS = ("high_frequency", "high_demand", "high_comprehensiveness", "key_supervision")
_LIST_SEPARATORS = re.compile(r"[,，、;；\s]+")
_TRUE = {"1", "true", "yes", "y", "是", "√", "✓"}
_FALSE = {"", "0", "false", "no", "n", "否", "×"}
_CENT = Decimal("0.01")


@dataclass
class Lookups:
    """Domains and organisations by name, loaded once per import (two queries)."""

    domains: dict[str, Domain]
    organizations: dict[str, Organization]
    strict_regulator: bool = True  # an unknown regulator name is an error (import) or left empty (demo)

    @classmethod
    def load(cls, *, strict_regulator: bool = True) -> Lookups:
        domains: dict[str, Domain] = {}
        for domain in Domain.objects.all():
            domains[domain.name] = domains[domain.code] = domain
        organizations: dict[str, Organization] = {}
        for org in Organization.objects.filter(is_active=True).order_by("path"):
            organizations.setdefault(org.name, org)  # the outermost of equal names
        return cls(domains, organizations, strict_regulator)


@dataclass
class CleanRow:
    """A validated row: the item's fields, its legal bases and checklist, and its content."""

    code: str
    fields: dict[str, Any]
    legal_bases: list[dict[str, str]]
    checklist: list[dict[str, str]]
    content: dict[str, Any]


class _Errors(list):
    def add(self, row: int | None, column: str, code: str, message: str) -> None:
        self.append({"row": row, "column": column, "code": code, "message": message})


def _str(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _choice(value: Any, labels: dict[str, str]) -> str | None:
    """A vocabulary value given as its identifier or its Chinese label."""
    text = _str(value)
    if text in labels:
        return text
    return next((key for key, label in labels.items() if label == text), None)


def _bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    text = _str(value).lower()
    return True if text in _TRUE else False if text in _FALSE else None


def _decimal(value: Any) -> Decimal | None:
    """A yuan amount; ``None`` for empty. Raises ValueError when not a number."""
    if value is None or _str(value) == "":
        return None
    try:
        amount = Decimal(_str(value).replace(",", "").replace("，", ""))
    except InvalidOperation as exc:
        raise ValueError from exc
    if not amount.is_finite():
        raise ValueError
    return amount.quantize(_CENT)


def _list(value: Any) -> list:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [part for part in _LIST_SEPARATORS.split(value) if part]
    return list(value)


def _money(value: Decimal | None) -> str | None:
    return None if value is None else str(value.quantize(_CENT))


def validate_item_row(row: dict[str, Any], row_number: int | None = None, lookups: Lookups | None = None) -> list[dict]:
    """The errors of one row, each ``{"row", "column", "code", "message"}``; empty when valid.
    Checks the row alone: codes repeated within a file are ``import_items``' business."""
    return clean_item_row(row, row_number, lookups or Lookups.load())[1]


def clean_item_row(row: dict[str, Any], row_number: int | None, lookups: Lookups) -> tuple[CleanRow | None, list[dict]]:
    errors = _Errors()

    def err(column: str, code: str, message: str) -> None:
        errors.add(row_number, column, code, message)

    code = _str(row.get("code"))
    if not code:
        err("code", "required", "请填写事项编码")
    elif not rules.ITEM_CODE.match(code):
        err("code", "invalid_code", "事项编码应为 2–40 位数字或字母（可含连字符）")
    name = _str(row.get("name"))
    if not name:
        err("name", "required", "请填写事项名称")
    elif len(name) > 300:
        err("name", "too_long", "事项名称不能超过 300 字")

    kind = _choice(row.get("kind"), rules.KIND_LABELS)
    if kind is None:
        err("kind", "invalid_choice", f"事项类别应为：{'、'.join(rules.KIND_LABELS.values())}")
    domain = lookups.domains.get(_str(row.get("domain")))
    if domain is None:
        err("domain", "domain_not_found", f"执法领域“{_str(row.get('domain'))}”不存在" if _str(row.get("domain")) else "请填写执法领域")

    legal_bases = []
    raw_bases = row.get("legal_bases") or []
    if isinstance(raw_bases, dict | str):
        raw_bases = [raw_bases]
    for basis in raw_bases:
        basis = basis if isinstance(basis, dict) else {"law": basis}
        law = _str(basis.get("law")).strip("《》")
        if not law:
            err("legal_bases", "legal_basis_law_required", "每条实施依据都要写明法律、法规或规章的名称")
            continue
        legal_bases.append({"law": law, "article": _str(basis.get("article")), "clause": _str(basis.get("clause")),
                            "text": _str(basis.get("text"))})
    if not raw_bases:
        err("legal_bases", "legal_basis_required",
            "执法事项必须至少有一条实施依据（法律、法规、规章的具体条款）；没有依据的行政处罚无效（行政处罚法第三十八条）")

    penalty_types = []
    for value in _list(row.get("penalty_types")):
        penalty_type = _choice(value, rules.PENALTY_TYPE_LABELS)
        if penalty_type is None:
            err("penalty_types", "invalid_penalty_type", f"处罚种类“{value}”不是行政处罚法第九条规定的种类")
        elif penalty_type not in penalty_types:
            penalty_types.append(penalty_type)
    if penalty_types and kind not in (None, rules.PENALTY):
        err("penalty_types", "penalty_types_not_penalty", "只有行政处罚事项才有处罚种类")

    fines = {}
    for column in ("fine_min", "fine_max"):
        try:
            fines[column] = _decimal(row.get(column))
        except ValueError:
            err(column, "invalid_amount", "罚款金额应为数字（单位：元）")
            fines[column] = None
    refusal = rules.fine_refusal(fines["fine_min"], fines["fine_max"], penalty_types)
    if refusal:
        err(*refusal)
    fine_note = _str(row.get("fine_note"))
    if len(fine_note) > 300:
        err("fine_note", "too_long", "罚款幅度说明不能超过 300 字")

    regulator = None
    regulator_name = _str(row.get("regulator"))
    if regulator_name:
        regulator = lookups.organizations.get(regulator_name)
        if regulator is None and lookups.strict_regulator:
            err("regulator", "regulator_not_found", f"监管主体“{regulator_name}”不在机构名录中")

    enforcing_body = _choice(row.get("enforcing_body"), rules.ENFORCING_BODY_LABELS)
    if enforcing_body is None:
        err("enforcing_body", "invalid_choice", f"实施主体类别应为：{'、'.join(rules.ENFORCING_BODY_LABELS.values())}")
    township_library = _choice(row.get("township_library") or rules.NONE, rules.TOWNSHIP_LIBRARY_LABELS)
    if township_library is None:
        err("township_library", "invalid_choice", f"乡镇事项库应为：{'、'.join(rules.TOWNSHIP_LIBRARY_LABELS.values())}")
    elif enforcing_body:
        refusal = rules.library_refusal(enforcing_body, township_library)
        if refusal:
            err("township_library", *refusal)

    flags = {}
    for column in FLAGS:
        flags[column] = _bool(row.get(column))
        if flags[column] is None:
            err(column, "invalid_boolean", "请填写“是”或“否”")

    keywords = row.get("keywords") or ""
    keywords = " ".join(_str(k) for k in keywords) if isinstance(keywords, list | tuple) else _str(keywords)

    checklist = []
    for entry in row.get("checklist") or []:
        entry = entry if isinstance(entry, dict) else {"text": entry}
        text = _str(entry.get("text"))
        if text:
            checklist.append({"text": text[:500], "legal_basis": _str(entry.get("legal_basis"))[:300]})
    if checklist and kind not in (None, rules.INSPECTION):
        err("checklist", "checklist_not_inspection", "只有行政检查事项才有检查要点")

    if errors:
        return None, list(errors)
    content = {
        "code": code, "name": name, "kind": kind, "domain": domain.name, "legal_bases": legal_bases,
        "penalty_types": penalty_types, "fine_min": _money(fines["fine_min"]), "fine_max": _money(fines["fine_max"]),
        "fine_note": fine_note, "regulator": regulator.name if regulator else None, "enforcing_body": enforcing_body,
        **flags, "township_library": township_library, "keywords": keywords, "checklist": checklist,
    }
    item_fields = {
        "name": name, "kind": kind, "domain": domain, "penalty_types": penalty_types, **fines, "fine_note": fine_note,
        "regulator": regulator, "enforcing_body": enforcing_body, **flags, "township_library": township_library,
        "keywords": keywords,
    }
    return CleanRow(code, item_fields, legal_bases, checklist, content), []


def item_content(item: EnforcementItem) -> dict[str, Any]:
    """An item as a row (what history and revisions keep). Use with ``domain``, ``regulator``,
    ``legal_bases`` and ``checklist`` loaded."""
    return {
        "code": item.code, "name": item.name, "kind": item.kind, "domain": item.domain.name,
        "legal_bases": [{"law": b.law, "article": b.article, "clause": b.clause, "text": b.text}
                        for b in item.legal_bases.all()],
        "penalty_types": list(item.penalty_types), "fine_min": _money(item.fine_min), "fine_max": _money(item.fine_max),
        "fine_note": item.fine_note, "regulator": item.regulator.name if item.regulator_id else None,
        "enforcing_body": item.enforcing_body, **{flag: getattr(item, flag) for flag in FLAGS},
        "township_library": item.township_library, "keywords": item.keywords,
        "checklist": [{"text": c.text, "legal_basis": c.legal_basis} for c in item.checklist.all()],
    }


def _items_by_code(codes: Iterable[str], *, lock: bool = False) -> dict[str, EnforcementItem]:
    qs = EnforcementItem.objects.select_related("domain", "regulator").prefetch_related("legal_bases", "checklist")
    if lock:
        qs = qs.select_for_update(of=("self",))
    return {item.code: item for item in qs.filter(code__in=list(codes))}


# ---------------------------------------------------------------------------------------------
# Shared write steps
# ---------------------------------------------------------------------------------------------

def _system_or(actor, allowed) -> None:
    if actor is not None and not allowed(actor):
        raise PermissionDenied("只有执法指导办可以维护执法事项清单")


def bump_version() -> None:
    """Tell per-process caches (the search index) that the catalog changed."""
    token = uuid.uuid4().hex
    if not CatalogVersion.objects.filter(pk=1).update(version=F("version") + 1, token=token):
        CatalogVersion.objects.get_or_create(pk=1, defaults={"version": 1, "token": token})


def _open_version(item: EnforcementItem, content: dict, day: dt.date, revision: CatalogRevision | None = None) -> None:
    """Record ``content`` as the item's version from ``day`` on, closing the current version
    the day before. A second write on the same day replaces that day's version."""
    current = ItemHistory.objects.select_for_update().filter(item=item, valid_to__isnull=True).first()
    if current is not None:
        if day < current.valid_from:
            raise DomainError("revision_backdated", f"生效日期 {day} 早于事项 {item.code} 现行版本的生效日期 "
                              f"{current.valid_from}", "effective_on")
        if day == current.valid_from:
            current.content, current.revision = content, revision
            current.save(update_fields=["content", "revision"])
            return
        current.valid_to = day - dt.timedelta(days=1)
        current.save(update_fields=["valid_to"])
    ItemHistory.objects.create(item=item, code=item.code, content=content, valid_from=day, revision=revision)


def _write_item(actor, clean: CleanRow, item: EnforcementItem | None, day: dt.date, *,
                revision: CatalogRevision | None = None, publish: bool = False) -> str:
    """Create or update one item from a clean row; returns "created", "updated" or "unchanged"."""
    before = item_content(item) if item is not None else None
    reinstated = item is not None and item.status == rules.REPEALED
    if before == clean.content and not reinstated:
        return "unchanged"
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
    LegalBasis.objects.bulk_create(LegalBasis(item=item, order=n, **basis) for n, basis in enumerate(clean.legal_bases, 1))
    ChecklistEntry.objects.bulk_create(ChecklistEntry(item=item, order=n, **entry) for n, entry in enumerate(clean.checklist, 1))
    _open_version(item, clean.content, day, revision)
    action = "item.create" if creating else "item.reinstate" if reinstated else "item.update"
    audit.record(actor, action, item, before=before, after=clean.content,
                 legal_basis=revision.legal_basis if revision else "")
    return "created" if creating else "updated"


def _retire_item(actor, item: EnforcementItem, day: dt.date, revision: CatalogRevision | None) -> None:
    """取消: the item stops being in force after ``day - 1``. Refused while open records use it."""
    if item.status != rules.IN_FORCE:
        raise DomainError("item_repealed", f"事项 {item.code} 已废止", "item_code")
    in_use = open_reference_count(item.pk)
    if in_use:
        raise DomainError("item_in_use", f"事项 {item.code}：{rules.in_use_message(in_use)}", "item_code")
    before = audit.snapshot(item, ("status", "effective_to"))
    item.status, item.effective_to = rules.REPEALED, day - dt.timedelta(days=1)
    item.save(update_fields=["status", "effective_to", "updated_at"])
    current = ItemHistory.objects.select_for_update().filter(item=item, valid_to__isnull=True).first()
    if current is not None:
        if day < current.valid_from:
            raise DomainError("revision_backdated", f"生效日期 {day} 早于事项 {item.code} 现行版本的生效日期 "
                              f"{current.valid_from}", "effective_on")
        current.valid_to, current.retired = item.effective_to, True
        current.save(update_fields=["valid_to", "retired"])
    audit.record(actor, "item.retire", item, before=before, after=audit.snapshot(item, ("status", "effective_to")),
                 legal_basis=revision.legal_basis if revision else "")


# ---------------------------------------------------------------------------------------------
# Import (the Excel import and the demo loader build on these)
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


def _clean_rows(rows: list[dict], lookups: Lookups, first_row: int) -> tuple[list[CleanRow], list[dict]]:
    cleaned, errors, seen = [], [], {}
    for n, row in enumerate(rows, first_row):
        clean, row_errors = clean_item_row(row, n, lookups)
        errors += row_errors
        if clean is None:
            continue
        if clean.code in seen:
            errors.append({"row": n, "column": "code", "code": "duplicate_in_file",
                           "message": f"事项编码 {clean.code} 与第 {seen[clean.code]} 行重复"})
            continue
        seen[clean.code] = n
        cleaned.append(clean)
    return cleaned, errors


def _save_clean_rows(actor, cleaned: list[CleanRow], day: dt.date, *, publish: bool, result: ImportResult) -> None:
    existing = _items_by_code((c.code for c in cleaned), lock=True)
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
        ids = dict(EnforcementItem.objects.filter(code__in=[c.code for c in cleaned]).values_list("code", "pk"))
        for item in items:
            item.pk = ids[item.code]
    LegalBasis.objects.bulk_create(
        (LegalBasis(item=item, order=n, **basis) for item, clean in zip(items, cleaned, strict=True)
         for n, basis in enumerate(clean.legal_bases, 1)), batch_size=1000)
    ChecklistEntry.objects.bulk_create(
        (ChecklistEntry(item=item, order=n, **entry) for item, clean in zip(items, cleaned, strict=True)
         for n, entry in enumerate(clean.checklist, 1)), batch_size=1000)
    ItemHistory.objects.bulk_create(
        (ItemHistory(item=item, code=item.code, content=clean.content, valid_from=day)
         for item, clean in zip(items, cleaned, strict=True)), batch_size=1000)
    audit.record_many(actor, [{"action": "item.create", "obj": item, "after": clean.content}
                              for item, clean in zip(items, cleaned, strict=True)])


def import_items(actor, rows: list[dict], *, dry_run: bool = False, first_row: int = 2,
                 publish: bool = False, day: dt.date | None = None, lookups: Lookups | None = None) -> ImportResult:
    """Validate every row (numbered from ``first_row``, 2 for a sheet with a header); when all are
    valid and this is not a dry run, create or update the items in one transaction. Any error
    saves nothing. Unchanged rows are left alone (no audit event, no new version)."""
    _system_or(actor, rules.may_manage_catalog)
    lookups = lookups or Lookups.load()
    cleaned, errors = _clean_rows(rows, lookups, first_row)
    repealed = set(EnforcementItem.objects.filter(code__in=[c.code for c in cleaned], status=rules.REPEALED)
                   .values_list("code", flat=True))
    for n, row in enumerate(rows, first_row):
        if _str(row.get("code")) in repealed:
            errors.append({"row": n, "column": "code", "code": "item_repealed",
                           "message": f"事项 {_str(row.get('code'))} 已废止，恢复须经清单动态调整"})
    result = ImportResult(errors=errors, dry_run=dry_run)
    if errors:
        return result
    if dry_run:
        existing = set(EnforcementItem.objects.filter(code__in=[c.code for c in cleaned]).values_list("code", flat=True))
        result.created = [c.code for c in cleaned if c.code not in existing]
        result.updated = [c.code for c in cleaned if c.code in existing]
        return result
    save_item_rows(actor, cleaned, publish=publish, day=day, result=result)
    return result


def save_item_rows(actor, rows: list[dict] | list[CleanRow], *, publish: bool = False, day: dt.date | None = None,
                   result: ImportResult | None = None) -> ImportResult:
    """Create or update items from rows in one transaction, audited item by item. Rows that are
    not yet clean are validated first; any error refuses the whole batch (``import_invalid``)."""
    _system_or(actor, rules.may_manage_catalog)
    result = result or ImportResult()
    day = day or timezone.localdate()
    cleaned = [r for r in rows if isinstance(r, CleanRow)]
    raw = [r for r in rows if not isinstance(r, CleanRow)]
    if raw:
        more, errors = _clean_rows(raw, Lookups.load(), 1)
        if errors:
            result.errors = errors
            raise DomainError("import_invalid", f"有 {len(errors)} 处错误，未导入任何事项：{errors[0]['message']}",
                              errors[0]["column"])
        cleaned += more
    with transaction.atomic():
        _save_clean_rows(actor, cleaned, day, publish=publish, result=result)
        if result.created or result.updated:
            bump_version()
    return result


@transaction.atomic
def create_item(actor, row: dict[str, Any], *, publish: bool = False) -> EnforcementItem:
    """One new item from a form or the API; field errors as ValidationError named by column."""
    _system_or(actor, rules.may_manage_catalog)
    clean, errors = clean_item_row(row, None, Lookups.load())
    if errors:
        raise ValidationError({e["column"]: ValidationError(e["message"], code=e["code"]) for e in reversed(errors)})
    if EnforcementItem.objects.filter(code=clean.code).exists():
        raise ValidationError({"code": ValidationError(f"事项编码 {clean.code} 已存在", code="unique")})
    _write_item(actor, clean, None, timezone.localdate(), publish=publish)
    bump_version()
    return EnforcementItem.objects.get(code=clean.code)


@transaction.atomic
def publish_items(actor, item_ids: Iterable[int], day: dt.date | None = None) -> int:
    """公示: publish items on the public portal (三项制度, 国办发〔2018〕118号: powers published beforehand)."""
    _system_or(actor, rules.may_manage_catalog)
    day = day or timezone.localdate()
    items = list(EnforcementItem.objects.select_for_update().filter(pk__in=list(item_ids), published_on__isnull=True))
    for item in items:
        item.published_on = day
        item.save(update_fields=["published_on", "updated_at"])
        audit.record(actor, "item.publish", item, after={"published_on": day})
    if items:
        bump_version()
    return len(items)


# ---------------------------------------------------------------------------------------------
# Claims (认领) and township choices (乡镇自选)
# ---------------------------------------------------------------------------------------------

def _item(item_id: int, *, lock: bool = False) -> EnforcementItem:
    qs = EnforcementItem.objects.select_for_update() if lock else EnforcementItem.objects.all()
    item = qs.filter(pk=item_id).first()
    if item is None:
        raise NotFound("事项不存在")
    return item


def _on_township_list(item: EnforcementItem, region: Region) -> bool:
    if item.status != rules.IN_FORCE:
        return False
    if item.township_library == rules.BASE:
        return True
    return (item.township_library == rules.OPTIONAL
            and TownshipItemChoice.objects.filter(item=item, region=region).exists())


CLAIM_FIELDS = ("item", "organization", "level", "region")


def _create_claim(actor, item: EnforcementItem, organization: Organization) -> Claim:
    region = organization.region
    level = rules.claim_level(region.is_township)
    if item.status != rules.IN_FORCE:
        refusal = ("item_repealed", "该事项已废止，不能认领")
    else:
        refusal = rules.claim_refusal(enforcing_body=item.enforcing_body, township_library=item.township_library,
                                      org_kind=organization.kind, level=level,
                                      on_township_list=level == rules.DISTRICT_LEVEL or _on_township_list(item, region))
    if refusal:
        raise ValidationError({"organization": ValidationError(refusal[1], code=refusal[0])})
    same_place = Claim.objects.filter(item=item, level=level)
    if level == rules.TOWNSHIP_LEVEL:
        same_place = same_place.filter(region=region)
    holder = same_place.select_related("organization").first()
    if holder is not None:
        raise ValidationError({"organization": ValidationError(
            f"该事项在{rules.CLAIM_LEVEL_LABELS[level]}已由{holder.organization.name}认领，同一层级只能有一个认领单位",
            code="already_claimed")})
    claim = Claim(item=item, organization=organization, level=level, region=region,
                  claimed_by=actor if getattr(actor, "pk", None) else None)
    try:
        with transaction.atomic():  # the unique constraints are the guard against a concurrent claim
            claim.save()
    except IntegrityError:
        raise ValidationError({"organization": ValidationError("该事项在此层级已有认领单位", code="already_claimed")}) from None
    audit.record(actor, "claim.create", claim, after=audit.snapshot(claim, CLAIM_FIELDS), organization=organization)
    return claim


def _require_claim_manager(actor, organization: Organization) -> None:
    if not rules.may_manage_claims(actor):
        raise PermissionDenied("只有部门管理员、乡镇（街道）领导或执法指导办可以认领事项")
    if not Scope.for_user(actor).covers_organization(organization):
        raise PermissionDenied("只能为本机构认领事项")


@transaction.atomic
def claim_item(actor, item_id: int, organization: Organization) -> Claim:
    """认领: ``organization`` accepts responsibility for the item at its level (district or
    township, from where it sits)."""
    _require_claim_manager(actor, organization)
    return _create_claim(actor, _item(item_id, lock=True), organization)


@transaction.atomic
def withdraw_claim(actor, claim_id: int) -> None:
    claim = Claim.objects.select_for_update().select_related("organization").filter(pk=claim_id).first()
    if claim is None:
        raise NotFound()
    _require_claim_manager(actor, claim.organization)
    before = audit.snapshot(claim, CLAIM_FIELDS)
    claim.delete()
    audit.record(actor, "claim.withdraw", object_type="catalog.Claim", object_id=claim_id, before=before,
                 organization=claim.organization)


def _chooser_region(actor, region: Region | None) -> Region:
    """Only a township's leaders choose, and only for their own township."""
    org = getattr(actor, "organization", None)
    own = org.region if org is not None else None
    if actor.is_superuser and region is not None:
        return region
    if actor.role not in rules.TOWNSHIP_CHOOSERS or own is None or not own.is_township:
        raise PermissionDenied("只有乡镇（街道）领导可以为本乡镇（街道）选择自选事项", code="not_township_leader")
    if region is not None and region.pk != own.pk:
        raise PermissionDenied("只能为本乡镇（街道）选择自选事项", code="not_township_leader")
    return own


def township_team(region: Region) -> Organization | None:
    """The township's own enforcement team (乡镇（街道）综合执法队)."""
    return (Organization.objects.filter(region=region, kind=Organization.Kind.TOWNSHIP_TEAM, is_active=True)
            .order_by("path").first())


@transaction.atomic
def choose_optional_item(actor, item_id: int, region: Region | None = None) -> TownshipItemChoice:
    """A township takes on an optional item (自选库); its enforcement team claims it at township
    level in the same step, so the item never sits on a list without a body answering for it."""
    region = _chooser_region(actor, region)
    item = _item(item_id, lock=True)
    refusal = rules.choice_refusal(item.enforcing_body, item.township_library, item.status)
    if refusal:
        raise ValidationError({"item": ValidationError(refusal[1], code=refusal[0])})
    if TownshipItemChoice.objects.filter(item=item, region=region).exists():
        raise ValidationError({"item": ValidationError(f"{region.name}已选择该事项", code="already_chosen")})
    choice = TownshipItemChoice.objects.create(item=item, region=region, chosen_by=actor)
    audit.record(actor, "township_choice.add", choice, after={"region": region.pk, "item": item.pk, "code": item.code},
                 legal_basis="行政处罚法第二十四条")
    team = township_team(region)
    if team is not None and not Claim.objects.filter(item=item, level=rules.TOWNSHIP_LEVEL, region=region).exists():
        _create_claim(actor, item, team)
    return choice


@transaction.atomic
def unchoose_optional_item(actor, item_id: int, region: Region | None = None) -> None:
    """A township gives an optional item back; its township-level claim goes with it."""
    region = _chooser_region(actor, region)
    choice = TownshipItemChoice.objects.select_for_update().filter(item_id=item_id, region=region).first()
    if choice is None:
        raise NotFound("本乡镇（街道）未选择该事项")
    item = _item(item_id)
    in_use = open_reference_count(item.pk)
    if in_use:
        raise DomainError("item_in_use", rules.in_use_message(in_use), "item")
    for claim in Claim.objects.filter(item_id=item_id, level=rules.TOWNSHIP_LEVEL, region=region):
        before = audit.snapshot(claim, CLAIM_FIELDS)
        pk = claim.pk
        claim.delete()
        audit.record(actor, "claim.withdraw", object_type="catalog.Claim", object_id=pk, before=before)
    choice_pk = choice.pk
    choice.delete()
    audit.record(actor, "township_choice.remove", object_type="catalog.TownshipItemChoice", object_id=choice_pk,
                 before={"region": region.pk, "item": item.pk, "code": item.code})


# ---------------------------------------------------------------------------------------------
# Revisions (动态调整)
# ---------------------------------------------------------------------------------------------

REVISION_FIELDS = ("title", "reason", "law", "document_number", "effective_on", "state", "proposed_by",
                   "approved_by", "approved_at", "applied_at")


def _change_errors(changes: list[dict], lookups: Lookups) -> tuple[list[tuple[str, str, dict]], dict]:
    """Validate a revision's changes; returns (action, code, content) triples and field errors
    keyed ``changes.N.column``."""
    errors: dict[str, ValidationError] = {}
    parsed, seen = [], set()
    codes = [_str(c.get("item_code") or (c.get("content") or {}).get("code")) for c in changes]
    existing = dict(EnforcementItem.objects.filter(code__in=codes).values_list("code", "status"))
    for n, (change, code) in enumerate(zip(changes, codes, strict=True)):
        prefix = f"changes.{n}"
        action = _choice(change.get("action"), rules.CHANGE_ACTION_LABELS)
        if action is None:
            errors[f"{prefix}.action"] = ValidationError("调整方式应为新增、调整或取消", code="invalid_choice")
            continue
        if not code:
            errors[f"{prefix}.item_code"] = ValidationError("请填写事项编码", code="required")
            continue
        if code in seen:
            errors[f"{prefix}.item_code"] = ValidationError(f"事项 {code} 在本次调整中出现多次", code="duplicate_change")
            continue
        seen.add(code)
        status = existing.get(code)
        if action == rules.ADD and status == rules.IN_FORCE:
            errors[f"{prefix}.item_code"] = ValidationError(f"事项 {code} 已在清单中，请使用“调整”", code="item_exists")
            continue
        if action in (rules.CHANGE, rules.RETIRE) and status != rules.IN_FORCE:
            errors[f"{prefix}.item_code"] = ValidationError(f"清单中没有有效的事项 {code}", code="item_not_found")
            continue
        content = {}
        if action != rules.RETIRE:
            clean, row_errors = clean_item_row({**(change.get("content") or {}), "code": code}, None, lookups)
            for e in row_errors:
                errors.setdefault(f"{prefix}.content.{e['column']}", ValidationError(e["message"], code=e["code"]))
            if clean is None:
                continue
            content = clean.content
        parsed.append((action, code, content))
    return parsed, errors


@transaction.atomic
def propose_revision(actor, data: dict[str, Any], changes: list[dict]) -> CatalogRevision:
    """A draft change set: ``data`` has title, reason, law, document_number, effective_on, note;
    each change ``{"action": add|change|retire, "item_code", "content": row}``."""
    if not rules.may_propose_revision(actor):
        raise PermissionDenied("只有执法指导办或部门管理员可以提出清单调整")
    errors: dict[str, ValidationError] = {}
    reason = _choice(data.get("reason"), rules.REVISION_REASON_LABELS)
    if reason is None:
        errors["reason"] = ValidationError("请选择调整原因", code="invalid_choice")
    if not _str(data.get("title")):
        errors["title"] = ValidationError("请填写标题", code="required")
    if not isinstance(data.get("effective_on"), dt.date):
        errors["effective_on"] = ValidationError("请填写生效日期", code="required")
    if reason in ("law_made", "law_amended", "law_repealed") and not _str(data.get("law")):
        errors["law"] = ValidationError("因法律法规变化调整清单，须写明相关法律法规", code="required")
    if not changes:
        errors["changes"] = ValidationError("调整至少包含一个事项", code="required")
    parsed, change_errors = _change_errors(changes, Lookups.load())
    errors.update(change_errors)
    if errors:
        raise ValidationError(errors)
    revision = CatalogRevision.objects.create(
        title=_str(data["title"]), reason=reason, law=_str(data.get("law")).strip("《》"),
        document_number=_str(data.get("document_number")), effective_on=data["effective_on"],
        note=_str(data.get("note")), proposed_by=actor,
    )
    RevisionChange.objects.bulk_create(RevisionChange(revision=revision, order=n, action=action, item_code=code, content=content)
                                       for n, (action, code, content) in enumerate(parsed, 1))
    audit.record(actor, "revision.propose", revision, after={**audit.snapshot(revision, REVISION_FIELDS),
                                                             "changes": [[a, c] for a, c, _ in parsed]},
                 legal_basis=revision.legal_basis)
    return revision


def _apply_revision(actor, revision: CatalogRevision) -> None:
    """Apply every change on the revision's effective date; any refusal undoes them all."""
    day = revision.effective_on
    changes = list(revision.changes.all())
    items = _items_by_code((c.item_code for c in changes), lock=True)
    lookups = Lookups.load()
    for change in changes:
        item = items.get(change.item_code)
        if change.action == rules.RETIRE:
            if item is None:
                raise DomainError("item_not_found", f"清单中没有事项 {change.item_code}", "item_code")
            _retire_item(actor, item, day, revision)
            continue
        clean, errors = clean_item_row({**change.content, "code": change.item_code}, None, lookups)
        if errors:
            raise DomainError(errors[0]["code"], f"事项 {change.item_code}：{errors[0]['message']}", errors[0]["column"])
        if change.action == rules.ADD and item is not None and item.status == rules.IN_FORCE:
            raise DomainError("item_exists", f"事项 {change.item_code} 已在清单中", "item_code")
        if change.action == rules.CHANGE and (item is None or item.status != rules.IN_FORCE):
            raise DomainError("item_not_found", f"清单中没有有效的事项 {change.item_code}", "item_code")
        _write_item(actor, clean, item, day, revision=revision, publish=True)
    before = audit.snapshot(revision, REVISION_FIELDS)
    revision.state, revision.applied_at, revision.apply_error = rules.APPLIED, timezone.now(), ""
    revision.save(update_fields=["state", "applied_at", "apply_error"])
    audit.record(actor, "revision.apply", revision, before=before, after=audit.snapshot(revision, REVISION_FIELDS),
                 legal_basis=revision.legal_basis)
    bump_version()


@transaction.atomic
def approve_revision(actor, revision_id: int, *, today: dt.date | None = None) -> CatalogRevision:
    """Approve a draft; when its effective date has come, apply it at once (otherwise the daily
    task does on that date). Nobody approves their own proposal."""
    if not rules.may_approve_revision(actor):
        raise PermissionDenied("只有执法指导办可以审批清单调整")
    revision = CatalogRevision.objects.select_for_update().filter(pk=revision_id).first()
    if revision is None:
        raise NotFound()
    if revision.state != rules.DRAFT:
        raise DomainError("revision_not_draft", "该调整已审批", "state")
    if revision.proposed_by_id == actor.pk:
        raise DomainError("approver_is_proposer", "提出人不能审批自己提出的调整", "approved_by")
    before = audit.snapshot(revision, REVISION_FIELDS)
    revision.state, revision.approved_by, revision.approved_at = rules.APPROVED, actor, timezone.now()
    revision.save(update_fields=["state", "approved_by", "approved_at"])
    audit.record(actor, "revision.approve", revision, before=before, after=audit.snapshot(revision, REVISION_FIELDS),
                 legal_basis=revision.legal_basis)
    if rules.revision_due(revision.state, revision.effective_on, today or timezone.localdate()):
        _apply_revision(actor, revision)
    return revision


def apply_due_revisions(today: dt.date | None = None) -> dict[int, str]:
    """The daily task: apply every approved revision whose effective date has come, oldest
    first, each in its own transaction. Idempotent: applied revisions are not touched again. A
    refused one stays approved with the reason, and is tried again the next day."""
    today = today or timezone.localdate()
    outcome = {}
    due = CatalogRevision.objects.filter(state=rules.APPROVED, effective_on__lte=today).order_by("effective_on", "pk")
    for revision_id in list(due.values_list("pk", flat=True)):
        try:
            with transaction.atomic():
                revision = CatalogRevision.objects.select_for_update(skip_locked=True).filter(
                    pk=revision_id, state=rules.APPROVED).first()
                if revision is None:
                    continue
                _apply_revision(None, revision)
            outcome[revision_id] = "applied"
        except (DomainError, ValidationError) as exc:
            message = getattr(exc, "message", None) or "; ".join(exc.messages)
            CatalogRevision.objects.filter(pk=revision_id).update(apply_error=message)
            outcome[revision_id] = message
    return outcome


# ---------------------------------------------------------------------------------------------
# Loading a catalog (the demo data's format)
# ---------------------------------------------------------------------------------------------

COMPREHENSIVE_BUREAU_NAME = "衢州市衢江区综合行政执法局"


@dataclass
class LoadResult:
    domains: int = 0
    items: ImportResult = field(default_factory=ImportResult)
    claims: int = 0


def _comprehensive_bureau() -> Organization | None:
    bureaus = Organization.objects.filter(kind=Organization.Kind.COMPREHENSIVE_BUREAU, is_active=True)
    return bureaus.filter(name=COMPREHENSIVE_BUREAU_NAME).first() or bureaus.order_by("path").first()


def _default_claimants(item: EnforcementItem, bureau, teams: list[Organization], orgs: dict[str, Organization],
                       enforcing_department: str | None) -> list[Organization]:
    """Who claims an item of the loaded catalog: the comprehensive bureau for comprehensive
    items and the optional township items (which it keeps where no township chose them); the
    row's ``enforcing_department``, or else the regulating department, for professional items;
    every township team for base township items."""
    if item.enforcing_body == rules.PROFESSIONAL:
        department = orgs.get(enforcing_department or "") or item.regulator
        ok = department is not None and department.kind in rules.CLAIMING_KINDS[rules.PROFESSIONAL]
        return [department] if ok else []
    if item.enforcing_body == rules.TOWNSHIP and item.township_library == rules.BASE:
        return teams
    return [bureau] if bureau is not None else []


@transaction.atomic
def load_catalog(actor, domains: list[tuple[str, str]], items: list[dict], *, day: dt.date | None = None) -> LoadResult:
    """Load a catalog in the demo data's format (``DOMAINS``, ``ITEMS``): domains, items
    (published), and their default claims. Re-running it changes only what differs. A regulator
    name not among the organisations is left empty, and the item shows as not covered."""
    _system_or(actor, rules.may_manage_catalog)
    day = day or timezone.localdate()
    result = LoadResult()
    for n, (code, name) in enumerate(domains, 1):
        _, created = Domain.objects.update_or_create(code=code, defaults={"name": name, "sort_order": n})
        result.domains += created
    lookups = Lookups.load(strict_regulator=False)
    cleaned, errors = _clean_rows(items, lookups, 1)
    if errors:
        result.items.errors = errors
        raise DomainError("import_invalid", f"演示事项有 {len(errors)} 处错误：第 {errors[0]['row']} 条 "
                          f"{errors[0]['column']}：{errors[0]['message']}", errors[0]["column"])
    _save_clean_rows(actor, cleaned, day, publish=True, result=result.items)
    bureau = _comprehensive_bureau()
    teams = list(Organization.objects.filter(kind=Organization.Kind.TOWNSHIP_TEAM, is_active=True,
                                             region__level__in=Region.TOWNSHIP_LEVELS).select_related("region"))
    by_code = {item.code: item for item in EnforcementItem.objects.filter(code__in=[c.code for c in cleaned])
               .select_related("regulator")}
    def place(item_id: int, level: str, region_id: int) -> tuple:
        return item_id, level, region_id if level == rules.TOWNSHIP_LEVEL else None

    claimed = {place(c.item_id, c.level, c.region_id) for c in Claim.objects.filter(item__in=by_code.values())}
    for row in items:
        item = by_code[_str(row["code"])]
        for org in _default_claimants(item, bureau, teams, lookups.organizations, row.get("enforcing_department")):
            key = place(item.pk, rules.claim_level(org.region.is_township), org.region_id)
            if key not in claimed:  # an existing claim, whoever holds it, is left alone
                _create_claim(actor, item, org)
                claimed.add(key)
                result.claims += 1
    audit.record(actor, "catalog.load", object_type="catalog", object_id="catalog",
                 after={"domains": len(domains), "items": len(items), "created": len(result.items.created),
                        "updated": len(result.items.updated), "claims": result.claims})
    bump_version()
    return result
