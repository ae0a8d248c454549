"""The roster's part of the landing pages (待办): certificates to renew, the staff working in a
township, and the staffing indicators of the reform (力量下沉)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse

from zhifa.core import todo
from zhifa.core.scopes import Scope

from . import rules, selectors
from .models import Certificate, Officer


@todo.provider("department_admin", "township_leader", order=30)
def expiring_certificates(user, today):
    """Certificates valid today that end within the warning period, the soonest first, so they are
    renewed before the officer must stop enforcing (行政处罚法第四十二条)."""
    scope = Scope.for_user(user)
    horizon = today + dt.timedelta(days=rules.CERTIFICATE_EXPIRY_WARNING_DAYS)
    officers = scope.filter(Officer.objects.filter(is_active=True), "organization", "posted_to")
    later = Certificate.objects.valid_on(horizon + dt.timedelta(days=1)).filter(officer=OuterRef("officer"))
    qs = (
        Certificate.objects.valid_on(today)
        .filter(valid_to__lte=horizon, officer__in=officers)
        .exclude(Exists(later))
        .select_related("officer__organization")
        .order_by("valid_to", "pk")
    )
    items = [
        todo.Item(
            title=f"{c.officer.name} · {c.number}",
            url=reverse("organizations:officer_detail", args=[c.officer_id]),
            due=c.valid_to,
            detail=c.officer.organization.name,
            badge="即将到期",
            level=todo.WARN if (c.valid_to - today).days > 7 else todo.BAD,
        )
        for c in qs[: todo.SHOWN]
    ]
    return todo.Section(
        "certificates",
        f"{rules.CERTIFICATE_EXPIRY_WARNING_DAYS} 天内到期的执法证",
        count=qs.count(),
        items=items,
        more_url=reverse("organizations:officer_list") + "?certificate=expiring",
        empty="没有即将到期的执法证",
        note="到期前换证，避免无证执法",
    )


@todo.provider("township_leader", order=15)
def staff_on_duty(user, today):
    """Who works in the township today: its own teams and stations and the officers posted to it."""
    scope = Scope.for_user(user)
    officers = scope.filter(Officer.objects.filter(is_active=True), "organization", "posted_to")
    valid = Exists(Certificate.objects.valid_on(today).filter(officer=OuterRef("pk")))
    row = officers.aggregate(
        total=Count("pk"),
        enforcement=Count("pk", filter=Q(kind=Officer.Kind.ENFORCEMENT)),
        certified=Count("pk", filter=Q(valid, kind=Officer.Kind.ENFORCEMENT)),
        auxiliary=Count("pk", filter=Q(kind=Officer.Kind.AUXILIARY)),
        posted=Count("pk", filter=Q(posted_to__isnull=False)),
    )
    roster = reverse("organizations:officer_list")
    short = row["certified"] < rules.MIN_CERTIFIED_OFFICERS_PER_TOWNSHIP
    figures = [
        todo.Figure("在岗人员", str(row["total"]), url=roster),
        todo.Figure(
            "持证执法人员",
            str(row["certified"]),
            note=f"至少 {rules.MIN_CERTIFIED_OFFICERS_PER_TOWNSHIP} 人",
            level=todo.BAD if short else todo.GOOD,
            url=roster + "?certificate=valid",
        ),
        todo.Figure("下沉人员", str(row["posted"]), url=roster + "?posted=1"),
        todo.Figure("辅助人员", str(row["auxiliary"]), url=roster + "?kind=auxiliary"),
    ]
    return todo.Section(
        "staff",
        "在岗力量",
        count=0,
        figures=figures,
        more_url=roster,
        more_label="执法人员名册",
        empty="",
        note="本乡镇（街道）执法队、派驻站所人员及下沉人员",
    )


@todo.provider("guidance_office", order=30)
def staffing(user, today):
    """力量下沉: the share of enforcement staff working in townships (goal ≥ 60%), and the
    townships with fewer than two certified officers (行政处罚法第四十二条)."""
    scope = Scope.for_user(user)
    ind = selectors.staffing_indicators(scope)
    share = ind.township_share * 100
    roster = reverse("organizations:officer_list")
    figure = todo.Figure(
        "力量下沉：乡镇（街道）执法人员占比",
        f"{share:.1f}%",
        note=f"目标 ≥ {ind.goal * 100:.0f}% · {'已达到' if ind.meets_goal else '未达到'}下沉目标 · "
        f"在乡镇（街道）工作 {ind.in_townships} 人 / 执法岗共 {ind.enforcement_staff} 人",
        level=todo.GOOD if ind.meets_goal else todo.BAD,
        url=roster + "?posted=1",
    )
    short = list(selectors.townships_short_of_certified(scope, today))
    items = [
        todo.Item(title=r.name, url=roster, badge=f"持证 {r.certified} 人", level=todo.BAD) for r in short
    ]
    return todo.Section(
        "staffing",
        "力量下沉与持证人员",
        count=len(short),
        figures=[figure],
        items=items,
        more_url=reverse("organizations:organization_tree"),
        more_label="机构与编制",
        empty=f"各乡镇（街道）持证执法人员均不少于 {rules.MIN_CERTIFIED_OFFICERS_PER_TOWNSHIP} 人",
        note=f"持证执法人员不足 {rules.MIN_CERTIFIED_OFFICERS_PER_TOWNSHIP} 人的乡镇（街道）不能独立执法（行政处罚法第四十二条）",
    )
