"""Inspections' part of the landing pages (待办): the officer's planned visits (综合查一次) and the
rectification orders (责令整改) whose deadline has come for a re-check."""

from __future__ import annotations

from django.urls import reverse

from zhifa.core import todo
from zhifa.core.scopes import Scope

from . import selectors
from .models import InspectionTask, JointInspection, RectificationOrder


@todo.provider("officer", order=20)
def inspection_tasks(user, today):
    """Visits the officer is drawn for and has not recorded yet, the earliest day first; tasks of
    his not yet joined into a visit follow, by the end of their window."""
    officer_id = getattr(user, "officer_id", None)
    if officer_id is None:
        return None
    visits = (
        JointInspection.objects.filter(officers=officer_id, state=JointInspection.State.PLANNED)
        .select_related("party", "party__township")
        .order_by("day", "pk")
    )
    loose = (
        InspectionTask.objects.filter(officers=officer_id, visit__isnull=True)
        .exclude(state=InspectionTask.State.DONE)
        .select_related("party", "plan")
        .order_by("window_end", "pk")
    )
    items = [
        todo.Item(
            title=f"{v.party.name}",
            url=reverse("inspections:visit_record", args=[v.pk]),
            due=v.day,
            detail=" · ".join(
                p for p in (v.party.township.name if v.party.township_id else "", v.party.address) if p
            ),
            badge="综合查一次",
        )
        for v in visits[: todo.SHOWN]
    ]
    room = todo.SHOWN - len(items)
    if room > 0:
        items += [
            todo.Item(
                title=t.party.name,
                url=reverse("inspections:plan_detail", args=[t.plan_id]),
                due=t.window_end,
                detail=t.plan.name,
                badge=t.get_state_display(),
            )
            for t in loose[:room]
        ]
    return todo.Section(
        "inspections",
        "检查任务",
        count=visits.count() + loose.count(),
        items=items,
        more_url=reverse("inspections:visit_list") + "?state=planned",
        empty="没有待检查的任务",
        note="进一次门、查多项事：到场后按检查清单逐项记录",
    )


@todo.provider("officer", order=40)
def rectification_checks(user, today):
    """Rectification orders on records the officer took part in, still open, by deadline: after
    the deadline the party's correction is checked (复查)."""
    officer_id = getattr(user, "officer_id", None)
    if officer_id is None:
        return None
    qs = (
        RectificationOrder.objects.filter(state=RectificationOrder.State.OPEN, record__officers=officer_id)
        .select_related("record__party")
        .order_by("deadline", "pk")
        .distinct()
    )
    items = [
        todo.Item(
            title=o.record.party.name,
            url=reverse("inspections:record_detail", args=[o.record_id]),
            due=o.deadline,
            detail=o.content[:60],
            badge=o.get_state_display(),
        )
        for o in qs[: todo.SHOWN]
    ]
    return todo.Section(
        "rectifications",
        "整改复查",
        count=qs.count(),
        items=items,
        more_url=reverse("inspections:record_list"),
        empty="没有待复查的整改",
        note="整改期限届满后到场复查",
    )


@todo.provider("township_leader", "department_admin", order=50)
def open_rectifications(user, today):
    """Rectification orders of the user's bodies still open, by deadline."""
    records = selectors.visible_records(Scope.for_user(user))
    qs = (
        RectificationOrder.objects.filter(state=RectificationOrder.State.OPEN, record__in=records)
        .select_related("record__party")
        .order_by("deadline", "pk")
    )
    count = qs.count()
    if not count:
        return None
    items = [
        todo.Item(
            title=o.record.party.name,
            url=reverse("inspections:record_detail", args=[o.record_id]),
            due=o.deadline,
            detail=o.content[:60],
            badge=o.get_state_display(),
        )
        for o in qs[: todo.SHOWN]
    ]
    return todo.Section(
        "open-rectifications",
        "整改中的检查对象",
        count=count,
        items=items,
        more_url=reverse("inspections:record_list"),
    )
