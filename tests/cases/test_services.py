"""The case services against PostgreSQL: the one transition service, refusals that write nothing,
optimistic versions, party identifiers, fine ranges, no double fine, scoping, the catalog hook."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.cases.conftest import new_item, open_general, run_to_notified
from tests.parties.conftest import add_party
from zhifa.cases import selectors, services
from zhifa.cases.models import Case, CaseEvent, Payment
from zhifa.catalog.references import open_reference_count
from zhifa.core.errors import DomainError, NotFound, PermissionDenied
from zhifa.core.models import AuditEvent
from zhifa.parties.models import Party

DECIDE = {"decision_date": dt.date(2026, 3, 10), "penalties_decided": [{"kind": "fine", "amount": "5000"}]}


def _snapshot(case_id):
    case = Case.objects.get(pk=case_id)
    return (
        case.state,
        case.version,
        case.penalties_decided,
        CaseEvent.objects.filter(case_id=case_id).count(),
        AuditEvent.objects.count(),
    )


def test_full_general_procedure_is_recorded_with_articles(cw):
    case = run_to_notified(cw, open_general(cw))
    assert case.state == "notified" and case.procedure == "general"
    case = services.transition(cw.head, case.pk, "decide", DECIDE)
    assert case.state == "decided" and case.decided_fine == Decimal("5000")
    case = services.transition(cw.user, case.pk, "serve", {"service_date": dt.date(2026, 3, 12)})
    payment = services.record_payment(cw.user, case.pk, Decimal("5000"), dt.date(2026, 3, 20))
    case.refresh_from_db()
    assert case.state == "paid" and payment.surcharge == 0 and case.amount_paid == Decimal("5000")
    actions = list(case.events.exclude(action="").values_list("action", flat=True))
    assert actions == ["file", "start_investigation", "notify", "decide", "serve", "pay"]
    decide = case.events.get(action="decide")
    assert decide.from_state == "notified" and "第五十七条" in decide.article
    event = AuditEvent.objects.get(action="case.decide")
    assert "行政处罚法" in event.legal_basis and event.after["state"] == "decided"


def test_refused_transition_names_article_and_writes_nothing(cw):
    case = run_to_notified(cw, open_general(cw))
    before = _snapshot(case.pk)
    # decided on 3 Mar: the statement-and-defence period (until Thu 5 Mar) is still running, art. 45
    with pytest.raises(DomainError) as exc:
        services.transition(cw.head, case.pk, "decide", {**DECIDE, "decision_date": dt.date(2026, 3, 3)})
    assert any("第四十五条" in r.message or "第六十四条" in r.message for r in exc.value.refusals)
    assert "第" in exc.value.message and exc.value.article in exc.value.message
    assert _snapshot(case.pk) == before


def test_decision_defaults_to_the_notified_penalty(cw):
    case = run_to_notified(cw, open_general(cw), fine="6000")
    case = services.transition(cw.head, case.pk, "decide", {"decision_date": dt.date(2026, 3, 10)})
    assert case.decided_fine == Decimal("6000") and case.penalties_decided == [
        {"kind": "fine", "amount": "6000"}
    ]


def test_out_of_order_transition_refused(cw):
    case = open_general(cw)
    before = _snapshot(case.pk)
    with pytest.raises(DomainError) as exc:
        services.transition(cw.head, case.pk, "decide", DECIDE)
    assert exc.value.code == "transition_not_allowed"
    assert _snapshot(case.pk) == before
    with pytest.raises(DomainError) as exc:
        services.transition(cw.user, case.pk, "serve", {"service_date": dt.date(2026, 3, 12)})
    assert exc.value.code == "transition_not_allowed" and "第六十一条" in exc.value.message


def test_unknown_action_and_unknown_fact_are_field_errors(cw):
    case = open_general(cw)
    with pytest.raises(ValidationError) as exc:
        services.transition(cw.user, case.pk, "fly_away", {})
    assert exc.value.error_dict["action"][0].code == "unknown_action"
    with pytest.raises(ValidationError) as exc:
        services.transition(cw.user, case.pk, "file", {"filing_dat": "2026-02-05"})
    assert exc.value.error_dict["filing_dat"][0].code == "unknown_fact"
    with pytest.raises(ValidationError) as exc:
        services.transition(cw.user, case.pk, "file", {"officers": []})
    assert exc.value.error_dict["officers"][0].code == "derived_fact"
    for bad in (
        {"filing_date": "5 Feb"},
        {"penalties_decided": [{"kind": "lashes"}]},
        {"amount_paid_x": 1},
        {"penalties_decided": "5000"},
        {"penalties_decided": [{"kind": "fine", "amount": "五千"}]},
    ):
        with pytest.raises(ValidationError):
            services.transition(cw.user, case.pk, "file", bad)
    assert Case.objects.get(pk=case.pk).state == "registered"


def test_fine_outside_the_items_statutory_range_refused(cw):
    case = run_to_notified(cw, open_general(cw), fine="5000")
    before = _snapshot(case.pk)
    with pytest.raises(DomainError) as exc:
        services.transition(
            cw.head, case.pk, "decide", {**DECIDE, "penalties_decided": [{"kind": "fine", "amount": "500"}]}
        )
    assert "fine_below_minimum" in [r.code for r in exc.value.refusals]
    assert _snapshot(case.pk) == before


def test_version_conflict_refused(cw):
    case = open_general(cw)
    services.transition(
        cw.head, case.pk, "file", {"filing_date": dt.date(2026, 2, 5)}, expected_version=case.version
    )
    with pytest.raises(DomainError) as exc:
        services.transition(
            cw.user,
            case.pk,
            "start_investigation",
            {"as_of": dt.date(2026, 2, 6)},
            expected_version=case.version,
        )
    assert exc.value.code == "case_version_conflict"
    assert Case.objects.get(pk=case.pk).state == "filed"


def test_party_without_identifier_cannot_be_filed_against(cw):
    person = add_party(cw.world.shangfang, kind=Party.Kind.PERSON, name="无证件人")
    Party.objects.filter(pk=person.pk).update(id_number="")  # legacy row without a number
    person.refresh_from_db()
    with pytest.raises(DomainError) as exc:
        open_general(cw, party=person)
    assert exc.value.code == "party_identifier_missing" and exc.value.field == "party"
    assert not Case.objects.exists()


def test_auxiliary_officer_cannot_be_an_enforcing_officer(cw):
    case = open_general(cw, officers=[cw.world.officer_a])
    with pytest.raises(DomainError) as exc:
        services.assign_officer(cw.user, case.pk, cw.aux.pk)
    assert exc.value.code == "auxiliary_officer"
    services.assign_officer(cw.user, case.pk, cw.aux.pk, assisting=True)  # may assist
    services.transition(cw.head, case.pk, "file", {"filing_date": dt.date(2026, 2, 5)})
    with pytest.raises(DomainError) as exc:  # one officer + an assistant is not two officers (art. 42)
        services.transition(cw.user, case.pk, "start_investigation", {"as_of": dt.date(2026, 2, 6)})
    assert exc.value.code == "too_few_officers" and "第四十二条" in exc.value.message


def test_no_double_fine_for_the_same_act(cw):
    first = run_to_notified(cw, open_general(cw))
    services.transition(cw.head, first.pk, "decide", DECIDE)
    second = run_to_notified(cw, open_general(cw))
    assert second.act_key == first.act_key
    with pytest.raises(DomainError) as exc:
        services.transition(cw.head, second.pk, "decide", DECIDE)
    double = [r for r in exc.value.refusals if r.code == "double_fine"]
    assert double and "第二十九条" in double[0].message
    # a different act date is another act
    third = run_to_notified(cw, open_general(cw, act_date=dt.date(2026, 1, 21)))
    assert services.transition(cw.head, third.pk, "decide", DECIDE).state == "decided"


def test_township_team_sees_only_its_cases(cw):
    mine = open_general(cw)
    theirs = services.open_case(
        cw.user_b, {"party": cw.firm_b, "item": cw.item, "act_date": dt.date(2026, 1, 20)}
    )
    assert list(selectors.case_list(cw.user)) == [mine]
    assert list(selectors.case_list(cw.user_b)) == [theirs]
    assert set(selectors.case_list(cw.command)) == {mine, theirs}
    with pytest.raises(NotFound):
        selectors.case_detail(cw.user, theirs.pk)
    with pytest.raises(NotFound):
        services.transition(cw.user, theirs.pk, "file", {"filing_date": dt.date(2026, 2, 5)})


def test_command_centre_reads_but_does_not_handle(cw):
    case = open_general(cw)
    with pytest.raises(PermissionDenied):
        services.transition(cw.command, case.pk, "file", {"filing_date": dt.date(2026, 2, 5)})


def test_open_case_blocks_retiring_its_item(cw):
    case = open_general(cw)
    assert open_reference_count(cw.item.pk) == 1
    Case.objects.filter(pk=case.pk).update(state="closed")
    assert open_reference_count(cw.item.pk) == 0


def test_item_not_in_force_at_the_act_refused(cw):
    old = new_item(cw.domain, "T9", fine_max="500", effective_to=dt.date(2025, 12, 31))
    with pytest.raises(DomainError) as exc:
        services.open_case(cw.user, {"party": cw.firm, "item": old, "act_date": dt.date(2026, 1, 20)})
    assert exc.value.code == "item_not_in_force" and "第三十七条" in exc.value.message


def test_summary_case_on_the_spot_and_on_spot_collection(cw):
    case = services.open_case(
        cw.user,
        {
            "party": cw.person,
            "item": new_item(cw.domain, "T2", fine_max="200"),
            "act_date": dt.date(2026, 3, 10),
            "discovery_date": dt.date(2026, 3, 10),
            "procedure": "summary",
            "officers": [cw.world.officer_a, cw.second],
        },
    )
    case = services.transition(
        cw.user,
        case.pk,
        "decide_on_spot",
        {
            "decision_date": dt.date(2026, 3, 10),
            "facts_clear": True,
            "penalties_decided": [{"kind": "fine", "amount": "50"}],
        },
    )
    assert case.state == "served"
    services.record_payment(
        cw.user, case.pk, Decimal("50"), dt.date(2026, 3, 10), channel="on_spot", receipt_number="浙财0001"
    )
    case.refresh_from_db()
    assert case.state == "paid" and case.extra_facts["receipt_number"] == "浙财0001"


def test_late_payment_carries_the_surcharge(cw):
    case = run_to_notified(cw, open_general(cw))
    services.transition(cw.head, case.pk, "decide", DECIDE)
    services.transition(cw.user, case.pk, "serve", {"service_date": dt.date(2026, 3, 12)})
    # due 27 Mar; paid 30 Mar: 3 days × 3% × 5,000 = 450 (行政处罚法第七十二条)
    payment = services.record_payment(cw.user, case.pk, Decimal("5000"), dt.date(2026, 3, 30))
    case.refresh_from_db()
    assert case.state == "partly_paid" and payment.surcharge == Decimal("450.00")
    services.record_payment(cw.user, case.pk, Decimal("450"), dt.date(2026, 3, 30))
    case.refresh_from_db()
    assert case.state == "paid"
    with pytest.raises(ValidationError) as exc:
        services.record_payment(cw.user, case.pk, Decimal("1"), dt.date(2026, 3, 30))
    assert exc.value.error_dict["amount"][0].code in {"overpayment"}
    assert Payment.objects.filter(case=case).count() == 2


def test_evidence_keeps_its_hash(cw):
    case = open_general(cw)
    evidence = services.add_evidence(
        cw.user,
        case.pk,
        {"kind": "audiovisual", "description": "执法记录仪视频"},
        content=b"video-bytes",
        filename="v.mp4",
    )
    import hashlib

    assert evidence.sha256 == hashlib.sha256(b"video-bytes").hexdigest()
    with pytest.raises(ValidationError) as exc:
        services.add_evidence(cw.user, case.pk, {"kind": "rumour", "description": "听说"})
    assert "kind" in exc.value.error_dict


def test_remedy_pending_is_a_fact(cw):
    case = run_to_notified(cw, open_general(cw))
    services.transition(cw.head, case.pk, "decide", DECIDE)
    services.record_remedy(cw.user, case.pk, {"kind": "reconsideration", "filed_on": dt.date(2026, 4, 1)})
    case.refresh_from_db()
    assert case.extra_facts["review_or_litigation_pending"] is True
