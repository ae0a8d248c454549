"""Reads of the public portal. Public reads need no scope (what they return was published);
staff reads are scoped with ``Scope`` like every other app."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from zhifa.cases.models import FINED_STATES, Case, RemedyOutcome
from zhifa.core.calendars import district_calendar
from zhifa.core.errors import NotFound
from zhifa.core.scopes import Scope
from zhifa.dispatch.models import Incident, IncidentEvent
from zhifa.inspections.models import RandomDraw

from . import rules
from .models import PublishedDecision


def published_decisions(
    *, q: str = "", item: str = "", date_from: dt.date | None = None, date_to: dt.date | None = None
) -> QuerySet[PublishedDecision]:
    """Published and not withdrawn, newest decision first; ``q`` matches the party as published
    (masked names match their masked form only) or the document number; ``item`` the item's code
    or name."""
    qs = PublishedDecision.objects.visible()
    if q:
        qs = qs.filter(
            Q(party_label__icontains=q) | Q(document_number__icontains=q) | Q(snapshot__party__uscc=q.upper())
        )
    if item:
        qs = qs.filter(Q(item_code__icontains=item) | Q(item_name__icontains=item))
    if date_from:
        qs = qs.filter(decision_date__gte=date_from)
    if date_to:
        qs = qs.filter(decision_date__lte=date_to)
    return qs.order_by("-decision_date", "-pk")


def withdrawn_decisions(limit: int = 50) -> QuerySet[PublishedDecision]:
    """Withdrawn publications with their reasons (第四十八条第二款: 公开说明理由)."""
    return PublishedDecision.objects.filter(withdrawn_at__isnull=False).order_by("-withdrawn_at")[:limit]


def published_decision(publication_id: int) -> PublishedDecision:
    publication = PublishedDecision.objects.filter(pk=publication_id).first()
    if publication is None:
        raise NotFound()
    return publication


def published_draws() -> QuerySet[RandomDraw]:
    """一公开: every published random draw, newest first."""
    return (
        RandomDraw.objects.filter(published_at__isnull=False)
        .select_related("plan__department")
        .order_by("-published_at")
    )


def tracked_incident(code: str) -> Incident:
    """The incident of a tracking code, with its timeline; no scope: the code is the reporter's key."""
    code = (code or "").strip().upper()
    incident = (
        Incident.objects.select_related("responsible_org", "township", "merged_into")
        .prefetch_related(
            Prefetch("events", IncidentEvent.objects.select_related("organization").order_by("at", "pk"))
        )
        .filter(tracking_code=code)
        .first()
        if code
        else None
    )
    if incident is None:
        raise NotFound("查询码不存在，请核对后重新输入")
    return incident


# ---- staff -------------------------------------------------------------------------------------


def decided_cases(scope: Scope, *, published: bool | None = None) -> QuerySet[Case]:
    """Decided penalty cases in scope with their publication (if any), newest decision first."""
    qs = scope.filter(
        Case.objects.filter(state__in=FINED_STATES, decision_date__isnull=False)
    ).select_related("organization", "party", "item", "publication")
    if published is True:
        qs = qs.filter(publication__isnull=False)
    elif published is False:
        qs = qs.filter(publication__isnull=True)
    return qs.order_by("-decision_date", "-pk")


@dataclass(frozen=True)
class DueWithdrawal:
    publication: PublishedDecision
    outcome: RemedyOutcome
    due: dt.date
    overdue: bool


def withdrawals_due(scope: Scope, today: dt.date) -> list[DueWithdrawal]:
    """Published decisions later changed, revoked or confirmed illegal and not yet withdrawn,
    with the last day to withdraw (行政处罚法第四十八条第二款: three working days, 第八十五条)."""
    publications = (
        scope.filter(PublishedDecision.objects.visible(), "case__organization")
        .filter(case__remedies__outcome__in=sorted(rules.WITHDRAW_OUTCOMES))
        .distinct()
        .select_related("case")
        .prefetch_related("case__remedies")
    )
    calendar = district_calendar()
    rows = []
    for publication in publications:
        outcomes = [r for r in publication.case.remedies.all() if r.outcome in rules.WITHDRAW_OUTCOMES]
        outcome = min(outcomes, key=lambda r: r.decided_on or r.filed_on)
        due = rules.withdrawal_due(outcome.decided_on or outcome.filed_on, calendar)
        rows.append(DueWithdrawal(publication, outcome, due, today > due))
    return sorted(rows, key=lambda row: row.due)
