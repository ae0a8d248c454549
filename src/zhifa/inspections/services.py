"""Every write of the inspections app: transactional, permission-checked, row-locked where
edits could collide, and audited."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone

from zhifa.catalog import rules as catalog_rules
from zhifa.catalog.models import ChecklistEntry, Claim, EnforcementItem
from zhifa.core import audit
from zhifa.core.calendars import district_calendar
from zhifa.core.errors import DomainError, NotFound, PermissionDenied
from zhifa.core.scopes import Scope
from zhifa.organizations.models import Certificate, Officer, Organization, User
from zhifa.parties.models import Party
from zhifa.parties.selectors import visible_parties

from . import codes, handoffs, rules
from .models import (
    ActionCode,
    Attachment,
    ChecklistResult,
    InspectionPlan,
    InspectionRecord,
    InspectionTask,
    JointInspection,
    RandomDraw,
    RectificationOrder,
)

DRAW_BASIS = "国办发〔2015〕58号（双随机、一公开）"
OFFICERS_BASIS = "行政处罚法第四十二条、第五十五条"
PLAN_FIELDS = ("department", "name", "period_start", "period_end", "ratios", "state", "draw_nonce")


def _err(field_name: str, message: str, code: str) -> ValidationError:
    return ValidationError({field_name: ValidationError(message, code=code)})


def _user(actor) -> User | None:
    return actor if isinstance(actor, User) else None


def _may(actor, roles: frozenset) -> bool:
    return bool(actor is not None and (actor.is_superuser or actor.role in roles))


def _require_plan_manager(actor, department: Organization) -> None:
    if not _may(actor, rules.PLAN_MANAGERS):
        raise PermissionDenied("只有部门管理员、乡镇（街道）领导或执法指导办可以制定检查计划、组织抽取")
    if not Scope.for_user(actor).covers_organization(department):
        raise PermissionDenied("不能为本机构以外的部门制定检查计划")


def _department_scope(department: Organization) -> Scope:
    return Scope.for_organization(department)


# ---------------------------------------------------------------------------------------------
# Plans
# ---------------------------------------------------------------------------------------------

@transaction.atomic
def create_plan(actor, data: Mapping[str, Any]) -> InspectionPlan:
    """A department's plan: only inspection items (行政检查清单) the department claimed (认领)."""
    department = data.get("department")
    if department is None:
        raise _err("department", "请选择执法部门", "required")
    _require_plan_manager(actor, department)
    if not department.is_enforcement_body:
        raise _err("department", f"“{department.name}”不是执法主体，不能制定监管执法计划", "department_not_enforcement_body")
    name = (data.get("name") or "").strip()
    if not name:
        raise _err("name", "请填写计划名称", "required")
    start, end = data.get("period_start"), data.get("period_end")
    if start is None or end is None:
        raise _err("period_start" if start is None else "period_end", "请填写计划期间", "required")
    if end < start:
        raise _err("period_end", "计划结束日期不能早于开始日期", "plan_period_reversed")
    ratios = data.get("ratios") or {}
    errors = rules.ratio_errors(ratios)
    if errors:
        raise ValidationError({"ratios": [ValidationError(m, code="ratio_invalid") for m in errors.values()]})
    items = list(data.get("items") or ())
    if not items:
        raise _err("items", "请至少选择一项检查事项", "required")
    claimed = set(Claim.objects.filter(organization=department, item__in=items).values_list("item_id", flat=True))
    for item in items:
        if item.kind != catalog_rules.INSPECTION or item.status != catalog_rules.IN_FORCE:
            raise _err("items", f"“{item.code} {item.name}”不是现行行政检查清单中的事项，不能列入检查计划",
                       "item_not_inspection")
        if item.pk not in claimed:
            raise _err("items", f"“{item.code} {item.name}”未由{department.name}认领，不能列入本部门的检查计划"
                       "（检查事项须在本部门认领的清单之内）", "item_not_claimed")
    plan = InspectionPlan.objects.create(
        department=department, name=name, period_start=start, period_end=end,
        ratios={c: float(ratios[c]) for c in rules.COLORS if c in ratios},
        draw_nonce=secrets.token_hex(8), created_by=_user(actor),
    )
    plan.items.set(items)
    audit.record(actor, "inspection.plan_create", plan,
                 after={**audit.snapshot(plan, PLAN_FIELDS), "items": sorted(i.code for i in items)})
    return plan


def _locked_plan(actor, plan_id: int) -> InspectionPlan:
    plan = (Scope.for_user(actor).filter(InspectionPlan.objects.select_for_update(of=("self",)), "department")
            .select_related("department", "department__region").filter(pk=plan_id).first())
    if plan is None:
        raise NotFound()
    return plan


# ---------------------------------------------------------------------------------------------
# 双随机 draws
# ---------------------------------------------------------------------------------------------

def _officer_inputs(department: Organization) -> list[dict]:
    """The department's active officers with their certificates, as JSON (sorted by id)."""
    officers = (_department_scope(department).filter(Officer.objects.filter(is_active=True), "organization", "posted_to")
                .order_by("pk").prefetch_related("certificates"))
    rows = []
    for officer in officers:
        rows.append({
            "id": officer.pk, "name": officer.name, "auxiliary": officer.is_auxiliary,
            "certificates": [
                {"domains": sorted(c.domains), "from": c.valid_from.isoformat(), "to": c.valid_to.isoformat(),
                 "active": c.status == Certificate.Status.ACTIVE}
                for c in sorted(officer.certificates.all(), key=lambda c: c.pk)
            ],
        })
    return rows


def _officer_info(row: Mapping) -> rules.OfficerInfo:
    return rules.OfficerInfo(
        officer_id=row["id"], auxiliary=row["auxiliary"], name=row.get("name", ""),
        certificates=tuple(rules.CertificateInfo(frozenset(c["domains"]), dt.date.fromisoformat(c["from"]),
                                                 dt.date.fromisoformat(c["to"]), c["active"]) for c in row["certificates"]),
    )


def inputs_digest(inputs: Mapping) -> str:
    return hashlib.sha256(audit.canonical_json(inputs).encode("utf-8")).hexdigest()


def compute_draw(inputs: Mapping) -> dict:
    """Rerun a draw from its recorded inputs: the drawn parties (``rules.draw_parties``) and, for
    each, the drawn officers (``rules.draw_officers``, seed ``{seed}|officers|{party}``)."""
    seed = inputs["seed"]
    day = dt.date.fromisoformat(inputs["day"])
    parties = rules.draw_parties([tuple(p) for p in inputs["parties"]], inputs["ratios"], seed)
    officers = [_officer_info(row) for row in inputs["officers"]]
    previous = inputs.get("previous", {})
    staffing = {}
    for party_id in parties:
        staffing[str(party_id)] = rules.draw_officers(
            officers, f"{seed}|officers|{party_id}", day=day, party_id=party_id, domains=inputs["domains"],
            previous_inspectors=previous.get(str(party_id), ()))
    return {"parties": parties, "officers": staffing}


def _previous_inspectors(party_ids: Iterable[int]) -> dict[str, list[int]]:
    """The officers of each party's latest inspection record (rotation: not the same inspectors again)."""
    latest = InspectionRecord.objects.filter(party=OuterRef("party")).order_by("-started_at", "-pk").values("pk")[:1]
    records = (InspectionRecord.objects.filter(party_id__in=list(party_ids), pk=Subquery(latest))
               .prefetch_related("officers"))
    return {str(r.party_id): sorted(o.pk for o in r.officers.all()) for r in records}


@transaction.atomic
def run_draw(actor, plan_id: int, day: dt.date | None = None) -> RandomDraw:
    """双随机: draw parties of the department's scope by risk colour, then two or more certified
    officers for each, and create the inspection tasks. Too few eligible officers raise
    ``rules.DrawShortage`` and nothing is saved. Everything needed to recompute is recorded."""
    plan = _locked_plan(actor, plan_id)
    _require_plan_manager(actor, plan.department)
    if plan.state != InspectionPlan.State.DRAFT:
        raise DomainError("plan_already_drawn", "该计划已经抽取过，不能重复抽取（抽取结果须保持不变）")
    day = day or timezone.localdate()
    seed = rules.draw_seed(plan.pk, day, plan.draw_nonce)
    candidates = list(visible_parties(_department_scope(plan.department)).order_by("pk").values_list("pk", "risk_color"))
    domains = sorted(set(plan.items.values_list("domain__name", flat=True)))
    ratios = dict(plan.ratios)
    drawn_parties = rules.draw_parties(candidates, ratios, seed)
    if not drawn_parties:
        raise DomainError("draw_no_parties", "按计划的抽查比例没有抽中任何监管对象：请检查部门辖区内是否有监管对象及抽查比例")
    inputs = {
        "plan": plan.pk, "day": day.isoformat(), "nonce": plan.draw_nonce, "seed": seed, "ratios": ratios,
        "domains": domains, "parties": [list(p) for p in candidates], "officers": _officer_inputs(plan.department),
        "previous": _previous_inspectors(drawn_parties),
    }
    inputs = audit.jsonable(inputs)
    result = compute_draw(inputs)  # raises DrawShortage before anything is written
    draw = RandomDraw.objects.create(
        plan=plan, draw_day=day, nonce=plan.draw_nonce, seed=seed, inputs=inputs, inputs_digest=inputs_digest(inputs),
        result=result, drawn_at=timezone.now(), drawn_by=_user(actor),
    )
    officer_ids = sorted({oid for ids in result["officers"].values() for oid in ids})
    draw.parties.set(result["parties"])
    draw.officers.set(officer_ids)
    tasks = InspectionTask.objects.bulk_create([
        InspectionTask(plan=plan, party_id=pid, department=plan.department, window_start=plan.period_start,
                       window_end=plan.period_end) for pid in result["parties"]])
    Through = InspectionTask.officers.through
    Through.objects.bulk_create([Through(inspectiontask_id=t.pk, officer_id=oid)
                                 for t in tasks for oid in result["officers"][str(t.party_id)]])
    before = audit.snapshot(plan, PLAN_FIELDS)
    plan.state = InspectionPlan.State.DRAWN
    plan.save(update_fields=["state"])
    audit.record(actor, "inspection.draw", draw, before=before, legal_basis=DRAW_BASIS, after={
        "plan": plan.pk, "seed": seed, "inputs_digest": draw.inputs_digest, "parties": result["parties"],
        "officers": result["officers"]})
    return draw


@dataclass(frozen=True)
class DrawVerification:
    digest_ok: bool
    result_ok: bool
    tasks_ok: bool
    recomputed: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.digest_ok and self.result_ok and self.tasks_ok


def verify_draw(draw: RandomDraw) -> DrawVerification:
    """Recompute a draw from its recorded inputs and compare: the inputs' digest, the result,
    and the tasks the draw created. Read-only; anyone may run it on the published inputs."""
    digest_ok = inputs_digest(draw.inputs) == draw.inputs_digest
    try:
        recomputed = compute_draw(draw.inputs)
    except (DomainError, ValueError, KeyError):
        return DrawVerification(digest_ok, False, False)
    result_ok = audit.jsonable(recomputed) == audit.jsonable(draw.result)
    tasks = {str(t.party_id): sorted(o.pk for o in t.officers.all())
             for t in draw.plan.tasks.prefetch_related("officers")}
    tasks_ok = tasks == {pid: sorted(ids) for pid, ids in recomputed["officers"].items()}
    return DrawVerification(digest_ok, result_ok, tasks_ok, recomputed)


@transaction.atomic
def publish_draw(actor, plan_id: int) -> RandomDraw:
    """一公开: publish the draw (seed, inputs digest, drawn parties and officers)."""
    plan = _locked_plan(actor, plan_id)
    _require_plan_manager(actor, plan.department)
    if plan.state != InspectionPlan.State.DRAWN:
        raise DomainError("plan_not_drawn", "只有已抽取、未公示的计划才能公示抽取结果")
    draw = plan.draw
    draw.published_at = timezone.now()
    draw.save(update_fields=["published_at"])
    before = audit.snapshot(plan, PLAN_FIELDS)
    plan.state = InspectionPlan.State.PUBLISHED
    plan.save(update_fields=["state"])
    audit.record(actor, "inspection.draw_publish", draw, before=before, legal_basis=DRAW_BASIS,
                 after={"published_at": draw.published_at, "seed": draw.seed, "inputs_digest": draw.inputs_digest})
    return draw


# ---------------------------------------------------------------------------------------------
# 综合查一次 — joint inspection planning
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class JointPlanResult:
    tasks: int
    visits: int
    saved: int
    unscheduled: int
    saved_by_department: dict


def _assign_visits(tasks: list[InspectionTask]) -> None:
    """Store each task's visit: one UPDATE … FROM unnest() on PostgreSQL (bulk_update's CASE
    expressions grow quadratically with the batch), bulk_update elsewhere."""
    if connection.vendor != "postgresql":
        InspectionTask.objects.bulk_update(tasks, ["visit", "state"], batch_size=500)
        return
    table = InspectionTask._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f'UPDATE "{table}" AS t SET visit_id = v.visit_id, state = %s '
            "FROM unnest(%s::bigint[], %s::bigint[]) AS v(task_id, visit_id) WHERE t.id = v.task_id",
            [InspectionTask.State.SCHEDULED, [t.pk for t in tasks], [t.visit_id for t in tasks]])


@transaction.atomic
def plan_joint_inspections(actor, today: dt.date | None = None) -> JointPlanResult:
    """Merge every department's open tasks into the fewest visits (``rules.plan_joint_inspections``),
    on working days from ``today`` on. Tasks whose window has passed or holds no working day stay open."""
    if not _may(actor, rules.JOINT_PLANNERS):
        raise PermissionDenied("只有指挥中心或执法指导办可以统筹安排综合查一次")
    today = today or timezone.localdate()
    calendar = district_calendar()
    open_tasks = list(InspectionTask.objects.select_for_update().filter(
        state=InspectionTask.State.OPEN, visit__isnull=True, window_end__gte=today).order_by("pk"))
    by_id = {t.pk: t for t in open_tasks}
    plan = rules.plan_joint_inspections(
        [rules.InspectionTask(t.pk, t.party_id, t.department_id, max(t.window_start, today), t.window_end) for t in open_tasks],
        allowed_day=calendar.is_workday)
    visits = JointInspection.objects.bulk_create([
        JointInspection(party_id=v.party_id, day=v.day, anchor_task_id=v.task_ids[0]) for v in plan.visits])
    officer_rows = InspectionTask.officers.through.objects.filter(inspectiontask_id__in=list(by_id)).values_list(
        "inspectiontask_id", "officer_id")
    officers_of = defaultdict(set)
    for task_id, officer_id in officer_rows:
        officers_of[task_id].add(officer_id)
    Through = JointInspection.officers.through
    links, scheduled = [], []
    for visit, planned in zip(visits, plan.visits, strict=True):
        ids = set().union(*(officers_of[tid] for tid in planned.task_ids))
        links += [Through(jointinspection_id=visit.pk, officer_id=oid) for oid in sorted(ids)]
        for tid in planned.task_ids:
            task = by_id[tid]
            task.visit, task.state = visit, InspectionTask.State.SCHEDULED
            scheduled.append(task)
    Through.objects.bulk_create(links, batch_size=2000)
    _assign_visits(scheduled)
    ActionCode.objects.bulk_create([ActionCode(visit=v) for v in visits], batch_size=2000)
    result = JointPlanResult(tasks=len(scheduled), visits=len(visits), saved=plan.saved_total,
                             unscheduled=len(plan.unscheduled), saved_by_department=plan.saved_by_department)
    audit.record(actor, "inspection.joint_plan", object_type="inspections.JointInspection", object_id="*",
                 legal_basis="综合查一次（进一次门、查多项事）",
                 after={"tasks": result.tasks, "visits": result.visits, "saved": result.saved,
                        "unscheduled": result.unscheduled, "visit_ids": [v.pk for v in visits],
                        "saved_by_department": {str(k): v for k, v in plan.saved_by_department.items()}})
    return result


# ---------------------------------------------------------------------------------------------
# Records
# ---------------------------------------------------------------------------------------------

def _scoped_tasks(actor):
    return Scope.for_user(actor).filter(InspectionTask.objects.all(), "department", "party__township")


def _officer_infos(officer_ids: list[int]) -> list[rules.OfficerInfo]:
    officers = Officer.objects.filter(pk__in=officer_ids).prefetch_related("certificates").order_by("pk")
    return [rules.OfficerInfo(
        officer_id=o.pk, auxiliary=o.is_auxiliary, active=o.is_active, name=o.name,
        certificates=tuple(rules.CertificateInfo(frozenset(c.domains), c.valid_from, c.valid_to,
                                                 c.status == Certificate.Status.ACTIVE) for c in o.certificates.all()),
    ) for o in officers]


@dataclass
class RecordResult:
    record: InspectionRecord
    warnings: list[str]


def _repeated_warnings(record: InspectionRecord) -> list[str]:
    days = dt.timedelta(days=rules.REPEATED_INSPECTION_DAYS)
    others = (InspectionRecord.objects.filter(party_id=record.party_id, started_at__gte=record.started_at - days,
                                              started_at__lte=record.started_at + days)
              .exclude(pk=record.pk).exclude(department_id=record.department_id).select_related("department"))
    return [f"重复检查：{o.department.name}已于{timezone.localtime(o.started_at):%Y-%m-%d}检查过该对象，"
            f"{rules.REPEATED_INSPECTION_DAYS}日内不同部门分别上门，宜纳入综合查一次" for o in others]


@transaction.atomic
def record_inspection(actor, data: Mapping[str, Any]) -> RecordResult:
    """Record an inspection of a visit or a task. Refused: a visit or task recorded twice, a
    record overlapping another of the same party, fewer than two officers, auxiliary or
    uncertified officers (行政处罚法 第四十二条、第五十五条). Returns the record and warnings
    (重复检查 within 30 days by another department outside a joint inspection)."""
    if not _may(actor, rules.RECORDERS):
        raise PermissionDenied("只有执法人员、部门管理员或乡镇（街道）领导可以填写检查记录")
    visit_id, task_id = data.get("visit"), data.get("task")
    if bool(visit_id) == bool(task_id):
        raise _err("visit", "请选择一次综合查一次或一项检查任务（二者选一）", "visit_or_task")
    tasks = _scoped_tasks(actor)
    if visit_id:
        visit = (JointInspection.objects.select_for_update().filter(pk=visit_id)
                 .filter(Exists(tasks.filter(visit=OuterRef("pk")))).first())
        if visit is None:
            raise NotFound()
        own_tasks = list(visit.tasks.select_related("department").order_by("window_end", "pk"))
        task = None
        party_id = visit.party_id
        anchor = next((t for t in own_tasks if t.pk == visit.anchor_task_id), own_tasks[0])
        department = anchor.department
        if InspectionRecord.objects.filter(visit=visit).exists():
            raise DomainError("already_recorded", "这次综合查一次已经有检查记录，不能重复记录", "visit")
    else:
        task = tasks.select_for_update(of=("self",)).select_related("department").filter(pk=task_id).first()
        if task is None:
            raise NotFound()
        if task.visit_id:
            raise DomainError("task_in_visit", "该任务已并入综合查一次，请在那次检查中记录", "task")
        if InspectionRecord.objects.filter(task=task).exists():
            raise DomainError("already_recorded", "该检查任务已经有检查记录，不能重复记录", "task")
        visit, own_tasks, party_id, department = None, [task], task.party_id, task.department
    if not any(Scope.for_user(actor).covers_organization(t.department) for t in own_tasks) and not (
            Scope.for_user(actor).everything):
        raise PermissionDenied("只能记录本部门参与的检查")
    Party.objects.select_for_update().filter(pk=party_id).first()  # serialise records of one party

    started, ended = data.get("started_at"), data.get("ended_at")
    if started is None or ended is None:
        raise _err("started_at" if started is None else "ended_at", "请填写检查起止时间", "required")
    if ended <= started:
        raise _err("ended_at", "检查结束时间应晚于开始时间", "record_times_reversed")
    overlapping = InspectionRecord.objects.filter(party_id=party_id, started_at__lt=ended, ended_at__gt=started).first()
    if overlapping is not None:
        raise DomainError("record_overlap", "同一对象在这段时间已有检查记录（"
                          f"{timezone.localtime(overlapping.started_at):%Y-%m-%d %H:%M}），时间不能重叠", "started_at")

    officer_ids = sorted(set(data.get("officer_ids") or ()))
    if len(officer_ids) < rules.MIN_OFFICERS:
        raise _err("officer_ids", f"检查人员不得少于{rules.MIN_OFFICERS}人（行政处罚法第四十二条）", "too_few_officers")
    infos = _officer_infos(officer_ids)
    if len(infos) != len(officer_ids):
        raise _err("officer_ids", "所选检查人员不存在", "does_not_exist")
    day = timezone.localtime(started).date()
    for info in infos:
        refusal = rules.officer_refusal(info, day)
        if refusal:
            raise _err("officer_ids", refusal, "officer_not_certified")

    outcome = data.get("outcome") or InspectionRecord.Outcome.NO_ISSUE
    if outcome not in InspectionRecord.Outcome.values:
        raise _err("outcome", "处理结果无效", "invalid_choice")
    item_ids = set(EnforcementItem.objects.filter(inspection_plans__tasks__in=[t.pk for t in own_tasks])
                   .values_list("pk", flat=True))
    entries = {e.pk: e for e in ChecklistEntry.objects.filter(item_id__in=item_ids)}
    results = []
    for line in data.get("checklist") or ():
        entry = entries.get(int(line.get("entry_id") or 0))
        if entry is None:
            raise _err("checklist", "检查要点不属于本次检查的事项", "checklist_entry_foreign")
        if line.get("result") not in rules.CHECK_RESULTS:
            raise _err("checklist", f"“{entry.text}”的检查结果应为符合、不符合或不适用", "checklist_result_invalid")
        results.append(ChecklistResult(entry=entry, result=line["result"], note=(line.get("note") or "")[:500]))
    if len({r.entry_id for r in results}) != len(results):
        raise _err("checklist", "同一检查要点只能填写一次结果", "checklist_duplicate")

    record = InspectionRecord.objects.create(
        visit=visit, task=task, party_id=party_id, department=department, started_at=started, ended_at=ended,
        findings=data.get("findings") or "", outcome=outcome, recorded_by=_user(actor))
    record.officers.set(officer_ids)
    for r in results:
        r.record = record
    ChecklistResult.objects.bulk_create(results)
    warnings = _repeated_warnings(record)
    if warnings:
        record.warnings = warnings
        record.save(update_fields=["warnings"])
    InspectionTask.objects.filter(pk__in=[t.pk for t in own_tasks]).update(state=InspectionTask.State.DONE)
    if visit is not None:
        JointInspection.objects.filter(pk=visit.pk).update(state=JointInspection.State.DONE)
    else:
        ActionCode.objects.create(record=record)
    audit.record(actor, "inspection.record", record, legal_basis=OFFICERS_BASIS, after={
        "visit": visit_id, "task": task_id, "party": party_id, "department": department.pk, "officers": officer_ids,
        "started_at": started, "ended_at": ended, "outcome": outcome, "findings": record.findings,
        "checklist": {r.entry_id: r.result for r in results}, "warnings": warnings})
    return RecordResult(record, warnings)


def _locked_record(actor, record_id: int) -> InspectionRecord:
    from .selectors import visible_records

    record = (visible_records(Scope.for_user(actor)).select_for_update(of=("self",)).filter(pk=record_id)
              .select_related("department").first())
    if record is None:
        raise NotFound()
    if not _may(actor, rules.RECORDERS):
        raise PermissionDenied("只有执法人员、部门管理员或乡镇（街道）领导可以修改检查记录")
    return record


@transaction.atomic
def add_attachment(actor, record_id: int, upload) -> Attachment:
    """Attach a photo or document; its SHA-256 is computed from the bytes received (全过程记录)."""
    record = _locked_record(actor, record_id)
    digest = hashlib.sha256()
    size = 0
    for chunk in upload.chunks():
        digest.update(chunk)
        size += len(chunk)
    if size == 0:
        raise _err("file", "文件为空", "empty_file")
    name = upload.name.rsplit("/", 1)[-1][:200]
    attachment = Attachment(record=record, name=name, size=size, sha256=digest.hexdigest(), uploaded_by=_user(actor))
    upload.seek(0)
    attachment.file.save(name, upload, save=False)
    attachment.save()
    audit.record(actor, "inspection.attachment", attachment, after={"record": record.pk, "name": name, "size": size,
                                                                     "sha256": attachment.sha256})
    return attachment


@transaction.atomic
def issue_rectification(actor, record_id: int, content: str, working_days: int, today: dt.date | None = None) -> RectificationOrder:
    """责令整改 with a deadline of ``working_days`` working days (holidays and make-up days counted
    by the district calendar)."""
    record = _locked_record(actor, record_id)
    content = (content or "").strip()
    if not content:
        raise _err("content", "请填写整改内容", "required")
    if not isinstance(working_days, int) or not 1 <= working_days <= 90:
        raise _err("working_days", "整改期限应为1至90个工作日", "working_days_invalid")
    start = today or timezone.localdate()
    deadline = district_calendar().add_working_days(start, working_days)
    order = RectificationOrder.objects.create(record=record, content=content, working_days=working_days,
                                              deadline=deadline, issued_by=_user(actor))
    if record.outcome == InspectionRecord.Outcome.NO_ISSUE:
        record.outcome = InspectionRecord.Outcome.RECTIFICATION
        record.save(update_fields=["outcome"])
    audit.record(actor, "inspection.rectification", order, after={
        "record": record.pk, "content": content, "working_days": working_days, "deadline": deadline})
    return order


@transaction.atomic
def verify_rectification(actor, order_id: int) -> RectificationOrder:
    order = RectificationOrder.objects.select_for_update().filter(pk=order_id).first()
    if order is None:
        raise NotFound()
    _locked_record(actor, order.record_id)
    if order.state != RectificationOrder.State.OPEN:
        raise DomainError("rectification_closed", "该整改已复查，不能重复复查")
    order.state, order.verified_at = RectificationOrder.State.VERIFIED, timezone.now()
    order.save(update_fields=["state", "verified_at"])
    audit.record(actor, "inspection.rectification_verify", order, after={"verified_at": order.verified_at})
    return order


@transaction.atomic
def hand_off(actor, record_id: int, kind: str) -> InspectionRecord:
    """Finding → penalty case / incident through the converter another app registered."""
    record = _locked_record(actor, record_id)
    handoff = handoffs.get(kind)
    if handoff is None:
        raise DomainError("handoff_unknown", f"尚未开通“{kind}”移交", "kind")
    if record.handoff_ref:
        raise DomainError("already_handed_off", f"该检查记录已移交（{record.handoff_ref}），不能重复移交")
    reference = str(handoff.convert(actor, record) or "")
    if not reference:
        raise DomainError("handoff_failed", "移交未返回编号，未能完成移交")
    record.handoff_kind, record.handoff_ref = kind, reference[:100]
    record.save(update_fields=["handoff_kind", "handoff_ref"])
    audit.record(actor, "inspection.handoff", record, after={"kind": kind, "reference": record.handoff_ref})
    return record


# ---------------------------------------------------------------------------------------------
# 行政行为码 — public, no login
# ---------------------------------------------------------------------------------------------

def action_code_token(code: ActionCode) -> str:
    return codes.issue_token(code)


def code_from_token(token: str, *, lock: bool = False) -> ActionCode:
    claims = codes.read_token(token)
    if claims is None:
        raise NotFound("行政行为码无效")
    qs = ActionCode.objects.select_for_update() if lock else ActionCode.objects.all()
    code = qs.filter(pk=claims[0], nonce=claims[1]).first()
    if code is None:
        raise NotFound("行政行为码无效或已作废")
    return code


def code_is_rateable(code: ActionCode) -> bool:
    """The party rates after the inspection: once a record exists."""
    if code.record_id:
        return True
    return InspectionRecord.objects.filter(visit_id=code.visit_id).exists()


@transaction.atomic
def rate_action_code(token: str, rating: int, comment: str = "") -> ActionCode:
    """The party's rating (1–5) of an inspection, once, after it took place."""
    code = code_from_token(token, lock=True)
    if not rules.may_rate(rating):
        raise _err("rating", "评价应为1至5星", "rating_invalid")
    if code.rating is not None:
        raise DomainError("already_rated", "这次检查已经评价过，每次检查只能评价一次", "rating")
    if not code_is_rateable(code):
        raise DomainError("not_inspected_yet", "检查完成后才能评价", "rating")
    code.rating, code.comment, code.rated_at = rating, (comment or "").strip()[:500], timezone.now()
    code.save(update_fields=["rating", "comment", "rated_at"])
    audit.record(None, "inspection.rating", code, after={"rating": rating, "comment": code.comment})
    return code

