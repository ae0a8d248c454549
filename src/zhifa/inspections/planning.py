"""Plans and 双随机 draws (国办发〔2015〕58号), and the merging of tasks into joint visits (综合查一次).
Transactional, permission-checked (``access.py``), audited.

Fairness of a draw:

* **Committed seed.** A plan gets a secret when it is created; only its SHA-256 (the commitment)
  is shown and published on the public plan list. The draw's seed is ``plan|date|secret``; the
  secret is revealed with the published result, so anyone checks it against the commitment.
* **The server fixes the time.** The draw is made at the moment the server runs it, on the
  server's date; no caller names a date.
* **Recomputable.** Every input (candidates with their colours, officers with their certificates,
  the last inspectors of each party, the ratios) is recorded with its digest; ``compute_draw``
  reruns it, and ``docs/verify_draw.py`` does the same with the Python standard library alone.
* **Re-draws** are audited acts with a reason; the first draw stays recorded and visible, its
  open tasks are cancelled, and the new seed is the old one with the round number.

A plan's colours set how many parties are drawn (``ratios``) and how often each is inspected in
the period (``frequencies``, 国发〔2019〕5号); a joint plan (``partners``) gives each drawn party a task
of every department, merged into one visit. Parties on the 无感监管 list are left out of routine
draws unless the plan includes them.
"""

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
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from zhifa.catalog import rules as catalog_rules
from zhifa.catalog.models import Claim
from zhifa.core import access, audit
from zhifa.core.calendars import district_calendar
from zhifa.core.errors import DomainError, NotFound, field_error
from zhifa.core.scopes import Scope
from zhifa.organizations.models import Certificate, Officer, Organization, User
from zhifa.parties.models import Party
from zhifa.parties.selectors import visible_parties

from . import rules
from .models import ActionCode, InspectionPlan, InspectionRecord, InspectionTask, JointInspection, RandomDraw

DRAW_BASIS = "国办发〔2015〕58号（双随机、一公开）"
PLAN_FIELDS = (
    "department",
    "name",
    "kind",
    "period_start",
    "period_end",
    "ratios",
    "frequencies",
    "pool",
    "state",
    "draw_commitment",
)
PLAN_KEYS = {
    "department",
    "name",
    "kind",
    "period_start",
    "period_end",
    "ratios",
    "frequencies",
    "pool",
    "items",
    "partners",
}
POOL_KEYS = {"industries", "townships", "include_light_touch"}


def _user(actor) -> User | None:
    return actor if isinstance(actor, User) else None


def _department_scope(department: Organization) -> Scope:
    return Scope.for_organization(department)


# ---------------------------------------------------------------------------------------------
# Plans
# ---------------------------------------------------------------------------------------------


def _pool(pool: Any) -> dict:
    if not pool:
        return {}
    if not isinstance(pool, Mapping) or set(pool) - POOL_KEYS:
        raise field_error(
            "pool", "抽查对象范围只能按行业、乡镇（街道）和是否含无感监管对象划定", "pool_invalid"
        )
    industries = list(pool.get("industries") or [])
    if any(i not in Party.Industry.values for i in industries):
        raise field_error("pool", "行业应从行业列表中选择", "pool_invalid")
    townships = sorted({int(t) for t in pool.get("townships") or []})
    return {
        "industries": sorted(industries),
        "townships": townships,
        "include_light_touch": bool(pool.get("include_light_touch")),
    }


def _check_items(department: Organization, partners: list[Organization], items: list) -> None:
    bodies = [department, *partners]
    claimed = defaultdict(set)
    for item_id, org_id in Claim.objects.filter(organization__in=bodies, item__in=items).values_list(
        "item_id", "organization_id"
    ):
        claimed[item_id].add(org_id)
    for item in items:
        if item.kind != catalog_rules.INSPECTION or item.status != catalog_rules.IN_FORCE:
            raise field_error(
                "items",
                f"“{item.code} {item.name}”不是现行行政检查清单中的事项，不能列入检查计划",
                "item_not_inspection",
            )
        if not claimed[item.pk]:
            who = "、".join(b.name for b in bodies)
            raise field_error(
                "items",
                f"“{item.code} {item.name}”未由{who}认领，不能列入本部门的检查计划"
                "（检查事项须在本部门认领的清单之内）",
                "item_not_claimed",
            )
    for partner in partners:
        if not any(partner.pk in orgs for orgs in claimed.values()):
            raise field_error(
                "partners",
                f"{partner.name}没有认领本计划中的任何检查事项，不能参加联合检查",
                "partner_without_items",
            )


@transaction.atomic
def create_plan(actor, data: Mapping[str, Any]) -> InspectionPlan:
    """A department's plan — alone or jointly with partner departments (综合查一次) — over the
    inspection items (行政检查清单) the departments claimed (认领). The plan's secret is made now
    and only its commitment is shown: the plan is announced with it."""
    unknown = sorted(set(data) - PLAN_KEYS)
    if unknown:
        raise field_error(unknown[0], f"未知字段“{unknown[0]}”", "unknown_field")
    department = data.get("department")
    if department is None:
        raise field_error("department", "请选择执法部门", "required")
    access.require(actor, "inspections.plan", department)
    if not department.is_enforcement_body:
        raise field_error(
            "department",
            f"“{department.name}”不是执法主体，不能制定监管执法计划",
            "department_not_enforcement_body",
        )
    name = (data.get("name") or "").strip()
    if not name:
        raise field_error("name", "请填写计划名称", "required")
    kind = data.get("kind") or rules.SPECIAL
    if kind not in rules.PLAN_KIND_LABELS:
        raise field_error("kind", "计划类型应为年度、月度或专项计划", "invalid_choice")
    start, end = data.get("period_start"), data.get("period_end")
    if start is None or end is None:
        raise field_error("period_start" if start is None else "period_end", "请填写计划期间", "required")
    if end < start:
        raise field_error("period_end", "计划结束日期不能早于开始日期", "plan_period_reversed")
    ratios = data.get("ratios") or {}
    errors = rules.ratio_errors(ratios)
    if errors:
        raise ValidationError({"ratios": [ValidationError(m, code="ratio_invalid") for m in errors.values()]})
    frequencies = data.get("frequencies") or {}
    errors = rules.frequency_errors(frequencies)
    if errors:
        raise ValidationError(
            {"frequencies": [ValidationError(m, code="frequency_invalid") for m in errors.values()]}
        )
    pool = _pool(data.get("pool"))
    partners = [p for p in data.get("partners") or () if p.pk != department.pk]
    for partner in partners:
        if not partner.is_enforcement_body:
            raise field_error(
                "partners", f"“{partner.name}”不是执法主体，不能参加联合检查", "partner_not_enforcement_body"
            )
    items = list(data.get("items") or ())
    if not items:
        raise field_error("items", "请至少选择一项检查事项", "required")
    _check_items(department, partners, items)
    secret = secrets.token_hex(16)
    plan = InspectionPlan.objects.create(
        department=department,
        name=name,
        kind=kind,
        period_start=start,
        period_end=end,
        ratios={c: float(ratios[c]) for c in rules.COLORS if c in ratios},
        frequencies={c: int(frequencies[c]) for c in rules.COLORS if c in frequencies},
        pool=pool,
        draw_nonce=secret,
        draw_commitment=rules.commitment(secret),
        created_by=_user(actor),
    )
    plan.items.set(items)
    plan.partners.set(partners)
    audit.record(
        actor,
        "inspection.plan_create",
        plan,
        legal_basis=DRAW_BASIS,
        after={
            **audit.snapshot(plan, PLAN_FIELDS),
            "items": sorted(i.code for i in items),
            "partners": sorted(p.pk for p in partners),
        },
    )
    return plan


def _locked_plan(actor, plan_id: int) -> InspectionPlan:
    plan = (
        Scope.for_user(actor)
        .filter(InspectionPlan.objects.select_for_update(of=("self",)), "department")
        .select_related("department", "department__region")
        .filter(pk=plan_id)
        .first()
    )
    if plan is None:
        raise NotFound()
    return plan


# ---------------------------------------------------------------------------------------------
# 双随机 draws
# ---------------------------------------------------------------------------------------------


def _officer_inputs(department: Organization) -> list[dict]:
    """The department's active officers with their certificates, as JSON (sorted by id)."""
    officers = (
        _department_scope(department)
        .filter(Officer.objects.filter(is_active=True), "organization", "posted_to")
        .order_by("pk")
        .prefetch_related("certificates")
    )
    return [
        {
            "id": officer.pk,
            "name": officer.name,
            "auxiliary": officer.is_auxiliary,
            "certificates": [
                {
                    "domains": sorted(c.domains),
                    "from": c.valid_from.isoformat(),
                    "to": c.valid_to.isoformat(),
                    "active": c.status == Certificate.Status.ACTIVE,
                }
                for c in sorted(officer.certificates.all(), key=lambda c: c.pk)
            ],
        }
        for officer in officers
    ]


def _officer_info(row: Mapping) -> rules.OfficerInfo:
    return rules.OfficerInfo(
        officer_id=row["id"],
        auxiliary=row["auxiliary"],
        name=row.get("name", ""),
        certificates=tuple(
            rules.CertificateInfo(
                frozenset(c["domains"]),
                dt.date.fromisoformat(c["from"]),
                dt.date.fromisoformat(c["to"]),
                c["active"],
            )
            for c in row["certificates"]
        ),
    )


def inputs_digest(inputs: Mapping) -> str:
    return hashlib.sha256(audit.canonical_json(inputs).encode("utf-8")).hexdigest()


def compute_draw(inputs: Mapping) -> dict:
    """Rerun a draw from its recorded inputs: the drawn parties (``rules.draw_parties``) and, for
    each, the drawn officers of the lead department (``rules.draw_officers``, seed
    ``{seed}|officers|{party}``) and of each partner (``{seed}|officers|{department}|{party}``)."""
    seed = inputs["seed"]
    day = dt.date.fromisoformat(inputs["day"])
    parties = rules.draw_parties([tuple(p) for p in inputs["parties"]], inputs["ratios"], seed)
    previous = inputs.get("previous", {})

    def staff(officer_rows, domains, prefix):
        officers = [_officer_info(row) for row in officer_rows]
        return {
            str(pid): rules.draw_officers(
                officers,
                f"{prefix}{pid}",
                day=day,
                party_id=pid,
                domains=domains,
                previous_inspectors=previous.get(str(pid), ()),
            )
            for pid in parties
        }

    result = {
        "parties": parties,
        "officers": staff(inputs["officers"], inputs["domains"], f"{seed}|officers|"),
    }
    if inputs.get("partners"):
        result["partners"] = {
            str(p["id"]): staff(p["officers"], p["domains"], f"{seed}|officers|{p['id']}|")
            for p in inputs["partners"]
        }
    return result


def _previous_inspectors(party_ids: Iterable[int]) -> dict[str, list[int]]:
    """The officers of each party's latest inspection record (rotation: not the same inspectors again)."""
    latest = (
        InspectionRecord.objects.filter(party=OuterRef("party"))
        .order_by("-started_at", "-pk")
        .values("pk")[:1]
    )
    records = InspectionRecord.objects.filter(
        party_id__in=list(party_ids), pk=Subquery(latest)
    ).prefetch_related("officers")
    return {str(r.party_id): sorted(o.pk for o in r.officers.all()) for r in records}


def _candidates(plan: InspectionPlan) -> tuple[list[tuple[int, str]], list[int]]:
    """The party pool of the plan: the department's parties within the plan's industries and
    townships; the 无感监管 ones apart unless the plan includes them."""
    parties = visible_parties(_department_scope(plan.department))
    pool = plan.pool or {}
    if pool.get("industries"):
        parties = parties.filter(industry__in=pool["industries"])
    if pool.get("townships"):
        parties = parties.filter(township_id__in=pool["townships"])
    rows = list(parties.order_by("pk").values_list("pk", "risk_color", "light_touch"))
    if pool.get("include_light_touch"):
        return [(pk, color) for pk, color, _ in rows], []
    return [(pk, color) for pk, color, light in rows if not light], [pk for pk, _, light in rows if light]


def _domains(plan: InspectionPlan, department: Organization) -> list[str]:
    return sorted(
        set(plan.items.filter(claims__organization=department).values_list("domain__name", flat=True))
    )


def _make_tasks(plan: InspectionPlan, draw: RandomDraw, result: dict, colors: dict[int, str]) -> None:
    """One task per drawn party, department and inspection round (the colour's frequency), each
    with the officers drawn for that party and department."""
    staffing = {
        plan.department_id: result["officers"],
        **{int(dept): by_party for dept, by_party in result.get("partners", {}).items()},
    }
    tasks, officers_of = [], []
    for pid in result["parties"]:
        times = int(plan.frequencies.get(colors[pid], 1))
        for round_no, (start, end) in enumerate(rules.windows(plan.period_start, plan.period_end, times), 1):
            for department_id, by_party in staffing.items():
                tasks.append(
                    InspectionTask(
                        plan=plan,
                        draw=draw,
                        party_id=pid,
                        department_id=department_id,
                        window_start=start,
                        window_end=end,
                        round=round_no,
                    )
                )
                officers_of.append(by_party[str(pid)])
    InspectionTask.objects.bulk_create(tasks)
    Through = InspectionTask.officers.through
    Through.objects.bulk_create(
        [
            Through(inspectiontask_id=t.pk, officer_id=oid)
            for t, ids in zip(tasks, officers_of, strict=True)
            for oid in ids
        ]
    )


def _draw(actor, plan: InspectionPlan, day: dt.date, round_no: int, reason: str = "") -> RandomDraw:
    seed = rules.round_seed(rules.draw_seed(plan.pk, day, plan.draw_nonce), round_no)
    candidates, light_touch = _candidates(plan)
    drawn_parties = rules.draw_parties(candidates, dict(plan.ratios), seed)
    if not drawn_parties:
        raise DomainError(
            "draw_no_parties",
            "按计划的抽查比例没有抽中任何监管对象：请检查部门辖区内是否有监管对象及抽查比例",
        )
    inputs = {
        "plan": plan.pk,
        "day": day.isoformat(),
        "nonce": plan.draw_nonce,
        "seed": seed,
        "ratios": dict(plan.ratios),
        "domains": _domains(plan, plan.department),
        "parties": [list(p) for p in candidates],
        "officers": _officer_inputs(plan.department),
        "previous": _previous_inspectors(drawn_parties),
    }
    partners = list(plan.partners.order_by("pk"))
    if partners:
        inputs["partners"] = [
            {"id": p.pk, "domains": _domains(plan, p), "officers": _officer_inputs(p)} for p in partners
        ]
    if round_no > 1:
        inputs["round"] = round_no
    if light_touch:
        inputs["excluded_light_touch"] = light_touch
    inputs = audit.jsonable(inputs)
    result = compute_draw(inputs)  # raises DrawShortage before anything is written
    draw = RandomDraw.objects.create(
        plan=plan,
        round=round_no,
        draw_day=day,
        nonce=plan.draw_nonce,
        commitment=plan.draw_commitment,
        seed=seed,
        inputs=inputs,
        inputs_digest=inputs_digest(inputs),
        result=result,
        drawn_at=timezone.now(),
        drawn_by=_user(actor),
        redraw_reason=reason,
    )
    draw.parties.set(result["parties"])
    draw.officers.set(
        sorted(
            {oid for ids in result["officers"].values() for oid in ids}
            | {
                oid
                for by_party in result.get("partners", {}).values()
                for ids in by_party.values()
                for oid in ids
            }
        )
    )
    _make_tasks(plan, draw, result, dict(candidates))
    return draw


@transaction.atomic
def run_draw(actor, plan_id: int) -> RandomDraw:
    """双随机: draw parties of the plan's pool by risk colour, then two or more certified officers
    of each department for each, and create the inspection tasks. The draw's date is the server's
    date now. Too few eligible officers raise ``rules.DrawShortage`` and nothing is saved."""
    plan = _locked_plan(actor, plan_id)
    access.require(actor, "inspections.plan", plan.department)
    return _first_draw(actor, plan, timezone.localdate())


def _first_draw(actor, plan: InspectionPlan, day: dt.date) -> RandomDraw:
    if plan.state != InspectionPlan.State.DRAFT or plan.draws.exists():
        raise DomainError(
            "plan_already_drawn",
            "该计划已经抽取过，不能重复抽取（抽取结果须保持不变；确需重抽的，请说明理由后重新抽取）",
        )
    draw = _draw(actor, plan, day, 1)
    before = audit.snapshot(plan, PLAN_FIELDS)
    plan.state = InspectionPlan.State.DRAWN
    plan.save(update_fields=["state"])
    audit.record(
        actor,
        "inspection.draw",
        draw,
        before=before,
        legal_basis=DRAW_BASIS,
        after={
            "plan": plan.pk,
            "day": day,
            "seed": draw.seed,
            "commitment": draw.commitment,
            "inputs_digest": draw.inputs_digest,
            "parties": draw.result["parties"],
            "officers": draw.result["officers"],
            "partners": draw.result.get("partners", {}),
        },
    )
    return draw


def backfill_draw(plan: InspectionPlan, day: dt.date) -> RandomDraw:
    """The demo's history only: a plan's draw as of a past day, by the system. People and
    integrations draw through ``run_draw``, on the server's date."""
    with transaction.atomic():
        return _first_draw(None, InspectionPlan.objects.select_for_update().get(pk=plan.pk), day)


@transaction.atomic
def redraw(actor, plan_id: int, reason: str) -> RandomDraw:
    """重新抽取, an audited act with its reason: the draw in force is kept and marked superseded,
    its open tasks are cancelled (refused once any of them was recorded), and a new round is
    drawn on the server's date with the committed seed and the round number."""
    plan = _locked_plan(actor, plan_id)
    access.require(actor, "inspections.plan", plan.department)
    reason = (reason or "").strip()
    if len(reason) < 4:
        raise field_error("reason", "请写明重新抽取的理由（至少4个字）", "redraw_reason_required")
    current = plan.draws.select_for_update().filter(superseded_at__isnull=True).first()
    if current is None:
        raise DomainError("plan_not_drawn", "该计划尚未抽取，请直接抽取")
    tasks = (
        InspectionTask.objects.select_for_update()
        .filter(plan=plan)
        .exclude(state=InspectionTask.State.CANCELLED)
    )
    if tasks.filter(state=InspectionTask.State.DONE).exists():
        raise DomainError("redraw_after_inspection", "该计划已有检查完成，不能重新抽取")
    visit_ids = set(tasks.exclude(visit__isnull=True).values_list("visit_id", flat=True))
    cancelled = list(tasks.values_list("pk", flat=True))
    tasks.update(state=InspectionTask.State.CANCELLED)
    _release_visits(visit_ids)
    current.superseded_at = timezone.now()
    current.save(update_fields=["superseded_at"])
    draw = _draw(actor, plan, timezone.localdate(), current.round + 1, reason)
    current.superseded_by = draw
    current.save(update_fields=["superseded_by"])
    before = audit.snapshot(plan, PLAN_FIELDS)
    plan.state = InspectionPlan.State.DRAWN
    plan.save(update_fields=["state"])
    audit.record(
        actor,
        "inspection.redraw",
        draw,
        before={**before, "draw": current.pk, "seed": current.seed},
        legal_basis=DRAW_BASIS,
        after={
            "plan": plan.pk,
            "reason": reason,
            "round": draw.round,
            "seed": draw.seed,
            "inputs_digest": draw.inputs_digest,
            "parties": draw.result["parties"],
            "cancelled_tasks": cancelled,
            "superseded_draw": current.pk,
        },
    )
    return draw


def _release_visits(visit_ids: set[int]) -> None:
    """Visits left without a live task are cancelled; the others keep only their live tasks' officers."""
    for visit in JointInspection.objects.select_for_update().filter(pk__in=visit_ids):
        live = visit.tasks.exclude(state=InspectionTask.State.CANCELLED)
        if not live.exists():
            visit.state = JointInspection.State.CANCELLED
            visit.save(update_fields=["state"])
            continue
        keep = set(
            InspectionTask.officers.through.objects.filter(inspectiontask__in=live).values_list(
                "officer_id", flat=True
            )
        )
        visit.officers.set(sorted(keep))
        anchor = live.order_by("window_end", "pk").first()
        if visit.anchor_task_id != anchor.pk:
            visit.anchor_task = anchor
            visit.save(update_fields=["anchor_task"])


@dataclass(frozen=True)
class DrawVerification:
    digest_ok: bool
    result_ok: bool
    tasks_ok: bool
    commitment_ok: bool = True
    recomputed: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.digest_ok and self.result_ok and self.tasks_ok and self.commitment_ok


def verify_draw(draw: RandomDraw) -> DrawVerification:
    """Recompute a draw from its recorded inputs and compare: the inputs' digest, the secret
    against the commitment published in advance, the result, and the tasks the draw created.
    Read-only; anyone may run it on the published inputs (``docs/verify_draw.py``)."""
    digest_ok = inputs_digest(draw.inputs) == draw.inputs_digest
    commitment_ok = not draw.commitment or rules.commitment(draw.inputs.get("nonce", "")) == draw.commitment
    try:
        recomputed = compute_draw(draw.inputs)
    except (DomainError, ValueError, KeyError):
        return DrawVerification(digest_ok, False, False, commitment_ok)
    result_ok = audit.jsonable(recomputed) == audit.jsonable(draw.result)
    expected = {
        (str(draw.plan.department_id), pid): sorted(ids) for pid, ids in recomputed["officers"].items()
    }
    for dept, by_party in recomputed.get("partners", {}).items():
        expected.update({(dept, pid): sorted(ids) for pid, ids in by_party.items()})
    tasks = (
        draw.tasks.prefetch_related("officers")
        if draw.tasks.exists()
        else draw.plan.tasks.filter(draw__isnull=True).prefetch_related("officers")
    )
    actual = {}
    for task in tasks:
        actual[(str(task.department_id), str(task.party_id))] = sorted(o.pk for o in task.officers.all())
    return DrawVerification(digest_ok, result_ok, actual == expected, commitment_ok, recomputed)


@transaction.atomic
def publish_draw(actor, plan_id: int) -> RandomDraw:
    """一公开: publish the draw in force — seed, the revealed secret, inputs and their digest, the
    drawn parties and officers; earlier, superseded rounds stay visible beside it."""
    plan = _locked_plan(actor, plan_id)
    access.require(actor, "inspections.plan", plan.department)
    if plan.state != InspectionPlan.State.DRAWN:
        raise DomainError("plan_not_drawn", "只有已抽取、未公示的计划才能公示抽取结果")
    draw = plan.draw
    draw.published_at = timezone.now()
    draw.save(update_fields=["published_at"])
    before = audit.snapshot(plan, PLAN_FIELDS)
    plan.state = InspectionPlan.State.PUBLISHED
    plan.save(update_fields=["state"])
    audit.record(
        actor,
        "inspection.draw_publish",
        draw,
        before=before,
        legal_basis=DRAW_BASIS,
        after={
            "published_at": draw.published_at,
            "seed": draw.seed,
            "nonce": draw.nonce,
            "commitment": draw.commitment,
            "inputs_digest": draw.inputs_digest,
        },
    )
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
            [InspectionTask.State.SCHEDULED, [t.pk for t in tasks], [t.visit_id for t in tasks]],
        )


@transaction.atomic
def plan_joint_inspections(actor, today: dt.date | None = None) -> JointPlanResult:
    """Merge every department's open tasks into the fewest visits (``rules.plan_joint_inspections``),
    on working days from ``today`` on. Tasks whose window has passed or holds no working day stay open."""
    access.require(actor, "inspections.joint_plan")
    today = today or timezone.localdate()
    calendar = district_calendar()
    open_tasks = list(
        InspectionTask.objects.select_for_update()
        .filter(state=InspectionTask.State.OPEN, visit__isnull=True, window_end__gte=today)
        .order_by("pk")
    )
    by_id = {t.pk: t for t in open_tasks}
    plan = rules.plan_joint_inspections(
        [
            rules.InspectionTask(t.pk, t.party_id, t.department_id, max(t.window_start, today), t.window_end)
            for t in open_tasks
        ],
        allowed_day=calendar.is_workday,
    )
    visits = JointInspection.objects.bulk_create(
        [JointInspection(party_id=v.party_id, day=v.day, anchor_task_id=v.task_ids[0]) for v in plan.visits]
    )
    officer_rows = InspectionTask.officers.through.objects.filter(
        inspectiontask_id__in=list(by_id)
    ).values_list("inspectiontask_id", "officer_id")
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
    result = JointPlanResult(
        tasks=len(scheduled),
        visits=len(visits),
        saved=plan.saved_total,
        unscheduled=len(plan.unscheduled),
        saved_by_department=plan.saved_by_department,
    )
    audit.record(
        actor,
        "inspection.joint_plan",
        object_type="inspections.JointInspection",
        object_id="*",
        legal_basis="综合查一次（进一次门、查多项事）",
        after={
            "tasks": result.tasks,
            "visits": result.visits,
            "saved": result.saved,
            "unscheduled": result.unscheduled,
            "visit_ids": [v.pk for v in visits],
            "saved_by_department": {str(k): v for k, v in plan.saved_by_department.items()},
        },
    )
    return result
