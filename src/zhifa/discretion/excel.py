"""Import and export of discretion baselines as .xlsx, one circumstance level per row::

    事项编码 | 施行日期 | 法定幅度方式 | 法定下限 | 法定上限 | 情节 | 认定条件 | 计算方式 | 幅度下限 | 幅度上限 | 减轻处罚 | 情节描述

Rows of one item form one baseline (a new draft version), in the order of the sheet.
* 法定幅度方式 / 法定下限 / 法定上限: only for items without a fixed fine range in the catalog.
* 情节: 轻微 / 一般 / 较重 / 严重. 计算方式: 不予罚款 / 固定金额 / 违法所得倍数 / 货值倍数 / 工程造价百分比.
* 认定条件: conditions separated by "；": 首次违法, 及时改正, 再次违法, 拒不改正, 未造成危害后果,
  危害后果轻微 (at most minor), 造成危害后果 (at least minor), 危害后果较重 (serious),
  ``涉案金额A-B`` (amount band, B empty for no upper bound), ``违法所得≥N``. Empty: no condition.

Like ``catalog.excel``: every error is reported with its Excel row, column header, code and Chinese
message; a file with any error writes nothing; a good file writes all baselines in one transaction.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO, Any
from zipfile import BadZipFile

from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from . import rules

SHEET_NAME = "裁量基准"
COLUMNS = {
    "code": "事项编码",
    "effective_from": "施行日期",
    "statutory_kind": "法定幅度方式",
    "statutory_low": "法定下限",
    "statutory_high": "法定上限",
    "name": "情节",
    "conditions": "认定条件",
    "range_kind": "计算方式",
    "range_low": "幅度下限",
    "range_high": "幅度上限",
    "mitigated": "减轻处罚",
    "description": "情节描述",
}
HEADERS = list(COLUMNS.values())
REQUIRED = ("code", "effective_from", "name", "range_kind")

LEVELS_BY_LABEL = {label: key for key, label in rules.LEVEL_LABELS.items()}
KIND_LABELS = {
    rules.NO_FINE: "不予罚款",
    rules.FIXED: "固定金额",
    rules.GAINS_MULTIPLE: "违法所得倍数",
    rules.VALUE_MULTIPLE: "货值倍数",
    rules.PERCENT_OF_COST: "工程造价百分比",
}
KINDS_BY_LABEL = {**{label: key for key, label in KIND_LABELS.items()}, **{key: key for key in KIND_LABELS}}
FLAG_TOKENS = {
    "首次违法": ("first_offence", True),
    "及时改正": ("corrected_in_time", True),
    "再次违法": ("repeat", True),
    "拒不改正": ("refused_correction", True),
    "未造成危害后果": ("harm_max", "none"),
    "危害后果轻微": ("harm_max", "minor"),
    "造成危害后果": ("harm_min", "minor"),
    "危害后果较重": ("harm_min", "serious"),
}
_BAND = re.compile(r"^涉案金额\s*(?P<low>\d+(?:\.\d+)?)\s*[-–~至]\s*(?P<high>\d+(?:\.\d+)?)?\s*元?$")
_GAINS = re.compile(r"^违法所得\s*(?:≥|>=)\s*(?P<n>\d+(?:\.\d+)?)\s*元?$")
_SPLIT = re.compile(r"[；;]")
_TRUE = {"是", "Y", "y", "1", "true", "TRUE"}


class _Errors(list):
    def add(self, row: int | None, column: str, code: str, message: str) -> None:
        self.append({"row": row, "column": column, "code": code, "message": message})


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def parse_conditions(cell: str) -> dict[str, Any]:
    """The condition dict of a cell; raises ValueError naming the token it cannot read."""
    conditions: dict[str, Any] = {}
    for token in (t.strip() for t in _SPLIT.split(cell or "")):
        if not token:
            continue
        if token in FLAG_TOKENS:
            key, value = FLAG_TOKENS[token]
            conditions[key] = value
        elif match := _BAND.match(token):
            conditions["amount"] = {"min": match["low"], "max": match["high"]}
        elif match := _GAINS.match(token):
            conditions["gains_min"] = match["n"]
        else:
            raise ValueError(token)
    return conditions


def format_conditions(conditions: dict[str, Any]) -> str:
    tokens = []
    for token, (key, value) in FLAG_TOKENS.items():
        if conditions.get(key) == value:
            tokens.append(token)
    if "amount" in conditions:
        band = conditions["amount"]
        tokens.append(
            f"涉案金额{_num(band.get('min') or 0)}-{'' if band.get('max') is None else _num(band['max'])}"
        )
    if "gains_min" in conditions:
        tokens.append(f"违法所得≥{_num(conditions['gains_min'])}")
    return "；".join(tokens)


def _num(value: Any) -> str:
    amount = Decimal(str(value))
    return str(int(amount)) if amount == amount.to_integral_value() else format(amount.normalize(), "f")


@dataclass
class ParsedBaseline:
    code: str
    rows: list[int]  # Excel row numbers, one per level
    data: dict[str, Any]


@dataclass
class ImportResult:
    created: list[Any] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


def _amount(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise ValueError
    try:
        amount = (
            Decimal(str(value).replace(",", "")) if not isinstance(value, float) else Decimal(repr(value))
        )
    except InvalidOperation as exc:
        raise ValueError from exc
    if not amount.is_finite() or amount < 0:
        raise ValueError
    return amount


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(_text(value))


def parse_workbook(file: bytes | IO[bytes]) -> tuple[list[ParsedBaseline], list[dict]]:
    errors = _Errors()
    try:
        workbook = load_workbook(
            io.BytesIO(file) if isinstance(file, bytes | bytearray) else file, read_only=True, data_only=True
        )
    except (BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        errors.add(None, "", "not_xlsx", "无法读取文件：请上传 Excel 2007 及以上版本的 .xlsx 文件")
        return [], list(errors)
    try:
        sheet = workbook[SHEET_NAME] if SHEET_NAME in workbook.sheetnames else workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = [_text(v) for v in next(rows, None) or ()]
        positions = {}
        for key, label in COLUMNS.items():
            if label in header:
                positions[key] = header.index(label)
            else:
                errors.add(1, label, "missing_header", f"缺少表头“{label}”（第 1 行应为模板表头）")
        if errors:
            return [], list(errors)
        groups: dict[str, ParsedBaseline] = {}
        for number, values in enumerate(rows, 2):
            if values is None or all(_text(v) == "" for v in values):
                continue
            cells = {key: (values[i] if i < len(values) else None) for key, i in positions.items()}
            _parse_row(cells, number, groups, errors)
    finally:
        workbook.close()
    return list(groups.values()), list(errors)


def _parse_row(
    cells: dict[str, Any], number: int, groups: dict[str, ParsedBaseline], errors: _Errors
) -> None:
    before = len(errors)

    def err(key: str, code: str, message: str) -> None:
        errors.add(number, COLUMNS[key], code, message)

    text = {key: _text(value) for key, value in cells.items()}
    for key in REQUIRED:
        if not text[key]:
            err(key, "required", f"请填写“{COLUMNS[key]}”")
    effective_from = None
    if text["effective_from"]:
        try:
            effective_from = _date(cells["effective_from"])
        except ValueError:
            err("effective_from", "bad_date", f"施行日期“{text['effective_from']}”应为日期，如 2026-01-01")
    name = LEVELS_BY_LABEL.get(text["name"], text["name"] if text["name"] in rules.LEVEL_LABELS else None)
    if text["name"] and name is None:
        err("name", "unknown_level", f"情节“{text['name']}”应为：轻微、一般、较重、严重")
    kind = KINDS_BY_LABEL.get(text["range_kind"])
    if text["range_kind"] and kind is None:
        err(
            "range_kind",
            "unknown_range_kind",
            f"计算方式“{text['range_kind']}”应为：{'、'.join(KIND_LABELS.values())}",
        )
    statutory_kind = KINDS_BY_LABEL.get(text["statutory_kind"]) if text["statutory_kind"] else None
    if text["statutory_kind"] and statutory_kind is None:
        err(
            "statutory_kind",
            "unknown_range_kind",
            f"法定幅度方式“{text['statutory_kind']}”应为：{'、'.join(KIND_LABELS.values())}",
        )
    amounts = {}
    for key in ("range_low", "range_high", "statutory_low", "statutory_high"):
        if not text[key]:
            amounts[key] = None
            continue
        try:
            amounts[key] = _amount(cells[key])
        except ValueError:
            err(key, "not_a_number", f"“{COLUMNS[key]}”应为非负数字，现为“{text[key]}”")
    if (
        kind not in (None, rules.NO_FINE)
        and len(errors) == before
        and (amounts.get("range_low") is None or amounts.get("range_high") is None)
    ):
        err("range_high", "required", "请填写幅度下限和上限")
    try:
        conditions = parse_conditions(text["conditions"])
    except ValueError as exc:
        err(
            "conditions",
            "bad_condition",
            f"无法识别的认定条件“{exc}”；可用：{'、'.join(FLAG_TOKENS)}、涉案金额A-B、违法所得≥N",
        )
        conditions = {}
    if len(errors) > before:
        return
    group = groups.get(text["code"])
    if group is None:
        data = {"effective_from": effective_from, "levels": []}
        if statutory_kind:
            data.update(
                statutory_kind=statutory_kind,
                statutory_low=amounts["statutory_low"] or 0,
                statutory_high=amounts["statutory_high"],
            )
        group = groups[text["code"]] = ParsedBaseline(text["code"], [], data)
    elif group.data["effective_from"] != effective_from:
        err("effective_from", "effective_from_differs", "同一事项各行的施行日期应相同")
        return
    group.rows.append(number)
    group.data["levels"].append(
        {
            "name": name,
            "conditions": conditions,
            "range_kind": kind,
            "range_low": amounts.get("range_low") or 0,
            "range_high": amounts.get("range_high") or 0,
            "mitigated": text["mitigated"] in _TRUE,
            "description": text["description"],
        }
    )


_ERROR_COLUMNS = {
    "range": "range_high",
    "name": "name",
    "conditions": "conditions",
    "range_low": "range_low",
    "range_high": "range_high",
}


def _relabel(exc, group: ParsedBaseline) -> list[dict]:
    """A service ValidationError or DomainError as row errors of the group's rows."""
    from django.core.exceptions import ValidationError

    errors = []
    if isinstance(exc, ValidationError):
        for key, items in exc.error_dict.items():
            row, column = group.rows[0], COLUMNS["code"]
            parts = key.split(".")
            if parts[0] == "levels" and len(parts) == 3:
                row = group.rows[int(parts[1])]
                column = COLUMNS[_ERROR_COLUMNS.get(parts[2], "conditions")]
            elif key in COLUMNS:
                column = COLUMNS[key]
            for item in items:
                errors.append(
                    {
                        "row": row,
                        "column": column,
                        "code": item.code or "invalid",
                        "message": " ".join(item.messages),
                    }
                )
    else:
        errors.append(
            {
                "row": group.rows[0],
                "column": COLUMNS.get(exc.field or "", COLUMNS["code"]),
                "code": exc.code,
                "message": exc.message,
            }
        )
    return errors


class _Rollback(Exception):
    pass


def import_baselines(actor, file: bytes | IO[bytes], *, dry_run: bool = False) -> ImportResult:
    """Create one draft version per item of the file; all or nothing."""
    from django.core.exceptions import ValidationError
    from django.db import transaction

    from zhifa.catalog.models import EnforcementItem
    from zhifa.core.errors import DomainError, PermissionDenied

    from . import services

    groups, errors = parse_workbook(file)
    result = ImportResult(dry_run=dry_run, errors=errors)
    items = {i.code: i for i in EnforcementItem.objects.filter(code__in=[g.code for g in groups])}
    try:
        with transaction.atomic():
            for group in groups:
                item = items.get(group.code)
                if item is None:
                    result.errors.append(
                        {
                            "row": group.rows[0],
                            "column": COLUMNS["code"],
                            "code": "item_not_found",
                            "message": f"事项编码 {group.code} 不在执法事项清单中",
                        }
                    )
                    continue
                try:
                    with transaction.atomic():
                        result.created.append(services.create_baseline(actor, item, group.data))
                except PermissionDenied:
                    raise
                except (ValidationError, DomainError) as exc:
                    result.errors.extend(_relabel(exc, group))
            if result.errors or dry_run:
                raise _Rollback
    except _Rollback:
        if result.errors:
            result.created = []
    result.errors.sort(
        key=lambda e: (e["row"] or 0, HEADERS.index(e["column"]) if e["column"] in HEADERS else 99)
    )
    return result


def export_workbook(baselines) -> bytes:
    """Baselines (with ``levels`` and ``item``) as an .xlsx that ``import_baselines`` reads back."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET_NAME)
    sheet.append(HEADERS)
    for baseline in baselines:
        fixed_in_catalog = baseline.item.fine_max is not None
        for level in baseline.levels.all():
            sheet.append(
                [
                    baseline.item.code,
                    baseline.effective_from,
                    "" if fixed_in_catalog else KIND_LABELS[baseline.statutory_kind],
                    None if fixed_in_catalog else float(baseline.statutory_low),
                    None if fixed_in_catalog else float(baseline.statutory_high),
                    rules.LEVEL_LABELS[level.name],
                    format_conditions(level.conditions),
                    KIND_LABELS[level.range_kind],
                    None if level.range_kind == rules.NO_FINE else float(level.range_low),
                    None if level.range_kind == rules.NO_FINE else float(level.range_high),
                    "是" if level.mitigated else "否",
                    level.description,
                ]
            )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
