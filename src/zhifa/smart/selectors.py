"""Reads of smart enforcement, scoped through the access policy: devices and their events, the
published device list (public), campaigns with their dashboard, and the "双简双增" measures — per
business (the party's space) and per district or township (a selector the cockpit can use)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from zhifa.core import access
from zhifa.core.scopes import Scope
from zhifa.inspections.models import InspectionRecord, InspectionTask
from zhifa.inspections.selectors import visible_records

from . import rules
from .models import Campaign, CampaignPlan, CampaignTask, Device, DeviceEvent, DeviceEvidence

# ---- devices and events ---------------------------------------------------------------------------


def devices(actor) -> QuerySet[Device]:
    return (
        access.visible_to(actor, Device)
        .select_related("organization", "township")
        .prefetch_related("items")
        .annotate(pending=Count("events", filter=Q(events__status="pending")))
        .order_by("organization__name", "code")
    )


def device(actor, device_id: int) -> Device:
    return access.get_visible(
        actor,
        Device.objects.select_related("organization", "township", "legal_reviewed_by").prefetch_related(
            "items"
        ),
        device_id,
    )


def published_devices() -> QuerySet[Device]:
    """The public list (第四十一条第一款: 设置地点应当向社会公布)."""
    return (
        Device.objects.filter(status=Device.Status.PUBLISHED)
        .select_related("organization", "township")
        .prefetch_related("items")
        .order_by("township__code", "code")
    )


def events(actor, *, status: str | None = DeviceEvent.Status.PENDING) -> QuerySet[DeviceEvent]:
    queryset = (
        access.visible_to(actor, DeviceEvent)
        .select_related("device__organization", "party", "item", "case")
        .annotate(evidence_count=Count("evidence"))
    )
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("-occurred_at", "-id")


def event(actor, event_id: int) -> DeviceEvent:
    return access.get_visible(
        actor,
        DeviceEvent.objects.select_related("device__organization", "party", "item", "case").prefetch_related(
            "evidence", "device__items"
        ),
        event_id,
    )


def events_of_case(case) -> QuerySet[DeviceEvent]:
    """The device event a case came from, with its evidence (shown to the party of the case)."""
    return (
        DeviceEvent.objects.filter(case=case)
        .select_related("device")
        .prefetch_related(Prefetch("evidence", queryset=DeviceEvidence.objects.order_by("id")))
    )


def evidence_file(actor, evidence_id: int) -> DeviceEvidence:
    return access.get_visible(actor, DeviceEvidence.objects.select_related("event"), evidence_id)


# ---- campaigns ------------------------------------------------------------------------------------


def campaigns(actor) -> QuerySet[Campaign]:
    return (
        access.visible_to(actor, Campaign)
        .select_related("lead")
        .annotate(
            task_total=Count("tasks", distinct=True),
            task_done=Count("tasks", filter=Q(tasks__state="done"), distinct=True),
        )
        .order_by("-period_start", "-id")
    )


def campaign(actor, campaign_id: int) -> Campaign:
    return access.get_visible(
        actor,
        Campaign.objects.select_related("lead").prefetch_related("items", "bodies", "townships", "domains"),
        campaign_id,
    )


def campaign_tasks(actor, campaign: Campaign, *, state: str | None = None) -> QuerySet[CampaignTask]:
    queryset = (
        access.visible_to(actor, CampaignTask)
        .filter(campaign=campaign)
        .select_related("party", "organization", "township")
    )
    if state:
        queryset = queryset.filter(state=state)
    return queryset.order_by("visit_day", "party__name", "organization__name")


@dataclass
class Dashboard:
    total: int
    done: int
    outcomes: dict[str, int]
    by_body: list[dict]
    by_township: list[dict]
    visits: int  # visits made (one per target and day)
    checks: int  # department-checks made
    targets: int

    @property
    def progress(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def saved(self) -> int:
        return self.checks - self.visits


def dashboard(campaign: Campaign) -> Dashboard:
    """The campaign's figures from SQL aggregates (the whole campaign: a dashboard of the lead)."""
    tasks = CampaignTask.objects.filter(campaign=campaign)
    totals = tasks.aggregate(
        total=Count("pk"), done=Count("pk", filter=Q(state="done")), targets=Count("party_id", distinct=True)
    )
    outcomes = {
        row["outcome"]: row["n"]
        for row in tasks.filter(state="done").values("outcome").annotate(n=Count("pk"))
    }
    by_body = list(
        tasks.values("organization__name")
        .annotate(
            total=Count("pk"),
            done=Count("pk", filter=Q(state="done")),
            problems=Count("pk", filter=Q(outcome__in=("rectification", "case_suggested"))),
        )
        .order_by("organization__name")
    )
    by_township = list(
        tasks.values("township__name")
        .annotate(total=Count("pk"), done=Count("pk", filter=Q(state="done")))
        .order_by("township__name")
    )
    visits = tasks.filter(state="done").values("party_id", "checked_on").distinct().count()
    return Dashboard(
        total=totals["total"],
        done=totals["done"],
        targets=totals["targets"],
        outcomes={k: outcomes.get(k, 0) for k in CampaignTask.Outcome.values},
        by_body=by_body,
        by_township=by_township,
        visits=visits,
        checks=totals["done"],
    )


def plans(campaign: Campaign) -> QuerySet[CampaignPlan]:
    return (
        campaign.plans.select_related("organization").prefetch_related("items").order_by("organization__name")
    )


# ---- 双简双增 --------------------------------------------------------------------------------------


def _year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    return dt.datetime(year, 1, 1, tzinfo=tz), dt.datetime(year + 1, 1, 1, tzinfo=tz)


def party_visits(party_id: int, year: int) -> list[frozenset[int]]:
    """Each visit to the party in the year, as the set of departments that checked in it: inspection
    records (a joint visit counts the departments of all its tasks) and campaign visits."""
    start, end = _year_bounds(year)
    rows = list(
        InspectionRecord.objects.filter(
            party_id=party_id, started_at__gte=start, started_at__lt=end
        ).values_list("visit_id", "department_id")
    )
    by_visit: dict[int, set[int]] = defaultdict(set)
    for visit_id, department_id in InspectionTask.objects.filter(
        visit_id__in=[v for v, _ in rows if v]
    ).values_list("visit_id", "department_id"):
        by_visit[visit_id].add(department_id)
    visits = [frozenset(by_visit.get(v) or {d}) if v else frozenset({d}) for v, d in rows]
    groups: dict[tuple, set[int]] = defaultdict(set)
    for campaign_id, day, org_id in CampaignTask.objects.filter(
        party_id=party_id,
        state=CampaignTask.State.DONE,
        checked_on__gte=start.date(),
        checked_on__lt=end.date(),
    ).values_list("campaign_id", "checked_on", "organization_id"):
        groups[(campaign_id, day)].add(org_id)
    return visits + [frozenset(g) for g in groups.values()]


def party_visit_summary(party_id: int, year: int) -> dict:
    summary = rules.summarise_visits(party_visits(party_id, year))
    return {"summary": summary, "sentence": rules.visit_sentence(summary, year), "year": year}


def _departments_per_visit():
    return Coalesce(
        Subquery(
            InspectionTask.objects.filter(visit_id=OuterRef("visit_id"))
            .order_by()
            .values("visit_id")
            .annotate(n=Count("department_id", distinct=True))
            .values("n")[:1],
            output_field=IntegerField(),
        ),
        1,
    )


def visit_measures(scope: Scope, year: int) -> dict:
    """ "双简双增" for the businesses in ``scope`` (a district, a township): visits, department-checks,
    joint and single visits, businesses visited, visits spared by joint inspection — in SQL aggregates,
    overall and per township. For the cockpit and the measures page."""
    start, end = _year_bounds(year)
    records = (
        visible_records(scope)
        .filter(started_at__gte=start, started_at__lt=end)
        .annotate(departments=_departments_per_visit())
    )
    figures = dict(
        visits=Count("pk"),
        checks=Sum("departments"),
        joint=Count("pk", filter=Q(departments__gt=1)),
        businesses=Count("party_id", distinct=True),
    )
    total = {k: v or 0 for k, v in records.aggregate(**figures).items()}
    townships = {
        row["party__township__name"]: {k: row[k] or 0 for k in figures}
        for row in records.values("party__township__name").annotate(**figures).order_by()
    }
    tasks = CampaignTask.objects.filter(
        state=CampaignTask.State.DONE, checked_on__gte=start.date(), checked_on__lt=end.date()
    )
    if scope.is_empty:
        tasks = tasks.none()
    elif not scope.everything:
        condition = Q(organization__path__startswith=scope.org_path)
        if scope.township_region_id:
            condition |= Q(township_id=scope.township_region_id)
        tasks = tasks.filter(condition)
    for row in (
        tasks.values("campaign_id", "party_id", "checked_on", "township__name")
        .annotate(n=Count("organization_id", distinct=True))
        .order_by()
    ):
        for bucket in (total, townships.setdefault(row["township__name"], dict.fromkeys(figures, 0))):
            bucket["visits"] += 1
            bucket["checks"] += row["n"]
            bucket["joint"] += 1 if row["n"] > 1 else 0
    for bucket in (total, *townships.values()):
        bucket["single"] = bucket["visits"] - bucket["joint"]
        bucket["saved"] = bucket["checks"] - bucket["visits"]
    return {
        "year": year,
        "total": total,
        "by_township": [
            {"township": name, **values}
            for name, values in sorted(townships.items(), key=lambda x: x[0] or "")
        ],
    }


def most_visited(scope: Scope, year: int, limit: int = 20) -> list[dict]:
    """The businesses visited most often this year (the ones "双简" is about)."""
    start, end = _year_bounds(year)
    rows = (
        visible_records(scope)
        .filter(started_at__gte=start, started_at__lt=end)
        .annotate(departments=_departments_per_visit())
        .values("party_id", "party__name", "party__township__name")
        .annotate(visits=Count("pk"), checks=Sum("departments"))
        .order_by("-visits", "-checks", "party_id")[:limit]
    )
    return [dict(row) for row in rows]
