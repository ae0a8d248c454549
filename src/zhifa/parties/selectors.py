"""Reads of parties, scoped by township: township users see the parties of their township;
district bodies, the command centre and the guidance office see the whole district."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from zhifa.core.errors import NotFound
from zhifa.core.scopes import Scope

from . import rules
from .models import Party, RiskConfig


def visible_parties(scope: Scope) -> QuerySet[Party]:
    """Parties are district-wide master data, not owned by an organisation, so the scope's
    township (not its organisation subtree) decides what a user sees."""
    queryset = Party.objects.all()
    if scope.everything:
        return queryset
    if scope.is_empty:
        return queryset.none()
    if scope.township_region_id:
        return queryset.filter(township_id=scope.township_region_id)
    return queryset


def parties(
    scope: Scope,
    *,
    kind: str | None = None,
    township_id: int | None = None,
    risk_color: str | None = None,
    industry: str | None = None,
    q: str | None = None,
) -> QuerySet[Party]:
    """The party list with its filters; ``q`` matches part of the name or the start of the USCC."""
    queryset = visible_parties(scope).select_related("township")
    if kind:
        queryset = queryset.filter(kind=kind)
    if township_id:
        queryset = queryset.filter(township_id=township_id)
    if risk_color:
        queryset = queryset.filter(risk_color=risk_color)
    if industry:
        queryset = queryset.filter(industry=industry)
    q = (q or "").strip()
    if q:
        queryset = queryset.filter(Q(name__contains=q) | Q(uscc__startswith=q.upper()))
    return queryset.order_by("name", "pk")


def party_detail(scope: Scope, party_id: int) -> Party:
    party = visible_parties(scope).select_related("township").filter(pk=party_id).first()
    if party is None:
        raise NotFound()
    return party


def risk_color_counts(scope: Scope) -> dict[str, int]:
    """Parties per colour within the scope, green to red, in one aggregate."""
    row = visible_parties(scope).aggregate(**{c: Count("pk", filter=Q(risk_color=c)) for c in rules.COLORS})
    return {c: row[c] for c in rules.COLORS}


def active_risk_config_row() -> RiskConfig | None:
    return RiskConfig.objects.filter(is_active=True).first()


def active_risk_config() -> rules.RiskConfig:
    """The credit rules in force: the active row, or the defaults when none was set."""
    row = active_risk_config_row()
    return row.as_rules() if row is not None else rules.RiskConfig()


def pending_risk_configs() -> QuerySet[RiskConfig]:
    """Credit rules set to come into force on a later date (the nightly task activates them)."""
    return RiskConfig.objects.filter(is_active=False, activated_at__isnull=True).order_by(
        "effective_from", "pk"
    )


def risk_config_history() -> QuerySet[RiskConfig]:
    """Every version that was in force, newest first."""
    return (
        RiskConfig.objects.filter(activated_at__isnull=False)
        .select_related("created_by")
        .order_by("-activated_at", "-pk")
    )
