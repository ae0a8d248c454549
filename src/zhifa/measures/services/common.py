"""What every measures service shares: today's date and time, the case and the record locked for
the write, officers on site, a refusal raised as the error the views and the API show."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from zhifa.cases.models import Case
from zhifa.cases.services.common import locked_case, today, user_of
from zhifa.core import access
from zhifa.core.calendars import district_calendar
from zhifa.core.errors import DomainError
from zhifa.organizations.models import Officer

from .. import rules

__all__ = [
    "before_decision",
    "calendar",
    "locked_case",
    "locked_record",
    "now",
    "officers_on_site",
    "raise_if",
    "today",
    "user_of",
]

#: States in which a case is still investigated: measures and referrals start only then
#: (行政处罚法第五十五条、第五十六条; 行政强制法第十八条; 行政处罚法第二十七条).
BEFORE_DECISION = frozenset(
    {"registered", "filed", "investigating", "notified", "hearing", "heard", "legal_review", "deliberation"}
)


def now() -> dt.datetime:
    return timezone.now()


def calendar():
    return district_calendar()


def raise_if(refusal: rules.Refusal | None) -> None:
    if refusal is not None:
        raise DomainError(refusal.code, refusal.message, refusal.field)


def before_decision(case: Case, what: str, basis: str) -> None:
    if case.state not in BEFORE_DECISION:
        raise DomainError("case_state", f"案件处于“{case.state_label}”，不能{what}（{basis}）", "case")


def locked_record(actor, model, pk, permission: str):
    """The record (404 outside the actor's scope), its case locked and the permission checked,
    then the record locked: one act at a time on a case."""
    record = access.get_visible(actor, model, pk)
    case = locked_case(actor, record.case_id, permission)
    return model.objects.select_for_update().get(pk=record.pk), case


def officers_on_site(actor, ids: list[int], on: dt.date, refs=None) -> list[Officer]:
    """The officers named, resolved through the actor's scope, checked for the day of the act."""
    officers = [
        access.get_visible(
            actor, Officer.objects.prefetch_related("certificates"), pk, input_field="officer_ids"
        )
        for pk in dict.fromkeys(ids)
    ]
    facts = []
    for officer in officers:
        usable = sorted(
            (c for c in officer.certificates.all() if c.is_valid_on(on)), key=lambda c: c.valid_to
        )
        cert = usable[-1] if usable else None
        facts.append(
            rules.OfficerOnSite(
                name=officer.name,
                kind=officer.kind,
                certificate_number=cert.number if cert else None,
                certificate_valid_from=cert.valid_from if cert else None,
                certificate_valid_to=cert.valid_to if cert else None,
                certificate_status=cert.status if cert else "none",
            )
        )
    kwargs = {"refs": refs} if refs else {}
    raise_if(rules.officers_refusal(facts, on, **kwargs))
    return officers


def need_witness(party_present: bool, witness: str, refs) -> None:
    # 行政强制法第十八条第九项: the party absent, a witness is invited and signs the record.
    if not party_present and not witness.strip():
        raise_if(
            rules.refuse(
                "witness_missing", refs, "当事人不到场的，应当邀请见证人到场并在笔录上签名", "witness"
            )
        )
