""" "1+5" as the district plan describes it (三.(一)): the items of fifteen departments, and some of
seven more, go to the comprehensive bureau on 1 July 2022 — recorded as transfers, so that who held
an item before and after the date is known; the demo catalog covers the 41 domains of the catalog
standard, is in force for years back and entirely published; the 衢江区 / 智造新城 boundary is data."""

from __future__ import annotations

import datetime as dt

import pytest

from zhifa.catalog import rules, selectors
from zhifa.catalog.demo import CATALOG_SINCE, load_demo_catalog
from zhifa.catalog.demo_items import DOMAINS, ITEMS, ORGANIZATIONS, TRANSFERS
from zhifa.catalog.models import Claim, EnforcementItem, ItemTransfer
from zhifa.organizations import demo as org_demo
from zhifa.organizations import selectors as org_selectors
from zhifa.organizations.models import Organization, Region

DISCONTINUED = {ORGANIZATIONS[k] for k in ("AGRICULTURE", "CULTURE", "NATURAL_RESOURCES")}
WHOLLY_MOVED = DISCONTINUED | {
    ORGANIZATIONS[k]
    for k in (
        "HOUSING",
        "WATER",
        "DEVELOPMENT",
        "ECONOMY",
        "EDUCATION",
        "SCIENCE",
        "RELIGION",
        "METEOROLOGY",
        "ARCHIVES",
        "VETERANS",
    )
}
TRANSFER_DAY = dt.date(2022, 7, 1)


def test_the_data_moves_whole_departments_and_part_of_others():
    assert len(DOMAINS) == 41 and {i["domain"] for i in ITEMS} == {name for _, name in DOMAINS}
    for item in ITEMS:
        if item["regulator"] in WHOLLY_MOVED:  # all their items are exercised by comprehensive enforcement
            assert item["enforcing_body"] in rules.COMPREHENSIVE_BODIES, item["code"]
    partly = {
        ORGANIZATIONS[k] for k in ("MARKET", "ECOLOGY", "TRANSPORT", "EMERGENCY", "POLICE", "CIVIL", "LABOUR")
    }
    for department in partly:
        bodies = {i["enforcing_body"] for i in ITEMS if i["regulator"] == department}
        assert rules.PROFESSIONAL in bodies and bodies & set(rules.COMPREHENSIVE_BODIES), department
    moved = {code for t in TRANSFERS for code in t["codes"]}
    assert all(t["effective_on"] == str(TRANSFER_DAY) for t in TRANSFERS) and len(moved) > 60
    assert {t["from"] for t in TRANSFERS} >= DISCONTINUED


@pytest.fixture
def district(db):
    return org_demo.load_demo(officers=org_demo.MIN_OFFICERS, seed=3)


def test_the_demo_catalog_attributes_each_side_of_the_transfer(district):
    load_demo_catalog()
    assert EnforcementItem.objects.count() == len(ITEMS)
    assert not EnforcementItem.objects.filter(published_on__isnull=True).exists()
    assert not EnforcementItem.objects.exclude(effective_from=CATALOG_SINCE).exists()
    bureau = Organization.objects.get(name=ORGANIZATIONS["COMPREHENSIVE_BUREAU"])
    culture = Organization.objects.get(name=ORGANIZATIONS["CULTURE"])
    item = EnforcementItem.objects.get(code="330217002000")  # 网吧接纳未成年人
    assert selectors.holder_on(item, TRANSFER_DAY - dt.timedelta(days=1)) == culture
    assert selectors.holder_on(item, TRANSFER_DAY) == bureau
    versions = {h.valid_from: h.content["enforcing_body"] for h in item.history.all()}
    assert versions == {CATALOG_SINCE: "professional", TRANSFER_DAY: "comprehensive"}
    assert ItemTransfer.objects.filter(from_organization=culture).count() == sum(
        len(t["codes"]) for t in TRANSFERS if t["from"] == culture.name
    )
    # No department whose team was discontinued holds an item any more; the catalog is fully claimed.
    assert not Claim.objects.filter(organization__name__in=DISCONTINUED).exists()
    assert selectors.indicators().claim_rate.value == 1
    load_demo_catalog()  # loading again changes nothing
    assert ItemTransfer.objects.count() == sum(len(t["codes"]) for t in TRANSFERS)


def test_the_zone_boundary_and_the_1_plus_x_stations_are_data(district):
    zhangtan = Region.objects.get(name="樟潭街道")
    ershili = Region.objects.get(name="廿里镇")
    zone = Organization.objects.get(name__startswith="衢州智造新城")
    assert org_selectors.jurisdiction_for(zhangtan, "智造新城东港片区（示意）", "市场监管") == zone
    assert org_selectors.jurisdiction_for(ershili, "智造新城廿里片区（示意）", "城乡规划") == zone
    assert org_selectors.jurisdiction_for(ershili, "智造新城廿里片区（示意）", "市场监管") is None
    force = org_selectors.township_force(Region.objects.get(name="举村乡"))
    assert {c.station.name for c in force["coverages"]} == {"湖南市场监管所", "举村司法所"}
