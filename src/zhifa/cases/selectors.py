"""Reads of penalty cases, always through a ``Scope``: a township team sees its own cases."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from zhifa.core.errors import NotFound
from zhifa.core.scopes import Scope
from zhifa.organizations.models import Certificate

from .models import Case, CaseOfficer


def open_cases_for_item(item_id: int) -> int:
    """Open-reference checker for the catalog: an item cited by an open case cannot be retired."""
    return Case.objects.open().filter(item_id=item_id).count()


def case_list(user, *, state: str = "", q: str = "", scope: Scope | None = None) -> QuerySet[Case]:
    scope = scope or Scope.for_user(user)
    cases = scope.filter(Case.objects.all()).select_related("organization", "party", "item")
    if state:
        cases = cases.filter(state=state)
    if q:
        cases = cases.filter(number__icontains=q) | cases.filter(party__name__icontains=q)
    return cases.order_by("-created_at", "-id")


def case_detail(user, case_id: int, scope: Scope | None = None) -> Case:
    scope = scope or Scope.for_user(user)
    case = (scope.filter(Case.objects.all())
            .select_related("organization", "party", "item__domain")
            .prefetch_related(Prefetch("case_officers", CaseOfficer.objects.select_related("officer")
                                       .prefetch_related(Prefetch("officer__certificates", Certificate.objects.all()))),
                              "events__actor", "evidence", "documents", "payments", "remedies", "item__legal_bases")
            .filter(pk=case_id).first())
    if case is None:
        raise NotFound()
    return case


def case_record(user, case_id: int, scope: Scope | None = None) -> Case:
    """The case with what the API's case detail shows (events, documents, evidence): four
    queries, where ``case_detail`` also loads the officers, certificates, payments, remedies and
    legal bases the case page shows."""
    scope = scope or Scope.for_user(user)
    case = (scope.filter(Case.objects.all()).select_related("organization", "party", "item")
            .prefetch_related("events", "evidence", "documents").filter(pk=case_id).first())
    if case is None:
        raise NotFound()
    return case
