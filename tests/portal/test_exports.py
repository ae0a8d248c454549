"""Every staff list downloads as .xlsx with ?format=xlsx: the same filtered, scoped rows as the
page (all of them, not one page), and nothing outside the user's scope."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from django.utils import timezone

from tests.catalog.conftest import domains, orgs  # noqa: F401  (fixtures used by insp)
from tests.discretion.conftest import DAY as DISCRETION_DAY
from tests.discretion.conftest import STALL_LEVELS, items  # noqa: F401  (fixture)
from tests.inspections.conftest import DAY, insp, plan_data, run_draw_on  # noqa: F401  (fixture)
from tests.inspections.test_services import record_data
from tests.parties.conftest import add_party
from tests.portal.conftest import decide_on_spot
from zhifa.core.exports import XLSX_CONTENT_TYPE
from zhifa.discretion import services as discretion_services
from zhifa.dispatch.models import Incident
from zhifa.inspections import services as inspection_services
from zhifa.inspections.models import JointInspection
from zhifa.organizations.models import User

from ..conftest import new_user


def _export(client, url: str, params: dict | None = None) -> list[tuple]:
    response = client.get(url, {**(params or {}), "format": "xlsx"})
    assert response.status_code == 200 and response["Content-Type"] == XLSX_CONTENT_TYPE
    assert response["Content-Disposition"].startswith("attachment; filename*=UTF-8''")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True).active
    return list(sheet.iter_rows(values_only=True))[2:]  # title row, header row


def _page_count(client, url: str, params: dict | None = None) -> int:
    html = client.get(url, params or {}).content.decode()
    assert "format=xlsx" in html  # the download link is on the page
    return int(re.search(r"共 (\d+) ", html).group(1))


def _first_column(client, url, params=None) -> list:
    rows = _export(client, url, params)
    assert len(rows) == _page_count(client, url, params)
    return [row[0] for row in rows]


def test_officers(client, world):
    client.force_login(world.leader_a)
    assert _first_column(client, "/org/officers/") == ["甲镇队员"]  # not 乙镇队员 of the other township
    client.force_login(world.guidance_user)
    assert sorted(_first_column(client, "/org/officers/")) == sorted(["甲镇队员", "乙镇队员", "局队员"])
    assert _first_column(client, "/org/officers/", {"q": "乙镇"}) == ["乙镇队员"]
    rows = _export(client, "/org/officers/", {"q": "甲镇"})
    assert world.officer_a.id_number not in str(rows)  # no ID numbers in the download


def test_parties(client, world):
    add_party(world.shangfang, name="上方一号商店")
    add_party(world.shangfang, name="上方二号饭店")
    add_party(world.xiachuan, name="峡川一号商店")
    client.force_login(world.leader_a)
    assert sorted(_first_column(client, "/parties/")) == ["上方一号商店", "上方二号饭店"]
    assert _first_column(client, "/parties/", {"q": "饭店"}) == ["上方二号饭店"]
    client.force_login(world.guidance_user)
    assert len(_first_column(client, "/parties/")) == 3


def test_incidents(client, world):
    now = timezone.now()
    a = Incident.objects.create(
        source="hotline",
        tracking_code="QJAAAA0001",
        text="上方镇占道",
        township=world.shangfang,
        reported_at=now,
        reporter_phone="13800000001",
    )
    b = Incident.objects.create(
        source="complaint",
        tracking_code="QJBBBB0002",
        text="峡川镇噪声",
        township=world.xiachuan,
        reported_at=now,
    )
    client.force_login(world.leader_a)
    rows = _export(client, "/dispatch/")
    assert [r[0] for r in rows] == [a.tracking_code] and "13800000001" not in str(rows)
    command = new_user("command", world.root, User.Role.COMMAND_CENTER)
    client.force_login(command)
    assert sorted(_first_column(client, "/dispatch/")) == sorted([a.tracking_code, b.tracking_code])
    assert _first_column(client, "/dispatch/", {"township_id": world.xiachuan.pk}) == [b.tracking_code]
    assert _first_column(client, "/dispatch/", {"source": "hotline"}) == [a.tracking_code]


def test_cases_and_catalog_items(client, cw):
    mine = decide_on_spot(cw, cw.person)
    theirs = decide_on_spot(cw, cw.firm_b, user=cw.user_b)
    client.force_login(cw.user)
    assert _first_column(client, "/cases/") == [mine.number]
    client.force_login(cw.user_b)
    assert _first_column(client, "/cases/") == [theirs.number]
    client.force_login(cw.world.guidance_user)
    assert sorted(_first_column(client, "/cases/")) == sorted([mine.number, theirs.number])
    assert _first_column(client, "/cases/", {"q": "峡川"}) == [theirs.number]
    codes = _first_column(client, "/catalog/")
    assert cw.item.code in codes and mine.item.code in codes
    assert _first_column(client, "/catalog/", {"q": cw.item.code}) == [cw.item.code]


def test_inspection_plans_visits_and_records(client, world, insp):  # noqa: F811
    plan = inspection_services.create_plan(world.bureau_admin, plan_data(world.bureau, [insp.I1]))
    run_draw_on(world.bureau_admin, plan.pk, DAY)
    inspection_services.plan_joint_inspections(world.guidance_user, today=DAY)
    visit = JointInspection.objects.get(party=insp.parties.red_a)
    inspection_services.record_inspection(insp.gas_user, record_data(visit, list(visit.officers.all())))
    client.force_login(world.bureau_admin)
    assert _first_column(client, "/inspections/plans/") == [plan.name]
    visits = _first_column(client, "/inspections/visits/")
    assert insp.parties.red_a.name in visits and len(visits) >= 2
    assert _first_column(client, "/inspections/visits/", {"q": "上方红一"}) == ["上方红一"]
    assert _first_column(client, "/inspections/records/") == ["上方红一"]
    client.force_login(world.leader_b)  # another township's body
    assert _first_column(client, "/inspections/plans/") == []
    assert "上方红一" not in _first_column(client, "/inspections/visits/")
    assert _first_column(client, "/inspections/records/") == []


def test_discretion_baselines_and_entries(client, world, items):  # noqa: F811
    baseline = discretion_services.create_baseline(
        world.guidance_user, items.stalls, {"effective_from": DISCRETION_DAY, "levels": STALL_LEVELS}
    )
    discretion_services.approve_baseline(world.guidance_user, baseline.pk, DISCRETION_DAY)
    discretion_services.create_baseline(
        world.guidance_user,
        items.barbecue,
        {
            "effective_from": DISCRETION_DAY,
            "levels": [
                {
                    "name": "ordinary",
                    "conditions": {},
                    "range_kind": "fixed",
                    "range_low": 500,
                    "range_high": 20000,
                }
            ],
        },
    )
    discretion_services.add_list_entry(
        world.guidance_user,
        items.stalls,
        {
            "kind": "no_penalty",
            "first_offence_waiver": True,
            "title": "首次占道经营且及时改正",
            "conditions_text": "首次被发现",
            "conditions": {"first_offence": True},
            "legal_basis": "行政处罚法第三十三条第一款",
            "effective_from": DISCRETION_DAY,
            "published_on": DISCRETION_DAY,
        },
    )
    client.force_login(world.leader_a)
    assert sorted(_first_column(client, "/discretion/")) == ["D1", "D2"]
    assert _first_column(client, "/discretion/", {"status": "draft"}) == ["D2"]
    rows = _export(client, "/discretion/lists/")
    assert (
        len(rows) == _page_count(client, "/discretion/lists/") == 1 and rows[0][3] == "首次占道经营且及时改正"
    )


@pytest.mark.parametrize(
    "url",
    [
        "/org/officers/",
        "/parties/",
        "/dispatch/",
        "/cases/",
        "/catalog/",
        "/inspections/plans/",
        "/inspections/visits/",
        "/inspections/records/",
        "/discretion/",
        "/discretion/lists/",
    ],
)
def test_exports_need_a_login(client, world, url):
    response = client.get(url, {"format": "xlsx"})
    assert response.status_code == 302 and "/login/" in response["Location"]
