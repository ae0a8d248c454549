"""Pure rules about staff, roles and postings (no database)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

# The reform plan's goal: at least 60% of enforcement staff work in townships (力量下沉).
TOWNSHIP_STAFF_SHARE_GOAL = Decimal("0.60")

# 行政处罚法 art. 42 / 55: enforcement needs at least two officers holding certificates,
# so a township with fewer than two certified officers cannot act on its own.
MIN_CERTIFIED_OFFICERS_PER_TOWNSHIP = 2


def share(part: int, whole: int) -> Decimal:
    """A ratio rounded to four places; zero when there is nothing to divide."""
    if whole == 0:
        return Decimal("0")
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"))


def may_hold_certificate(officer_kind: str) -> bool:
    """Auxiliary staff (执法辅助人员) assist but do not enforce: they get no enforcement certificate
    (行政处罚法 art. 42: penalties are imposed by officers holding enforcement certificates)."""
    return officer_kind != "auxiliary"


def may_decide_or_sign(officer_kind: str, has_valid_certificate: bool) -> bool:
    """Only a certified enforcement officer may be one of the two officers, decide or sign
    (行政处罚法 art. 42, 55)."""
    return officer_kind != "auxiliary" and has_valid_certificate


# A certificate ending within this many days is shown as expiring, so it is renewed in time.
CERTIFICATE_EXPIRY_WARNING_DAYS = 90


def certificate_state(certificate, today) -> tuple[str, str]:
    """A certificate's state on ``today`` as (label, level): level is good, warn, bad or muted."""
    if certificate.status != "active":
        return certificate.get_status_display(), "bad"
    if certificate.valid_to < today:
        return "已过期", "bad"
    if certificate.valid_from > today:
        return "尚未生效", "muted"
    days_left = (certificate.valid_to - today).days
    if days_left <= CERTIFICATE_EXPIRY_WARNING_DAYS:
        return f"{days_left} 天后到期", "warn"
    return "有效", "good"


# ---- 审批委托 (《行政处罚法》第五十七条: the head, or a deputy named by him, approves) -----------

DELEGATION_STATUS_LABELS = {
    "active": "生效中",
    "pending": "未开始",
    "expired": "已到期",
    "revoked": "已撤销",
}


def delegation_status(valid_from: dt.date, valid_to: dt.date | None, revoked: bool, today: dt.date) -> str:
    """Where a delegation stands on ``today``: revoked, not yet begun, expired after its last day,
    or active (a deputy approves only while it is active)."""
    if revoked:
        return "revoked"
    if today < valid_from:
        return "pending"
    if valid_to is not None and today > valid_to:
        return "expired"
    return "active"


# Roles that act for the whole district (指挥中心, 执法指导办): a department administrator grants the
# roles of his own body only; these are granted by the 执法指导办 (or the system administrator).
DISTRICT_ROLES = frozenset({"command_center", "guidance_office"})
