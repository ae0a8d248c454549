"""The cases district (``cw``: 上方镇 and 峡川镇, two certified officers of 上方镇 on each case, heads)
with helpers to take a case to investigation and to answer approvals as the head."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.cases import conftest as cases_conftest
from tests.cases.conftest import open_general
from zhifa.cases import services as cases_services

cw = cases_conftest.cw
D = dt.date

ITEMS = [
    {"name": "冷藏柜", "quantity": "1", "unit": "台"},
    {"name": "冻品", "quantity": "200", "unit": "公斤", "note": "无标签"},
]


def investigating(cw, *, head=None, user=None, **kwargs):
    """Discovered 2 Feb 2026, filed 5 Feb by the head, investigated from 6 Feb."""
    case = open_general(cw, user=user, **kwargs)
    cases_services.transition(head or cw.head, case.pk, "file", {"filing_date": D(2026, 2, 5)})
    cases_services.transition(user or cw.user, case.pk, "start_investigation", {"as_of": D(2026, 2, 6)})
    case.refresh_from_db()
    return case


def approve(head, approval_id: int, on: dt.date, opinion: str = "同意"):
    return cases_services.decide_approval(
        head, approval_id, {"approve": True, "opinion": opinion, "as_of": on}
    )


def give_back(head, approval_id: int, on: dt.date, opinion: str = "不同意"):
    return cases_services.decide_approval(
        head, approval_id, {"approve": False, "opinion": opinion, "as_of": on}
    )


def officers(cw) -> list[int]:
    return [cw.world.officer_a.pk, cw.second.pk]


@pytest.fixture
def case(cw):
    return investigating(cw)
