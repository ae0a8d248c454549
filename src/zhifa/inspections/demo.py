"""Demo inspections: plans of each enforcement body for the inspection items it claimed, their
draws, the joint-inspection plan over all departments' tasks and records of the visits already
past. Needs the demo roster, catalog and parties (``load_demo``)."""

from __future__ import annotations

import datetime as dt
import random

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from zhifa.catalog import rules as catalog_rules
from zhifa.catalog.models import Claim
from zhifa.core.errors import DomainError
from zhifa.organizations.models import Organization, User

from . import planning, services
from .models import InspectionPlan, InspectionRecord, JointInspection

RATIOS = {"green": 0.02, "blue": 0.05, "yellow": 0.1, "red": 0.3}
PLANS_PER_DEPARTMENT = 2
FINDINGS = {
    "no_issue": "现场检查未发现违法行为。",
    "rectification": "部分台账记录不全，已当场告知并责令限期整改。",
    "case_suggested": "发现涉嫌违法行为，已固定证据，建议立案查处。",
}


def _actor() -> User:
    actor = User.objects.filter(is_superuser=True).order_by("pk").first()
    if actor is None:
        raise ValueError("请先加载演示人员与账号（load_demo）")
    return actor


@transaction.atomic
def load_demo_inspections(seed, today: dt.date | None = None) -> dict[str, int]:
    """Create the demo plans, draws, joint inspections and records; deterministic for a seed
    and a day. Plans whose draw lacks officers (DrawShortage) stay drafts, as in real life."""
    rng = random.Random(f"inspections|{seed}")
    today = today or timezone.localdate()
    actor = _actor()
    # The first plan of each department ended last week (its visits can be recorded), the
    # second runs on (its visits are ahead). Visits fall on the last working day of a window.
    periods = [
        (today - dt.timedelta(days=60), today - dt.timedelta(days=5)),
        (today - dt.timedelta(days=10), today + dt.timedelta(days=30)),
    ]
    counts = {"plans": 0, "draws": 0, "shortages": 0, "visits": 0, "records": 0}
    claims = (
        Claim.objects.filter(
            item__kind=catalog_rules.INSPECTION,
            item__status=catalog_rules.IN_FORCE,
            organization__is_enforcement_body=True,
        )
        .select_related("item", "organization")
        .order_by("organization__path", "item__code")
    )
    by_department: dict[Organization, list] = {}
    for claim in claims:
        by_department.setdefault(claim.organization, []).append(claim.item)
    for department, items in by_department.items():
        for n, item in enumerate(items[:PLANS_PER_DEPARTMENT], 1):
            start, end = periods[(n - 1) % len(periods)]
            if InspectionPlan.objects.filter(department=department, items=item, period_start=start).exists():
                continue
            plan = services.create_plan(
                actor,
                {
                    "department": department,
                    "name": f"{start:%Y}年{item.name.removeprefix('对').removesuffix('的行政检查')}双随机抽查",
                    "period_start": start,
                    "period_end": end,
                    "ratios": RATIOS,
                    "items": [item],
                },
            )
            counts["plans"] += 1
            try:
                with transaction.atomic():
                    planning.backfill_draw(plan, start)
            except DomainError:
                counts["shortages"] += 1
                continue
            counts["draws"] += 1
            if n == 1:
                services.publish_draw(actor, plan.pk)
    counts["visits"] = services.plan_joint_inspections(actor, today=periods[0][0]).visits
    for visit in JointInspection.objects.filter(day__lt=today, record__isnull=True).order_by("day", "pk"):
        if rng.random() < 0.3:
            continue  # not yet recorded
        outcome = rng.choices(list(FINDINGS), weights=[7, 2, 1])[0]
        started = timezone.make_aware(
            dt.datetime.combine(visit.day, dt.time(9, 0)) + dt.timedelta(minutes=rng.randrange(0, 420))
        )
        entries = [e for t in visit.tasks.all() for i in t.plan.items.all() for e in i.checklist.all()]
        checklist = [
            {"entry_id": e.pk, "result": "fail" if outcome != "no_issue" and k == 0 else "pass"}
            for k, e in enumerate(entries)
        ]
        try:
            with transaction.atomic():
                result = services.record_inspection(
                    actor,
                    {
                        "visit": visit.pk,
                        "officer_ids": list(visit.officers.values_list("pk", flat=True)),
                        "started_at": started,
                        "ended_at": started + dt.timedelta(minutes=rng.randrange(30, 120)),
                        "findings": FINDINGS[outcome],
                        "outcome": outcome,
                        "checklist": checklist,
                    },
                )
                if outcome == "rectification":
                    services.issue_rectification(
                        actor, result.record.pk, "完善台账记录并报送整改情况", 10, today=visit.day
                    )
        except (ValidationError, DomainError):
            continue  # e.g. a certificate that expired before the visit day
        counts["records"] += 1
    counts["records_total"] = InspectionRecord.objects.count()
    return counts
