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

STATE_LABELS = {
    RAISED: "已预警",
    ASSIGNED: "已交办",
    EXPLAINED: "已说明",
    CORRECTED: "已整改",
    CLOSED: "已关闭",
}
OPEN_STATES = frozenset({RAISED, ASSIGNED, EXPLAINED, CORRECTED})

TRANSITIONS = {
    "assign": ({RAISED, ASSIGNED}, ASSIGNED),
    "explain": ({RAISED, ASSIGNED}, EXPLAINED),
    "correct": ({RAISED, ASSIGNED}, CORRECTED),
    "return": ({EXPLAINED, CORRECTED}, ASSIGNED),
    "close": ({EXPLAINED, CORRECTED}, CLOSED),
}
ACTION_LABELS = {
    "assign": "交办",
    "explain": "说明情况",
    "correct": "整改完毕",
    "return": "退回重新说明",
    "close": "关闭",
}


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


# ---- 不予处罚比例异常: an officer's share of no-penalty outcomes far above peers ----
# Policy: 国办发〔2022〕27号 (规范行使行政裁量权, 防止畸轻畸重) and 行政处罚法第三十三条 (no penalty only in
# the listed circumstances). A statistical screen, not a finding of wrongdoing: the supervisor reads
# the cases. Thresholds are configuration.
@dataclass(frozen=True)
class OutlierConfig:
    min_cases: int = 10  # an officer needs at least this many concluded cases to be compared
    min_peers: int = 3  # and at least this many peers (same body) with enough cases
    z_threshold: float = 2.0  # share at least this many peer standard deviations above the peer mean
    min_ratio: float = 2.0  # and at least this multiple of the peer share (guards tiny deviations)
    lookback_days: int = 365


@dataclass(frozen=True)
class OutlierRow:
    key: Any  # the officer id
    group: Any  # the body compared within
    total: int
    no_penalty: int

    @property
    def share(self) -> float:
        return self.no_penalty / self.total if self.total else 0.0


def share_outliers(
    rows: list[OutlierRow], config: OutlierConfig = OutlierConfig()
) -> list[tuple[OutlierRow, dict]]:
    """Rows whose no-penalty share is far above the peers of their group (leave-one-out: the peer
    mean and deviation exclude the officer), with the numbers that made them stand out."""
    by_group: dict[Any, list[OutlierRow]] = {}
    for row in rows:
        if row.total >= config.min_cases:
            by_group.setdefault(row.group, []).append(row)
    out = []
    for members in by_group.values():
        if len(members) < config.min_peers + 1:
            continue
        for row in members:
            peers = [m for m in members if m is not row]
            shares = [m.share for m in peers]
            mean = sum(shares) / len(shares)
            sd = (sum((s - mean) ** 2 for s in shares) / len(shares)) ** 0.5
            pooled = sum(m.no_penalty for m in peers) / sum(m.total for m in peers)
            z = (row.share - mean) / sd if sd > 0 else (float("inf") if row.share > mean else 0.0)
            ratio = row.share / pooled if pooled > 0 else (float("inf") if row.share > 0 else 0.0)
            if z >= config.z_threshold and ratio >= config.min_ratio:
                out.append(
                    (
                        row,
                        {
                            "share": round(row.share, 4),
                            "peer_share": round(pooled, 4),
                            "peer_mean": round(mean, 4),
                            "peer_sd": round(sd, 4),
                            "z": None if z == float("inf") else round(z, 2),
                            "ratio": None if ratio == float("inf") else round(ratio, 2),
                            "cases": row.total,
                            "no_penalty": row.no_penalty,
                            "peers": len(peers),
                        },
                    )
                )
    return out


# ---- 执法建议/通报: the receiving body replies within a number of working days ----
NOTICE_REPLY_WORKING_DAYS = 10


# ---- 案卷评查 ----
def check_points(points: Any, max_points: Any) -> str | None:
    """Why a score is not acceptable (code), or None: points within 0..max of the item."""
    from decimal import Decimal, InvalidOperation

    try:
        value = Decimal(str(points))
    except (InvalidOperation, ValueError):
        return "points_invalid"
    if not value.is_finite() or value < 0 or value > Decimal(str(max_points)):
        return "points_out_of_range"
    return None


def stratified_sample(
    population: dict[Any, list[int]], seed: str, *, share: float | None = None, per_body: int = 1
) -> dict[Any, list[int]]:
    """Random selection of closed case ids, stratified by body: from each body ``share`` of its
    cases (rounded up) but at least ``per_body`` (or all it has). Reproducible: the same seed and
    population give the same selection (ids are sorted before drawing)."""
    import hashlib
    import math
    import random

    chosen: dict[Any, list[int]] = {}
    for body in sorted(population, key=str):
        ids = sorted(set(population[body]))
        want = max(per_body, math.ceil(len(ids) * share) if share else 0)
        want = min(want, len(ids))
        rng = random.Random(int(hashlib.sha256(f"{seed}:{body}".encode()).hexdigest(), 16))
        chosen[body] = sorted(rng.sample(ids, want)) if want else []
    return chosen


# ---- 四维考评 ----
ENFORCEMENT_POST_MIN_WEIGHT = 50  # 浙江“大综合一体化”：执法岗位考评权重不低于50%
METRIC_LABELS = {
    "cases": "办理案件数",
    "incidents_on_time": "事件按时办结率",
    "inspections": "参与检查数",
    "review_score": "案卷评查平均得分率",
    "satisfaction": "群众满意度",
}
COUNT_METRICS = frozenset({"cases", "inspections"})
DEFAULT_TARGETS = {"cases": 6, "inspections": 20}


@dataclass(frozen=True)
class DimensionSpec:
    name: str
    weight: int
    enforcement_post: bool
    metrics: tuple[str, ...]


def check_weights(dimensions: list[DimensionSpec]) -> tuple[str, str] | None:
    """(code, message) when the weights are not acceptable: each dimension has a positive weight and
    known metrics, the weights sum to 100 and the enforcement post weighs at least 50%."""
    if not dimensions:
        return "dimensions_required", "请至少设置一个考评维度"
    for d in dimensions:
        if d.weight <= 0:
            return "weight_not_positive", f"维度“{d.name}”的权重须大于0"
        unknown = [m for m in d.metrics if m not in METRIC_LABELS]
        if not d.metrics or unknown:
            return "metric_unknown", f"维度“{d.name}”的数据指标无效：{'、'.join(unknown) or '未设置'}"
    total = sum(d.weight for d in dimensions)
    if total != 100:
        return "weights_not_100", f"各维度权重之和须为100%，当前为{total}%"
    post = sum(d.weight for d in dimensions if d.enforcement_post)
    if post < ENFORCEMENT_POST_MIN_WEIGHT:
        return (
            "enforcement_post_below_50",
            f"执法岗位维度权重须不低于{ENFORCEMENT_POST_MIN_WEIGHT}%，当前为{post}%",
        )
    return None


def metric_score(metric: str, data: dict[str, Any], targets: dict[str, Any]) -> tuple[float | None, str]:
    """One metric on a 0..100 scale and how it was derived; None when there is no data to judge."""
    label = METRIC_LABELS[metric]
    if metric in COUNT_METRICS:
        n = int(data.get(metric) or 0)
        target = float(targets.get(metric) or DEFAULT_TARGETS[metric])
        score = min(100.0, 100.0 * n / target)
        return score, f"{label}{n}件，满分标准{target:g}件，得{score:.1f}分"
    if metric == "incidents_on_time":
        total, on_time = int(data.get("incidents") or 0), int(data.get("incidents_on_time") or 0)
        if not total:
            return None, f"{label}：本期无反馈的事件"
        score = 100.0 * on_time / total
        return score, f"{label}：按时{on_time}件/共{total}件，得{score:.1f}分"
    if metric == "review_score":
        got, full, n = (
            float(data.get("review_points") or 0),
            float(data.get("review_max") or 0),
            int(data.get("reviews") or 0),
        )
        if not full:
            return None, f"{label}：本期无已评查案卷"
        score = 100.0 * got / full
        return score, f"{label}：{n}卷共得{got:g}分/满分{full:g}分，得{score:.1f}分"
    if metric == "satisfaction":
        n, avg = int(data.get("rated") or 0), data.get("satisfaction_avg")
        if not n or avg is None:
            return None, f"{label}：本期无群众评价"
        score = (float(avg) - 1) / 4 * 100  # 1..5 → 0..100
        return score, f"{label}：{n}次评价平均{float(avg):.2f}分（1–5分），折合{score:.1f}分"
    raise ValueError(metric)


def appraise(
    dimensions: list[DimensionSpec],
    data: dict[str, Any],
    targets: dict[str, Any] | None = None,
    neutral: float = 80.0,
    scorer=None,
) -> tuple[float, list[dict]]:
    """Total (0..100) and per dimension the score, its weight and the reasons. A dimension scores the
    mean of its metrics that have data; with none it scores ``neutral`` (stated in the reasons)."""
    targets = targets or {}
    total = 0.0
    out = []
    for d in dimensions:
        scored, reasons = [], []
        for metric in d.metrics:
            score, reason = (scorer or metric_score)(metric, data, targets)
            reasons.append(reason)
            if score is not None:
                scored.append(score)
        if scored:
            value = sum(scored) / len(scored)
            if len(scored) > 1:
                reasons.append(f"取{len(scored)}项指标平均，得{value:.1f}分")
        else:
            value = float(neutral)
            reasons.append(f"本期无可计分数据，按基准分{neutral:g}分计")
        weighted = value * d.weight / 100
        reasons.append(f"权重{d.weight}%，计入总分{weighted:.2f}分")
        total += weighted
        out.append(
            {
                "name": d.name,
                "weight": d.weight,
                "enforcement_post": d.enforcement_post,
                "score": round(value, 2),
                "weighted": round(weighted, 2),
                "reasons": reasons,
            }
        )
    return round(total, 2), out


# ---- four eyes (监督留痕): a high-severity alert is closed by two different supervisors ----
FOUR_EYES_SEVERITIES = frozenset({Severity.HIGH})


def needs_second_supervisor(severity: str) -> bool:
    return severity in FOUR_EYES_SEVERITIES


def close_step(severity: str, requested_by: int | None, actor: int) -> str:
    """What a supervisor's "close" does: ``close`` (low/medium, or the second of two supervisors),
    ``request`` (the first of two), or ``same_person`` (the requester cannot confirm his own)."""
    if not needs_second_supervisor(severity):
        return "close"
    if requested_by is None:
        return "request"
    return "same_person" if requested_by == actor else "close"


# ---- 单位考评 (方案 三（五）3: 综合行政执法工作单列考核) ----
BODY_METRIC_LABELS = {
    "cases": "办理案件数",
    "case_timeliness": "案件按期决定率",
    "review_score": "案卷评查得分率",
    "incident_timeliness": "事件按期反馈率",
    "complaints": "投诉举报办结率",
    "satisfaction": "群众满意度",
    "training": "培训学时达标率",
    "evaluation": "执法评议满意度",
}
BODY_COUNT_METRICS = frozenset({"cases"})
DEFAULT_BODY_TARGETS = {"cases": 50}
#: A manual item adds or takes off at most this many points, and needs evidence.
MANUAL_POINTS_LIMIT = 10
EVIDENCE_SUFFIXES = (".pdf", ".jpg", ".jpeg", ".png", ".doc", ".docx", ".xls", ".xlsx", ".ofd")
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024


def evidence_suffix(filename: str) -> str:
    dot = filename.rfind(".")
    suffix = filename[dot:].lower() if dot >= 0 else ""
    return suffix if suffix in EVIDENCE_SUFFIXES else ".bin"


def check_evidence(filename: str, size: int) -> str | None:
    """Why an evidence file is refused, or None."""
    if size <= 0:
        return "佐证材料为空"
    if size > EVIDENCE_MAX_BYTES:
        return f"佐证材料不能超过{EVIDENCE_MAX_BYTES // (1024 * 1024)}MB"
    if evidence_suffix(filename) == ".bin":
        return f"佐证材料须为 {'、'.join(s.lstrip('.') for s in EVIDENCE_SUFFIXES)} 文件"
    return None


def check_body_weights(dimensions: list[DimensionSpec]) -> tuple[str, str] | None:
    """A body scheme: positive weights over known metrics, summing to 100."""
    if not dimensions:
        return "dimensions_required", "请至少设置一个考评维度"
    for d in dimensions:
        if d.weight <= 0:
            return "weight_not_positive", f"维度“{d.name}”的权重须大于0"
        unknown = [m for m in d.metrics if m not in BODY_METRIC_LABELS]
        if not d.metrics or unknown:
            return "metric_unknown", f"维度“{d.name}”的数据指标无效：{'、'.join(unknown) or '未设置'}"
    total = sum(d.weight for d in dimensions)
    if total != 100:
        return "weights_not_100", f"各维度权重之和须为100%，当前为{total}%"
    return None


def _ratio(label: str, part: int, whole: int, noun: str) -> tuple[float | None, str]:
    if not whole:
        return None, f"{label}：本期无{noun}"
    score = 100.0 * part / whole
    return score, f"{label}：{part}/{whole}，得{score:.1f}分"


def body_metric_score(metric: str, data: dict[str, Any], targets: dict[str, Any]) -> tuple[float | None, str]:
    """One body metric on a 0..100 scale and how it was derived; None when there is no data."""
    label = BODY_METRIC_LABELS[metric]
    if metric == "cases":
        n = int(data.get("cases") or 0)
        target = float(targets.get("cases") or DEFAULT_BODY_TARGETS["cases"])
        score = min(100.0, 100.0 * n / target)
        return score, f"{label}{n}件，满分标准{target:g}件，得{score:.1f}分"
    if metric == "case_timeliness":
        return _ratio(
            label, int(data.get("cases_on_time") or 0), int(data.get("cases_decided") or 0), "作出决定的案件"
        )
    if metric == "review_score":
        got, full = float(data.get("review_points") or 0), float(data.get("review_max") or 0)
        if not full:
            return None, f"{label}：本期无已评查案卷"
        score = 100.0 * got / full
        return score, f"{label}：{int(data.get('reviews') or 0)}卷得{got:g}/{full:g}分，得{score:.1f}分"
    if metric == "incident_timeliness":
        return _ratio(
            label,
            int(data.get("incidents_on_time") or 0),
            int(data.get("incidents_replied") or 0),
            "反馈的事件",
        )
    if metric == "complaints":
        return _ratio(
            label, int(data.get("complaints_closed") or 0), int(data.get("complaints") or 0), "投诉举报"
        )
    if metric == "satisfaction":
        n, avg = int(data.get("rated") or 0), data.get("satisfaction_avg")
        if not n or avg is None:
            return None, f"{label}：本期无群众评价"
        score = (float(avg) - 1) / 4 * 100
        return score, f"{label}：{n}次评价平均{float(avg):.2f}分（1–5分），折合{score:.1f}分"
    if metric == "training":
        return _ratio(label, int(data.get("trained") or 0), int(data.get("officers") or 0), "在岗执法人员")
    if metric == "evaluation":
        n, avg = int(data.get("answers") or 0), data.get("evaluation_avg")
        if not n or avg is None:
            return None, f"{label}：本期无评议答复"
        score = (float(avg) - 1) / 4 * 100
        return score, f"{label}：{n}份问卷平均{float(avg):.2f}分（1–5分），折合{score:.1f}分"
    raise ValueError(metric)


# ---- 执法评议 ----
SUBJECT_LABELS = {"inspection": "接受检查", "case": "受到行政处罚"}
FINDING_SOURCE_LABELS = {"questionnaire": "问卷评议", "expert": "专家评议案卷", "other": "其他"}
DEFAULT_QUESTIONS = [
    "执法人员是否出示执法证件、表明身份",
    "执法程序是否规范，是否告知陈述、申辩等权利",
    "执法人员态度是否文明、公正",
    "处理结果是否合法、合理，说明是否清楚",
    "检查或办案是否干扰正常生产经营",
]
SCORE_MIN, SCORE_MAX = 1, 5


def check_answers(questions: list[str], scores: dict) -> tuple[dict[str, int], str | None]:
    """Every question answered with a whole score 1..5: (the scores by question index, or why not)."""
    out: dict[str, int] = {}
    for i, question in enumerate(questions):
        raw = scores.get(str(i), scores.get(i))
        try:
            value = int(str(raw))
        except (TypeError, ValueError):
            return out, f"请为第{i + 1}题“{question}”打分"
        if not SCORE_MIN <= value <= SCORE_MAX:
            return out, f"第{i + 1}题的评分须在{SCORE_MIN}到{SCORE_MAX}分之间"
        out[str(i)] = value
    extra = [k for k in scores if str(k) not in out]
    if extra:
        return out, "问卷中没有这些题目：" + "、".join(str(k) for k in extra)
    return out, None


# ---- 双向案件咨询 ----
CONCLUSION_LABELS = {
    "suspected_crime": "涉嫌犯罪，建议移送",
    "not_crime": "不构成犯罪，行政处理",
    "more_evidence": "需补充证据后再研判",
}

#: The platform numbers behind a body's line, as the report names them.
BODY_DATA_LABELS = {
    "cases": "立案数",
    "cases_decided": "作出决定的案件",
    "cases_late": "超期决定的案件",
    "cases_on_time": "按期决定的案件",
    "review_points": "案卷评查得分",
    "review_max": "案卷评查满分",
    "reviews": "评查案卷数",
    "incidents_replied": "反馈的事件",
    "incidents_on_time": "按期反馈的事件",
    "complaints": "投诉举报",
    "complaints_closed": "办结的投诉举报",
    "rated": "群众评价次数",
    "satisfaction_avg": "群众满意度（1–5）",
    "officers": "执法人员",
    "trained": "培训学时达标人数",
    "answers": "评议问卷答复",
    "evaluation_avg": "评议满意度（1–5）",
}
