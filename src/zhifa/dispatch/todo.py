"""Dispatch's part of the landing pages (待办): the incidents the officer's body must work, the
command centre's unassigned and overdue incidents, jurisdiction disputes, referrals to receive."""

from __future__ import annotations

import dataclasses

from django.urls import reverse

from zhifa.core import access, todo
from zhifa.core.scopes import Scope

from . import rules, selectors
from .models import Incident, JurisdictionDispute, Referral


def _incident_item(incident: Incident, *, due=None, badge: str = "") -> todo.Item:
    place = incident.township.name if incident.township_id else ""
    detail = " · ".join(part for part in (place, incident.address, incident.get_source_display()) if part)
    return todo.Item(
        title=f"{incident.tracking_code} {incident.title or incident.text[:30]}",
        url=reverse("dispatch:incident_detail", args=[incident.pk]),
        due=due if due is not None else incident.due_at,
        detail=detail,
        badge=badge or incident.get_state_display(),
        level=todo.BAD if incident.escalated else "",
    )


def _section(key, title, queryset, *, more_url, due_field="due_at", badge="", **extra) -> todo.Section:
    rows = list(queryset.select_related("township")[: todo.SHOWN])
    items = [_incident_item(i, due=getattr(i, due_field) if due_field else None, badge=badge) for i in rows]
    return todo.Section(key, title, count=queryset.count(), items=items, more_url=more_url, **extra)


@todo.provider("officer", order=10)
def assigned_incidents(user, today):
    """The incidents assigned to the officer's body and not yet answered, nearest deadline first."""
    if getattr(user, "organization", None) is None:
        return None
    return _section(
        "my-incidents",
        "交办给我的事件",
        selectors.my_tasks(user),
        more_url=reverse("dispatch:my_tasks"),
        empty="没有待处置的事件",
        note="签收、处置并反馈结果，超过办理期限将升级督办",
    )


@todo.provider("command_center", order=10)
def unassigned_incidents(user, today):
    qs = (
        selectors.visible_incidents(Scope.for_user(user))
        .filter(state__in=(rules.REPORTED, rules.RETURNED))
        .order_by("reported_at", "pk")
    )
    return _section(
        "unassigned",
        "待交办事件",
        qs,
        due_field="",
        more_url=reverse("dispatch:queue") + "?state=reported",
        empty="没有待交办的事件",
        note="含承办单位退回的事件，按登记时间先后排列",
        action_url=reverse("dispatch:report"),
        action_label="登记事件",
    )


@todo.provider("command_center", order=20)
def overdue_incidents(user, today):
    qs = (
        selectors.visible_incidents(Scope.for_user(user))
        .filter(overdue=True, state__in=rules.WORKING_STATES)
        .order_by("due_at", "pk")
    )
    return _section(
        "overdue",
        "超期事件",
        qs,
        more_url=reverse("dispatch:queue") + "?overdue=true",
        empty="没有超期事件",
        note="已过办理期限仍未反馈；超期后按规则升级督办",
    )


def _dispute_items(disputes) -> list[todo.Item]:
    return [
        todo.Item(
            title=f"{d.incident.tracking_code} {d.raised_by.name} ↔ {d.other_org.name}",
            url=reverse("dispatch:incident_detail", args=[d.incident_id]) + "#disputes",
            due=d.deadline,
            detail=d.raised_reason[:60],
            badge=d.get_state_display(),
        )
        for d in disputes
    ]


@todo.provider("command_center", "guidance_office", order=30)
def open_disputes(user, today):
    """Jurisdiction disputes (推诿扯皮) awaiting the guidance office's decision, by deadline."""
    qs = (
        selectors.disputes(Scope.for_user(user), JurisdictionDispute.State.OPEN)
        .select_related("incident")
        .order_by("deadline", "pk")
    )
    decides = access.has_role(user, "guidance_office")
    return todo.Section(
        "disputes",
        "待裁定的执法争议" if decides else "执法争议",
        count=qs.count(),
        items=_dispute_items(qs[: todo.SHOWN]),
        more_url=reverse("dispatch:referral_list"),
        empty="没有待裁定的争议",
        note="由区综合行政执法指导办公室裁定，裁定即交办",
    )


@todo.provider("township_leader", order=10)
def township_incidents(user, today):
    """The township's open incidents (located in it or assigned to its bodies), nearest deadline first."""
    scope = Scope.for_user(user)
    qs = (
        selectors.visible_incidents(scope)
        .filter(state__in=rules.OPEN_STATES)
        .order_by("due_at", "reported_at", "pk")
    )
    overdue = qs.filter(overdue=True, state__in=rules.WORKING_STATES).count()
    section = _section(
        "township-incidents",
        "本乡镇（街道）未办结事件",
        qs,
        more_url=reverse("dispatch:queue") + "?state=open",
        empty="没有未办结的事件",
    )
    figures = [
        todo.Figure("未办结", str(section.count), url=reverse("dispatch:queue") + "?state=open"),
        todo.Figure(
            "超期",
            str(overdue),
            level=todo.BAD if overdue else todo.GOOD,
            url=reverse("dispatch:queue") + "?overdue=true",
        ),
    ]
    return dataclasses.replace(section, figures=figures)


@todo.provider("department_admin", "township_leader", order=60)
def referrals_to_receive(user, today):
    """Leads (线索移送) sent to the user's bodies and not yet received, by their due date."""
    org = getattr(user, "organization", None)
    if org is None:
        return None
    qs = (
        Referral.objects.filter(state=Referral.State.SENT, to_org__path__startswith=org.path)
        .select_related("from_org")
        .order_by("due_on", "pk")
    )
    count = qs.count()
    if not count:
        return None
    items = [
        todo.Item(
            title=f"{r.from_org.name} 移送：{r.reason[:30]}",
            url=reverse("dispatch:referral_list"),
            due=r.due_on,
            badge=r.get_state_display(),
        )
        for r in qs[: todo.SHOWN]
    ]
    return todo.Section(
        "referrals", "待接收的移送线索", count=count, items=items, more_url=reverse("dispatch:referral_list")
    )
