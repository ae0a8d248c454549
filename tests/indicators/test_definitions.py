"""Each indicator on the small fixed data set of ``conftest`` (the first half of 2025). Every
expected value is worked out by hand in the test's docstring from the rows listed there; every
figure's rows counted and rows not counted add up to its population."""

from __future__ import annotations

from decimal import Decimal

import pytest

from zhifa.core.scopes import Scope
from zhifa.indicators import selectors
from zhifa.indicators.definitions import INDICATORS, REGISTRY, measure

from .conftest import PERIOD

DISTRICT = Scope(everything=True)
pytestmark = pytest.mark.django_db


def value(key, scope=DISTRICT):
    m = measure(REGISTRY[key], scope, PERIOD)
    counted = selectors.drilldown(key, "counted", scope, PERIOD).count()
    missed = selectors.drilldown(key, "missed", scope, PERIOD).count()
    assert (counted, counted + missed) == (m.counted, m.population), key  # the figure is its drill-downs
    return m


def codes(key, part, scope=DISTRICT):
    return sorted(r.code for r in selectors.drilldown(key, part, scope, PERIOD))


# ---- 执法事项 ----


def test_comprehensive_share(catalog):
    """Penalty items in force: A, B, C, D (E is an inspection item, F repealed) = 4; exercised by the
    comprehensive bureau or a township: A, B = 2. 2 / 4 = 50 %, goal ≥ 45 % met."""
    m = value("comprehensive_share")
    assert (m.counted, m.population, m.value, m.meets_target) == (2, 4, Decimal("0.5"), True)
    assert codes("comprehensive_share", "counted") == ["IXA", "IXB"]


def test_high_three_share(catalog):
    """Comprehensive penalty items: A (高频), B (高需) = 2; both are 三高: 2 / 2 = 100 %, goal ≥ 60 % met."""
    m = value("high_three_share")
    assert (m.counted, m.population, m.number, m.meets_target) == (2, 2, Decimal("100.0"), True)


def test_item_coverage_against_the_provincial_library(catalog):
    """County-level library items: IXA, IXC, IXX, IXF = 4 (IXY is city level). In the district's
    catalog in force: IXA, IXC = 2 (IXX missing, IXF repealed). 2 / 4 = 50 %, goal 100 % missed."""
    m = value("item_coverage")
    assert (m.counted, m.population, m.value, m.meets_target) == (2, 4, Decimal("0.5"), False)
    assert codes("item_coverage", "missed") == ["IXF", "IXX"]


def test_item_claim_rate(catalog):
    """Items in force: A–E = 5; claimed where needed (district claims, no township list items):
    A, C, E = 3. 3 / 5 = 60 %."""
    m = value("item_claim_rate")
    assert (m.counted, m.population, m.value) == (3, 5, Decimal("0.6"))
    assert codes("item_claim_rate", "missed") == ["IXB", "IXD"]


def test_item_publication_rate_counts_what_the_portal_shows(catalog):
    """Items in force: 5. Public on 2025-06-30 = on a portal list (professional or key supervision)
    with its 公示日期 reached: C (professional, 02-01), E (key supervision, 03-01) = 2. A has a 公示日期
    but is on no public list; D's date is 12-31; B has none. 2 / 5 = 40 %."""
    m = value("item_publication_rate")
    assert (m.counted, m.population, m.value) == (2, 5, Decimal("0.4"))
    assert codes("item_publication_rate", "counted") == ["IXC", "IXE"]


def test_baseline_rate(catalog):
    """High-frequency penalty items in force: A, C = 2; with a baseline in force on 2025-06-30: A
    (C's is a draft) = 1. 1 / 2 = 50 %, goal 100 % missed."""
    m = value("baseline_rate")
    assert (m.counted, m.population, m.value, m.meets_target) == (1, 2, Decimal("0.5"), False)


# ---- 执法力量 ----


def test_staff_township_share(world, staff):
    """Enforcement officers: officer_a, a2, a_expired, officer_b, bureau_officer, posted, uncertified
    = 7 (a_aux is auxiliary). Working in a township: the four of teams A and B plus posted = 5.
    5 / 7 = 71.4 %, goal ≥ 60 % met."""
    m = value("staff_township_share")
    assert (m.counted, m.population, m.number, m.meets_target) == (5, 7, Decimal("71.4"), True)


def test_officers_onboarded_counts_valid_certificates_only(world, staff):
    """Of the 7 enforcement officers, a_expired's certificate ended 2024-12-31 and uncertified has
    none: 5 / 7 = 71.4 %. Township A's leader sees officer_a, a2, a_expired: 2 / 3 = 66.7 %."""
    m = value("officers_onboarded")
    assert (m.counted, m.population, m.number) == (5, 7, Decimal("71.4"))
    a = value("officers_onboarded", Scope.for_user(world.leader_a))
    assert (a.counted, a.population, a.number) == (2, 3, Decimal("66.7"))


def test_certified_posts_per_township(world, staff):
    """上方镇: team A's certified 执法岗 officer_a, a2 = 2 (a_expired's certificate ended) → meets.
    峡川镇: team B's officer_b = 1 (posted belongs to the bureau) → short. 1 / 2 = 50 %."""
    m = value("township_certified_posts")
    assert (m.counted, m.population, m.value) == (1, 2, Decimal("0.5"))
    rows = {
        r.name: r.certified for r in selectors.drilldown("township_certified_posts", "all", DISTRICT, PERIOD)
    }
    assert rows == {"上方镇": 2, "峡川镇": 1}


def test_bodies_onboarded(world, staff):
    """Enforcement bodies: bureau, team A, team B, 交通运输局 = 4; with an officer holding a valid
    certificate: the first three = 3. 3 / 4 = 75 %."""
    m = value("bodies_onboarded")
    assert (m.counted, m.population, m.value) == (3, 4, Decimal("0.75"))
    assert [o.name for o in selectors.drilldown("bodies_onboarded", "missed", DISTRICT, PERIOD)] == [
        "交通运输局"
    ]


# ---- 平台运行 ----


def test_platform_running_rate(world, staff, cases, inspections):
    """Bodies: bureau, team A, team B, 交通运输局 = 4. Both an inspection and a case registered in the
    period: team A (R1, R2, R4; K1 registered 01-10) = 1. Team B has R3 but no case; the bureau K8
    but no inspection. 1 / 4 = 25 %."""
    m = value("platform_running_rate")
    assert (m.counted, m.population, m.value) == (1, 4, Decimal("0.25"))


def test_online_cases_rate(cases):
    """Concluded in the period: K1, K2, K3, K4, K6, K7 = 6 (K5 decided in 2024, K8 not decided).
    Decision book issued on the platform: K1, K2, K4 = 3. 3 / 6 = 50 %."""
    m = value("online_cases_rate")
    assert (m.counted, m.population, m.value) == (3, 6, Decimal("0.5"))


def test_online_inspections_rate(inspections):
    """Records started in the period: R1–R4 = 4. Every step online: R1 (recorded, order issued), R2
    (recorded, no problem) = 2; R3 was recorded by no account, R4 ordered rectification without an
    order. 2 / 4 = 50 %."""
    m = value("online_inspections_rate")
    assert (m.counted, m.population, m.value) == (2, 4, Decimal("0.5"))


def test_online_legal_review_rate(cases):
    """Concluded cases that went through legal review: K1 (flag and platform step), K6 (flag only) =
    2; reviewed on the platform: K1 = 1. 1 / 2 = 50 %."""
    m = value("online_legal_review_rate")
    assert (m.counted, m.population, m.value) == (1, 2, Decimal("0.5"))


# ---- 规范办案 ----


def test_decision_publication_rate(cases):
    """Penalty decisions of the period: K1, K4, K6, K7 = 4 (K2, K3 are no-penalty decisions).
    K1 decided Sat 03-01, 7 working days end Tue 03-11, published 03-05: in time. K4 decided Tue
    05-20, limit Thu 05-29, published 06-20: late. K6, K7 unpublished. 1 / 4 = 25 %."""
    m = value("decision_publication_rate")
    assert (m.counted, m.population, m.value) == (1, 4, Decimal("0.25"))


def test_department_publication_limit_applies_to_its_subtree(world, cases, settings):
    """With team A's own limit of 20 working days, K4's (05-20 → 06-18, published 06-20) is still
    late; with 25 (→ 06-25) it is in time: 2 / 4 = 50 %."""
    from zhifa.indicators.models import PublicationLimit

    PublicationLimit.objects.create(organization=world.team_a, working_days=20, basis="部门规定")
    assert value("decision_publication_rate").counted == 1
    PublicationLimit.objects.filter(organization=world.team_a).update(working_days=25)
    assert value("decision_publication_rate").value == Decimal("0.5")


def test_reconsideration_correction_rate(cases):
    """Reconsiderations decided in the period: K1 changed (05-01), K4 upheld (06-01) = 2; K6's is
    pending. Corrected: K1 = 1. 1 / 2 = 50 %."""
    m = value("reconsideration_correction_rate")
    assert (m.counted, m.population, m.value) == (1, 2, Decimal("0.5"))


def test_litigation_loss_rate(cases):
    """Litigation decided in the period: K1 revoked (06-15), K5 upheld (03-01), K7 withdrawn (04-01) =
    3; K4's judgment is dated 08-01. Lost: K1 = 1. 1 / 3 = 33.3 %."""
    m = value("litigation_loss_rate")
    assert (m.counted, m.population, m.number) == (1, 3, Decimal("33.3"))


def test_first_offence_and_minor_exempt_shares(cases):
    """Concluded in the period: 6 (see online_cases_rate). 首违不罚: K2 = 1 → 16.7 %;
    轻微免罚: K3 = 1 → 16.7 %."""
    first, minor = value("first_offence_share"), value("minor_exempt_share")
    assert (first.counted, first.population, first.number) == (1, 6, Decimal("16.7"))
    assert (minor.counted, minor.population, minor.number) == (1, 6, Decimal("16.7"))


def test_court_enforcement_count(cases):
    """Decided on or before 06-30 with a penalty: K1, K4, K5, K6, K7 = 5; applied to court in the
    period: K5 (04-15) = 1."""
    m = value("court_enforcement_count")
    assert (m.value, m.counted, m.population) == (1, 1, 5)


def test_average_handling_days(cases):
    """General-procedure cases concluded in the period: K1, K2, K3, K6, K7 = 5 (K4 is summary).
    With a filing date: K1 50, K2 20, K3 10, K6 40 days → (50 + 20 + 10 + 40) / 4 = 30.0 days;
    K7 (no filing date) is not counted."""
    m = value("average_handling_days")
    assert (m.number, m.counted, m.population) == (Decimal("30.0"), 4, 5)


# ---- 检查监管 ----


def test_detection_rates_by_kind(inspections):
    """双随机 (a task — or a task of the visit — from a drawn plan, P1 or P3): R1, R2, R4 = 3; a problem found:
    R1, R4 (责令整改) = 2 → 66.7 %. 日常 (plan P2, not drawn): R3 = 1, 建议立案 → 100 %. 专项: no
    campaigns recorded → nothing to measure."""
    random, routine, special = (value(f"detection_rate_{k}") for k in ("random", "routine", "special"))
    assert (random.counted, random.population, random.number) == (2, 3, Decimal("66.7"))
    assert (routine.counted, routine.population, routine.number) == (1, 1, Decimal("100.0"))
    assert (special.population, special.value) == (0, None)


def test_joint_visits(inspections):
    """Visits in the period: V1, V2 = 2 (V3 is 08-01). With tasks of two departments: V1 = 1."""
    m = value("joint_visits")
    assert (m.value, m.population) == (1, 2)


def test_visits_saved(inspections):
    """Tasks on visits of the period: T1, T2 (V1), T3, T4 (V2) = 4; riding along on another task's
    visit: T2, T4 = 2 — two doors the parties did not open twice."""
    m = value("visits_saved")
    assert (m.value, m.population) == (2, 4)


def test_every_indicator_is_defined_once_and_adds_up(world, catalog, staff, cases, inspections):
    """On the whole data set: each figure's counted and not-counted rows add up to its population,
    keys are unique, and the cockpit's staff and online-case conditions are the indicators' own.
    The cockpit counts cases of all time: concluded K1–K7 = 7 (K8 is only filed); without a decision
    book on the platform K3, K5, K6, K7 = 4."""
    from zhifa.cockpit import selectors as cockpit

    assert len(REGISTRY) == len(INDICATORS) == 26
    for indicator in INDICATORS:
        value(indicator.key)
    counts = cockpit.counts(DISTRICT)
    assert counts["staff_townships"] == value("staff_township_share").counted == 5
    assert (counts["cases_concluded"], counts["cases_offline"]) == (7, 4)
