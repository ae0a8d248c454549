"""Inspection API: plans, draws (run, read, verify), joint planning, records, the public action
code; list endpoints run a fixed number of queries whatever the number of rows."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.inspections.conftest import DAY, certified, plan_data, run_draw_on
from tests.inspections.test_services import at, record_data
from zhifa.api.models import ApiKey
from zhifa.inspections import services
from zhifa.inspections.models import InspectionTask, JointInspection


@pytest.fixture
def keys(world, insp):
    return {
        "bureau": ApiKey.generate("局计划", world.bureau, "department_admin")[1],
        "officer": ApiKey.generate("局执法终端", world.bureau, "officer")[1],
        "guidance": ApiKey.generate("指导办", world.guidance, "guidance_office")[1],
        "team_b": ApiKey.generate("峡川镇", world.team_b, "township_leader")[1],
    }


def _get(client, url, key=None):
    return client.get(url, HTTP_X_API_KEY=key) if key else client.get(url)


def _post(client, url, key, body=None):
    extra = {"HTTP_X_API_KEY": key} if key else {}
    return client.post(url, data=json.dumps(body or {}), content_type="application/json", **extra)


def test_paths_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/inspections/plans",
        "/api/v1/inspections/plans/{plan_id}/draw",
        "/api/v1/inspections/records",
        "/api/v1/inspections/public/codes/{token}",
    ):
        assert path in paths


def test_plan_draw_verify_through_the_api(client, world, insp, keys):
    body = {
        "department_id": world.bureau.pk,
        "name": "燃气抽查",
        "period_start": str(DAY),
        "period_end": str(DAY + dt.timedelta(days=27)),
        "ratios": {"red": 1.0},
        "item_ids": [insp.I1.pk],
    }
    response = _post(client, "/api/v1/inspections/plans", keys["bureau"], body)
    assert response.status_code == 201, response.content
    plan_id = response.json()["id"]
    refused = _post(client, "/api/v1/inspections/plans", keys["bureau"], {**body, "item_ids": [insp.I3.pk]})
    assert (
        refused.status_code == 422
        and refused.json()["code"] == "item_not_claimed"
        and "I3" in refused.json()["message"]
    )
    chosen_day = _post(client, f"/api/v1/inspections/plans/{plan_id}/draw", keys["bureau"], {"day": str(DAY)})
    assert chosen_day.status_code == 422  # the server fixes the draw's date: nobody chooses it, nor the seed
    drawn = _post(client, f"/api/v1/inspections/plans/{plan_id}/draw", keys["bureau"], {})
    assert drawn.status_code == 201, drawn.content
    got = _get(client, f"/api/v1/inspections/plans/{plan_id}/draw", keys["bureau"]).json()
    assert got["seed"] == drawn.json()["seed"] and len(got["result"]["parties"]) == 3
    assert (
        _post(client, f"/api/v1/inspections/plans/{plan_id}/draw/verify", keys["bureau"]).json()["ok"] is True
    )
    again = _post(client, f"/api/v1/inspections/plans/{plan_id}/draw", keys["bureau"], {})
    assert again.status_code == 400 and again.json()["code"] == "plan_already_drawn"
    assert _get(client, f"/api/v1/inspections/plans/{plan_id}", keys["team_b"]).status_code == 404


def test_draw_shortage_is_an_error_body(client, world, insp, keys):
    plan = services.create_plan(world.bureau_admin, plan_data(world.bureau, [insp.I1]))
    for officer in insp.gas[1:]:
        officer.certificates.update(status="revoked")
    response = _post(client, f"/api/v1/inspections/plans/{plan.pk}/draw", keys["bureau"], {})
    assert response.status_code == 400 and response.json()["code"] == "draw_shortage"
    assert not InspectionTask.objects.exists()


def _draw_and_plan(world, insp, parties=None):
    plan = services.create_plan(
        world.bureau_admin, plan_data(world.bureau, [insp.I1], ratios={"red": 1.0, "green": 1.0})
    )
    run_draw_on(world.bureau_admin, plan.pk, DAY)
    services.plan_joint_inspections(world.guidance_user, today=DAY)


def _record_all(insp):
    for n, visit in enumerate(JointInspection.objects.order_by("pk")):
        services.record_inspection(
            insp.gas_user,
            record_data(
                visit, insp.gas[:2], started_at=at(visit.day, 8 + n), ended_at=at(visit.day, 8 + n, 30)
            ),
        )


def _queries(client, url, key):
    with CaptureQueriesContext(connection) as ctx:
        response = _get(client, url, key)
    assert response.status_code == 200, response.content
    return len(ctx.captured_queries), response.json()


def test_list_endpoints_query_counts_do_not_grow(client, world, insp, keys):
    from tests.parties.conftest import add_party

    plan = services.create_plan(world.bureau_admin, plan_data(world.bureau, [insp.I1], ratios={"red": 1.0}))
    run_draw_on(world.bureau_admin, plan.pk, DAY)
    services.plan_joint_inspections(world.guidance_user, today=DAY)
    _record_all(insp)
    _queries(
        client, "/api/v1/inspections/records", keys["guidance"]
    )  # the key's first use records its last_used_at
    counts_small = {
        url: _queries(client, url, keys["guidance"])
        for url in ("/api/v1/inspections/records", "/api/v1/inspections/visits", "/api/v1/inspections/plans")
    }
    for n in range(4):
        add_party(world.xiachuan, name=f"新增红{n}", risk_color="red")
    certified(world.bureau, "燃气管理")  # rotation: last time's inspectors are not drawn again
    certified(world.bureau, "燃气管理")
    plan2 = services.create_plan(
        world.bureau_admin,
        plan_data(
            world.bureau,
            [insp.I1],
            name="第二批",
            ratios={"red": 1.0},
            period_start=DAY + dt.timedelta(days=40),
            period_end=DAY + dt.timedelta(days=60),
        ),
    )
    run_draw_on(world.bureau_admin, plan2.pk, DAY)
    services.plan_joint_inspections(world.guidance_user, today=DAY)
    for n, visit in enumerate(JointInspection.objects.filter(record__isnull=True).order_by("pk")):
        services.record_inspection(
            insp.gas_user,
            record_data(
                visit, insp.gas[:2], started_at=at(visit.day, 8 + n), ended_at=at(visit.day, 8 + n, 30)
            ),
        )
    for url, (count, body) in counts_small.items():
        bigger, bigger_body = _queries(client, url, keys["guidance"])
        assert bigger_body["count"] > body["count"], url
        assert bigger == count, url


def test_records_create_and_township_scope(client, world, insp, keys):
    _draw_and_plan(world, insp)
    visit = JointInspection.objects.get(party=insp.parties.red_a)
    entries = [e.pk for e in insp.I1.checklist.all()]
    body = {
        "visit_id": visit.pk,
        "officer_ids": [insp.gas[0].pk, insp.helper.pk],
        "started_at": at(visit.day, 9).isoformat(),
        "ended_at": at(visit.day, 10).isoformat(),
        "checklist": [{"entry_id": e, "result": "fail"} for e in entries],
        "outcome": "rectification",
    }
    refused = _post(client, "/api/v1/inspections/records", keys["officer"], body)
    assert refused.status_code == 422 and refused.json()["code"] == "officer_not_certified"
    created = _post(
        client,
        "/api/v1/inspections/records",
        keys["officer"],
        {**body, "officer_ids": [o.pk for o in insp.gas[:2]]},
    )
    assert created.status_code == 201, created.content
    record_id = created.json()["id"]
    assert _get(client, f"/api/v1/inspections/records/{record_id}", keys["team_b"]).status_code == 404
    assert _get(client, "/api/v1/inspections/records", keys["team_b"]).json()["count"] == 0
    indicators = _get(client, "/api/v1/inspections/indicators", keys["guidance"]).json()
    assert indicators["tasks"] == 5 and indicators["visits"] == 5 and indicators["saved"] == 0


def test_public_code_shows_names_and_certificates_only(client, world, insp, keys):
    _draw_and_plan(world, insp)
    visit = JointInspection.objects.get(party=insp.parties.red_a)
    token = services.action_code_token(visit.action_code)
    body = _get(client, f"/api/v1/inspections/public/codes/{token}").json()
    names = {i["name"] for i in body["inspectors"]}
    assert names == set(visit.officers.values_list("name", flat=True)) and body["rateable"] is False
    text = json.dumps(body, ensure_ascii=False)
    for officer in visit.officers.all():
        assert officer.id_number not in text and officer.employee_no not in text
        assert officer.certificates.first().number in text
    assert (
        _post(client, f"/api/v1/inspections/public/codes/{token}/rating", None, {"rating": 5}).json()["code"]
        == "not_inspected_yet"
    )
    services.record_inspection(insp.gas_user, record_data(visit, insp.gas[:2]))
    rated = _post(
        client, f"/api/v1/inspections/public/codes/{token}/rating", None, {"rating": 5, "comment": "好"}
    )
    assert rated.status_code == 200 and rated.json()["rating"] == 5
    again = _post(client, f"/api/v1/inspections/public/codes/{token}/rating", None, {"rating": 1})
    assert again.status_code == 400 and again.json()["code"] == "already_rated"
    assert _get(client, "/api/v1/inspections/public/codes/forged").status_code == 404
