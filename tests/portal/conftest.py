"""Decided cases for the portal tests, on top of the cases fixtures (``cw``)."""

from __future__ import annotations

import itertools

import pytest
from django.core.cache import cache
from django.utils import timezone

from tests.cases import conftest as cases_conftest
from tests.cases.conftest import new_item
from tests.conftest import new_user
from zhifa.cases import rules as case_rules
from zhifa.cases import services as case_services
from zhifa.organizations.models import User

_seq = itertools.count(1)

#: The cases fixture (a district with two townships, items, parties, officers), shared here.
cw = cases_conftest.cw


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    """The report rate limit counts in the cache; every test starts from zero."""
    cache.clear()
    yield
    cache.clear()


def decide_on_spot(cw, party, *, amount="50", summary=None, user=None, day=None):
    """A summary-procedure case decided on the spot (行政处罚法第五十一条): a decided case in one step."""
    today = day or timezone.localdate()
    item = new_item(cw.domain, f"PT{next(_seq)}", fine_max="200", name="对乱扔垃圾的行政处罚")
    user = user or cw.user
    case = case_services.open_case(
        user,
        {
            "party": party,
            "item": item,
            "act_date": today,
            "discovery_date": today,
            "summary": summary if summary is not None else f"{party.name}在街面乱扔垃圾",
            "procedure": case_rules.Procedure.SUMMARY,
            # the two officers of the user's own township (an officer of another body is out of scope)
            "officers": [cw.world.officer_b, cw.second_b]
            if user == cw.user_b
            else [cw.world.officer_a, cw.second],
        },
    )
    case_services.transition(
        user,
        case.pk,
        "decide_on_spot",
        {
            "facts_clear": True,
            "penalties_decided": [{"kind": "fine", "amount": amount}],
            "decision_date": today,
        },
    )
    case.refresh_from_db()
    return case


@pytest.fixture
def reviewer(cw):
    return new_user("reviewer_a", cw.world.team_a, User.Role.LEGAL_REVIEWER)


@pytest.fixture
def reviewer_b(cw):
    return new_user("reviewer_b", cw.world.team_b, User.Role.LEGAL_REVIEWER)
