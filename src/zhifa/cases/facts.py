"""From database rows to ``rules.CaseFacts`` and back.

``build_facts(case, data)`` is the one place that knows how the rows of a case feed the guards:
the case's own columns and ``extra_facts``, the related rows (party, item, officers, other fines of
the same act) and the acts of authority (legal reviews, deliberations, waivers, approvals, court
rulings, consents, remedies). Facts of the last two kinds are always recomputed from the rows, so
no caller can set them; ``data`` holds only what an action's command sets. ``apply_facts`` writes
the facts back onto the case (the derived ones too, as a cache the supervision rules read in SQL).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Max, Sum
from django.utils import timezone

from zhifa.core.audit import jsonable
from zhifa.core.validators import id_number_birth_date

from . import rules
from .models import (
    FINED_STATES,
    Approval,
    Case,
    CourtRuling,
    Deliberation,
    Document,
    EServiceConsent,
    LegalReview,
    RemedyOutcome,
    ReviewCatalogueEntry,
    Waiver,
)

#: Facts read from related rows (party, item, officers, other cases, the body).
RELATED = frozenset(
    {
        "party_kind",
        "party_birth_date",
        "domain",
        "officers",
        "fine_range",
        "existing_fines_same_act",
        "procedure",
        "own_execution_power",
        "last_step_on",
    }
)
#: Facts that only an act of authority creates (第五十七条、第五十八条、第六十一条、第六十二条、第六十六条…).
FROM_ACTS = frozenset(
    {
        "legal_review_passed",
        "review_required_by_law",
        "collective_deliberation_done",
        "rights_waived_on",
        "waiver_record",
        "hearing_waived",
        "deferral_approved",
        "deferred_until",
        "surcharge_remitted",
        "extensions",
        "enforcement_concluded",
        "review_or_litigation_pending",
        "remedy_periods",
        "electronic_service_consent",
        "criminal_referral_pending",
    }
)
DERIVED = RELATED | FROM_ACTS
FACT_NAMES = frozenset(f.name for f in dataclasses.fields(rules.CaseFacts))
COLUMNS = (
    frozenset(f.name for f in Case._meta.get_fields() if getattr(f, "concrete", False)) & FACT_NAMES - RELATED
)
#: Facts that belong to one action only (never stored): the date the caller acts "as of".
TRANSIENT = frozenset({"as_of"})
EXTRA = FACT_NAMES - COLUMNS - RELATED - TRANSIENT
#: Set by the platform itself (the discretion check; a decision changed or revoked after
#: reconsideration or litigation, 第四十八条), never by a caller; kept when the facts are rewritten.
SYSTEM_FLAGS = ("review_required_by_discretion", "decision_change", "decision_changed_on")

#: Timeline events that are steps of the procedure (the order of dates is checked against them).
STEP_ACTIONS = tuple(a.value for a in rules.Action)

PARTY_KINDS = {
    "enterprise": rules.PartyKind.LEGAL_PERSON,
    "individual_business": rules.PartyKind.INDIVIDUAL_BUSINESS,
    "person": rules.PartyKind.CITIZEN,
}


def _officer_on_case(row, on: dt.date | None) -> rules.OfficerOnCase:
    officer = row.officer
    certificates = sorted(officer.certificates.all(), key=lambda c: c.valid_to, reverse=True)
    usable = [c for c in certificates if on is None or c.is_valid_on(on)]
    cert = (usable or certificates or [None])[0]
    status = {"active": "valid"}.get(cert.status, cert.status) if cert else "valid"
    return rules.OfficerOnCase(
        id=str(officer.pk),
        name=officer.name,
        kind=officer.kind,
        certificate_number=cert.number if cert else None,
        certificate_valid_from=cert.valid_from if cert else None,
        certificate_valid_to=cert.valid_to if cert else None,
        certificate_status=status,
        certificate_domains=tuple(cert.domains) if cert else (),
        assisting=row.assisting,
    )


def _officer_rows(case: Case):
    """The case's officers with their certificates: the prefetched rows when the caller prefetched
    them, otherwise two queries (no query per officer)."""
    if "case_officers" in getattr(case, "_prefetched_objects_cache", {}):
        return case.case_officers.all()
    return case.case_officers.select_related("officer").prefetch_related("officer__certificates")


def existing_fines(case: Case) -> tuple[str, ...]:
    """Art. 29: decided fines of *other* cases for the same act (same item, party and act date)."""
    others = (
        Case.objects.filter(act_key=case.act_key, state__in=FINED_STATES, decided_fine__gt=0)
        .exclude(pk=case.pk)
        .values_list("pk", "number")
    )
    if not others:
        return ()
    numbers = dict(
        Document.objects.filter(
            case_id__in=[pk for pk, _ in others], kind__in=("decision", "summary_decision")
        ).values_list("case_id", "number")
    )
    return tuple(numbers.get(pk) or number or f"案件{pk}" for pk, number in others)


def _fine_range(item) -> rules.FineRange | None:
    if item.fine_min is None and item.fine_max is None:
        return None
    bases = "；".join(f"《{b.law}》{b.article}{b.clause}" for b in item.legal_bases.all())
    return rules.FineRange(minimum=item.fine_min, maximum=item.fine_max, basis=bases)


def review_snapshot(case: Case) -> dict[str, Any]:
    """What a legal review reviews: the intended penalty as told in the notice of that date."""
    return jsonable({"notice_date": case.notice_date, "penalties_intended": case.penalties_intended})


def catalogue_entries(
    case: Case, penalties: tuple[rules.Penalty, ...] | None = None, hearing_held: bool | None = None
) -> list[ReviewCatalogueEntry]:
    """The lines of the body's 重大执法决定法制审核目录 (三项制度) the intended penalty falls under."""
    if penalties is None:
        penalties = tuple(rules.Penalty(**p) for p in case.penalties_intended)
    if hearing_held is None:
        hearing_held = case.hearing_held_on is not None
    body = case.organization.body()
    fine = rules.fine_total(penalties)
    confiscated = sum(
        (
            p.amount or Decimal("0")
            for p in penalties
            if p.kind in (rules.PenaltyKind.CONFISCATE_GAINS, rules.PenaltyKind.CONFISCATE_PROPERTY)
        ),
        Decimal("0"),
    )
    kinds = {p.kind.value for p in penalties}
    return [
        entry
        for entry in ReviewCatalogueEntry.objects.filter(organization=body, is_active=True)
        if (entry.kind == entry.Kind.ALL_GENERAL and case.procedure == "general")
        or (entry.kind == entry.Kind.PENALTY_KIND and entry.penalty_kind in kinds)
        or (entry.kind == entry.Kind.FINE_AT_LEAST and entry.amount is not None and fine >= entry.amount)
        or (
            entry.kind == entry.Kind.CONFISCATION_AT_LEAST
            and entry.amount is not None
            and confiscated >= entry.amount
        )
        or (entry.kind == entry.Kind.HEARING_HELD and hearing_held)
    ]


def catalogue_requires_review(case: Case, penalties: tuple[rules.Penalty, ...], hearing_held: bool) -> bool:
    return bool(catalogue_entries(case, penalties, hearing_held))


def catalogue_district_level(case: Case) -> bool:
    """区乡案件分类分级审核: a line marked for the district centre sends the case there."""
    return any(entry.district_level for entry in catalogue_entries(case))


#: Other apps' acts on a case that feed its facts, ``source(case) -> {fact: value}`` with facts of
#: ``FROM_ACTS`` only (e.g. a criminal referral under way, 移送规定第十一条). Registered from their ``ready``.
ACT_FACT_SOURCES: list = []


def register_act_facts(source) -> None:
    if source not in ACT_FACT_SOURCES:
        ACT_FACT_SOURCES.append(source)


def acts_of_authority(case: Case, facts: rules.CaseFacts) -> dict[str, Any]:
    """The facts only acts of authority create, read from their rows."""
    out: dict[str, Any] = {}
    review = (
        LegalReview.objects.filter(case=case, status=LegalReview.Status.DONE)
        .order_by("-reviewed_at", "-id")
        .first()
    )
    out["legal_review_passed"] = bool(
        review and review.result == LegalReview.Result.PASSED and review.proposal == review_snapshot(case)
    )
    out["review_required_by_law"] = bool(
        case.extra_facts.get("review_required_by_discretion")
    ) or catalogue_requires_review(case, facts.penalties_intended, facts.hearing_held_on is not None)
    deliberation = Deliberation.objects.filter(case=case).order_by("-held_on", "-id").first()
    out["collective_deliberation_done"] = bool(
        deliberation and deliberation.conclusion != Deliberation.Conclusion.FURTHER_INVESTIGATION
    )
    waiver = Waiver.objects.filter(case=case).order_by("-signed_on", "-id").first()
    if waiver is not None:
        out["rights_waived_on"] = waiver.signed_on if waiver.waives_statement else None
        out["waiver_record"] = f"{waiver.get_method_display()}（{waiver.document_sha256[:12] or waiver.pk}）"
        out["hearing_waived"] = waiver.waives_hearing
    approved = Approval.objects.filter(case=case, status=Approval.Status.APPROVED)
    deferral = approved.filter(kind=Approval.Kind.DEFERRAL).order_by("-decided_at", "-id").first()
    if deferral is not None:
        out["deferral_approved"] = True
        out["deferred_until"] = dt.date.fromisoformat(deferral.proposal["deferred_until"])
    remitted = Decimal("0")
    extensions = []
    for approval in approved.filter(kind__in=(Approval.Kind.REMISSION, Approval.Kind.EXTENSION)).order_by(
        "id"
    ):
        if approval.kind == Approval.Kind.REMISSION:
            remitted += Decimal(str(approval.proposal["amount"]))
        else:
            extensions.append(
                rules.Extension(
                    days=int(approval.proposal["days"]),
                    basis=approval.proposal["basis"],
                    approved_on=approval.decided_on,
                )
            )
    out["surcharge_remitted"] = remitted
    out["extensions"] = tuple(extensions)
    out["enforcement_concluded"] = CourtRuling.objects.filter(
        case=case, result__in=(CourtRuling.Result.CONCLUDED, CourtRuling.Result.TERMINATED)
    ).exists()
    remedies = list(RemedyOutcome.objects.filter(case=case).values_list("filed_on", "decided_on", "outcome"))
    out["review_or_litigation_pending"] = any(
        outcome == RemedyOutcome.Outcome.PENDING for _, _, outcome in remedies
    )
    out["remedy_periods"] = tuple((filed, decided) for filed, decided, _ in remedies)
    served = facts.service_date or facts.as_of or timezone.localdate()
    out["electronic_service_consent"] = any(
        consent.covers(served)
        for consent in EServiceConsent.objects.filter(
            party_id=case.party_id, organization=case.organization.body()
        )
    )
    for source in ACT_FACT_SOURCES:
        out.update({name: value for name, value in source(case).items() if name in FROM_ACTS})
    return out


def build_facts(case: Case, data: dict[str, Any] | None = None) -> rules.CaseFacts:
    """The facts of ``case`` as stored, overlaid with the (not yet stored) ``data`` of an action.
    ``data`` may not name a derived fact (those come from rows)."""
    data = dict(data or {})
    refused = set(data) & DERIVED
    if refused:
        raise ValueError(f"derived facts cannot be given: {sorted(refused)}")
    raw: dict[str, Any] = {
        name: case.extra_facts[name] for name in EXTRA - FROM_ACTS if name in case.extra_facts
    }
    raw.update({name: getattr(case, name) for name in COLUMNS - FROM_ACTS})
    raw.update(data)
    facts = rules.CaseFacts.from_dict(raw)
    party = case.party
    birth = None
    if party.kind == "person" and party.id_number:
        try:
            birth = id_number_birth_date(party.id_number)
        except Exception:  # noqa: BLE001 — an invalid number simply gives no birth date
            birth = None
    on = facts.as_of or facts.decision_date or facts.filing_date
    last = (
        case.events.filter(action__in=[*STEP_ACTIONS, ""]).aggregate(last=Max("on"))["last"]
        if case.pk
        else None
    )
    facts = facts.replace(
        procedure=rules.Procedure(case.procedure),
        party_kind=PARTY_KINDS[party.kind],
        party_birth_date=birth,
        domain=case.item.domain.name if case.item.domain_id else None,
        officers=tuple(_officer_on_case(row, on) for row in _officer_rows(case)),
        fine_range=_fine_range(case.item),
        existing_fines_same_act=existing_fines(case),
        own_execution_power=case.organization.body().compulsory_execution_power,
        last_step_on=last,
    )
    return facts.replace(**acts_of_authority(case, facts)) if case.pk else facts


def _penalties_json(penalties) -> list[dict[str, Any]]:
    return [
        {
            k: v
            for k, v in {
                "kind": p.kind.value,
                "amount": str(p.amount) if p.amount is not None else None,
                "duration_days": p.duration_days,
            }.items()
            if v is not None
        }
        for p in penalties
    ]


def apply_facts(case: Case, facts: rules.CaseFacts) -> None:
    """Write ``facts`` back onto ``case`` (not saved)."""
    for name in COLUMNS:
        value = getattr(facts, name)
        if name in ("penalties_intended", "penalties_decided"):
            value = _penalties_json(value)
        elif name == "notice_contents":
            value = sorted(value)
        elif name == "extensions":
            value = jsonable([dataclasses.asdict(e) for e in value])
        setattr(case, name, value)
    extra = {name: case.extra_facts[name] for name in SYSTEM_FLAGS if name in case.extra_facts}
    defaults = rules.CaseFacts()
    for name in sorted(EXTRA):
        value = getattr(facts, name)
        if value != getattr(defaults, name):
            if dataclasses.is_dataclass(value):
                value = dataclasses.asdict(value)
            extra[name] = jsonable(value)
    case.extra_facts = extra
    case.decided_fine = rules.fine_total(facts.penalties_decided) or Decimal("0")


def amount_paid(case: Case) -> Decimal:
    return case.payments.aggregate(total=Sum("amount"))["total"] or Decimal("0")
