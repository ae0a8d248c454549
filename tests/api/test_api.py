"""API v1: authentication, error format, data scopes, OpenAPI document."""

import json

import pytest

from zhifa.api.models import ApiKey
from zhifa.core.models import AuditEvent
from zhifa.organizations.models import Certificate, Officer


@pytest.fixture
def key_a(world):
    """An integration acting as an officer of 上方镇."""
    return ApiKey.generate("上方镇四平台", world.team_a, "officer")[1]


def _get(client, url, key):
    return client.get(url, HTTP_X_API_KEY=key)


def _post(client, url, key, body, method="post"):
    return getattr(client, method)(
        url, data=json.dumps(body), content_type="application/json", HTTP_X_API_KEY=key
    )


def test_openapi_document_is_served(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = response.json()
    assert spec["openapi"].startswith("3.")
    assert "/api/v1/officers" in spec["paths"]


def test_requests_without_credentials_get_401_in_the_error_format(client, world):
    response = client.get("/api/v1/officers")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
    assert set(response.json()) >= {"code", "message", "field"}


def test_wrong_or_revoked_key_is_refused(client, world, key_a):
    assert _get(client, "/api/v1/officers", key_a[:-2] + "xx").status_code == 401
    ApiKey.objects.update(is_active=False)
    assert _get(client, "/api/v1/officers", key_a).status_code == 401


def test_key_is_stored_only_as_a_hash(world, key_a):
    stored = ApiKey.objects.get()
    assert key_a not in (stored.key_hash, stored.prefix) and len(stored.key_hash) == 64


def test_township_key_lists_only_its_own_township(client, world, key_a):
    response = _get(client, "/api/v1/officers", key_a)
    assert response.status_code == 200
    names = {row["name"] for row in response.json()["items"]}
    assert names == {"甲镇队员"}


def test_township_key_cannot_read_another_township_officer(client, world, key_a):
    response = _get(client, f"/api/v1/officers/{world.officer_b.pk}", key_a)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_township_leader_session_cannot_change_another_township_officer(client, world):
    client.force_login(world.leader_a)
    response = client.patch(
        f"/api/v1/officers/{world.officer_b.pk}",
        data=json.dumps({"phone": "13900000000"}),
        content_type="application/json",
    )
    assert response.status_code == 404
    world.officer_b.refresh_from_db()
    assert world.officer_b.phone == ""
    assert AuditEvent.objects.count() == 0


def test_guidance_office_sees_the_whole_district(client, world):
    client.force_login(world.guidance_user)
    names = {row["name"] for row in client.get("/api/v1/officers").json()["items"]}
    assert names == {"甲镇队员", "乙镇队员", "局队员"}


def test_posted_officer_is_visible_to_the_township_it_works_in(client, world, key_a):
    from zhifa.organizations import services

    services.post_officer(world.bureau_admin, world.bureau_officer.pk, world.shangfang)
    names = {row["name"] for row in _get(client, "/api/v1/officers", key_a).json()["items"]}
    assert names == {"甲镇队员", "局队员"}


def test_officer_role_key_cannot_create_officers(client, world, key_a):
    body = {
        "name": "新人",
        "id_number": "11010519491231002X",
        "employee_no": "N1",
        "organization_id": world.team_a.pk,
    }
    response = _post(client, "/api/v1/officers", key_a, body)
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert not Officer.objects.filter(employee_no="N1").exists()


def test_invalid_id_number_names_the_field(client, world):
    client.force_login(world.leader_a)
    body = {
        "name": "新人",
        "id_number": "110105194912310021",
        "employee_no": "N1",
        "organization_id": world.team_a.pk,
    }
    response = client.post("/api/v1/officers", data=json.dumps(body), content_type="application/json")
    assert response.status_code == 422
    error = response.json()
    assert error["field"] == "id_number" and error["code"] == "id_number_checksum"
    assert not Officer.objects.filter(employee_no="N1").exists()


def test_schema_errors_use_the_same_format(client, world):
    client.force_login(world.leader_a)
    response = client.post(
        "/api/v1/officers", data=json.dumps({"name": "x"}), content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["field"] in {"id_number", "employee_no", "organization_id"}


def test_create_officer_and_certificate_through_the_api(client, world):
    client.force_login(world.leader_a)
    body = {
        "name": "新人",
        "id_number": "11010519491231002X",
        "employee_no": "N1",
        "organization_id": world.team_a.pk,
    }
    response = client.post("/api/v1/officers", data=json.dumps(body), content_type="application/json")
    assert response.status_code == 201, response.content
    officer_id = response.json()["id"]
    cert = {
        "number": "浙33080399999",
        "domains": ["市容环境卫生"],
        "valid_from": "2026-01-01",
        "valid_to": "2031-12-31",
    }
    response = client.post(
        f"/api/v1/officers/{officer_id}/certificates", data=json.dumps(cert), content_type="application/json"
    )
    assert response.status_code == 201
    assert client.get(f"/api/v1/officers/{officer_id}").json()["certificates"][0]["number"] == "浙33080399999"


def test_reversed_certificate_dates_are_refused(client, world):
    client.force_login(world.leader_a)
    cert = {
        "number": "浙X1",
        "domains": ["市容环境卫生"],
        "valid_from": "2031-01-01",
        "valid_to": "2026-01-01",
    }
    response = client.post(
        f"/api/v1/officers/{world.officer_a.pk}/certificates",
        data=json.dumps(cert),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["code"] == "certificate_dates_reversed"
    assert response.json()["field"] == "valid_to"
    assert not Certificate.objects.filter(number="浙X1").exists()


def test_staffing_indicator_endpoint(client, world):
    client.force_login(world.guidance_user)
    data = client.get("/api/v1/indicators/staffing").json()
    assert data["enforcement_staff"] == 3 and data["in_townships"] == 2
    assert data["goal"] == "0.60" or float(data["goal"]) == 0.6


def test_officer_list_query_count_does_not_grow_with_page_size(client, world, django_assert_max_num_queries):
    from tests.conftest import new_officer

    client.force_login(world.guidance_user)
    with django_assert_max_num_queries(8) as small:
        client.get("/api/v1/officers")
    for _ in range(40):
        new_officer(world.team_a)
    with django_assert_max_num_queries(8) as large:
        assert client.get("/api/v1/officers").json()["count"] == 43
    assert len(large.captured_queries) == len(small.captured_queries)


def test_create_api_key_command_prints_a_working_key(client, world, capsys):
    from django.core.management import call_command

    call_command("create_api_key", "四平台", "--organization", str(world.team_a.pk))
    raw = capsys.readouterr().out.strip().splitlines()[-1]
    assert raw.startswith("zf_")
    assert _get(client, "/api/v1/officers", raw).status_code == 200
    assert AuditEvent.objects.filter(action="api_key.create").count() == 1
