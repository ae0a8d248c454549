"""Pure rules of command and dispatch (指挥调度): the closed loop as a state machine, deadlines,
escalation, the district's bounding box, who is responsible for an item, duplicate similarity.

No Django here. Each refusal is ``Refusal(code, message)``; services raise it as a DomainError.
The closed loop (发现→交办→处置→反馈→考核评价) follows the reform plan of 大综合一体化行政执法
(浙江省《关于深化综合行政执法改革的实施意见》 and the 基层治理四平台 "事件闭环处置" practice).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from decimal import Decimal

# ---- vocabularies ----------------------------------------------------------------------------

HOTLINE, GRASSROOTS, PATROL, INSPECTION, COMPLAINT, NON_SITE, REFERRAL = (
    "hotline",
    "grassroots_platform",
    "patrol",
    "inspection_finding",
    "complaint",
    "non_site_monitoring",
    "referral",
)
SOURCE_LABELS = {
    HOTLINE: "12345 热线",
    GRASSROOTS: "基层治理四平台",
    PATROL: "巡查发现",
    INSPECTION: "检查发现",
    COMPLAINT: "群众投诉",
    NON_SITE: "非现场监管",
    REFERRAL: "线索移送",
}

REPORTED, ASSIGNED, ACCEPTED, HANDLING, REPLIED, EVALUATED, CLOSED, RETURNED, MERGED = (
    "reported",
    "assigned",
    "accepted",
    "handling",
    "replied",
    "evaluated",
    "closed",
    "returned",
    "merged",
)
STATE_LABELS = {
    REPORTED: "待交办",
    ASSIGNED: "已交办",
    ACCEPTED: "已签收",
    HANDLING: "处置中",
    REPLIED: "已反馈",
    EVALUATED: "已评价",
    CLOSED: "已办结",
    RETURNED: "已退回",
    MERGED: "已合并",
}
#: States in which the responsible body still owes work: the deadline runs.
WORKING_STATES = frozenset({ASSIGNED, ACCEPTED, HANDLING})
#: States that are not finished (duplicates are looked for among these).
OPEN_STATES = frozenset({REPORTED, ASSIGNED, ACCEPTED, HANDLING, RETURNED, REPLIED})
FINISHED_STATES = frozenset({EVALUATED, CLOSED, MERGED})

URGENT, NORMAL = "urgent", "normal"
PRIORITY_LABELS = {URGENT: "紧急", NORMAL: "一般"}

#: The command centre's role (organizations.models.User.Role value): the public intake acts in it.
#: Who may do what is declared in ``access.py``.
COMMAND_CENTER_ROLE = "command_center"


@dataclass(frozen=True)
class Refusal:
    code: str
    message: str
    field: str | None = None


# ---- the closed loop ------------------------------------------------------------------------

#: action → (states it may start from, state it leads to). ``transfer`` and ``reopen`` lead to
#: ``assigned`` (a new or the same body must act again).
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "assign": (frozenset({REPORTED, RETURNED}), ASSIGNED),
    "accept": (frozenset({ASSIGNED}), ACCEPTED),
    "return": (frozenset({ASSIGNED}), RETURNED),
    "transfer": (frozenset({REPORTED, ASSIGNED, ACCEPTED, HANDLING, RETURNED}), ASSIGNED),
    "handle": (frozenset({ACCEPTED}), HANDLING),
    "reply": (frozenset({ACCEPTED, HANDLING}), REPLIED),
    "evaluate": (frozenset({REPLIED}), EVALUATED),
    "close": (frozenset({EVALUATED}), CLOSED),
    "reopen": (frozenset({REPLIED, EVALUATED, CLOSED}), ASSIGNED),
    "merge": (frozenset(OPEN_STATES), MERGED),
}
ACTION_LABELS = {
    "report": "登记事件",
    "assign": "交办",
    "accept": "签收",
    "return": "退回",
    "transfer": "转办",
    "handle": "开始处置",
    "reply": "反馈处置结果",
    "evaluate": "评价",
    "close": "办结",
    "reopen": "重新办理",
    "merge": "合并为重复事件",
    "overdue": "已超期",
    "escalate": "超期升级督办",
    "dispute_decided": "争议裁定改派",
    "rate": "报告人评价",
}
#: Who performs each action: the command centre dispatches and closes; the assigned body works.
ACTION_ROLES: dict[str, str] = {
    "assign": "dispatcher",
    "transfer": "dispatcher",
    "evaluate": "dispatcher",
    "close": "dispatcher",
    "reopen": "dispatcher",
    "merge": "dispatcher",
    "accept": "handler",
    "return": "handler",
    "handle": "handler",
    "reply": "handler",
}

SATISFACTION_MIN, SATISFACTION_MAX = 1, 5
#: At or below this a reporter is dissatisfied: the command centre checks how the incident was
#: handled (闭环管理: 群众不满意的事件须核查办理情况).
DISSATISFIED_AT_MOST = 2


def next_state(state: str, action: str) -> str | Refusal:
    """The state after ``action``, or why the loop does not allow it from ``state``."""
    if action not in TRANSITIONS:
        return Refusal("unknown_action", f"未知操作“{action}”")
    sources, target = TRANSITIONS[action]
    if state not in sources:
        return Refusal(
            "invalid_transition", f"事件当前为“{STATE_LABELS.get(state, state)}”，不能{ACTION_LABELS[action]}"
        )
    return target


def action_refusal(
    action: str,
    *,
    state: str,
    reason: str = "",
    reply: str = "",
    same_org: bool = False,
    has_org: bool = True,
) -> Refusal | None:
    """Every guard of one action: the transition, then the action's own requirements."""
    target = next_state(state, action)
    if isinstance(target, Refusal):
        return target
    if action in ("assign", "transfer") and not has_org:
        return Refusal("responsible_org_required", "请选择承办单位", "organization")
    if action == "transfer" and same_org:
        return Refusal("transfer_same_org", "转办须转给另一个单位", "organization")
    if action in ("return", "transfer", "reopen") and not reason.strip():
        # 退回、转办、重办须写明理由，以便指挥中心判断并留痕（推诿扯皮的依据）。
        return Refusal("reason_required", f"{ACTION_LABELS[action]}须填写理由", "reason")
    if action == "reply" and not reply.strip():
        return Refusal("reply_required", "请填写处置结果", "reply")
    return None


def dissatisfied(score: int) -> bool:
    return score <= DISSATISFIED_AT_MOST


def rating_refusal(*, state: str, score, closed_at, rated_at) -> Refusal | None:
    """The reporter rates once per closure, 1–5, after the incident is closed (办结后由群众评价)."""
    if state != CLOSED or closed_at is None:
        return Refusal("not_closed", "事件办结后才能评价", "satisfaction")
    if rated_at is not None and rated_at >= closed_at:
        return Refusal("already_rated", "您已评价过本次办理结果", "satisfaction")
    if (
        not isinstance(score, int)
        or isinstance(score, bool)
        or not SATISFACTION_MIN <= score <= SATISFACTION_MAX
    ):
        return Refusal("satisfaction_out_of_range", "满意度须为 1–5 分", "satisfaction")
    return None


def citizen_reopen_refusal(*, state: str, reason: str, already: bool) -> Refusal | None:
    """The reporter may ask once, with a reason, to reopen a closed incident ("问题没有解决")."""
    if state != CLOSED:
        return Refusal("not_closed", "事件办结后才能申请重新办理", "reason")
    if already:
        return Refusal("already_reopened", "每件事件只能申请一次重新办理；如仍有问题请拨打 12345", "reason")
    if not (reason or "").strip():
        return Refusal("reason_required", "请说明问题为什么没有解决", "reason")
    if len(reason) > 500:
        return Refusal("reason_too_long", "说明不能超过 500 字", "reason")
    return None


def allowed_actions(state: str) -> list[str]:
    return [action for action, (sources, _) in TRANSITIONS.items() if state in sources]


# ---- deadlines ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeadlineRule:
    days: int
    working_days: bool = True

    @property
    def label(self) -> str:
        return f"{self.days} 个{'工作日' if self.working_days else '自然日'}"


#: How long the responsible body has from assignment to reply. The district sets these (the
#: 12345 hotline practice: urgent 1 working day, normal 5 working days); per-domain overrides by
#: domain name, e.g. safety matters are short. Data, not law: adjust here.
DEADLINE_POLICY: dict[str, DeadlineRule] = {URGENT: DeadlineRule(1), NORMAL: DeadlineRule(5)}
DOMAIN_DEADLINES: dict[str, dict[str, DeadlineRule]] = {
    "燃气管理": {NORMAL: DeadlineRule(2)},
    "应急管理": {NORMAL: DeadlineRule(2)},
    "城乡规划": {NORMAL: DeadlineRule(10)},  # 违建 needs a survey and a 立案 decision
    "自然资源": {NORMAL: DeadlineRule(10)},
}
#: An incident still unanswered at this multiple of its deadline is escalated (升级督办).
ESCALATION_FACTOR = 3


def deadline_rule(priority: str, domain_name: str | None = None) -> DeadlineRule:
    override = DOMAIN_DEADLINES.get(domain_name or "", {}).get(priority)
    return override or DEADLINE_POLICY.get(priority, DEADLINE_POLICY[NORMAL])


def due_date(calendar, start: dt.date, rule: DeadlineRule, factor: int = 1) -> dt.date:
    """Last day of ``factor`` × the period from ``start`` (start not counted). Working days skip
    weekends and holidays and count make-up workdays; calendar days end on the next working day
    when the last day is a rest day (民事诉讼法 第八十五条 on 期间)."""
    if rule.working_days:
        return calendar.add_working_days(start, rule.days * factor)
    return calendar.calendar_deadline(start, rule.days * factor)


def end_of_day(day: dt.date, tz) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=tz)


def deadline_flags(
    now: dt.datetime, state: str, due_at: dt.datetime | None, escalate_at: dt.datetime | None
) -> tuple[bool, bool]:
    """(overdue, escalated) for an incident in ``state`` at ``now``: only while work is owed."""
    if state not in WORKING_STATES or due_at is None:
        return False, False
    return now > due_at, escalate_at is not None and now > escalate_at


# ---- place --------------------------------------------------------------------------------------

#: 衢江区 lies roughly within these coordinates (WGS-84/GCJ-02 differences are far below this
#: margin). A pushed location outside is a mistake of the sending platform. Settings-like constant.
DISTRICT_BBOX = {
    "lat_min": Decimal("28.6"),
    "lat_max": Decimal("29.3"),
    "lng_min": Decimal("118.7"),
    "lng_max": Decimal("119.2"),
}

#: Approximate centres of the 20 townships (from public maps, rounded to ~1 km); used only when
#: an address names no township. Replace with boundary polygons when the district supplies them.
TOWNSHIP_CENTRES: dict[str, tuple[float, float]] = {
    "樟潭街道": (28.985, 118.930),
    "浮石街道": (28.960, 118.905),
    "上方镇": (28.805, 119.030),
    "峡川镇": (28.930, 119.100),
    "莲花镇": (29.080, 118.920),
    "全旺镇": (28.905, 119.005),
    "大洲镇": (29.050, 119.075),
    "后溪镇": (29.120, 118.960),
    "廿里镇": (28.860, 118.970),
    "湖南镇": (28.760, 118.940),
    "高家镇": (29.005, 119.055),
    "杜泽镇": (29.115, 119.030),
    "太真乡": (29.180, 119.020),
    "双桥乡": (28.990, 119.150),
    "周家乡": (29.000, 119.190),
    "灰坪乡": (29.240, 119.060),
    "岭洋乡": (28.830, 119.120),
    "举村乡": (28.700, 119.000),
    "黄坛口乡": (28.850, 118.880),
    "云溪乡": (29.050, 118.850),
}


def outside_district(lat: Decimal, lng: Decimal) -> bool:
    b = DISTRICT_BBOX
    return not (b["lat_min"] <= lat <= b["lat_max"] and b["lng_min"] <= lng <= b["lng_max"])


def distance_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    r = 6_371_000.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


def township_name_for(address: str, lat: float | None, lng: float | None, names: list[str]) -> str | None:
    """The township an incident lies in: the one its address names (the longest name wins, and
    the short form without 镇/乡/街道 counts too), otherwise the nearest centre."""
    address = address or ""
    for name in sorted(names, key=len, reverse=True):
        short = re.sub(r"(街道|镇|乡)$", "", name)
        if name in address or (len(short) >= 2 and short in address):
            return name
    if lat is None or lng is None:
        return None
    known = [(distance_m(lat, lng, *TOWNSHIP_CENTRES[n]), n) for n in names if n in TOWNSHIP_CENTRES]
    return min(known)[1] if known else None


# ---- who is responsible -------------------------------------------------------------------------


@dataclass(frozen=True)
class Responsibility:
    org_id: int | None
    reason: str


def responsible_body(
    *,
    enforcing_body: str,
    on_township_list: bool,
    township_team_id: int | None,
    district_claimant_id: int | None,
    bureau_id: int | None,
) -> Responsibility:
    """Who acts on an item at a place (行政处罚法 第二十四条: powers given to townships are
    exercised by them; 第十八条: comprehensive enforcement by the comprehensive bureau):

    * on the township's list (base item, or an optional item it chose) → the township's team;
    * a comprehensive item → its district claimant, else the comprehensive bureau;
    * a professional item → the professional department that claimed it.
    """
    if enforcing_body == "township" and on_township_list and township_team_id:
        return Responsibility(township_team_id, "乡镇（街道）执法清单事项，由属地乡镇（街道）综合执法队承办")
    if enforcing_body in ("township", "comprehensive"):
        if district_claimant_id:
            return Responsibility(district_claimant_id, "综合执法事项，由认领单位承办")
        return Responsibility(bureau_id, "综合执法事项，由综合行政执法局承办")
    if district_claimant_id:
        return Responsibility(district_claimant_id, "专业执法事项，由认领的专业执法部门承办")
    return Responsibility(None, "事项尚无认领单位，请指挥中心人工交办")


# ---- duplicates --------------------------------------------------------------------------------

DUPLICATE_RADIUS_M = 200
DUPLICATE_MIN_SIMILARITY = 0.3


def jaccard(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


# ---- personal data ----------------------------------------------------------------------------


def mask_phone(phone: str) -> str:
    """138****1234: enough for the reporter to recognise, not enough to call."""
    digits = (phone or "").strip()
    if len(digits) < 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]
