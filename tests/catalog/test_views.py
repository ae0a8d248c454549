"""Catalog pages: browse, detail, township choices, reports; public pages without login."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.catalog.conftest import row
from zhifa.catalog import services
from zhifa.catalog.models import EnforcementItem, TownshipItemChoice

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _login(client, user):
    client.force_login(user, backend=MODEL_BACKEND)
    return client


def _text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_pages_need_login(client, catalog):
    response = client.get("/catalog/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_item_list_filters_and_search(client, catalog, world):
    _login(client, world.user_a)
    html = _text(client.get("/catalog/", {"list": "professional"}))
    # Items are matched by their detail links: a bare "P1" could also occur in the random CSRF token.
    assert "专业执法清单" in html and "/catalog/items/P4/" in html and "/catalog/items/P1/" not in html
    html = _text(client.get("/catalog/", {"q": "违法建设"}))
    assert "对未取得建设工程规划许可证进行建设的行政处罚" in html and "/catalog/items/P4/" not in html
    assert "事项清单" in _text(client.get("/catalog/"))  # the navigation entry


def test_item_list_query_count_does_not_grow_with_rows(client, catalog, world):
    _login(client, world.user_a)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            _text(client.get("/catalog/"))
        return len(queries)

    few = count()
    services.import_items(world.guidance_user, [row(f"N{n}", name=f"新增事项{n}") for n in range(15)])
    assert count() == few


def test_item_detail_shows_bases_claims_and_history(client, catalog, world):
    _login(client, world.user_a)
    html = _text(client.get("/catalog/items/P1/"))
    assert "《中华人民共和国城乡规划法》第六十四条" in html
    assert "综合行政执法局" in html and "2026-01-01 至 今" in html
    assert client.get("/catalog/items/NOPE/").status_code == 404


def test_township_leader_chooses_an_optional_item_on_the_page(client, catalog, world):
    _login(client, world.leader_a)
    html = _text(client.get("/catalog/townships/"))
    assert "上方镇执法事项清单" in html and "自选库" in html and "对在禁止区域露天烧烤食品的行政处罚" in html
    response = client.post(
        f"/catalog/townships/{world.shangfang.pk}/choose/", {"item": catalog.P3.pk, "action": "add"}
    )
    assert response.status_code == 302
    assert TownshipItemChoice.objects.filter(region=world.shangfang, item=catalog.P3).exists()
    html = _text(client.get(response["Location"]))
    assert "已选择该自选事项" in html


def test_choosing_a_base_item_on_the_page_shows_the_reason(client, catalog, world):
    _login(client, world.leader_a)
    response = client.post(
        f"/catalog/townships/{world.shangfang.pk}/choose/", {"item": catalog.P2.pk}, follow=True
    )
    assert "属于乡镇基础库" in _text(response)
    assert not TownshipItemChoice.objects.exists()


def test_district_body_gets_no_choice_form_and_a_403(client, catalog, world):
    _login(client, world.bureau_admin)
    html = _text(client.get(f"/catalog/townships/{world.shangfang.pk}/"))
    assert "上方镇执法事项清单" in html and "选择本乡镇（街道）承接的事项" not in html
    response = client.post(f"/catalog/townships/{world.shangfang.pk}/choose/", {"item": catalog.P3.pk})
    assert response.status_code == 403 and not TownshipItemChoice.objects.exists()


def test_reports_and_indicators_pages(client, catalog, world):
    _login(client, world.guidance_user)
    html = _text(client.get("/catalog/claims/"))
    assert "对未取得食品经营许可从事食品经营的行政处罚" in html and "区级认领" in html
    html = _text(client.get("/catalog/indicators/"))
    assert "认领率" in html and "67%" in html and "60%" in html and "目标 ≥45%" in html
    assert "没有调整记录" in _text(client.get("/catalog/revisions/"))


def test_revision_is_approved_on_its_page(client, catalog, world, orgs):
    import datetime as dt

    revision = services.propose_revision(
        world.guidance_user,
        {
            "title": "取消食品事项",
            "reason": "law_repealed",
            "law": "中华人民共和国食品安全法",
            "effective_on": dt.date(2026, 1, 2),
        },
        [{"action": "retire", "item_code": "P5"}],
    )
    _login(client, world.guidance_user)
    assert "审批通过" not in _text(client.get(f"/catalog/revisions/{revision.pk}/"))  # not one's own
    _login(client, orgs.approver)
    assert "审批通过" in _text(client.get(f"/catalog/revisions/{revision.pk}/"))
    response = client.post(f"/catalog/revisions/{revision.pk}/approve/", follow=True)
    assert "已审批，调整已生效" in _text(response)
    assert EnforcementItem.objects.get(code="P5").status == "repealed"


def test_public_pages_need_no_login_and_show_no_internal_fields(client, catalog):
    professional = _text(client.get("/catalog/public/professional/"))
    assert "对生产经营不符合食品安全标准的食品的行政处罚" in professional
    assert "《中华人民共和国食品安全法》第一百二十四条" in professional and "市场监督管理局" in professional
    assert "对未取得食品经营许可" not in professional  # not published yet
    key = _text(client.get("/catalog/public/key-supervision/"))
    assert "对燃气经营者安全生产的行政检查" in key
    for html in (professional, key):
        for internal in (
            "不合格食品",
            "液化气",
            "高频",
            "高需",
            "高综合",
            "基础库",
            "自选库",
            "认领",
            "退出登录",
        ):
            assert internal not in html, internal


def test_public_list_searches_and_downloads_the_whole_list(client, catalog):
    key = _text(client.get("/catalog/public/key-supervision/", {"q": "燃气"}))
    assert (
        "对燃气经营者安全生产的行政检查" in key and "对生产经营不符合食品安全标准的食品的行政处罚" not in key
    )
    assert "含“燃气”的共 1 项" in key
    assert "暂无公示事项" in _text(client.get("/catalog/public/key-supervision/", {"q": "不存在的事项"}))
    response = client.get("/catalog/public/professional/", {"format": "xlsx"})
    assert response.status_code == 200 and response["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )
    import io

    import openpyxl

    rows = list(
        openpyxl.load_workbook(io.BytesIO(response.content), read_only=True).active.iter_rows(
            values_only=True
        )
    )
    assert rows[1][:2] == ("事项编码", "事项名称")
    assert [r[1] for r in rows[2:]] == ["对生产经营不符合食品安全标准的食品的行政处罚"]
    assert "第一百二十四条" in rows[2][4] and rows[2][7] == "市场监督管理局"
    assert "对未取得食品经营许可" not in str(rows)  # not published yet
