"""Catalog endpoints: items (filtered, paginated), one item, keyword search, indicators."""

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.core.exceptions import ValidationError
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from zhifa.api.pagination import Pagination

from . import search, selectors

router = Router(tags=["执法事项"])


class DomainOut(Schema):
    code: str
    name: str


class ClaimOut(Schema):
    organization_id: int
    organization_name: str = Field(alias="organization.name")
    level: str
    region_id: int


class ItemOut(Schema):
    code: str
    name: str
    kind: str
    kind_label: str = Field(alias="get_kind_display")
    domain: DomainOut
    enforcing_body: str
    township_library: str
    high_frequency: bool
    high_demand: bool
    high_comprehensiveness: bool
    key_supervision: bool
    status: str
    regulator_name: str | None = Field(None, alias="regulator.name")
    claims: list[ClaimOut]

    @staticmethod
    def resolve_claims(obj):
        return list(obj.claims.all())


class LegalBasisOut(Schema):
    law: str
    article: str
    clause: str
    text: str


class ChecklistOut(Schema):
    order: int
    text: str
    legal_basis: str


class VersionOut(Schema):
    valid_from: dt.date
    valid_to: dt.date | None
    retired: bool
    revision_id: int | None


class ItemDetailOut(ItemOut):
    legal_bases: list[LegalBasisOut]
    penalty_types: list[str]
    fine_min: Decimal | None
    fine_max: Decimal | None
    fine_note: str
    keywords: str
    checklist: list[ChecklistOut]
    effective_from: dt.date | None
    effective_to: dt.date | None
    published_on: dt.date | None
    history: list[VersionOut]

    @staticmethod
    def resolve_legal_bases(obj):
        return list(obj.legal_bases.all())

    @staticmethod
    def resolve_checklist(obj):
        return list(obj.checklist.all())

    @staticmethod
    def resolve_history(obj):
        return list(obj.history.all())


class ItemFilters(Schema):
    list: Literal["master", "comprehensive", "professional", "inspection", "key_supervision", "township"] = "master"
    region_id: int | None = None
    domain: str | None = None
    kind: str | None = None
    enforcing_body: str | None = None
    high_three: bool | None = None
    key_supervision: bool | None = None
    township_library: str | None = None
    status: Literal["in_force", "repealed", "all"] | None = None
    q: str | None = None


class SearchHit(Schema):
    code: str
    name: str
    kind: str
    domain: str
    score: float


class RateOut(Schema):
    part: int
    whole: int
    value: Decimal
    goal: Decimal
    meets_goal: bool


class DomainIndicatorOut(Schema):
    code: str
    name: str
    total: int
    penalties: int
    comprehensive: int
    high_three: int
    key_supervision: int
    unclaimed: int


class TownshipIndicatorOut(Schema):
    region_id: int = Field(alias="pk")
    code: str
    name: str
    list_size: int
    base_items: int
    chosen_items: int
    unclaimed: int


class CatalogIndicatorsOut(Schema):
    items: int
    penalties: int
    coverage: RateOut
    claim_rate: RateOut
    publication_rate: RateOut
    comprehensive_share: RateOut
    high_three_share: RateOut
    key_supervision: int
    inspection: int
    domains: list[DomainIndicatorOut]
    townships: list[TownshipIndicatorOut]


def _rate(rate: selectors.Rate) -> dict:
    return {"part": rate.part, "whole": rate.whole, "value": rate.value, "goal": rate.goal, "meets_goal": rate.meets_goal}


@router.get("/items", response=list[ItemOut], summary="执法事项（按清单和条件筛选）")
@paginate(Pagination, page_size=50)
def list_items(request, filters: Query[ItemFilters]):
    data = filters.dict()
    region = None
    if data["list"] == "township":
        region = selectors.township_regions().filter(pk=data["region_id"]).first() if data["region_id"] else None
        if region is None:
            raise ValidationError({"region_id": ValidationError("乡镇（街道）清单须指定乡镇（街道）", code="required")})
    return selectors.items(list_name=data["list"], region=region, domain=data["domain"], kind=data["kind"],
                           enforcing_body=data["enforcing_body"], high_three=data["high_three"],
                           key_supervision=data["key_supervision"], township_library=data["township_library"],
                           status=data["status"], q=data["q"])


@router.get("/items/{code}", response=ItemDetailOut, summary="执法事项详情")
def get_item(request, code: str):
    return selectors.item_detail(code)


@router.get("/search", response=list[SearchHit], summary="按中文关键词检索事项（BM25）")
def search_items(request, q: str, limit: int = Query(10, ge=1, le=50)):
    return [{"code": item.code, "name": item.name, "kind": item.kind, "domain": item.domain.name, "score": score}
            for item, score in search.search_items(q, limit)]


@router.get("/indicators", response=CatalogIndicatorsOut, summary="清单指标（整体、分领域、分乡镇）")
def indicators(request):
    ind = selectors.indicators()
    return {
        "items": ind.items, "penalties": ind.penalties, "key_supervision": ind.key_supervision, "inspection": ind.inspection,
        **{name: _rate(getattr(ind, name)) for name in ("coverage", "claim_rate", "publication_rate",
                                                          "comprehensive_share", "high_three_share")},
        "domains": list(selectors.domain_indicators()),
        "townships": list(selectors.township_indicators()),
    }

