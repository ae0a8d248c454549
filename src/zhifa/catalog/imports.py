"""Importing an Excel file into the catalog in two steps: check (a preview listing every row error
by row, column and rule, nothing written to the catalog) and commit (all rows or none).

A department's administrator commits a clean file as a revision, reviewed and published by the
执法指导办 (动态调整, plan 三.(一)3); the 执法指导办 may also commit one straight into the catalog,
published at once (``catalog.manage``). Every step is audited; the uploaded file's SHA-256 is kept.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhifa.core import access, audit
from zhifa.core.errors import DomainError

from . import excel, rules, services
from .models import CatalogImport
from .revisions import propose_revision
from .validation import Lookups, clean_rows

MAX_BYTES = 10 * 1024 * 1024
DIRECT, REVISION = "direct", "revision"


def _read(upload) -> tuple[str, bytes]:
    name = (getattr(upload, "name", "") or "事项清单.xlsx").rsplit("/", 1)[-1][:200]
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_BYTES:
        raise DomainError("file_too_large", f"文件不能超过 {MAX_BYTES // 1024 // 1024} MB", "file")
    data = upload.read(MAX_BYTES + 1) if hasattr(upload, "read") else bytes(upload)
    if len(data) > MAX_BYTES:
        raise DomainError("file_too_large", f"文件不能超过 {MAX_BYTES // 1024 // 1024} MB", "file")
    if not data:
        raise DomainError("empty_file", "文件为空", "file")
    return name, data


@transaction.atomic
def check_file(actor, upload) -> CatalogImport:
    """Read and check an uploaded file: every error of every row, and which items it would add or
    change. The catalog is not touched; the check itself is kept (and audited) for the commit."""
    access.require(actor, "catalog.propose")
    name, data = _read(upload)
    lookups = Lookups.load()
    parsed = excel.parse_sheet(data, domains={d.name for d in lookups.domains.values()})
    errors, new, changed = excel.check_parsed(actor, parsed, lookups)
    rows = len(parsed.rows) + len({e["row"] for e in parsed.errors if (e["row"] or 0) >= 2})
    check = CatalogImport.objects.create(
        file_name=name,
        sha256=hashlib.sha256(data).hexdigest(),
        rows=[] if errors else [r for _, r in parsed.rows],
        errors=errors,
        row_count=rows,
        new_codes=new,
        changed_codes=changed,
        uploaded_by=services.person(actor),
        organization=getattr(actor, "organization", None),
    )
    audit.record(
        actor,
        "catalog.import_check",
        check,
        after={
            "file_name": name,
            "sha256": check.sha256,
            "rows": rows,
            "errors": len(errors),
            "new": len(new),
            "changed": len(changed),
        },
    )
    return check


def _changes(rows: list[dict]) -> list[dict[str, Any]]:
    """Revision changes for the rows that differ from the catalog today."""
    cleaned, errors = clean_rows(rows, Lookups.load(), 2)
    if errors:
        raise DomainError(
            "import_invalid", f"文件已与清单现状不符：第 {errors[0]['row']} 行 {errors[0]['message']}"
        )
    existing = services.items_by_code(c.code for c in cleaned)
    changes = []
    for clean, row in zip(cleaned, rows, strict=True):
        item = existing.get(clean.code)
        if (
            item is not None
            and item.status == rules.IN_FORCE
            and services.item_content(item) == clean.content
        ):
            continue
        action = rules.CHANGE if item is not None and item.status == rules.IN_FORCE else rules.ADD
        changes.append({"action": action, "item_code": clean.code, "content": row})
    return changes


@transaction.atomic
def commit_file(
    actor, import_id: int, *, mode: str = REVISION, revision: dict[str, Any] | None = None
) -> CatalogImport:
    """Commit a clean, checked file: as a revision for review (``mode="revision"``, with the
    revision's title, reason, law, document number and effective date), or straight into the
    catalog and published (``mode="direct"``, the 执法指导办 only). All rows or none."""
    check = access.get_visible(actor, CatalogImport.objects.select_for_update(), import_id)
    if check.state != CatalogImport.PREVIEWED:
        raise DomainError("import_not_pending", "该文件已处理，请重新上传", "import")
    if check.errors:
        raise DomainError(
            "import_has_errors",
            f"文件有 {len(check.errors)} 处错误，请改正后重新上传，未导入任何事项",
            "file",
        )
    if mode == DIRECT:
        services.require_manager(actor)
        result = services.save_item_rows(actor, check.rows, publish=True)
        check.revision = None
        outcome = {
            "created": len(result.created),
            "updated": len(result.updated),
            "unchanged": len(result.unchanged),
        }
    elif mode == REVISION:
        changes = _changes(check.rows)
        if not changes:
            raise DomainError("import_no_change", "文件中的事项与清单现状一致，没有需要调整的内容", "file")
        check.revision = propose_revision(actor, revision or {}, changes, source="excel")
        outcome = {"revision": check.revision.pk, "changes": len(changes)}
    else:
        raise DomainError("invalid_mode", "导入方式应为“提交审核”或“直接导入”", "mode")
    check.state, check.committed_at = CatalogImport.COMMITTED, timezone.now()
    check.save(update_fields=["state", "committed_at", "revision"])
    audit.record(
        actor, "catalog.import_commit", check, after={"mode": mode, "sha256": check.sha256, **outcome}
    )
    return check
