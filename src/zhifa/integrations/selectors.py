"""Reads of the integrations, scoped through the access policy."""

from __future__ import annotations

from django.db.models import QuerySet

from zhifa.core import access

from .models import Delivery, LicenceApproval, PostApprovalCheck


def deliveries(actor, state: str | None = None) -> QuerySet[Delivery]:
    rows = access.visible_to(actor, Delivery).select_related("subscriber", "incident")
    return (rows.filter(state=state) if state else rows).order_by("-created_at", "-pk")


def post_approval_checks(
    actor, state: str | None = PostApprovalCheck.State.OPEN
) -> QuerySet[PostApprovalCheck]:
    """The inspector's queue: his body's post-approval checks, nearest deadline first."""
    rows = access.visible_to(actor, PostApprovalCheck).select_related(
        "approval", "organization", "approval__item"
    )
    return (rows.filter(state=state) if state else rows).order_by("deadline", "pk")


def approvals_of_party(actor, party_id: int) -> list[LicenceApproval]:
    return list(
        access.visible_to(actor, LicenceApproval)
        .filter(party_id=party_id)
        .select_related("post_check", "supervising_org", "item")
        .order_by("-approved_on", "-pk")
    )
