"""Items for the discretion tests, on top of the ``world`` district.

======  ===========================  ========  ==========  ======  ==============
code    about                        kind      fine range  高频     status
======  ===========================  ========  ==========  ======  ==============
D1      stalls on the street         penalty   0–1000      yes     in force
D2      open-air barbecue            penalty   500–20000   yes     in force
D3      illegal logging (value ×)    penalty   none        yes     in force
D4      noise                        penalty   200–20000   no      in force
D5      old item                     penalty   0–500       yes     repealed
I1      inspection                   insp.     –           yes     in force
======  ===========================  ========  ==========  ======  ==============

High-frequency penalty items in force: D1, D2, D3 (3).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest

from zhifa.catalog.models import Domain, EnforcementItem

DAY = dt.date(2026, 1, 1)

STALL_LEVELS = [
    {
        "name": "minor",
        "conditions": {"first_offence": True, "corrected_in_time": True, "harm_max": "none"},
        "range_kind": "no_fine",
        "description": "首次且当场改正",
    },
    {
        "name": "ordinary",
        "conditions": {"amount": {"min": 0, "max": 5000}},
        "range_kind": "fixed",
        "range_low": 50,
        "range_high": 200,
    },
    {
        "name": "serious",
        "conditions": {"amount": {"min": 5000, "max": None}},
        "range_kind": "fixed",
        "range_low": 200,
        "range_high": 500,
    },
    {
        "name": "grave",
        "conditions": {"repeat": True},
        "range_kind": "fixed",
        "range_low": 500,
        "range_high": 1000,
    },
]


def item(
    code,
    domain,
    *,
    fine_min=None,
    fine_max=None,
    kind="penalty",
    high_frequency=True,
    status="in_force",
    name=None,
):
    return EnforcementItem.objects.create(
        code=code,
        name=name or f"测试事项{code}",
        kind=kind,
        domain=domain,
        enforcing_body="comprehensive",
        penalty_types=["fine"] if kind == "penalty" else [],
        fine_min=None if fine_min is None else Decimal(fine_min),
        fine_max=None if fine_max is None else Decimal(fine_max),
        high_frequency=high_frequency,
        status=status,
    )


@pytest.fixture
def items(world):
    domain = Domain.objects.create(code="D02", name="市容环境卫生", sort_order=1)
    return SimpleNamespace(
        stalls=item("D1", domain, fine_max="1000", name="对擅自占道经营的行政处罚"),
        barbecue=item("D2", domain, fine_min="500", fine_max="20000", name="对露天烧烤的行政处罚"),
        logging=item("D3", domain, name="对滥伐林木的行政处罚"),
        noise=item("D4", domain, fine_min="200", fine_max="20000", high_frequency=False),
        old=item("D5", domain, fine_max="500", status="repealed"),
        inspection=item("I1", domain, kind="inspection"),
    )
