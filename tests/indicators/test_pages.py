"""The indicators page, its drill-downs and exports, the API, the provincial library import (all
rows or none, each error named), and the docs that define each indicator."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import new_user
from zhifa.indicators.definitions import INDICATORS
from zhifa.indicators.models import LibraryImport, ProvincialItem
from zhifa.organizations.models import User

from .conftest import PERIOD

pytestmark = pytest.mark.django_db
DOCS = Path(__file__).resolve().parents[2] / "docs" / "indicators.md"
QUERY = PERIOD.query()


@pytest.fixture
def command(world):
    return new_user("ind_command", world.root, User.Role.COMMAND_CENTER)


def test_page_shows_every_indicator_with_both_drilldowns(client, command, catalog, staff):
    client.force_login(command)
    html = client.get(f"/indicators/?{QUERY}").content.decode()
    shown = dict(re.findall(r'data-indicator="([a-z_]+)" data-value="([^"]*)"', html))
    assert set(shown) == {i.key for i in INDICATORS}
    assert shown["comprehensive_share"] == "50.0" and shown["item_coverage"] == "50.0"
    for indicator in INDICATORS:
        assert f"/indicators/{indicator.key}/counted/?{QUERY}" in html.replace("&amp;", "&")
        assert f"/indicators/{indicator.key}/missed/?{QUERY}" in html.replace("&amp;", "&")
    assert "对接省权力事项库" in html  # the plan's sentence is on the page


def test_drilldowns_list_the_rows_and_export_them(client, command, catalog):
    client.force_login(command)
    html = client.get(f"/indicators/item_publication_rate/missed/?{QUERY}").content.decode()
    assert (
        'data-total="3"' in html and "IXA" in html and "IXB" in html and "IXD" in html and "IXC" not in html
    )
    response = client.get(f"/indicators/item_publication_rate/counted/?{QUERY}&format=xlsx")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sorted(row[0] for row in sheet.iter_rows(min_row=3, values_only=True)) == ["IXC", "IXE"]
    assert client.get("/indicators/no_such/counted/").status_code == 404
    assert client.get("/indicators/item_coverage/sideways/").status_code == 404
    assert client.get("/indicators/?start=2025-13-01&end=x").status_code == 200  # a bad period falls back


def test_a_township_sees_its_own_records_only(client, world, staff):
    client.force_login(world.leader_a)
    html = client.get(f"/indicators/officers_onboarded/missed/?{QUERY}").content.decode()
    assert "甲镇过期" in html and "局无证员" not in html  # the bureau's officer is outside the township
    client.force_login(world.leader_b)
    assert "甲镇过期" not in client.get(f"/indicators/officers_onboarded/missed/?{QUERY}").content.decode()


def test_api_returns_every_indicator(client, command, catalog):
    client.force_login(command)
    data = client.get("/api/v1/indicators/", {"start": "2025-01-01", "end": "2025-06-30"}).json()
    by_key = {d["key"]: d for d in data}
    assert set(by_key) == {i.key for i in INDICATORS}
    assert by_key["high_three_share"]["value"] == 100.0 and by_key["high_three_share"]["target"] == "≥60%"


def _csv(rows: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(
        "省库.csv", ("事项编码,事项名称,事项类别,执法领域,县级行使\n" + rows).encode(), "text/csv"
    )


def test_library_import_all_or_nothing_with_every_error_named(client, world, catalog):
    client.force_login(world.guidance_user)
    before = ProvincialItem.objects.count()
    response = client.post(
        "/indicators/library/",
        {"file": _csv("330X1,事项一,penalty,城管,是\n,缺编码,,,是\n330X1,重复,,,是\nbad code!,名称,,,否\n")},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert (
        "第3行" in html and "事项编码" in html and "第5行" in html and "格式不正确" in html and "重复" in html
    )
    assert ProvincialItem.objects.count() == before  # nothing was imported
    response = client.post(
        "/indicators/library/",
        {"file": _csv("IXA,事项A,penalty,城管,是\nIXZ,事项Z,penalty,城管,否\n"), "version": "2025版"},
        follow=True,
    )
    assert "已导入省权力事项库 2 条" in response.content.decode()
    assert set(ProvincialItem.objects.values_list("code", "county_level")) == {("IXA", True), ("IXZ", False)}
    assert LibraryImport.objects.order_by("-pk").first().version == "2025版"


def test_only_the_guidance_office_imports_the_library(client, world):
    client.force_login(world.leader_a)
    response = client.post("/indicators/library/", {"file": _csv("IXA,事项A,penalty,城管,是\n")})
    assert response.status_code == 403
    assert not ProvincialItem.objects.exists()


def test_docs_define_every_indicator_with_the_plans_sentence():
    text = DOCS.read_text(encoding="utf-8")
    for indicator in INDICATORS:
        assert f"(`{indicator.key}`)" in text, indicator.key
        if indicator.quote:
            assert indicator.quote in text, indicator.key
        assert indicator.denominator in text and indicator.numerator in text, indicator.key


def test_quotes_are_the_plans_own_words():
    """When the district plan is at hand (the shared seed of this project), every quote is in it."""
    seed = Path("/work/shared/seed")
    texts = [p.read_text(encoding="utf-8") for p in seed.glob("*.txt")] if seed.is_dir() else []
    if not texts:
        pytest.skip("the district plan's text is not on this machine")
    for indicator in INDICATORS:
        if indicator.quote:
            assert any(indicator.quote in t for t in texts), indicator.key


def test_a_department_sets_its_own_publication_limit(client, world):
    from zhifa.indicators.models import PublicationLimit

    client.force_login(world.guidance_user)
    response = client.post(
        "/indicators/library/",
        {"action": "limit", "organization": world.bureau.pk, "working_days": "0", "basis": ""},
    )
    html = response.content.decode()
    assert (
        "公开时限（工作日）不能小于1" in html
        and "请填写依据" in html
        and not PublicationLimit.objects.exists()
    )
    client.post(
        "/indicators/library/",
        {
            "action": "limit",
            "organization": world.bureau.pk,
            "working_days": "20",
            "basis": "市场监管部门规定",
        },
    )
    assert PublicationLimit.objects.get().working_days == 20
    client.force_login(world.leader_a)
    assert (
        client.post(
            "/indicators/library/",
            {"action": "limit", "organization": world.bureau.pk, "working_days": "5", "basis": "x"},
        ).status_code
        == 403
    )
