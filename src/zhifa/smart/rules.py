"""Rules of smart enforcement — pure Python, no Django.

* 行政处罚法第四十一条: when a device may be used (reviewed, checked, signposted, published) and
  when an event it pushes may be taken (the device's check data present and valid, evidence there).
* The device push contract: an HMAC-SHA256 signature over the timestamp and the raw body, a time
  window against replays.
* Campaigns: targets × participating bodies → tasks; in a "一件事" theme all bodies visit a target
  on one day (进一次门、查多项事).
* "双简双增": visits to a business, the bodies that came, joint and single visits."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from zhifa.core.workdays import day_of

ART41 = "《行政处罚法》第四十一条"


# ---- devices (第四十一条第一款) ---------------------------------------------------------------


@dataclass(frozen=True)
class DeviceFacts:
    legal_reviewed_on: dt.date | None
    check_certificate: str
    check_body: str
    checked_on: dt.date | None
    check_valid_until: dt.date | None
    signage: bool
    location: str
    item_count: int


def publish_refusals(device: DeviceFacts, today: dt.date) -> list[str]:
    """Why the device may not be published and used yet (第四十一条第一款: 经过法制和技术审核，符合标准、
    设置合理、标志明显，设置地点向社会公布)."""
    problems = []
    if device.legal_reviewed_on is None:
        problems.append("尚未通过法制审核")
    if not (
        device.check_certificate and device.check_body and device.checked_on and device.check_valid_until
    ):
        problems.append("缺少技术审核（检定或校准）的证书编号、机构、日期或有效期")
    elif device.check_valid_until < today:
        problems.append(f"检定或校准已于{device.check_valid_until}过期")
    if not device.signage:
        problems.append("尚未确认设置明显标志")
    if not device.location.strip():
        problems.append("缺少设置地点")
    if device.item_count == 0:
        problems.append("未写明监控的违法行为（执法事项）")
    return [f"{p}（{ART41}第一款）" for p in problems]


@dataclass(frozen=True)
class EventRefusal:
    code: str
    field: str | None
    message: str
    article: str = ART41


def event_refusals(
    *,
    published_on: dt.date | None,
    registered_certificate: str,
    registered_valid_until: dt.date | None,
    sent_check: dict | None,
    occurred: dt.datetime,
    received: dt.datetime,
    evidence_count: int,
) -> list[EventRefusal]:
    """Why a pushed event may not be taken as evidence (第四十一条): the device was published before
    the event; the event carries the device's check data, matching the registered check and valid on
    the day; the record has its evidence (真实、清晰、完整、准确)."""
    out = []
    if published_on is None or published_on > day_of(occurred):
        out.append(
            EventRefusal(
                "device_not_published",
                None,
                f"设备在事件发生时尚未经审核并公布设置地点，其记录不能作为证据（{ART41}第一款）",
            )
        )
    if not sent_check or not sent_check.get("certificate_number") or not sent_check.get("valid_until"):
        out.append(
            EventRefusal(
                "device_check_missing",
                "device_check",
                f"缺少设备检定或校准信息（证书编号、有效期），记录不能作为证据（{ART41}第一款）",
            )
        )
    else:
        if sent_check["certificate_number"] != registered_certificate:
            out.append(
                EventRefusal(
                    "device_check_mismatch",
                    "device_check.certificate_number",
                    f"推送的检定证书编号与登记的不一致（{ART41}第一款）",
                )
            )
        valid_until = sent_check["valid_until"]
        if (
            valid_until < day_of(occurred)
            or registered_valid_until is None
            or registered_valid_until < day_of(occurred)
        ):
            out.append(
                EventRefusal(
                    "device_check_expired",
                    "device_check.valid_until",
                    f"事件发生时设备的检定或校准已过有效期（{ART41}第一款）",
                )
            )
    if evidence_count == 0:
        out.append(
            EventRefusal(
                "evidence_missing",
                "evidence",
                f"缺少证据文件；记录违法事实应当真实、清晰、完整、准确（{ART41}第二款）",
            )
        )
    if occurred > received + dt.timedelta(minutes=5):
        out.append(EventRefusal("occurred_in_future", "occurred_at", "发生时间晚于接收时间，请校准设备时钟"))
    return out


# ---- the push signature -------------------------------------------------------------------------

SIGNATURE_WINDOW_SECONDS = 300


def device_key(secret: str, code: str, nonce: str) -> str:
    """The device's signing key, derived (never stored): a new nonce voids the old key."""
    return hmac.new(secret.encode(), f"zhifa-device|{code}|{nonce}".encode(), hashlib.sha256).hexdigest()


def sign(key: str, timestamp: str, body: bytes) -> str:
    return "sha256=" + hmac.new(key.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def signature_problem(key: str, timestamp: str, body: bytes, signature: str, now: float) -> str | None:
    """None when ``signature`` signs ``timestamp`` and ``body`` with ``key`` within the window."""
    try:
        sent = int(timestamp)
    except (TypeError, ValueError):
        return "X-Zhifa-Timestamp 应为 Unix 秒数"
    if abs(now - sent) > SIGNATURE_WINDOW_SECONDS:
        return f"签名时间与服务器时间相差超过{SIGNATURE_WINDOW_SECONDS}秒"
    if not hmac.compare_digest(sign(key, timestamp, body), signature or ""):
        return "签名不正确"
    return None


# ---- campaigns ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedTask:
    party_id: int
    township_id: int
    organization_id: int
    visit_day: dt.date


def visit_days(start: dt.date, end: dt.date, is_workday: Callable[[dt.date], bool]) -> list[dt.date]:
    days, day = [], start
    while day <= end:
        if is_workday(day):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def plan_tasks(
    targets: Iterable[tuple[int, int]], bodies: dict[int, list[int]], days: list[dt.date], joint: bool
) -> list[PlannedTask]:
    """``targets``: (party id, township id); ``bodies``: body id → the campaign's items it claimed
    (a body without any is left out). Targets are spread over the working days of the period; in a
    theme (``joint``) every body visits a target on the same day, in a campaign the bodies' visits
    are spread on their own."""
    if not days:
        return []
    acting = sorted(b for b, items in bodies.items() if items)
    out = []
    for n, (party_id, township_id) in enumerate(sorted(targets)):
        for k, body in enumerate(acting):
            day = days[n % len(days)] if joint else days[(n + k * 7) % len(days)]
            out.append(PlannedTask(party_id, township_id, body, day))
    return out


# ---- 双简双增 ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VisitSummary:
    """A business's inspections in a year. ``visits``: times officers came to its door; ``bodies``:
    different departments that came; ``checks``: department-checks done (each would have been a visit
    of its own without joint inspection); ``joint``/``single``: visits with several / one department."""

    visits: int
    bodies: int
    checks: int
    joint: int
    single: int

    @property
    def saved(self) -> int:
        """Visits spared by checking together (before joint inspection: ``checks`` visits; after: ``visits``)."""
        return self.checks - self.visits


def summarise_visits(visits: Iterable[frozenset[int]]) -> VisitSummary:
    """``visits``: for each visit, the departments that checked in it."""
    visits = [v for v in visits if v]
    departments = set().union(*visits) if visits else set()
    joint = sum(1 for v in visits if len(v) > 1)
    return VisitSummary(
        visits=len(visits),
        bodies=len(departments),
        checks=sum(len(v) for v in visits),
        joint=joint,
        single=len(visits) - joint,
    )


def visit_sentence(summary: VisitSummary, year: int) -> str:
    """Plain words for the party's space."""
    if summary.visits == 0:
        return f"{year}年至今，还没有执法部门到您这里检查。"
    text = f"{year}年至今，执法人员到您这里检查{summary.visits}次，共有{summary.bodies}个部门参加"
    if summary.joint:
        text += f"；其中{summary.joint}次是多个部门一起来的（联合检查）"
    if summary.saved > 0:
        text += f"，比各部门分别上门少跑了{summary.saved}次"
    return text + "。"
