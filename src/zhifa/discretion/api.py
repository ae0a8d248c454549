"""Discretion endpoints: baselines, flexible lists, and a recommendation for given facts."""

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.core.exceptions import ValidationError
from django.utils import timezone
from ninja import Field, Query, Router, Status
from ninja.pagination import paginate
from pydantic import ConfigDict

from zhifa.catalog.models import EnforcementItem
from zhifa.core.pagination import Pagination
from zhifa.core.schema import Schema

from . import rules, selectors, services

router = Router(tags=["裁量基准"])


class LevelOut(Schema):
    order: int
    name: str
    label: str = Field(alias="get_name_display")
    description: str
    conditions: dict
    conditions_text: str
    range_kind: str
    range_low: Decimal
    range_high: Decimal
    mitigated: bool
    other_penalties: str


class BaselineOut(Schema):
    id: int
    item_code: str = Field(alias="item.code")
    item_name: str = Field(alias="item.name")
    version: int
    status: str
    effective_from: dt.date
    effective_to: dt.date | None
    published_on: dt.date | None
    statutory_kind: str
    statutory_low: Decimal
    statutory_high: Decimal
    statutory_note: str
    levels: list[LevelOut]

    @staticmethod
    def resolve_levels(obj):
        return list(obj.levels.all())


class EntryOut(Schema):
    id: int
    status: str
    kind: str
    kind_label: str = Field(alias="get_kind_display")
    item_code: str = Field(alias="item.code")
    item_name: str = Field(alias="item.name")
    title: str
    conditions_text: str
    conditions: dict
    legal_basis: str
    first_offence_waiver: bool
    version: int
    effective_from: dt.date
    effective_to: dt.date | None
    published_on: dt.date | None


class BaselineFilters(Schema):
    q: str | None = None
    status: Literal["draft", "in_force", "superseded"] | None = None
    domain: str | None = None


class EntryFilters(Schema):
    kind: (
        Literal[
            "no_penalty", "mitigated", "lighter", "no_compulsion", "notice_and_pledge", "first_offence_waiver"
        ]
        | None
    ) = None
    q: str | None = None
    on_date: dt.date | None = None


class FactsIn(Schema):
    first_offence: bool = False
    corrected_in_time: bool = False
    harm: Literal["none", "minor", "serious"] = "none"
    amount_involved: Decimal = Decimal("0")
    repeat: bool = False
    refused_correction: bool = False
    illegal_gains: Decimal | None = None
    value_involved: Decimal | None = None
    project_cost: Decimal | None = None
    no_subjective_fault: bool = False
    mental_incapacity: bool = False
    age: int | None = None
    art32_circumstances: list[Literal["removed_harm", "coerced", "confessed", "meritorious"]] = []


class RecommendIn(Schema):
    item_code: str
    on_date: dt.date | None = None
    facts: FactsIn = FactsIn()
    decided_amount: Decimal | None = None
    deviation_reason: str = ""


class RangeOut(Schema):
    kind: str
    low: Decimal
    high: Decimal
    text: str


class ReasonOut(Schema):
    text: str
    article: str


class DeviationOut(Schema):
    allowed: bool
    needs_legal_review: bool
    code: str | None
    message: str


class RecommendationOut(Schema):
    baseline_id: int
    baseline_version: int
    level: str
    level_label: str
    lawful_range: RangeOut
    statutory_range: RangeOut
    amount_low: Decimal | None
    amount_high: Decimal | None
    applicable_entry: str | None
    applicable_entry_label: str | None
    entry_id: int | None
    no_compulsion: bool
    reasons: list[ReasonOut]
    deviation: DeviationOut | None


def _range(r: rules.PenaltyRange) -> dict:
    return {"kind": r.kind, "low": r.low, "high": r.high, "text": str(r)}


@router.get("/baselines", response=list[BaselineOut], summary="裁量基准（各事项各版本）")
@paginate(Pagination, page_size=50)
def list_baselines(request, filters: Query[BaselineFilters]):
    return selectors.baselines(**filters.dict()).prefetch_related("levels")


@router.get("/baselines/{baseline_id}", response=BaselineOut, summary="裁量基准详情")
def get_baseline(request, baseline_id: int):
    return selectors.baseline_detail(baseline_id)


@router.get(
    "/lists", response=list[EntryOut], summary="不予处罚、减轻、从轻、免予强制、告知承诺清单及首违不罚"
)
@paginate(Pagination, page_size=50)
def list_entries(request, filters: Query[EntryFilters]):
    return selectors.flexible_entries(filters.kind, q=filters.q, on_date=filters.on_date)


@router.post("/recommend", response=RecommendationOut, summary="按案件事实推荐裁量情节和幅度")
def recommend(request, payload: RecommendIn):
    item = EnforcementItem.objects.filter(code=payload.item_code).first()
    if item is None:
        raise ValidationError({"item_code": ValidationError("事项编码不存在", code="does_not_exist")})
    on_date = payload.on_date or timezone.localdate()
    facts = payload.facts.dict()
    rec = services.recommend_for(item, facts, on_date)
    baseline = selectors.baseline_in_force(item, on_date)
    deviation = None
    if payload.decided_amount is not None:
        deviation = rules.deviation_check(rec, payload.decided_amount, payload.deviation_reason).__dict__
    return {
        "baseline_id": baseline.pk,
        "baseline_version": baseline.version,
        "level": rec.level.name,
        "level_label": rec.level.label,
        "lawful_range": _range(rec.lawful_range),
        "statutory_range": _range(rec.statutory),
        "amount_low": rec.yuan[0] if rec.yuan else None,
        "amount_high": rec.yuan[1] if rec.yuan else None,
        "applicable_entry": rec.applicable_entry,
        "applicable_entry_label": rules.ENTRY_LABELS.get(rec.applicable_entry)
        if rec.applicable_entry
        else None,
        "entry_id": rec.entry.id if rec.entry else None,
        "no_compulsion": rec.no_compulsion,
        "reasons": [{"text": text, "article": article} for text, article in rec.reasons],
        "deviation": deviation,
    }


# ---- upkeep: drafts by the item's department, review and publication by the 执法指导办 ----


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")


class LevelIn(Strict):
    name: Literal["minor", "ordinary", "serious", "grave"]
    description: str = ""
    conditions: dict = {}
    range_kind: str = "fixed"
    range_low: Decimal = Decimal("0")
    range_high: Decimal = Decimal("0")
    other_penalties: str = ""
    mitigated: bool = False


class BaselineIn(Strict):
    item_code: str
    effective_from: dt.date
    levels: list[LevelIn]
    document_number: str = ""
    statutory_kind: str | None = None
    statutory_low: Decimal | None = None
    statutory_high: Decimal | None = None
    statutory_note: str = ""


class ApproveIn(Strict):
    published_on: dt.date | None = None


class EntryIn(Strict):
    kind: Literal["no_penalty", "mitigated", "lighter", "no_compulsion", "notice_and_pledge"]
    item_code: str
    title: str
    conditions_text: str
    conditions: dict = {}
    legal_basis: str
    first_offence_waiver: bool = False
    effective_from: dt.date


class EntryRevisionIn(Strict):
    title: str
    conditions_text: str
    conditions: dict = {}
    legal_basis: str
    first_offence_waiver: bool = False
    effective_from: dt.date


def _item(code: str) -> EnforcementItem:
    item = EnforcementItem.objects.filter(code=code).first()
    if item is None:
        raise ValidationError({"item_code": ValidationError("事项编码不存在", code="does_not_exist")})
    return item


@router.post("/baselines", response={201: BaselineOut}, summary="制定裁量基准（草稿，待审核）")
def create_baseline(request, payload: BaselineIn):
    data = payload.dict(exclude={"item_code"})
    data = {k: v for k, v in data.items() if v not in (None, "")}
    baseline = services.create_baseline(request.auth, _item(payload.item_code), data)
    return Status(201, selectors.baseline_detail(baseline.pk))


@router.post(
    "/baselines/{baseline_id}/approve", response=BaselineOut, summary="批准施行并公布裁量基准（执法指导办）"
)
def approve_baseline(request, baseline_id: int, payload: ApproveIn):
    services.approve_baseline(request.auth, selectors.baseline_detail(baseline_id).pk, payload.published_on)
    return selectors.baseline_detail(baseline_id)


@router.post("/lists", response={201: EntryOut}, summary="新增清单条目（草稿，待审核）")
def create_entry(request, payload: EntryIn):
    data = payload.dict(exclude={"item_code"})
    return Status(201, services.add_list_entry(request.auth, _item(payload.item_code), data))


@router.post(
    "/lists/{entry_id}/revise", response={201: EntryOut}, summary="修订已公布的清单条目（新版本，待审核）"
)
def revise_entry(request, entry_id: int, payload: EntryRevisionIn):
    return Status(201, services.revise_list_entry(request.auth, entry_id, payload.dict()))


@router.post("/lists/{entry_id}/approve", response=EntryOut, summary="审核公布清单条目（执法指导办）")
def approve_entry(request, entry_id: int, payload: ApproveIn):
    return services.approve_list_entry(request.auth, entry_id, payload.published_on)
