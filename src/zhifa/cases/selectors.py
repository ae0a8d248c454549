"""Reads of penalty cases, always through the access policy (``access.visible_to``): a township
team sees its own cases, a legal reviewer the cases submitted to him, the head his approvals."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Avg, Count, F, Prefetch, Q, QuerySet

from zhifa.core import access
from zhifa.core.scopes import Scope
from zhifa.organizations.models import Certificate

from .access import APPROVAL_PERMISSION
from .models import Approval, Case, CaseOfficer, LegalReview


def open_cases_for_item(item_id: int) -> int:
    """Open-reference checker for the catalog: an item cited by an open case cannot be retired."""
    return Case.objects.open().filter(item_id=item_id).count()


def _visible(user, scope: Scope | None):
    return scope.filter(Case.objects.all()) if scope is not None else access.visible_to(user, Case)


def case_list(user, *, state: str = "", q: str = "", scope: Scope | None = None) -> QuerySet[Case]:
    cases = _visible(user, scope).select_related("organization", "party", "item")
    if state:
        cases = cases.filter(state=state)
    if q:
        cases = cases.filter(Q(number__icontains=q) | Q(party__name__icontains=q))
    return cases.order_by("-created_at", "-id")


def case_detail(user, case_id, scope: Scope | None = None) -> Case:
    queryset = (
        _visible(user, scope)
        .select_related("organization", "party", "item__domain")
        .prefetch_related(
            Prefetch(
                "case_officers",
                CaseOfficer.objects.select_related("officer").prefetch_related(
                    Prefetch("officer__certificates", Certificate.objects.all())
                ),
            ),
            "events__actor",
            "evidence",
            "documents",
            "payments",
            "remedies",
            "item__legal_bases",
            "approvals__requested_by",
            "approvals__decided_by",
            "legal_reviews__reviewer",
            "deliberations__participants",
            "waivers",
            "court_rulings",
        )
    )
    return access.get_visible(user, queryset, case_id)


def case_record(user, case_id, scope: Scope | None = None) -> Case:
    """The case with what the API's case detail shows (events, documents, evidence): four
    queries, where ``case_detail`` also loads the officers, certificates, payments, remedies and
    legal bases the case page shows."""
    queryset = (
        _visible(user, scope)
        .select_related("organization", "party", "item")
        .prefetch_related("events", "evidence", "documents")
    )
    return access.get_visible(user, queryset, case_id)


# ---- the head's inbox ---------------------------------------------------------------------------


def approvals_inbox(user) -> list[Approval]:
    """Approvals waiting for this user: pending, in his scope, of a kind he may approve (as head
    or by delegation), oldest first."""
    pending = (
        access.visible_to(user, Approval)
        .filter(status=Approval.Status.PENDING)
        .select_related("case__party", "case__item", "case__organization", "requested_by")
        .order_by("requested_at", "id")
    )
    return [a for a in pending if access.can(user, APPROVAL_PERMISSION[a.kind], a.case)]


# ---- the legal review queue ----------------------------------------------------------------------


def review_queue(user, *, mine: bool = False) -> QuerySet[LegalReview]:
    """Reviews waiting or in hand that this reviewer may perform, the nearest due date first."""
    reviews = (
        access.visible_to(user, LegalReview)
        .filter(status__in=(LegalReview.Status.WAITING, LegalReview.Status.IN_REVIEW))
        .select_related(
            "case__party", "case__item", "case__organization", "reviewer", "centre", "submitted_by"
        )
        .order_by("due_on", "submitted_at")
    )
    if mine:
        reviews = reviews.filter(reviewer=user)
    return reviews


@dataclass(frozen=True)
class ReviewStats:
    label: str
    reviewed: int
    passed: int
    returned: int
    not_passed: int
    average_days: float | None


def review_statistics(user, since: dt.date | None = None) -> dict[str, list[ReviewStats]]:
    """Reviewed, returned, not passed and average days — per body and per reviewer (条例第二十四条)."""
    done = access.visible_to(user, LegalReview).filter(status=LegalReview.Status.DONE)
    if since:
        done = done.filter(reviewed_on__gte=since)
    aggregates = {
        "reviewed": Count("id"),
        "passed": Count("id", filter=Q(result="passed")),
        "returned": Count("id", filter=Q(result="returned")),
        "not_passed": Count("id", filter=Q(result__in=("not_passed", "changes"))),
        "average_days": Avg(F("reviewed_on") - F("submitted_on")),
    }

    def rows(key: str, label: str) -> list[ReviewStats]:
        out = []
        for row in done.values(key, label).annotate(**aggregates).order_by(label):
            days = row["average_days"]
            out.append(
                ReviewStats(
                    row[label] or "—",
                    row["reviewed"],
                    row["passed"],
                    row["returned"],
                    row["not_passed"],
                    round(days.days + days.seconds / 86400, 1) if days is not None else None,
                )
            )
        return out

    return {
        "bodies": rows("case__organization", "case__organization__name"),
        "reviewers": rows("reviewer", "reviewer__display_name"),
    }
