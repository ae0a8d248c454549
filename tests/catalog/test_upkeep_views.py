"""The catalog's upkeep pages, each opened by its role: the form's errors come from the one row
validator; buttons only for those who may use them; pages of other roles are 403."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.catalog.test_upkeep import MARKET_ROWS, bad_file
from zhifa.catalog import excel, services
from zhifa.catalog.models import CatalogRevision, EnforcementItem


def _login(client, user):
    client.force_login(user)


def test_new_item_form_shows_the_validators_errors_and_saves_nothing(client, catalog, world, orgs):
    _login(client, orgs.market_admin)
    response = client.post(
        "/catalog/items/new/",
        {
            "code": "M9",
            "name": "对某行为的行政处罚",
            "kind": "penalty",
            "domain": "市场监管",
            "legal_bases": "食品安全法第一百二十四条",
            "penalty_types": ["warning"],
            "fine_max": "500",
            "enforcing_body": "professional",
            "township_library": "none",
            "rev-title": "新增",
            "rev-reason": "other",
            "rev-effective_on": str(timezone.localdate()),
        },
    )
    html = response.content.decode()
    assert response.status_code == 200 and "实施依据应写成" in html and "未保存任何内容" in html
    assert not CatalogRevision.objects.exists()
    response = client.post(
        "/catalog/items/new/",
        {
            "code": "M9",
            "name": "对某行为的行政处罚",
            "kind": "penalty",
            "domain": "市场监管",
            "legal_bases": "《中华人民共和国食品安全法》第一百二十四条：……",
            "penalty_types": ["fine"],
            "fine_max": "500",
            "regulator": "市场监督管理局",
            "enforcing_body": "professional",
            "township_library": "none",
            "rev-title": "新增",
            "rev-reason": "other",
            "rev-effective_on": str(timezone.localdate()),
        },
    )
    revision = CatalogRevision.objects.get()
    assert response.status_code == 302 and revision.changes.get().content["legal_bases"][0]["text"] == "……"
    assert "直接新增并公示" not in client.get("/catalog/items/new/").content.decode()


def test_guidance_office_enters_an_item_directly(client, catalog, world, orgs):
    _login(client, world.guidance_user)
    assert "直接新增并公示" in client.get("/catalog/items/new/").content.decode()
    client.post(
        "/catalog/items/new/",
        {
            "code": "M8",
            "name": "对某行为的行政处罚",
            "kind": "penalty",
            "domain": "市场监管",
            "legal_bases": "《中华人民共和国食品安全法》第一百二十四条",
            "penalty_types": ["fine"],
            "enforcing_body": "professional",
            "township_library": "none",
            "direct": "1",
        },
    )
    assert EnforcementItem.objects.get(code="M8").published_on == timezone.localdate()


def test_import_pages(client, catalog, world, orgs):
    _login(client, orgs.market_admin)
    response = client.post(
        "/catalog/import/", {"file": SimpleUploadedFile("a.xlsx", bad_file())}, follow=True
    )
    assert response.content.decode().count('class="import-error"') == 3
    response = client.post(
        "/catalog/import/",
        {"file": SimpleUploadedFile("b.xlsx", excel.export_workbook(MARKET_ROWS))},
        follow=True,
    )
    assert "检查通过" in response.content.decode()
    import_id = response.redirect_chain[-1][0].rstrip("/").split("/")[-1]
    response = client.post(
        f"/catalog/import/{import_id}/",
        {"mode": "direct", "title": "x", "reason": "other", "effective_on": str(timezone.localdate())},
    )
    assert (
        response.status_code == 200 and not EnforcementItem.objects.filter(code="M1").exists()
    )  # not a choice
    response = client.post(
        f"/catalog/import/{import_id}/",
        {"mode": "revision", "title": "x", "reason": "other", "effective_on": str(timezone.localdate())},
    )
    assert response.status_code == 302 and CatalogRevision.objects.get().changes.count() == 2


def test_review_page_shows_the_difference_and_rejects(client, catalog, world, orgs):
    revision = services.propose_revision(
        orgs.market_admin,
        {"title": "调整", "reason": "other", "effective_on": timezone.localdate()},
        [
            {
                "action": "change",
                "item_code": "P4",
                "content": {**services.item_content(catalog.P4), "fine_note": "新说明"},
            }
        ],
    )
    _login(client, world.guidance_user)
    html = client.get(f"/catalog/revisions/{revision.pk}/").content.decode()
    assert "幅度说明" in html and "新说明" in html and "退回" in html
    client.post(f"/catalog/revisions/{revision.pk}/reject/", {"reason": "依据不全"})
    revision.refresh_from_db()
    assert revision.state == "rejected"


def test_claim_publish_and_transfer_pages(client, catalog, world, orgs):
    _login(client, orgs.market_admin)
    html = client.get("/catalog/claim/").content.decode()
    assert "P5" in html and "本部门监管" in html
    assert client.get("/catalog/publish/").status_code == 403
    _login(client, world.guidance_user)
    assert "对未取得食品经营许可从事食品经营的行政处罚" in client.get("/catalog/publish/").content.decode()
    client.post("/catalog/publish/", {"items": [catalog.P5.pk]})
    assert EnforcementItem.objects.get(code="P5").published_on == timezone.localdate()
    assert "没有划转记录" in client.get("/catalog/transfers/").content.decode()
    response = client.get("/catalog/export.xlsx")
    rows, errors = excel.parse_workbook(
        response.content, domains=["城乡规划", "市容环境卫生", "市场监管", "燃气管理"]
    )
    assert errors == [] and {r["code"] for r in rows} == {"P1", "P2", "P3", "P4", "I1", "P5"}


def test_an_officer_gets_no_upkeep_pages(client, catalog, world):
    _login(client, world.user_a)
    for path in ("/catalog/items/new/", "/catalog/import/", "/catalog/claim/", "/catalog/items/P1/edit/"):
        assert client.get(path).status_code == 403, path
    html = client.get("/catalog/items/P1/").content.decode()
    assert "提出调整" not in html and "撤回认领" not in html
