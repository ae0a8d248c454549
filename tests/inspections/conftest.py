"""A small inspection world on top of ``world`` and the catalog test fixtures.

Items: I1 gas-safety inspection (燃气管理, comprehensive, claimed by the bureau, two checklist
lines), I2 food inspection (市场监管, professional, claimed by the market department), I3 planning
inspection (城乡规划, not claimed), P1 a penalty item claimed by the bureau. Officers: three gas
officers of the bureau, three market officers, one bureau auxiliary, one bureau officer whose
certificate expired. Parties: two red and two green in 上方镇, one red in 峡川镇.
"""

from __future__ import annotations

import datetime as dt
import itertools
from types import SimpleNamespace

import pytest

from tests.catalog.conftest import domains, orgs, row  # noqa: F401  (fixtures used below)
from tests.conftest import new_officer, new_user
from tests.parties.conftest import add_party
from zhifa.catalog import services as catalog_services
from zhifa.catalog.models import EnforcementItem
from zhifa.organizations.models import Certificate, Officer, User

DAY = dt.date(2026, 3, 2)  # a Monday
_seq = itertools.count(1)


def certified(
    org, domain: str, name: str | None = None, valid_to: dt.date = dt.date(2030, 12, 31)
) -> Officer:
    officer = new_officer(org, name=name, certified=False)
    Certificate.objects.create(
        officer=officer,
        number=f"浙INSP{next(_seq):05d}",
        domains=[domain],
        valid_from=dt.date(2024, 1, 1),
        valid_to=valid_to,
    )
    return officer


@pytest.fixture
def insp(world, orgs, domains):  # noqa: F811
    actor = world.guidance_user
    rows = [
        row(
            "I1",
            name="对燃气经营者安全生产的行政检查",
            kind="inspection",
            domain="燃气管理",
            penalty_types=[],
            checklist=["是否取得燃气经营许可证", "气瓶是否按规定检验"],
        ),
        row(
            "I2",
            name="对食品经营者的行政检查",
            kind="inspection",
            domain="市场监管",
            regulator="市场监督管理局",
            enforcing_body="professional",
            penalty_types=[],
            checklist=["是否持有食品经营许可证"],
        ),
        row(
            "I3",
            name="对建设工程的行政检查",
            kind="inspection",
            penalty_types=[],
            checklist=["是否取得规划许可"],
        ),
        row("P1", name="对未取得建设工程规划许可证进行建设的行政处罚"),
    ]
    result = catalog_services.import_items(actor, rows, publish=True, day=dt.date(2026, 1, 1))
    assert result.ok, result.errors
    items = {i.code: i for i in EnforcementItem.objects.all()}
    catalog_services.claim_item(actor, items["I1"].pk, world.bureau)
    catalog_services.claim_item(actor, items["I2"].pk, orgs.market)
    catalog_services.claim_item(actor, items["P1"].pk, world.bureau)
    gas = [certified(world.bureau, "燃气管理", f"燃气员{n}") for n in range(3)]
    market = [certified(orgs.market, "市场监管", f"市监员{n}") for n in range(3)]
    helper = new_officer(world.bureau, kind=Officer.Kind.AUXILIARY, name="辅助员")
    expired = certified(world.bureau, "燃气管理", "过期员", valid_to=dt.date(2025, 1, 1))
    parties = SimpleNamespace(
        red_a=add_party(world.shangfang, name="上方红一", risk_color="red"),
        red_b=add_party(world.shangfang, name="上方红二", risk_color="red"),
        green_a=add_party(world.shangfang, name="上方绿一"),
        green_b=add_party(world.shangfang, name="上方绿二"),
        red_x=add_party(world.xiachuan, name="峡川红一", risk_color="red"),
    )
    return SimpleNamespace(
        **items,
        gas=gas,
        market=market,
        helper=helper,
        expired=expired,
        parties=parties,
        market_org=orgs.market,
        market_admin=orgs.market_admin,
        gas_user=new_user("gas_officer", world.bureau, User.Role.OFFICER, gas[0]),
        market_user=new_user("market_officer", orgs.market, User.Role.OFFICER, market[0]),
        command=new_user("command", world.guidance, User.Role.COMMAND_CENTER),
    )


def plan_data(department, items, **overrides) -> dict:
    data = {
        "department": department,
        "name": "2026年第一季度燃气安全双随机抽查",
        "period_start": DAY,
        "period_end": DAY + dt.timedelta(days=27),
        "ratios": {"red": 1.0, "green": 0.0},
        "items": items,
    }
    return {**data, **overrides}


def run_draw_on(actor, plan_id, day=DAY):
    """A draw made on ``day``. The server fixes a draw's date (nobody may choose it, so nobody can
    steer the seed); the tests set the server's clock instead."""
    from unittest import mock

    from django.utils import timezone

    from zhifa.inspections import services

    real = timezone.localdate

    def localdate(value=None, timezone=None):
        return day if value is None else real(value, timezone)

    with mock.patch("django.utils.timezone.localdate", localdate):
        return services.run_draw(actor, plan_id)
