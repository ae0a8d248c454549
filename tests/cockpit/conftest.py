"""Small targeted data for the cockpit on top of the ``world`` district: incidents, cases,
inspection-free; each test adds what it counts."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from django.utils import timezone

from tests.cases.conftest import new_item
from tests.parties.conftest import add_party
from zhifa.cases.models import Case
from zhifa.catalog.models import Domain, EnforcementItem
from zhifa.dispatch.models import Incident

_seq = itertools.count(1)


def now():
    return timezone.now()


def add_incident(
    township,
    org,
    *,
    state="assigned",
    reported_at=None,
    due_at=None,
    replied_at=None,
    satisfaction=None,
    overdue=False,
) -> Incident:
    n = next(_seq)
    return Incident.objects.create(
        source="hotline",
        tracking_code=f"CK{n:06d}",
        title=f"测试事件{n}",
        text="占道经营",
        township=township,
        responsible_org=org,
        state=state,
        reported_at=reported_at or now(),
        due_at=due_at,
        replied_at=replied_at,
        satisfaction=satisfaction,
        overdue=overdue,
    )


def cockpit_item() -> EnforcementItem:
    domain = Domain.objects.get_or_create(code="CK1", defaults={"name": "驾驶舱测试领域"})[0]
    return EnforcementItem.objects.filter(code="CKT1").first() or new_item(
        domain, "CKT1", fine_min="1000", fine_max="10000"
    )


def add_case(
    org,
    township,
    *,
    state="filed",
    filing_date=None,
    decision_date=None,
    extensions=(),
    extra_facts=None,
    fine="0",
) -> Case:
    party = add_party(township)
    item = cockpit_item()
    return Case.objects.create(
        organization=org,
        number=f"CK-{next(_seq)}",
        state=state,
        party=party,
        item=item,
        act_key=Case.make_act_key(item.pk, party.pk, dt.date(2026, 1, 5)),
        act_date=dt.date(2026, 1, 5),
        filing_date=filing_date,
        decision_date=decision_date,
        extensions=list(extensions),
        extra_facts=extra_facts or {},
        decided_fine=Decimal(fine),
    )
