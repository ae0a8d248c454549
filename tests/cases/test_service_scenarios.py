"""The statute scenarios of ``scenarios.py`` through the service layer and PostgreSQL.

Each ``check`` scenario whose facts the models can hold becomes a case in the database: its
officers are real officers with certificates, its fine range is the catalog item's range, earlier
fines for the same act are real cases, and its legal position — a passed legal review, the heads'
deliberation, the party's waiver, an approved deferral, a court ruling, a consent to electronic
service, a pending remedy — is a real record of the act that creates it (never a flag). Then
``services.transition`` takes the action with that action's own input, performed by the role that
holds it (the head files and decides). Allowed → the case moves to the expected state with one
event; refused → a ``DomainError`` citing the article and nothing changed (state, version, events,
audit rows)."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from django.utils import timezone

from tests.cases.conftest import new_item
from tests.cases.scenarios import SCENARIOS
from tests.cases.test_statute_scenarios import make_config
from tests.conftest import new_officer
from tests.parties.conftest import add_party
from zhifa.cases import rules, services
from zhifa.cases.access import ACTION_PERMISSION
from zhifa.cases.commands import ACTION_COMMANDS
from zhifa.cases.facts import DERIVED, TRANSIENT, apply_facts, review_snapshot
from zhifa.cases.models import (
    Approval,
    Case,
    CaseEvent,
    CaseOfficer,
    CourtRuling,
    Deliberation,
    EServiceConsent,
    LegalReview,
    RemedyOutcome,
    Waiver,
)
from zhifa.core.errors import DomainError
from zhifa.core.models import AuditEvent
from zhifa.core.validators import make_id_number
from zhifa.organizations.models import Certificate
from zhifa.parties.models import Party

_seq = itertools.count(1)
PARTY_KINDS = {
    "citizen": Party.Kind.PERSON,
    "legal_person": Party.Kind.ENTERPRISE,
    "individual_business": Party.Kind.INDIVIDUAL_BUSINESS,
}


def representable(s: dict[str, Any]) -> bool:
    """Party kinds the parties app has (其他组织 is not a Party kind yet). A notice is generated
    by the platform with every content item (行政处罚法第四十四条), so a scenario of an incomplete
    notice cannot happen through the service. Payments go through ``record_payment``, which
    chooses between paying in full and in part from the amount (``test_services``)."""
    return (
        s["kind"] == "check"
        and s["facts"].get("party_kind", "citizen") in PARTY_KINDS
        and s["action"] not in ("notify", "pay", "pay_part", "collect_on_spot")
        and s["name"] not in BY_CONSTRUCTION
    )


#: Refusals the service makes impossible earlier: a waiver is recorded only with the party's signed
#: statement (``record_waiver``), a referral's and a deferral's inputs are required fields of their
#: commands (422 naming the field), and a deferral exists only as the head's approved row.
BY_CONSTRUCTION = {
    "a waiver that was not recorded does not count",
    "criminal referral without stating the suspected crime",
    "deferral without approval",
}
#: Inputs an action requires that the pure scenarios do not carry.
DEFAULT_INPUTS = {"apply_to_court": {"court": "衢江区人民法院"}}


CHECKS = [s for s in SCENARIOS if representable(s)]


def _officer(cw, spec: dict[str, Any]):
    officer = new_officer(
        cw.world.team_a, name=spec.get("name"), kind=spec.get("kind", "enforcement"), certified=False
    )
    if spec.get("certificate_number"):
        Certificate.objects.create(
            officer=officer,
            number=f"{spec['certificate_number']}-{next(_seq)}",
            domains=list(spec.get("certificate_domains", [])),
            valid_from=dt.date.fromisoformat(spec["certificate_valid_from"]),
            valid_to=dt.date.fromisoformat(spec["certificate_valid_to"]),
            status={"valid": "active"}.get(
                spec.get("certificate_status", "valid"), spec.get("certificate_status")
            ),
        )
    return officer


def build_case(cw, scenario: dict[str, Any]) -> tuple[Case, dict[str, Any]]:
    facts = dict(scenario["facts"])
    action = rules.Action(scenario["action"])
    kind = PARTY_KINDS[facts.get("party_kind", "citizen")]
    extra = {}
    if kind == Party.Kind.PERSON and facts.get("party_birth_date"):
        n = next(_seq)
        extra["id_number"] = make_id_number(
            "330803", dt.date.fromisoformat(facts["party_birth_date"]), f"{n % 1000:03d}"
        )
    party = add_party(cw.world.shangfang, kind=kind, **extra)
    fine_range = facts.get("fine_range") or {}
    item = new_item(
        cw.domain, f"S{next(_seq)}", fine_min=fine_range.get("minimum"), fine_max=fine_range.get("maximum")
    )
    officers = {spec["id"]: _officer(cw, spec) for spec in facts.get("officers", [])}
    case = Case.objects.create(
        organization=cw.world.team_a,
        party=party,
        item=item,
        procedure=facts.get("procedure", "general"),
        state=scenario["state"],
        act_key=Case.make_act_key(item.pk, party.pk, None),
        number=f"S-{next(_seq)}",
    )
    for spec in facts.get("officers", []):
        CaseOfficer.objects.create(
            case=case, officer=officers[spec["id"]], assisting=spec.get("assisting", False)
        )
    if facts.get("hearing_host") in officers:
        facts["hearing_host"] = str(officers[facts["hearing_host"]].pk)
    for number in facts.get("existing_fines_same_act", []):
        Case.objects.create(
            organization=cw.world.team_a,
            party=party,
            item=item,
            state="decided",
            number=number,
            act_key=case.act_key,
            decided_fine=1000,
            penalties_decided=[{"kind": "fine", "amount": "1000"}],
        )
    fields = set(ACTION_COMMANDS[action].model_fields)
    data = {k: facts.pop(k) for k in list(facts) if k in fields}
    data.update({k: facts.pop(k) for k in TRANSIENT if k in facts})
    data = {**DEFAULT_INPUTS.get(action.value, {}), **data}
    stored = {k: v for k, v in facts.items() if k not in DERIVED}
    apply_facts(case, rules.CaseFacts.from_dict(stored))
    case.save()
    record_acts(cw, case, facts)
    return case, data


def record_acts(cw, case: Case, facts: dict[str, Any]) -> None:
    """The acts of authority the scenario's facts stand for, as the rows that record them."""
    case.refresh_from_db()
    when = timezone.now()
    if facts.get("legal_review_passed"):
        LegalReview.objects.create(
            case=case,
            status="done",
            result="passed",
            submitted_on=case.notice_date or D0,
            due_on=D0,
            proposal=review_snapshot(case),
            reviewer=cw.reviewer,
            reviewed_at=when,
            reviewed_on=case.notice_date or D0,
            opinion="通过",
        )
    if facts.get("collective_deliberation_done"):
        deliberation = Deliberation.objects.create(
            case=case,
            held_on=D0,
            chair=cw.head,
            minutes="讨论",
            conclusion="penalty",
            penalties=case.penalties_decided or case.penalties_intended,
        )
        deliberation.participants.set([cw.head, cw.deputy])
    if facts.get("rights_waived_on") or facts.get("hearing_waived"):
        Waiver.objects.create(
            case=case,
            signed_on=_d(facts.get("rights_waived_on")) or D0,
            waives_statement=bool(facts.get("rights_waived_on")),
            waives_hearing=bool(facts.get("hearing_waived")),
            method="signed_statement",
            document_sha256="0" * 64 if facts.get("waiver_record") else "",
        )
    if facts.get("deferral_approved"):
        Approval.objects.create(
            case=case,
            kind="deferral",
            status="approved",
            decided_at=when,
            decided_on=D0,
            proposal={"deferred_until": facts["deferred_until"], "application_on": str(D0)},
        )
    if facts.get("surcharge_remitted"):
        Approval.objects.create(
            case=case,
            kind="remission",
            status="approved",
            decided_at=when,
            decided_on=D0,
            proposal={"amount": str(facts["surcharge_remitted"]), "reason": "执行协议", "agreement": "协议"},
        )
    for extension in facts.get("extensions", []):
        Approval.objects.create(
            case=case,
            kind="extension",
            status="approved",
            decided_at=when,
            decided_on=D0,
            proposal={"days": extension["days"], "basis": extension.get("basis", "规章")},
        )
    if facts.get("enforcement_concluded"):
        CourtRuling.objects.create(
            case=case,
            court="衢江区人民法院",
            ruling_number=f"（2026）浙0803执{next(_seq)}号",
            ruling_date=D0,
            result="concluded",
        )
    if facts.get("review_or_litigation_pending"):
        RemedyOutcome.objects.create(case=case, kind="reconsideration", filed_on=D0)
    if facts.get("electronic_service_consent"):
        EServiceConsent.objects.create(
            party=case.party,
            organization=case.organization,
            address="当事人空间",
            signed_on=dt.date(2025, 1, 1),
        )
    if facts.get("review_required_by_law"):
        case.extra_facts = {**case.extra_facts, "review_required_by_discretion": True}
    case.save()


def _d(value):
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


D0 = dt.date(2026, 1, 2)


def facts_of(scenario):
    return rules.CaseFacts.from_dict(scenario["facts"])


@pytest.mark.parametrize("scenario", CHECKS, ids=[s["name"] for s in CHECKS])
def test_scenario_through_the_service(cw, scenario):
    case, data = build_case(cw, scenario)
    before = (
        case.state,
        case.version,
        CaseEvent.objects.filter(case=case).count(),
        AuditEvent.objects.count(),
    )
    pure = rules.check(
        scenario["state"],
        scenario["action"],
        rules.CaseFacts.from_dict(scenario["facts"]),
        make_config(scenario.get("config")),
    )
    actor = cw.head if scenario["action"] in ACTION_PERMISSION else cw.user
    if scenario["expected"] == "refused":
        with pytest.raises(DomainError) as exc:
            services.transition(actor, case.pk, scenario["action"], data)
        refusals = getattr(exc.value, "refusals", [])
        # the facts survived the trip through the database: the same refusals as the pure rules
        # the service also knows today's date: an act dated after it is refused as well (第四十七条)
        future = (
            ["date_in_future"]
            if rules.action_date(scenario["action"], facts_of(scenario)) > services.today()
            else []
        )
        assert sorted(r.code for r in refusals) == sorted([r.code for r in pure.refusals] + future)
        assert any(r.cites(scenario["article"]) for r in refusals), [(r.code, r.refs) for r in refusals]
        assert exc.value.code == refusals[0].code and refusals[0].article in exc.value.message
        case.refresh_from_db()
        after = (
            case.state,
            case.version,
            CaseEvent.objects.filter(case=case).count(),
            AuditEvent.objects.count(),
        )
        assert after == before
    else:
        case = services.transition(actor, case.pk, scenario["action"], data)
        if scenario.get("next_state"):
            assert case.state == scenario["next_state"]
        assert case.version == before[1] + 1
        events = CaseEvent.objects.filter(case=case, action=scenario["action"])
        assert events.count() == 1
        assert (
            AuditEvent.objects.filter(action=f"case.{scenario['action']}", object_id=str(case.pk)).count()
            == 1
        )
        assert sorted(f["code"] for f in events.get().flags) == sorted(f.code for f in pure.flags)
        if scenario["expected"] == "flagged":
            assert events.get().flags, "the non-blocking finding is kept on the timeline"


def test_enough_scenarios_run_through_the_service():
    assert len(CHECKS) >= 30
