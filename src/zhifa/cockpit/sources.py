"""Sources and measures of the cockpit (驾驶舱). A *source* is the scoped queryset of the app
that owns some records (incidents from ``dispatch.selectors.visible_incidents``, cases from
``cases.selectors.case_list``, …) with the township, department and month each row belongs to; a
*measure* is one condition over one source. A counted figure is ``COUNT(*) FILTER (WHERE
condition)`` over its source, its drill-down the source filtered by the same condition, so the two
always agree. Conditions that are also reform indicators (下沉, 全程网办) are the indicators' own,
from ``zhifa.indicators.definitions``: defined once.

The art. 60 decision period (on time / late) is the indicators' ``decision_period``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from django.db.models import F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from zhifa.cases import selectors as cases
from zhifa.cases.models import FINED_STATES
from zhifa.cases.rules import State as CaseState
from zhifa.core.scopes import Scope
from zhifa.dispatch import rules as dispatch_rules
from zhifa.dispatch import selectors as dispatch
from zhifa.indicators.definitions import enforcement as enforcement_indicators
from zhifa.indicators.definitions import staff as staff_indicators
from zhifa.indicators.definitions.decision_period import DecisionPeriod, decided_with_filing
from zhifa.inspections import selectors as inspections
from zhifa.organizations.models import Officer, Organization

DEPARTMENT_PATH_LENGTH = 19
TREND_MONTHS = 12


def alert_model():
    """``supervision.Alert``, or None while the supervision app does not provide it."""
    try:
        from zhifa.supervision.models import Alert
    except ImportError:  # pragma: no cover - depends on the supervision app's progress
        return None
    return Alert


# ---- context: what the conditions need ----


@dataclass
class Context:
    scope: Scope
    today: dt.date

    @cached_property
    def period(self) -> DecisionPeriod:
        """The art. 60 decision period, as the indicators define it."""
        return DecisionPeriod(self.scope, self.today)

    def case_late(self) -> Q:
        """Decided after the art. 60 period (``zhifa.indicators.definitions.decision_period``)."""
        return self.period.late()


_decided_with_filing = decided_with_filing


# ---- sources: the scoped querysets of the apps ----


@dataclass(frozen=True)
class Source:
    name: str
    noun: str  # unit of a count, 项 / 人 / 件 / 次 / 条
    rows: Callable[[Scope], QuerySet]  # the app's scoped selector, ordered for display
    columns: tuple[tuple[str, Callable], ...]
    township: object = None  # expression: the township (Region id) a row belongs to
    org_field: str | None = None  # the organisation a row belongs to (department breakdown)
    month_field: str | None = None  # the date the monthly trend counts a row in


def _local(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _officers(scope: Scope) -> QuerySet:
    return (
        scope.filter(
            Officer.objects.filter(is_active=True, kind=Officer.Kind.ENFORCEMENT), "organization", "posted_to"
        )
        .select_related("organization", "posted_to")
        .order_by("organization__path", "employee_no")
    )


def _incidents(scope: Scope) -> QuerySet:
    return (
        dispatch.visible_incidents(scope)
        .select_related("township", "responsible_org")
        .order_by("-reported_at", "-pk")
    )


def _cases(scope: Scope) -> QuerySet:
    return cases.case_list(None, scope=scope)


def _tasks(scope: Scope) -> QuerySet:
    return (
        inspections.visible_tasks(scope)
        .select_related("department", "party", "visit")
        .order_by("-window_start", "-pk")
    )


def _records(scope: Scope) -> QuerySet:
    return (
        inspections.visible_records(scope)
        .select_related("department", "party")
        .order_by("-started_at", "-pk")
    )


def _alerts(scope: Scope) -> QuerySet:
    Alert = alert_model()
    if Alert is None:  # pragma: no cover
        return Organization.objects.none()
    return scope.filter(Alert.objects.all()).select_related("organization").order_by("-raised_at", "-pk")


SOURCES: dict[str, Source] = {
    s.name: s
    for s in (
        Source(
            "officers",
            "人",
            _officers,
            (
                ("工号", lambda r: r.employee_no),
                ("姓名", lambda r: r.name),
                ("所属机构", lambda r: r.organization.name),
                ("下沉至", lambda r: r.posted_to.name if r.posted_to_id else ""),
            ),
            township=Coalesce("posted_to_id", "organization__region_id"),
            org_field="organization",
        ),
        Source(
            "incidents",
            "件",
            _incidents,
            (
                ("查询码", lambda r: r.tracking_code),
                ("内容", lambda r: (r.title or r.text)[:40]),
                ("乡镇（街道）", lambda r: r.township.name if r.township_id else ""),
                ("承办单位", lambda r: r.responsible_org.name if r.responsible_org_id else ""),
                ("状态", lambda r: r.get_state_display()),
                ("登记时间", lambda r: _local(r.reported_at)),
                ("办理期限", lambda r: _local(r.due_at)),
                ("反馈时间", lambda r: _local(r.replied_at)),
                ("满意度", lambda r: r.satisfaction),
            ),
            township=F("township_id"),
            org_field="responsible_org",
            month_field="reported_at",
        ),
        Source(
            "cases",
            "件",
            _cases,
            (
                ("案件编号", lambda r: r.number or f"案件{r.pk}"),
                ("办案机关", lambda r: r.organization.name),
                ("当事人", lambda r: r.party.name),
                ("事项", lambda r: r.item.name),
                ("状态", lambda r: r.state_label),
                ("立案日期", lambda r: r.filing_date),
                ("决定日期", lambda r: r.decision_date),
                ("罚款（元）", lambda r: str(r.decided_fine)),
            ),
            township=F("organization__region_id"),
            org_field="organization",
            month_field="created_at",
        ),
        Source(
            "tasks",
            "项",
            _tasks,
            (
                ("执法部门", lambda r: r.department.name),
                ("检查对象", lambda r: r.party.name),
                ("检查日期", lambda r: r.visit.day if r.visit_id else ""),
                ("窗口", lambda r: f"{r.window_start}～{r.window_end}"),
            ),
            township=F("party__township_id"),
            org_field="department",
            month_field="window_start",
        ),
        Source(
            "records",
            "次",
            _records,
            (
                ("检查部门", lambda r: r.department.name),
                ("检查对象", lambda r: r.party.name),
                ("开始时间", lambda r: _local(r.started_at)),
                ("处理结果", lambda r: r.get_outcome_display()),
            ),
            township=F("party__township_id"),
            org_field="department",
            month_field="started_at",
        ),
        Source(
            "alerts",
            "条",
            _alerts,
            (
                ("预警规则", lambda r: r.rule_code),
                ("等级", lambda r: r.get_severity_display()),
                ("责任单位", lambda r: r.organization.name if r.organization_id else ""),
                ("预警内容", lambda r: r.message),
                ("状态", lambda r: r.get_state_display()),
                ("预警时间", lambda r: _local(r.raised_at)),
                ("关闭时间", lambda r: _local(r.closed_at)),
            ),
            township=F("organization__region_id"),
            org_field="organization",
            month_field="raised_at",
        ),
    )
}


# ---- measures: one condition over one source; a figure and its drill-down ----


@dataclass(frozen=True)
class Measure:
    key: str
    source: str
    title: str  # what the drill-down lists
    condition: Callable[[Context], Q]


def _incident_replied(ctx: Context) -> Q:
    return Q(replied_at__isnull=False, due_at__isnull=False)


def _mitigated(ctx: Context) -> Q:
    """Decided below the statutory minimum with a basis for mitigation (减轻处罚, 行政处罚法 art. 32, 30)."""
    return (
        Q(state__in=FINED_STATES, extra_facts__has_key="mitigation_basis")
        & ~Q(extra_facts__mitigation_basis="")
        & ~Q(extra_facts__mitigation_basis=None)
    )


def _concluded(ctx: Context) -> Q:
    """Decided, with a penalty or none (the reform indicators' definition of a concluded case)."""
    return Q(state__in=enforcement_indicators.CONCLUDED_STATES)


def _offline(ctx: Context) -> Q:
    """Concluded without its decision issued on the platform: the gap of 处罚办案全程网办率."""
    return _concluded(ctx) & ~enforcement_indicators.decided_online()


MEASURES: dict[str, Measure] = {
    m.key: m
    for m in (
        # staff
        Measure("staff_total", "officers", "在岗执法人员", lambda ctx: Q()),
        Measure(
            "staff_townships",
            "officers",
            "在乡镇（街道）工作的执法人员",
            lambda ctx: staff_indicators.working_in_township(),
        ),
        # incidents (the closed loop)
        Measure("incidents_total", "incidents", "事件", lambda ctx: Q()),
        Measure(
            "incidents_closed",
            "incidents",
            "已办结的事件",
            lambda ctx: Q(state__in=(dispatch_rules.EVALUATED, dispatch_rules.CLOSED)),
        ),
        Measure(
            "incidents_on_time",
            "incidents",
            "按期反馈的事件",
            lambda ctx: _incident_replied(ctx) & Q(replied_at__lte=F("due_at")),
        ),
        Measure(
            "incidents_late",
            "incidents",
            "超期反馈的事件",
            lambda ctx: _incident_replied(ctx) & Q(replied_at__gt=F("due_at")),
        ),
        Measure(
            "incidents_overdue",
            "incidents",
            "当前超期未反馈的事件",
            lambda ctx: Q(overdue=True, state__in=dispatch_rules.WORKING_STATES),
        ),
        Measure(
            "incidents_rated", "incidents", "已评价满意度的事件", lambda ctx: Q(satisfaction__isnull=False)
        ),
        # cases
        Measure("cases_total", "cases", "案件", lambda ctx: Q()),
        Measure("cases_decided", "cases", "已作出处罚决定的案件", lambda ctx: Q(state__in=FINED_STATES)),
        Measure(
            "cases_on_time",
            "cases",
            "在法定期限内作出决定的案件",
            lambda ctx: _decided_with_filing() & ~ctx.case_late(),
        ),
        Measure("cases_late", "cases", "超过法定期限作出决定的案件", lambda ctx: ctx.case_late()),
        Measure(
            "cases_no_penalty", "cases", "不予处罚的案件", lambda ctx: Q(state=CaseState.NO_PENALTY.value)
        ),
        Measure("cases_mitigated", "cases", "减轻处罚的案件", _mitigated),
        Measure(
            "cases_referred",
            "cases",
            "移送司法机关（行刑衔接）的案件",
            lambda ctx: Q(state=CaseState.REFERRED.value),
        ),
        Measure("cases_concluded", "cases", "已作出决定（含不予处罚）的案件", _concluded),
        Measure("cases_offline", "cases", "已决定但决定书未在平台出具的案件", _offline),
        # inspections
        Measure("tasks_joint", "tasks", "纳入综合查一次的检查任务", lambda ctx: Q(visit__isnull=False)),
        Measure(
            "visits_saved",
            "tasks",
            "综合查一次：随同检查（少进一次门）的任务",
            lambda ctx: Q(visit__isnull=False) & ~Q(visit__anchor_task_id=F("pk")),
        ),
        Measure("inspections_total", "records", "检查记录", lambda ctx: Q()),
        # supervision
        Measure("alerts_raised", "alerts", "监督预警", lambda ctx: Q()),
        Measure("alerts_open", "alerts", "未关闭的监督预警", lambda ctx: ~Q(state="closed")),
        Measure("alerts_closed", "alerts", "已关闭的监督预警", lambda ctx: Q(state="closed")),
    )
}

#: Measures shown in the township and department breakdowns (each cell links to its drill-down).
BREAKDOWN_KEYS = (
    "incidents_total",
    "incidents_closed",
    "incidents_on_time",
    "incidents_overdue",
    "cases_total",
    "cases_decided",
    "cases_late",
    "staff_total",
    "inspections_total",
    "visits_saved",
    "alerts_raised",
    "alerts_closed",
)
#: Flow measures in the monthly trend (counted in the month of the source's ``month_field``).
TREND_KEYS = (
    "incidents_total",
    "incidents_closed",
    "incidents_on_time",
    "incidents_late",
    "cases_total",
    "cases_decided",
    "cases_no_penalty",
    "cases_mitigated",
    "inspections_total",
    "tasks_joint",
    "alerts_raised",
    "alerts_closed",
)


#: Column labels of the measures in the breakdown and trend tables.
SHORT_LABELS = {
    "incidents_total": "事件",
    "incidents_closed": "已办结",
    "incidents_on_time": "按期反馈",
    "incidents_late": "超期反馈",
    "incidents_overdue": "当前超期",
    "cases_total": "案件",
    "cases_decided": "处罚决定",
    "cases_late": "超期决定",
    "cases_no_penalty": "不予处罚",
    "cases_mitigated": "减轻处罚",
    "staff_total": "执法人员",
    "inspections_total": "检查",
    "visits_saved": "少进门",
    "tasks_joint": "联合检查任务",
    "alerts_raised": "预警",
    "alerts_closed": "预警已关闭",
}


def _available(key: str) -> bool:
    return MEASURES[key].source != "alerts" or alert_model() is not None
