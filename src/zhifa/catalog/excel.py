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

``parse_workbook`` and ``export_workbook`` need no database. ``import_items`` checks the rows
against the database as well and writes them through ``services.import_items``: all rows in one
transaction, or none.

openpyxl reads in read-only mode and writes in write-only mode, so a 5,000-row file stays cheap.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any
from zipfile import BadZipFile

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils.exceptions import InvalidFileException

from . import rules
from .demo_items import DOMAINS

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
REQUIRED = ("code", "name", "kind", "domain", "legal_bases", "regulator", "enforcing_body")
FLAGS = ("high_frequency", "high_demand", "high_comprehensiveness", "key_supervision")

# Labels written by the export; the import also accepts the identifiers and the labels of ``rules``.
KIND_LABELS = {"penalty": "行政处罚", "inspection": "行政检查", "compulsory_measure": "行政强制措施",
               "compulsory_execution": "行政强制执行", "other": "其他"}
BODY_LABELS = {"comprehensive": "综合执法", "professional": "专业执法", "township": "乡镇执法"}
LIBRARY_LABELS = {"base": "基础库", "optional": "自选库", "none": "无"}
PENALTY_LABELS = {**rules.PENALTY_TYPE_LABELS, "other": "其他行政处罚"}
PENALTY_LABELS.pop("detention", None)  # public security only (行政处罚法 art. 9): never a catalog item's


def _lookup(*tables: dict[str, str], extra: dict[str, str] | None = None) -> dict[str, str]:
    """label or identifier -> identifier."""
    result: dict[str, str] = {}
    for table in tables:
        for key, label in table.items():
            result[key] = key
            result[label] = key
    result.update(extra or {})
    return result


_KINDS = _lookup(KIND_LABELS, rules.KIND_LABELS, extra={"行政强制": "compulsory_measure"})
_BODIES = _lookup(BODY_LABELS, rules.ENFORCING_BODY_LABELS,
                  extra={"综合行政执法": "comprehensive", "乡镇": "township", "乡镇（街道）执法": "township"})
_LIBRARIES = _lookup(LIBRARY_LABELS, rules.TOWNSHIP_LIBRARY_LABELS, extra={"": "none"})
_PENALTIES = _lookup(PENALTY_LABELS, {k: v for k, v in rules.PENALTY_TYPE_LABELS.items() if k != "detention"},
                     extra={"其他": "other"})
_TRUE, _FALSE = {"是", "Y", "y", "TRUE", "true", "1"}, {"否", "N", "n", "FALSE", "false", "0", ""}

_NUM = "〇零一二三四五六七八九十百千"
BASIS = re.compile(rf"^《(?P<law>[^《》]+)》\s*(?P<article>第[{_NUM}]+条(?:之[{_NUM}]+)?)"
                   rf"\s*(?P<clause>(?:第[{_NUM}]+款)?(?:第[{_NUM}]+项)?)$")
_BASIS_SPLIT = re.compile(r"[；;]")
_PENALTY_SPLIT = re.compile(r"[、，,；;]")
_LINES = re.compile(r"\r\n|\r|\n")


# ---------------------------------------------------------------------------------------------
# Parsing
# ---------------------------------------------------------------------------------------------

class _Errors(list):
    def add(self, row: int | None, column: str, code: str, message: str) -> None:
        self.append({"row": row, "column": column, "code": code, "message": message})


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _amount(value: Any) -> Decimal:
    """A cell as an amount of yuan. Raises ValueError when it is not a number."""
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int | Decimal):
        amount = Decimal(value)
    elif isinstance(value, float):
        amount = Decimal(repr(value))
    else:
        try:
            amount = Decimal(_text(value).replace(",", "").replace("，", ""))
        except InvalidOperation as exc:
            raise ValueError from exc
    if not amount.is_finite():
        raise ValueError
    return amount


def format_amount(amount: Decimal) -> str:
    """Whole yuan without decimals ("500"), otherwise the plain decimal ("12.5")."""
    if amount == amount.to_integral_value():
        return str(int(amount))
    return format(amount.normalize(), "f")


def parse_legal_bases(cell: str) -> list[dict[str, str]] | None:
    """``《法》第X条第X款；《法》第Y条`` -> list of bases without text; None when a part is malformed."""
    bases = []
    for part in _BASIS_SPLIT.split(cell):
        part = part.strip()
        if not part:
            continue
        match = BASIS.match(part)
        if match is None:
            return None
        bases.append({"law": match["law"].strip(), "article": match["article"], "clause": match["clause"], "text": ""})
    return bases or None


def format_legal_basis(basis: dict[str, str]) -> str:
    return f"《{basis['law']}》{basis['article']}{basis.get('clause') or ''}"


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


def parse_sheet(file: str | Path | bytes | IO[bytes], *, domains: Iterable[str] | None = None) -> ParsedSheet:
    """Parse and check every row; see ``parse_workbook``. Keeps the Excel row number of each row."""
    result = ParsedSheet()
    errors = _Errors()
    known_domains = set(domains) if domains is not None else {name for _, name in DOMAINS}
    try:
        workbook = _open(file)
    except (BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        errors.add(None, "", "not_xlsx", "无法读取文件：请上传 Excel 2007 及以上版本的 .xlsx 文件")
        result.errors = list(errors)
        return result
    try:
        if SHEET_NAME in workbook.sheetnames:
            sheet = workbook[SHEET_NAME]
        elif len(workbook.sheetnames) == 1:
            sheet = workbook.worksheets[0]
        else:
            errors.add(None, "", "missing_sheet", f"找不到名为“{SHEET_NAME}”的工作表")
            result.errors = list(errors)
            return result
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None)
        positions = _header_positions(header, errors)
        if positions is None:
            result.errors = list(errors)
            return result
        seen: dict[str, int] = {}
        for number, values in enumerate(rows, 2):
            if values is None or all(_text(v) == "" for v in values):
                continue
            cells = {key: (values[i] if i < len(values) else None) for key, i in positions.items()}
            row = _parse_row(cells, number, known_domains, errors)
            if row is None:
                continue
            if row["code"] in seen:
                errors.add(number, COLUMNS["code"], "duplicate_code",
                           f"事项编码 {row['code']} 与第 {seen[row['code']]} 行重复")
                continue
            seen[row["code"]] = number
            result.rows.append((number, row))
    finally:
        workbook.close()
    result.errors = list(errors)
    return result


def _header_positions(header: tuple | None, errors: _Errors) -> dict[str, int] | None:
    """row key -> column index, or None (with errors on row 1) when the header is not the template's."""
    names = [_text(v) for v in (header or ())]
    positions: dict[str, int] = {}
    by_header = {label: key for key, label in {**COLUMNS, **OPTIONAL_COLUMNS}.items()}
    for index, name in enumerate(names):
        if not name:
            continue
        key = by_header.get(name)
        if key is None:
            errors.add(1, name, "unknown_header", f"表头“{name}”不是执法事项模板的列")
        elif key in positions:
            errors.add(1, name, "duplicate_header", f"表头“{name}”出现了不止一次")
        else:
            positions[key] = index
    for key, label in COLUMNS.items():
        if key not in positions:
            errors.add(1, label, "missing_header", f"缺少表头“{label}”（第 1 行应为模板表头）")
    return None if errors else positions


def _parse_row(cells: dict[str, Any], number: int, known_domains: set[str], errors: _Errors) -> dict | None:
    """One row in the demo ``ITEMS`` format, or None when it has errors (added to ``errors``)."""
    before = len(errors)

    def err(key: str, code: str, message: str) -> None:
        errors.add(number, COLUMNS.get(key) or OPTIONAL_COLUMNS[key], code, message)

    text = {key: _text(value) for key, value in cells.items() if key not in ("fine_min", "fine_max")}
    for key in REQUIRED:
        if not text.get(key):
            err(key, "required", f"请填写“{COLUMNS[key]}”")

    code = text.get("code", "")
    if code and not rules.ITEM_CODE.match(code):
        err("code", "bad_code", "事项编码应为 4–40 位数字或字母（可含连字符）")

    kind = _KINDS.get(text.get("kind", ""))
    if text.get("kind") and kind is None:
        err("kind", "unknown_kind", f"事项类型“{text['kind']}”应为：行政处罚、行政检查、行政强制措施")

    domain = text.get("domain", "")
    if domain and domain not in known_domains:
        err("domain", "unknown_domain", f"执法领域“{domain}”不存在")

    bases: list[dict[str, str]] = []
    if text.get("legal_bases"):
        parsed = parse_legal_bases(text["legal_bases"])
        if parsed is None:
            err("legal_bases", "bad_legal_basis",
                "实施依据应写成“《法律法规名称》第X条”（可带“第X款第X项”），多条依据用“；”分隔")
        else:
            bases = parsed
            texts = [t.strip() for t in _LINES.split(text.get("basis_texts", ""))] if text.get("basis_texts") else []
            if len(texts) > len(bases):
                err("basis_texts", "basis_texts_mismatch", f"依据摘要有 {len(texts)} 行，多于实施依据的 {len(bases)} 条")
            for basis, basis_text in zip(bases, texts, strict=False):
                basis["text"] = basis_text

    penalty_types: list[str] = []
    for label in _split_penalty_types(text.get("penalty_types", "")):
        penalty_type = _PENALTIES.get(label)
        if penalty_type is None:
            err("penalty_types", "unknown_penalty_type", f"处罚种类“{label}”不是行政处罚法第九条规定的种类")
        elif penalty_type not in penalty_types:
            penalty_types.append(penalty_type)
    if penalty_types and kind not in (None, rules.PENALTY):
        err("penalty_types", "penalty_types_not_penalty", "只有行政处罚事项才填写处罚种类")

    amounts: dict[str, Decimal | None] = {}
    for key in ("fine_min", "fine_max"):
        value = cells.get(key)
        amounts[key] = None
        if value is None or _text(value) == "":
            continue
        try:
            amount = _amount(value)
        except ValueError:
            err(key, "not_a_number", f"“{COLUMNS[key]}”应为数字（单位：元），现为“{_text(value)}”")
            continue
        if amount < 0:
            err(key, "negative_amount", f"“{COLUMNS[key]}”不能为负数")
            continue
        amounts[key] = amount
    if amounts["fine_min"] is not None and amounts["fine_max"] is not None and amounts["fine_min"] > amounts["fine_max"]:
        err("fine_max", "min_greater_than_max", "罚款上限不能低于罚款下限")
    elif (amounts["fine_min"] is not None or amounts["fine_max"] is not None) and "fine" not in penalty_types \
            and kind == rules.PENALTY:
        err("penalty_types", "fine_type_missing", "填写了罚款金额，处罚种类中应包含“罚款”")

    body = _BODIES.get(text.get("enforcing_body", ""))
    if text.get("enforcing_body") and body is None:
        err("enforcing_body", "unknown_body", f"执法主体类别“{text['enforcing_body']}”应为：综合执法、专业执法、乡镇执法")
    library = _LIBRARIES.get(text.get("township_library", ""))
    if library is None:
        err("township_library", "unknown_library", f"乡镇库“{text['township_library']}”应为：基础库、自选库、无")
    elif body is not None:
        refusal = rules.library_refusal(body, library)
        if refusal:
            err("township_library", *refusal)

    flags = {}
    for key in FLAGS:
        value = cells.get(key)
        if isinstance(value, bool):
            flags[key] = value
        elif text.get(key, "") in _TRUE:
            flags[key] = True
        elif text.get(key, "") in _FALSE:
            flags[key] = False
        else:
            err(key, "bad_flag", f"“{COLUMNS[key]}”应填“是”或“否”")

    checklist = [line.strip() for line in _LINES.split(text.get("checklist", "")) if line.strip()]
    if checklist and kind not in (None, rules.INSPECTION):
        err("checklist", "checklist_not_inspection", "只有行政检查事项才填写检查要点")

    if len(errors) > before:
        return None
    row = {
        "code": code,
        "name": text["name"],
        "kind": kind,
        "domain": domain,
        "legal_bases": bases,
        "penalty_types": penalty_types,
        "fine_min": None if amounts["fine_min"] is None else format_amount(amounts["fine_min"]),
        "fine_max": None if amounts["fine_max"] is None else format_amount(amounts["fine_max"]),
        "fine_note": text.get("fine_note", ""),
        "regulator": text["regulator"],
        "enforcing_body": body,
        **flags,
        "township_library": library,
        "keywords": text.get("keywords", ""),
    }
    if kind == rules.INSPECTION:
        row["checklist"] = checklist
    return row


def _split_penalty_types(cell: str) -> list[str]:
    # rules' label of "other" contains "、": keep it whole (and in its place) while splitting.
    long_other, placeholder = rules.PENALTY_TYPE_LABELS["other"], "\x00"
    parts = [p.strip() for p in _PENALTY_SPLIT.split(cell.replace(long_other, placeholder)) if p.strip()]
    return [long_other if p == placeholder else p for p in parts]


def parse_workbook(file: str | Path | bytes | IO[bytes], *, domains: Iterable[str] | None = None
                   ) -> tuple[list[dict], list[dict]]:
    """Read an .xlsx in the template's format.

    Returns ``(rows, errors)``: ``rows`` in the format of ``demo_items.ITEMS`` (only the rows
    without errors), ``errors`` as ``{"row", "column", "code", "message"}`` where ``row`` is the
    row number Excel shows (the header is row 1; ``None`` for a file-level error) and ``column``
    the Chinese header. ``domains`` are the known domain names (default: the demo ``DOMAINS``).
    """
    parsed = parse_sheet(file, domains=domains)
    return [row for _, row in parsed.rows], parsed.errors


# ---------------------------------------------------------------------------------------------
# Export
# ---------------------------------------------------------------------------------------------

_WIDTHS = {"事项编码": 16, "事项名称": 48, "实施依据": 48, "处罚种类": 24, "罚款说明": 36, "监管主体": 26,
           "关键词": 30, "依据摘要": 60, "检查要点": 48}


def _cell_amount(value: str | None) -> int | Decimal | None:
    if value is None or value == "":
        return None
    amount = Decimal(str(value))
    return int(amount) if amount == amount.to_integral_value() else amount


def export_row(item: dict) -> list[Any]:
    """One item (``ITEMS`` format) as the values of a sheet row, in ``ALL_HEADERS`` order."""
    yes_no = {True: "是", False: "否"}
    bases = item.get("legal_bases") or []
    return [
        item["code"],
        item["name"],
        KIND_LABELS.get(item["kind"], item["kind"]),
        item["domain"],
        "；".join(format_legal_basis(b) for b in bases),
        "、".join(PENALTY_LABELS.get(t, t) for t in item.get("penalty_types") or []),
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
    """The items (``ITEMS`` format, e.g. ``services.item_content`` rows) as an .xlsx in the
    template's format; ``parse_workbook`` reads it back to the same rows."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET_NAME)
    for index, header in enumerate(ALL_HEADERS):
        letter = sheet_column_letter(index)
        sheet.column_dimensions[letter].width = _WIDTHS.get(header, 12)
    sheet.freeze_panes = "C2"
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    header_cells = []
    for header in ALL_HEADERS:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for item in items:
        values = export_row(item)
        row = []
        for value in values:
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


# services' column names (row keys) -> the sheet's headers
_SERVICE_COLUMNS = {**COLUMNS, "checklist": OPTIONAL_COLUMNS["checklist"]}


def _relabel(error: dict, numbers: list[int]) -> dict:
    """An error of ``services.import_items`` (rows numbered from 0) with its Excel row and header."""
    index = error.get("row")
    row = numbers[index] if isinstance(index, int) and 0 <= index < len(numbers) else None
    return {**error, "row": row, "column": _SERVICE_COLUMNS.get(error.get("column") or "", error.get("column") or "")}


def _sorted(errors: list[dict]) -> list[dict]:
    order = {header: n for n, header in enumerate(ALL_HEADERS)}
    return sorted(errors, key=lambda e: (e["row"] or 0, order.get(e["column"], len(order))))


def import_parsed(actor, parsed: ParsedSheet, *, dry_run: bool, publish: bool = False, lookups=None) -> ImportResult:
    """Check parsed rows against the database and, unless this is a dry run or anything is
    wrong anywhere in the file, write them all in one transaction (``services.import_items``)."""
    from django.db import transaction

    from . import services

    lookups = lookups or services.Lookups.load()
    numbers = [number for number, _ in parsed.rows]
    rows = [row for _, row in parsed.rows]
    result = ImportResult(dry_run=dry_run, rows=len(rows) + len({e["row"] for e in parsed.errors if (e["row"] or 0) >= 2}))
    if parsed.errors or dry_run:
        # Report every error of the file at once: the database checks of the rows that parsed too.
        check = services.import_items(actor, rows, dry_run=True, first_row=0, lookups=lookups)
        result.errors = _sorted(parsed.errors + [_relabel(e, numbers) for e in check.errors])
        if not result.errors:
            result.created, result.updated = len(check.created), len(check.updated)
        return result
    with transaction.atomic():
        written = services.import_items(actor, rows, dry_run=False, first_row=0, publish=publish, lookups=lookups)
    result.errors = _sorted([_relabel(e, numbers) for e in written.errors])
    if not result.errors:
        result.created, result.updated, result.unchanged = len(written.created), len(written.updated), len(written.unchanged)
    return result


def import_items(actor, file: str | Path | bytes | IO[bytes], *, dry_run: bool, publish: bool = False) -> ImportResult:
    """Import an .xlsx into the catalog.

    Every row is checked, in the file (cells, labels, 实施依据, amounts, duplicate codes) and
    against the database (the domain and the regulator exist, the item is not repealed …).
    A dry run lists every error and what would be created or updated, and writes nothing. A
    real run refuses the whole file if there is any error, and otherwise creates or updates all
    items in one transaction through ``services.import_items`` (audited, versioned). Only the
    catalog's managers may import (``services`` checks the actor)."""
    from . import services

    lookups = services.Lookups.load()
    domains = {domain.name for domain in lookups.domains.values()}
    parsed = parse_sheet(file, domains=domains)
    return import_parsed(actor, parsed, dry_run=dry_run, publish=publish, lookups=lookups)
