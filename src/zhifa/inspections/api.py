"""Inspection endpoints: plans (alone or joint, by colour and frequency), 双随机 draws (run on the
server's date, read, verify, re-draw with a reason, publish), joint-inspection planning, visits,
records (planned, or with a recorded cause), rectifications, indicators, and the public pages
(行政行为码, published plans and draws) without login."""

import datetime as dt

from django.core.exceptions import ValidationError
from ninja import Field, Query, Router, Status
from ninja.pagination import paginate
from pydantic import ConfigDict

from zhifa.catalog.models import EnforcementItem
from zhifa.core import access
from zhifa.core.pagination import Pagination
from zhifa.core.schema import Schema
from zhifa.core.scopes import Scope
from zhifa.organizations.models import Organization
from zhifa.parties.models import Party

from . import selectors, services

router = Router(tags=["检查"])


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")


class PlanOut(Schema):
    id: int
    name: str
    kind: str
    department_id: int
    department_name: str = Field(alias="department.name")
    period_start: dt.date
    period_end: dt.date
    ratios: dict[str, float]
    frequencies: dict[str, int]
    pool: dict
    state: str
    state_label: str = Field(alias="get_state_display")
    draw_commitment: str
    item_count: int = 0
    task_count: int = 0


class PlanDetailOut(PlanOut):
    item_codes: list[str]
    partner_ids: list[int]

    @staticmethod
    def resolve_item_codes(obj) -> list[str]:
        return [item.code for item in obj.items.all()]

    @staticmethod
    def resolve_partner_ids(obj) -> list[int]:
        return sorted(p.pk for p in obj.partners.all())


class PoolIn(Strict):
    industries: list[str] = []
    townships: list[int] = []
    include_light_touch: bool = False


class PlanIn(Strict):
    department_id: int
    name: str
    kind: str = "special"
    period_start: dt.date
    period_end: dt.date
    ratios: dict[str, float]
    frequencies: dict[str, int] = {}
    pool: PoolIn | None = None
    item_ids: list[int]
    partner_ids: list[int] = []


class DrawIn(Strict):
    """No date: the server draws on its own date."""


class RedrawIn(Strict):
    reason: str


class DrawOut(Schema):
    plan_id: int
    round: int
    draw_day: dt.date
    commitment: str
    nonce: str | None
    seed: str
    inputs_digest: str
    result: dict
    drawn_at: dt.datetime
    published_at: dt.datetime | None
    redraw_reason: str


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


class InspectionRecordIn(Schema):
    visit_id: int | None = None
    task_id: int | None = None
    officer_ids: list[int]
    started_at: dt.datetime
    ended_at: dt.datetime
    findings: str = ""
    outcome: str = "no_issue"
    checklist: list[ChecklistLineIn] = []


class CauseRecordIn(Strict):
    party_id: int
    department_id: int | None = None
    cause_kind: str
    cause_ref: str
    cause_note: str = ""
    item_ids: list[int]
    officer_ids: list[int]
    started_at: dt.datetime
    ended_at: dt.datetime
    findings: str = ""
    outcome: str = "no_issue"
    checklist: list[ChecklistLineIn] = []


class RectificationIn(Strict):
    content: str
    working_days: int


class VerifyRectificationIn(Strict):
    note: str = ""


class RectificationOut(Schema):
    id: int
    record_id: int
    content: str
    deadline: dt.date
    state: str
    party_report: str
    verification_note: str


class RecordOut(Schema):
    id: int
    visit_id: int | None
    task_id: int | None
    cause_kind: str
    cause_ref: str
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

    # Resolvers rather than dotted aliases: same values, faster lists (zhifa.core.labels).
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


@router.post(
    "/plans", response={201: PlanDetailOut}, summary="制定检查计划（可联合多部门、按风险颜色设比例和频次）"
)
def create_plan(request, payload: PlanIn):
    data = payload.dict()
    department = Organization.objects.filter(pk=data.pop("department_id")).first()
    if department is None:
        raise ValidationError({"department_id": ValidationError("所选部门不存在", code="does_not_exist")})
    ids = data.pop("item_ids")
    items = list(EnforcementItem.objects.filter(pk__in=ids))
    if len(items) != len(set(ids)):
        raise ValidationError({"item_ids": ValidationError("所选事项不存在", code="does_not_exist")})
    partner_ids = data.pop("partner_ids")
    partners = list(Organization.objects.filter(pk__in=partner_ids))
    if len(partners) != len(set(partner_ids)):
        raise ValidationError({"partner_ids": ValidationError("所选部门不存在", code="does_not_exist")})
    data["pool"] = data.get("pool") or {}
    plan = services.create_plan(
        request.auth, {**data, "department": department, "items": items, "partners": partners}
    )
    return Status(201, selectors.plan_detail(_scope(request), plan.pk))


@router.get("/plans/{plan_id}", response=PlanDetailOut, summary="检查计划详情")
def get_plan(request, plan_id: int):
    return selectors.plan_detail(_scope(request), plan_id)


def _draw_out(draw):
    """The secret is shown once the draw is made (it no longer decides anything); the public sees it
    when the result is published."""
    return {
        **{
            k: getattr(draw, k)
            for k in (
                "plan_id",
                "round",
                "draw_day",
                "commitment",
                "nonce",
                "seed",
                "inputs_digest",
                "result",
                "drawn_at",
                "published_at",
                "inputs",
                "redraw_reason",
            )
        }
    }


@router.post("/plans/{plan_id}/draw", response={201: DrawDetailOut}, summary="双随机抽取（服务器当日抽取）")
def run_draw(request, plan_id: int, payload: DrawIn):
    return Status(201, _draw_out(services.run_draw(request.auth, plan_id)))


@router.post(
    "/plans/{plan_id}/redraw", response={201: DrawDetailOut}, summary="重新抽取（须写明理由，原抽取结果保留）"
)
def redraw(request, plan_id: int, payload: RedrawIn):
    return Status(201, _draw_out(services.redraw(request.auth, plan_id, payload.reason)))


@router.get("/plans/{plan_id}/draw", response=DrawDetailOut, summary="抽取结果（含种子与全部输入，可复算）")
def get_draw(request, plan_id: int):
    return _draw_out(selectors.draw_of(_scope(request), plan_id))


@router.post("/plans/{plan_id}/draw/verify", response=VerifyOut, summary="复算抽取并比对")
def verify_draw(request, plan_id: int):
    check = services.verify_draw(selectors.draw_of(_scope(request), plan_id))
    return {
        "ok": check.ok,
        "digest_ok": check.digest_ok,
        "result_ok": check.result_ok,
        "tasks_ok": check.tasks_ok,
    }


@router.post("/plans/{plan_id}/draw/publish", response=DrawOut, summary="公示抽取结果")
def publish_draw(request, plan_id: int):
    return _draw_out(services.publish_draw(request.auth, plan_id))


@router.post(
    "/records/for-cause",
    response={201: RecordOut},
    summary="因事由检查（投诉举报、转办移送、线索等，须写明事由）",
)
def create_cause_record(request, payload: CauseRecordIn):
    data = payload.dict()
    data["party"] = access.get_visible(request.auth, Party, data.pop("party_id"))
    department_id = data.pop("department_id")
    if department_id is not None:
        data["department"] = access.get_visible(request.auth, Organization, department_id)
    result = services.record_for_cause(request.auth, data)
    return Status(201, selectors.record_detail(_scope(request), result.record.pk))


@router.post("/records/{record_id}/rectifications", response={201: RectificationOut}, summary="责令整改")
def issue_rectification(request, record_id: int, payload: RectificationIn):
    return Status(
        201, services.issue_rectification(request.auth, record_id, payload.content, payload.working_days)
    )


@router.post("/rectifications/{order_id}/verify", response=RectificationOut, summary="整改复查")
def verify_rectification(request, order_id: int, payload: VerifyRectificationIn):
    return services.verify_rectification(request.auth, order_id, note=payload.note)


class InspectionAssignIn(Strict):
    officer_id: int
    replaces_id: int
    reason: str


class AssignedOut(Schema):
    officer_id: int
    replaces_id: int
    reason: str


@router.post(
    "/visits/{visit_id}/officers", response=AssignedOut, summary="调整综合查一次的检查人员（写明理由）"
)
def assign_visit_officer(request, visit_id: int, payload: InspectionAssignIn):
    services.assign_officer(request.auth, visit_id=visit_id, **payload.dict())
    return payload.dict()


@router.post("/tasks/{task_id}/officers", response=AssignedOut, summary="调整检查任务的检查人员（写明理由）")
def assign_task_officer(request, task_id: int, payload: InspectionAssignIn):
    services.assign_officer(request.auth, task_id=task_id, **payload.dict())
    return payload.dict()


@router.post("/joint-inspections/plan", response=JointPlanOut, summary="统筹安排综合查一次")
def plan_joint(request):
    result = services.plan_joint_inspections(request.auth)
    return {
        "tasks": result.tasks,
        "visits": result.visits,
        "saved": result.saved,
        "unscheduled": result.unscheduled,
    }


@router.get("/visits", response=list[VisitOut], summary="综合查一次（检查安排）")
@paginate(Pagination, page_size=50)
def list_visits(request, state: str | None = None):
    return selectors.visits(_scope(request), state=state)


#: The columns RecordOut reads (officers come from the selector's prefetch).
RECORD_LIST_FIELDS = (
    "id",
    "visit_id",
    "task_id",
    "cause_kind",
    "cause_ref",
    "party_id",
    "party__name",
    "department_id",
    "department__name",
    "started_at",
    "ended_at",
    "outcome",
    "findings",
    "warnings",
    "handoff_kind",
    "handoff_ref",
)


@router.get("/records", response=list[RecordOut], summary="检查记录列表")
@paginate(Pagination, page_size=50)
def list_records(request, filters: Query[RecordFilters]):
    return selectors.records(_scope(request), **filters.dict()).only(*RECORD_LIST_FIELDS)


@router.post("/records", response={201: RecordOut}, summary="填写检查记录")
def create_record(request, payload: InspectionRecordIn):
    data = payload.dict()
    data["visit"], data["task"] = data.pop("visit_id"), data.pop("task_id")
    result = services.record_inspection(request.auth, data)
    return Status(201, selectors.record_detail(_scope(request), result.record.pk))


@router.get("/records/{record_id}", response=RecordOut, summary="检查记录详情")
def get_record(request, record_id: int):
    return selectors.record_detail(_scope(request), record_id)


@router.get(
    "/indicators", response=InspectionIndicatorsOut, summary="综合查一次指标：任务数、上门次数、减少上门次数"
)
def indicators(request):
    scope = _scope(request)
    district = selectors.district_indicators(scope)
    departments = [
        {
            "department_id": r["department_id"],
            "department_name": r["department__name"],
            "tasks": r["tasks"],
            "scheduled": r["scheduled"],
            "visits": r["visits"],
            "saved": r["saved"],
        }
        for r in selectors.department_indicators(scope)
    ]
    return {
        "tasks": district.tasks,
        "visits": district.visits,
        "saved": district.saved,
        "departments": departments,
    }


@router.get(
    "/public/codes/{token}", response=PublicCodeOut, auth=None, summary="行政行为码（公开，扫码查看）"
)
def public_code(request, token: str):
    info = selectors.public_code(services.code_from_token(token))
    return {
        **{k: getattr(info, k) for k in ("party_name", "day", "departments", "items", "rateable")},
        "inspectors": [i.__dict__ for i in info.inspectors],
        "rating": info.code.rating,
    }


@router.post(
    "/public/codes/{token}/rating", response=PublicCodeOut, auth=None, summary="评价本次检查（一次）"
)
def rate_code(request, token: str, payload: RatingIn):
    services.rate_action_code(token, payload.rating, payload.comment)
    return public_code(request, token)
