"""Reads of baselines and flexible lists. Baselines and lists are published rules of the district
(行政处罚法第三十四条), so every logged-in user reads all of them; the public pages read only the
published entries in force.

Articles: 行政处罚法第三十四条 (published baselines), 第三十七条 (the rule in force at the time of the act).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from zhifa.catalog import rules as catalog_rules
from zhifa.catalog.models import EnforcementItem
from zhifa.core.errors import NotFound

from . import rules
from .models import (
    DRAFT,
    IN_FORCE,
    PUBLISHED,
    SUPERSEDED,
    CircumstanceLevel,
    DiscretionBaseline,
    FlexibleListEntry,
)


def _valid_on(day: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}effective_from__lte": day}) & (
        Q(**{f"{prefix}effective_to__isnull": True}) | Q(**{f"{prefix}effective_to__gte": day})
    )


def baselines_valid_on(day: dt.date) -> QuerySet[DiscretionBaseline]:
    """Approved versions (in force or since superseded) that applied on ``day``."""
    return DiscretionBaseline.objects.filter(_valid_on(day), status__in=(IN_FORCE, SUPERSEDED))


def baseline_in_force(item: EnforcementItem | int, on_date: dt.date) -> DiscretionBaseline | None:
    """The version of the item's baseline in force on ``on_date`` (a case keeps the version in force
    on the day it was filed), with its levels; None when the item had none that day."""
    item_id = getattr(item, "pk", item)
    return (
        baselines_valid_on(on_date)
        .filter(item_id=item_id)
        .select_related("item")
        .prefetch_related(Prefetch("levels", queryset=CircumstanceLevel.objects.order_by("order")))
        .order_by("-effective_from", "-version")
        .first()
    )


def entries_in_force(item: EnforcementItem | int, on_date: dt.date) -> QuerySet[FlexibleListEntry]:
    """The reviewed entries of the item in force on ``on_date`` (drafts never apply to a case)."""
    return FlexibleListEntry.objects.filter(
        _valid_on(on_date), item_id=getattr(item, "pk", item), status__in=(PUBLISHED, SUPERSEDED)
    ).order_by("kind", "pk")


def baselines(
    *, q: str | None = None, status: str | None = None, domain: str | None = None
) -> QuerySet[DiscretionBaseline]:
    qs = DiscretionBaseline.objects.select_related("item", "item__domain", "approved_by").annotate(
        level_count=Count("levels")
    )
    if q:
        qs = qs.filter(
            Q(item__name__contains=q) | Q(item__code__startswith=q) | Q(item__keywords__contains=q)
        )
    if status:
        qs = qs.filter(status=status)
    if domain:
        qs = qs.filter(item__domain__code=domain)
    return qs.order_by("item__domain__sort_order", "item__code", "-version")


def baseline_detail(baseline_id: int) -> DiscretionBaseline:
    baseline = (
        DiscretionBaseline.objects.select_related("item", "item__domain", "approved_by", "created_by")
        .prefetch_related(Prefetch("levels", queryset=CircumstanceLevel.objects.order_by("order")))
        .filter(pk=baseline_id)
        .first()
    )
    if baseline is None:
        raise NotFound()
    return baseline


def item_versions(item_id: int) -> QuerySet[DiscretionBaseline]:
    return (
        DiscretionBaseline.objects.filter(item_id=item_id).select_related("approved_by").order_by("-version")
    )


def flexible_entries(
    kind: str | None = None,
    *,
    q: str | None = None,
    on_date: dt.date | None = None,
    published_only: bool = False,
) -> QuerySet[FlexibleListEntry]:
    qs = FlexibleListEntry.objects.select_related("item", "item__domain")
    if kind == rules.FIRST_OFFENCE_WAIVER:
        qs = qs.filter(first_offence_waiver=True)
    elif kind:
        qs = qs.filter(kind=kind)
    if on_date is not None:
        qs = qs.filter(_valid_on(on_date))
    if published_only:
        qs = qs.filter(published_on__lte=on_date or timezone.localdate(), status__in=(PUBLISHED, SUPERSEDED))
    if q:
        qs = qs.filter(Q(title__contains=q) | Q(item__name__contains=q) | Q(item__code__startswith=q))
    return qs.order_by("item__domain__sort_order", "item__code", "pk")


def public_entries(kind: str, today: dt.date | None = None) -> QuerySet[FlexibleListEntry]:
    today = today or timezone.localdate()
    return flexible_entries(kind, on_date=today, published_only=True)


def penalty_items() -> QuerySet[EnforcementItem]:
    """Items a baseline may be set for: penalty items in force."""
    return (
        EnforcementItem.objects.in_force()
        .filter(kind=catalog_rules.PENALTY)
        .select_related("domain")
        .order_by("code")
    )


def items_with_baseline(day: dt.date | None = None) -> QuerySet[EnforcementItem]:
    day = day or timezone.localdate()
    return penalty_items().filter(Exists(baselines_valid_on(day).filter(item=OuterRef("pk"))))


@dataclass(frozen=True)
class BaselineIndicator:
    high_frequency: int
    with_baseline: int
    goal: Decimal

    @property
    def value(self) -> Decimal:
        return rules.share(self.with_baseline, self.high_frequency)

    @property
    def meets_goal(self) -> bool:
        return self.value >= self.goal


def indicator(day: dt.date | None = None) -> BaselineIndicator:
    """Share of the high-frequency penalty items in force that have a refined baseline in force on
    ``day`` (goal 100%), in one SQL aggregate."""
    day = day or timezone.localdate()
    has_baseline = Exists(baselines_valid_on(day).filter(item=OuterRef("pk")))
    row = (
        EnforcementItem.objects.in_force()
        .filter(kind=catalog_rules.PENALTY, high_frequency=True)
        .aggregate(total=Count("pk"), covered=Count("pk", filter=Q(has_baseline)))
    )
    return BaselineIndicator(row["total"], row["covered"], rules.HIGH_FREQUENCY_BASELINE_GOAL)


def high_frequency_without_baseline(day: dt.date | None = None) -> QuerySet[EnforcementItem]:
    day = day or timezone.localdate()
    return (
        penalty_items()
        .filter(high_frequency=True)
        .exclude(Exists(baselines_valid_on(day).filter(item=OuterRef("pk"))))
    )


def draft_entries() -> QuerySet[FlexibleListEntry]:
    """Entries waiting for review."""
    return (
        FlexibleListEntry.objects.filter(status=DRAFT)
        .select_related("item", "created_by", "supersedes")
        .order_by("created_at", "pk")
    )


def catalog_change_problems(item, old: dict, new: dict | None) -> list[tuple[str, str]]:
    """What a change of a catalog item would break here (registered with the catalog): a published
    list entry of an item retired or no longer a penalty; a baseline in force whose fixed statutory
    range the new fine range no longer holds."""
    problems = []
    entries = FlexibleListEntry.objects.filter(item=item, status=PUBLISHED, effective_to__isnull=True).count()
    if entries and (new is None or new.get("kind") != catalog_rules.PENALTY):
        problems.append(
            (
                "item_on_published_list",
                f"该事项在已公布的包容审慎监管清单中有 {entries} 个条目，须先修订或撤回清单",
            )
        )
    if new is None:
        return problems
    baseline = DiscretionBaseline.objects.filter(
        item=item, status=IN_FORCE, effective_to__isnull=True
    ).first()
    if baseline is not None and baseline.statutory_kind == rules.FIXED and new.get("fine_max") is not None:
        low, high = Decimal(new.get("fine_min") or 0), Decimal(new["fine_max"])
        if baseline.statutory_low < low or baseline.statutory_high > high:
            problems.append(
                (
                    "baseline_out_of_range",
                    f"现行裁量基准第{baseline.version}版的法定幅度"
                    f"（{baseline.statutory}）超出调整后的罚款幅度，须先修订裁量基准",
                )
            )
    return problems
