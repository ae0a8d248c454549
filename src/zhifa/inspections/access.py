"""The inspections' part of the access policy (``zhifa.core.access``): who plans and draws, who
plans the joint visits, who records an inspection, and what each role sees.

* A department's administrator, a township's leaders and the 执法指导办 plan the random
  inspections of their own bodies and run the draw (国办发〔2015〕58号); a re-draw is theirs too,
  audited with its reason.
* The command centre and the 执法指导办 merge every department's tasks into joint visits
  (综合查一次, plan 三.(三)3).
* An inspector records only where he takes part: a task or visit of his department, or one he
  was drawn for (行政处罚法第四十二条、第五十五条).
"""

from __future__ import annotations

from zhifa.core import access
from zhifa.core.scopes import Scope
from zhifa.organizations.access import in_scope
from zhifa.organizations.models import User

from .models import (
    ActionCode,
    Attachment,
    InspectionPlan,
    InspectionRecord,
    InspectionTask,
    JointInspection,
    RandomDraw,
    RectificationOrder,
    assigned_officer_ids,
)

R = User.Role

PLANNERS = (R.DEPARTMENT_ADMIN, R.TOWNSHIP_LEADER, R.GUIDANCE_OFFICE, access.ADMIN)
JOINT_PLANNERS = (R.GUIDANCE_OFFICE, R.COMMAND_CENTER, access.ADMIN)
RECORDERS = (R.OFFICER, R.DEPARTMENT_ADMIN, R.TOWNSHIP_LEADER, access.ADMIN)


def _tasks_of(obj) -> list:
    if isinstance(obj, JointInspection):
        return list(obj.tasks.all())
    if isinstance(obj, InspectionTask):
        return [obj]
    if isinstance(obj, InspectionRecord):
        return list(obj.visit.tasks.all()) if obj.visit_id else [obj.task] if obj.task_id else []
    return []


def drawn_officer_ids(obj) -> set[int]:
    """The inspectors of a visit or a task: those drawn (a visit's are those of all its tasks),
    with the recorded changes (``InspectorChange``) applied."""
    if isinstance(obj, JointInspection | InspectionTask):
        return assigned_officer_ids(obj)
    return set()


@access.predicate
def takes_part(actor, obj) -> bool:
    """The actor's body has a task in the visit (or the task), or he was drawn for it."""
    if obj is None:
        return True
    scope = Scope.for_user(actor)
    if scope.everything:
        return True
    if isinstance(obj, InspectionRecord) and obj.department_id and scope.covers_organization(obj.department):
        return True
    if any(scope.covers_organization(task.department) for task in _tasks_of(obj)):
        return True
    officer_id = getattr(actor, "officer_id", None)
    return officer_id is not None and officer_id in drawn_officer_ids(obj)


@access.register_visibility(InspectionPlan)
def _plans(actor, queryset):
    return Scope.for_user(actor).filter(queryset, "department")


@access.register_visibility(RandomDraw)
def _draws(actor, queryset):
    return Scope.for_user(actor).filter(queryset, "plan__department")


@access.register_visibility(InspectionTask)
def _tasks(actor, queryset):
    from .selectors import visible_tasks

    return queryset.filter(pk__in=visible_tasks(Scope.for_user(actor)).values("pk"))


@access.register_visibility(JointInspection)
def _visits(actor, queryset):
    from .selectors import visible_visits

    return queryset.filter(pk__in=visible_visits(Scope.for_user(actor)).values("pk"))


@access.register_visibility(InspectionRecord)
def _records(actor, queryset):
    from .selectors import visible_records

    return queryset.filter(pk__in=visible_records(Scope.for_user(actor)).values("pk"))


@access.register_visibility(RectificationOrder)
def _rectifications(actor, queryset):
    from .selectors import visible_records

    return queryset.filter(record__in=visible_records(Scope.for_user(actor)).values("pk"))


@access.register_visibility(Attachment)
def _attachments(actor, queryset):
    from .selectors import visible_records

    return queryset.filter(record__in=visible_records(Scope.for_user(actor)).values("pk"))


@access.register_visibility(ActionCode)
def _codes(actor, queryset):
    return queryset.none()  # reached by its token only (the party's), never listed


access.permission(
    "inspections.plan",
    "制定检查计划、组织双随机抽取",
    PLANNERS,
    in_scope,
    refusal="不能为本机构以外的部门制定检查计划或组织抽取",
    basis="国办发〔2015〕58号",
)
access.permission(
    "inspections.joint_plan", "统筹安排综合查一次", JOINT_PLANNERS, basis="综合查一次（进一次门、查多项事）"
)
access.permission(
    "inspections.record",
    "填写检查记录",
    RECORDERS,
    takes_part,
    refusal="只能记录本部门参与或本人被抽中的检查",
    basis="行政处罚法第四十二条、第五十五条",
)
access.permission(
    "inspections.inspect_for_cause",
    "因投诉举报、线索等事由检查",
    RECORDERS,
    in_scope,
    refusal="只能以本机构的名义检查",
)
