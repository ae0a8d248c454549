"""Inputs that used to answer 500 or an HTML page now answer a 4xx JSON error naming the field."""

import json

import pytest

from zhifa.api.models import ApiKey


@pytest.fixture
def key(world):
    return ApiKey.generate("指挥中心", world.root, "command_center")[1]


def _post(client, url, key, body, content_type="application/json"):
    data = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return client.post(url, data=data, content_type=content_type, HTTP_X_API_KEY=key)


def _error(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert {"code", "message", "field"} <= set(body)
    return body


def test_huge_page_number_is_refused_not_a_database_error(client, key):
    body = _error(client.get("/api/v1/dispatch/incidents?page=99999999999999999", HTTP_X_API_KEY=key), 422)
    assert body["field"] == "page"


def test_nul_character_in_a_query_names_the_parameter(client, key):
    body = _error(client.get("/api/v1/dispatch/incidents?q=a%00b", HTTP_X_API_KEY=key), 400)
    assert (body["code"], body["field"]) == ("nul_character", "q")


def test_nul_character_in_a_json_body_names_the_field(client, key):
    body = _error(
        _post(client, "/api/v1/dispatch/incidents", key, {"source": "hotline", "text": "路灯\u0000坏了"}), 400
    )
    assert (body["code"], body["field"]) == ("nul_character", "text")


@pytest.mark.parametrize("lat", ["NaN", "Infinity", "1e400", "100000"])
def test_nan_or_out_of_range_latitude_is_refused(client, key, lat):
    response = client.post(
        "/api/v1/dispatch/incidents",
        data=f'{{"source": "hotline", "text": "占道经营", "lat": {lat}, "lng": 118.9}}',
        content_type="application/json",
        HTTP_X_API_KEY=key,
    )
    assert response.status_code in (400, 422) and response.json()["code"]


def test_oversize_body_is_413_json_before_it_is_read(client, key, settings):
    settings.ZHIFA_API_MAX_BODY_BYTES = 1000
    body = _error(
        _post(client, "/api/v1/dispatch/incidents", key, {"source": "hotline", "text": "x" * 2000}), 413
    )
    assert body["code"] == "body_too_large"


def test_wrong_method_is_405_json_with_allow(client, key):
    response = client.delete("/api/v1/dispatch/incidents", HTTP_X_API_KEY=key)
    assert _error(response, 405)["code"] == "method_not_allowed"
    assert "GET" in response["Allow"]


def test_unknown_api_path_is_404_json(client, key):
    assert _error(client.get("/api/v1/no-such-thing", HTTP_X_API_KEY=key), 404)["code"] == "not_found"


@pytest.mark.parametrize(
    "body", [{"service_code": 123, "description": 5, "lat": True}, {"service_code": ["x"]}, [1, 2]]
)
def test_open311_wrong_types_are_4xx(client, key, body):
    response = _post(client, "/api/v1/dispatch/open311/requests.json", key, body)
    assert 400 <= response.status_code < 500 and response.json()["code"]


def test_every_operation_documents_the_error_answers(client):
    spec = client.get("/api/v1/openapi.json").json()
    assert "Error" in spec["components"]["schemas"]
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            for status in ("400", "401", "403", "404", "422"):
                assert status in operation["responses"], (method, path, status)


def test_no_two_schemas_share_a_name(client):
    spec = client.get("/api/v1/openapi.json").json()
    assert {"CatalogIndicatorsOut", "InspectionIndicatorsOut"} <= set(spec["components"]["schemas"])


def test_schema_name_collision_is_refused():
    from django.core.exceptions import ImproperlyConfigured
    from ninja import NinjaAPI, Router, Schema

    from zhifa.api.api import _refuse_schema_name_collisions

    def make(value_type):
        return type(
            "Same", (Schema,), {"__annotations__": {"v": value_type}, "__module__": f"m{value_type.__name__}"}
        )

    test_api, router = NinjaAPI(urls_namespace="collision-test"), Router()
    router.get("/a", response=make(int))(lambda request: None)
    router.get("/b", response=make(str))(lambda request: None)
    test_api.add_router("/", router)
    with pytest.raises(ImproperlyConfigured, match="Same"):
        _refuse_schema_name_collisions(test_api)
