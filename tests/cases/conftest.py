"""Cases on top of the ``world`` district: an item with a statutory fine range, parties with
valid identifiers, two certified officers of 上方镇 on each case."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest

from tests.conftest import new_officer, new_user
from tests.parties.conftest import add_party
from zhifa.cases import services
from zhifa.catalog.models import Domain, EnforcementItem, LegalBasis
from zhifa.organizations.models import User
from zhifa.parties.models import Party

SCENARIO_CONFIG = {
    "hearing_thresholds": {"citizen_fine": "10000", "organization_fine": "100000", "source": "tests"},
    "defence_period_working_days": 3,
}


def new_item(domain, code: str, *, fine_min=None, fine_max=None, **extra) -> EnforcementItem:
    item = EnforcementItem.objects.create(
        code=code, name=extra.pop("name", f"对占道经营的行政处罚{code}"), kind="penalty", domain=domain,
        enforcing_body="township", penalty_types=["fine"], status="in_force",
        fine_min=None if fine_min is None else Decimal(fine_min), fine_max=None if fine_max is None else Decimal(fine_max),
        **extra)
    LegalBasis.objects.create(item=item, law="城市市容和环境卫生管理条例", article="第三十六条", text="处以罚款")
    return item


@pytest.fixture
def cw(world, settings):
    settings.ZHIFA_CASE_CONFIG = SCENARIO_CONFIG
    domain = Domain.objects.create(code="C02", name="市容环境卫生")
    second = new_officer(world.team_a, name="甲镇队员二")
    aux = new_officer(world.team_a, name="甲镇辅助", kind="auxiliary")
    return SimpleNamespace(
        world=world, domain=domain, second=second, aux=aux,
        item=new_item(domain, "T1", fine_min="1000", fine_max="10000"),
        firm=add_party(world.shangfang, name="上方某某餐饮有限公司"),
        person=add_party(world.shangfang, kind=Party.Kind.PERSON, name="张某"),
        firm_b=add_party(world.xiachuan, name="峡川某某商店有限公司"),
        user=world.user_a,
        user_b=new_user("officer_b", world.team_b, User.Role.OFFICER, world.officer_b),
        command=new_user("command", world.root, User.Role.COMMAND_CENTER),
    )


def open_general(cw, *, party=None, act_date=dt.date(2026, 1, 20), user=None, officers=None) -> services.Case:
    return services.open_case(user or cw.user, {
        "party": party or cw.firm, "item": cw.item, "act_date": act_date, "discovery_date": dt.date(2026, 2, 2),
        "summary": "在门店外占道经营", "officers": officers if officers is not None else [cw.world.officer_a, cw.second],
    })


def run_to_notified(cw, case, fine="5000"):
    """File (5 Feb), investigate, notify (Mon 2 Mar) — the general() timeline of the scenarios."""
    services.transition(cw.user, case.pk, "file", {"filing_date": dt.date(2026, 2, 5)})
    services.transition(cw.user, case.pk, "start_investigation", {"as_of": dt.date(2026, 2, 6), "facts_clear": True})
    services.transition(cw.user, case.pk, "notify", {
        "notice_date": dt.date(2026, 3, 2), "penalties_intended": [{"kind": "fine", "amount": fine}],
        "notice_contents": ["penalty", "facts", "reasons", "basis", "rights", "hearing_right"]})
    case.refresh_from_db()
    return case
