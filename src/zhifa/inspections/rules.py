"""Planning rules for inspections — pure Python, no Django.

* **综合查一次** ("进一次门、查多项事"): the inspection tasks several departments hold on one party
  are merged into as few visits as possible (:func:`merge_visits`, :func:`plan_joint_inspections`).
* **Staffing a visit**: certified officers covering the domains to be checked, at least two per
  domain, with rotation and recusal (:func:`staff_visit`).
* **双随机** draws of parties and officers, reproducible by anyone from the published inputs
  (:func:`draw_seed`, :func:`draw_parties`, :func:`draw_officers`), with a seed committed in
  advance (:func:`commitment`: the hash of a secret published with the plan, the secret revealed
  with the result) so that nobody can steer it.
* **Plans**: the colour of a party (企业四色, 信用风险分类) sets how many of its kind are drawn and how
  often each is inspected (:data:`DEFAULT_POOLS`, :func:`windows`); every inspection is planned or
  has a recorded cause (:func:`inspection_refusal`, 无事不扰).

Articles: 国办发〔2015〕58号 (双随机、一公开); 国发〔2019〕5号 (信用风险分类监管); 行政处罚法第四十二条、
第五十五条 (two certified officers); 第四十三条 (recusal).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import random
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from operator import attrgetter
from typing import NamedTuple

from zhifa.core.errors import DomainError

__all__ = [
    "MIN_OFFICERS",
    "InspectionTask",
    "Visit",
    "Plan",
    "merge_visits",
    "plan_joint_inspections",
    "CertificateInfo",
    "OfficerInfo",
    "DrawShortage",
    "staff_visit",
    "draw_seed",
    "draw_parties",
    "draw_officers",
]

#: 行政处罚法 第四十二条 (执法人员不得少于两人) and 第五十五条 (出示执法证件); 行政强制法 第十八条;
#: 国办发〔2015〕58号 (随机选派执法检查人员): every inspection is done by at least two certified officers.
MIN_OFFICERS = 2

DayRule = Callable[[dt.date], bool]


# --------------------------------------------------------------------------------------------
# 综合查一次 — merging inspection tasks into visits
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class InspectionTask:
    """One department's inspection of one party, to be done on a day in ``[window_start, window_end]``."""

    task_id: Hashable
    party_id: Hashable
    department_id: Hashable
    window_start: dt.date
    window_end: dt.date

    def __post_init__(self):
        if self.window_end < self.window_start:
            raise ValueError(f"检查任务 {self.task_id} 的时间窗口结束日期早于开始日期")


class Visit(NamedTuple):
    """One visit to a party (进一次门): the day and the tasks done on it. ``task_ids[0]`` is the
    visit's anchor, the task whose window closes first."""

    party_id: Hashable
    day: dt.date
    task_ids: tuple


@dataclass(frozen=True)
class Plan:
    """A joint inspection plan.

    ``saved_total`` is the number of separate trips the merge avoids: one trip per scheduled task
    without merging, one per visit with it, so ``saved_total = scheduled tasks - visits_count``.

    ``saved_by_department`` splits that total between departments. A visit happens by the day its
    anchor task's window closes (the earliest window end among its tasks — the greedy places the
    visit there); the anchor's department would have had to go anyway. Every *other* task in the
    visit rides along and saves its department one trip. So a department's saving is the number of
    its tasks that joined a visit anchored by another task (its own second task in a visit counts
    too), every department with tasks appears (0 when nothing was saved), and the values sum to
    ``saved_total`` exactly.

    ``unscheduled`` lists tasks whose window holds no allowed visit day (see ``allowed_day``).
    """

    visits: list[Visit]
    tasks_count: int
    visits_count: int
    saved_by_department: dict
    saved_total: int
    unscheduled: tuple = ()


def _latest_allowed(task: InspectionTask, allowed: DayRule | None) -> dt.date | None:
    if allowed is None:
        return task.window_end
    day = task.window_end
    while day >= task.window_start:
        if allowed(day):
            return day
        day -= dt.timedelta(days=1)
    return None


def _greedy(tasks: list[InspectionTask], allowed: DayRule | None, unscheduled: list) -> list[list]:
    """Group the tasks of one party, sorted by window end, into visits: ``[[day, task, task…], …]``.

    The minimum number of points hitting every interval (here: visit days hitting every window) is
    found exactly by the classic greedy: take the first window not yet hit and place a visit on its
    last (allowed) day. Any solution needs a visit inside that window; moving it to the latest
    possible day still hits that window (and, because windows are sorted by end, every earlier
    one is already hit) while hitting at least the same later windows — the exchange argument.
    A later task joins the current visit exactly when its window has started by the visit day; its
    window cannot have closed, because it closes no earlier than the anchor's.
    """
    groups: list[list] = []
    day = None
    for task in tasks:
        if day is not None and task.window_start <= day:
            groups[-1].append(task)
            continue
        new_day = _latest_allowed(task, allowed)
        if new_day is None:
            unscheduled.append(task.task_id)
            continue
        day = new_day
        groups.append([day, task])
    return groups


_BY_END = attrgetter("window_end")


def merge_visits(tasks: Iterable[InspectionTask], *, allowed_day: DayRule | None = None) -> list[Visit]:
    """The fewest visits that do every task of one party (综合查一次, "进一次门、查多项事").

    Each task is done in exactly one visit whose day lies in its window. With ``allowed_day``
    (e.g. ``zhifa.core.workdays.is_workday``) visits fall only on the days it accepts; a task whose
    window holds no such day is left out (see :func:`plan_joint_inspections` to learn which).
    """
    tasks = sorted(tasks, key=_BY_END)
    parties = {t.party_id for t in tasks}
    if len(parties) > 1:
        raise ValueError("merge_visits 只处理同一监管对象的任务；多个对象请用 plan_joint_inspections")
    groups = _greedy(tasks, allowed_day and cache(allowed_day), [])
    return [Visit(g[1].party_id, g[0], tuple(t.task_id for t in g[1:])) for g in groups]


def plan_joint_inspections(tasks: Iterable[InspectionTask], *, allowed_day: DayRule | None = None) -> Plan:
    """Merge every party's tasks into the fewest visits; see :class:`Plan` for the savings.

    O(n log n): the tasks are grouped by party in one pass, each group is sorted by window end and
    scanned once. Visits come party by party (in order of each party's first task), by day.
    """
    allowed = allowed_day and cache(allowed_day)
    by_party: dict = defaultdict(list)
    for task in tasks:
        by_party[task.party_id].append(task)

    visits: list[Visit] = []
    saved: Counter = Counter()
    departments: set = set()
    unscheduled: list = []
    tasks_count = 0
    for party_id, party_tasks in by_party.items():
        tasks_count += len(party_tasks)
        party_tasks.sort(key=_BY_END)
        for day, *group in _greedy(party_tasks, allowed, unscheduled):
            visits.append(Visit(party_id, day, tuple(t.task_id for t in group)))
            for rider in group[1:]:
                saved[rider.department_id] += 1
        departments.update(t.department_id for t in party_tasks)

    saved_by_department = {d: saved[d] for d in sorted(departments, key=str)}
    return Plan(
        visits=visits,
        tasks_count=tasks_count,
        visits_count=len(visits),
        saved_by_department=saved_by_department,
        saved_total=sum(saved_by_department.values()),
        unscheduled=tuple(unscheduled),
    )


# --------------------------------------------------------------------------------------------
# Staffing a visit
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CertificateInfo:
    """An enforcement certificate (执法证): the domains it covers and when it is valid."""

    domains: frozenset[str]
    valid_from: dt.date
    valid_to: dt.date
    active: bool = True  # not suspended or revoked

    def valid_on(self, day: dt.date) -> bool:
        return self.active and self.valid_from <= day <= self.valid_to


@dataclass(frozen=True, slots=True)
class OfficerInfo:
    """What a draw needs to know about an officer. ``officer_id`` values must sort (ints or strings)."""

    officer_id: Hashable
    certificates: tuple[CertificateInfo, ...] = ()
    auxiliary: bool = False
    active: bool = True
    name: str = ""

    def domains_on(self, day: dt.date) -> frozenset[str]:
        """Domains the officer may inspect on ``day``: none for auxiliary staff (执法辅助人员 assist
        but never enforce, 行政处罚法 第四十二条) or without a certificate valid that day."""
        if self.auxiliary or not self.active:
            return frozenset()
        return frozenset().union(*(c.domains for c in self.certificates if c.valid_on(day)))

    def certified_on(self, day: dt.date) -> bool:
        return not self.auxiliary and self.active and any(c.valid_on(day) for c in self.certificates)


class DrawShortage(DomainError):
    """Too few eligible officers: ``needed`` officers for ``domain`` (None: any domain), only
    ``eligible`` available after excluding the ineligible, rotated and recused."""

    def __init__(self, needed: int, eligible: int, domain: str | None = None):
        self.needed, self.eligible, self.domain = needed, eligible, domain
        where = f"“{domain}”领域" if domain else ""
        super().__init__(
            "draw_shortage",
            f"{where}可抽取的持证执法人员不足：至少需要{needed}名，符合条件的只有{eligible}名"
            "（已排除执法辅助人员、执法证无效、上次检查过该对象和需要回避的人员）",
        )

    def __repr__(self) -> str:
        return f"DrawShortage(needed={self.needed}, eligible={self.eligible}, domain={self.domain!r})"


def staff_visit(
    domains_needed: Collection[str],
    officers: Iterable[OfficerInfo],
    rng: random.Random,
    *,
    day: dt.date,
    party_id: Hashable,
    previous_inspectors: Collection = (),
    recusals: Collection[tuple] = (),
) -> list:
    """Draw the officers for one visit and return their ids in draw order.

    Eligible: active, not auxiliary, holding a certificate valid on ``day``; not among
    ``previous_inspectors`` (the officers who last inspected this party — rotation, so that the
    same inspectors do not keep visiting the same party; local 双随机 rules, verify); not in
    ``recusals`` with this party (回避, 行政处罚法 第四十三条: ``(officer_id, party_id)`` pairs).

    Every needed domain is covered by at least :data:`MIN_OFFICERS` drawn officers certified for
    it, and the visit has at least :data:`MIN_OFFICERS` officers in all (行政处罚法 第四十二条、
    第五十五条). Domains are served scarcest first (ties by name); for each, the missing officers
    are drawn with ``rng`` from the eligible ones not yet drawn, sorted by id — so the draw is
    reproducible from the seed of ``rng``. Raises :class:`DrawShortage` naming the first domain
    that cannot be covered.
    """
    excluded = set(previous_inspectors) | {o for o, p in recusals if p == party_id}
    pool = sorted(
        (o for o in officers if o.officer_id not in excluded and o.certified_on(day)),
        key=attrgetter("officer_id"),
    )
    covers = {o.officer_id: o.domains_on(day) for o in pool}

    def able(domain: str) -> list:
        return [oid for oid, domains in covers.items() if domain in domains]

    drawn: list = []
    for domain in sorted(set(domains_needed), key=lambda d: (len(able(d)), d)):
        eligible = able(domain)
        if len(eligible) < MIN_OFFICERS:
            raise DrawShortage(MIN_OFFICERS, len(eligible), domain)
        missing = MIN_OFFICERS - sum(1 for oid in drawn if domain in covers[oid])
        if missing > 0:
            drawn += rng.sample([oid for oid in eligible if oid not in drawn], missing)
    if len(drawn) < MIN_OFFICERS:
        if len(pool) < MIN_OFFICERS:
            raise DrawShortage(MIN_OFFICERS, len(pool))
        drawn += rng.sample(
            [o.officer_id for o in pool if o.officer_id not in drawn], MIN_OFFICERS - len(drawn)
        )
    return drawn


# --------------------------------------------------------------------------------------------
# 双随机 — random draws anyone can recompute
# --------------------------------------------------------------------------------------------


def draw_seed(plan_id: Hashable, day: dt.date, nonce: str) -> str:
    """The seed of a draw, from inputs that are recorded and published with its result: the plan,
    the draw date and a nonce published before the draw (so nobody can pick a convenient seed).

    ``random.Random`` turns a string seed into its state through SHA-512 (seed version 2), so the
    seed does not depend on ``PYTHONHASHSEED``; with the sorted candidate lists below, anyone can
    rerun the draw with CPython's ``random`` module and get the same result.
    """
    return f"{plan_id}|{day.isoformat()}|{nonce}"


def draw_parties(
    parties: Iterable[tuple[Hashable, str]], ratio_by_color: Mapping[str, float], seed: str
) -> list:
    """双随机, first random: draw parties to inspect; return their ids.

    ``parties`` are ``(party_id, risk_color)`` pairs. Parties of each colour are drawn in the
    colour's ratio (0–1), rounded up so that a non-zero ratio draws at least one, from the
    candidates sorted by id, with a generator seeded by ``f"{seed}|{color}"`` — each colour's draw
    can be checked on its own. Colours without a ratio are not drawn. Ratios follow the credit
    grade: lower for low-risk, higher for high-risk parties (国发〔2019〕5号, 信用风险分类监管; verify).
    """
    by_color: dict[str, list] = defaultdict(list)
    for party_id, color in parties:
        by_color[color].append(party_id)
    drawn: list = []
    for color in sorted(ratio_by_color):
        ratio = ratio_by_color[color]
        if not 0 <= ratio <= 1:
            raise ValueError(f"抽查比例应在0到1之间：{color}={ratio}")
        candidates = sorted(by_color.get(color, ()))
        count = math.ceil(ratio * len(candidates))
        drawn += random.Random(f"{seed}|{color}").sample(candidates, count)
    return drawn


def draw_officers(
    officers: Sequence[OfficerInfo],
    seed: str,
    *,
    day: dt.date,
    party_id: Hashable,
    domains: Collection[str] = (),
    previous_inspectors: Collection = (),
    recusals: Collection[tuple] = (),
) -> list:
    """双随机, second random: draw the inspectors for one party, reproducibly from ``seed``
    (国办发〔2015〕58号: 随机选派执法检查人员). The rules are those of :func:`staff_visit`."""
    return staff_visit(
        domains,
        officers,
        random.Random(seed),
        day=day,
        party_id=party_id,
        previous_inspectors=previous_inspectors,
        recusals=recusals,
    )


# --------------------------------------------------------------------------------------------
# Plans, records and ratings — checks used by the services
# --------------------------------------------------------------------------------------------

COLORS = ("green", "blue", "yellow", "red")
PASS, FAIL, NOT_APPLICABLE = "pass", "fail", "na"
CHECK_RESULTS = (PASS, FAIL, NOT_APPLICABLE)

#: 重复检查: the same party inspected by different departments within this many days outside a
#: joint inspection (the reform's "进一次门、查多项事" aims to avoid it).
REPEATED_INSPECTION_DAYS = 30


def ratio_errors(ratios: Mapping) -> dict[str, str]:
    """Errors of a per-colour sampling ratio mapping: known colours only, each 0–1, at least one > 0."""
    errors = {}
    if not isinstance(ratios, Mapping):
        return {"ratios": "抽查比例应为各风险颜色对应的比例"}
    for color, value in ratios.items():
        if color not in COLORS:
            errors[color] = f"未知的风险颜色“{color}”"
        elif isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
            errors[color] = f"“{color}”的抽查比例应在0到1之间"
    if not errors and not any(ratios.get(c, 0) > 0 for c in COLORS):
        errors["ratios"] = "至少一种风险颜色的抽查比例应大于0"
    return errors


def intervals_overlap(a_start, a_end, b_start, b_end) -> bool:
    """Half-open intervals [start, end) overlap."""
    return a_start < b_end and b_start < a_end


def officer_refusal(officer: OfficerInfo, day: dt.date) -> str | None:
    """Why an officer may not be one of the inspecting officers on ``day`` (行政处罚法 第四十二条、
    第五十五条: 执法人员不少于两人并持有执法证件; auxiliary staff never enforce), or None."""
    if officer.auxiliary:
        return f"{officer.name}是执法辅助人员，不能作为检查人员（行政处罚法第四十二条）"
    if not officer.certified_on(day):
        return f"{officer.name}在{day.isoformat()}没有有效的行政执法证（行政处罚法第五十五条）"
    return None


def may_rate(rating) -> bool:
    return isinstance(rating, int) and not isinstance(rating, bool) and 1 <= rating <= 5


# --------------------------------------------------------------------------------------------
# Commitment, plans by colour, the list an inspection must come from
# --------------------------------------------------------------------------------------------


def commitment(secret: str) -> str:
    """The published commitment to a draw's secret: its SHA-256. Published with the plan before
    the draw; the secret is revealed with the result, and anyone checks ``commitment(secret)``."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def round_seed(seed: str, round_no: int) -> str:
    """The seed of a re-draw: the first draw's seed with the round, so a re-draw is as fixed in
    advance as the first draw and cannot be chosen."""
    return seed if round_no <= 1 else f"{seed}|第{round_no}轮"


ANNUAL, MONTHLY, SPECIAL = "annual", "monthly", "special"
PLAN_KIND_LABELS = {ANNUAL: "年度计划", MONTHLY: "月度计划", SPECIAL: "专项计划"}

#: The colour's share of parties drawn and the inspections of each in the plan period, by plan
#: kind: low-risk parties rarely, high-risk ones often (国发〔2019〕5号; local rules may differ — the
#: plan form starts from these and the department sets its own).
DEFAULT_POOLS = {
    ANNUAL: {"green": (0.05, 1), "blue": (0.15, 1), "yellow": (0.5, 2), "red": (1.0, 4)},
    MONTHLY: {"green": (0.01, 1), "blue": (0.03, 1), "yellow": (0.1, 1), "red": (0.3, 1)},
    SPECIAL: {"green": (0.02, 1), "blue": (0.05, 1), "yellow": (0.1, 1), "red": (0.3, 1)},
}
MAX_FREQUENCY = 12


def frequency_errors(frequencies: Mapping) -> dict[str, str]:
    errors = {}
    if not isinstance(frequencies, Mapping):
        return {"frequencies": "检查频次应为各风险颜色对应的次数"}
    for color, value in frequencies.items():
        if color not in COLORS:
            errors[color] = f"未知的风险颜色“{color}”"
        elif isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_FREQUENCY:
            errors[color] = f"“{color}”的检查频次应为1至{MAX_FREQUENCY}次"
    return errors


def windows(start: dt.date, end: dt.date, times: int) -> list[tuple[dt.date, dt.date]]:
    """The plan period cut into ``times`` consecutive windows of (nearly) equal length, one
    inspection in each; never more windows than days."""
    days = (end - start).days + 1
    times = max(1, min(times, days))
    bounds = [start + dt.timedelta(days=days * n // times) for n in range(times + 1)]
    return [(bounds[n], bounds[n + 1] - dt.timedelta(days=1)) for n in range(times)]


COMPLAINT, REFERRAL, CLUE, ASSIGNED, FOLLOW_UP = "complaint", "referral", "clue", "assigned", "follow_up"
CAUSE_LABELS = {
    COMPLAINT: "投诉举报",
    REFERRAL: "转办移送",
    CLUE: "违法线索",
    ASSIGNED: "上级交办",
    FOLLOW_UP: "整改复查",
}


def inspection_refusal(*, planned: bool, cause_kind: str, cause_ref: str) -> tuple[str, str] | None:
    """无事不扰: an inspection comes from a published plan or draw, or from a cause that is recorded
    (a complaint, a referral, a clue …, with its reference); otherwise it is refused."""
    if planned:
        return None
    if not cause_kind:
        return (
            "inspection_outside_the_list",
            "不得在抽查计划和检查任务之外开展检查：请从已公布的计划或抽取的任务中记录，或写明检查事由（投诉举报、转办移送、违法线索等）",
        )
    if cause_kind not in CAUSE_LABELS:
        return "cause_invalid", "检查事由应为投诉举报、转办移送、违法线索、上级交办或整改复查"
    if not cause_ref.strip():
        return (
            "cause_reference_required",
            f"请写明{CAUSE_LABELS[cause_kind]}的编号或来源（如事件编号、移送函号）",
        )
    return None
