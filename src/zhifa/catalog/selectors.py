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
from zhifa.core.scopes import Scope
from zhifa.core.sql import SubqueryCount
from zhifa.organizations.models import Organization, Region

from . import rules, search
from .models import (
    CatalogImport,
    CatalogRevision,
    ChecklistEntry,
    Claim,
    Domain,
    EnforcementItem,
    ItemHistory,
    ItemTransfer,
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
    return NEEDS_DISTRICT_CLAIM & ~Exists(
        Claim.objects.filter(item=OuterRef("pk"), level=rules.DISTRICT_LEVEL)
    )


def missing_township_claim() -> Q:
    """Some township has the item on its list (base item, or optional item it chose) without
    a township-level claim for it."""
    claim_here = Claim.objects.filter(
        item=OuterRef(OuterRef("pk")), level=rules.TOWNSHIP_LEVEL, region=OuterRef("pk")
    )
    base_gap = Q(township_library=rules.BASE) & Exists(_township_regions().exclude(Exists(claim_here)))
    chosen_gap = Exists(
        TownshipItemChoice.objects.filter(item=OuterRef("pk")).exclude(
            Exists(
                Claim.objects.filter(
                    item=OuterRef("item"), level=rules.TOWNSHIP_LEVEL, region=OuterRef("region")
                )
            )
        )
    )
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
        township_library=rules.OPTIONAL,
        pk__in=TownshipItemChoice.objects.filter(region_id=region_id).values("item_id"),
    )


def township_list(region: Region) -> QuerySet[EnforcementItem]:
    """A township's list: every base item plus the optional items it chose."""
    return master_catalog().filter(on_township_list(region.pk))


def items(
    *,
    list_name: str = "master",
    region: Region | None = None,
    domain: str | None = None,
    kind: str | None = None,
    enforcing_body: str | None = None,
    high_three: bool | None = None,
    key_supervision: bool | None = None,
    township_library: str | None = None,
    status: str | None = None,
    q: str | None = None,
) -> QuerySet[EnforcementItem]:
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
    qs = qs.prefetch_related(
        Prefetch(
            "claims", queryset=Claim.objects.select_related("organization").order_by("level", "region_id")
        )
    )
    if q:
        hits = search.search_item_ids(q, limit=200, include_repealed=status in (rules.REPEALED, "all"))
        if not hits:
            return qs.none()
        rank = Case(
            *[When(pk=pk, then=Value(n)) for n, (pk, _) in enumerate(hits)], output_field=IntegerField()
        )
        return qs.filter(pk__in=[pk for pk, _ in hits]).order_by(rank, "code")
    return qs.order_by("domain__sort_order", "code")


def item_detail(code: str) -> EnforcementItem:
    item = (
        _items()
        .prefetch_related(
            Prefetch("legal_bases", queryset=LegalBasis.objects.order_by("order", "pk")),
            Prefetch("checklist", queryset=ChecklistEntry.objects.order_by("order")),
            Prefetch(
                "claims",
                queryset=Claim.objects.select_related("organization", "region").order_by(
                    "level", "region__code"
                ),
            ),
            Prefetch(
                "history",
                queryset=ItemHistory.objects.select_related("revision").order_by("-valid_from", "-pk"),
            ),
        )
        .annotate(township_choices_count=Count("township_choices", distinct=True))
        .filter(code=code)
        .first()
    )
    if item is None:
        raise NotFound("事项不存在")
    return item


def item_revisions(code: str) -> QuerySet[RevisionChange]:
    return (
        RevisionChange.objects.filter(item_code=code)
        .select_related("revision")
        .order_by("-revision__effective_on")
    )


def optional_items_for(region: Region) -> QuerySet[EnforcementItem]:
    """The optional library, each item marked ``chosen`` by this township."""
    return (
        master_catalog()
        .filter(township_library=rules.OPTIONAL)
        .annotate(chosen=Exists(TownshipItemChoice.objects.filter(region=region, item=OuterRef("pk"))))
        .order_by("domain__sort_order", "code")
    )


def township_regions() -> QuerySet[Region]:
    return _township_regions().order_by("code")


# ---- public lists (portal) ----


def _public(
    qs: QuerySet[EnforcementItem], today: dt.date | None, search: str = ""
) -> QuerySet[EnforcementItem]:
    today = today or timezone.localdate()
    district_claims = Claim.objects.filter(level=rules.DISTRICT_LEVEL).select_related("organization")
    if search:
        qs = qs.filter(Q(code__icontains=search) | Q(name__icontains=search))
    return (
        qs.filter(published_on__lte=today)
        .select_related("domain", "regulator")
        .prefetch_related(
            Prefetch("legal_bases", queryset=LegalBasis.objects.order_by("order", "pk")),
            Prefetch("claims", queryset=district_claims, to_attr="district_claims"),
        )
        .order_by("domain__sort_order", "code")
    )


def public_professional_list(today: dt.date | None = None, search: str = "") -> QuerySet[EnforcementItem]:
    return _public(professional_list(), today, search)


def public_key_supervision_list(today: dt.date | None = None, search: str = "") -> QuerySet[EnforcementItem]:
    return _public(key_supervision_list(), today, search)


# ---- history ----


def catalog_as_of(day: dt.date) -> QuerySet[ItemHistory]:
    """The catalog as it stood on ``day``: the version of each item in force that day."""
    return (
        ItemHistory.objects.filter(valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .order_by("code")
    )


def revisions(state: str | None = None) -> QuerySet[CatalogRevision]:
    qs = CatalogRevision.objects.select_related("proposed_by", "approved_by").annotate(
        change_count=Count("changes")
    )
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
    unclaimed = list(
        master_catalog()
        .annotate(
            missing_district=_bool(missing_district_claim()),
            missing_township=_bool(missing_township_claim()),
        )
        .filter(Q(missing_district=True) | Q(missing_township=True))
        .order_by("domain__sort_order", "code")
    )
    groups = list(
        Claim.objects.annotate(
            place=Case(
                When(level=rules.TOWNSHIP_LEVEL, then=F("region_id")),
                default=None,
                output_field=IntegerField(),
            ),
        )
        .values("item_id", "level", "place")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    double = []
    if groups:
        keys = {(g["item_id"], g["level"], g["place"]) for g in groups}
        claims = (
            Claim.objects.filter(item_id__in={g["item_id"] for g in groups})
            .select_related("item", "organization", "region")
            .order_by("item__code", "level", "pk")
        )
        by_key: dict[tuple, list[Claim]] = {}
        for claim in claims:
            key = (
                claim.item_id,
                claim.level,
                claim.region_id if claim.level == rules.TOWNSHIP_LEVEL else None,
            )
            if key in keys:
                by_key.setdefault(key, []).append(claim)
        double = [
            {
                "item": c[0].item,
                "level": c[0].level,
                "region": c[0].region if c[0].level == rules.TOWNSHIP_LEVEL else None,
                "organizations": [x.organization for x in c],
            }
            for c in by_key.values()
        ]
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
    high_three = (
        Q(items__high_frequency=True) | Q(items__high_demand=True) | Q(items__high_comprehensiveness=True)
    )
    unclaimed = (
        EnforcementItem.objects.in_force()
        .filter(domain=OuterRef("pk"))
        .filter(missing_district_claim() | missing_township_claim())
        .values("pk")
    )
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
    chosen = TownshipItemChoice.objects.filter(region=OuterRef("pk"), item__status=rules.IN_FORCE).values(
        "pk"
    )
    on_list = EnforcementItem.objects.in_force().filter(
        Q(township_library=rules.BASE)
        | Exists(TownshipItemChoice.objects.filter(region=OuterRef(OuterRef("pk")), item=OuterRef("pk")))
    )
    unclaimed = on_list.exclude(
        Exists(
            Claim.objects.filter(
                item=OuterRef("pk"), level=rules.TOWNSHIP_LEVEL, region=OuterRef(OuterRef("pk"))
            )
        )
    ).values("pk")
    return (
        township_regions()
        .annotate(
            base_items=SubqueryCount(base),
            chosen_items=SubqueryCount(chosen),
            unclaimed=SubqueryCount(unclaimed),
        )
        .annotate(list_size=F("base_items") + F("chosen_items"))
    )


# ---- claims a body could make (the 待认领 page) ----


def claimable_organizations(actor) -> QuerySet[Organization]:
    """The bodies in the actor's scope that may claim items: enforcement bodies and township teams."""
    kinds = set().union(*rules.CLAIMING_KINDS.values())
    qs = (
        Organization.objects.filter(is_active=True, kind__in=kinds)
        .filter(Q(is_enforcement_body=True) | Q(kind=Organization.Kind.TOWNSHIP_TEAM))
        .select_related("region")
        .order_by("path")
    )
    scope = Scope.for_user(actor)
    if scope.everything:
        return qs
    return qs.filter(path__startswith=scope.org_path) if scope.org_path else qs.none()


def claimable_items(organization: Organization) -> QuerySet[EnforcementItem]:
    """Items in force this body could claim and nobody has claimed where it sits: at district level
    the items of its kind lacking a district claim; in a township the items of the township's list
    lacking its township claim. Its own field's items (it is their regulator) first."""
    region = organization.region
    qs = master_catalog()
    if region.is_township:
        if organization.kind not in rules.CLAIMING_KINDS[rules.TOWNSHIP]:
            return qs.none()
        qs = qs.filter(on_township_list(region.pk)).exclude(
            Exists(Claim.objects.filter(item=OuterRef("pk"), level=rules.TOWNSHIP_LEVEL, region=region))
        )
    else:
        bodies = [body for body, kinds in rules.CLAIMING_KINDS.items() if organization.kind in kinds]
        qs = qs.filter(enforcing_body__in=bodies).filter(missing_district_claim())
    own = Case(
        When(regulator_id=organization.pk, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return qs.annotate(own_field=own).order_by("own_field", "domain__sort_order", "code")


def claims_of(organization: Organization) -> QuerySet[Claim]:
    return (
        Claim.objects.filter(organization=organization)
        .select_related("item", "item__domain", "region")
        .order_by("item__domain__sort_order", "item__code")
    )


# ---- who held an item on a day (划转) ----


def holder_on(item: EnforcementItem | int, day: dt.date) -> Organization | None:
    """The body that exercised ``item`` at district level on ``day``: the giving body of the first
    transfer after ``day``, otherwise the current district claim. Cases and indicators either side
    of a transfer are attributed with it."""
    item_id = getattr(item, "pk", item)
    later = (
        ItemTransfer.objects.filter(item_id=item_id, effective_on__gt=day)
        .select_related("from_organization")
        .order_by("effective_on", "pk")
        .first()
    )
    if later is not None:
        return later.from_organization
    claim = (
        Claim.objects.filter(item_id=item_id, level=rules.DISTRICT_LEVEL)
        .select_related("organization")
        .first()
    )
    return claim.organization if claim is not None else None


def transfers(organization_id: int | None = None) -> QuerySet[ItemTransfer]:
    qs = ItemTransfer.objects.select_related(
        "item", "item__domain", "from_organization", "to_organization", "revision"
    )
    if organization_id:
        qs = qs.filter(Q(from_organization_id=organization_id) | Q(to_organization_id=organization_id))
    return qs.order_by("-effective_on", "from_organization__name", "item__code")


def transfer_summary() -> list[dict]:
    """Per transfer date and giving body: how many items went to which body."""
    return list(
        ItemTransfer.objects.values(
            "effective_on",
            "from_organization__name",
            "to_organization__name",
            "revision_id",
            "revision__document_number",
        )
        .annotate(items=Count("pk"))
        .order_by("-effective_on", "from_organization__name")
    )


# ---- publication ----


def unpublished_items() -> QuerySet[EnforcementItem]:
    """Items in force not yet published on the portal (公示)."""
    return master_catalog().filter(published_on__isnull=True).order_by("domain__sort_order", "code")


PUBLIC_LISTS = {
    "master": (
        "执法目录总清单",
        master_catalog,
        "衢江区全部行政执法事项：实施依据、处罚种类与幅度、实施主体。",
    ),
    "comprehensive": ("综合执法清单", comprehensive_list, "由区综合行政执法局和乡镇（街道）行使的执法事项。"),
    "professional": ("专业执法事项清单", professional_list, "由专业执法部门实施的行政执法事项。"),
    "key_supervision": (
        "重点监管清单",
        key_supervision_list,
        "涉及人民群众生命健康和公共安全、实行重点监管的执法事项。",
    ),
    "inspection": ("行政检查清单", inspection_list, "行政检查事项及其检查要点。"),
}


def public_list(list_name: str, today: dt.date | None = None, search: str = "") -> QuerySet[EnforcementItem]:
    """A published list for the portal: published, in-force items of the list."""
    return _public(PUBLIC_LISTS[list_name][1](), today, search)


def catalog_imports(actor) -> QuerySet[CatalogImport]:
    from zhifa.core import access

    return access.visible_to(actor, CatalogImport).select_related("uploaded_by", "organization", "revision")
