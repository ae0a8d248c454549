"""Writes of the indicators app: importing the provincial power-item library (all rows or none)
and setting a department's publication time limit. Typed commands, permission-checked, audited."""

from __future__ import annotations

import csv
import io

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from pydantic import Field

from zhifa.catalog.rules import ITEM_CODE
from zhifa.core import access, audit
from zhifa.core.commands import Command
from zhifa.organizations.models import Organization

from .models import LibraryImport, ProvincialItem, PublicationLimit

#: The columns of a library file, in Chinese as the province publishes them, and their fields.
COLUMNS = {
    "事项编码": "code",
    "事项名称": "name",
    "事项类别": "kind",
    "执法领域": "domain",
    "县级行使": "county_level",
}
YES = {"是", "Y", "y", "1", "true", "TRUE", "√"}


class LibraryRow(Command):
    code: str = Field(title="事项编码", min_length=2, max_length=40)
    name: str = Field(title="事项名称", min_length=1, max_length=300)
    kind: str = Field(title="事项类别", default="", max_length=30)
    domain: str = Field(title="执法领域", default="", max_length=50)
    county_level: bool = Field(title="县级行使", default=True)


class LibraryInput(Command):
    source_name: str = Field(title="来源文件", min_length=1, max_length=200)
    version: str = Field(title="版本/发布日期", default="", max_length=60)
    rows: list[LibraryRow] = Field(title="事项", min_length=1)


class PublicationLimitInput(Command):
    organization: int = Field(title="部门")
    working_days: int = Field(title="公开时限（工作日）", ge=1, le=60)
    basis: str = Field(title="依据", min_length=1, max_length=200)


def rows_from_file(content: bytes, name: str) -> list[dict]:
    """The rows of an uploaded .xlsx or .csv (UTF-8) library file, keyed by field name; the first
    row is the header. A missing column or an unreadable file is a ``ValidationError``."""
    if name.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
            table = [
                ["" if c is None else str(c).strip() for c in row]
                for row in sheet.iter_rows(values_only=True)
            ]
        except Exception:  # noqa: BLE001 - any unreadable workbook is the user's file problem
            raise ValidationError(
                {"file": ValidationError("无法读取该 Excel 文件", code="unreadable")}
            ) from None
    else:
        try:
            table = [[c.strip() for c in row] for row in csv.reader(io.StringIO(content.decode("utf-8-sig")))]
        except UnicodeDecodeError:
            raise ValidationError(
                {"file": ValidationError("CSV 文件须为 UTF-8 编码", code="encoding")}
            ) from None
    table = [row for row in table if any(row)]
    if not table:
        raise ValidationError({"file": ValidationError("文件为空", code="empty")})
    header = table[0]
    missing = [label for label in ("事项编码", "事项名称") if label not in header]
    if missing:
        raise ValidationError(
            {"file": ValidationError(f"缺少列：{'、'.join(missing)}", code="columns_missing")}
        )
    index = {COLUMNS[label]: i for i, label in enumerate(header) if label in COLUMNS}
    out = []
    for row in table[1:]:
        item = {field: (row[i] if i < len(row) else "") for field, i in index.items()}
        if "county_level" in item:
            item["county_level"] = item["county_level"] in YES
        out.append(item)
    return out


def parse_rows(rows: list[dict]) -> list[LibraryRow]:
    """Every row checked; all errors at once, each naming its row (2 = the first after the header)."""
    parsed, errors = [], []
    for number, row in enumerate(rows, start=2):
        try:
            item = LibraryRow.parse(row)
        except ValidationError as exc:
            errors += [
                f"第{number}行：{message}" for messages in exc.message_dict.values() for message in messages
            ]
            continue
        if not ITEM_CODE.match(item.code):
            errors.append(f"第{number}行：事项编码“{item.code}”格式不正确")
        parsed.append(item)
    codes = [r.code for r in parsed]
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    if duplicates:
        errors.append(f"事项编码重复：{'、'.join(duplicates[:10])}")
    if errors:
        raise ValidationError({"rows": [ValidationError(e, code="row_invalid") for e in errors[:50]]})
    return parsed


@transaction.atomic
def import_library(actor, cmd: LibraryInput) -> LibraryImport:
    """Replace the provincial library with the file's rows (all or nothing): the library is the
    province's list as published, not something the district edits row by row."""
    access.require(actor, "indicators.import_library")
    codes = [r.code for r in cmd.rows]
    if len(set(codes)) != len(codes):
        raise ValidationError({"rows": ValidationError("事项编码重复", code="duplicate_code")})
    batch = LibraryImport.objects.create(
        source_name=cmd.source_name,
        version=cmd.version,
        rows=len(cmd.rows),
        imported_by=actor,
        imported_at=timezone.now(),
    )
    before = ProvincialItem.objects.count()
    ProvincialItem.objects.all().delete()
    ProvincialItem.objects.bulk_create(
        [
            ProvincialItem(
                code=r.code,
                name=r.name,
                kind=r.kind,
                domain=r.domain,
                county_level=r.county_level,
                batch=batch,
            )
            for r in cmd.rows
        ],
        batch_size=2000,
    )
    audit.record(
        actor,
        "indicators.library.import",
        batch,
        before={"items": before},
        after={"items": len(cmd.rows), "source": cmd.source_name, "version": cmd.version},
        legal_basis="方案 三（一）1：对接省权力事项库（监管库）",
    )
    return batch


@transaction.atomic
def set_publication_limit(actor, cmd: PublicationLimitInput) -> PublicationLimit:
    org = access.get_visible(actor, Organization, cmd.organization)
    access.require(actor, "indicators.set_publication_limit", org)
    row = PublicationLimit.objects.filter(organization=org).first()
    before = {"working_days": row.working_days, "basis": row.basis} if row else None
    row, _ = PublicationLimit.objects.update_or_create(
        organization=org, defaults={"working_days": cmd.working_days, "basis": cmd.basis}
    )
    audit.record(
        actor,
        "indicators.publication_limit.set",
        row,
        organization=org,
        before=before,
        after={"working_days": cmd.working_days, "basis": cmd.basis},
        legal_basis=cmd.basis,
    )
    return row
