"""The statute scenarios of ``scenarios.py`` through the service layer and PostgreSQL.

Each ``check`` scenario whose facts the models can hold becomes a case in the database: its
officers are real officers with certificates, its fine range is the catalog item's range, earlier
fines for the same act are real cases. Then ``services.transition`` takes the action. Allowed →
the case moves to the expected state with one event; refused → a ``DomainError`` citing the
article and nothing changed (state, version, events, audit rows)."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest

from tests.cases.conftest import new_item
from tests.cases.scenarios import SCENARIOS
from tests.cases.test_statute_scenarios import make_config
from tests.conftest import new_officer
from tests.parties.conftest import add_party
from zhifa.cases import rules, services
from zhifa.cases.facts import DERIVED, TRANSIENT, apply_facts
from zhifa.cases.models import Case, CaseEvent, CaseOfficer
from zhifa.core.errors import DomainError
from zhifa.core.models import AuditEvent
from zhifa.core.validators import make_id_number
from zhifa.organizations.models import Certificate
from zhifa.parties.models import Party

_seq = itertools.count(1)
PARTY_KINDS = {"citizen": Party.Kind.PERSON, "legal_person": Party.Kind.ENTERPRISE,
               "individual_business": Party.Kind.INDIVIDUAL_BUSINESS}


def representable(s: dict[str, Any]) -> bool:
    """Party kinds the parties app has (其他组织 is not a Party kind yet)."""
    return s["kind"] == "check" and s["facts"].get("party_kind", "citizen") in PARTY_KINDS


CHECKS = [s for s in SCENARIOS if representable(s)]


def _officer(cw, spec: dict[str, Any]):
    officer = new_officer(cw.world.team_a, name=spec.get("name"), kind=spec.get("kind", "enforcement"), certified=False)
    if spec.get("certificate_number"):
        Certificate.objects.create(
            officer=officer, number=f"{spec['certificate_number']}-{next(_seq)}", domains=list(spec.get("certificate_domains", [])),
            valid_from=dt.date.fromisoformat(spec["certificate_valid_from"]),
            valid_to=dt.date.fromisoformat(spec["certificate_valid_to"]),
            status={"valid": "active"}.get(spec.get("certificate_status", "valid"), spec.get("certificate_status")))
    return officer


def build_case(cw, scenario: dict[str, Any]) -> tuple[Case, dict[str, Any]]:
    facts = dict(scenario["facts"])
    action = rules.Action(scenario["action"])
    kind = PARTY_KINDS[facts.get("party_kind", "citizen")]
    extra = {}
    if kind == Party.Kind.PERSON and facts.get("party_birth_date"):
        n = next(_seq)
        extra["id_number"] = make_id_number("330803", dt.date.fromisoformat(facts["party_birth_date"]), f"{n % 1000:03d}")
    party = add_party(cw.world.shangfang, kind=kind, **extra)
    fine_range = facts.get("fine_range") or {}
    item = new_item(cw.domain, f"S{next(_seq)}", fine_min=fine_range.get("minimum"), fine_max=fine_range.get("maximum"))
    officers = {spec["id"]: _officer(cw, spec) for spec in facts.get("officers", [])}
    case = Case.objects.create(
        organization=cw.world.team_a, party=party, item=item, procedure=facts.get("procedure", "general"),
        state=scenario["state"], act_key=Case.make_act_key(item.pk, party.pk, None), number=f"S-{next(_seq)}")
    for spec in facts.get("officers", []):
        CaseOfficer.objects.create(case=case, officer=officers[spec["id"]], assisting=spec.get("assisting", False))
    if facts.get("hearing_host") in officers:
        facts["hearing_host"] = str(officers[facts["hearing_host"]].pk)
    for number in facts.get("existing_fines_same_act", []):
        Case.objects.create(organization=cw.world.team_a, party=party, item=item, state="decided", number=number,
                            act_key=case.act_key, decided_fine=1000,
                            penalties_decided=[{"kind": "fine", "amount": "1000"}])
    date_field = rules.ACTION_DATE_FIELD.get(action)
    data = {k: facts.pop(k) for k in (date_field, *TRANSIENT) if k and k in facts}
    stored = {k: v for k, v in facts.items() if k not in DERIVED}
    apply_facts(case, rules.CaseFacts.from_dict(stored))
    case.save()
    return case, data


@pytest.mark.parametrize("scenario", CHECKS, ids=[s["name"] for s in CHECKS])
def test_scenario_through_the_service(cw, scenario):
    case, data = build_case(cw, scenario)
    before = (case.state, case.version, CaseEvent.objects.filter(case=case).count(), AuditEvent.objects.count())
    pure = rules.check(scenario["state"], scenario["action"], rules.CaseFacts.from_dict(scenario["facts"]),
                       make_config(scenario.get("config")))
    if scenario["expected"] == "refused":
        with pytest.raises(DomainError) as exc:
            services.transition(cw.user, case.pk, scenario["action"], data)
        refusals = getattr(exc.value, "refusals", [])
        # the facts survived the trip through the database: the same refusals as the pure rules
        assert sorted(r.code for r in refusals) == sorted(r.code for r in pure.refusals)
        assert any(r.cites(scenario["article"]) for r in refusals), [(r.code, r.refs) for r in refusals]
        assert exc.value.code == refusals[0].code and refusals[0].article in exc.value.message
        case.refresh_from_db()
        after = (case.state, case.version, CaseEvent.objects.filter(case=case).count(), AuditEvent.objects.count())
        assert after == before
    else:
        case = services.transition(cw.user, case.pk, scenario["action"], data)
        if scenario.get("next_state"):
            assert case.state == scenario["next_state"]
        assert case.version == before[1] + 1
        events = CaseEvent.objects.filter(case=case, action=scenario["action"])
        assert events.count() == 1
        assert AuditEvent.objects.filter(action=f"case.{scenario['action']}", object_id=str(case.pk)).count() == 1
        assert sorted(f["code"] for f in events.get().flags) == sorted(f.code for f in pure.flags)
        if scenario["expected"] == "flagged":
            assert events.get().flags, "the non-blocking finding is kept on the timeline"


def test_enough_scenarios_run_through_the_service():
    assert len(CHECKS) >= 30
