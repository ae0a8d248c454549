"""The intake API for other platforms, Open311, errors in {code, message, field}, scopes."""

import json

from tests.dispatch.conftest import report_data
from zhifa.core.models import AuditEvent
from zhifa.dispatch.models import Incident

URL = "/api/v1/dispatch/incidents"


def _push(client, key, body, idem=None):
    headers = {"HTTP_X_API_KEY": key}
    if idem:
        headers["HTTP_IDEMPOTENCY_KEY"] = idem
    return client.post(URL, data=json.dumps(body), content_type="application/json", **headers)


def test_push_twice_with_the_same_key_gives_one_incident(client, world, command, catalog):
    first = _push(client, command.hotline_key, report_data(), "h-1")
    assert first.status_code == 201, first.content
    body = first.json()
    assert body["township_name"] == "上方镇" and body["item_code"] == "330202010000"
    assert body["reporter_phone"] == "138****5678" and len(body["suggestions"]) == 3
    again = _push(client, command.hotline_key, report_data(), "h-1")
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    assert Incident.objects.count() == 1


def test_same_key_different_body_is_409(client, world, command, catalog):
    _push(client, command.hotline_key, report_data(), "h-1")
    response = _push(client, command.hotline_key, report_data(text="河里有人电鱼"), "h-1")
    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_conflict"
    assert Incident.objects.count() == 1


def test_bad_pushes_get_field_errors_and_save_nothing(client, world, command):
    cases = [
        (report_data(source="weibo"), "source", "unknown_source"),
        (report_data(text="", address="", lat=None, lng=None), "text", "text_or_location_required"),
        (report_data(lat="31.23", lng="121.47"), "lat", "outside_district"),
    ]
    for body, field, code in cases:
        response = _push(client, command.hotline_key, body, f"bad-{field}")
        assert response.status_code == 422, response.content
        assert (response.json()["field"], response.json()["code"]) == (field, code)
    assert not _push(client, command.hotline_key, {"source": "hotline", "lat": "abc"}).status_code == 201
    assert Incident.objects.count() == 0 and AuditEvent.objects.count() == 0


def test_township_key_reads_its_incident_but_not_another_townships(client, world, command, catalog):
    created = _push(client, command.hotline_key, report_data(), "h-1").json()
    client.post(
        f"{URL}/{created['id']}/actions/assign",
        data="{}",
        content_type="application/json",
        HTTP_X_API_KEY=command.hotline_key,
    )
    assert client.get(f"{URL}/{created['id']}", HTTP_X_API_KEY=command.township_key).status_code == 200
    client.force_login(world.leader_b)
    response = client.get(f"{URL}/{created['id']}")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert client.get(URL).json()["count"] == 0


def test_actions_through_the_api_report_guard_codes(client, world, command, catalog):
    created = _push(client, command.hotline_key, report_data(), "h-1").json()
    response = client.post(
        f"{URL}/{created['id']}/actions/close",
        data="{}",
        content_type="application/json",
        HTTP_X_API_KEY=command.hotline_key,
    )
    assert response.status_code == 400 and response.json()["code"] == "invalid_transition"


def test_open311_services_and_requests(client, world, command, catalog):
    services = client.get("/api/v1/dispatch/open311/services.json", HTTP_X_API_KEY=command.hotline_key).json()
    assert {"service_code": "02", "service_name": "市容环境卫生"}.items() <= services[1].items()
    form = {
        "service_code": "08",
        "lat": "28.805",
        "long": "119.03",
        "address_string": "上方镇新街",
        "description": "楼下饭店油烟直排，熏得窗户发黑",
        "phone": "13900001111",
    }
    response = client.post(
        "/api/v1/dispatch/open311/requests.json", data=form, HTTP_X_API_KEY=command.hotline_key
    )
    assert response.status_code == 201, response.content
    code = response.json()[0]["service_request_id"]
    incident = Incident.objects.get(tracking_code=code)
    assert incident.source == "complaint" and incident.item.code == "330208007000"
    detail = client.get(
        f"/api/v1/dispatch/open311/requests/{code}.json", HTTP_X_API_KEY=command.hotline_key
    ).json()[0]
    assert detail["status"] == "open" and detail["lat"] == 28.805
    as_json = client.post(
        "/api/v1/dispatch/open311/requests.json",
        data=json.dumps({**form, "service_code": "99"}),
        content_type="application/json",
        HTTP_X_API_KEY=command.hotline_key,
    )
    assert as_json.status_code == 422 and as_json.json()["field"] == "service_code"


def test_dispute_through_the_api_binds_the_decision(client, world, command, catalog):
    created = _push(client, command.hotline_key, report_data(), "h-1").json()
    client.post(
        f"{URL}/{created['id']}/actions/assign",
        data="{}",
        content_type="application/json",
        HTTP_X_API_KEY=command.hotline_key,
    )
    client.force_login(world.user_a)
    raised = client.post(
        f"{URL}/{created['id']}/disputes",
        data=json.dumps({"other_org_id": world.bureau.pk, "reason": "主干道属执法局"}),
        content_type="application/json",
    )
    assert raised.status_code == 201, raised.content
    dispute_id = raised.json()["id"]
    denied = client.post(
        f"/api/v1/dispatch/disputes/{dispute_id}/decision",
        data=json.dumps({"decided_org_id": world.bureau.pk, "decision": "我说了算"}),
        content_type="application/json",
    )
    assert denied.status_code == 403
    client.force_login(world.guidance_user)
    decided = client.post(
        f"/api/v1/dispatch/disputes/{dispute_id}/decision",
        data=json.dumps({"decided_org_id": world.bureau.pk, "decision": "由执法局承办"}),
        content_type="application/json",
    )
    assert decided.status_code == 200 and decided.json()["state"] == "decided"
    assert Incident.objects.get(pk=created["id"]).responsible_org == world.bureau


def test_incident_list_query_count_does_not_grow(client, world, command, catalog):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL, HTTP_X_API_KEY=command.hotline_key).status_code == 200
        return len(ctx.captured_queries)

    _push(client, command.hotline_key, report_data(external_id="a"))
    few = count()
    for n in range(8):
        _push(client, command.hotline_key, report_data(external_id=f"b{n}"))
    assert count() == few


def test_every_statement_of_a_push_finds_its_rows_by_an_index(client, world, command, catalog):
    """The intake tables grow by every push (millions of incidents and claims a year in a
    province): a push must never read one of them whole. Each captured statement is explained with
    sequential scans priced out, so a scan in the plan means no index can serve it (a claim once
    was updated by its random token alone: 13 ms at 60,000 claims, and growing)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    growing = ("dispatch_idempotencykey", "dispatch_incident", "dispatch_incidentevent", "core_auditevent")
    _push(client, command.hotline_key, report_data(external_id="warm"), "warm")
    with CaptureQueriesContext(connection) as ctx:
        answer = _push(client, command.hotline_key, report_data(external_id="e-1"), "k-1")
        assert answer.status_code == 201, answer.content
        replay = _push(client, command.hotline_key, report_data(external_id="e-1"), "k-1")
        assert replay.status_code == 200
    statements = [
        q["sql"]
        for q in ctx.captured_queries
        if q["sql"].lstrip().upper().startswith(("SELECT", "UPDATE", "DELETE"))
    ]
    assert any("dispatch_idempotencykey" in sql for sql in statements)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        for sql in statements:
            cursor.execute("EXPLAIN " + sql.replace("%", "%%"))
            plan = "\n".join(row[0] for row in cursor.fetchall())
            scanned = [table for table in growing if f"Seq Scan on {table}" in plan]
            assert not scanned, f"{sql[:200]}\n{plan}"


def test_idempotency_keys_are_forgotten_after_their_days_but_external_ids_never(
    client, world, command, catalog, settings
):
    import datetime as dt

    from django.utils import timezone

    from zhifa.dispatch.models import IdempotencyKey
    from zhifa.dispatch.services import forget_idempotency_keys

    settings.ZHIFA_IDEMPOTENCY_KEY_DAYS = 30
    assert _push(client, command.hotline_key, report_data(external_id="old-1"), "old-key").status_code == 201
    assert _push(client, command.hotline_key, report_data(external_id="new-1"), "new-key").status_code == 201
    long_ago = timezone.now() - dt.timedelta(days=31)
    IdempotencyKey.objects.filter(key__in=["old-key", "old-1"]).update(created_at=long_ago)

    assert forget_idempotency_keys() == 1  # only the old header key
    assert forget_idempotency_keys() == 0
    kept = set(IdempotencyKey.objects.values_list("key", flat=True))
    assert kept == {"old-1", "new-key", "new-1"}
    # The platform's own id still gives its first incident; a recent key still replays.
    assert _push(client, command.hotline_key, report_data(external_id="old-1"), "old-key").status_code == 200
    assert _push(client, command.hotline_key, report_data(external_id="new-1"), "new-key").status_code == 200
    assert Incident.objects.count() == 2
