"""Supervision's part of the landing pages (待办): open alerts, case files to review (案卷评查),
and the recommendations and circulars (执法建议 / 执法通报) a body must answer."""

from __future__ import annotations

from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.urls import reverse

from zhifa.core import todo
from zhifa.core.scopes import Scope

from . import rules, selectors
from .models import Notice, Review
from .rules_registry import RULES

_SEVERITY_RANK = Case(
    When(severity=rules.Severity.HIGH, then=Value(0)),
    When(severity=rules.Severity.MEDIUM, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)
_SEVERITY_LEVEL = {
    rules.Severity.HIGH: todo.BAD,
    rules.Severity.MEDIUM: todo.WARN,
    rules.Severity.LOW: todo.INFO,
}


def _rule_name(code: str) -> str:
    rule = RULES.get(code)
    return rule.name if rule else "监督预警"


@todo.provider("supervisor", order=10)
def open_alerts(user, today):
    """Open alerts: the ones handed to the user first, then the unassigned; the most severe first."""
    qs = (
        selectors.visible_alerts(Scope.for_user(user))
        .filter(state__in=rules.OPEN_STATES)
        .filter(Q(assignee=user) | Q(assignee__isnull=True))
        .annotate(rank=_SEVERITY_RANK)
        .order_by("rank", "raised_at", "pk")
    )
    items = [
        todo.Item(
            title=a.message[:60],
            url=reverse("supervision:alert_detail", args=[a.pk]),
            detail=_rule_name(a.rule_code),
            badge=f"{a.get_severity_display()} · {a.get_state_display()}",
            level=_SEVERITY_LEVEL.get(a.severity, todo.INFO),
        )
        for a in qs[: todo.SHOWN]
    ]
    return todo.Section(
        "alerts",
        "待处理的监督预警",
        count=qs.count(),
        items=items,
        more_url=reverse("supervision:alerts"),
        empty="没有待处理的预警",
        note="交办责任单位说明或整改，核实后关闭",
    )


@todo.provider("supervisor", order=20)
def case_file_reviews(user, today):
    qs = (
        selectors.reviews(Scope.for_user(user))
        .filter(state=Review.State.PENDING, reviewer=user)
        .order_by("batch_id", "pk")
    )
    items = [
        todo.Item(
            title=f"{r.case} · {r.organization.name}",
            url=reverse("supervision:review_detail", args=[r.pk]),
            detail=str(r.batch),
            badge=r.get_state_display(),
        )
        for r in qs[: todo.SHOWN]
    ]
    return todo.Section(
        "reviews",
        "待评查的案卷",
        count=qs.count(),
        items=items,
        more_url=reverse("supervision:reviews"),
        empty="没有分配给您的案卷",
    )


@todo.provider("department_admin", "township_leader", "head", order=40)
def notices_to_answer(user, today):
    """Recommendations and circulars sent to the user's bodies and not yet answered, by reply date."""
    qs = (
        selectors.notices(Scope.for_user(user))
        .exclude(state=Notice.State.REPLIED)
        .order_by("reply_due", "sent_at", "pk")
    )
    count = qs.count()
    if not count:
        return None
    items = [
        todo.Item(
            title=n.title,
            url=reverse("supervision:notice_detail", args=[n.pk]),
            due=n.reply_due,
            detail=n.get_kind_display(),
            badge=n.get_state_display(),
        )
        for n in qs[: todo.SHOWN]
    ]
    return todo.Section(
        "notices", "待回复的执法建议/通报", count=count, items=items, more_url=reverse("supervision:notices")
    )


@todo.provider("guidance_office", order=50)
def alerts_overview(user, today):
    qs = selectors.visible_alerts(Scope.for_user(user)).filter(state__in=rules.OPEN_STATES)
    row = {s: 0 for s in rules.SEVERITY_LABELS}
    for severity, n in qs.order_by().values_list("severity").annotate(n=Count("pk")):
        row[severity] = n
    url = reverse("supervision:alerts")
    figures = [
        todo.Figure(
            f"{label}预警",
            str(row[s]),
            level=_SEVERITY_LEVEL[s] if row[s] else todo.GOOD,
            url=f"{url}?severity={s}",
        )
        for s, label in rules.SEVERITY_LABELS.items()
    ]
    return todo.Section(
        "alert-overview", "监督预警（未关闭）", count=0, figures=figures, more_url=url, empty=""
    )
