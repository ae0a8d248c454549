"""Reads of the inspections app, each scoped to the user (core.scopes). Plans, tasks and records
belong to their department; township users also see what concerns parties of their township.

Articles: 国办发〔2015〕58号 (published draws); 行政处罚法第四十二条 (the officers shown on the action code).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import (
    Count,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
)
from django.utils import timezone

from zhifa.core.errors import NotFound
from zhifa.core.scopes import Scope, union
from zhifa.core.sql import SubqueryCount
from zhifa.organizations.models import Certificate, Officer
from zhifa.parties.models import Party

from . import rules
from .models import (
    ActionCode,
    ChecklistResult,
    InspectionPlan,
    InspectionRecord,
    InspectionTask,
    JointInspection,
    RandomDraw,
    RectificationOrder,
)


def visible_plans(scope: Scope) -> QuerySet[InspectionPlan]:
    return scope.filter(InspectionPlan.objects.all(), "department")


def plans(
    scope: Scope, *, state: str | None = None, department_id: int | None = None, q: str | None = None
) -> QuerySet[InspectionPlan]:
    qs = (
        visible_plans(scope)
        .select_related("department")
        .annotate(item_count=Count("items", distinct=True), task_count=Count("tasks", distinct=True))
    )
    if state:
        qs = qs.filter(state=state)
    if department_id:
        qs = qs.filter(department_id=department_id)
    if q:
        qs = qs.filter(name__contains=q.strip())
    return qs.order_by("-period_start", "-pk")


def plan_detail(scope: Scope, plan_id: int) -> InspectionPlan:
    plan = (
        visible_plans(scope)
        .select_related("department")
        .prefetch_related("items__domain")
        .filter(pk=plan_id)
        .first()
    )
    if plan is None:
        raise NotFound()
    return plan


def draw_of(scope: Scope, plan_id: int) -> RandomDraw:
    """The plan's draw in force."""
    draw = (
        RandomDraw.objects.filter(plan__in=visible_plans(scope), plan_id=plan_id, superseded_at__isnull=True)
        .select_related("plan", "plan__department")
        .first()
    )
    if draw is None:
        raise NotFound()
    return draw


def published_draw(plan_id: int) -> RandomDraw:
    """一公开: the plan's published draw in force, for anyone."""
    draw = (
        RandomDraw.objects.filter(plan_id=plan_id, published_at__isnull=False, superseded_at__isnull=True)
        .select_related("plan", "plan__department")
        .first()
    )
    if draw is None:
        raise NotFound()
    return draw


def earlier_draws(plan_id: int) -> QuerySet[RandomDraw]:
    """The rounds a re-draw replaced, each with its reason; they stay visible."""
    return (
        RandomDraw.objects.filter(plan_id=plan_id, superseded_at__isnull=False)
        .select_related("superseded_by")
        .order_by("round")
    )


def announced_plans() -> QuerySet[InspectionPlan]:
    """Every plan with its commitment, for the public page: the hash of the secret is published
    before the draw, so nobody can choose the seed afterwards."""
    return (
        InspectionPlan.objects.select_related("department")
        .prefetch_related("items", "partners")
        .order_by("-created_at", "-pk")
    )


def draw_rows(draw: RandomDraw) -> list[tuple[Party, list[Officer]]]:
    """The drawn parties with their drawn officers (every department's), in draw order (two queries)."""
    party_ids = draw.result["parties"]
    parties = Party.objects.in_bulk(party_ids)
    staffing = [draw.result["officers"], *draw.result.get("partners", {}).values()]
    officer_ids = {oid for by_party in staffing for ids in by_party.values() for oid in ids}
    officers = Officer.objects.select_related("organization").in_bulk(list(officer_ids))
    return [
        (parties[pid], [officers[oid] for by_party in staffing for oid in by_party.get(str(pid), [])])
        for pid in party_ids
        if pid in parties
    ]


def visible_tasks(scope: Scope) -> QuerySet[InspectionTask]:
    if scope.everything:
        return InspectionTask.objects.all()
    return InspectionTask.objects.filter(
        pk__in=union(scope.parts(InspectionTask.objects.all(), "department", "party__township"))
    )


def _visible_visit_ids(scope: Scope) -> QuerySet:
    return union(
        scope.parts(
            InspectionTask.objects.filter(visit__isnull=False),
            "department",
            "party__township",
            field="visit_id",
        )
    )


def visible_visits(scope: Scope) -> QuerySet[JointInspection]:
    """Visits one of the scope's tasks rides on."""
    if scope.everything:
        return JointInspection.objects.all()
    return JointInspection.objects.filter(pk__in=_visible_visit_ids(scope))


def visits(
    scope: Scope, *, state: str | None = None, day_from: dt.date | None = None, q: str | None = None
) -> QuerySet[JointInspection]:
    # Correlated counts, not a GROUP BY over every visit: with ORDER BY … LIMIT PostgreSQL
    # evaluates them for the page's rows only.
    tasks = InspectionTask.objects.filter(visit=OuterRef("pk"))
    qs = (
        visible_visits(scope)
        .select_related("party", "party__township")
        .annotate(
            task_count=SubqueryCount(tasks.values("pk")),
            department_count=SubqueryCount(tasks.order_by().values("department_id").distinct()),
        )
        .prefetch_related(Prefetch("tasks", queryset=InspectionTask.objects.select_related("department")))
    )
    if state:
        qs = qs.filter(state=state)
    if day_from:
        qs = qs.filter(day__gte=day_from)
    if q:
        qs = qs.filter(party__name__contains=q.strip())
    return qs.order_by("day", "pk")


def visit_detail(scope: Scope, visit_id: int) -> JointInspection:
    visit = (
        visible_visits(scope)
        .select_related("party", "anchor_task")
        .prefetch_related(
            Prefetch(
                "tasks",
                queryset=InspectionTask.objects.select_related("department", "plan").prefetch_related(
                    "plan__items__checklist"
                ),
            ),
            "officers",
        )
        .filter(pk=visit_id)
        .first()
    )
    if visit is None:
        raise NotFound()
    return visit


def visible_records(scope: Scope) -> QuerySet[InspectionRecord]:
    """Records of the scope's departments or townships, and records of joint visits one of the
    scope's departments took part in (shared work, DESIGN.md "Data scope")."""
    if scope.everything:
        return InspectionRecord.objects.all()
    shared = InspectionRecord.objects.filter(visit_id__in=_visible_visit_ids(scope)).order_by().values("pk")
    return InspectionRecord.objects.filter(
        pk__in=union([*scope.parts(InspectionRecord.objects.all(), "department", "party__township"), shared])
    )


def records(
    scope: Scope, *, party_id: int | None = None, outcome: str | None = None, q: str | None = None
) -> QuerySet[InspectionRecord]:
    qs = visible_records(scope).select_related("party", "department").prefetch_related("officers")
    if party_id:
        qs = qs.filter(party_id=party_id)
    if outcome:
        qs = qs.filter(outcome=outcome)
    if q:
        qs = qs.filter(party__name__contains=q.strip())
    return qs.order_by("-started_at", "-pk")


def record_detail(scope: Scope, record_id: int) -> InspectionRecord:
    record = (
        visible_records(scope)
        .select_related("party", "department", "visit", "task")
        .prefetch_related(
            "officers",
            "attachments",
            "rectifications__photos",
            "items",
            Prefetch("checklist_results", queryset=ChecklistResult.objects.select_related("entry__item")),
        )
        .filter(pk=record_id)
        .first()
    )
    if record is None:
        raise NotFound()
    return record


def repeated_inspections(
    scope: Scope, days: int = rules.REPEATED_INSPECTION_DAYS, since: dt.datetime | None = None
) -> QuerySet[Party]:
    """重复检查: parties inspected by different departments within ``days`` days of each other,
    on separate visits (a joint inspection holds one record, so two records are two trips).
    ``since`` limits it to records from then on (a page shows the recent ones; the supervision
    rule looks at all)."""
    window = dt.timedelta(days=days)
    other = InspectionRecord.objects.filter(
        party=OuterRef("party"),
        started_at__gte=ExpressionWrapper(
            OuterRef("started_at") - Value(window), output_field=DateTimeField()
        ),
        started_at__lte=ExpressionWrapper(
            OuterRef("started_at") + Value(window), output_field=DateTimeField()
        ),
    ).exclude(department=OuterRef("department"))
    repeated = visible_records(scope).filter(Exists(other))
    if since is not None:
        repeated = repeated.filter(started_at__gte=since)
    # District-wide, a semi-join: PostgreSQL walks parties in name order and stops at the page
    # (20 ms over a province's million records; joining every record to count them took 1.2 s).
    # A township or department has few records, but repeated parties are rare among all parties in
    # name order: there its parties are listed first (1.7 s to a few ms).
    parties = (
        repeated.values("party_id")
        if scope.everything
        else list(repeated.order_by().values_list("party_id", flat=True).distinct())
    )
    return (
        Party.objects.filter(pk__in=parties)
        .annotate(repeated_records=SubqueryCount(repeated.filter(party=OuterRef("pk")).values("pk")))
        .select_related("township")
        .order_by("name", "pk")
    )


# ---- indicators (one SQL aggregate each) ----


@dataclass(frozen=True)
class VisitIndicators:
    tasks: int
    visits: int
    saved: int


def department_indicators(scope: Scope) -> QuerySet:
    """Per department: tasks, tasks scheduled into visits, visits taken part in, and visits saved
    (its tasks that rode along on a visit anchored by another task — ``rules.Plan``)."""
    return (
        visible_tasks(scope)
        .values("department_id", "department__name")
        .annotate(
            tasks=Count("pk"),
            scheduled=Count("pk", filter=Q(visit__isnull=False)),
            visits=Count("visit", distinct=True),
            saved=Count("pk", filter=Q(visit__isnull=False) & ~Q(visit__anchor_task_id=F("pk"))),
        )
        .order_by("department__name")
    )


def district_indicators(scope: Scope) -> VisitIndicators:
    """Scheduled tasks, visits, and visits saved (tasks − visits) in the scope."""
    row = (
        visible_tasks(scope)
        .filter(visit__isnull=False)
        .aggregate(tasks=Count("pk"), visits=Count("visit", distinct=True))
    )
    return VisitIndicators(tasks=row["tasks"], visits=row["visits"], saved=row["tasks"] - row["visits"])


# ---- the public action-code page ----


@dataclass(frozen=True)
class PublicInspector:
    name: str
    certificate_number: str
    organization: str


@dataclass(frozen=True)
class PublicCode:
    code: ActionCode
    party_name: str
    day: dt.date
    departments: list[str]
    items: list[str]
    inspectors: list[PublicInspector]
    rateable: bool


def public_code(code: ActionCode) -> PublicCode:
    """What the party sees: who inspects (name, certificate number, body — never ID numbers or
    phone numbers), for which items, and whether it may rate now."""
    if code.visit_id:
        visit = JointInspection.objects.select_related("party").get(pk=code.visit_id)
        tasks = list(visit.tasks.select_related("department", "plan"))
        officers = list(visit.officers.select_related("organization").order_by("pk"))
        party, day = visit.party, visit.day
        record_exists = InspectionRecord.objects.filter(visit=visit).exists()
    else:
        record = InspectionRecord.objects.select_related("party", "task__plan", "department").get(
            pk=code.record_id
        )
        tasks = [record.task] if record.task_id else []
        officers = list(record.officers.select_related("organization").order_by("pk"))
        party, day = record.party, timezone.localdate(record.started_at)
        record_exists = True
    items = sorted({item.name for t in tasks for item in t.plan.items.all()})
    numbers = {}
    for cert in (
        Certificate.objects.valid_on(day).filter(officer__in=officers).order_by("officer_id", "-valid_to")
    ):
        numbers.setdefault(cert.officer_id, cert.number)
    return PublicCode(
        code=code,
        party_name=party.name,
        day=day,
        departments=sorted({t.department.name for t in tasks}),
        items=items,
        inspectors=[PublicInspector(o.name, numbers.get(o.pk, "—"), o.organization.name) for o in officers],
        rateable=record_exists and code.rating is None,
    )


# ---- what other apps ask of inspections (registered in apps.py) ----


def open_plan_references(item_id: int) -> int:
    """Plans with tasks still to do that check this item: the catalog keeps the item until they finish."""
    open_tasks = InspectionTask.objects.filter(
        plan=OuterRef("pk"), state__in=[InspectionTask.State.OPEN, InspectionTask.State.SCHEDULED]
    )
    return (
        InspectionPlan.objects.filter(items=item_id)
        .filter(Q(state=InspectionPlan.State.DRAFT) | Exists(open_tasks))
        .count()
    )


def failed_inspection_facts(party_ids: list[int], since: dt.date) -> dict[int, dict]:
    """Credit facts for 企业四色管理: inspections since ``since`` that found a problem, for every party
    inspected on the platform in that window (parties not inspected here keep their recorded count)."""
    rows = (
        InspectionRecord.objects.filter(party_id__in=party_ids, started_at__date__gte=since)
        .values("party_id")
        .annotate(failed=Count("pk", filter=~Q(outcome=InspectionRecord.Outcome.NO_ISSUE)))
    )
    return {row["party_id"]: {"failed_inspections": row["failed"]} for row in rows}


# ---- an inspector's own work (the phone's 我的检查) ----


def my_work(officer_id: int | None, today: dt.date) -> dict:
    """The open visits and unmerged tasks an officer was drawn for, from today on, soonest first."""
    if officer_id is None:
        return {"visits": [], "tasks": []}
    visits = (
        JointInspection.objects.filter(officers=officer_id, state=JointInspection.State.PLANNED)
        .select_related("party", "party__township")
        .prefetch_related(
            Prefetch("tasks", queryset=InspectionTask.objects.select_related("department", "plan"))
        )
        .order_by("day", "pk")
    )
    tasks = (
        InspectionTask.objects.filter(
            officers=officer_id, state=InspectionTask.State.OPEN, visit__isnull=True, window_end__gte=today
        )
        .select_related("party", "party__township", "department", "plan")
        .order_by("window_end", "pk")
    )
    return {"visits": list(visits[:100]), "tasks": list(tasks[:100])}


def task_detail(scope: Scope, task_id: int) -> InspectionTask:
    task = (
        visible_tasks(scope)
        .select_related("party", "department", "plan")
        .prefetch_related("officers", "plan__items__checklist")
        .filter(pk=task_id)
        .first()
    )
    if task is None:
        raise NotFound()
    return task


def overdue_rectifications(scope: Scope, today: dt.date) -> QuerySet[RectificationOrder]:
    """Orders past their deadline and not yet verified (逾期未复查): a warning on the record pages."""
    return (
        RectificationOrder.objects.filter(
            state=RectificationOrder.State.OPEN,
            deadline__lt=today,
            record__in=visible_records(scope).values("pk"),
        )
        .select_related("record", "record__party")
        .order_by("deadline", "pk")
    )


def plan_choices(actor) -> dict:
    """What the plan form offers: the bodies the actor may plan for, their claimed inspection items,
    and the other enforcement bodies that may join (综合查一次)."""
    from zhifa.catalog import rules as catalog_rules
    from zhifa.catalog.models import EnforcementItem
    from zhifa.organizations.models import Organization

    scope = Scope.for_user(actor)
    bodies = Organization.objects.filter(is_active=True, is_enforcement_body=True).order_by("path")
    own = bodies if scope.everything else bodies.filter(path__startswith=scope.org_path or "-")
    items = (
        EnforcementItem.objects.filter(
            kind=catalog_rules.INSPECTION, status=catalog_rules.IN_FORCE, claims__organization__in=bodies
        )
        .distinct()
        .select_related("domain")
        .order_by("domain__sort_order", "code")
    )
    return {
        "departments": own,
        "partners": bodies.exclude(region__level__in=_township_levels()),
        "items": items,
    }


def _township_levels():
    from zhifa.organizations.models import Region

    return Region.TOWNSHIP_LEVELS


def code_rectifications(code: ActionCode) -> list[RectificationOrder]:
    """The rectification orders of the inspection an action code names (shown to the party)."""
    records = (
        InspectionRecord.objects.filter(pk=code.record_id)
        if code.record_id
        else InspectionRecord.objects.filter(visit_id=code.visit_id)
    )
    return list(RectificationOrder.objects.filter(record__in=records).order_by("deadline", "pk"))
