"""Cockpit snapshots (docs/decisions/0003-cockpit-snapshots.md): the page reads one stored row per
scope in a few queries whatever the data size; the refresh task is idempotent, covers the district
and the scopes viewed lately, and never runs twice at once for one scope; the 刷新 button
recomputes (at most once every ten seconds per scope); a township's snapshot holds only its own
records."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.cockpit.conftest import add_case, add_incident
from tests.cockpit.test_selectors import _all_counts_agree
from tests.cockpit.test_views import figures_of
from zhifa.cockpit import selectors, services, tasks
from zhifa.cockpit.models import Snapshot
from zhifa.core.scopes import Scope
from zhifa.organizations.models import User

DISTRICT = Scope(everything=True)
#: Tables of the records the cockpit counts: reading a snapshot touches none of them.
RECORD_TABLES = (
    "dispatch_incident",
    "cases_case",
    "inspections_",
    "organizations_officer",
    "supervision_alert",
    "catalog_enforcementitem",
)


@pytest.fixture
def command(world):
    return User.objects.create_user(
        "snap_command", password="x", organization=world.root, role="command_center"
    )


def _page_queries(client) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/cockpit/").status_code == 200
    return [q["sql"] for q in captured.captured_queries]


def test_reading_the_page_is_a_few_queries_whatever_the_data(client, world, command):
    client.force_login(command)
    first = _page_queries(client)  # no snapshot yet: computed live once, and stored
    assert any("dispatch_incident" in q for q in first)
    assert Snapshot.objects.filter(scope_key="district").count() == 1
    reads = _page_queries(client)
    # session, user, organisation (scope), the district (page header), the snapshot; its view stamp once an hour
    assert len(reads) <= 6, reads
    assert [q for q in reads if any(t in q for t in RECORD_TABLES)] == []
    assert sum("cockpit_snapshot" in q for q in reads) == 1
    for i in range(20):
        add_incident(world.shangfang if i % 2 else world.xiachuan, world.team_a, state="closed")
        add_case(world.team_b, world.xiachuan, state="decided")
    services.refresh(DISTRICT)
    assert len(_page_queries(client)) == len(reads)
    # the JSON API and the PDF read the same snapshot
    with CaptureQueriesContext(connection) as captured:
        data = client.get("/api/v1/cockpit/indicators").json()
    assert [q for q in captured.captured_queries if any(t in q["sql"] for t in RECORD_TABLES)] == []
    assert (
        data["computed_at"]
        and {f["key"]: f["value"] for g in data["groups"] for f in g["figures"]}["incidents_total"] == 20
    )


def test_the_view_stamp_is_written_at_most_once_an_hour(client, world, command):
    client.force_login(command)
    client.get("/cockpit/")
    stamp = Snapshot.objects.get().viewed_at
    assert stamp is not None
    assert not any(q.startswith("UPDATE") for q in _page_queries(client))
    Snapshot.objects.update(viewed_at=timezone.now() - dt.timedelta(hours=2))
    assert sum(q.startswith("UPDATE") for q in _page_queries(client)) == 1
    assert Snapshot.objects.get().viewed_at > stamp


def test_refresh_is_idempotent_one_row_per_scope(world):
    add_incident(world.shangfang, world.team_a, state="closed")
    first = services.refresh(DISTRICT)
    second = services.refresh(DISTRICT)
    assert Snapshot.objects.count() == 1 and first.pk == second.pk
    assert second.data == first.data
    assert second.computed_at >= first.computed_at
    # the newest computation wins
    add_incident(world.xiachuan, world.team_b)
    third = services.refresh(DISTRICT)
    assert Snapshot.objects.count() == 1
    assert third.data["counts"]["incidents_total"] == first.data["counts"]["incidents_total"] + 1


def test_two_refreshes_of_one_scope_never_run_at_once(world):
    """While another session holds the scope's lock, a refresh that may not wait does nothing."""
    other = connection.copy()
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s, hashtext(%s))", [services.LOCK_CLASS, "district"])
        assert services.refresh(DISTRICT) is None
        assert not Snapshot.objects.exists()
        assert services.refresh(Scope.for_user(world.leader_a)) is not None  # another scope is not blocked
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, hashtext(%s))", [services.LOCK_CLASS, "district"])
        assert services.refresh(DISTRICT) is not None
    finally:
        other.close()


def test_task_refreshes_the_district_and_recently_viewed_scopes(world):
    scope_a, scope_b = Scope.for_user(world.leader_a), Scope.for_user(world.leader_b)
    services.snapshot(scope_a)
    services.snapshot(scope_b)
    Snapshot.objects.filter(scope_key=selectors.scope_key(scope_b)).update(
        viewed_at=timezone.now() - dt.timedelta(days=services.VIEWED_DAYS + 1)
    )
    add_incident(world.shangfang, world.team_a)
    add_incident(world.xiachuan, world.team_b)
    result = tasks.refresh_snapshots.apply().get()
    assert set(result) == {"district", selectors.scope_key(scope_a)}
    assert all(isinstance(ms, int) for ms in result.values())
    assert services.snapshot(scope_a).counts["incidents_total"] == 1
    stale = Snapshot.objects.get(scope_key=selectors.scope_key(scope_b))
    assert stale.data["counts"]["incidents_total"] == 0  # not viewed lately: left as it was
    assert services.snapshot(DISTRICT).counts["incidents_total"] == 2
    again = tasks.refresh_snapshots.apply().get()  # idempotent
    assert set(again) == set(result) and Snapshot.objects.count() == 3
    # looking at township B again puts it back on the task's list
    assert services.snapshot(scope_b).counts["incidents_total"] == 0
    assert selectors.scope_key(scope_b) in tasks.refresh_snapshots.apply().get()
    assert services.snapshot(scope_b).counts["incidents_total"] == 1
    assert services.snapshot(DISTRICT).counts == selectors.counts(DISTRICT)


def test_refresh_button_recomputes_and_is_rate_limited_per_scope(client, world, command):
    client.force_login(world.leader_a)
    assert figures_of(client.get("/cockpit/").content.decode())["incidents_total"] == "0"
    add_incident(world.shangfang, world.team_a)
    assert figures_of(client.get("/cockpit/").content.decode())["incidents_total"] == "0"
    assert client.get("/cockpit/refresh/").status_code == 405  # POST only
    client.post("/cockpit/refresh/")
    assert figures_of(client.get("/cockpit/").content.decode())["incidents_total"] == "1"
    # a second press within ten seconds does not recompute
    add_incident(world.shangfang, world.team_a)
    response = client.post("/cockpit/refresh/", follow=True)
    assert "数据刚刚更新过" in response.content.decode()
    assert figures_of(response.content.decode())["incidents_total"] == "1"
    # ... another scope is not limited by township A's presses
    client.force_login(command)
    client.post("/cockpit/refresh/")
    assert figures_of(client.get("/cockpit/").content.decode())["incidents_total"] == "2"
    # ... and ten seconds later township A may press again
    Snapshot.objects.filter(scope_key=selectors.scope_key(Scope.for_user(world.leader_a))).update(
        requested_at=timezone.now() - services.MANUAL_INTERVAL
    )
    client.force_login(world.leader_a)
    client.post("/cockpit/refresh/")
    assert figures_of(client.get("/cockpit/").content.decode())["incidents_total"] == "2"


def test_refresh_needs_login_and_csrf(world):
    from django.test import Client

    anonymous = Client(enforce_csrf_checks=True)
    assert anonymous.post("/cockpit/refresh/").status_code in (302, 403)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(world.leader_a)
    assert strict.post("/cockpit/refresh/").status_code == 403
    html = strict.get("/cockpit/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    assert strict.post("/cockpit/refresh/", {"csrfmiddlewaretoken": token}).status_code == 302


def test_a_township_snapshot_holds_only_its_own_records(world):
    for _ in range(3):
        add_incident(world.shangfang, world.team_a, state="closed")
    add_incident(world.xiachuan, world.team_b)
    add_case(world.team_b, world.xiachuan, state="decided")
    scope_a, scope_b = Scope.for_user(world.leader_a), Scope.for_user(world.leader_b)
    assert selectors.scope_key(scope_a) != selectors.scope_key(scope_b)
    a, b = services.snapshot(scope_a), services.snapshot(scope_b)
    assert (a.counts["incidents_total"], a.counts["cases_total"]) == (3, 0)
    assert (b.counts["incidents_total"], b.counts["cases_total"]) == (1, 1)
    assert [name for _, name, _ in a.townships.rows] == ["上方镇"]
    assert [name for _, name, _ in b.townships.rows] == ["峡川镇"]
    assert sum(a.trend["series"]["incidents_total"]) == 3
    # the district's snapshot is another row, with everything
    assert services.snapshot(DISTRICT).counts["incidents_total"] == 4
    assert Snapshot.objects.count() == 3
    _all_counts_agree(scope_a)
    _all_counts_agree(scope_b)
