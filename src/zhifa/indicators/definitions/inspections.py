"""Indicators of inspections and of the platform's use: 区乡两级执法平台运行率, 行政检查全程网办率,
检出率 by kind (双随机 / 日常 / 专项), 联合检查户次 and 减少企业干扰户次 (综合查一次, plan 二（一）三,
二（一）五, 三（四）1).

The kind of an inspection is decided in one place, ``inspection_kind``: a record belongs to a
random draw (双随机) when its task — or a task of its joint visit — comes from a plan with a
draw. The inspections app records no special campaigns (专项) yet and no routine patrols outside
plans, so today every record is 双随机 and the other two kinds count none; when campaigns are
recorded, only ``inspection_kind`` changes.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, Subquery
from django.urls import reverse

from zhifa.cases.models import Case
from zhifa.inspections import selectors as inspections
from zhifa.inspections.models import InspectionRecord, InspectionTask, RandomDraw, RectificationOrder

from .base import COUNT, RATE, Column, Indicator, local
from .staff import BODY_COLUMNS, enforcement_bodies

GROUP_INSPECTIONS = "检查监管"
GROUP_ONLINE = "平台运行"
PLAN_RUNNING = "区乡两级执法平台运行率100%"
PLAN_ONLINE = "实现行政检查和处罚办案全程网办、 自动留痕"
PLAN_ONCE = "常态化开展“综合查一次”，推动执法监管“双简双增”，实现“进一次门、查多项事、一次到位”"
RANDOM, ROUTINE, SPECIAL = "random", "routine", "special"
KIND_LABELS = {RANDOM: "双随机检查", ROUTINE: "日常检查", SPECIAL: "专项检查"}
#: Outcomes that mean a problem was found (责令整改, 建议立案, 建议转事件).
PROBLEM_OUTCOMES = (
    InspectionRecord.Outcome.RECTIFICATION,
    InspectionRecord.Outcome.CASE_SUGGESTED,
    InspectionRecord.Outcome.INCIDENT_SUGGESTED,
)


def _record_link(record) -> str:
    return reverse("inspections:record_detail", args=[record.pk])


RECORD_COLUMNS = (
    Column("检查部门", lambda r: r.department.name),
    Column("检查对象", lambda r: r.party.name),
    Column("开始时间", lambda r: local(r.started_at)),
    Column("处理结果", lambda r: r.get_outcome_display()),
)


def records(scope, period):
    """Inspection records started in the period, of the scope's departments or townships (and
    joint visits they took part in)."""
    return (
        inspections.visible_records(scope)
        .filter(period.instants("started_at"))
        .select_related("department", "party")
        .order_by("-started_at", "-pk")
    )


def _drawn() -> Q:
    drawn_plan = RandomDraw.objects.filter(plan=OuterRef("task__plan"))
    drawn_visit = InspectionTask.objects.filter(
        visit=OuterRef("visit"), visit__isnull=False, plan__draws__isnull=False
    )
    return Q(Exists(drawn_plan)) | Q(Exists(drawn_visit))


def inspection_kind(kind: str) -> Q:
    """Records of one kind. 双随机: from a drawn plan. 专项: none recorded yet (no campaign data).
    日常: the rest."""
    if kind == RANDOM:
        return _drawn()
    if kind == SPECIAL:
        return Q(pk__in=[])
    return ~_drawn()


def problem_found() -> Q:
    return Q(outcome__in=PROBLEM_OUTCOMES)


def fully_online(scope, period) -> Q:
    """Every step on the platform: planned there (a task or a joint visit, which every record has),
    recorded by an account, and — when it ordered rectification — the order issued there."""
    ordered = RectificationOrder.objects.filter(record=OuterRef("pk"))
    return Q(recorded_by__isnull=False) & (
        ~Q(outcome=InspectionRecord.Outcome.RECTIFICATION) | Q(Exists(ordered))
    )


def body_running(scope, period) -> Q:
    """The body (with its units) recorded both an inspection and a case in the period."""
    inspected = InspectionRecord.objects.filter(department__path__startswith=OuterRef("path")).filter(
        period.instants("started_at")
    )
    handled = Case.objects.filter(organization__path__startswith=OuterRef("path")).filter(
        period.instants("created_at")
    )
    return Q(Exists(inspected)) & Q(Exists(handled))


def visits(scope, period):
    return (
        inspections.visible_visits(scope)
        .filter(period.dates("day"))
        .select_related("party")
        .order_by("-day", "-pk")
    )


def joint_across_departments(scope, period) -> Q:
    """A visit on which tasks of at least two departments were done (进一次门、查多项事)."""
    first = (
        InspectionTask.objects.filter(visit=OuterRef(OuterRef("pk"))).order_by("pk").values("department")[:1]
    )
    return Q(Exists(InspectionTask.objects.filter(visit=OuterRef("pk")).exclude(department=Subquery(first))))


def visit_tasks(scope, period):
    return (
        inspections.visible_tasks(scope)
        .filter(visit__isnull=False)
        .filter(period.dates("visit__day"))
        .select_related("department", "party", "visit")
        .order_by("-visit__day", "-pk")
    )


def rode_along(scope, period) -> Q:
    """A task done on a visit anchored by another task: one visit the party did not receive."""
    from django.db.models import F

    return Q(visit__anchor_task__isnull=False) & ~Q(visit__anchor_task_id=F("pk"))


def _detection(kind: str) -> Indicator:
    label = KIND_LABELS[kind]
    return Indicator(
        key=f"detection_rate_{kind}",
        name=f"检出率（{label}）",
        group=GROUP_INSPECTIONS,
        kind=RATE,
        unit="%",
        source="浙江“大综合一体化”执法监管数字应用驾驶舱",
        quote="",
        definition=f"期内开始的{label}记录中，发现问题（责令整改、建议立案或建议转事件）的比例。",
        numerator=f"处理结果为责令整改、建议立案或建议转事件的{label}记录",
        denominator=f"期内开始的{label}记录",
        population=lambda s, p: records(s, p).filter(inspection_kind(kind)),
        counted=lambda s, p: problem_found(),
        columns=RECORD_COLUMNS,
        counted_title=f"发现问题的{label}",
        missed_title=f"未发现问题的{label}",
        link=_record_link,
        note=""
        if kind == RANDOM
        else "检查模块尚未记录专项行动与计划外的日常巡查；检查类别统一在 inspection_kind 中判定，"
        "相关数据接入后只改该函数。",
    )


INDICATORS = (
    Indicator(
        key="platform_running_rate",
        name="区乡两级执法平台运行率",
        group=GROUP_ONLINE,
        kind=RATE,
        unit="%",
        source="方案 二（一）三",
        quote=PLAN_RUNNING,
        definition="区、乡两级执法主体中，期内在平台既有行政检查记录又有办案记录的比例。",
        numerator="期内在平台有检查记录且有新登记案件的执法主体",
        denominator="在用的执法主体（含乡镇综合行政执法队）",
        population=enforcement_bodies,
        counted=body_running,
        columns=BODY_COLUMNS,
        counted_title="期内在平台开展检查和办案的执法主体",
        missed_title="期内未在平台同时开展检查和办案的执法主体",
        target=Decimal("1"),
    ),
    Indicator(
        key="online_inspections_rate",
        name="行政检查全程网办率",
        group=GROUP_ONLINE,
        kind=RATE,
        unit="%",
        source="方案 二（一）三",
        quote=PLAN_ONLINE,
        definition="期内开始的检查记录中，各环节均在平台完成（由计划任务或综合查一次产生、由平台账号记录，"
        "责令整改的并在平台出具整改通知）的比例。",
        numerator="由平台账号记录、且责令整改时有平台整改通知的检查记录",
        denominator="期内开始的检查记录",
        population=records,
        counted=fully_online,
        columns=RECORD_COLUMNS,
        counted_title="全程网办的检查记录",
        missed_title="有环节未在平台完成的检查记录",
        target=Decimal("1"),
        link=_record_link,
    ),
    _detection(RANDOM),
    _detection(ROUTINE),
    _detection(SPECIAL),
    Indicator(
        key="joint_visits",
        name="联合检查户次",
        group=GROUP_INSPECTIONS,
        kind=COUNT,
        unit="户次",
        source="方案 二（一）五",
        quote=PLAN_ONCE,
        definition="期内“综合查一次”中，由两个及以上部门同一次进门完成检查的户次。",
        numerator="检查日期在期内、含两个及以上部门检查任务的综合查一次",
        denominator="检查日期在期内的综合查一次",
        population=visits,
        counted=joint_across_departments,
        columns=(
            Column("检查对象", lambda r: r.party.name),
            Column("检查日期", lambda r: r.day),
            Column("状态", lambda r: r.get_state_display()),
        ),
        counted_title="多部门联合检查的户次",
        missed_title="仅一个部门的综合查一次",
    ),
    Indicator(
        key="visits_saved",
        name="减少企业干扰户次",
        group=GROUP_INSPECTIONS,
        kind=COUNT,
        unit="户次",
        source="方案 二（一）五、三（四）1",
        quote=PLAN_ONCE,
        definition="期内综合查一次中，随同其他任务一次进门完成、因而少进一次门的检查任务数。",
        numerator="所在综合查一次的牵头任务不是自身的检查任务",
        denominator="检查日期在期内、纳入综合查一次的检查任务",
        population=visit_tasks,
        counted=rode_along,
        columns=(
            Column("执法部门", lambda r: r.department.name),
            Column("检查对象", lambda r: r.party.name),
            Column("检查日期", lambda r: r.visit.day),
        ),
        counted_title="随同进门（少进一次门）的任务",
        missed_title="牵头进门的任务",
    ),
)
