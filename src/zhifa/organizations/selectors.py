"""Reads of the roster, each scoped to the user (core.scopes).

Articles: 行政处罚法第四十二条、第五十五条 (two certified officers per township); plan 三.(二)3 (60% in townships).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from zhifa.core import access
from zhifa.core.errors import NotFound
from zhifa.core.scopes import Scope
from zhifa.core.sql import SubqueryCount

from . import rules
from .models import (
    Certificate,
    Delegation,
    JurisdictionArea,
    Officer,
    Organization,
    Region,
    RoleGrant,
    StationCoverage,
    User,
)


def _visible_officers(scope: Scope, today: dt.date) -> QuerySet[Officer]:
    return scope.filter(Officer.objects.all(), "organization", "posted_to").annotate(
        has_valid_certificate=Exists(Certificate.objects.valid_on(today).filter(officer=OuterRef("pk"))),
    )


def officers(
    scope: Scope,
    *,
    organization_id: int | None = None,
    kind: str | None = None,
    certificate: str | None = None,
    posted: bool | None = None,
    q: str | None = None,
    today: dt.date | None = None,
) -> QuerySet[Officer]:
    """Officers the scope may see, with the filters of the officer list.

    ``certificate``: "valid" (holds a certificate valid today), "expiring" (valid, ends within
    90 days), "none" (no valid certificate)."""
    today = today or timezone.localdate()
    qs = _visible_officers(scope, today).select_related("organization", "posted_to")
    if organization_id:
        org = Organization.objects.filter(pk=organization_id).only("path").first()
        qs = qs.filter(organization__path__startswith=org.path) if org else qs.none()
    if kind:
        qs = qs.filter(kind=kind)
    if certificate == "valid":
        qs = qs.filter(has_valid_certificate=True)
    elif certificate == "none":
        qs = qs.filter(has_valid_certificate=False)
    elif certificate == "expiring":
        qs = qs.filter(
            Exists(
                Certificate.objects.valid_on(today).filter(
                    officer=OuterRef("pk"), valid_to__lte=today + dt.timedelta(days=90)
                )
            )
        )
    if posted is True:
        qs = qs.filter(posted_to__isnull=False)
    elif posted is False:
        qs = qs.filter(posted_to__isnull=True)
    if q:
        qs = qs.filter(
            Q(name__contains=q) | Q(employee_no__contains=q) | Q(certificates__number=q)
        ).distinct()
    return qs.order_by("organization__path", "employee_no")


def officer_detail(scope: Scope, officer_id: int) -> Officer:
    officer = (
        _visible_officers(scope, timezone.localdate())
        .select_related("organization", "organization__region", "posted_to")
        .prefetch_related(Prefetch("certificates", queryset=Certificate.objects.order_by("-valid_to")))
        .filter(pk=officer_id)
        .first()
    )
    if officer is None:
        raise NotFound()
    return officer


def organizations(scope: Scope) -> QuerySet[Organization]:
    """Organisations in the scope, in tree order, each with its active officer count."""
    return _organizations_in(
        scope,
        Organization.objects.select_related("region").annotate(
            officer_count=Count("officers", filter=Q(officers__is_active=True)),
        ),
    )


def organization_choices(scope: Scope) -> QuerySet[Organization]:
    """Organisations in the scope, in tree order, with only what a choice list shows (a province
    has thousands: counting their officers for a filter's options cost 100 ms)."""
    return _organizations_in(scope, Organization.objects.only("pk", "name", "path"))


def _organizations_in(scope: Scope, qs: QuerySet[Organization]) -> QuerySet[Organization]:
    if not scope.everything:
        qs = qs.filter(path__startswith=scope.org_path) if scope.org_path else qs.none()
    return qs.order_by("path")


def township_regions() -> QuerySet[Region]:
    return Region.objects.filter(level__in=Region.TOWNSHIP_LEVELS).order_by("code")


@dataclass(frozen=True)
class StaffingIndicators:
    enforcement_staff: int
    in_townships: int
    township_share: Decimal
    goal: Decimal

    @property
    def meets_goal(self) -> bool:
        return self.township_share >= self.goal


def _working_in_townships() -> Q:
    """An officer works in a township when employed by a township body or posted to one."""
    return Q(organization__region__level__in=Region.TOWNSHIP_LEVELS) | Q(posted_to__isnull=False)


def staffing_indicators(scope: Scope) -> StaffingIndicators:
    """Share of enforcement staff working in townships (goal ≥60%), in one SQL aggregate."""
    qs = scope.filter(
        Officer.objects.filter(is_active=True, kind=Officer.Kind.ENFORCEMENT), "organization", "posted_to"
    )
    row = qs.aggregate(total=Count("pk"), township=Count("pk", filter=_working_in_townships()))
    return StaffingIndicators(
        enforcement_staff=row["total"],
        in_townships=row["township"],
        township_share=rules.share(row["township"], row["total"]),
        goal=rules.TOWNSHIP_STAFF_SHARE_GOAL,
    )


def township_certified_counts(scope: Scope, today: dt.date | None = None) -> QuerySet[Region]:
    """Each township with ``certified``: active enforcement officers working there who hold a
    certificate valid today (employed by a body of the township, or posted to it)."""
    today = today or timezone.localdate()
    working_there = (
        Officer.objects.filter(
            Q(posted_to=OuterRef("pk")) | Q(posted_to__isnull=True, organization__region=OuterRef("pk")),
            is_active=True,
            kind=Officer.Kind.ENFORCEMENT,
        )
        .filter(Exists(Certificate.objects.valid_on(today).filter(officer=OuterRef("pk"))))
        .values("pk")
    )
    regions = township_regions()
    if not scope.everything:
        regions = regions.filter(pk=scope.township_region_id) if scope.township_region_id else regions.none()
    return regions.annotate(certified=SubqueryCount(working_there))


def townships_short_of_certified(scope: Scope, today: dt.date | None = None) -> QuerySet[Region]:
    """Townships with fewer than two certified enforcement officers (行政处罚法 art. 42, 55)."""
    return township_certified_counts(scope, today).filter(
        certified__lt=rules.MIN_CERTIFIED_OFFICERS_PER_TOWNSHIP
    )


# ---- the force of each township: its team, the 1+X stations, postings ----------------------


def township_forces(scope: Scope, today: dt.date | None = None) -> QuerySet[Region]:
    """Each township (in the scope) with ``certified`` (certified 执法岗 working there: its own bodies'
    and those posted to it), ``posted`` (certified officers posted there) and ``stations`` (stations
    covering it), in one query."""
    today = today or timezone.localdate()
    valid = Exists(Certificate.objects.valid_on(today).filter(officer=OuterRef("pk")))
    posted = Officer.objects.filter(
        posted_to=OuterRef("pk"), is_active=True, kind=Officer.Kind.ENFORCEMENT
    ).filter(valid)
    stations = StationCoverage.objects.filter(region=OuterRef("pk")).values("pk")
    return township_certified_counts(scope, today).annotate(
        posted=SubqueryCount(posted.values("pk")), stations=SubqueryCount(stations)
    )


def township_force(region: Region, today: dt.date | None = None) -> dict:
    """One township: its bodies, the stations covering it, and every officer working there with
    whether he holds a valid certificate today."""
    today = today or timezone.localdate()
    officers = (
        Officer.objects.filter(
            Q(posted_to=region) | Q(posted_to__isnull=True, organization__region=region), is_active=True
        )
        .annotate(
            has_valid_certificate=Exists(Certificate.objects.valid_on(today).filter(officer=OuterRef("pk")))
        )
        .select_related("organization")
        .order_by("organization__path", "employee_no")
    )
    officers = list(officers)
    certified = [o for o in officers if o.kind == Officer.Kind.ENFORCEMENT and o.has_valid_certificate]
    return {
        "region": region,
        "bodies": list(
            Organization.objects.filter(region=region, is_active=True)
            .exclude(kind=Organization.Kind.DISPATCHED_STATION)
            .order_by("path")
        ),
        "coverages": list(
            StationCoverage.objects.filter(region=region).select_related(
                "station", "station__region", "station__parent"
            )
        ),
        "officers": officers,
        "certified": certified,
        "posted": [o for o in certified if o.posted_to_id],
        "areas": list(JurisdictionArea.objects.filter(township=region).select_related("holder")),
        "minimum": rules.MIN_CERTIFIED_OFFICERS_PER_TOWNSHIP,
    }


def stations() -> QuerySet[Organization]:
    return (
        Organization.objects.filter(kind=Organization.Kind.DISPATCHED_STATION, is_active=True)
        .select_related("parent", "region")
        .order_by("parent__path", "name")
    )


def jurisdiction_for(
    township: Region, area: str, domain: str, on: dt.date | None = None
) -> Organization | None:
    """The zone body holding enforcement of ``domain`` in a named area of a township, or None when
    the district's own bodies hold it (the 衢江区 / 智造新城 boundary)."""
    on = on or timezone.localdate()
    for row in JurisdictionArea.objects.filter(township=township, name=area, since__lte=on).select_related(
        "holder"
    ):
        if row.covers(domain):
            return row.holder
    return None


# ---- users and their roles, delegations (who holds authority, and from whom) ----------------


def active_grants() -> Prefetch:
    return Prefetch(
        "role_grants",
        queryset=RoleGrant.objects.filter(revoked_at__isnull=True)
        .select_related("granted_by")
        .order_by("granted_at"),
        to_attr="active_grants",
    )


def users(actor, *, organization: Organization | None = None, role: str = "") -> QuerySet[User]:
    """The user accounts of the actor's scope, each with its granted roles (who granted, when)."""
    qs = access.visible_to(actor, User).select_related("organization").prefetch_related(active_grants())
    if organization is not None:
        qs = qs.filter(organization__path__startswith=organization.path)
    if role:
        granted = RoleGrant.objects.filter(user=OuterRef("pk"), role=role, revoked_at__isnull=True)
        qs = qs.filter(Q(role=role) | Exists(granted))
    return qs.order_by("organization__path", "-is_active", "username")


def user_detail(actor, user_id: int) -> User:
    qs = (
        access.visible_to(actor, User)
        .select_related("organization", "officer")
        .prefetch_related(active_grants())
    )
    return access.get_visible(actor, qs, user_id)


def past_grants(user: User) -> QuerySet[RoleGrant]:
    return (
        RoleGrant.objects.filter(user=user, revoked_at__isnull=False)
        .select_related("granted_by", "revoked_by")
        .order_by("-revoked_at")
    )


def delegating_bodies(actor) -> list[Organization]:
    """The enforcement bodies the actor heads and may delegate for: his own body and the bodies
    in his scope (a township leader who is also head of the township's team)."""
    own = getattr(actor, "organization", None)
    bodies = {}
    if own is not None and own.body().is_enforcement_body:
        body = own.body()
        bodies[body.pk] = body
    scope = Scope.for_user(actor)
    if not scope.everything and scope.org_path:
        for body in Organization.objects.filter(path__startswith=scope.org_path, is_enforcement_body=True):
            bodies.setdefault(body.pk, body)
    return [
        body
        for body in sorted(bodies.values(), key=lambda b: b.path)
        if access.can(actor, "organizations.delegate", body)
    ]


def delegations(actor, bodies: list[Organization]) -> QuerySet[Delegation]:
    """The delegations of the bodies (active, not yet begun, expired and revoked), newest first."""
    return (
        access.visible_to(actor, Delegation)
        .filter(organization__in=bodies)
        .select_related("organization", "deputy", "granted_by")
        .order_by("-created_at")
    )


def delegations_to(user) -> QuerySet[Delegation]:
    """The approvals delegated to ``user`` himself (a deputy sees what he may approve, and until when)."""
    if not isinstance(user, User):
        return Delegation.objects.none()  # an API key is nobody's deputy
    return (
        access.visible_to(user, Delegation)
        .filter(deputy=user)
        .select_related("organization", "granted_by")
        .order_by("-created_at")
    )


def deputy_choices(actor, body: Organization) -> QuerySet[User]:
    """Who may be named deputy: active users of the body (its units included), not the head himself."""
    return (
        access.visible_to(actor, User)
        .filter(organization__path__startswith=body.path, is_active=True)
        .exclude(pk=actor.pk)
        .select_related("organization")
        .order_by("organization__path", "username")
    )
