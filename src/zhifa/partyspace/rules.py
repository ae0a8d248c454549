"""Rules of the party's space — pure Python, no Django: when the party may act online, what an
upload must be, when credit repair may be applied for, and the party's electronic signature.

Each rule cites its article; the tests cite it too (tests/partyspace/test_rules.py)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass

#: States from the notice to the decision: the party may state, defend or waive (行政处罚法第四十四条、第四十五条、第六十二条).
DEFENCE_STATES = frozenset({"notified", "hearing", "heard", "legal_review", "deliberation"})
#: States in which a decided fine is still to be paid (第六十六条、第六十七条).
PAYABLE_STATES = frozenset({"served", "partly_paid", "deferred"})
#: States in which a deferral may be applied for (第六十六条第二款): served and not yet deferred.
DEFERRABLE_STATES = frozenset({"served", "partly_paid"})
#: States in which the penalty's obligations are fulfilled (信用修复: 已履行行政处罚决定).
FULFILLED_STATES = frozenset({"paid", "closed", "archived"})


def statement_refusal(state: str, today: dt.date, defence_end: dt.date | None) -> str | None:
    """第四十四条、第四十五条: after the notice and before the decision, within the period the notice gave."""
    if state not in DEFENCE_STATES:
        return "只有在收到行政处罚事先告知书之后、作出处罚决定之前，才能在线陈述、申辩（行政处罚法第四十四条、第四十五条）"
    if defence_end is not None and today > defence_end:
        return (
            f"陈述、申辩期限已于{defence_end}届满；如有正当理由，请直接联系办案机关（行政处罚法第四十五条）"
        )
    return None


def waiver_refusal(state: str) -> str | None:
    """第六十二条: an express waiver, after the notice and before the decision."""
    if state not in DEFENCE_STATES:
        return "只有在收到告知书之后、作出处罚决定之前，才能放弃陈述、申辩（行政处罚法第六十二条）"
    return None


def hearing_request_refusal(
    state: str, eligible: bool, today: dt.date, request_end: dt.date | None
) -> str | None:
    """第六十三条、第六十四条第一项、第八十五条: where the intended penalty gives the right, within five
    working days of the notice."""
    if state != "notified":
        return "当前不能申请听证：只有在收到告知书之后、尚未申请听证时才能申请（行政处罚法第六十四条第一项）"
    if not eligible:
        return "拟作出的行政处罚不属于可以要求听证的情形（行政处罚法第六十三条）"
    if request_end is None or today > request_end:
        return f"听证申请应在告知后五个工作日内（至{request_end}）提出，已经逾期（行政处罚法第六十四条第一项、第八十五条）"
    return None


def deferral_refusal(state: str, already_deferred: bool) -> str | None:
    """第六十六条第二款: on the party's application, for a fine decided and not yet deferred."""
    if already_deferred or state == "deferred":
        return "本案已批准暂缓或分期缴纳（行政处罚法第六十六条第二款）"
    if state not in DEFERRABLE_STATES:
        return "只有在处罚决定送达后、罚款尚未缴清时才能申请暂缓或分期缴纳（行政处罚法第六十六条第二款）"
    return None


def deferral_date_refusal(until: dt.date, today: dt.date) -> str | None:
    if until <= today:
        return "暂缓缴纳的截止日期应晚于今天"
    if until > today + dt.timedelta(days=366):
        return "暂缓缴纳的截止日期不宜超过一年，请分期缴纳或说明理由后联系办案机关"
    return None


def payment_refusal(state: str, outstanding) -> str | None:
    """第六十七条: a decided fine, served, not yet paid in full."""
    if state not in PAYABLE_STATES:
        return "本案当前没有待缴纳的罚款（行政处罚法第六十七条）"
    if outstanding <= 0:
        return "罚款已缴清"
    return None


@dataclass(frozen=True)
class RepairFacts:
    """What the credit-repair rule reads of one penalty case."""

    state: str
    decision_date: dt.date | None
    fine: object  # Decimal
    paid: object  # Decimal
    serious_violation: bool  # the party is on the list of serious violations


def credit_repair_refusal(facts: RepairFacts, today: dt.date, minimum_months: int | None) -> str | None:
    """信用修复 (国家发展改革委《失信行为纠正后的信用信息修复管理办法（试行）》): the penalty's
    obligations fulfilled, and — where a minimum publication period is configured — that period
    passed since the decision. Serious violations (严重失信主体名单) are repaired through their own
    procedure, not online here. ``minimum_months`` is configuration (no default is invented)."""
    if facts.serious_violation:
        return "已列入严重违法失信名单的，应按名单移出程序办理，不能在线申请信用修复"
    if facts.decision_date is None:
        return "本案尚未作出行政处罚决定，无需信用修复"
    if facts.state not in FULFILLED_STATES or facts.paid < facts.fine:
        return "须先履行行政处罚决定（缴清罚款）后，方可申请信用修复"
    if minimum_months:
        earliest = _add_months(facts.decision_date, minimum_months)
        if today < earliest:
            return f"行政处罚信息最短公示期为{minimum_months}个月，{earliest}起方可申请信用修复"
    return None


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    last = [
        31,
        29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28,
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ][month - 1]
    return dt.date(year, month, min(day.day, last))


# ---- uploads ------------------------------------------------------------------------------------

#: Accepted kinds, recognised by their first bytes (never by the name the browser sends).
SIGNATURES = {
    "application/pdf": (b"%PDF-",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
}
KIND_LABELS = {"application/pdf": "PDF", "image/jpeg": "JPG 图片", "image/png": "PNG 图片"}


@dataclass(frozen=True)
class UploadLimits:
    max_files: int = 5
    max_bytes: int = 10 * 1024 * 1024
    max_total_bytes: int = 30 * 1024 * 1024
    images_only: bool = False


def sniff(head: bytes) -> str | None:
    """The content type by the file's first bytes, or None when it is not an accepted kind."""
    for content_type, magics in SIGNATURES.items():
        if any(head.startswith(m) for m in magics):
            return content_type
    return None


def upload_refusals(files: list[tuple[str, int, bytes]], limits: UploadLimits) -> list[str]:
    """``files``: (name, size, first bytes). Every reason the upload is refused, in Chinese."""
    problems = []
    if len(files) > limits.max_files:
        problems.append(f"最多上传{limits.max_files}个文件")
    total = 0
    for name, size, head in files:
        total += size
        if size == 0:
            problems.append(f"“{name}”是空文件")
            continue
        if size > limits.max_bytes:
            problems.append(f"“{name}”超过{limits.max_bytes // (1024 * 1024)}MB")
        kind = sniff(head)
        allowed = ("image/jpeg", "image/png") if limits.images_only else tuple(SIGNATURES)
        if kind not in allowed:
            names = "、".join(KIND_LABELS[k] for k in allowed)
            problems.append(f"“{name}”不是可接受的文件类型（只接受{names}）")
    if total > limits.max_total_bytes:
        problems.append(f"文件合计超过{limits.max_total_bytes // (1024 * 1024)}MB")
    return problems


def safe_name(name: str) -> str:
    """The file's own name without folders or characters a file system or a header would misread."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(c for c in name if c.isalnum() or c in "._-（）()　 ").strip(" .")
    return (cleaned or "file")[-100:]


# ---- the party's electronic signature --------------------------------------------------------


def electronic_signature(secret: str, party_id: int, purpose: str, content: str, at: dt.datetime) -> str:
    """The party's electronic confirmation of one act: an HMAC over who, what and when, so the
    record shows the party confirmed exactly this content at this time (电子签名法第十三条:
    attributable and tamper-evident)."""
    message = f"{party_id}|{purpose}|{at.isoformat()}|{hashlib.sha256(content.encode()).hexdigest()}"
    digest = hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()
    return f"ps1:{digest[:48]}"


def mask_phone(phone: str) -> str:
    digits = "".join(c for c in phone if c.isdigit())
    return f"{digits[:3]}****{digits[-4:]}" if len(digits) >= 7 else "****"
