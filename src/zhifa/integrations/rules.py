"""Pure rules of the integrations: signing and checking messages, the retry schedule, the 12345
hotline's status codes, and the deadline of a post-approval check. No Django.

Signing (both directions): ``signature = hex(HMAC-SHA256(secret, f"{timestamp}.{body}"))`` over
the exact bytes of the body, sent as ``X-Zhifa-Signature: sha256=<hex>`` with
``X-Zhifa-Timestamp: <unix seconds>``. A receiver refuses a timestamp more than
``TOLERANCE_SECONDS`` away from its clock and a signature it has already accepted (replay).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass

TOLERANCE_SECONDS = 300
SIGNATURE_PREFIX = "sha256="

#: Seconds to wait before attempt n+1 after n failed attempts (then the delivery is dead):
#: 1 min, 5 min, 30 min, 2 h, 6 h — about 9 hours in all.
BACKOFF_SECONDS = (60, 300, 1800, 7200, 21600)
MAX_ATTEMPTS = len(BACKOFF_SECONDS) + 1
#: How long a worker may hold a delivery it is sending before another may take it over.
LEASE_SECONDS = 120
#: A receiver answers within this many seconds or the attempt counts as failed.
TIMEOUT_SECONDS = 10


def sign(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode("utf-8"), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return SIGNATURE_PREFIX + digest


@dataclass(frozen=True)
class Refusal:
    code: str
    message: str
    field: str | None = None


def check_signature(
    secret: str, timestamp: str | None, signature: str | None, body: bytes, now: float
) -> Refusal | None:
    """Why a signed request is refused, or None: a missing or malformed header, a timestamp
    outside the tolerance (replays of old messages), or a signature that does not match."""
    if not timestamp or not signature:
        return Refusal(
            "signature_missing",
            "缺少签名：请提供 X-Zhifa-Timestamp 与 X-Zhifa-Signature",
            "X-Zhifa-Signature",
        )
    try:
        ts = int(timestamp)
    except ValueError:
        return Refusal("timestamp_invalid", "X-Zhifa-Timestamp 应为 Unix 秒数", "X-Zhifa-Timestamp")
    if abs(now - ts) > TOLERANCE_SECONDS:
        return Refusal(
            "timestamp_out_of_window",
            f"时间戳与服务器时间相差超过 {TOLERANCE_SECONDS} 秒，请校准时钟后重发",
            "X-Zhifa-Timestamp",
        )
    if not hmac.compare_digest(sign(secret, ts, body), signature.strip()):
        return Refusal("signature_mismatch", "签名不符", "X-Zhifa-Signature")
    return None


def next_attempt(attempts: int, now: dt.datetime) -> dt.datetime | None:
    """When to try again after ``attempts`` failed attempts, or None when it is time to give up."""
    if attempts >= MAX_ATTEMPTS:
        return None
    return now + dt.timedelta(seconds=BACKOFF_SECONDS[min(attempts, len(BACKOFF_SECONDS)) - 1])


def delivered(status_code: int | None) -> bool:
    return status_code is not None and 200 <= status_code < 300


# ---- the 12345 hotline's work-order fields ---------------------------------------------------------

#: Our status events → the hotline's 办理状态 code and name (the district's 12345 work-order
#: states; adjust with the hotline's interface document).
HOTLINE_STATES: dict[str, tuple[str, str]] = {
    "accepted": ("10", "已受理"),
    "assigned": ("20", "已派单"),
    "handled": ("30", "已办结待回访"),
    "closed": ("40", "已办结"),
    "rated": ("50", "已回访"),
    "returned": ("90", "退回"),
    "reopened": ("21", "重新派单"),
}


# ---- 审管联动 ---------------------------------------------------------------------------------------

#: Days after the approval by which the supervising department checks the licensee (批后监管).
#: District configuration, not law: per catalog domain, with a default; a push may ask for fewer.
CHECK_DAYS_DEFAULT = 30
CHECK_DAYS_BY_DOMAIN = {"市场监管": 30, "卫生健康": 30, "应急管理": 20, "燃气管理": 20, "生态环境": 60}
CHECK_OUTCOMES = {"compliant": "符合许可条件", "rectify": "责令整改", "case": "发现违法，建议立案"}


def check_deadline(approved_on: dt.date, domain: str | None, requested_days: int | None = None) -> dt.date:
    days = CHECK_DAYS_BY_DOMAIN.get(domain or "", CHECK_DAYS_DEFAULT)
    if requested_days is not None and 0 < requested_days < days:
        days = requested_days
    return approved_on + dt.timedelta(days=days)


def overdue(deadline: dt.date, today: dt.date, open_: bool) -> bool:
    return open_ and today > deadline
