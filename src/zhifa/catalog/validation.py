"""The one validator of a catalog row (执法事项), used alike by the Excel import, the item form, the
API, revisions and the demo loader.

A *row* is a dict in the shape of ``data/demo_items.json``: identifiers or their Chinese labels,
amounts as numbers or text, flags as booleans or 是/否, legal bases as dicts or as text
``《法律名称》第X条第X款``, checklist points as text or dicts. ``clean_row`` turns it into a
``CleanRow`` or names every error by column and rule (``{"row", "column", "code", "message"}``).

Rules checked (articles of the 行政处罚法 unless named otherwise):

* art. 38: an item rests on at least one legal basis — a penalty without one is void;
* art. 9: penalty types are those of art. 9; art. 18 para. 3: 行政拘留 only by public security
  (a professional department), never by comprehensive enforcement;
* the fine range is ordered and non-negative, and a fine range implies the type 罚款;
* art. 24: items exercised by townships are exactly those of the township libraries (基础库 / 自选库);
* only penalty items have penalty types, only inspection items have checklists (行政检查清单).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from . import rules

#: The keys of a row, in the order of the demo data and the Excel template.
ROW_KEYS = (
    "code",
    "name",
    "kind",
    "domain",
    "legal_bases",
    "penalty_types",
    "fine_min",
    "fine_max",
    "fine_note",
    "regulator",
    "enforcing_body",
    "high_frequency",
    "high_demand",
    "high_comprehensiveness",
    "key_supervision",
    "township_library",
    "keywords",
    "checklist",
)
FLAGS = ("high_frequency", "high_demand", "high_comprehensiveness", "key_supervision")
#: Keys a row may carry besides ``ROW_KEYS`` (the demo data names who claims professional items).
EXTRA_KEYS = ("enforcing_department",)

_CENT = Decimal("0.01")
_TRUE = {"1", "true", "yes", "y", "是", "√", "✓"}
_FALSE = {"", "0", "false", "no", "n", "否", "×"}
_KEYWORD_SPLIT = re.compile(r"[,，、;；\s]+")
_BASIS_SPLIT = re.compile(r"[；;\n]")
_PENALTY_SPLIT = re.compile(r"[、，,；;]")
_NUM = "〇零一二三四五六七八九十百千"
BASIS = re.compile(
    rf"^《(?P<law>[^《》]+)》\s*(?P<article>第[{_NUM}]+条(?:之[{_NUM}]+)?)"
    rf"\s*(?P<clause>(?:第[{_NUM}]+款)?(?:第[{_NUM}]+项)?)$"
)


def _aliases(*tables: dict[str, str], extra: dict[str, str] | None = None) -> dict[str, str]:
    """label or identifier -> identifier."""
    result: dict[str, str] = {}
    for table in tables:
        for key, label in table.items():
            result[key] = key
            result[label] = key
    result.update(extra or {})
    return result


#: What the Excel template writes for each vocabulary (short labels); every label is accepted.
KIND_SHORT = dict(rules.KIND_LABELS)
BODY_SHORT = {rules.COMPREHENSIVE: "综合执法", rules.PROFESSIONAL: "专业执法", rules.TOWNSHIP: "乡镇执法"}
LIBRARY_SHORT = {rules.BASE: "基础库", rules.OPTIONAL: "自选库", rules.NONE: "无"}
PENALTY_SHORT = {**rules.PENALTY_TYPE_LABELS, "other": "其他行政处罚"}

KINDS = _aliases(rules.KIND_LABELS, extra={"行政强制": rules.COMPULSORY_MEASURE})
BODIES = _aliases(
    BODY_SHORT,
    rules.ENFORCING_BODY_LABELS,
    extra={"综合行政执法": rules.COMPREHENSIVE, "乡镇": rules.TOWNSHIP, "乡镇（街道）执法": rules.TOWNSHIP},
)
LIBRARIES = _aliases(LIBRARY_SHORT, rules.TOWNSHIP_LIBRARY_LABELS, extra={"": rules.NONE})
PENALTIES = _aliases(PENALTY_SHORT, rules.PENALTY_TYPE_LABELS, extra={"其他": "other"})


# ---------------------------------------------------------------------------------------------
# What the row is checked against
# ---------------------------------------------------------------------------------------------


@dataclass
class Lookups:
    """Domains and organisations by name. ``organizations=None`` (a file checked without the
    database) keeps the regulator as text and does not check it."""

    domains: dict[str, Any]
    organizations: dict[str, Any] | None
    strict_regulator: bool = True  # an unknown regulator name is an error (import) or left empty (demo)

    @classmethod
    def load(cls, *, strict_regulator: bool = True) -> Lookups:
        """From the database (two queries)."""
        from zhifa.organizations.models import Organization

        from .models import Domain

        domains: dict[str, Any] = {}
        for domain in Domain.objects.all():
            domains[domain.name] = domains[domain.code] = domain
        organizations: dict[str, Any] = {}
        for org in Organization.objects.filter(is_active=True).order_by("path"):
            organizations.setdefault(org.name, org)  # the outermost of equal names
        return cls(domains, organizations, strict_regulator)

    @classmethod
    def offline(cls, domain_names) -> Lookups:
        """Only the domain names: checks a file without the database."""
        return cls({name: None for name in domain_names}, None, strict_regulator=False)


# ---------------------------------------------------------------------------------------------
# The clean row
# ---------------------------------------------------------------------------------------------


def money(value: Decimal | None) -> str | None:
    return None if value is None else str(value.quantize(_CENT))


def whole_yuan(value: Decimal | None) -> str | None:
    """ "500" for whole yuan, otherwise the plain decimal ("12.5"): the demo data's and the file's form."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


@dataclass
class CleanRow:
    """A valid row: typed values, the domain and regulator objects when checked against the database."""

    code: str
    name: str
    kind: str
    domain_name: str
    domain: Any
    legal_bases: list[dict[str, str]]
    penalty_types: list[str]
    fine_min: Decimal | None
    fine_max: Decimal | None
    fine_note: str
    regulator_name: str | None
    regulator: Any
    enforcing_body: str
    flags: dict[str, bool]
    township_library: str
    keywords: str
    checklist: list[dict[str, str]] = field(default_factory=list)

    @property
    def fields(self) -> dict[str, Any]:
        """The ``EnforcementItem`` fields (needs the database lookups)."""
        return {
            "name": self.name,
            "kind": self.kind,
            "domain": self.domain,
            "penalty_types": self.penalty_types,
            "fine_min": self.fine_min,
            "fine_max": self.fine_max,
            "fine_note": self.fine_note,
            "regulator": self.regulator,
            "enforcing_body": self.enforcing_body,
            **self.flags,
            "township_library": self.township_library,
            "keywords": self.keywords,
        }

    @property
    def content(self) -> dict[str, Any]:
        """What item history and revisions keep (amounts to the cent)."""
        return {
            "code": self.code,
            "name": self.name,
            "kind": self.kind,
            "domain": self.domain_name,
            "legal_bases": self.legal_bases,
            "penalty_types": self.penalty_types,
            "fine_min": money(self.fine_min),
            "fine_max": money(self.fine_max),
            "fine_note": self.fine_note,
            "regulator": self.regulator.name if self.regulator is not None else None,
            "enforcing_body": self.enforcing_body,
            **self.flags,
            "township_library": self.township_library,
            "keywords": self.keywords,
            "checklist": self.checklist,
        }

    def as_item(self) -> dict[str, Any]:
        """The demo data's and the Excel file's form: whole-yuan amounts, the regulator as written,
        checklist points as text and only for inspection items."""
        row = {
            "code": self.code,
            "name": self.name,
            "kind": self.kind,
            "domain": self.domain_name,
            "legal_bases": self.legal_bases,
            "penalty_types": self.penalty_types,
            "fine_min": whole_yuan(self.fine_min),
            "fine_max": whole_yuan(self.fine_max),
            "fine_note": self.fine_note,
            "regulator": self.regulator_name,
            "enforcing_body": self.enforcing_body,
            **self.flags,
            "township_library": self.township_library,
            "keywords": self.keywords,
        }
        if self.kind == rules.INSPECTION:
            row["checklist"] = [entry["text"] for entry in self.checklist]
        return row


# ---------------------------------------------------------------------------------------------
# Reading values
# ---------------------------------------------------------------------------------------------


def text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def amount(value: Any) -> Decimal | None:
    """A yuan amount to the cent; ``None`` for empty. Raises ValueError when it is not a number."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int | Decimal):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    else:
        try:
            number = Decimal(text(value).replace(",", "").replace("，", ""))
        except InvalidOperation as exc:
            raise ValueError from exc
    if not number.is_finite():
        raise ValueError
    return number.quantize(_CENT)


def flag(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    word = text(value).lower()
    return True if word in _TRUE else False if word in _FALSE else None


def split_penalty_types(value: Any) -> list[str]:
    if not value:
        return []
    if not isinstance(value, str):
        return [text(v) for v in value if text(v)]
    # The label of "other" contains "、": keep it whole while splitting.
    long_other, placeholder = rules.PENALTY_TYPE_LABELS["other"], "\x00"
    parts = [p.strip() for p in _PENALTY_SPLIT.split(value.replace(long_other, placeholder)) if p.strip()]
    return [long_other if p == placeholder else p for p in parts]


def parse_basis(value: str) -> dict[str, str] | None:
    """``《法》第X条第X款第X项`` -> a basis without text; None when malformed."""
    match = BASIS.match(value.strip())
    if match is None:
        return None
    return {"law": match["law"].strip(), "article": match["article"], "clause": match["clause"], "text": ""}


def format_basis(basis: dict[str, str]) -> str:
    return f"《{basis['law']}》{basis.get('article') or ''}{basis.get('clause') or ''}"


def parse_bases(value: Any) -> tuple[list[dict[str, str]], str | None]:
    """Legal bases from dicts, texts or one text with several bases; the error code, if any."""
    if value in (None, "", []):
        return [], None
    raw = (
        [part for part in _BASIS_SPLIT.split(value) if part.strip()]
        if isinstance(value, str)
        else [value]
        if isinstance(value, dict)
        else list(value)
    )
    bases = []
    for entry in raw:
        if isinstance(entry, dict):
            law = text(entry.get("law")).strip("《》")
            if not law:
                return bases, "legal_basis_law_required"
            bases.append(
                {
                    "law": law,
                    "article": text(entry.get("article")),
                    "clause": text(entry.get("clause")),
                    "text": text(entry.get("text")),
                }
            )
            continue
        parsed = parse_basis(text(entry))
        if parsed is None:
            return bases, "bad_legal_basis"
        bases.append(parsed)
    return bases, None


def _choice(value: Any, table: dict[str, str]) -> str | None:
    return table.get(text(value))


MESSAGES = {
    "legal_basis_required": "执法事项必须至少有一条实施依据（法律、法规、规章的具体条款）；没有依据的行政处罚无效（行政处罚法第三十八条）",
    "legal_basis_law_required": "每条实施依据都要写明法律、法规或规章的名称",
    "bad_legal_basis": "实施依据应写成“《法律法规名称》第X条”（可带“第X款第X项”），多条依据用“；”分隔",
}


# ---------------------------------------------------------------------------------------------
# The validator
# ---------------------------------------------------------------------------------------------


def clean_row(
    row: dict[str, Any], row_number: int | None, lookups: Lookups
) -> tuple[CleanRow | None, list[dict]]:
    """The clean row, or None and every error of the row. Checks the row alone: codes repeated
    within a file are the importer's business."""
    errors: list[dict] = []

    def err(column: str, code: str, message: str) -> None:
        errors.append({"row": row_number, "column": column, "code": code, "message": message})

    unknown = sorted(set(row) - set(ROW_KEYS) - set(EXTRA_KEYS))
    for key in unknown:
        err(key, "unknown_field", f"未知字段“{key}”")

    code = text(row.get("code"))
    if not code:
        err("code", "required", "请填写事项编码")
    elif not rules.ITEM_CODE.match(code):
        err("code", "invalid_code", "事项编码应为 2–40 位数字或字母（可含连字符）")
    name = text(row.get("name"))
    if not name:
        err("name", "required", "请填写事项名称")
    elif len(name) > 300:
        err("name", "too_long", "事项名称不能超过 300 字")

    kind = _choice(row.get("kind"), KINDS)
    if kind is None:
        err(
            "kind",
            "invalid_choice",
            f"事项类别“{text(row.get('kind'))}”应为：{'、'.join(rules.KIND_LABELS.values())}",
        )

    domain_name = text(row.get("domain"))
    domain = lookups.domains.get(domain_name)
    if not domain_name:
        err("domain", "required", "请填写执法领域")
    elif domain_name not in lookups.domains:
        err("domain", "domain_not_found", f"执法领域“{domain_name}”不存在")
    elif domain is not None:
        domain_name = domain.name

    legal_bases, basis_error = parse_bases(row.get("legal_bases"))
    if basis_error:
        err("legal_bases", basis_error, MESSAGES[basis_error])
    elif not legal_bases:
        err("legal_bases", "legal_basis_required", MESSAGES["legal_basis_required"])

    penalty_types: list[str] = []
    for value in split_penalty_types(row.get("penalty_types")):
        penalty_type = PENALTIES.get(value)
        if penalty_type is None:
            err("penalty_types", "invalid_penalty_type", f"处罚种类“{value}”不是行政处罚法第九条规定的种类")
        elif penalty_type not in penalty_types:
            penalty_types.append(penalty_type)
    if penalty_types and kind not in (None, rules.PENALTY):
        err("penalty_types", "penalty_types_not_penalty", "只有行政处罚事项才有处罚种类")

    fines: dict[str, Decimal | None] = {}
    for column in ("fine_min", "fine_max"):
        try:
            fines[column] = amount(row.get(column))
        except ValueError:
            err(column, "invalid_amount", f"罚款金额应为数字（单位：元），现为“{text(row.get(column))}”")
            fines[column] = None
    refusal = rules.fine_refusal(fines["fine_min"], fines["fine_max"], penalty_types)
    if refusal:
        err(*refusal)
    fine_note = text(row.get("fine_note"))
    if len(fine_note) > 300:
        err("fine_note", "too_long", "罚款幅度说明不能超过 300 字")

    regulator = None
    regulator_name = text(row.get("regulator")) or None
    if regulator_name and lookups.organizations is not None:
        regulator = lookups.organizations.get(regulator_name)
        if regulator is None and lookups.strict_regulator:
            err("regulator", "regulator_not_found", f"监管主体“{regulator_name}”不在机构名录中")

    enforcing_body = _choice(row.get("enforcing_body"), BODIES)
    if enforcing_body is None:
        err(
            "enforcing_body",
            "invalid_choice",
            f"实施主体类别“{text(row.get('enforcing_body'))}”应为：{'、'.join(rules.ENFORCING_BODY_LABELS.values())}",
        )
    elif "detention" in penalty_types and enforcing_body != rules.PROFESSIONAL:
        err(
            "penalty_types",
            "detention_not_public_security",
            "行政拘留只能由公安机关实施（行政处罚法第十八条第三款）",
        )
    township_library = _choice(row.get("township_library") or rules.NONE, LIBRARIES)
    if township_library is None:
        err(
            "township_library",
            "invalid_choice",
            f"乡镇事项库“{text(row.get('township_library'))}”应为：{'、'.join(rules.TOWNSHIP_LIBRARY_LABELS.values())}",
        )
    elif enforcing_body:
        refusal = rules.library_refusal(enforcing_body, township_library)
        if refusal:
            err("township_library", *refusal)

    flags = {}
    for column in FLAGS:
        flags[column] = flag(row.get(column))
        if flags[column] is None:
            err(column, "invalid_boolean", "请填写“是”或“否”")

    keywords = row.get("keywords") or ""
    keywords = " ".join(text(k) for k in keywords) if isinstance(keywords, list | tuple) else text(keywords)
    if len(keywords) > 2000:
        err("keywords", "too_long", "检索关键词不能超过 2000 字")

    checklist = []
    for entry in row.get("checklist") or []:
        entry = entry if isinstance(entry, dict) else {"text": entry}
        point = text(entry.get("text"))
        if point:
            checklist.append({"text": point[:500], "legal_basis": text(entry.get("legal_basis"))[:300]})
    if checklist and kind not in (None, rules.INSPECTION):
        err("checklist", "checklist_not_inspection", "只有行政检查事项才有检查要点")

    if errors:
        return None, errors
    return CleanRow(
        code=code,
        name=name,
        kind=kind,
        domain_name=domain_name,
        domain=domain,
        legal_bases=legal_bases,
        penalty_types=penalty_types,
        fine_min=fines["fine_min"],
        fine_max=fines["fine_max"],
        fine_note=fine_note,
        regulator_name=regulator_name,
        regulator=regulator,
        enforcing_body=enforcing_body,
        flags=flags,
        township_library=township_library,
        keywords=keywords,
        checklist=checklist,
    ), []


def validate_row(
    row: dict[str, Any], row_number: int | None = None, lookups: Lookups | None = None
) -> list[dict]:
    """The errors of one row, each ``{"row", "column", "code", "message"}``; empty when valid."""
    return clean_row(row, row_number, lookups or Lookups.load())[1]


def clean_rows(rows: list[dict], lookups: Lookups, first_row: int) -> tuple[list[CleanRow], list[dict]]:
    """Every row, numbered from ``first_row``; a code repeated in the batch is an error of the later row."""
    cleaned, errors, seen = [], [], {}
    for n, row in enumerate(rows, first_row):
        clean, row_errors = clean_row(row, n, lookups)
        errors += row_errors
        if clean is None:
            continue
        if clean.code in seen:
            errors.append(
                {
                    "row": n,
                    "column": "code",
                    "code": "duplicate_in_file",
                    "message": f"事项编码 {clean.code} 与第 {seen[clean.code]} 行重复",
                }
            )
            continue
        seen[clean.code] = n
        cleaned.append(clean)
    return cleaned, errors


#: The keys of one change of a revision.
CHANGE_KEYS = ("action", "item_code", "content")
