"""Every write of an inspection itself: the record of a planned visit or task, or of an
inspection with a recorded cause (无事不扰: nothing outside the list), photos, rectification orders
and their verification (复查), hand-offs to cases and incidents, and the party's rating through the
行政行为码. Transactional, permission-checked (``access.py``), row-locked where edits could collide,
audited. Plans, draws and joint planning are in ``planning`` and reached through this module too.

Articles: 行政处罚法第四十二条、第五十五条 (at least two officers with valid certificates, auxiliary staff
never); 国办发〔2015〕58号 (inspections from the random draw); 国发〔2019〕5号 (credit facts from findings).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from zhifa.catalog import rules as catalog_rules
from zhifa.catalog.models import ChecklistEntry, Claim, EnforcementItem
from zhifa.core import access, audit
from zhifa.core.calendars import district_calendar
from zhifa.core.errors import DomainError, NotFound, field_error
from zhifa.core.scopes import Scope
from zhifa.organizations.models import Certificate, Officer, User
from zhifa.parties import events as party_events
from zhifa.parties.models import Party

from . import codes, handoffs, rules
from .access import drawn_officer_ids
from .models import (
    ActionCode,
    Attachment,
    ChecklistResult,
    InspectionRecord,
    InspectionTask,
    InspectorChange,
    JointInspection,
    RectificationOrder,
)

OFFICERS_BASIS = "行政处罚法第四十二条、第五十五条"


def _user(actor) -> User | None:
    return actor if isinstance(actor, User) else None


# ---------------------------------------------------------------------------------------------
# Records
# ---------------------------------------------------------------------------------------------


def _scoped_tasks(actor):
    return Scope.for_user(actor).filter(InspectionTask.objects.all(), "department", "party__township")


def _officer_infos(officer_ids: list[int]) -> list[rules.OfficerInfo]:
    officers = Officer.objects.filter(pk__in=officer_ids).prefetch_related("certificates").order_by("pk")
    return [
        rules.OfficerInfo(
            officer_id=o.pk,
            auxiliary=o.is_auxiliary,
            active=o.is_active,
            name=o.name,
            certificates=tuple(
                rules.CertificateInfo(
                    frozenset(c.domains), c.valid_from, c.valid_to, c.status == Certificate.Status.ACTIVE
                )
                for c in o.certificates.all()
            ),
        )
        for o in officers
    ]


@dataclass
class RecordResult:
    record: InspectionRecord
    warnings: list[str]


def _repeated_warnings(record: InspectionRecord) -> list[str]:
    days = dt.timedelta(days=rules.REPEATED_INSPECTION_DAYS)
    others = (
        InspectionRecord.objects.filter(
            party_id=record.party_id,
            started_at__gte=record.started_at - days,
            started_at__lte=record.started_at + days,
        )
        .exclude(pk=record.pk)
        .exclude(department_id=record.department_id)
        .select_related("department")
    )
    return [
        f"重复检查：{o.department.name}已于{timezone.localtime(o.started_at):%Y-%m-%d}检查过该对象，"
        f"{rules.REPEATED_INSPECTION_DAYS}日内不同部门分别上门，宜纳入综合查一次"
        for o in others
    ]


def _check_officers(officer_ids: list[int], day: dt.date) -> None:
    """At least two officers, each holding a certificate valid that day, none auxiliary
    (行政处罚法第四十二条、第五十五条): an officer whose certificate expired, was suspended or
    revoked is refused from that day."""
    if len(officer_ids) < rules.MIN_OFFICERS:
        raise field_error(
            "officer_ids",
            f"检查人员不得少于{rules.MIN_OFFICERS}人（行政处罚法第四十二条）",
            "too_few_officers",
        )
    infos = _officer_infos(officer_ids)
    if len(infos) != len(officer_ids):
        raise field_error("officer_ids", "所选检查人员不存在", "does_not_exist")
    for info in infos:
        refusal = rules.officer_refusal(info, day)
        if refusal:
            raise field_error("officer_ids", refusal, "officer_not_certified")


def _times(data: Mapping[str, Any], party_id: int) -> tuple[dt.datetime, dt.datetime]:
    started, ended = data.get("started_at"), data.get("ended_at")
    if started is None or ended is None:
        raise field_error("started_at" if started is None else "ended_at", "请填写检查起止时间", "required")
    if ended <= started:
        raise field_error("ended_at", "检查结束时间应晚于开始时间", "record_times_reversed")
    if started > timezone.now() + dt.timedelta(minutes=5):
        raise field_error("started_at", "检查开始时间不能晚于现在", "record_in_future")
    overlapping = InspectionRecord.objects.filter(
        party_id=party_id, started_at__lt=ended, ended_at__gt=started
    ).first()
    if overlapping is not None:
        raise DomainError(
            "record_overlap",
            "同一对象在这段时间已有检查记录（"
            f"{timezone.localtime(overlapping.started_at):%Y-%m-%d %H:%M}），时间不能重叠",
            "started_at",
        )
    return started, ended


def _checklist(lines, item_ids: set[int]) -> list[ChecklistResult]:
    entries = {e.pk: e for e in ChecklistEntry.objects.filter(item_id__in=item_ids)}
    results = []
    for line in lines or ():
        entry = entries.get(int(line.get("entry_id") or 0))
        if entry is None:
            raise field_error("checklist", "检查要点不属于本次检查的事项", "checklist_entry_foreign")
        if line.get("result") not in rules.CHECK_RESULTS:
            raise field_error(
                "checklist", f"“{entry.text}”的检查结果应为符合、不符合或不适用", "checklist_result_invalid"
            )
        results.append(
            ChecklistResult(entry=entry, result=line["result"], note=(line.get("note") or "")[:500])
        )
    if len({r.entry_id for r in results}) != len(results):
        raise field_error("checklist", "同一检查要点只能填写一次结果", "checklist_duplicate")
    return results


def _outcome(data: Mapping[str, Any]) -> str:
    outcome = data.get("outcome") or InspectionRecord.Outcome.NO_ISSUE
    if outcome not in InspectionRecord.Outcome.values:
        raise field_error("outcome", "处理结果无效", "invalid_choice")
    return outcome


def _save_record(
    actor, record: InspectionRecord, officer_ids: list[int], results: list[ChecklistResult]
) -> list[str]:
    record.save()
    record.officers.set(officer_ids)
    for r in results:
        r.record = record
    ChecklistResult.objects.bulk_create(results)
    warnings = _repeated_warnings(record)
    if warnings:
        record.warnings = warnings
        record.save(update_fields=["warnings"])
    if record.outcome != InspectionRecord.Outcome.NO_ISSUE:
        party_events.facts_changed(record.party_id, "inspection_finding")  # recolour after the commit
    return warnings


@transaction.atomic
def record_inspection(actor, data: Mapping[str, Any]) -> RecordResult:
    """Record an inspection of a planned visit or task (from a draw). Refused: a visit or task
    recorded twice, a record overlapping another of the same party, fewer than two officers,
    auxiliary or uncertified officers (行政处罚法 第四十二条、第五十五条), a recorder whose body has
    no task in it and who was not drawn. Officers who were not drawn are kept as substitutes.
    Returns the record and warnings (重复检查 within 30 days by another department outside a joint
    inspection)."""
    access.require(actor, "inspections.record")
    visit_id, task_id = data.get("visit"), data.get("task")
    if bool(visit_id) == bool(task_id):
        raise field_error("visit", "请选择一次综合查一次或一项检查任务（二者选一）", "visit_or_task")
    tasks = _scoped_tasks(actor)
    officer_id = getattr(actor, "officer_id", None)
    if visit_id:
        visit = (
            JointInspection.objects.select_for_update()
            .filter(pk=visit_id)
            .filter(
                Exists(tasks.filter(visit=OuterRef("pk")))
                | Exists(
                    JointInspection.officers.through.objects.filter(
                        jointinspection=OuterRef("pk"), officer_id=officer_id
                    )
                )
            )
            .first()
        )
        if visit is None:
            raise NotFound()
        if visit.state == JointInspection.State.CANCELLED:
            raise DomainError("visit_cancelled", "这次综合查一次因重新抽取已取消", "visit")
        own_tasks = list(
            visit.tasks.exclude(state=InspectionTask.State.CANCELLED)
            .select_related("department")
            .order_by("window_end", "pk")
        )
        task, target = None, visit
        party_id = visit.party_id
        anchor = next((t for t in own_tasks if t.pk == visit.anchor_task_id), own_tasks[0])
        department = anchor.department
        if InspectionRecord.objects.filter(visit=visit).exists():
            raise DomainError("already_recorded", "这次综合查一次已经有检查记录，不能重复记录", "visit")
    else:
        task = (
            InspectionTask.objects.select_for_update(of=("self",))
            .select_related("department")
            .filter(pk=task_id)
            .filter(
                Exists(tasks.filter(pk=OuterRef("pk")))
                | Exists(
                    InspectionTask.officers.through.objects.filter(
                        inspectiontask=OuterRef("pk"), officer_id=officer_id
                    )
                )
            )
            .first()
        )
        if task is None:
            raise NotFound()
        if task.state == InspectionTask.State.CANCELLED:
            raise DomainError("task_cancelled", "该任务因重新抽取已取消", "task")
        if task.visit_id:
            raise DomainError("task_in_visit", "该任务已并入综合查一次，请在那次检查中记录", "task")
        if InspectionRecord.objects.filter(task=task).exists():
            raise DomainError("already_recorded", "该检查任务已经有检查记录，不能重复记录", "task")
        visit, own_tasks, party_id, department, target = None, [task], task.party_id, task.department, task
    access.require(actor, "inspections.record", target)
    Party.objects.select_for_update().filter(pk=party_id).first()  # serialise records of one party

    started, ended = _times(data, party_id)
    officer_ids = sorted(set(data.get("officer_ids") or ()))
    _check_officers(officer_ids, timezone.localtime(started).date())
    drawn = drawn_officer_ids(target)
    substitutes = [oid for oid in officer_ids if oid not in drawn] if drawn else []
    outcome = _outcome(data)
    item_ids = set(
        EnforcementItem.objects.filter(inspection_plans__tasks__in=[t.pk for t in own_tasks]).values_list(
            "pk", flat=True
        )
    )
    results = _checklist(data.get("checklist"), item_ids)

    record = InspectionRecord(
        visit=visit,
        task=task,
        party_id=party_id,
        department=department,
        started_at=started,
        ended_at=ended,
        findings=data.get("findings") or "",
        outcome=outcome,
        recorded_by=_user(actor),
        substitutes=substitutes,
    )
    warnings = _save_record(actor, record, officer_ids, results)
    InspectionTask.objects.filter(pk__in=[t.pk for t in own_tasks]).update(state=InspectionTask.State.DONE)
    if visit is not None:
        JointInspection.objects.filter(pk=visit.pk).update(state=JointInspection.State.DONE)
    else:
        ActionCode.objects.create(record=record)
    audit.record(
        actor,
        "inspection.record",
        record,
        legal_basis=OFFICERS_BASIS,
        after={
            "visit": visit_id,
            "task": task_id,
            "party": party_id,
            "department": department.pk,
            "officers": officer_ids,
            "substitutes": substitutes,
            "started_at": started,
            "ended_at": ended,
            "outcome": outcome,
            "findings": record.findings,
            "checklist": {r.entry_id: r.result for r in results},
            "warnings": warnings,
        },
    )
    return RecordResult(record, warnings)


RECORD_KEYS = {
    "party",
    "department",
    "cause_kind",
    "cause_ref",
    "cause_note",
    "item_ids",
    "officer_ids",
    "started_at",
    "ended_at",
    "findings",
    "outcome",
    "checklist",
}


@transaction.atomic
def record_for_cause(actor, data: Mapping[str, Any]) -> RecordResult:
    """An inspection outside the random draw, allowed only with a recorded cause — a complaint or
    report, a referral, a clue, an assignment, the check of a rectification — and its reference
    (无事不扰; 国办发〔2015〕58号: 除投诉举报、转办交办等外不得随意检查). The items are inspection items the
    department claimed; the officers are checked as for any inspection."""
    unknown = sorted(set(data) - RECORD_KEYS)
    if unknown:
        raise field_error(unknown[0], f"未知字段“{unknown[0]}”", "unknown_field")
    refusal = rules.inspection_refusal(
        planned=False, cause_kind=data.get("cause_kind") or "", cause_ref=data.get("cause_ref") or ""
    )
    if refusal:
        raise field_error(
            "cause_kind" if refusal[0] != "cause_reference_required" else "cause_ref", refusal[1], refusal[0]
        )
    department = (
        data.get("department") or getattr(getattr(actor, "organization", None), "body", lambda: None)()
    )
    if department is None:
        raise field_error("department", "请选择检查部门", "required")
    access.require(actor, "inspections.inspect_for_cause", department)
    party = data.get("party")
    if not isinstance(party, Party):
        party = access.get_visible(actor, Party, party)
    items = list(data.get("item_ids") and EnforcementItem.objects.filter(pk__in=data["item_ids"]) or ())
    if not items:
        raise field_error("item_ids", "请选择检查事项", "required")
    claimed = set(
        Claim.objects.filter(organization=department, item__in=items).values_list("item_id", flat=True)
    )
    for item in items:
        if (
            item.kind != catalog_rules.INSPECTION
            or item.status != catalog_rules.IN_FORCE
            or item.pk not in claimed
        ):
            raise field_error(
                "item_ids",
                f"“{item.code} {item.name}”不是{department.name}认领的现行检查事项",
                "item_not_claimed",
            )
    Party.objects.select_for_update().filter(pk=party.pk).first()
    started, ended = _times(data, party.pk)
    officer_ids = sorted(set(data.get("officer_ids") or ()))
    _check_officers(officer_ids, timezone.localtime(started).date())
    outcome = _outcome(data)
    results = _checklist(data.get("checklist"), {i.pk for i in items})
    record = InspectionRecord(
        party=party,
        department=department,
        started_at=started,
        ended_at=ended,
        findings=data.get("findings") or "",
        outcome=outcome,
        recorded_by=_user(actor),
        cause_kind=data["cause_kind"],
        cause_ref=data["cause_ref"].strip()[:100],
        cause_note=(data.get("cause_note") or "").strip(),
    )
    warnings = _save_record(actor, record, officer_ids, results)
    record.items.set(items)
    ActionCode.objects.create(record=record)
    audit.record(
        actor,
        "inspection.record_for_cause",
        record,
        legal_basis=OFFICERS_BASIS,
        after={
            "party": party.pk,
            "department": department.pk,
            "cause_kind": record.cause_kind,
            "cause_ref": record.cause_ref,
            "items": sorted(i.code for i in items),
            "officers": officer_ids,
            "started_at": started,
            "ended_at": ended,
            "outcome": outcome,
            "findings": record.findings,
            "warnings": warnings,
        },
    )
    return RecordResult(record, warnings)


def _locked_record(actor, record_id: int) -> InspectionRecord:
    from .selectors import visible_records

    record = (
        visible_records(Scope.for_user(actor))
        .select_for_update(of=("self",))
        .filter(pk=record_id)
        .select_related("department")
        .first()
    )
    if record is None:
        raise NotFound()
    access.require(actor, "inspections.record", record)
    return record


def _store_file(
    actor, record: InspectionRecord, upload, rectification: RectificationOrder | None = None
) -> Attachment:
    digest = hashlib.sha256()
    size = 0
    for chunk in upload.chunks():
        digest.update(chunk)
        size += len(chunk)
    if size == 0:
        raise field_error("file", "文件为空", "empty_file")
    name = upload.name.rsplit("/", 1)[-1][:200]
    attachment = Attachment(
        record=record,
        rectification=rectification,
        name=name,
        size=size,
        sha256=digest.hexdigest(),
        uploaded_by=_user(actor),
    )
    upload.seek(0)
    attachment.file.save(name, upload, save=False)
    attachment.save()
    audit.record(
        actor,
        "inspection.attachment",
        attachment,
        after={
            "record": record.pk,
            "rectification": getattr(rectification, "pk", None),
            "name": name,
            "size": size,
            "sha256": attachment.sha256,
        },
    )
    return attachment


@transaction.atomic
def add_attachment(actor, record_id: int, upload) -> Attachment:
    """Attach a photo or document; its SHA-256 is computed from the bytes received (全过程记录)."""
    return _store_file(actor, _locked_record(actor, record_id), upload)


ORDER_FIELDS = (
    "content",
    "working_days",
    "deadline",
    "state",
    "party_report",
    "reported_at",
    "verified_at",
    "verification_note",
)


@transaction.atomic
def issue_rectification(
    actor, record_id: int, content: str, working_days: int, today: dt.date | None = None
) -> RectificationOrder:
    """责令整改 with a deadline of ``working_days`` working days (holidays and make-up days counted
    by the district calendar)."""
    record = _locked_record(actor, record_id)
    content = (content or "").strip()
    if not content:
        raise field_error("content", "请填写整改内容", "required")
    if not isinstance(working_days, int) or not 1 <= working_days <= 90:
        raise field_error("working_days", "整改期限应为1至90个工作日", "working_days_invalid")
    start = today or timezone.localdate()
    deadline = district_calendar().add_working_days(start, working_days)
    order = RectificationOrder.objects.create(
        record=record, content=content, working_days=working_days, deadline=deadline, issued_by=_user(actor)
    )
    if record.outcome == InspectionRecord.Outcome.NO_ISSUE:
        record.outcome = InspectionRecord.Outcome.RECTIFICATION
        record.save(update_fields=["outcome"])
    audit.record(
        actor,
        "inspection.rectification",
        order,
        after={"record": record.pk, "content": content, "working_days": working_days, "deadline": deadline},
    )
    return order


@transaction.atomic
def report_rectification(token: str, order_id: int, report: str) -> RectificationOrder:
    """The party reports how it rectified (整改情况报告), through the 行政行为码 it was given."""
    code = code_from_token(token)
    order = (
        RectificationOrder.objects.select_for_update()
        .filter(pk=order_id, record__in=_records_of_code(code))
        .first()
    )
    if order is None:
        raise NotFound("整改通知不存在")
    report = (report or "").strip()
    if len(report) < 4:
        raise field_error("report", "请写明整改情况", "required")
    if order.state != RectificationOrder.State.OPEN:
        raise DomainError("rectification_closed", "该整改已复查，无需再报告")
    before = audit.snapshot(order, ORDER_FIELDS)
    order.party_report, order.reported_at = report[:2000], timezone.now()
    order.save(update_fields=["party_report", "reported_at"])
    audit.record(
        None,
        "inspection.rectification_report",
        order,
        before=before,
        after=audit.snapshot(order, ORDER_FIELDS),
    )
    return order


def _records_of_code(code: ActionCode):
    if code.record_id:
        return InspectionRecord.objects.filter(pk=code.record_id)
    return InspectionRecord.objects.filter(visit_id=code.visit_id)


@transaction.atomic
def verify_rectification(actor, order_id: int, *, note: str = "", photo=None) -> RectificationOrder:
    """复查: the officer checks the rectification on site, with a note and a photo; the party's
    colour is reassessed after the commit (a verified rectification is a credit event)."""
    order = RectificationOrder.objects.select_for_update().filter(pk=order_id).first()
    if order is None:
        raise NotFound()
    record = _locked_record(actor, order.record_id)
    if order.state != RectificationOrder.State.OPEN:
        raise DomainError("rectification_closed", "该整改已复查，不能重复复查")
    before = audit.snapshot(order, ORDER_FIELDS)
    order.state, order.verified_at = RectificationOrder.State.VERIFIED, timezone.now()
    order.verification_note, order.verified_by = (note or "").strip()[:2000], _user(actor)
    order.save(update_fields=["state", "verified_at", "verification_note", "verified_by"])
    if photo is not None:
        _store_file(actor, record, photo, rectification=order)
    audit.record(
        actor,
        "inspection.rectification_verify",
        order,
        before=before,
        after=audit.snapshot(order, ORDER_FIELDS),
    )
    party_events.facts_changed(record.party_id, "rectification_verified")
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
        raise field_error("rating", "评价应为1至5星", "rating_invalid")
    if code.rating is not None:
        raise DomainError("already_rated", "这次检查已经评价过，每次检查只能评价一次", "rating")
    if not code_is_rateable(code):
        raise DomainError("not_inspected_yet", "检查完成后才能评价", "rating")
    code.rating, code.comment, code.rated_at = rating, (comment or "").strip()[:500], timezone.now()
    code.save(update_fields=["rating", "comment", "rated_at"])
    audit.record(None, "inspection.rating", code, after={"rating": rating, "comment": code.comment})
    return code


# ---------------------------------------------------------------------------------------------
# 调整检查人员: a drawn inspector who cannot come is replaced before the visit
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def assign_officer(
    actor,
    *,
    officer_id: int,
    replaces_id: int,
    reason: str,
    visit_id: int | None = None,
    task_id: int | None = None,
) -> Officer:
    """Replace a drawn inspector of a visit or a task before the inspection, with the reason: the
    substitute is a certified officer of one of its departments, not the party's last inspector
    holding a certificate valid on the visit's day (行政处罚法第四十二条、第五十五条). The draw itself
    stays as drawn and published; the replacement is recorded beside it and audited."""
    if bool(visit_id) == bool(task_id):
        raise field_error("visit", "请选择一次综合查一次或一项检查任务（二者选一）", "visit_or_task")
    if visit_id:
        target = access.get_visible(actor, JointInspection.objects.select_for_update(), visit_id)
        if target.state != JointInspection.State.PLANNED:
            raise DomainError("visit_not_planned", "只能为待检查的综合查一次调整人员", "visit")
        tasks, day = (
            list(target.tasks.exclude(state=InspectionTask.State.CANCELLED).select_related("department")),
            target.day,
        )
    else:
        target = access.get_visible(actor, InspectionTask.objects.select_for_update(), task_id)
        if target.state != InspectionTask.State.OPEN or target.visit_id:
            raise DomainError("task_not_open", "只能为未安排、未检查的任务调整人员", "task")
        tasks, day = [target], max(target.window_start, timezone.localdate())
    access.require(actor, "inspections.record", target)
    reason = (reason or "").strip()
    if len(reason) < 4:
        raise field_error("reason", "请写明调整检查人员的理由（至少4个字）", "required")
    drawn = drawn_officer_ids(target)
    if replaces_id not in drawn:
        raise field_error("replaces", "被替换的人员不是本次检查的检查人员", "not_drawn")
    if officer_id in drawn:
        raise field_error("officer", "该人员已是本次检查的检查人员", "already_drawn")
    officer = Officer.objects.filter(pk=officer_id, organization__in=[t.department_id for t in tasks]).first()
    if officer is None:
        raise field_error("officer", "替补人员应为本次检查所属部门的执法人员", "officer_not_of_department")
    refusal = rules.officer_refusal(_officer_infos([officer.pk])[0], day)
    if refusal:
        raise field_error("officer", refusal, "officer_not_certified")
    InspectorChange.objects.create(
        visit=target if visit_id else None,
        task=target if task_id else None,
        replaced_id=replaces_id,
        officer=officer,
        reason=reason[:300],
        changed_by=_user(actor),
    )
    audit.record(
        actor,
        "inspection.assign_officer",
        target,
        legal_basis=OFFICERS_BASIS,
        before={"officers": sorted(drawn)},
        after={
            "officers": sorted(drawn - {replaces_id} | {officer.pk}),
            "replaces": replaces_id,
            "officer": officer.pk,
            "reason": reason,
        },
    )
    return officer


# ---------------------------------------------------------------------------------------------
# Plans and draws live in ``planning``; reached through this module as well.
# ---------------------------------------------------------------------------------------------

_PLANNING = (
    "DRAW_BASIS",
    "PLAN_FIELDS",
    "create_plan",
    "run_draw",
    "redraw",
    "publish_draw",
    "compute_draw",
    "verify_draw",
    "inputs_digest",
    "plan_joint_inspections",
    "DrawVerification",
    "JointPlanResult",
    "backfill_draw",
)


def __getattr__(name: str):
    if name in _PLANNING:
        return getattr(import_module(f"{__package__}.planning"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
