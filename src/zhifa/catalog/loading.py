"""Loading a whole catalog in the demo data's format (``data/demo_items.json``): domains, items
(published) and their default claims. Re-running it changes only what differs. The system acts
(``actor=None``) or the 执法指导办 (``catalog.manage``).

Plan 三.(一)1: the comprehensive bureau claims comprehensive items and the optional township items
it keeps where no township chose them; every township team claims the base library (行政处罚法第二十四条);
professional items go to the department named by the row, or else the regulator.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from zhifa.core import audit
from zhifa.core.errors import DomainError
from zhifa.organizations.models import Organization, Region

from . import rules, services
from .claims import create_claim
from .models import Claim, Domain, EnforcementItem
from .validation import Lookups, clean_rows, text

COMPREHENSIVE_BUREAU_NAME = "衢州市衢江区综合行政执法局"


@dataclass
class LoadResult:
    domains: int = 0
    items: services.ImportResult = field(default_factory=services.ImportResult)
    claims: int = 0


def comprehensive_bureau() -> Organization | None:
    bureaus = Organization.objects.filter(kind=Organization.Kind.COMPREHENSIVE_BUREAU, is_active=True)
    return bureaus.filter(name=COMPREHENSIVE_BUREAU_NAME).first() or bureaus.order_by("path").first()


def default_claimants(
    item: EnforcementItem,
    bureau,
    teams: list[Organization],
    orgs: dict[str, Organization],
    enforcing_department: str | None,
) -> list[Organization]:
    """Who claims an item of the loaded catalog: the comprehensive bureau for comprehensive
    items and the optional township items (which it keeps where no township chose them); the
    row's ``enforcing_department``, or else the regulating department, for professional items;
    every township team for base township items."""
    if item.enforcing_body == rules.PROFESSIONAL:
        department = orgs.get(enforcing_department or "") or item.regulator
        ok = department is not None and department.kind in rules.CLAIMING_KINDS[rules.PROFESSIONAL]
        return [department] if ok else []
    if item.enforcing_body == rules.TOWNSHIP and item.township_library == rules.BASE:
        return teams
    return [bureau] if bureau is not None else []


@transaction.atomic
def load_catalog(
    actor, domains: list[tuple[str, str]], items: list[dict], *, day: dt.date | None = None
) -> LoadResult:
    """Load a catalog in the demo data's format (``DOMAINS``, ``ITEMS``): domains, items
    (published and in force from ``day``), and their default claims. Re-running it changes only
    what differs. A regulator name not among the organisations is left empty, and the item shows
    as not covered."""
    services.require_manager(actor)
    day = day or timezone.localdate()
    result = LoadResult()
    for n, (code, name) in enumerate(domains, 1):
        _, created = Domain.objects.update_or_create(code=code, defaults={"name": name, "sort_order": n})
        result.domains += created
    lookups = Lookups.load(strict_regulator=False)
    cleaned, errors = clean_rows(items, lookups, 1)
    if errors:
        result.items.errors = errors
        raise DomainError(
            "import_invalid",
            f"演示事项有 {len(errors)} 处错误：第 {errors[0]['row']} 条 "
            f"{errors[0]['column']}：{errors[0]['message']}",
            errors[0]["column"],
        )
    services._save_clean_rows(actor, cleaned, day, publish=True, result=result.items)
    bureau = comprehensive_bureau()
    teams = list(
        Organization.objects.filter(
            kind=Organization.Kind.TOWNSHIP_TEAM, is_active=True, region__level__in=Region.TOWNSHIP_LEVELS
        ).select_related("region")
    )
    by_code = {
        item.code: item
        for item in EnforcementItem.objects.filter(code__in=[c.code for c in cleaned]).select_related(
            "regulator"
        )
    }

    def place(item_id: int, level: str, region_id: int) -> tuple:
        return item_id, level, region_id if level == rules.TOWNSHIP_LEVEL else None

    claimed = {
        place(c.item_id, c.level, c.region_id) for c in Claim.objects.filter(item__in=by_code.values())
    }
    for row in items:
        item = by_code[text(row["code"])]
        for org in default_claimants(
            item, bureau, teams, lookups.organizations, row.get("enforcing_department")
        ):
            key = place(item.pk, rules.claim_level(org.region.is_township), org.region_id)
            if key not in claimed:  # an existing claim, whoever holds it, is left alone
                create_claim(actor, item, org)
                claimed.add(key)
                result.claims += 1
    audit.record(
        actor,
        "catalog.load",
        object_type="catalog",
        object_id="catalog",
        after={
            "domains": len(domains),
            "items": len(items),
            "created": len(result.items.created),
            "updated": len(result.items.updated),
            "claims": result.claims,
        },
    )
    services.bump_version()
    return result
