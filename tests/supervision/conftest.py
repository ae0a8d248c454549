"""Supervision tests on top of the ``world`` district: cases and incidents made directly as rows
(the rules read data; the procedure itself is tested in tests/cases)."""

import datetime as dt
import itertools
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone

from tests.cases.conftest import new_item
from tests.conftest import new_officer, new_user
from tests.parties.conftest import add_party
from zhifa.cases.models import Case, CaseEvent, CaseOfficer
from zhifa.catalog.models import Domain
from zhifa.dispatch.models import Incident
from zhifa.organizations.models import User

_seq = itertools.count(1)
NOW = dt.datetime(2026, 6, 1, 2, 0, tzinfo=dt.UTC)  # 10:00 in Asia/Shanghai


@pytest.fixture
def sv(world):
    domain = Domain.objects.create(code="C02", name="市容环境卫生")
    return SimpleNamespace(
        world=world,
        item=new_item(domain, "T1", fine_min="1000", fine_max="10000"),
        firm=add_party(world.shangfang, name="上方某某餐饮有限公司"),
        second=new_officer(world.team_a, name="甲镇队员二"),
        supervisor=new_user("supervisor", world.guidance, User.Role.SUPERVISOR),
        #: the second pair of eyes a high-severity alert's closing needs
        supervisor2=new_user("supervisor2", world.guidance, User.Role.SUPERVISOR),
        guidance=world.guidance_user,
    )


def make_case(
    sv,
    *,
    state="filed",
    filing_date=dt.date(2026, 5, 1),
    decision_date=None,
    fine="0",
    officers=None,
    act_date=dt.date(2026, 4, 1),
    party=None,
    **extra,
) -> Case:
    party = party or sv.firm
    case = Case.objects.create(
        organization=sv.world.team_a,
        number=f"SV{next(_seq)}",
        state=state,
        party=party,
        item=sv.item,
        act_key=Case.make_act_key(sv.item.pk, party.pk, act_date),
        act_date=act_date,
        filing_date=filing_date,
        decision_date=decision_date,
        decided_fine=Decimal(fine),
        **extra,
    )
    for i, officer in enumerate(officers if officers is not None else [sv.world.officer_a, sv.second]):
        CaseOfficer.objects.create(case=case, officer=officer, role="lead" if i == 0 else "assist")
    return case


def add_event(case, action, on=None):
    return CaseEvent.objects.create(
        case=case, action=action, from_state=case.state, to_state=case.state, on=on
    )


def make_incident(org, **fields) -> Incident:
    n = next(_seq)
    fields.setdefault("reported_at", NOW - dt.timedelta(days=5))
    return Incident.objects.create(
        source="hotline", tracking_code=f"SV{n:08d}", title=f"事件{n}", responsible_org=org, **fields
    )


__all__ = ["NOW", "add_event", "make_case", "make_incident", "timezone"]
