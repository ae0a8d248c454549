"""Catalog API: filters, detail, search, indicators, error format, query counts."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.catalog.conftest import row
from zhifa.catalog import services
from zhifa.catalog.models import EnforcementItem


def _get(client, url, **params):
    return client.get(url, params)


def test_items_endpoint_filters_and_paginates(client, catalog, world):
    client.force_login(world.user_a)
    body = _get(client, "/api/v1/catalog/items", list="comprehensive").json()
    assert body["count"] == 4 and {i["code"] for i in body["items"]} == {"P1", "P2", "P3", "I1"}
    p1 = next(i for i in body["items"] if i["code"] == "P1")
    assert p1["kind_label"] == "行政处罚" and p1["domain"] == {"code": "C01", "name": "城乡规划"}
    assert p1["claims"][0]["organization_name"] == "综合行政执法局"
    codes = {i["code"] for i in _get(client, "/api/v1/catalog/items", high_three="true").json()["items"]}
    assert codes == {"P1", "P2"}
    township = _get(client, "/api/v1/catalog/items", list="township", region_id=world.shangfang.pk).json()
    assert [i["code"] for i in township["items"]] == ["P2"]


def test_township_list_without_a_township_is_a_field_error(client, catalog, world):
    client.force_login(world.user_a)
    response = _get(client, "/api/v1/catalog/items", list="township")
    assert response.status_code == 422
    assert response.json()["field"] == "region_id" and response.json()["code"] == "required"


def test_item_detail_and_unknown_code(client, catalog, world):
    client.force_login(world.user_a)
    body = client.get("/api/v1/catalog/items/I1").json()
    assert [c["text"] for c in body["checklist"]] == ["是否取得燃气经营许可证", "气瓶是否按规定检验"]
    assert body["legal_bases"][0]["law"] == "城镇燃气管理条例" and len(body["history"]) == 1
    missing = client.get("/api/v1/catalog/items/NOPE")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"


def test_search_endpoint(client, catalog, world):
    client.force_login(world.user_a)
    hits = _get(client, "/api/v1/catalog/search", q="占道经营").json()
    assert hits[0]["code"] == "P2" and hits[0]["score"] > 0


def test_indicators_endpoint(client, catalog, world):
    client.force_login(world.user_a)
    body = client.get("/api/v1/catalog/indicators").json()
    assert body["items"] == 6 and body["claim_rate"]["part"] == 4
    assert body["comprehensive_share"]["meets_goal"] is True and body["high_three_share"]["goal"] == "0.60"
    assert {t["name"]: t["list_size"] for t in body["townships"]} == {"上方镇": 1, "峡川镇": 1}


def test_catalog_api_needs_credentials(client, catalog):
    assert client.get("/api/v1/catalog/items").status_code == 401


def test_list_query_count_does_not_grow_with_rows(client, catalog, world):
    client.force_login(world.user_a)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/v1/catalog/items").status_code == 200
        return len(queries)

    few = count()
    services.import_items(world.guidance_user, [row(f"N{n}", name=f"新增事项{n}") for n in range(20)])
    # each new item gets a claim too, so the claims prefetch has rows to fetch
    for item in EnforcementItem.objects.filter(code__startswith="N"):
        services.claim_item(world.guidance_user, item.pk, world.bureau)
    assert count() == few
