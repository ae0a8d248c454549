"""The ``world`` district plus a command centre, an integration key and a catalog for routing."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from tests.conftest import new_user
from zhifa.api.models import ApiKey
from zhifa.catalog import services as catalog_services
from zhifa.catalog.demo_items import DOMAINS, ITEMS, MARKET
from zhifa.organizations.models import Organization, User

SHANGFANG_POINT = {"lat": "28.805000", "lng": "119.030000"}  # near 上方镇's centre


@pytest.fixture
def command(world):
    centre = Organization.objects.create(
        name="行政执法统一指挥中心",
        kind=Organization.Kind.COMMAND_CENTER,
        region=world.district,
        parent=world.root,
    )
    market = Organization.objects.create(
        name=MARKET,
        kind=Organization.Kind.PROFESSIONAL_DEPARTMENT,
        region=world.district,
        parent=world.root,
        is_enforcement_body=True,
    )
    return SimpleNamespace(
        centre=centre,
        market=market,
        user=new_user("dispatcher", centre, User.Role.COMMAND_CENTER),
        market_officer=new_user("market_officer", market, User.Role.OFFICER),
        officer_b=new_user("officer_b", world.team_b, User.Role.OFFICER, world.officer_b),
        hotline_key=ApiKey.generate("12345 热线", centre, User.Role.COMMAND_CENTER)[1],
        township_key=ApiKey.generate("上方镇四平台", world.team_a, User.Role.OFFICER)[1],
    )


@pytest.fixture
def catalog(world, command):
    """The demo catalog (202 items) with its default claims: base township items to both
    township teams, comprehensive items to the bureau, market items to the market department."""
    catalog_services.load_catalog(None, DOMAINS, ITEMS, day=dt.date(2026, 1, 1))


def report_data(**overrides) -> dict:
    data = {
        "source": "hotline",
        "text": "上方镇新街菜场门口流动摊贩占道经营，堵住了人行道",
        "address": "上方镇新街菜场门口",
        **SHANGFANG_POINT,
        "reporter_name": "王小明",
        "reporter_phone": "13812345678",
    }
    data.update(overrides)
    return data
