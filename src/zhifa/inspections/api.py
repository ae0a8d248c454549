"""Inspection endpoints: plans, 双随机 draws (run, read, verify, publish), joint-inspection
planning, visits, records, indicators, and the public 行政行为码 (no login)."""

import datetime as dt

from django.core.exceptions import ValidationError
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from zhifa.api.pagination import Pagination
from zhifa.catalog.models import EnforcementItem
from zhifa.core.scopes import Scope
from zhifa.organizations.models import Organization

from . import selectors, services

router = Router(tags=["检查"])


class PlanOut(Schema):
    id: int
    name: str
    department_id: int
    department_name: str = Field(alias="department.name")
    period_start: dt.date
    period_end: dt.date
    ratios: dict[str, float]
    state: str
    state_label: str = Field(alias="get_state_display")
    draw_nonce: str
    item_count: int = 0
    task_count: int = 0


class PlanDetailOut(PlanOut):
    item_codes: list[str]

    @staticmethod
    def resolve_item_codes(obj) -> list[str]:
        return [item.code for item in obj.items.all()]


class PlanIn(Schema):
    department_id: int
    name: str
    period_start: dt.date
    period_end: dt.date
    ratios: dict[str, float]
    item_ids: list[int]


class DrawIn(Schema):
    day: dt.date | None = None


class DrawOut(Schema):
    plan_id: int
    draw_day: dt.date
    nonce: str
    seed: str
    inputs_digest: str
    result: dict
    drawn_at: dt.datetime
    published_at: dt.datetime | None


class DrawDetailOut(DrawOut):
    inputs: dict


class VerifyOut(Schema):
    ok: bool
    digest_ok: bool
    result_ok: bool
    tasks_ok: bool


class JointPlanOut(Schema):
    tasks: int
    visits: int
    saved: int
    unscheduled: int


class VisitOut(Schema):
    id: int
    party_id: int
    party_name: str = Field(alias="party.name")
    day: dt.date
    state: str
    task_count: int
    department_count: int


class ChecklistLineIn(Schema):
    entry_id: int
    result: str
    note: str = ""


class RecordIn(Schema):
    visit_id: int | None = None
    task_id: int | None = None
    officer_ids: list[int]
    started_at: dt.datetime
    ended_at: dt.datetime
    findings: str = ""
    outcome: str = "no_issue"
    checklist: list[ChecklistLineIn] = []


class RecordOut(Schema):
    id: int
    visit_id: int | None
    task_id: int | None
    party_id: int
    party_name: str
    department_id: int
    department_name: str
    officer_ids: list[int]
    started_at: dt.datetime
    ended_at: dt.datetime
    outcome: str
    findings: str
    warnings: list[str]
    handoff_kind: str
    handoff_ref: str

    @staticmethod
    def resolve_officer_ids(obj) -> list[int]:
        return sorted(o.pk for o in obj.officers.all())

    # Resolvers rather than dotted aliases: same values, faster lists (zhifa.api.labels).
    @staticmethod
    def resolve_party_name(obj) -> str:
        return obj.party.name

    @staticmethod
    def resolve_department_name(obj) -> str:
        return obj.department.name


class RecordFilters(Schema):
    party_id: int | None = None
    outcome: str | None = None
    q: str | None = None


class PlanFilters(Schema):
    state: str | None = None
    department_id: int | None = None
    q: str | None = None


class DepartmentIndicatorOut(Schema):
    department_id: int
    department_name: str
    tasks: int
    scheduled: int
    visits: int
    saved: int


class InspectionIndicatorsOut(Schema):
    tasks: int
    visits: int
    saved: int
    departments: list[DepartmentIndicatorOut]


class InspectorOut(Schema):
    name: str
    certificate_number: str
    organization: str


class PublicCodeOut(Schema):
    party_name: str
    day: dt.date
    departments: list[str]
    items: list[str]
    inspectors: list[InspectorOut]
    rateable: bool
    rating: int | None


class RatingIn(Schema):
    rating: int
    comment: str = ""


def _scope(request) -> Scope:
    return Scope.for_user(request.auth)


@router.get("/plans", response=list[PlanOut], summary="检查计划列表")
@paginate(Pagination, page_size=50)
def list_plans(request, filters: Query[PlanFilters]):
    return selectors.plans(_scope(request), **filters.dict())


@router.post("/plans", response={201: PlanDetailOut}, summary="制定检查计划")
def create_plan(request, payload: PlanIn):
    data = payload.dict()
    department = Organization.objects.filter(pk=data.pop("department_id")).first()
    if department is None:
        raise ValidationError({"department_id": ValidationError("所选部门不存在", code="does_not_exist")})
    ids = data.pop("item_ids")
    items = list(EnforcementItem.objects.filter(pk__in=ids))
    if len(items) != len(set(ids)):
        raise ValidationError({"item_ids": ValidationError("所选事项不存在", code="does_not_exist")})
    plan = services.create_plan(request.auth, {**data, "department": department, "items": items})
    return Status(201, selectors.plan_detail(_scope(request), plan.pk))


@router.get("/plans/{plan_id}", response=PlanDetailOut, summary="检查计划详情")
def get_plan(request, plan_id: int):
    return selectors.plan_detail(_scope(request), plan_id)


def _draw_out(draw):
    return {**{k: getattr(draw, k) for k in ("plan_id", "draw_day", "nonce", "seed", "inputs_digest", "result",
                                             "drawn_at", "published_at", "inputs")}}


@router.post("/plans/{plan_id}/draw", response={201: DrawDetailOut}, summary="双随机抽取")
def run_draw(request, plan_id: int, payload: DrawIn):
    return Status(201, _draw_out(services.run_draw(request.auth, plan_id, payload.day)))


@router.get("/plans/{plan_id}/draw", response=DrawDetailOut, summary="抽取结果（含种子与全部输入，可复算）")
def get_draw(request, plan_id: int):
    return _draw_out(selectors.draw_of(_scope(request), plan_id))


@router.post("/plans/{plan_id}/draw/verify", response=VerifyOut, summary="复算抽取并比对")
def verify_draw(request, plan_id: int):
    check = services.verify_draw(selectors.draw_of(_scope(request), plan_id))
    return {"ok": check.ok, "digest_ok": check.digest_ok, "result_ok": check.result_ok, "tasks_ok": check.tasks_ok}


@router.post("/plans/{plan_id}/draw/publish", response=DrawOut, summary="公示抽取结果")
def publish_draw(request, plan_id: int):
    return _draw_out(services.publish_draw(request.auth, plan_id))


@router.post("/joint-inspections/plan", response=JointPlanOut, summary="统筹安排综合查一次")
def plan_joint(request):
    result = services.plan_joint_inspections(request.auth)
    return {"tasks": result.tasks, "visits": result.visits, "saved": result.saved, "unscheduled": result.unscheduled}


@router.get("/visits", response=list[VisitOut], summary="综合查一次（检查安排）")
@paginate(Pagination, page_size=50)
def list_visits(request, state: str | None = None):
    return selectors.visits(_scope(request), state=state)


#: The columns RecordOut reads (officers come from the selector's prefetch).
RECORD_LIST_FIELDS = ("id", "visit_id", "task_id", "party_id", "party__name", "department_id", "department__name",
                      "started_at", "ended_at", "outcome", "findings", "warnings", "handoff_kind", "handoff_ref")


@router.get("/records", response=list[RecordOut], summary="检查记录列表")
@paginate(Pagination, page_size=50)
def list_records(request, filters: Query[RecordFilters]):
    return selectors.records(_scope(request), **filters.dict()).only(*RECORD_LIST_FIELDS)


@router.post("/records", response={201: RecordOut}, summary="填写检查记录")
def create_record(request, payload: RecordIn):
    data = payload.dict()
    data["visit"], data["task"] = data.pop("visit_id"), data.pop("task_id")
    result = services.record_inspection(request.auth, data)
    return Status(201, selectors.record_detail(_scope(request), result.record.pk))


@router.get("/records/{record_id}", response=RecordOut, summary="检查记录详情")
def get_record(request, record_id: int):
    return selectors.record_detail(_scope(request), record_id)


@router.get("/indicators", response=InspectionIndicatorsOut, summary="综合查一次指标：任务数、上门次数、减少上门次数")
def indicators(request):
    scope = _scope(request)
    district = selectors.district_indicators(scope)
    departments = [{"department_id": r["department_id"], "department_name": r["department__name"], "tasks": r["tasks"],
                    "scheduled": r["scheduled"], "visits": r["visits"], "saved": r["saved"]}
                   for r in selectors.department_indicators(scope)]
    return {"tasks": district.tasks, "visits": district.visits, "saved": district.saved, "departments": departments}


@router.get("/public/codes/{token}", response=PublicCodeOut, auth=None, summary="行政行为码（公开，扫码查看）")
def public_code(request, token: str):
    info = selectors.public_code(services.code_from_token(token))
    return {**{k: getattr(info, k) for k in ("party_name", "day", "departments", "items", "rateable")},
            "inspectors": [i.__dict__ for i in info.inspectors], "rating": info.code.rating}


@router.post("/public/codes/{token}/rating", response=PublicCodeOut, auth=None, summary="评价本次检查（一次）")
def rate_code(request, token: str, payload: RatingIn):
    services.rate_action_code(token, payload.rating, payload.comment)
    return public_code(request, token)
