"""Party API: list with filters, detail with masked ID numbers, registration with field errors,
township scoping (404 for another township's party)."""

import json

import pytest

from tests.parties.conftest import add_party, id_number, uscc
from zhifa.api.models import ApiKey
from zhifa.core.validators import mask_id_number
from zhifa.parties.models import Party


@pytest.fixture
def key_a(world):
    return ApiKey.generate("上方镇四平台", world.team_a, "officer")[1]


@pytest.fixture
def key_district(world):
    return ApiKey.generate("区指挥中心", world.bureau, "department_admin")[1]


def _get(client, url, key):
    return client.get(url, HTTP_X_API_KEY=key)


def _post(client, url, key, body):
    return client.post(url, data=json.dumps(body), content_type="application/json", HTTP_X_API_KEY=key)


def test_paths_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/parties" in paths and "/api/v1/parties/{party_id}" in paths


def test_list_is_scoped_and_filtered(client, world, key_a, key_district):
    add_party(world.shangfang, name="上方甲", risk_color="red")
    add_party(world.shangfang, name="上方乙")
    add_party(world.xiachuan, name="峡川丙", risk_color="red")
    assert {p["name"] for p in _get(client, "/api/v1/parties", key_a).json()["items"]} == {"上方甲", "上方乙"}
    body = _get(client, "/api/v1/parties?risk_color=red", key_district).json()
    assert body["count"] == 2 and {p["risk_color_label"] for p in body["items"]} == {"红色（高风险）"}


def test_detail_masks_the_id_number_and_hides_other_townships(client, world, key_a):
    number = id_number()
    mine = add_party(world.shangfang, kind="person", name="李四", id_number=number)
    other = add_party(world.xiachuan)
    body = _get(client, f"/api/v1/parties/{mine.pk}", key_a).json()
    assert body["id_number_masked"] == mask_id_number(number) and number not in json.dumps(body)
    response = _get(client, f"/api/v1/parties/{other.pk}", key_a)
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_register_party(client, world, key_a):
    response = _post(
        client,
        "/api/v1/parties",
        key_a,
        {
            "kind": "enterprise",
            "name": "浙江瑞丰食品有限公司",
            "uscc": uscc(),
            "township_id": world.shangfang.pk,
            "industry": "food_production",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["risk_color"] == "blue" and "属于重点监管行业（食品生产）" in body["risk_reasons"]
    assert Party.objects.filter(pk=body["id"]).exists()


def test_register_errors_name_the_field(client, world, key_a):
    response = _post(
        client,
        "/api/v1/parties",
        key_a,
        {
            "kind": "person",
            "name": "王五",
            "township_id": world.shangfang.pk,
            "id_number": "110105194912310021",
        },
    )
    assert response.status_code == 422
    assert response.json()["field"] == "id_number" and response.json()["code"] == "id_number_checksum"
    response = _post(
        client,
        "/api/v1/parties",
        key_a,
        {"kind": "enterprise", "name": "x", "township_id": world.shangfang.pk, "uscc": "91330803MA00000010"},
    )
    assert (response.json()["field"], response.json()["code"]) == ("uscc", "uscc_checksum")
    response = _post(
        client,
        "/api/v1/parties",
        key_a,
        {"kind": "enterprise", "name": "x", "township_id": 999999, "uscc": uscc()},
    )
    assert (response.status_code, response.json()["field"]) == (422, "township_id")
    response = _post(
        client,
        "/api/v1/parties",
        key_a,
        {"kind": "enterprise", "name": "x", "township_id": world.xiachuan.pk, "uscc": uscc()},
    )
    assert response.status_code == 403
    assert not Party.objects.exists()


def _patch(client, url, key, body):
    return client.patch(url, data=json.dumps(body), content_type="application/json", HTTP_X_API_KEY=key)


def test_correct_a_party_with_the_optimistic_check(client, world, key_a):
    party = add_party(world.shangfang, address="旧址")
    version = _get(client, f"/api/v1/parties/{party.pk}", key_a).json()["updated_at"]
    response = _patch(
        client, f"/api/v1/parties/{party.pk}", key_a, {"address": "新址", "updated_at": version}
    )
    assert response.status_code == 200, response.content
    assert response.json()["address"] == "新址" and Party.objects.get(pk=party.pk).address == "新址"
    stale = _patch(client, f"/api/v1/parties/{party.pk}", key_a, {"phone": "1", "updated_at": version})
    assert (stale.status_code, stale.json()["code"]) == (409, "party_changed")
    bad = _patch(client, f"/api/v1/parties/{party.pk}", key_a, {"uscc": "91330803MA00000010"})
    assert (bad.status_code, bad.json()["field"], bad.json()["code"]) == (422, "uscc", "uscc_checksum")
    assert _patch(client, f"/api/v1/parties/{party.pk}", key_a, {"risk_color": "green"}).status_code == 422
    other = add_party(world.xiachuan)
    assert _patch(client, f"/api/v1/parties/{other.pk}", key_a, {"phone": "1"}).status_code == 404
    assert Party.objects.get(pk=party.pk).phone == ""
