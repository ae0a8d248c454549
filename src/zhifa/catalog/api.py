"""Catalog endpoints: items (filtered, paginated), one item, keyword search, indicators; and the
upkeep of the catalog — new items, Excel check and commit, publication, claims and withdrawals,
revisions with their review, the holder of an item on a date. The services check permissions."""

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from ninja import Field, File, Query, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import ConfigDict

from zhifa.core import access
from zhifa.core.pagination import Pagination
from zhifa.core.schema import Schema
from zhifa.organizations.models import Organization

from . import excel, imports, search, selectors, services
from .models import CatalogImport, Claim

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
    list: Literal["master", "comprehensive", "professional", "inspection", "key_supervision", "township"] = (
        "master"
    )
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
    return {
        "part": rate.part,
        "whole": rate.whole,
        "value": rate.value,
        "goal": rate.goal,
        "meets_goal": rate.meets_goal,
    }


@router.get("/items", response=list[ItemOut], summary="执法事项（按清单和条件筛选）")
@paginate(Pagination, page_size=50)
def list_items(request, filters: Query[ItemFilters]):
    data = filters.dict()
    region = None
    if data["list"] == "township":
        region = (
            selectors.township_regions().filter(pk=data["region_id"]).first() if data["region_id"] else None
        )
        if region is None:
            raise ValidationError(
                {"region_id": ValidationError("乡镇（街道）清单须指定乡镇（街道）", code="required")}
            )
    return selectors.items(
        list_name=data["list"],
        region=region,
        domain=data["domain"],
        kind=data["kind"],
        enforcing_body=data["enforcing_body"],
        high_three=data["high_three"],
        key_supervision=data["key_supervision"],
        township_library=data["township_library"],
        status=data["status"],
        q=data["q"],
    )


@router.get("/items/{code}", response=ItemDetailOut, summary="执法事项详情")
def get_item(request, code: str):
    return selectors.item_detail(code)


@router.get("/search", response=list[SearchHit], summary="按中文关键词检索事项（BM25）")
def search_items(request, q: str, limit: int = Query(10, ge=1, le=50)):
    return [
        {"code": item.code, "name": item.name, "kind": item.kind, "domain": item.domain.name, "score": score}
        for item, score in search.search_items(q, limit)
    ]


@router.get("/indicators", response=CatalogIndicatorsOut, summary="清单指标（整体、分领域、分乡镇）")
def indicators(request):
    ind = selectors.indicators()
    return {
        "items": ind.items,
        "penalties": ind.penalties,
        "key_supervision": ind.key_supervision,
        "inspection": ind.inspection,
        **{
            name: _rate(getattr(ind, name))
            for name in (
                "coverage",
                "claim_rate",
                "publication_rate",
                "comprehensive_share",
                "high_three_share",
            )
        },
        "domains": list(selectors.domain_indicators()),
        "townships": list(selectors.township_indicators()),
    }


# ---------------------------------------------------------------------------------------------
# Upkeep
# ---------------------------------------------------------------------------------------------


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")


class LegalBasisIn(Strict):
    law: str
    article: str = ""
    clause: str = ""
    text: str = ""


class ItemIn(Strict):
    """One item as a row: identifiers or their Chinese labels; checked by the one row validator."""

    code: str
    name: str
    kind: str
    domain: str
    legal_bases: list[LegalBasisIn]
    penalty_types: list[str] = []
    fine_min: Decimal | None = None
    fine_max: Decimal | None = None
    fine_note: str = ""
    regulator: str | None = None
    enforcing_body: str
    high_frequency: bool = False
    high_demand: bool = False
    high_comprehensiveness: bool = False
    key_supervision: bool = False
    township_library: str = "none"
    keywords: str = ""
    checklist: list[str] = []


class ItemCreateIn(ItemIn):
    publish: bool = True


class ChangeIn(Strict):
    action: Literal["add", "change", "retire"]
    item_code: str
    content: ItemIn | None = None


class RevisionIn(Strict):
    title: str
    reason: str
    law: str = ""
    document_number: str = ""
    effective_on: dt.date
    note: str = ""
    transfer_to_id: int | None = None
    changes: list[ChangeIn]


class RevisionOut(Schema):
    id: int
    title: str
    reason: str
    state: str
    state_label: str = Field(alias="get_state_display")
    effective_on: dt.date
    law: str
    document_number: str
    reject_reason: str
    apply_error: str
    transfer_to_id: int | None
    changes: list[dict]

    @staticmethod
    def resolve_changes(obj) -> list[dict]:
        return [
            {"action": c.action, "item_code": c.item_code, "content": c.content} for c in obj.changes.all()
        ]


class ReviewIn(Strict):
    effective_on: dt.date | None = None


class RejectIn(Strict):
    reason: str


class ClaimIn(Strict):
    item_code: str
    organization_id: int


class ClaimCreatedOut(Schema):
    id: int
    item_code: str = Field(alias="item.code")
    organization_id: int
    level: str
    region_id: int


class PublishIn(Strict):
    item_codes: list[str]


class PublishOut(Schema):
    published: int


class ImportOut(Schema):
    id: int
    file_name: str
    sha256: str
    state: str
    row_count: int
    errors: list[dict]
    new_codes: list[str]
    changed_codes: list[str]
    revision_id: int | None


class ImportCommitIn(Strict):
    mode: Literal["revision", "direct"] = "revision"
    title: str = ""
    reason: str = "other"
    law: str = ""
    document_number: str = ""
    effective_on: dt.date | None = None
    note: str = ""


class HolderOut(Schema):
    item_code: str
    on: dt.date
    organization_id: int | None
    organization_name: str | None


def _row(payload: ItemIn) -> dict[str, Any]:
    data = payload.dict()
    data.pop("publish", None)
    for key in ("fine_min", "fine_max"):
        data[key] = None if data[key] is None else str(data[key])
    return data


def _item_code(code: str):
    return selectors.item_detail(code)


@router.post("/items", response={201: ItemDetailOut}, summary="新增执法事项（执法指导办，直接生效）")
def create_item(request, payload: ItemCreateIn):
    item = services.create_item(request.auth, _row(payload), publish=payload.publish)
    return Status(201, selectors.item_detail(item.code))


@router.post("/publish", response=PublishOut, summary="公示执法事项（执法指导办）")
def publish(request, payload: PublishIn):
    ids = list(selectors.master_catalog().filter(code__in=payload.item_codes).values_list("pk", flat=True))
    if len(ids) != len(set(payload.item_codes)):
        raise ValidationError(
            {"item_codes": ValidationError("有事项编码不存在或已废止", code="does_not_exist")}
        )
    return {"published": services.publish_items(request.auth, ids)}


@router.post("/claims", response={201: ClaimCreatedOut}, summary="认领执法事项")
def claim(request, payload: ClaimIn):
    item = _item_code(payload.item_code)
    organization = access.get_visible(request.auth, Organization, payload.organization_id)
    return Status(201, services.claim_item(request.auth, item.pk, organization))


@router.delete("/claims/{claim_id}", response={204: None}, summary="撤回认领")
def withdraw(request, claim_id: int):
    claim = access.get_visible(request.auth, Claim, claim_id)
    services.withdraw_claim(request.auth, claim.pk)
    return Status(204, None)


@router.get("/revisions", response=list[RevisionOut], summary="清单动态调整")
@paginate(Pagination, page_size=50)
def list_revisions(request, state: Literal["draft", "approved", "applied", "rejected"] | None = None):
    return selectors.revisions(state).prefetch_related("changes")


@router.get("/revisions/{revision_id}", response=RevisionOut, summary="清单调整详情")
def get_revision(request, revision_id: int):
    return selectors.revision_detail(revision_id)


@router.post("/revisions", response={201: RevisionOut}, summary="提出清单调整（新增、调整、取消事项）")
def propose(request, payload: RevisionIn):
    data = payload.dict(exclude={"changes", "transfer_to_id"})
    if payload.transfer_to_id is not None:
        data["transfer_to"] = access.get_visible(request.auth, Organization, payload.transfer_to_id)
    changes = [
        {
            "action": c.action,
            "item_code": c.item_code,
            **({"content": _row(c.content) | {"code": c.item_code}} if c.content is not None else {}),
        }
        for c in payload.changes
    ]
    revision = services.propose_revision(request.auth, data, changes, source="api")
    return Status(201, selectors.revision_detail(revision.pk))


@router.post(
    "/revisions/{revision_id}/approve", response=RevisionOut, summary="审核通过并按生效日期发布（执法指导办）"
)
def approve(request, revision_id: int, payload: ReviewIn):
    services.approve_revision(
        request.auth, selectors.revision_detail(revision_id).pk, effective_on=payload.effective_on
    )
    return selectors.revision_detail(revision_id)


@router.post("/revisions/{revision_id}/reject", response=RevisionOut, summary="退回清单调整（执法指导办）")
def reject(request, revision_id: int, payload: RejectIn):
    services.reject_revision(request.auth, selectors.revision_detail(revision_id).pk, payload.reason)
    return selectors.revision_detail(revision_id)


@router.post("/imports", response={201: ImportOut}, summary="上传 Excel 并检查（列出每一处错误，不写入清单）")
def check_import(request, file: File[UploadedFile]):
    return Status(201, imports.check_file(request.auth, file))


class DirectImportOut(Schema):
    ok: bool
    dry_run: bool
    rows: int
    created: int
    updated: int
    unchanged: int
    errors: list[dict]


@router.post(
    "/import.xlsx", response=DirectImportOut, summary="一步导入 Excel（执法指导办；dry_run=true 只检查）"
)
def import_directly(request, file: File[UploadedFile], dry_run: bool = True):
    """For the 执法指导办's scripts: check (``dry_run``) or import a whole file at once, all rows or none."""
    data = file.read(imports.MAX_BYTES + 1)
    if len(data) > imports.MAX_BYTES:
        raise ValidationError({"file": ValidationError("文件不能超过 10 MB", code="file_too_large")})
    result = excel.import_items(request.auth, data, dry_run=dry_run, publish=True)
    return {
        "ok": result.ok,
        "dry_run": result.dry_run,
        "rows": result.rows,
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "errors": result.errors,
    }


@router.get("/imports/{import_id}", response=ImportOut, summary="导入检查结果")
def get_import(request, import_id: int):
    return access.get_visible(request.auth, CatalogImport, import_id)


@router.post(
    "/imports/{import_id}/commit", response=ImportOut, summary="确认导入：提交审核或直接导入（全部或全不）"
)
def commit_import(request, import_id: int, payload: ImportCommitIn):
    data = payload.dict(exclude={"mode"})
    return imports.commit_file(request.auth, import_id, mode=payload.mode, revision=data)


@router.get("/export.xlsx", summary="导出执法事项（导入模板格式）")
def export(request):
    items = selectors.master_catalog().prefetch_related("legal_bases", "checklist")
    response = HttpResponse(
        excel.export_workbook(services.item_content(i) for i in items.iterator(chunk_size=500)),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = "attachment; filename=catalog.xlsx"
    return response


@router.get("/items/{code}/holder", response=HolderOut, summary="某日实施该事项的单位（划转前后）")
def holder(request, code: str, on: dt.date):
    item = selectors.item_detail(code)
    org = selectors.holder_on(item, on)
    return {
        "item_code": item.code,
        "on": on,
        "organization_id": org.pk if org else None,
        "organization_name": org.name if org else None,
    }
