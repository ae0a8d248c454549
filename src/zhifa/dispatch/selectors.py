"""Reads of incidents, scoped: the command centre, guidance office and supervisors see the
district; any other body sees the incidents assigned to its subtree, and a township body also
those located in its township (core.scopes)."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from zhifa.catalog.search import tokenize
from zhifa.core.errors import NotFound
from zhifa.core.scopes import Scope
from zhifa.organizations.models import Region

from . import rules
from .models import Incident, IncidentEvent, JurisdictionDispute, Referral


def scope_of(actor) -> Scope:
    """Users and API keys alike: a key acts for its organisation in its role."""
    return Scope.for_user(actor)


def visible_incidents(scope: Scope) -> QuerySet[Incident]:
    return scope.filter(Incident.objects.all(), "responsible_org", "township")


def incidents(
    scope: Scope,
    *,
    state: str | None = None,
    township_id: int | None = None,
    source: str | None = None,
    overdue: bool | None = None,
    q: str | None = None,
) -> QuerySet[Incident]:
    qs = visible_incidents(scope).select_related("township", "responsible_org", "item")
    if state == "open":
        qs = qs.filter(state__in=rules.OPEN_STATES)
    elif state:
        qs = qs.filter(state=state)
    if township_id:
        qs = qs.filter(township_id=township_id)
    if source:
        qs = qs.filter(source=source)
    if overdue is True:
        qs = qs.filter(overdue=True)
    elif overdue is False:
        qs = qs.filter(overdue=False)
    if q:
        qs = qs.filter(
            Q(tracking_code=q.upper()) | Q(title__contains=q) | Q(text__contains=q) | Q(address__contains=q)
        )
    return qs.order_by("-reported_at", "-pk")


def state_counts(scope: Scope) -> list[tuple[str, str, int]]:
    """(state, label, count) for every state, one aggregate query."""
    rows = dict(
        visible_incidents(scope).values_list("state").annotate(n=Count("pk")).values_list("state", "n")
    )
    return [(state, label, rows.get(state, 0)) for state, label in rules.STATE_LABELS.items()]


def township_counts(scope: Scope) -> list[dict]:
    """Per township with open incidents: open and overdue ones, by township name. Aggregated over
    the open incidents by township id, then named (grouping every incident by name sorted a
    province's 300,000 rows)."""
    rows = list(
        visible_incidents(scope)
        .filter(township__isnull=False, state__in=rules.OPEN_STATES)
        .values("township_id")
        .annotate(
            open=Count("pk"), overdue=Count("pk", filter=Q(overdue=True, state__in=rules.WORKING_STATES))
        )
        .order_by()
    )
    names = dict(Region.objects.filter(pk__in=[r["township_id"] for r in rows]).values_list("pk", "name"))
    for row in rows:
        row["township__name"] = names[row["township_id"]]
    return sorted(rows, key=lambda r: (r["township__name"], r["township_id"]))


def incident_detail(scope: Scope, incident_id: int) -> Incident:
    incident = (
        visible_incidents(scope)
        .select_related("township", "responsible_org", "suggested_org", "item__domain", "merged_into")
        .prefetch_related(
            Prefetch(
                "events", queryset=IncidentEvent.objects.select_related("organization").order_by("at", "pk")
            ),
            Prefetch(
                "disputes",
                queryset=JurisdictionDispute.objects.select_related("raised_by", "other_org", "decided_org"),
            ),
            Prefetch("referrals", queryset=Referral.objects.select_related("from_org", "to_org")),
        )
        .filter(pk=incident_id)
        .first()
    )
    if incident is None:
        raise NotFound()
    return incident


def by_tracking_code(scope: Scope, code: str) -> Incident:
    incident = (
        visible_incidents(scope)
        .select_related("item__domain", "responsible_org")
        .filter(tracking_code=(code or "").strip().upper())
        .first()
    )
    if incident is None:
        raise NotFound()
    return incident


def my_tasks(user) -> QuerySet[Incident]:
    """The officer's phone list: incidents their body (or a body under it) must work now,
    the nearest deadline first."""
    org = getattr(user, "organization", None)
    if org is None:
        return Incident.objects.none()
    return (
        Incident.objects.filter(responsible_org__path__startswith=org.path, state__in=rules.WORKING_STATES)
        .select_related("township", "responsible_org")
        .order_by("due_at", "pk")
    )


def townships() -> QuerySet[Region]:
    return Region.objects.filter(level__in=Region.TOWNSHIP_LEVELS).order_by("code")


def possible_duplicates(
    incident: Incident,
    *,
    radius_m: float = rules.DUPLICATE_RADIUS_M,
    min_similarity: float = rules.DUPLICATE_MIN_SIMILARITY,
) -> list[tuple[Incident, float, float]]:
    """Open incidents within ``radius_m`` of this one whose text is similar (Jaccard over jieba
    tokens ≥ ``min_similarity``): (incident, similarity, distance in metres), most similar first."""
    if incident.lat is None or not (incident.text or incident.title):
        return []
    # A box of ± radius around the point narrows the candidates in SQL (1° latitude ≈ 111 km).
    d_lat = radius_m / 111_000
    d_lng = radius_m / 80_000  # cos(29°) × 111 km ≈ 97 km; 80 km keeps the box generous
    candidates = (
        Incident.objects.filter(state__in=rules.OPEN_STATES, lat__isnull=False)
        .filter(
            lat__range=(float(incident.lat) - d_lat, float(incident.lat) + d_lat),
            lng__range=(float(incident.lng) - d_lng, float(incident.lng) + d_lng),
        )
        .exclude(pk=incident.pk)
        .select_related("responsible_org")[:200]
    )
    mine = set(tokenize(f"{incident.title} {incident.text}"))
    found = []
    for other in candidates:
        distance = rules.distance_m(
            float(incident.lat), float(incident.lng), float(other.lat), float(other.lng)
        )
        if distance > radius_m:
            continue
        similarity = rules.jaccard(mine, set(tokenize(f"{other.title} {other.text}")))
        if similarity >= min_similarity:
            found.append((other, round(similarity, 3), round(distance)))
    return sorted(found, key=lambda row: (-row[1], row[2]))


def referrals(scope: Scope, state: str | None = None) -> QuerySet[Referral]:
    """Referrals (移送) the scope's bodies sent or received — shared between the two sides."""
    qs = Referral.objects.select_related("from_org", "to_org", "incident")
    if not scope.everything:
        prefix = scope.org_path or "-"
        qs = qs.filter(Q(from_org__path__startswith=prefix) | Q(to_org__path__startswith=prefix))
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("-sent_at", "-pk")


def disputes(scope: Scope, state: str | None = None) -> QuerySet[JurisdictionDispute]:
    qs = JurisdictionDispute.objects.select_related("incident", "raised_by", "other_org", "decided_org")
    if not scope.everything:
        qs = qs.filter(
            Q(raised_by__path__startswith=scope.org_path or "-")
            | Q(other_org__path__startswith=scope.org_path or "-")
        )
    return qs.filter(state=state) if state else qs


def incident_detail_any(incident_id: int) -> Incident:
    """The incident a caller has just pushed (or replayed), whatever its scope: the caller sent it."""
    return Incident.objects.select_related("township", "item").get(pk=incident_id)


# ---- triage, checks, routing figures ----------------------------------------------------------


def triage_queue(actor) -> QuerySet[Incident]:
    """Incidents the router was unsure of, still waiting for the command centre, oldest first."""
    from zhifa.core import access

    return (
        access.visible_to(actor, Incident)
        .filter(needs_triage=True, state=rules.REPORTED)
        .select_related("township")
        .order_by("reported_at", "pk")
    )


def open_checks(actor) -> QuerySet:
    """Low-rated incidents whose handling the command centre has to check, oldest first."""
    from zhifa.core import access

    from .models import HandlingCheck

    return (
        access.visible_to(actor, HandlingCheck)
        .filter(state=HandlingCheck.State.OPEN)
        .select_related("incident__responsible_org", "incident__township")
        .order_by("created_at", "pk")
    )


def routing_versions(limit: int = 24) -> list:
    from .models import RoutingModelVersion

    return list(RoutingModelVersion.objects.defer("blob").order_by("-created_at", "-pk")[:limit])


def live_accuracy(since=None) -> dict:
    """How often the router's first suggestion was the item the command centre chose, per month
    and per domain, from the labelled examples dispatchers left (confirmations and corrections)."""
    from django.db.models import F
    from django.db.models.functions import TruncMonth

    from .models import RoutingExample

    rows = RoutingExample.objects.exclude(suggested_code="")
    if since is not None:
        rows = rows.filter(created_at__gte=since)
    right = Count("pk", filter=Q(suggested_code=F("item__code")))
    months = list(
        rows.annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(n=Count("pk"), right=right)
        .order_by("month")
    )
    domains = list(
        rows.values("item__domain__name").annotate(n=Count("pk"), right=right).order_by("item__domain__name")
    )
    for row in months + domains:
        row["accuracy"] = row["right"] / row["n"] if row["n"] else None
    return {
        "months": months,
        "domains": domains,
        "total": sum(r["n"] for r in months),
        "right": sum(r["right"] for r in months),
    }
