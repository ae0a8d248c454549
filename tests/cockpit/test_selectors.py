"""The cockpit's figures on targeted data: exact values, township scoping, the art. 60 decision
period with extensions and roll-forward, a constant number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.cockpit.conftest import add_case, add_incident
from tests.conftest import new_officer
from zhifa.cases.models import Document
from zhifa.cockpit import selectors, services
from zhifa.core.calendars import district_calendar
from zhifa.core.scopes import Scope

DISTRICT = Scope(everything=True)


def _all_counts_agree(scope):
    """Every measure: figure == drill-down count; every breakdown and trend cell == drill-down
    filtered by that cell — on a freshly computed snapshot, read back as the page reads it."""
    counts = selectors.counts(scope)
    for key, value in counts.items():
        assert selectors.drilldown(key, scope).count() == value, key
    services.refresh(scope)
    cockpit = services.snapshot(scope)
    assert cockpit.counts == counts
    assert cockpit.as_dict() == selectors.indicators(scope).as_dict()  # the snapshot loses nothing
    for f in cockpit.figures.values():
        if f.drilldown:
            assert selectors.drilldown(f.drilldown, scope).count() == f.count, f.key
            if f.key == f.drilldown:  # a counted figure shows its drill-down's count
                assert f.value == f.count, f.key
    for b, param in ((cockpit.townships, "township"), (cockpit.departments, "department")):
        for pk, _name, values in b.rows:
            for key, value in values.items():
                filters = selectors.Filters(**{param: pk})
                assert selectors.drilldown(key, scope, filters=filters).count() == value, (param, pk, key)
    for key, series in cockpit.trend["series"].items():
        for month, value in zip(cockpit.trend["months"], series, strict=True):
            filters = selectors.Filters(month=dt.date.fromisoformat(month + "-01"))
            assert selectors.drilldown(key, scope, filters=filters).count() == value, (month, key)
    return cockpit


@pytest.fixture
def loop(world):
    """Incidents of both townships: on time, late, overdue, closed and rated."""
    t = timezone.now()
    a, b = world, world
    rows = {
        "a_on_time": add_incident(
            a.shangfang, a.team_a, state="replied", due_at=t, replied_at=t - dt.timedelta(hours=1)
        ),
        "a_late": add_incident(
            a.shangfang, a.team_a, state="replied", due_at=t - dt.timedelta(days=1), replied_at=t
        ),
        "a_closed": add_incident(
            a.shangfang,
            a.team_a,
            state="closed",
            due_at=t,
            replied_at=t - dt.timedelta(days=2),
            satisfaction=4,
        ),
        "a_overdue": add_incident(
            a.shangfang, a.team_a, state="handling", due_at=t - dt.timedelta(days=3), overdue=True
        ),
        "b_evaluated": add_incident(
            b.xiachuan, b.team_b, state="evaluated", due_at=t, replied_at=t, satisfaction=2
        ),
        "b_new": add_incident(b.xiachuan, None, state="reported"),
    }
    return rows


def test_incident_figures_exact_and_agree(world, loop):
    n = selectors.counts(DISTRICT)
    assert (
        n["incidents_total"],
        n["incidents_closed"],
        n["incidents_on_time"],
        n["incidents_late"],
        n["incidents_overdue"],
        n["incidents_rated"],
    ) == (6, 2, 3, 1, 1, 2)
    cockpit = _all_counts_agree(DISTRICT)
    f = cockpit.figures
    assert f["incidents_on_time_share"].number == 75  # 3 of 4 replies on time
    assert f["satisfaction"].value == 3  # (4 + 2) / 2


def test_township_scope_excludes_the_other_township(world, loop):
    scope_a = Scope.for_user(world.leader_a)
    n = selectors.counts(scope_a)
    assert n["incidents_total"] == 4
    codes = set(selectors.drilldown("incidents_total", scope_a).values_list("tracking_code", flat=True))
    assert codes == {loop[k].tracking_code for k in ("a_on_time", "a_late", "a_closed", "a_overdue")}
    assert loop["b_new"].tracking_code not in codes
    # a breakdown cell of the other township is empty for township A, and its drill-down too
    cockpit = _all_counts_agree(scope_a)
    assert [name for _, name, _ in cockpit.townships.rows] == ["上方镇"]
    assert (
        selectors.drilldown(
            "incidents_total", scope_a, filters=selectors.Filters(township=world.xiachuan.pk)
        ).count()
        == 0
    )
    assert selectors.counts(Scope.for_user(world.leader_b))["incidents_total"] == 2


def test_staff_share_by_township_and_posting(world):
    new_officer(world.bureau, posted_to=world.xiachuan)
    n = selectors.counts(DISTRICT)
    # officer_a, officer_b work in their townships; bureau_officer in the district; one posted
    assert (n["staff_total"], n["staff_townships"]) == (4, 3)
    cockpit = _all_counts_agree(DISTRICT)
    assert cockpit.figures["staff_township_share"].number == 75
    assert cockpit.figures["staff_township_share"].meets_goal is True  # goal ≥ 60%
    town = {name: values["staff_total"] for _, name, values in cockpit.townships.rows}
    assert town == {"上方镇": 1, "峡川镇": 2}


def test_case_decision_period_art_60_with_roll_forward_and_extensions(world):
    """行政处罚法 art. 60: decision within 90 days of filing plus approved extensions; the last day
    rolls forward off a rest day (民事诉讼法 art. 85)."""
    calendar = district_calendar()
    filing = dt.date(2026, 3, 2)
    plain_end = filing + dt.timedelta(days=90)  # 2026-05-31, a Sunday
    assert not calendar.is_workday(plain_end)
    last = calendar.calendar_deadline(filing, 90)
    assert last > plain_end
    org, town = world.team_a, world.shangfang
    on_time = add_case(
        org, town, state="decided", filing_date=filing, decision_date=filing + dt.timedelta(days=60)
    )
    rolled = add_case(org, town, state="served", filing_date=filing, decision_date=last)
    late = add_case(org, town, state="paid", filing_date=filing, decision_date=last + dt.timedelta(days=1))
    very_late = add_case(
        org, town, state="closed", filing_date=filing, decision_date=filing + dt.timedelta(days=200)
    )
    extended = add_case(
        org,
        town,
        state="decided",
        filing_date=filing,
        decision_date=filing + dt.timedelta(days=110),
        extensions=[{"days": 30, "basis": "经负责人批准延长", "approved_on": "2026-05-20"}],
    )
    add_case(org, town, state="investigating", filing_date=filing)
    scope = DISTRICT
    assert set(selectors.drilldown("cases_on_time", scope).values_list("pk", flat=True)) == {
        on_time.pk,
        rolled.pk,
        extended.pk,
    }
    assert set(selectors.drilldown("cases_late", scope).values_list("pk", flat=True)) == {
        late.pk,
        very_late.pk,
    }
    cockpit = _all_counts_agree(scope)
    assert cockpit.figures["cases_on_time_share"].number == 60
    assert (cockpit.figures["cases_total"].value, cockpit.figures["cases_decided"].value) == (6, 5)


def test_case_outcomes_and_online_share(world):
    org, town = world.team_a, world.shangfang
    mitigated = add_case(
        org,
        town,
        state="decided",
        filing_date=dt.date(2026, 3, 2),
        decision_date=dt.date(2026, 3, 20),
        extra_facts={"mitigation_basis": "主动消除违法行为危害后果（第三十二条第一项）"},
        fine="500",
    )
    add_case(
        org,
        town,
        state="decided",
        filing_date=dt.date(2026, 3, 2),
        decision_date=dt.date(2026, 3, 20),
        extra_facts={"mitigation_basis": ""},
        fine="5000",
    )
    no_penalty = add_case(
        world.team_b,
        world.xiachuan,
        state="no_penalty",
        filing_date=dt.date(2026, 3, 2),
        decision_date=dt.date(2026, 3, 10),
    )
    referred = add_case(org, town, state="referred", filing_date=dt.date(2026, 3, 2))
    Document.objects.create(
        case=mitigated,
        kind=Document.Kind.DECISION,
        number="衢江综执罚决字〔2026〕第1号",
        year=2026,
        seq=1,
        file="x.pdf",
        sha256="0" * 64,
        issued_at=timezone.now(),
    )
    n = selectors.counts(DISTRICT)
    assert (
        n["cases_mitigated"],
        n["cases_no_penalty"],
        n["cases_referred"],
        n["cases_concluded"],
        n["cases_offline"],
    ) == (1, 1, 1, 3, 2)
    assert list(selectors.drilldown("cases_mitigated", DISTRICT)) == [mitigated]
    assert list(selectors.drilldown("cases_referred", DISTRICT)) == [referred]
    cockpit = _all_counts_agree(DISTRICT)
    online = cockpit.figures["cases_online_share"]
    assert (online.count, online.meets_goal, round(online.number)) == (2, False, 33)  # 1 of 3 decided online
    # township B sees its no-penalty case only
    scope_b = Scope.for_user(world.leader_b)
    assert list(selectors.drilldown("cases_total", scope_b)) == [no_penalty]
    _all_counts_agree(scope_b)


def test_alerts_raised_and_closed(world):
    Alert = selectors.alert_model()
    if Alert is None:  # pragma: no cover - the supervision app provides it
        pytest.skip("supervision.Alert not available")
    t = timezone.now()

    def alert(org, state, n):
        return Alert.objects.create(
            rule_code="case_overdue",
            subject_type="case",
            subject_id=n,
            organization=org,
            severity="medium",
            message="案件超期",
            state=state,
            raised_at=t,
            last_seen_at=t,
            closed_at=t if state == "closed" else None,
        )

    alert(world.team_a, "raised", 1)
    alert(world.team_a, "closed", 2)
    alert(world.team_b, "explained", 3)
    n = selectors.counts(DISTRICT)
    assert (n["alerts_raised"], n["alerts_open"], n["alerts_closed"]) == (3, 2, 1)
    assert selectors.counts(Scope.for_user(world.leader_a))["alerts_raised"] == 2
    _all_counts_agree(DISTRICT)


def test_query_count_is_constant(world, loop):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            selectors.indicators(DISTRICT)
        return len(captured)

    before = queries()
    for i in range(30):
        add_incident(
            world.shangfang if i % 2 else world.xiachuan,
            world.team_a,
            state="replied",
            due_at=timezone.now(),
            replied_at=timezone.now(),
        )
        add_case(
            world.team_b,
            world.xiachuan,
            state="decided",
            filing_date=dt.date(2026, 3, 2),
            decision_date=dt.date(2026, 3, 9),
        )
        new_officer(world.team_b)
    assert queries() == before
    assert before <= 40
