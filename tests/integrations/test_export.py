"""Incremental exports for the provincial platform: cases, inspections and incidents since a
cursor, every page valid against its published JSON Schema, nothing skipped or repeated, scoped
and refused with JSON errors."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from tests.dispatch.conftest import report_data
from zhifa.api.models import ApiKey
from zhifa.dispatch import services as dispatch_services
from zhifa.dispatch.models import Incident
from zhifa.integrations import export
from zhifa.organizations.models import User

from .schema_check import errors

API = "/api/v1/integrations/export"


def _incidents(command, n):
    made = [
        dispatch_services.report_incident(command.user, report_data(external_id=f"E-{i}"))[0]
        for i in range(n)
    ]
    past = timezone.now() - dt.timedelta(minutes=10)
    Incident.objects.filter(pk__in=[i.pk for i in made]).update(updated_at=past)  # settled
    return made


def test_incidents_are_exported_page_by_page_without_gaps_or_repeats(world, command, catalog):
    made = _incidents(command, 5)
    seen, cursor, pages = [], "", 0
    while True:
        page = export.page(command.user, "incidents", cursor, limit=2)
        assert errors(page, export.schema("incidents")) == []
        seen += [row["id"] for row in page["items"]]
        cursor, pages = page["next_cursor"], pages + 1
        if not page["has_more"]:
            break
    assert sorted(seen) == sorted(i.pk for i in made) and len(seen) == len(set(seen)) and pages == 3
    assert export.page(command.user, "incidents", cursor)["items"] == []  # nothing new
    # a change after the cursor comes back in the next pull; a fresh change waits until it settles
    dispatch_services.transition(command.user, made[1].pk, "assign")
    assert export.page(command.user, "incidents", cursor)["items"] == []
    later = timezone.now() + dt.timedelta(seconds=export.SETTLE_SECONDS + 1)
    again = export.page(command.user, "incidents", cursor, now=later)
    assert [row["id"] for row in again["items"]] == [made[1].pk] and again["items"][0]["state"] == "assigned"
    assert "reporter_phone" not in again["items"][0] and "13812345678" not in str(again)


def test_cases_and_inspections_follow_their_schemas(cw):
    from tests.cases.conftest import new_item
    from zhifa.cases import rules as case_rules
    from zhifa.cases import services as case_services
    from zhifa.cases.models import Case

    today = timezone.localdate()
    item = new_item(cw.domain, "EX1", fine_max="200", name="对乱扔垃圾的行政处罚")
    case = case_services.open_case(
        cw.user,
        {
            "party": cw.person,
            "item": item,
            "act_date": today,
            "discovery_date": today,
            "summary": "乱扔垃圾",
            "procedure": case_rules.Procedure.SUMMARY,
            "officers": [cw.world.officer_a, cw.second],
        },
    )
    Case.objects.filter(pk=case.pk).update(updated_at=timezone.now() - dt.timedelta(minutes=5))
    admin = User.objects.create_superuser("root", password="correct-horse-battery")
    page = export.page(admin, "cases")
    assert errors(page, export.schema("cases")) == [] and [r["id"] for r in page["items"]] == [case.pk]
    assert page["items"][0]["party"]["id_number"].count("*") >= 10  # a person's ID number is masked
    inspections = export.page(admin, "inspections")
    assert errors(inspections, export.schema("inspections")) == []


def test_the_api_serves_pages_and_schemas_and_refuses_in_json(client, world, command, catalog):
    _incidents(command, 1)
    response = client.get(f"{API}/incidents?limit=10", HTTP_X_API_KEY=command.hotline_key)
    assert response.status_code == 200 and response.json()["count"] == 1
    assert (
        client.get(f"{API}/schemas/incidents", HTTP_X_API_KEY=command.hotline_key)
        .json()["$id"]
        .endswith("incidents.json")
    )
    bad_cursor = client.get(f"{API}/incidents?since=not-a-cursor", HTTP_X_API_KEY=command.hotline_key)
    assert bad_cursor.status_code == 422 and bad_cursor.json()["field"] == "since"
    assert client.get(f"{API}/incidents?limit=0", HTTP_X_API_KEY=command.hotline_key).status_code == 422
    unknown = client.get(f"{API}/parties", HTTP_X_API_KEY=command.hotline_key)
    assert unknown.status_code == 404 and unknown.json()["code"] == "not_found"
    officer = ApiKey.generate("上方镇四平台只读", world.team_a, User.Role.OFFICER)[1]
    refused = client.get(f"{API}/incidents", HTTP_X_API_KEY=officer)
    assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"
    assert client.get(f"{API}/incidents").status_code == 401
