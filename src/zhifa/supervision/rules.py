"""Pure rules of supervision (监督预警): findings, severities, deadline arithmetic, the alert
loop's state machine. No Django imports."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


class Severity:
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


SEVERITY_LABELS = {Severity.LOW: "提示", Severity.MEDIUM: "预警", Severity.HIGH: "严重"}


@dataclass(frozen=True)
class Finding:
    """One anomaly a rule found: what (subject), whose (organisation), why (message, details)."""

    subject_type: str
    subject_id: int
    organization_id: int | None
    message: str
    details: dict[str, Any] = field(default_factory=dict)


# ---- alert loop: raised → assigned → explained/corrected → closed ----
RAISED = "raised"
ASSIGNED = "assigned"
EXPLAINED = "explained"
CORRECTED = "corrected"
CLOSED = "closed"

STATE_LABELS = {RAISED: "已预警", ASSIGNED: "已交办", EXPLAINED: "已说明", CORRECTED: "已整改", CLOSED: "已关闭"}
OPEN_STATES = frozenset({RAISED, ASSIGNED, EXPLAINED, CORRECTED})

TRANSITIONS = {
    "assign": ({RAISED, ASSIGNED}, ASSIGNED),
    "explain": ({RAISED, ASSIGNED}, EXPLAINED),
    "correct": ({RAISED, ASSIGNED}, CORRECTED),
    "close": ({EXPLAINED, CORRECTED}, CLOSED),
}
ACTION_LABELS = {"assign": "交办", "explain": "说明情况", "correct": "整改完毕", "close": "关闭"}


def next_state(state: str, action: str) -> str | None:
    """The state after ``action``, or None when the action is not allowed from ``state``.
    Closing requires an explanation or a correction first (closing without one is refused)."""
    allowed, target = TRANSITIONS.get(action, (set(), None))
    return target if state in allowed else None


# ---- 行政处罚法第六十条: decision within 90 days of filing, plus approved extensions ----
DECISION_DAYS = 90
DECISION_WARNING_DAYS = 10


def decision_due(filing_date: dt.date, extension_days: int = 0) -> dt.date:
    return filing_date + dt.timedelta(days=DECISION_DAYS + extension_days)


def extension_days(extensions: Any) -> int:
    """Sum of ``days`` over the stored extensions (list of dicts); malformed entries count 0."""
    total = 0
    for ext in extensions or []:
        try:
            total += int(ext.get("days", 0)) if isinstance(ext, dict) else 0
        except (TypeError, ValueError):
            continue
    return total


# ---- 行政处罚法第四十二条、第五十五条: at least two certified officers ----
MIN_OFFICERS = 2
