"""Import and export of the catalog as .xlsx, in the provincial power-item library's usual layout.

One sheet, ``执法事项``; row 1 is the header, one item per row after it::

    事项编码 | 事项名称 | 事项类型 | 执法领域 | 实施依据 | 处罚种类 | 罚款下限 | 罚款上限 | 罚款说明 |
    监管主体 | 执法主体类别 | 高频 | 高需求 | 高综合 | 重点监管 | 乡镇库 | 关键词

* 实施依据: bases separated by "；", each ``《法律名称》第X条`` with an optional ``第X款第X项``.
* 处罚种类: Chinese labels of 行政处罚法 art. 9 separated by "、".
* 罚款下限/上限: yuan, a number or empty. 执法主体类别: 综合执法 / 专业执法 / 乡镇执法.
  高频 … 重点监管: 是 / 否 (empty is 否). 乡镇库: 基础库 / 自选库 / 无 (empty is 无).

Two optional columns may follow (the export writes them, so that a round trip loses nothing):
``依据摘要`` (one paraphrase per line, in the order of the bases) and ``检查要点`` (one checklist
point per line, inspection items only).

This module only reads and writes cells: every row is checked by the one row validator
(``validation.clean_row``, the same the item form and the API use), and its errors are reported
with the Excel row number and the Chinese header. The file report keeps the codes of the
template's documentation (``EXCEL_CODES``). ``import_items`` writes through
``services.import_items``: all rows in one transaction, or none. openpyxl reads in read-only mode
and writes in write-only mode, so a 5,000-row file stays cheap.

Articles: 行政处罚法第九条、第三十八条 (penalty types, legal bases), as checked by ``validation``.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO, Any
from zipfile import BadZipFile

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils.exceptions import InvalidFileException

from . import validation
from .demo_items import DOMAINS
from .validation import (
    BODY_SHORT,
    KIND_SHORT,
    LIBRARY_SHORT,
    PENALTY_SHORT,
    Lookups,
    format_basis,
    text,
    whole_yuan,
)

SHEET_NAME = "执法事项"

# Row key -> header, in the column order of the provincial template.
COLUMNS: dict[str, str] = {
    "code": "事项编码",
    "name": "事项名称",
    "kind": "事项类型",
    "domain": "执法领域",
    "legal_bases": "实施依据",
    "penalty_types": "处罚种类",
    "fine_min": "罚款下限",
    "fine_max": "罚款上限",
    "fine_note": "罚款说明",
    "regulator": "监管主体",
    "enforcing_body": "执法主体类别",
    "high_frequency": "高频",
    "high_demand": "高需求",
    "high_comprehensiveness": "高综合",
    "key_supervision": "重点监管",
    "township_library": "乡镇库",
    "keywords": "关键词",
}
OPTIONAL_COLUMNS: dict[str, str] = {"basis_texts": "依据摘要", "checklist": "检查要点"}
HEADERS = list(COLUMNS.values())
ALL_HEADERS = HEADERS + list(OPTIONAL_COLUMNS.values())
FLAGS = validation.FLAGS

# Labels written by the export; the import accepts these, the identifiers and every other label.
KIND_LABELS = KIND_SHORT
BODY_LABELS = BODY_SHORT
LIBRARY_LABELS = LIBRARY_SHORT
PENALTY_LABELS = {k: v for k, v in PENALTY_SHORT.items() if k != "detention"}

#: The validator's codes as the file report names them (the template's documentation uses these).
EXCEL_CODES = {
    "invalid_code": "bad_code",
    "domain_not_found": "unknown_domain",
    "invalid_penalty_type": "unknown_penalty_type",
    "invalid_amount": "not_a_number",
    "fine_negative": "negative_amount",
    "fine_range_reversed": "min_greater_than_max",
    "invalid_boolean": "bad_flag",
    "legal_basis_required": "required",
    "duplicate_in_file": "duplicate_code",
}
CHOICE_CODES = {
    "kind": "unknown_kind",
    "enforcing_body": "unknown_body",
    "township_library": "unknown_library",
}

_LINES = re.compile(r"\r\n|\r|\n")


def format_amount(amount: Decimal) -> str:
    """Whole yuan without decimals ("500"), otherwise the plain decimal ("12.5")."""
    return whole_yuan(amount)


def parse_legal_bases(cell: str) -> list[dict[str, str]] | None:
    """``《法》第X条第X款；《法》第Y条`` -> list of bases without text; None when a part is malformed."""
    bases, error = validation.parse_bases(cell)
    return None if error or not bases else bases


def format_legal_basis(basis: dict[str, str]) -> str:
    return format_basis(basis)


# ---------------------------------------------------------------------------------------------
# Parsing
# ---------------------------------------------------------------------------------------------


def excel_error(error: dict) -> dict:
    """A validator error with the Chinese header as column and the file report's code."""
    column = error.get("column") or ""
    code = CHOICE_CODES.get(column) if error["code"] == "invalid_choice" else None
    code = code or EXCEL_CODES.get(error["code"], error["code"])
    return {**error, "column": COLUMNS.get(column) or OPTIONAL_COLUMNS.get(column) or column, "code": code}


@dataclass
class ParsedSheet:
    """The rows that parsed cleanly, each with its row number in Excel, and every error."""

    rows: list[tuple[int, dict]] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)


def _open(file: Any):
    if isinstance(file, bytes | bytearray):
        file = io.BytesIO(file)
    elif isinstance(file, str | Path):
        file = str(file)
    elif hasattr(file, "seek"):
        file.seek(0)
    return load_workbook(file, read_only=True, data_only=True)


def _file_error(code: str, message: str) -> ParsedSheet:
    return ParsedSheet(errors=[{"row": None, "column": "", "code": code, "message": message}])


def parse_sheet(file: str | Path | bytes | IO[bytes], *, domains: Iterable[str] | None = None) -> ParsedSheet:
    """Parse and check every row; see ``parse_workbook``. Keeps the Excel row number of each row."""
    lookups = Lookups.offline(domains if domains is not None else (name for _, name in DOMAINS))
    try:
        workbook = _open(file)
    except (BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        return _file_error("not_xlsx", "无法读取文件：请上传 Excel 2007 及以上版本的 .xlsx 文件")
    result = ParsedSheet()
    try:
        if SHEET_NAME in workbook.sheetnames:
            sheet = workbook[SHEET_NAME]
        elif len(workbook.sheetnames) == 1:
            sheet = workbook.worksheets[0]
        else:
            return _file_error("missing_sheet", f"找不到名为“{SHEET_NAME}”的工作表")
        rows = sheet.iter_rows(values_only=True)
        positions = _header_positions(next(rows, None), result.errors)
        if positions is None:
            return result
        seen: dict[str, int] = {}
        for number, values in enumerate(rows, 2):
            if values is None or all(text(v) == "" for v in values):
                continue
            cells = {key: (values[i] if i < len(values) else None) for key, i in positions.items()}
            row = _parse_row(cells, number, lookups, result.errors)
            if row is None:
                continue
            if row["code"] in seen:
                result.errors.append(
                    {
                        "row": number,
                        "column": COLUMNS["code"],
                        "code": "duplicate_code",
                        "message": f"事项编码 {row['code']} 与第 {seen[row['code']]} 行重复",
                    }
                )
                continue
            seen[row["code"]] = number
            result.rows.append((number, row))
    finally:
        workbook.close()
    return result


def _header_positions(header: tuple | None, errors: list[dict]) -> dict[str, int] | None:
    """row key -> column index, or None (with errors on row 1) when the header is not the template's."""
    before = len(errors)

    def err(column: str, code: str, message: str) -> None:
        errors.append({"row": 1, "column": column, "code": code, "message": message})

    positions: dict[str, int] = {}
    by_header = {label: key for key, label in {**COLUMNS, **OPTIONAL_COLUMNS}.items()}
    for index, name in enumerate(text(v) for v in (header or ())):
        if not name:
            continue
        key = by_header.get(name)
        if key is None:
            err(name, "unknown_header", f"表头“{name}”不是执法事项模板的列")
        elif key in positions:
            err(name, "duplicate_header", f"表头“{name}”出现了不止一次")
        else:
            positions[key] = index
    for key, label in COLUMNS.items():
        if key not in positions:
            err(label, "missing_header", f"缺少表头“{label}”（第 1 行应为模板表头）")
    return None if len(errors) > before else positions


def _parse_row(cells: dict[str, Any], number: int, lookups: Lookups, errors: list[dict]) -> dict | None:
    """One row in the demo data's format, or None when it has errors (added to ``errors``)."""
    row: dict[str, Any] = {key: cells.get(key) for key in COLUMNS}
    for key in row:
        if key not in ("fine_min", "fine_max", *FLAGS):
            row[key] = text(row[key])
    extra = []
    bases, basis_error = validation.parse_bases(row["legal_bases"])
    if not basis_error and bases:
        texts = (
            [t.strip() for t in _LINES.split(text(cells.get("basis_texts")))]
            if text(cells.get("basis_texts"))
            else []
        )
        if len(texts) > len(bases):
            extra.append(
                {
                    "row": number,
                    "column": OPTIONAL_COLUMNS["basis_texts"],
                    "code": "basis_texts_mismatch",
                    "message": f"依据摘要有 {len(texts)} 行，多于实施依据的 {len(bases)} 条",
                }
            )
        for basis, basis_text in zip(bases, texts, strict=False):
            basis["text"] = basis_text
        row["legal_bases"] = bases
    row["checklist"] = [line.strip() for line in _LINES.split(text(cells.get("checklist"))) if line.strip()]
    clean, row_errors = validation.clean_row(row, number, lookups)
    errors += [excel_error(e) for e in row_errors] + extra
    if clean is None or extra:
        return None
    return clean.as_item()


def parse_workbook(
    file: str | Path | bytes | IO[bytes], *, domains: Iterable[str] | None = None
) -> tuple[list[dict], list[dict]]:
    """Read an .xlsx in the template's format.

    Returns ``(rows, errors)``: ``rows`` in the format of the demo data (only the rows without
    errors), ``errors`` as ``{"row", "column", "code", "message"}`` where ``row`` is the row number
    Excel shows (the header is row 1; ``None`` for a file-level error) and ``column`` the Chinese
    header. ``domains`` are the known domain names (default: the demo ``DOMAINS``).
    """
    parsed = parse_sheet(file, domains=domains)
    return [row for _, row in parsed.rows], parsed.errors


# ---------------------------------------------------------------------------------------------
# Export
# ---------------------------------------------------------------------------------------------

_WIDTHS = {
    "事项编码": 16,
    "事项名称": 48,
    "实施依据": 48,
    "处罚种类": 24,
    "罚款说明": 36,
    "监管主体": 26,
    "关键词": 30,
    "依据摘要": 60,
    "检查要点": 48,
}


def _cell_amount(value: str | None) -> int | Decimal | None:
    if value is None or value == "":
        return None
    amount = Decimal(str(value))
    return int(amount) if amount == amount.to_integral_value() else amount


def export_row(item: dict) -> list[Any]:
    """One item (demo data format) as the values of a sheet row, in ``ALL_HEADERS`` order."""
    yes_no = {True: "是", False: "否"}
    bases = item.get("legal_bases") or []
    return [
        item["code"],
        item["name"],
        KIND_LABELS.get(item["kind"], item["kind"]),
        item["domain"],
        "；".join(format_legal_basis(b) for b in bases),
        "、".join(PENALTY_SHORT.get(t, t) for t in item.get("penalty_types") or []),
        _cell_amount(item.get("fine_min")),
        _cell_amount(item.get("fine_max")),
        item.get("fine_note") or "",
        item.get("regulator") or "",
        BODY_LABELS.get(item["enforcing_body"], item["enforcing_body"]),
        *(yes_no[bool(item.get(flag))] for flag in FLAGS),
        LIBRARY_LABELS.get(item.get("township_library") or "none"),
        item.get("keywords") or "",
        "\n".join((b.get("text") or "") for b in bases).rstrip("\n"),
        "\n".join(_checklist_text(c) for c in item.get("checklist") or []),
    ]


def _checklist_text(entry: Any) -> str:
    return entry.get("text", "") if isinstance(entry, dict) else str(entry)


def export_workbook(items: Iterable[dict]) -> bytes:
    """The items (demo data format, e.g. ``services.item_content`` rows) as an .xlsx in the
    template's format; ``parse_workbook`` reads it back to the same rows."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET_NAME)
    for index, header in enumerate(ALL_HEADERS):
        sheet.column_dimensions[sheet_column_letter(index)].width = _WIDTHS.get(header, 12)
    sheet.freeze_panes = "C2"
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    header_cells = []
    for header in ALL_HEADERS:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for item in items:
        row = []
        for value in export_row(item):
            if isinstance(value, str) and "\n" in value:
                cell = WriteOnlyCell(sheet, value=value)
                cell.alignment = wrap
                row.append(cell)
            else:
                row.append(value)
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def sheet_column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# ---------------------------------------------------------------------------------------------
# Import into the database
# ---------------------------------------------------------------------------------------------


@dataclass
class ImportResult:
    """Counts of an import; ``errors`` lists every error of the file (nothing was written then)."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[dict] = field(default_factory=list)
    dry_run: bool = False
    rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def _relabel(error: dict, numbers: list[int]) -> dict:
    """An error of ``services.import_items`` (rows numbered from 0) with its Excel row and header."""
    index = error.get("row")
    row = numbers[index] if isinstance(index, int) and 0 <= index < len(numbers) else None
    return {**excel_error(error), "row": row}


def sort_errors(errors: list[dict]) -> list[dict]:
    order = {header: n for n, header in enumerate(ALL_HEADERS)}
    return sorted(errors, key=lambda e: (e["row"] or 0, order.get(e["column"], len(order))))


def check_parsed(
    actor, parsed: ParsedSheet, lookups: Lookups | None = None
) -> tuple[list[dict], list[str], list[str]]:
    """Every error of a parsed file, the database's checks of the rows that parsed included, and
    the codes it would create and update. Writes nothing. Anyone who may propose a revision may check."""
    from . import services

    lookups = lookups or Lookups.load()
    numbers = [number for number, _ in parsed.rows]
    rows = [row for _, row in parsed.rows]
    cleaned, errors = validation.clean_rows(rows, lookups, 0)
    errors += services.database_errors(rows, cleaned, 0)
    all_errors = sort_errors(parsed.errors + [_relabel(e, numbers) for e in errors])
    existing = set(services.items_by_code(c.code for c in cleaned))
    return (
        all_errors,
        [c.code for c in cleaned if c.code not in existing],
        [c.code for c in cleaned if c.code in existing],
    )


def import_parsed(
    actor, parsed: ParsedSheet, *, dry_run: bool, publish: bool = False, lookups=None
) -> ImportResult:
    """Check parsed rows against the database and, unless this is a dry run or anything is
    wrong anywhere in the file, write them all in one transaction (``services.import_items``)."""
    from django.db import transaction

    from . import services

    lookups = lookups or Lookups.load()
    numbers = [number for number, _ in parsed.rows]
    rows = [row for _, row in parsed.rows]
    result = ImportResult(
        dry_run=dry_run, rows=len(rows) + len({e["row"] for e in parsed.errors if (e["row"] or 0) >= 2})
    )
    if parsed.errors or dry_run:
        # Report every error of the file at once: the database checks of the rows that parsed too.
        check = services.import_items(actor, rows, dry_run=True, first_row=0, lookups=lookups)
        result.errors = sort_errors(parsed.errors + [_relabel(e, numbers) for e in check.errors])
        if not result.errors:
            result.created, result.updated = len(check.created), len(check.updated)
        return result
    with transaction.atomic():
        written = services.import_items(
            actor, rows, dry_run=False, first_row=0, publish=publish, lookups=lookups
        )
    result.errors = sort_errors([_relabel(e, numbers) for e in written.errors])
    if not result.errors:
        result.created, result.updated, result.unchanged = (
            len(written.created),
            len(written.updated),
            len(written.unchanged),
        )
    return result


def import_items(
    actor, file: str | Path | bytes | IO[bytes], *, dry_run: bool, publish: bool = False
) -> ImportResult:
    """Import an .xlsx into the catalog straight away (the 执法指导办; a department's administrator
    submits a file as a revision instead, ``imports``).

    Every row is checked, in the file (cells, labels, 实施依据, amounts, duplicate codes) and
    against the database (the domain and the regulator exist, the item is not repealed …).
    A dry run lists every error and what would be created or updated, and writes nothing. A
    real run refuses the whole file if there is any error, and otherwise creates or updates all
    items in one transaction through ``services.import_items`` (audited, versioned)."""
    from . import services

    services.require_manager(actor)
    lookups = Lookups.load()
    domains = {domain.name for domain in lookups.domains.values()}
    parsed = parse_sheet(file, domains=domains)
    return import_parsed(actor, parsed, dry_run=dry_run, publish=publish, lookups=lookups)
