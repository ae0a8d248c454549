"""Identifier checks for parties and officers — pure Python, no Django.

* 统一社会信用代码 (unified social credit code, "USCC") — GB 32100-2015
  《法人和其他组织统一社会信用代码编码规则》.
* 公民身份号码 (citizen identity number) — GB 11643-1999 《公民身份号码》, check character per
  ISO 7064:1983 MOD 11-2 (GB/T 17710).

Every failure raises :class:`IdentifierError`, a ``ValueError`` carrying a machine-readable
``code`` and a short Chinese ``message`` for the UI. Django wrappers live in
``zhifa.core.django_validators``.

The module also masks personal data for public pages (:func:`mask_id_number`, :func:`mask_name`)
and builds valid identifiers for demo data and tests (:func:`make_uscc`, :func:`make_id_number`).
"""

from __future__ import annotations

import datetime as dt
import unicodedata

from zhifa.core import workdays

__all__ = [
    "IdentifierError",
    "USCC_CHARSET",
    "USCC_WEIGHTS",
    "USCC_CATEGORIES",
    "ID_NUMBER_WEIGHTS",
    "ID_NUMBER_CHECK_CHARS",
    "uscc_check_char",
    "validate_uscc",
    "id_number_check_char",
    "validate_id_number",
    "id_number_birth_date",
    "mask_id_number",
    "mask_name",
    "COMPOUND_SURNAMES",
    "make_uscc",
    "make_id_number",
]


class IdentifierError(ValueError):
    """An identifier failed a check. ``code`` is stable for programs, ``message`` is for people."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"IdentifierError(code={self.code!r}, message={self.message!r})"


def _normalise(value: object) -> str:
    """Strip, fold full-width characters to ASCII (NFKC) and upper-case."""
    if value is None:
        return ""
    return unicodedata.normalize("NFKC", str(value)).strip().upper()


# --------------------------------------------------------------------------------------------
# 统一社会信用代码 — GB 32100-2015
# --------------------------------------------------------------------------------------------

#: The 31 characters of GB 32100-2015 table 2, in value order 0..30. I, O, S, V, Z are not used.
USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUE = {c: i for i, c in enumerate(USCC_CHARSET)}

#: Weights W_i = 3^(i-1) mod 31 for positions 1..17 (GB 32100-2015, 4.2 / appendix).
USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
assert USCC_WEIGHTS == (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

#: 登记管理部门代码 (1st char) → allowed 机构类别代码 (2nd char).
#: GB 32100-2015 itself lists 1 机构编制, 5 民政, 9 工商, Y 其他; the further registration
#: authorities below were assigned afterwards and appear on real certificates (e.g. 31… for law
#: firms, N2… for village collective economic organisations), so rejecting them would reject
#: genuine parties.
USCC_CATEGORIES: dict[str, frozenset[str]] = {
    "1": frozenset("1239"),  # 机构编制: 机关, 事业单位, 中央编办直管群众团体, 其他
    "2": frozenset("19"),  # 外交: 外国常驻新闻机构, 其他
    "3": frozenset(
        "123459"
    ),  # 司法行政: 律师执业机构, 公证处, 基层法律服务所, 司法鉴定机构, 仲裁委员会, 其他
    "4": frozenset("19"),  # 文化: 外国在华文化中心, 其他
    "5": frozenset("1239"),  # 民政: 社会团体, 民办非企业单位, 基金会, 其他
    "6": frozenset("129"),  # 旅游: 外国/港澳台旅游部门常驻代表机构, 其他
    "7": frozenset("129"),  # 宗教: 宗教活动场所, 宗教院校, 其他
    "8": frozenset("19"),  # 工会: 基层工会, 其他
    "9": frozenset("123"),  # 工商 (市场监管): 企业, 个体工商户, 农民专业合作社
    "A": frozenset("19"),  # 中央军委改革和编制办公室: 军队事业单位, 其他
    "N": frozenset("1239"),  # 农业: 组级/村级/乡镇级集体经济组织, 其他
    "Y": frozenset("1"),  # 其他: 统一用 1
}


def _uscc_sum_check(first17: str) -> str:
    total = sum(_USCC_VALUE[c] * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def uscc_check_char(first17: str) -> str:
    """Check character (18th) of a USCC from its first 17 characters.

    GB 32100-2015: C18 = 31 - MOD(Σ Ci × Wi, 31), with Wi = 3^(i-1) mod 31; the value 31 is
    written as 0; values map back to characters through the 31-character table.
    """
    body = _normalise(first17)
    if len(body) != 17:
        raise IdentifierError("uscc_length", "统一社会信用代码本体应为17位")
    if any(c not in _USCC_VALUE for c in body):
        raise IdentifierError("uscc_charset", "统一社会信用代码含有非法字符")
    return _uscc_sum_check(body)


def validate_uscc(value: str) -> str:
    """Validate a 统一社会信用代码 and return it normalised (stripped, upper-case).

    Structure (GB 32100-2015): 1 登记管理部门代码 · 1 机构类别代码 · 6 登记管理机关行政区划码
    (digits, GB/T 2260) · 9 主体标识码 (组织机构代码, GB 11714) · 1 校验码.

    Because 31 is prime and no weight is 0 mod 31, every single-character substitution in the
    first 17 positions changes the check character, so it is always detected.
    """
    code = _normalise(value)
    if len(code) != 18:
        raise IdentifierError("uscc_length", "统一社会信用代码应为18位")
    if any(c not in _USCC_VALUE for c in code):
        raise IdentifierError("uscc_charset", "统一社会信用代码含有非法字符（不使用I、O、S、V、Z）")
    categories = USCC_CATEGORIES.get(code[0])
    if categories is None:
        raise IdentifierError("uscc_authority", "统一社会信用代码第1位登记管理部门代码无效")
    if code[1] not in categories:
        raise IdentifierError("uscc_category", "统一社会信用代码第2位机构类别代码无效")
    if not code[2:8].isdigit():
        raise IdentifierError("uscc_region", "统一社会信用代码第3-8位行政区划码应为数字")
    if _uscc_sum_check(code[:17]) != code[17]:
        raise IdentifierError("uscc_checksum", "统一社会信用代码校验位错误")
    return code


def make_uscc(body17_without_check: str) -> str:
    """Append the check character to a 17-character body (for demo data and tests).

    Only the character set is checked here; run :func:`validate_uscc` on the result to also check
    the authority, category and region parts.
    """
    body = _normalise(body17_without_check)
    return body + uscc_check_char(body)


# --------------------------------------------------------------------------------------------
# 公民身份号码 — GB 11643-1999
# --------------------------------------------------------------------------------------------

#: Wi = 2^(18-i) mod 11 for positions i = 1..17 (GB 11643-1999, 7.2).
ID_NUMBER_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))
assert ID_NUMBER_WEIGHTS == (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)

#: Check character indexed by Σ(ai × Wi) mod 11 — ISO 7064 MOD 11-2; the value 10 is written X.
ID_NUMBER_CHECK_CHARS = "10X98765432"

_EARLIEST_BIRTH = dt.date(1900, 1, 1)


def _id_sum_check(first17: str) -> str:
    total = sum(int(c) * w for c, w in zip(first17, ID_NUMBER_WEIGHTS, strict=True))
    return ID_NUMBER_CHECK_CHARS[total % 11]


def id_number_check_char(first17: str) -> str:
    """Check character (18th) of a 公民身份号码 from its first 17 digits (GB 11643-1999, 7.2)."""
    body = _normalise(first17)
    if len(body) != 17:
        raise IdentifierError("id_number_length", "公民身份号码本体应为17位数字")
    if not (body.isascii() and body.isdigit()):
        raise IdentifierError("id_number_charset", "公民身份号码前17位应为数字")
    return _id_sum_check(body)


def id_number_birth_date(value: str) -> dt.date:
    """The 出生日期码 (positions 7–14, YYYYMMDD) as a date; raises if it is not a real date."""
    code = _normalise(value)
    try:
        return dt.datetime.strptime(code[6:14], "%Y%m%d").date()
    except ValueError:
        raise IdentifierError("id_number_birthdate", "公民身份号码中的出生日期无效") from None


def validate_id_number(value: str, *, today: dt.date | None = None) -> str:
    """Validate an 18-digit 公民身份号码 and return it normalised (stripped, ``x`` → ``X``).

    Structure (GB 11643-1999): 6 地址码 · 8 出生日期码 (YYYYMMDD) · 3 顺序码 (odd = male) ·
    1 校验码. The birth date must be a real calendar date, not before 1900-01-01 and not after
    ``today`` (defaults to the current date). 15-digit first-generation numbers are rejected.

    11 is prime and no weight is 0 mod 11, so any single-digit change in the first 17 positions
    changes the check character: it is always detected.
    """
    code = _normalise(value)
    if len(code) != 18:
        raise IdentifierError("id_number_length", "公民身份号码应为18位")
    body, check = code[:17], code[17]
    if not (body.isascii() and body.isdigit()) or check not in "0123456789X":
        raise IdentifierError("id_number_charset", "公民身份号码含有非法字符")
    birth = id_number_birth_date(code)
    if birth < _EARLIEST_BIRTH or birth > (today or workdays.today()):
        raise IdentifierError("id_number_birthdate", "公民身份号码中的出生日期不在合理范围内")
    if _id_sum_check(body) != check:
        raise IdentifierError("id_number_checksum", "公民身份号码校验位错误")
    return code


def make_id_number(region6: str, birth: dt.date, seq3: str) -> str:
    """Build a valid 公民身份号码 from 地址码, birth date and 顺序码 (for demo data and tests)."""
    if not (len(region6) == 6 and region6.isascii() and region6.isdigit()):
        raise ValueError("region6 must be 6 digits")
    if not (len(seq3) == 3 and seq3.isascii() and seq3.isdigit()):
        raise ValueError("seq3 must be 3 digits")
    body = f"{region6}{birth:%Y%m%d}{seq3}"
    if len(body) != 17:
        raise ValueError("birth year must have 4 digits")
    return body + _id_sum_check(body)


# --------------------------------------------------------------------------------------------
# Masking personal data for public pages
# --------------------------------------------------------------------------------------------


def mask_id_number(value: str) -> str:
    """Mask an ID number for public pages: first and last character kept, the rest ``*``.

    ``"11010519491231002X"`` → ``"1****************X"`` (length kept).

    Why only the first and last character: the 地址码 (1–6) gives the county of first
    registration, 7–14 the exact birth date and the 17th digit the sex — each of those is
    personal information on its own and, together with a published name, enough to identify
    a person. The 1st digit only names one of a handful of large regions and the 18th is a
    checksum, so they reveal next to nothing yet let a party recognise their own record.
    Publicity rules differ by place and sector; some require the number to be left out of
    internet publications altogether — callers decide whether to show it at all.
    """
    code = _normalise(value)
    if len(code) <= 2:
        return "*" * len(code)
    return code[0] + "*" * (len(code) - 2) + code[-1]


#: Common two-character (复姓) surnames; for these the whole surname is kept by :func:`mask_name`.
COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 司空 夏侯 轩辕 令狐 钟离 "
    "端木 独孤 南宫 西门 呼延 万俟 闻人 澹台 公冶 宗政 濮阳 太叔 申屠 仲孙 淳于 单于 赫连 "
    "太史 鲜于 闾丘 百里 东郭 南门 羊舌 微生 梁丘 左丘 东门 公良 拓跋 完颜 第五".split()
)


def mask_name(name: str) -> str:
    """Mask a person's name for public pages: keep the surname, one ``*`` per other character.

    ``"张三"`` → ``"张*"``, ``"王小明"`` → ``"王**"``, ``"欧阳娜娜"`` → ``"欧阳**"`` (a common
    复姓 is kept whole). Anything else keeps only its first character. A one-character name is
    masked completely.
    """
    text = (name or "").strip()
    if len(text) <= 1:
        return "*" * len(text)
    keep = 2 if len(text) > 2 and text[:2] in COMPOUND_SURNAMES else 1
    return text[:keep] + "*" * (len(text) - keep)
