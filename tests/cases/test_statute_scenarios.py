"""Runs the statute scenarios of ``tests/cases/scenarios.py`` through the pure rules.

The service layer will run the same fixture against the database; this runner only translates
the plain data into ``CaseFacts`` / ``CaseConfig`` and compares outcomes.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from tests.cases.scenarios import CONFIG, SCENARIOS
from zhifa.cases.deadlines import case_deadlines, late_surcharge
from zhifa.cases.rules import CaseConfig, CaseFacts, HearingThresholds, check


def make_config(overrides: dict[str, Any] | None = None) -> CaseConfig:
    data = {**CONFIG, **(overrides or {})}
    thresholds = data.pop("hearing_thresholds", None)
    return CaseConfig(hearing_thresholds=HearingThresholds(**thresholds) if thresholds else None, **data)


def _describe(result) -> str:
    lines = [f"allowed={result.allowed} next={result.next_state}"]
    lines += [f"  refused {r.code}: {r.message} {r.refs}" for r in result.refusals]
    lines += [f"  flagged {r.code}: {r.message} {r.refs}" for r in result.flags]
    return "\n".join(lines)


def test_fixture_is_large_and_well_formed():
    names = [s["name"] for s in SCENARIOS]
    assert len(names) == len(set(names)), "scenario names must be unique"
    assert len(SCENARIOS) >= 30
    for s in SCENARIOS:
        assert s["kind"] in {"check", "surcharge", "deadline"}
        if s["kind"] == "check":
            assert s["expected"] in {"allowed", "refused", "flagged"}
            assert (s["article"] is None) == (s["expected"] == "allowed"), s["name"]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s["name"] for s in SCENARIOS])
def test_statute_scenario(scenario: dict[str, Any]):
    kind = scenario["kind"]
    if kind == "surcharge":
        amount = late_surcharge(
            Decimal(scenario["fine"]),
            dt.date.fromisoformat(scenario["due"]),
            dt.date.fromisoformat(scenario["paid"]),
        )
        assert amount == Decimal(scenario["expected_amount"])
        return

    facts = CaseFacts.from_dict(scenario["facts"])
    config = make_config(scenario.get("config"))

    if kind == "deadline":
        deadlines = {
            d.name: d
            for d in case_deadlines(
                facts, config.calendar, config, today=dt.date.fromisoformat(scenario["today"])
            )
        }
        deadline = deadlines[scenario["deadline"]]
        assert deadline.due == dt.date.fromisoformat(scenario["expected_due"])
        assert deadline.cites(scenario["article"]), deadline
        if scenario.get("expected_status"):
            assert deadline.status == scenario["expected_status"]
        return

    result = check(scenario["state"], scenario["action"], facts, config)
    expected = scenario["expected"]
    detail = _describe(result)
    if expected == "refused":
        assert not result.allowed, detail
        assert result.next_state is None
        assert any(r.cites(scenario["article"]) for r in result.refusals), detail
        # every refusal carries its article in the message too
        assert all(r.article and r.article in r.message for r in result.refusals), detail
    else:
        assert result.allowed, detail
        if expected == "allowed":
            assert not result.flags, detail
        else:
            assert any(f.cites(scenario["article"]) for f in result.flags), detail
        if scenario.get("next_state"):
            assert result.next_state == scenario["next_state"]
