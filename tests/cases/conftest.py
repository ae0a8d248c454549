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
from zhifa.catalog.models import Claim, Domain, EnforcementItem, LegalBasis
from zhifa.organizations.models import Organization, User
from zhifa.parties.models import Party

SCENARIO_CONFIG = {
    "hearing_thresholds": {"citizen_fine": "10000", "organization_fine": "100000", "source": "tests"},
    "defence_period_working_days": 3,
}


def new_item(
    domain, code: str, *, fine_min=None, fine_max=None, claimed: bool = True, **extra
) -> EnforcementItem:
    """A penalty item, claimed (认领) by every township team and the comprehensive bureau present, so
    that their cases are bound to law they hold (行政处罚法第十七条、第二十四条)."""
    item = EnforcementItem.objects.create(
        code=code,
        name=extra.pop("name", f"对占道经营的行政处罚{code}"),
        kind="penalty",
        domain=domain,
        enforcing_body="township",
        penalty_types=["fine"],
        status="in_force",
        fine_min=None if fine_min is None else Decimal(fine_min),
        fine_max=None if fine_max is None else Decimal(fine_max),
        **extra,
    )
    LegalBasis.objects.create(
        item=item, law="城市市容和环境卫生管理条例", article="第三十六条", text="处以罚款"
    )
    if claimed:
        claim_everywhere(item)
    return item


def claim_everywhere(item: EnforcementItem) -> None:
    for org in Organization.objects.filter(kind=Organization.Kind.TOWNSHIP_TEAM):
        Claim.objects.get_or_create(
            item=item, level="township", region=org.region, defaults={"organization": org}
        )
    bureau = Organization.objects.filter(
        kind=Organization.Kind.COMPREHENSIVE_BUREAU, is_enforcement_body=True
    ).first()
    if bureau is not None:
        Claim.objects.get_or_create(
            item=item, level="district", defaults={"organization": bureau, "region": bureau.region}
        )


@pytest.fixture
def cw(world, settings):
    settings.ZHIFA_CASE_CONFIG = SCENARIO_CONFIG
    domain = Domain.objects.create(code="C02", name="市容环境卫生")
    second = new_officer(world.team_a, name="甲镇队员二")
    second_b = new_officer(world.team_b, name="乙镇队员二")
    aux = new_officer(world.team_a, name="甲镇辅助", kind="auxiliary")
    return SimpleNamespace(
        world=world,
        domain=domain,
        second=second,
        second_b=second_b,
        aux=aux,
        item=new_item(domain, "T1", fine_min="1000", fine_max="10000"),
        firm=add_party(world.shangfang, name="上方某某餐饮有限公司"),
        person=add_party(world.shangfang, kind=Party.Kind.PERSON, name="张某"),
        firm_b=add_party(world.xiachuan, name="峡川某某商店有限公司"),
        user=world.user_a,
        user_b=new_user("officer_b", world.team_b, User.Role.OFFICER, world.officer_b),
        command=new_user("command", world.root, User.Role.COMMAND_CENTER),
        head=new_user("head_a", world.team_a, User.Role.HEAD, display_name="甲镇负责人"),
        deputy=new_user("deputy_a", world.team_a, User.Role.HEAD, display_name="甲镇副职"),
        head_b=new_user("head_b", world.team_b, User.Role.HEAD),
        reviewer=new_user(
            "legal_a", world.team_a, User.Role.LEGAL_REVIEWER, legal_qualification_number="A20211100001"
        ),
    )


def open_general(cw, *, party=None, act_date=dt.date(2026, 1, 20), user=None, officers=None) -> services.Case:
    return services.open_case(
        user or cw.user,
        {
            "party": party or cw.firm,
            "item": cw.item,
            "act_date": act_date,
            "discovery_date": dt.date(2026, 2, 2),
            "summary": "在门店外占道经营",
            "officers": officers if officers is not None else [cw.world.officer_a, cw.second],
        },
    )


def run_to_notified(cw, case, fine="5000"):
    """File (5 Feb, by the head), investigate, notify (Mon 2 Mar) — the general() timeline of the scenarios."""
    services.transition(cw.head, case.pk, "file", {"filing_date": dt.date(2026, 2, 5)})
    services.transition(cw.user, case.pk, "start_investigation", {"as_of": dt.date(2026, 2, 6)})
    services.transition(
        cw.user,
        case.pk,
        "notify",
        {
            "facts_clear": True,
            "notice_date": dt.date(2026, 3, 2),
            "penalties_intended": [{"kind": "fine", "amount": fine}],
        },
    )
    case.refresh_from_db()
    return case
