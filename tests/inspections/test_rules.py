"""Inspection planning rules: joint visits are provably minimal, staffing follows 行政处罚法
第四十二条/第四十三条/第五十五条, random draws are reproducible from their published seed.

Pure Python: runs without a database."""

import datetime as dt
import itertools
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhifa.core.errors import DomainError
from zhifa.inspections.rules import (
    MIN_OFFICERS,
    CertificateInfo,
    DrawShortage,
    InspectionTask,
    OfficerInfo,
    Visit,
    draw_officers,
    draw_parties,
    draw_seed,
    merge_visits,
    plan_joint_inspections,
    staff_visit,
)

D0 = dt.date(2026, 3, 2)  # a Monday


def day(n: int) -> dt.date:
    return D0 + dt.timedelta(days=n)


def task(task_id, start, end, party="P1", department="市场监管"):
    return InspectionTask(task_id, party, department, day(start), day(end))


# ---- 综合查一次: merging -----------------------------------------------------------------------


def test_overlapping_windows_become_one_visit_on_the_first_closing_day():
    visits = merge_visits([task("a", 0, 10), task("b", 5, 20), task("c", 8, 9)])
    assert visits == [Visit("P1", day(9), ("c", "a", "b"))]


def test_disjoint_windows_need_separate_visits():
    visits = merge_visits([task("a", 0, 3), task("b", 5, 8), task("c", 2, 6)])
    assert [(v.day, v.task_ids) for v in visits] == [(day(3), ("a", "c")), (day(8), ("b",))]


def test_reversed_window_is_refused():
    with pytest.raises(ValueError):
        task("a", 5, 4)


def test_merge_visits_is_for_one_party():
    with pytest.raises(ValueError):
        merge_visits([task("a", 0, 3, party="P1"), task("b", 0, 3, party="P2")])
    assert merge_visits([]) == []


def _brute_force_minimum(windows: list[tuple[int, int]], allowed=lambda d: True) -> int | None:
    """Fewest points hitting every window. Some optimal solution uses only window ends (or, with
    allowed days, the latest allowed day of each window), so trying subsets of those suffices."""
    candidates = sorted(
        {max((d for d in range(s, e + 1) if allowed(d)), default=None) for s, e in windows} - {None}
    )
    for size in range(len(candidates) + 1):
        for points in itertools.combinations(candidates, size):
            if all(any(s <= p <= e for p in points) for s, e in windows):
                return size
    return None


windows_strategy = st.lists(
    st.tuples(st.integers(0, 20), st.integers(0, 10)).map(lambda t: (t[0], t[0] + t[1])),
    min_size=0,
    max_size=7,
)


def _check_cover(tasks, visits, allowed=None):
    seen = [tid for v in visits for tid in v.task_ids]
    assert sorted(seen) == sorted(t.task_id for t in tasks)  # every task exactly once
    by_id = {t.task_id: t for t in tasks}
    assert len({v.day for v in visits}) == len(visits)  # one party: at most one visit a day
    for v in visits:
        for tid in v.task_ids:
            assert by_id[tid].window_start <= v.day <= by_id[tid].window_end
        if allowed:
            assert allowed(v.day)


# The machine is shared: a draw that waits for a busy core is not a slow strategy.
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(windows_strategy)
def test_greedy_is_optimal_against_brute_force(windows):
    tasks = [task(i, s, e) for i, (s, e) in enumerate(windows)]
    visits = merge_visits(tasks)
    assert len(visits) == _brute_force_minimum(windows)
    _check_cover(tasks, visits)


@settings(max_examples=300)
@given(windows_strategy)
def test_greedy_is_optimal_on_working_days_only(windows):
    def weekday(d: dt.date) -> bool:
        return d.weekday() < 5

    tasks = [task(i, s, e) for i, (s, e) in enumerate(windows)]
    plan = plan_joint_inspections(tasks, allowed_day=weekday)
    schedulable = [(s, e) for s, e in windows if any(weekday(day(d)) for d in range(s, e + 1))]
    assert plan.visits_count == _brute_force_minimum(schedulable, lambda d: weekday(day(d)))
    assert len(plan.unscheduled) == len(windows) - len(schedulable)
    _check_cover([t for t in tasks if t.task_id not in plan.unscheduled], plan.visits, weekday)


def test_weekend_only_window_is_unscheduled():
    saturday, sunday = 5, 6
    plan = plan_joint_inspections(
        [task("w", saturday, sunday), task("x", 0, 9)], allowed_day=lambda d: d.weekday() < 5
    )
    assert plan.unscheduled == ("w",)
    assert plan.visits == [Visit("P1", day(9), ("x",))]
    assert plan.tasks_count == 2 and plan.saved_total == 0


tasks_strategy = st.lists(
    st.tuples(
        st.sampled_from("ABCD"),
        st.sampled_from(["市场监管", "生态环境", "应急管理"]),
        st.integers(0, 30),
        st.integers(0, 15),
    ),
    max_size=40,
)


@given(tasks_strategy)
def test_plan_over_parties_sums_and_matches_per_party_merge(rows):
    tasks = [InspectionTask(i, p, d, day(s), day(s + n)) for i, (p, d, s, n) in enumerate(rows)]
    plan = plan_joint_inspections(tasks)
    assert plan.tasks_count == len(tasks)
    assert plan.visits_count == len(plan.visits)
    assert plan.saved_total == plan.tasks_count - plan.visits_count == sum(plan.saved_by_department.values())
    assert set(plan.saved_by_department) == {t.department_id for t in tasks}
    assert all(v >= 0 for v in plan.saved_by_department.values())
    for party in {t.party_id for t in tasks}:
        mine = [t for t in tasks if t.party_id == party]
        assert [v for v in plan.visits if v.party_id == party] == merge_visits(mine)
    for party in {t.party_id for t in tasks}:
        _check_cover(
            [t for t in tasks if t.party_id == party], [v for v in plan.visits if v.party_id == party]
        )


def test_savings_go_to_the_departments_that_ride_along():
    tasks = [
        task(1, 0, 10, department="市场监管"),  # anchor of the first visit (window closes first)
        task(2, 0, 20, department="生态环境"),  # rides along
        task(3, 5, 25, department="应急管理"),  # rides along
        task(4, 30, 40, department="市场监管"),  # alone
        task(5, 0, 30, party="P2", department="生态环境"),
        task(6, 0, 30, party="P2", department="生态环境"),  # same department, same visit: one trip saved
    ]
    plan = plan_joint_inspections(tasks)
    assert plan.visits_count == 3 and plan.tasks_count == 6 and plan.saved_total == 3
    assert plan.saved_by_department == {"市场监管": 0, "应急管理": 1, "生态环境": 2}


def test_empty_plan():
    plan = plan_joint_inspections([])
    assert (plan.visits, plan.tasks_count, plan.visits_count, plan.saved_by_department, plan.saved_total) == (
        [],
        0,
        0,
        {},
        0,
    )


# ---- staffing --------------------------------------------------------------------------------

VALID = (dt.date(2024, 1, 1), dt.date(2030, 12, 31))


def officer(oid, *domains, auxiliary=False, valid=VALID, active_cert=True):
    cert = CertificateInfo(frozenset(domains), valid[0], valid[1], active_cert)
    return OfficerInfo(oid, (cert,) if domains else (), auxiliary=auxiliary)


def test_two_officers_per_domain_and_only_eligible_ones():
    officers = [
        officer(1, "食品安全"),
        officer(2, "食品安全", "安全生产"),
        officer(3, "安全生产"),
        officer(4, "食品安全", auxiliary=True),
        officer(5, "食品安全", valid=(dt.date(2020, 1, 1), dt.date(2025, 1, 1))),
        officer(6, "安全生产", active_cert=False),
    ]
    drawn = staff_visit({"食品安全", "安全生产"}, officers, random.Random(1), day=D0, party_id="P1")
    assert set(drawn) <= {1, 2, 3}
    assert sum(1 for o in drawn if o in {1, 2}) >= 2 and sum(1 for o in drawn if o in {2, 3}) >= 2
    assert len(drawn) == len(set(drawn))


def test_shortage_names_the_domain_and_counts():
    officers = [
        officer(1, "食品安全"),
        officer(2, "安全生产"),
        officer(3, "安全生产"),
        officer(4, "食品安全", auxiliary=True),
    ]
    with pytest.raises(DrawShortage) as exc:
        staff_visit({"食品安全", "安全生产"}, officers, random.Random(1), day=D0, party_id="P1")
    error = exc.value
    assert (error.needed, error.eligible, error.domain) == (2, 1, "食品安全")
    assert isinstance(error, DomainError) and error.code == "draw_shortage"
    assert "食品安全" in error.message and "至少需要2名" in error.message and "只有1名" in error.message
    assert repr(error) == "DrawShortage(needed=2, eligible=1, domain='食品安全')"


def test_visit_without_domains_still_needs_two_certified_officers():
    assert (
        len(
            staff_visit(
                set(),
                [officer(1, "x"), officer(2, "y"), officer(3, "z")],
                random.Random(0),
                day=D0,
                party_id="P",
            )
        )
        == MIN_OFFICERS
    )
    with pytest.raises(DrawShortage) as exc:
        staff_visit(set(), [officer(1, "x"), officer(2)], random.Random(0), day=D0, party_id="P")
    assert (exc.value.needed, exc.value.eligible, exc.value.domain) == (2, 1, None)


def test_rotation_and_recusal_exclude_officers():
    officers = [officer(i, "食品安全") for i in range(1, 6)]
    for seed in range(30):
        drawn = staff_visit(
            {"食品安全"},
            officers,
            random.Random(seed),
            day=D0,
            party_id="P1",
            previous_inspectors={1, 2},
            recusals={(3, "P2"), (4, "P1")},
        )
        assert sorted(drawn) == [3, 5]  # 1, 2 inspected last time; 4 must recuse from P1; 3 only from P2
    with pytest.raises(DrawShortage):
        staff_visit(
            {"食品安全"},
            officers,
            random.Random(0),
            day=D0,
            party_id="P1",
            previous_inspectors={1, 2},
            recusals={(3, "P1"), (4, "P1")},
        )


officer_strategy = st.builds(
    lambda oid, domains, aux, start, length, active: officer(
        oid, *domains, auxiliary=aux, valid=(day(start), day(start + length)), active_cert=active
    ),
    st.integers(),
    st.sets(st.sampled_from(["食品安全", "安全生产", "生态环境", "城乡规划"]), max_size=3),
    st.booleans(),
    st.integers(-20, 10),
    st.integers(1, 30),
    st.booleans(),
)


@given(
    st.lists(officer_strategy, max_size=12, unique_by=lambda o: o.officer_id),
    st.sets(st.sampled_from(["食品安全", "安全生产", "生态环境", "城乡规划"]), max_size=3),
    st.sets(st.integers(), max_size=3),
    st.integers(),
)
def test_staffing_properties(officers, needed, previous, seed):
    excluded = set(previous)
    usable = {
        o.officer_id: o.domains_on(D0)
        for o in officers
        if o.certified_on(D0) and o.officer_id not in excluded
    }
    feasible = len(usable) >= MIN_OFFICERS and all(
        sum(1 for ds in usable.values() if d in ds) >= MIN_OFFICERS for d in needed
    )
    try:
        drawn = staff_visit(
            needed, officers, random.Random(seed), day=D0, party_id="P", previous_inspectors=previous
        )
    except DrawShortage as exc:
        assert not feasible and exc.eligible < exc.needed == MIN_OFFICERS
        return
    assert feasible
    assert len(drawn) == len(set(drawn)) >= MIN_OFFICERS
    assert all(oid in usable for oid in drawn)
    for d in needed:
        assert sum(1 for oid in drawn if d in usable[oid]) >= MIN_OFFICERS


# ---- 双随机: reproducible draws ---------------------------------------------------------------

PARTIES = [
    (i, color)
    for i, color in zip(range(1, 401), itertools.cycle(["green"] * 6 + ["blue"] * 3 + ["red"]), strict=False)
]
RATIOS = {"green": 0.05, "blue": 0.2, "red": 1.0}


def test_seed_is_built_from_published_inputs():
    assert draw_seed(17, dt.date(2026, 4, 1), "a1b2") == "17|2026-04-01|a1b2"


def test_same_seed_same_parties_different_seed_different_parties():
    seed = draw_seed(17, dt.date(2026, 4, 1), "a1b2")
    first = draw_parties(PARTIES, RATIOS, seed)
    assert draw_parties(list(reversed(PARTIES)), RATIOS, seed) == first  # input order does not matter
    assert draw_parties(PARTIES, RATIOS, draw_seed(17, dt.date(2026, 4, 1), "c3d4")) != first


def test_party_draw_follows_ratios_by_colour():
    colors = dict(PARTIES)
    drawn = draw_parties(PARTIES, RATIOS, "s")
    counts = {c: sum(1 for p in drawn if colors[p] == c) for c in ("green", "blue", "red")}
    assert counts == {"green": 12, "blue": 24, "red": 40}  # ceil(0.05·240), ceil(0.2·120), all 40 red
    assert len(set(drawn)) == len(drawn)
    assert draw_parties([(1, "green")], {"green": 0.01}, "s") == [1]  # a non-zero ratio draws at least one
    with pytest.raises(ValueError):
        draw_parties(PARTIES, {"green": 1.5}, "s")


def test_same_seed_same_officers_different_seed_different_officers():
    officers = [officer(i, "食品安全") for i in range(1, 41)]
    args = {"day": D0, "party_id": "P1", "domains": {"食品安全"}}
    seed = draw_seed("plan-3", D0, "n1")
    first = draw_officers(officers, seed, **args)
    assert draw_officers(list(reversed(officers)), seed, **args) == first
    assert draw_officers(officers, draw_seed("plan-3", D0, "n2"), **args) != first
