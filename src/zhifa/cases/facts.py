"""From database rows to ``rules.CaseFacts`` and back.

``build_facts(case)`` is the one place that knows how the columns of ``Case`` feed the guards;
``apply_facts(case, facts)`` writes changed facts back. Columns carry the ``CaseFacts`` field
names; everything else of ``CaseFacts`` lives in ``Case.extra_facts`` (JSON, ISO dates)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

from zhifa.core.audit import jsonable
from zhifa.core.validators import id_number_birth_date

from . import rules
from .models import FINED_STATES, Case, Document

#: Facts derived from related rows, never taken from a caller's data.
DERIVED = frozenset({"party_kind", "party_birth_date", "domain", "officers", "fine_range",
                     "existing_fines_same_act", "procedure"})
FACT_NAMES = frozenset(f.name for f in dataclasses.fields(rules.CaseFacts))
COLUMNS = frozenset(f.name for f in Case._meta.get_fields() if getattr(f, "concrete", False)) & FACT_NAMES - DERIVED
#: Facts that belong to one action only (never stored): the date the caller acts "as of".
TRANSIENT = frozenset({"as_of"})
EXTRA = FACT_NAMES - COLUMNS - DERIVED - TRANSIENT

PARTY_KINDS = {"enterprise": rules.PartyKind.LEGAL_PERSON, "individual_business": rules.PartyKind.INDIVIDUAL_BUSINESS,
               "person": rules.PartyKind.CITIZEN}


def _officer_on_case(row, on: dt.date | None) -> rules.OfficerOnCase:
    officer = row.officer
    certificates = sorted(officer.certificates.all(), key=lambda c: c.valid_to, reverse=True)
    usable = [c for c in certificates if on is None or c.is_valid_on(on)]
    cert = (usable or certificates or [None])[0]
    status = {"active": "valid"}.get(cert.status, cert.status) if cert else "valid"
    return rules.OfficerOnCase(
        id=str(officer.pk), name=officer.name, kind=officer.kind,
        certificate_number=cert.number if cert else None,
        certificate_valid_from=cert.valid_from if cert else None,
        certificate_valid_to=cert.valid_to if cert else None,
        certificate_status=status, certificate_domains=tuple(cert.domains) if cert else (),
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
    others = (Case.objects.filter(act_key=case.act_key, state__in=FINED_STATES, decided_fine__gt=0)
              .exclude(pk=case.pk).values_list("pk", "number"))
    if not others:
        return ()
    numbers = dict(Document.objects.filter(case_id__in=[pk for pk, _ in others],
                                           kind__in=("decision", "summary_decision")).values_list("case_id", "number"))
    return tuple(numbers.get(pk) or number or f"案件{pk}" for pk, number in others)


def _fine_range(item) -> rules.FineRange | None:
    if item.fine_min is None and item.fine_max is None:
        return None
    bases = "；".join(f"《{b.law}》{b.article}{b.clause}" for b in item.legal_bases.all())
    return rules.FineRange(minimum=item.fine_min, maximum=item.fine_max, basis=bases)


def build_facts(case: Case, data: dict[str, Any] | None = None) -> rules.CaseFacts:
    """The facts of ``case`` as stored, overlaid with the (not yet stored) ``data`` of an action."""
    raw: dict[str, Any] = {name: case.extra_facts[name] for name in EXTRA if name in case.extra_facts}
    raw.update({name: getattr(case, name) for name in COLUMNS})
    raw.update(data or {})
    facts = rules.CaseFacts.from_dict({k: v for k, v in raw.items() if k not in DERIVED})
    party = case.party
    birth = None
    if party.kind == "person" and party.id_number:
        try:
            birth = id_number_birth_date(party.id_number)
        except Exception:  # noqa: BLE001 — an invalid number simply gives no birth date
            birth = None
    on = facts.as_of or facts.decision_date or facts.filing_date
    return facts.replace(
        procedure=rules.Procedure(case.procedure),
        party_kind=PARTY_KINDS[party.kind],
        party_birth_date=birth,
        domain=case.item.domain.name if case.item.domain_id else None,
        officers=tuple(_officer_on_case(row, on) for row in _officer_rows(case)),
        fine_range=_fine_range(case.item),
        existing_fines_same_act=existing_fines(case),
    )


def clean_data(data: dict[str, Any]) -> dict[str, Any]:
    """Only facts a caller may set; unknown names are an error (a typo must not pass silently)."""
    unknown = set(data) - FACT_NAMES
    if unknown:
        from django.core.exceptions import ValidationError
        raise ValidationError({sorted(unknown)[0]: ValidationError("未知的案件事实字段", code="unknown_fact")})
    refused = set(data) & DERIVED
    if refused:
        from django.core.exceptions import ValidationError
        name = sorted(refused)[0]
        raise ValidationError({name: ValidationError("该事实由案件关联数据得出，不能直接填写", code="derived_fact")})
    from django.core.exceptions import ValidationError
    for name in ("penalties_intended", "penalties_decided", "officers", "extensions"):
        value = data.get(name)
        if value is not None and (not isinstance(value, (list, tuple)) or not all(isinstance(v, dict) for v in value)):
            raise ValidationError({name: ValidationError("应为对象列表，如 [{\"kind\": \"fine\", \"amount\": \"500\"}]",
                                                         code="invalid_fact")})
    for name, value in data.items():  # type check of every value (dates, amounts, enums)
        try:
            rules.CaseFacts.from_dict({name: value})
        except (ValueError, TypeError, ArithmeticError, KeyError) as exc:
            raise ValidationError({name: ValidationError(f"格式不正确：{exc}", code="invalid_fact")}) from None
    return data


def _penalties_json(penalties) -> list[dict[str, Any]]:
    return [{k: v for k, v in {"kind": p.kind.value, "amount": str(p.amount) if p.amount is not None else None,
                               "duration_days": p.duration_days}.items() if v is not None} for p in penalties]


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
    extra = {}
    defaults = rules.CaseFacts()
    for name in sorted(EXTRA):
        value = getattr(facts, name)
        if value != getattr(defaults, name):
            if dataclasses.is_dataclass(value):
                value = dataclasses.asdict(value)
            extra[name] = jsonable(value)
    case.extra_facts = extra
    case.decided_fine = rules.fine_total(facts.penalties_decided) or Decimal("0")
