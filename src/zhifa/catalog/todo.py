"""The catalog's part of the landing pages (待办): items a department should claim (认领),
catalog revisions (动态调整) to approve or waiting to take effect, and the catalog indicators."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse

from zhifa.core import todo

from . import rules, selectors
from .models import CatalogRevision


@todo.provider("department_admin", order=10)
def items_to_claim(user, today):
    """Items in force that need a district claim, have none, and that a body of the user's kind
    may claim (``rules.CLAIMING_KINDS``)."""
    org = getattr(user, "organization", None)
    if org is None:
        return None
    bodies = [body for body, kinds in rules.CLAIMING_KINDS.items() if org.kind in kinds]
    qs = (
        selectors.master_catalog()
        .filter(selectors.missing_district_claim(), enforcing_body__in=bodies)
        .select_related("domain")
        .order_by("effective_from", "code")
    )
    count = qs.count()
    items = [
        todo.Item(
            title=i.name,
            url=reverse("catalog:item_detail", args=[i.code]),
            detail=f"{i.code} · {i.domain.name}",
            badge="待认领",
        )
        for i in qs[: todo.SHOWN]
    ]
    return todo.Section(
        "claims",
        "待认领的执法事项",
        count=count,
        items=items,
        more_url=reverse("catalog:claims_report"),
        empty="本单位可认领的事项均已认领",
        note="每个事项须有单位认领，方能进入执法清单",
    )


def _revision_items(revisions) -> list[todo.Item]:
    return [
        todo.Item(
            title=r.title,
            url=reverse("catalog:revision_detail", args=[r.pk]),
            due=r.effective_on,
            detail=f"{r.get_reason_display()} · {r.legal_basis}",
            badge=r.get_state_display(),
        )
        for r in revisions
    ]


@todo.provider("department_admin", order=20)
def my_revisions(user, today):
    """Revisions the user proposed that are not in force yet, by effective date."""
    qs = (
        CatalogRevision.objects.filter(proposed_by=user)
        .exclude(state=rules.APPLIED)
        .order_by("effective_on", "pk")
    )
    return todo.Section(
        "my-revisions",
        "清单动态调整",
        count=qs.count(),
        items=_revision_items(qs[: todo.SHOWN]),
        more_url=reverse("catalog:revision_list"),
        empty="没有在途的调整",
        note="法律法规规章立改废后提出调整，经指导办审批后于生效日期起执行",
    )


@todo.provider("guidance_office", order=20)
def revisions_to_approve(user, today):
    """Draft revisions waiting for the guidance office, by effective date (approve before it)."""
    qs = (
        CatalogRevision.objects.filter(state=rules.DRAFT)
        .exclude(Q(proposed_by=user))
        .order_by("effective_on", "pk")
    )
    return todo.Section(
        "approve-revisions",
        "待审批的清单调整",
        count=qs.count(),
        items=_revision_items(qs[: todo.SHOWN]),
        more_url=reverse("catalog:revision_list"),
        empty="没有待审批的清单调整",
        note="提出人不能审批自己提出的调整",
    )


def _percent(rate) -> str:
    return f"{rate.value * 100:.1f}%"


@todo.provider("guidance_office", order=40)
def catalog_indicators(user, today):
    ind = selectors.indicators(today)
    url = reverse("catalog:indicators")
    figures = [
        todo.Figure(
            label,
            _percent(rate),
            note=f"目标 ≥ {rate.goal * 100:.0f}%",
            level=todo.GOOD if rate.meets_goal else todo.BAD,
            url=url,
        )
        for label, rate in (
            ("认领率", ind.claim_rate),
            ("公示率", ind.publication_rate),
            ("综合执法事项占比", ind.comprehensive_share),
            ("三高事项占比", ind.high_three_share),
        )
    ]
    return todo.Section(
        "catalog-indicators",
        "执法事项指标",
        count=0,
        figures=figures,
        more_url=url,
        more_label="查看指标",
        empty="",
        note=f"在用事项 {ind.items} 项，其中行政处罚 {ind.penalties} 项",
    )
