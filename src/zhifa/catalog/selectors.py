"""Reads of the catalog: the derived lists, item detail, the claim report, the catalog as of a
date and the indicators (each one SQL aggregate).

The catalog is the district's published list of powers (三项制度: powers and lists are public
before enforcement), so every logged-in user reads all of it; writes are what the services guard.
The public pages read only published, in-force items and none of the internal fields.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from zhifa.core.errors import NotFound
from zhifa.core.sql import SubqueryCount
from zhifa.organizations.models import Region

from . import rules, search
from .models import (
    CatalogRevision,
    ChecklistEntry,
    Claim,
    Domain,
    EnforcementItem,
    ItemHistory,
    LegalBasis,
    RevisionChange,
    TownshipItemChoice,
)

LIST_LABELS = {
    "master": "执法目录总清单",
    "comprehensive": "综合执法清单",
    "professional": "专业执法清单",
    "inspection": "行政检查清单",
    "key_supervision": "重点监管清单",
    "township": "乡镇（街道）执法清单",
}

# ---- conditions shared by the lists, the claim report and the indicators ----

HIGH_THREE = Q(high_frequency=True) | Q(high_demand=True) | Q(high_comprehensiveness=True)
IN_COMPREHENSIVE = Q(enforcing_body__in=rules.COMPREHENSIVE_BODIES)
IS_PENALTY = Q(kind=rules.PENALTY)
NEEDS_DISTRICT_CLAIM = ~Q(enforcing_body=rules.TOWNSHIP, township_library=rules.BASE)


def _township_regions() -> QuerySet[Region]:
    return Region.objects.filter(level__in=Region.TOWNSHIP_LEVELS)


def missing_district_claim() -> Q:
    """The item needs a district claim (``rules.needs_district_claim``) and has none."""
    return NEEDS_DISTRICT_CLAIM & ~Exists(Claim.objects.filter(item=OuterRef("pk"), level=rules.DISTRICT_LEVEL))


def missing_township_claim() -> Q:
    """Some township has the item on its list (base item, or optional item it chose) without
    a township-level claim for it."""
    claim_here = Claim.objects.filter(item=OuterRef(OuterRef("pk")), level=rules.TOWNSHIP_LEVEL, region=OuterRef("pk"))
    base_gap = Q(township_library=rules.BASE) & Exists(_township_regions().exclude(Exists(claim_here)))
    chosen_gap = Exists(TownshipItemChoice.objects.filter(item=OuterRef("pk")).exclude(Exists(
        Claim.objects.filter(item=OuterRef("item"), level=rules.TOWNSHIP_LEVEL, region=OuterRef("region")))))
    return base_gap | chosen_gap


def _bool(condition: Q) -> ExpressionWrapper:
    return ExpressionWrapper(condition, output_field=BooleanField())


# ---- the lists ----

def _items() -> QuerySet[EnforcementItem]:
    return EnforcementItem.objects.select_related("domain", "regulator")


LIST_CONDITIONS = {
    "master": Q(),
    "comprehensive": IN_COMPREHENSIVE,
    "professional": Q(enforcing_body=rules.PROFESSIONAL),
    "inspection": Q(kind=rules.INSPECTION),
    "key_supervision": Q(key_supervision=True),
}


def master_catalog() -> QuerySet[EnforcementItem]:
    """执法目录总清单: every item in force."""
    return _items().in_force()


def comprehensive_list() -> QuerySet[EnforcementItem]:
    """综合执法清单: what the comprehensive bureau and the townships exercise."""
    return master_catalog().filter(LIST_CONDITIONS["comprehensive"])


def professional_list() -> QuerySet[EnforcementItem]:
    """专业执法清单: what the professional departments keep."""
    return master_catalog().filter(LIST_CONDITIONS["professional"])


def inspection_list() -> QuerySet[EnforcementItem]:
    """行政检查清单: inspection items with their checklists."""
    return master_catalog().filter(LIST_CONDITIONS["inspection"]).prefetch_related("checklist")


def key_supervision_list() -> QuerySet[EnforcementItem]:
    """重点监管清单."""
    return master_catalog().filter(LIST_CONDITIONS["key_supervision"])


def on_township_list(region_id: int) -> Q:
    return Q(township_library=rules.BASE) | Q(
        township_library=rules.OPTIONAL, pk__in=TownshipItemChoice.objects.filter(region_id=region_id).values("item_id"))


def township_list(region: Region) -> QuerySet[EnforcementItem]:
    """A township's list: every base item plus the optional items it chose."""
    return master_catalog().filter(on_township_list(region.pk))


def items(*, list_name: str = "master", region: Region | None = None, domain: str | None = None,
          kind: str | None = None, enforcing_body: str | None = None, high_three: bool | None = None,
          key_supervision: bool | None = None, township_library: str | None = None, status: str | None = None,
          q: str | None = None) -> QuerySet[EnforcementItem]:
    """Items of a list with the filters of the item list page and the API. ``status`` is in
    force unless "repealed" or "all" is asked for; ``q`` keeps the search hits, best first."""
    qs = _items()
    if status != "all":
        qs = qs.filter(status=rules.REPEALED if status == rules.REPEALED else rules.IN_FORCE)
    if list_name == "township":
        qs = qs.filter(on_township_list(region.pk)) if region is not None else qs.none()
    else:
        qs = qs.filter(LIST_CONDITIONS.get(list_name, Q()))
    if domain:
        qs = qs.filter(domain__code=domain)
    if kind:
        qs = qs.filter(kind=kind)
    if enforcing_body:
        qs = qs.filter(enforcing_body=enforcing_body)
    if high_three is not None:
        qs = qs.filter(HIGH_THREE) if high_three else qs.exclude(HIGH_THREE)
    if key_supervision is not None:
        qs = qs.filter(key_supervision=key_supervision)
    if township_library:
        qs = qs.filter(township_library=township_library)
    qs = qs.prefetch_related(Prefetch("claims", queryset=Claim.objects.select_related("organization").order_by("level", "region_id")))
    if q:
        hits = search.search_item_ids(q, limit=200, include_repealed=status in (rules.REPEALED, "all"))
        if not hits:
            return qs.none()
        rank = Case(*[When(pk=pk, then=Value(n)) for n, (pk, _) in enumerate(hits)], output_field=IntegerField())
        return qs.filter(pk__in=[pk for pk, _ in hits]).order_by(rank, "code")
    return qs.order_by("domain__sort_order", "code")


def item_detail(code: str) -> EnforcementItem:
    item = (_items().prefetch_related(
        Prefetch("legal_bases", queryset=LegalBasis.objects.order_by("order", "pk")),
        Prefetch("checklist", queryset=ChecklistEntry.objects.order_by("order")),
        Prefetch("claims", queryset=Claim.objects.select_related("organization", "region").order_by("level", "region__code")),
        Prefetch("history", queryset=ItemHistory.objects.select_related("revision").order_by("-valid_from", "-pk")),
    ).annotate(township_choices_count=Count("township_choices", distinct=True)).filter(code=code).first())
    if item is None:
        raise NotFound("事项不存在")
    return item


def item_revisions(code: str) -> QuerySet[RevisionChange]:
    return RevisionChange.objects.filter(item_code=code).select_related("revision").order_by("-revision__effective_on")


def optional_items_for(region: Region) -> QuerySet[EnforcementItem]:
    """The optional library, each item marked ``chosen`` by this township."""
    return master_catalog().filter(township_library=rules.OPTIONAL).annotate(
        chosen=Exists(TownshipItemChoice.objects.filter(region=region, item=OuterRef("pk")))).order_by("domain__sort_order", "code")


def township_regions() -> QuerySet[Region]:
    return _township_regions().order_by("code")


# ---- public lists (portal) ----

def _public(qs: QuerySet[EnforcementItem], today: dt.date | None, search: str = "") -> QuerySet[EnforcementItem]:
    today = today or timezone.localdate()
    district_claims = Claim.objects.filter(level=rules.DISTRICT_LEVEL).select_related("organization")
    if search:
        qs = qs.filter(Q(code__icontains=search) | Q(name__icontains=search))
    return qs.filter(published_on__lte=today).select_related("domain", "regulator").prefetch_related(
        Prefetch("legal_bases", queryset=LegalBasis.objects.order_by("order", "pk")),
        Prefetch("claims", queryset=district_claims, to_attr="district_claims"),
    ).order_by("domain__sort_order", "code")


def public_professional_list(today: dt.date | None = None, search: str = "") -> QuerySet[EnforcementItem]:
    return _public(professional_list(), today, search)


def public_key_supervision_list(today: dt.date | None = None, search: str = "") -> QuerySet[EnforcementItem]:
    return _public(key_supervision_list(), today, search)


# ---- history ----

def catalog_as_of(day: dt.date) -> QuerySet[ItemHistory]:
    """The catalog as it stood on ``day``: the version of each item in force that day."""
    return (ItemHistory.objects.filter(valid_from__lte=day).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
            .order_by("code"))


def revisions(state: str | None = None) -> QuerySet[CatalogRevision]:
    qs = CatalogRevision.objects.select_related("proposed_by", "approved_by").annotate(change_count=Count("changes"))
    return qs.filter(state=state) if state else qs


def revision_detail(revision_id: int) -> CatalogRevision:
    revision = revisions().prefetch_related("changes").filter(pk=revision_id).first()
    if revision is None:
        raise NotFound()
    return revision


# ---- claims ----

@dataclass(frozen=True)
class ClaimReport:
    unclaimed: list[EnforcementItem]  # each with ``missing_district`` and ``missing_township``
    double_claimed: list[dict]  # {item, level, region, organizations}


def claim_report() -> ClaimReport:
    """Items in force lacking a claim they need, and places claimed twice. The unique
    constraints prevent double claims; the report reads the data anyway, so rows loaded around
    the constraint (a restore, a migration) still show up."""
    unclaimed = list(master_catalog().annotate(
        missing_district=_bool(missing_district_claim()), missing_township=_bool(missing_township_claim()),
    ).filter(Q(missing_district=True) | Q(missing_township=True)).order_by("domain__sort_order", "code"))
    groups = list(Claim.objects.annotate(
        place=Case(When(level=rules.TOWNSHIP_LEVEL, then=F("region_id")), default=None, output_field=IntegerField()),
    ).values("item_id", "level", "place").annotate(n=Count("pk")).filter(n__gt=1))
    double = []
    if groups:
        keys = {(g["item_id"], g["level"], g["place"]) for g in groups}
        claims = (Claim.objects.filter(item_id__in={g["item_id"] for g in groups})
                  .select_related("item", "organization", "region").order_by("item__code", "level", "pk"))
        by_key: dict[tuple, list[Claim]] = {}
        for claim in claims:
            key = (claim.item_id, claim.level, claim.region_id if claim.level == rules.TOWNSHIP_LEVEL else None)
            if key in keys:
                by_key.setdefault(key, []).append(claim)
        double = [{"item": c[0].item, "level": c[0].level, "region": c[0].region if c[0].level == rules.TOWNSHIP_LEVEL else None,
                   "organizations": [x.organization for x in c]} for c in by_key.values()]
    return ClaimReport(unclaimed, double)


# ---- indicators ----

@dataclass(frozen=True)
class Rate:
    part: int
    whole: int
    goal: Decimal

    @property
    def value(self) -> Decimal:
        return rules.share(self.part, self.whole)

    @property
    def meets_goal(self) -> bool:
        return self.value >= self.goal


@dataclass(frozen=True)
class CatalogIndicators:
    """The catalog's reform indicators over the items in force.

    * coverage: items with at least one legal basis and a regulator (监管主体) / items. Goal 100%.
    * claim rate: items claimed at every level they need (``rules.needs_district_claim``, and in
      every township whose list holds them) / items. Goal 100%.
    * publication rate: items published on the portal (``published_on`` up to today) / items.
      Goal 100% (三项制度: powers published before enforcement).
    * comprehensive share: penalty items exercised by the comprehensive bureau or the townships /
      penalty items. Goal ≥ 45% (over penalties: the reform concentrates the power to penalise,
      行政处罚法 art. 18).
    * 三高 share: comprehensive penalty items with at least one of the flags high frequency, high
      demand, high comprehensiveness / comprehensive penalty items. Goal ≥ 60%.
    """

    items: int
    penalties: int
    coverage: Rate
    claim_rate: Rate
    publication_rate: Rate
    comprehensive_share: Rate
    high_three_share: Rate
    key_supervision: int
    inspection: int


def indicators(today: dt.date | None = None) -> CatalogIndicators:
    """All catalog indicators in one aggregate query."""
    today = today or timezone.localdate()
    has_basis = Exists(LegalBasis.objects.filter(item=OuterRef("pk")))
    fully_claimed = ~(missing_district_claim() | missing_township_claim())
    row = EnforcementItem.objects.in_force().aggregate(
        total=Count("pk"),
        covered=Count("pk", filter=Q(has_basis, regulator__isnull=False)),
        claimed=Count("pk", filter=fully_claimed),
        published=Count("pk", filter=Q(published_on__lte=today)),
        penalties=Count("pk", filter=IS_PENALTY),
        comprehensive=Count("pk", filter=IS_PENALTY & IN_COMPREHENSIVE),
        high_three=Count("pk", filter=IS_PENALTY & IN_COMPREHENSIVE & HIGH_THREE),
        key_supervision=Count("pk", filter=Q(key_supervision=True)),
        inspection=Count("pk", filter=Q(kind=rules.INSPECTION)),
    )
    total = row["total"]
    return CatalogIndicators(
        items=total,
        penalties=row["penalties"],
        coverage=Rate(row["covered"], total, rules.COVERAGE_GOAL),
        claim_rate=Rate(row["claimed"], total, rules.CLAIM_RATE_GOAL),
        publication_rate=Rate(row["published"], total, rules.PUBLICATION_RATE_GOAL),
        comprehensive_share=Rate(row["comprehensive"], row["penalties"], rules.COMPREHENSIVE_SHARE_GOAL),
        high_three_share=Rate(row["high_three"], row["comprehensive"], rules.HIGH_THREE_SHARE_GOAL),
        key_supervision=row["key_supervision"],
        inspection=row["inspection"],
    )


def domain_indicators() -> QuerySet[Domain]:
    """Per domain, in one query: items in force, penalty items, comprehensive penalty items and
    the 三高 ones among them, key-supervision items, and items lacking a needed claim."""
    in_force = Q(items__status=rules.IN_FORCE)
    penalties = in_force & Q(items__kind=rules.PENALTY)
    comprehensive = penalties & Q(items__enforcing_body__in=rules.COMPREHENSIVE_BODIES)
    high_three = Q(items__high_frequency=True) | Q(items__high_demand=True) | Q(items__high_comprehensiveness=True)
    unclaimed = EnforcementItem.objects.in_force().filter(domain=OuterRef("pk")).filter(
        missing_district_claim() | missing_township_claim()).values("pk")
    return Domain.objects.annotate(
        total=Count("items", filter=in_force),
        penalties=Count("items", filter=penalties),
        comprehensive=Count("items", filter=comprehensive),
        high_three=Count("items", filter=comprehensive & high_three),
        key_supervision=Count("items", filter=in_force & Q(items__key_supervision=True)),
        unclaimed=SubqueryCount(unclaimed),
    ).order_by("sort_order", "code")


def township_indicators() -> QuerySet[Region]:
    """Per township, in one query: list size (base items + chosen optional items in force), the
    chosen ones, and the list items without a township claim."""
    base = EnforcementItem.objects.in_force().filter(township_library=rules.BASE).values("pk")
    chosen = TownshipItemChoice.objects.filter(region=OuterRef("pk"), item__status=rules.IN_FORCE).values("pk")
    on_list = EnforcementItem.objects.in_force().filter(
        Q(township_library=rules.BASE) | Exists(TownshipItemChoice.objects.filter(region=OuterRef(OuterRef("pk")),
                                                                                  item=OuterRef("pk"))))
    unclaimed = on_list.exclude(Exists(Claim.objects.filter(item=OuterRef("pk"), level=rules.TOWNSHIP_LEVEL,
                                                            region=OuterRef(OuterRef("pk"))))).values("pk")
    return township_regions().annotate(
        base_items=SubqueryCount(base), chosen_items=SubqueryCount(chosen), unclaimed=SubqueryCount(unclaimed),
    ).annotate(list_size=F("base_items") + F("chosen_items"))
