"""The cockpit (驾驶舱): the reform's indicators against their goals, by township, by department
and by month, each figure with the list of the records it counts.

How a figure and its drill-down are kept equal: every counted figure is a *measure* — a condition
(``Q``) over one *source*, the scoped queryset an app's own selector returns (incidents from
``dispatch.selectors.visible_incidents``, cases from ``cases.selectors.case_list``, …). The figure
is ``COUNT(*) FILTER (WHERE condition)`` over the source in one aggregate query per source; the
drill-down is the source filtered by the same condition. The breakdowns and the monthly trend
group the same aggregate, and their cells link to the drill-down with the same group filter.
The catalog, discretion and staffing rates come from those apps' indicator functions; their
drill-downs list the gaps (or the part) those functions count, and the tests hold them equal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.db.models import (
    Count,
    DateField,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Substr, TruncMonth
from django.db.models.lookups import GreaterThan
from django.utils import timezone

from zhifa.cases import selectors as cases
from zhifa.cases.models import FINED_STATES, Document
from zhifa.cases.rules import State as CaseState
from zhifa.catalog import selectors as catalog
from zhifa.catalog.models import LegalBasis
from zhifa.core.scopes import Scope
from zhifa.discretion import selectors as discretion
from zhifa.dispatch import rules as dispatch_rules
from zhifa.dispatch import selectors as dispatch
from zhifa.inspections import selectors as inspections
from zhifa.organizations import selectors as organizations
from zhifa.organizations.models import Officer, Organization

#: Length of the ``path`` of a body directly under the district government ("/00000001/00000004/"):
#: the department a record belongs to in the department breakdown.
DEPARTMENT_PATH_LENGTH = 19
TREND_MONTHS = 12


def alert_model():
    """``supervision.Alert``, or None while the supervision app does not provide it."""
    try:
        from zhifa.supervision.models import Alert
    except ImportError:  # pragma: no cover - depends on the supervision app's progress
        return None
    return Alert


# ---- SQL helpers for the art. 60 decision period ----

class _ExtensionDays(Func):
    """Sum of ``days`` over the JSON list ``Case.extensions`` (approved extensions, art. 60)."""

    output_field = IntegerField()

    def as_sql(self, compiler, connection, **extra):  # SQLite (the embedded default)
        column, params = compiler.compile(self.source_expressions[0])
        return f"(SELECT COALESCE(SUM(json_extract(e.value, '$.days')), 0) FROM json_each({column}) e)", params

    def as_postgresql(self, compiler, connection, **extra):
        # Most cases have no extension: skip the per-row subquery for an empty list.
        column, params = compiler.compile(self.source_expressions[0])
        return (f"(CASE WHEN {column} IS NULL OR {column} = '[]'::jsonb THEN 0 ELSE "
                f"(SELECT COALESCE(SUM((e->>'days')::int), 0) FROM jsonb_array_elements({column}) e) END)",
                [*params, *params, *params])


class _DaysBetween(Func):
    """Calendar days from the first date to the second."""

    output_field = IntegerField()

    def as_sql(self, compiler, connection, **extra):
        (a, pa), (b, pb) = (compiler.compile(e) for e in self.source_expressions)
        return f"CAST(julianday({b}) - julianday({a}) AS INTEGER)", pa + pb

    def as_postgresql(self, compiler, connection, **extra):
        (a, pa), (b, pb) = (compiler.compile(e) for e in self.source_expressions)
        return f"({b} - {a})", pa + pb


#: The deadline rolls forward off rest days (民事诉讼法 art. 85); no run of rest days is longer.
ROLL_FORWARD_MAX_DAYS = 15


# ---- context: what the conditions need ----

@dataclass
class Context:
    scope: Scope
    today: dt.date

    @cached_property
    def case_config(self):
        from zhifa.cases.services import case_config

        return case_config()

    def _elapsed(self):
        return _DaysBetween(F("filing_date"), F("decision_date"))

    def _allowed(self):
        return Value(self.case_config.decision_days) + _ExtensionDays(F("extensions"))

    @cached_property
    def late_borderline_ids(self) -> list[int]:
        """Decided cases past 90 days (+ extensions) but within a roll-forward of it: the working-day
        calendar decides whether the last day had rolled forward past the decision (art. 60)."""
        calendar = self.case_config.calendar
        rows = (cases.case_list(None, scope=self.scope).filter(_decided_with_filing(), self._past_decision_days())
                .annotate(elapsed=self._elapsed(), allowed=self._allowed())
                .filter(elapsed__gt=F("allowed"), elapsed__lte=F("allowed") + ROLL_FORWARD_MAX_DAYS)
                .values_list("pk", "filing_date", "decision_date", "allowed").order_by())
        return [pk for pk, filed, decided, allowed in rows if decided > calendar.calendar_deadline(filed, allowed)]

    def case_late(self) -> Q:
        """Decided after the art. 60 period: 90 calendar days from filing plus approved extensions,
        the last day rolled forward off rest days (行政处罚法 art. 60; 民事诉讼法 art. 85)."""
        sure = GreaterThan(self._elapsed(), self._allowed() + ROLL_FORWARD_MAX_DAYS)
        return _decided_with_filing() & self._past_decision_days() & (Q(sure) | Q(pk__in=self.late_borderline_ids))

    def _past_decision_days(self) -> Q:
        """More than 90 days from filing to decision: implied by lateness (extensions only add days),
        and cheap — the expression index ``case_decision_elapsed`` finds these few cases without
        summing every case's extensions (a province's 300,000 decided cases)."""
        return Q(GreaterThan(self._elapsed(), Value(self.case_config.decision_days)))


def _decided_with_filing() -> Q:
    return Q(state__in=FINED_STATES, decision_date__isnull=False, filing_date__isnull=False)


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
    district_wide: bool = False  # the catalog is the district's, whoever looks


def _local(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _items(scope: Scope) -> QuerySet:
    return catalog.master_catalog().order_by("domain__sort_order", "code")


def _officers(scope: Scope) -> QuerySet:
    return (scope.filter(Officer.objects.filter(is_active=True, kind=Officer.Kind.ENFORCEMENT), "organization", "posted_to")
            .select_related("organization", "posted_to").order_by("organization__path", "employee_no"))


def _incidents(scope: Scope) -> QuerySet:
    return dispatch.visible_incidents(scope).select_related("township", "responsible_org").order_by("-reported_at", "-pk")


def _cases(scope: Scope) -> QuerySet:
    return cases.case_list(None, scope=scope)


def _tasks(scope: Scope) -> QuerySet:
    return (inspections.visible_tasks(scope).select_related("department", "party", "visit")
            .order_by("-window_start", "-pk"))


def _records(scope: Scope) -> QuerySet:
    return inspections.visible_records(scope).select_related("department", "party").order_by("-started_at", "-pk")


def _alerts(scope: Scope) -> QuerySet:
    Alert = alert_model()
    if Alert is None:  # pragma: no cover
        return Organization.objects.none()
    return scope.filter(Alert.objects.all()).select_related("organization").order_by("-raised_at", "-pk")


SOURCES: dict[str, Source] = {s.name: s for s in (
    Source("items", "项", _items, (
        ("事项编码", lambda r: r.code), ("事项名称", lambda r: r.name), ("执法领域", lambda r: r.domain.name),
        ("实施主体", lambda r: r.get_enforcing_body_display())), district_wide=True),
    Source("officers", "人", _officers, (
        ("工号", lambda r: r.employee_no), ("姓名", lambda r: r.name), ("所属机构", lambda r: r.organization.name),
        ("下沉至", lambda r: r.posted_to.name if r.posted_to_id else "")),
        township=Coalesce("posted_to_id", "organization__region_id"), org_field="organization"),
    Source("incidents", "件", _incidents, (
        ("查询码", lambda r: r.tracking_code), ("内容", lambda r: (r.title or r.text)[:40]),
        ("乡镇（街道）", lambda r: r.township.name if r.township_id else ""),
        ("承办单位", lambda r: r.responsible_org.name if r.responsible_org_id else ""),
        ("状态", lambda r: r.get_state_display()), ("登记时间", lambda r: _local(r.reported_at)),
        ("办理期限", lambda r: _local(r.due_at)), ("反馈时间", lambda r: _local(r.replied_at)),
        ("满意度", lambda r: r.satisfaction)),
        township=F("township_id"), org_field="responsible_org", month_field="reported_at"),
    Source("cases", "件", _cases, (
        ("案件编号", lambda r: r.number or f"案件{r.pk}"), ("办案机关", lambda r: r.organization.name),
        ("当事人", lambda r: r.party.name), ("事项", lambda r: r.item.name), ("状态", lambda r: r.state_label),
        ("立案日期", lambda r: r.filing_date), ("决定日期", lambda r: r.decision_date),
        ("罚款（元）", lambda r: str(r.decided_fine))),
        township=F("organization__region_id"), org_field="organization", month_field="created_at"),
    Source("tasks", "项", _tasks, (
        ("执法部门", lambda r: r.department.name), ("检查对象", lambda r: r.party.name),
        ("检查日期", lambda r: r.visit.day if r.visit_id else ""), ("窗口", lambda r: f"{r.window_start}～{r.window_end}")),
        township=F("party__township_id"), org_field="department", month_field="window_start"),
    Source("records", "次", _records, (
        ("检查部门", lambda r: r.department.name), ("检查对象", lambda r: r.party.name),
        ("开始时间", lambda r: _local(r.started_at)), ("处理结果", lambda r: r.get_outcome_display())),
        township=F("party__township_id"), org_field="department", month_field="started_at"),
    Source("alerts", "条", _alerts, (
        ("预警规则", lambda r: r.rule_code), ("等级", lambda r: r.get_severity_display()),
        ("责任单位", lambda r: r.organization.name if r.organization_id else ""), ("预警内容", lambda r: r.message),
        ("状态", lambda r: r.get_state_display()), ("预警时间", lambda r: _local(r.raised_at)),
        ("关闭时间", lambda r: _local(r.closed_at))),
        township=F("organization__region_id"), org_field="organization", month_field="raised_at"),
)}


# ---- measures: one condition over one source; a figure and its drill-down ----

@dataclass(frozen=True)
class Measure:
    key: str
    source: str
    title: str  # what the drill-down lists
    condition: Callable[[Context], Q]


def _in(qs_fn: Callable[[Context], QuerySet]) -> Callable[[Context], Q]:
    return lambda ctx: Q(pk__in=qs_fn(ctx).values("pk"))


def _uncovered(ctx: Context) -> Q:
    return ~Exists(LegalBasis.objects.filter(item=OuterRef("pk"))) | Q(regulator__isnull=True)


def _incident_replied(ctx: Context) -> Q:
    return Q(replied_at__isnull=False, due_at__isnull=False)


def _mitigated(ctx: Context) -> Q:
    """Decided below the statutory minimum with a basis for mitigation (减轻处罚, 行政处罚法 art. 32, 30)."""
    return (Q(state__in=FINED_STATES, extra_facts__has_key="mitigation_basis")
            & ~Q(extra_facts__mitigation_basis="") & ~Q(extra_facts__mitigation_basis=None))


#: A decision issued as a document on the platform (the case handled online end to end).
DECISION_DOCUMENTS = (Document.Kind.DECISION, Document.Kind.SUMMARY_DECISION, Document.Kind.NO_PENALTY_DECISION)


def _concluded(ctx: Context) -> Q:
    return Q(state__in=(*FINED_STATES, CaseState.NO_PENALTY.value))


def _offline(ctx: Context) -> Q:
    return _concluded(ctx) & ~Exists(Document.objects.filter(case=OuterRef("pk"), kind__in=DECISION_DOCUMENTS))


MEASURES: dict[str, Measure] = {m.key: m for m in (
    # catalog (district-wide)
    Measure("comprehensive", "items", "综合执法清单中的处罚事项", lambda ctx: catalog.IS_PENALTY & catalog.IN_COMPREHENSIVE),
    Measure("high_three", "items", "综合执法处罚事项中的三高事项",
            lambda ctx: catalog.IS_PENALTY & catalog.IN_COMPREHENSIVE & catalog.HIGH_THREE),
    Measure("uncovered", "items", "缺实施依据或监管主体的事项", _uncovered),
    Measure("unclaimed", "items", "未完成认领的事项",
            lambda ctx: catalog.missing_district_claim() | catalog.missing_township_claim()),
    Measure("unpublished", "items", "未公开的事项", lambda ctx: ~Q(published_on__lte=ctx.today)),
    Measure("no_baseline", "items", "未细化裁量基准的高频处罚事项",
            _in(lambda ctx: discretion.high_frequency_without_baseline(ctx.today))),
    # staff
    Measure("staff_total", "officers", "在岗执法人员", lambda ctx: Q()),
    Measure("staff_townships", "officers", "在乡镇（街道）工作的执法人员", lambda ctx: organizations._working_in_townships()),
    # incidents (the closed loop)
    Measure("incidents_total", "incidents", "事件", lambda ctx: Q()),
    Measure("incidents_closed", "incidents", "已办结的事件",
            lambda ctx: Q(state__in=(dispatch_rules.EVALUATED, dispatch_rules.CLOSED))),
    Measure("incidents_on_time", "incidents", "按期反馈的事件",
            lambda ctx: _incident_replied(ctx) & Q(replied_at__lte=F("due_at"))),
    Measure("incidents_late", "incidents", "超期反馈的事件",
            lambda ctx: _incident_replied(ctx) & Q(replied_at__gt=F("due_at"))),
    Measure("incidents_overdue", "incidents", "当前超期未反馈的事件",
            lambda ctx: Q(overdue=True, state__in=dispatch_rules.WORKING_STATES)),
    Measure("incidents_rated", "incidents", "已评价满意度的事件", lambda ctx: Q(satisfaction__isnull=False)),
    # cases
    Measure("cases_total", "cases", "案件", lambda ctx: Q()),
    Measure("cases_decided", "cases", "已作出处罚决定的案件", lambda ctx: Q(state__in=FINED_STATES)),
    Measure("cases_on_time", "cases", "在法定期限内作出决定的案件",
            lambda ctx: _decided_with_filing() & ~ctx.case_late()),
    Measure("cases_late", "cases", "超过法定期限作出决定的案件", lambda ctx: ctx.case_late()),
    Measure("cases_no_penalty", "cases", "不予处罚的案件", lambda ctx: Q(state=CaseState.NO_PENALTY.value)),
    Measure("cases_mitigated", "cases", "减轻处罚的案件", _mitigated),
    Measure("cases_referred", "cases", "移送司法机关（行刑衔接）的案件", lambda ctx: Q(state=CaseState.REFERRED.value)),
    Measure("cases_concluded", "cases", "已作出决定（含不予处罚）的案件", _concluded),
    Measure("cases_offline", "cases", "已决定但决定书未在平台出具的案件", _offline),
    # inspections
    Measure("tasks_joint", "tasks", "纳入综合查一次的检查任务", lambda ctx: Q(visit__isnull=False)),
    Measure("visits_saved", "tasks", "综合查一次：随同检查（少进一次门）的任务",
            lambda ctx: Q(visit__isnull=False) & ~Q(visit__anchor_task_id=F("pk"))),
    Measure("inspections_total", "records", "检查记录", lambda ctx: Q()),
    # supervision
    Measure("alerts_raised", "alerts", "监督预警", lambda ctx: Q()),
    Measure("alerts_open", "alerts", "未关闭的监督预警", lambda ctx: ~Q(state="closed")),
    Measure("alerts_closed", "alerts", "已关闭的监督预警", lambda ctx: Q(state="closed")),
)}

#: Measures shown in the township and department breakdowns (each cell links to its drill-down).
BREAKDOWN_KEYS = ("incidents_total", "incidents_closed", "incidents_on_time", "incidents_overdue", "cases_total",
                  "cases_decided", "cases_late", "staff_total", "inspections_total", "visits_saved", "alerts_raised",
                  "alerts_closed")
#: Flow measures in the monthly trend (counted in the month of the source's ``month_field``).
TREND_KEYS = ("incidents_total", "incidents_closed", "incidents_on_time", "incidents_late", "cases_total",
              "cases_decided", "cases_no_penalty", "cases_mitigated", "inspections_total", "tasks_joint",
              "alerts_raised", "alerts_closed")


#: Column labels of the measures in the breakdown and trend tables.
SHORT_LABELS = {
    "incidents_total": "事件", "incidents_closed": "已办结", "incidents_on_time": "按期反馈", "incidents_late": "超期反馈",
    "incidents_overdue": "当前超期", "cases_total": "案件", "cases_decided": "处罚决定", "cases_late": "超期决定",
    "cases_no_penalty": "不予处罚", "cases_mitigated": "减轻处罚", "staff_total": "执法人员", "inspections_total": "检查",
    "visits_saved": "少进门", "tasks_joint": "联合检查任务", "alerts_raised": "预警", "alerts_closed": "预警已关闭",
}


def _available(key: str) -> bool:
    return MEASURES[key].source != "alerts" or alert_model() is not None


# ---- drill-downs ----

@dataclass(frozen=True)
class Filters:
    township: int | None = None  # Region id
    department: int | None = None  # Organization id (its subtree)
    month: dt.date | None = None  # first day of a month

    @classmethod
    def parse(cls, data) -> Filters:
        def number(name):
            value = (data.get(name) or "").strip()
            return int(value) if value.isdigit() else None

        month = None
        raw = (data.get("month") or "").strip()
        try:
            month = dt.date.fromisoformat(raw + "-01") if raw else None
        except ValueError:
            month = None
        return cls(number("township"), number("department"), month)

    def query(self) -> str:
        parts = [f"township={self.township}" if self.township else "",
                 f"department={self.department}" if self.department else "",
                 f"month={self.month:%Y-%m}" if self.month else ""]
        return "&".join(p for p in parts if p)


def _month_range(month: dt.date, is_datetime: bool):
    following = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    if is_datetime:
        return (timezone.make_aware(dt.datetime.combine(month, dt.time())),
                timezone.make_aware(dt.datetime.combine(following, dt.time())))
    return month, following


def _is_datetime(qs: QuerySet, field_name: str) -> bool:
    return qs.model._meta.get_field(field_name).get_internal_type() == "DateTimeField"


def _apply_filters(source: Source, qs: QuerySet, filters: Filters) -> QuerySet:
    if filters.township:
        if source.township is None:
            return qs.none()
        qs = qs.alias(_township=source.township).filter(_township=filters.township)
    if filters.department:
        org = Organization.objects.filter(pk=filters.department).only("path").first()
        if source.org_field is None or org is None:
            return qs.none()
        qs = qs.filter(**{f"{source.org_field}__path__startswith": org.path})
    if filters.month:
        if source.month_field is None:
            return qs.none()
        start, end = _month_range(filters.month, _is_datetime(qs, source.month_field))
        qs = qs.filter(**{f"{source.month_field}__gte": start, f"{source.month_field}__lt": end})
    return qs


def drilldown(key: str, scope: Scope, today: dt.date | None = None, filters: Filters | None = None) -> QuerySet:
    """The records a figure counts: the source filtered by the measure's condition (and, from a
    breakdown or trend cell, by its township, department or month)."""
    measure = MEASURES[key]
    source = SOURCES[measure.source]
    ctx = Context(scope, today or timezone.localdate())
    qs = source.rows(scope).filter(measure.condition(ctx))
    return _apply_filters(source, qs, filters or Filters())


def rows(key: str, records) -> tuple[list[str], list[list]]:
    """Header and cell values of a drill-down (for the page and the .xlsx export)."""
    columns = SOURCES[MEASURES[key].source].columns
    return [label for label, _ in columns], ([get(r) for _, get in columns] for r in records)


def counts(scope: Scope, today: dt.date | None = None) -> dict[str, int]:
    """Every measure's count, one aggregate query per source."""
    ctx = Context(scope, today or timezone.localdate())
    out: dict[str, int] = {}
    for name in SOURCES:
        keys = [k for k, m in MEASURES.items() if m.source == name and _available(k)]
        if keys:
            out.update(_aggregate(ctx, name, keys))
    return out


def _aggregate(ctx: Context, source_name: str, keys, **extra) -> dict:
    source = SOURCES[source_name]
    qs = source.rows(ctx.scope).order_by()
    return qs.aggregate(**{k: Count("pk", filter=MEASURES[k].condition(ctx)) for k in keys}, **extra)


# ---- the indicators ----

@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    value: Decimal | int | None  # None: nothing to measure yet
    unit: str = ""  # "%" for a share (value is a fraction 0..1), else the noun of a count
    goal: Decimal | None = None
    meets_goal: bool | None = None
    drilldown: str | None = None
    count: int | None = None  # rows of the drill-down this figure links to
    detail: str = ""

    @property
    def is_rate(self) -> bool:
        return self.unit == "%"

    @property
    def number(self) -> Decimal | int | None:
        """The figure as shown (a share in percent)."""
        if self.value is None:
            return None
        return (Decimal(self.value) * 100).quantize(Decimal("0.1")) if self.is_rate else self.value

    def as_dict(self) -> dict:
        return {"key": self.key, "label": self.label, "value": float(self.number) if self.is_rate and self.value is not None else self.value,
                "unit": self.unit, "goal": float(self.goal * 100) if self.goal is not None else None,
                "meets_goal": self.meets_goal, "drilldown": self.drilldown, "count": self.count, "detail": self.detail}


@dataclass
class Breakdown:
    """Rows of (id, name, {key: count}) for the township or department dimension."""

    dimension: str  # "township" / "department"
    keys: tuple[str, ...]
    rows: list[tuple[int, str, dict[str, int]]] = field(default_factory=list)

    @property
    def labels(self) -> list[tuple[str, str]]:
        return [(k, SHORT_LABELS[k]) for k in self.keys]

    @property
    def cells(self) -> list[tuple[int, str, list[tuple[str, str, int]]]]:
        return [(pk, name, [(k, SHORT_LABELS[k], values[k]) for k in self.keys]) for pk, name, values in self.rows]


@dataclass
class Cockpit:
    today: dt.date
    scoped: bool
    groups: list[tuple[str, list[Figure]]]
    townships: Breakdown
    departments: Breakdown
    trend: dict
    counts: dict[str, int] = field(default_factory=dict)  # every measure's count (the drill-downs' sizes)
    computed_at: dt.datetime | None = None  # when the snapshot shown was computed
    duration_ms: int | None = None

    @property
    def figures(self) -> dict[str, Figure]:
        return {f.key: f for _, figures in self.groups for f in figures}

    @property
    def trend_labels(self) -> list[tuple[str, str]]:
        return [(k, SHORT_LABELS[k]) for k in self.trend["series"]]

    @property
    def trend_rows(self) -> list[tuple[str, list[tuple[str, str, int]]]]:
        """Newest month first."""
        series = self.trend["series"]
        return [(month, [(k, SHORT_LABELS[k], series[k][i]) for k in series])
                for i, month in reversed(list(enumerate(self.trend["months"])))]

    def as_dict(self) -> dict:
        return {
            "as_of": self.today.isoformat(), "scoped": self.scoped,
            "groups": [{"title": title, "figures": [f.as_dict() for f in figures]} for title, figures in self.groups],
            "townships": _breakdown_dict(self.townships), "departments": _breakdown_dict(self.departments),
            "trend": self.trend,
        }


    def to_json(self) -> dict:
        """Everything, losslessly, for a ``Snapshot`` (decimals as strings)."""
        return {
            "today": self.today.isoformat(), "scoped": self.scoped,
            "groups": [[title, [_figure_json(f) for f in figures]] for title, figures in self.groups],
            "townships": _breakdown_json(self.townships), "departments": _breakdown_json(self.departments),
            "trend": self.trend, "counts": self.counts,
        }

    @classmethod
    def from_json(cls, data: dict, computed_at: dt.datetime | None = None, duration_ms: int | None = None) -> Cockpit:
        return cls(
            today=dt.date.fromisoformat(data["today"]), scoped=data["scoped"],
            groups=[(title, [Figure(**{**f, "value": _undecimal(f["value"]), "goal": _undecimal(f["goal"])})
                             for f in figures]) for title, figures in data["groups"]],
            townships=_breakdown_from(data["townships"]), departments=_breakdown_from(data["departments"]),
            trend=data["trend"], counts=data["counts"], computed_at=computed_at, duration_ms=duration_ms)


def _decimal(value):
    return {"decimal": str(value)} if isinstance(value, Decimal) else value


def _undecimal(value):
    return Decimal(value["decimal"]) if isinstance(value, dict) else value


def _figure_json(f: Figure) -> dict:
    return {"key": f.key, "label": f.label, "value": _decimal(f.value), "unit": f.unit, "goal": _decimal(f.goal),
            "meets_goal": f.meets_goal, "drilldown": f.drilldown, "count": f.count, "detail": f.detail}


def _breakdown_json(b: Breakdown) -> dict:
    return {"dimension": b.dimension, "keys": list(b.keys), "rows": [[pk, name, values] for pk, name, values in b.rows]}


def _breakdown_from(data: dict) -> Breakdown:
    return Breakdown(data["dimension"], tuple(data["keys"]), [(pk, name, values) for pk, name, values in data["rows"]])


def _breakdown_dict(b: Breakdown) -> list[dict]:
    return [{"id": pk, "name": name, **values} for pk, name, values in b.rows]


def _share(part: int, whole: int) -> Decimal | None:
    """None when nothing was counted: a share of nothing is shown as "—", neither met nor missed."""
    return None if not whole else (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"))


def _rate(key, label, rate, drill, count, detail) -> Figure:
    return Figure(key, label, rate.value, "%", rate.goal, rate.meets_goal, drill, count, detail)


def indicators(scope: Scope, today: dt.date | None = None) -> Cockpit:
    """Every figure of the cockpit for ``scope``: a constant number of aggregate queries,
    whatever the size of the data."""
    today = today or timezone.localdate()
    ctx = Context(scope, today)
    cat = catalog.indicators(today)
    base = discretion.indicator(today)
    staff = organizations.staffing_indicators(scope)
    n: dict[str, int] = {}
    groups_of: dict[str, list[dict]] = {}
    for name in ("items", "officers", "tasks", "records", "cases", "alerts", "incidents"):
        keys = [k for k, m in MEASURES.items() if m.source == name and _available(k)]
        if not keys:
            continue
        if SOURCES[name].township is None:
            n.update(_aggregate(ctx, name, keys))
            continue
        extra = {"satisfaction_sum": Sum("satisfaction")} if name == "incidents" else {}
        groups_of[name] = _grouped(ctx, name, keys, **extra)
        n.update({k: sum(row[k] for row in groups_of[name]) for k in keys})
    rated_sum = sum(row["satisfaction_sum"] or 0 for row in groups_of.get("incidents", ()))
    satisfaction = (Decimal(rated_sum) / Decimal(n["incidents_rated"])).quantize(Decimal("0.01")) \
        if n.get("incidents_rated") else None
    online = _share(n["cases_concluded"] - n["cases_offline"], n["cases_concluded"])
    replied = n["incidents_on_time"] + n["incidents_late"]
    decided = n["cases_on_time"] + n["cases_late"]

    def count(key, label, detail="") -> Figure:
        return Figure(key, label, n[key], SOURCES[MEASURES[key].source].noun, drilldown=key, count=n[key], detail=detail)

    groups = [
        ("执法事项（全区）", [
            _rate("comprehensive_share", "综合执法事项占比", cat.comprehensive_share, "comprehensive",
                  cat.comprehensive_share.part, f"{cat.comprehensive_share.part} / {cat.comprehensive_share.whole} 项处罚事项"),
            _rate("high_three_share", "三高事项占比", cat.high_three_share, "high_three", cat.high_three_share.part,
                  f"{cat.high_three_share.part} / {cat.high_three_share.whole} 项综合执法处罚事项"),
            _rate("item_coverage", "事项要素覆盖率", cat.coverage, "uncovered", cat.coverage.whole - cat.coverage.part,
                  f"{cat.coverage.whole - cat.coverage.part} 项缺实施依据或监管主体"),
            _rate("item_claim_rate", "事项认领率", cat.claim_rate, "unclaimed", cat.claim_rate.whole - cat.claim_rate.part,
                  f"{cat.claim_rate.whole - cat.claim_rate.part} 项未完成认领"),
            _rate("item_publication_rate", "事项公开率", cat.publication_rate, "unpublished",
                  cat.publication_rate.whole - cat.publication_rate.part,
                  f"{cat.publication_rate.whole - cat.publication_rate.part} 项未公开"),
            Figure("baseline_rate", "裁量基准细化率", base.value, "%", base.goal, base.meets_goal, "no_baseline",
                   base.high_frequency - base.with_baseline,
                   f"{base.high_frequency - base.with_baseline} / {base.high_frequency} 项高频处罚事项未细化"),
        ]),
        ("执法力量", [
            Figure("staff_township_share", "执法人员下沉乡镇比例", staff.township_share, "%", staff.goal, staff.meets_goal,
                   "staff_townships", staff.in_townships, f"{staff.in_townships} / {staff.enforcement_staff} 人"),
            count("staff_total", "在岗执法人员"),
        ]),
        ("平台使用", [
            Figure("cases_online_share", "案件全程网办率", online, "%", Decimal(1),
                   None if online is None else n["cases_offline"] == 0, "cases_offline", n["cases_offline"],
                   f"{n['cases_offline']} / {n['cases_concluded']} 件已决定案件的决定书未在平台出具"),
        ]),
        ("综合查一次", [
            count("tasks_joint", "纳入联合检查的任务"),
            count("visits_saved", "少进门次数", "随同其他部门一次进门完成的检查任务"),
            count("inspections_total", "检查记录"),
        ]),
        ("指挥调度（事件闭环）", [
            count("incidents_total", "事件总数"),
            count("incidents_closed", "已办结事件"),
            count("incidents_on_time", "按期反馈事件"),
            Figure("incidents_on_time_share", "事件按期反馈率", _share(n["incidents_on_time"], replied), "%",
                   drilldown="incidents_late", count=n["incidents_late"], detail=f"{n['incidents_late']} / {replied} 件超期反馈"),
            count("incidents_overdue", "当前超期事件"),
            Figure("satisfaction", "群众满意度（1–5 分）", satisfaction, "分",
                   drilldown="incidents_rated", count=n["incidents_rated"], detail=f"{n['incidents_rated']} 件已评价"),
        ]),
        ("案件办理", [
            count("cases_total", "案件总数"),
            count("cases_decided", "作出处罚决定"),
            count("cases_on_time", "按期作出决定", "立案之日起九十日内（含依法延长）"),
            Figure("cases_on_time_share", "案件按期决定率", _share(n["cases_on_time"], decided), "%",
                   drilldown="cases_late", count=n["cases_late"], detail=f"{n['cases_late']} / {decided} 件超期决定"),
            count("cases_no_penalty", "不予处罚"),
            count("cases_mitigated", "减轻处罚"),
            count("cases_referred", "行刑衔接移送"),
        ]),
    ]
    if alert_model() is not None:
        groups.append(("监督预警", [
            count("alerts_raised", "已产生预警"), count("alerts_open", "未关闭预警"), count("alerts_closed", "已关闭预警"),
        ]))
    return Cockpit(today=today, scoped=not scope.everything, groups=groups,
                   townships=_breakdown_of(groups_of, "township"), departments=_breakdown_of(groups_of, "department"),
                   trend=monthly_trend(ctx), counts=n)


# ---- breakdowns by township and department ----

def _group_expr(source: Source, dimension: str):
    if dimension == "township":
        return source.township
    if source.org_field is None:
        return None
    return Substr(f"{source.org_field}__path", 1, DEPARTMENT_PATH_LENGTH)


def _grouped(ctx: Context, source_name: str, keys, **extra) -> list[dict]:
    """One scan of a source for its totals and both breakdowns: the measures' counts grouped by
    (township, department). NULL groups are kept, so the rows add up to the totals."""
    source = SOURCES[source_name]
    dims = {"by_township": source.township}
    if source.org_field is not None:
        dims["by_department"] = _group_expr(source, "department")
    qs = source.rows(ctx.scope).order_by().values(**dims)
    return list(qs.annotate(**{k: Count("pk", filter=MEASURES[k].condition(ctx)) for k in keys}, **extra))


def _breakdown_of(groups_of: dict[str, list[dict]], dimension: str) -> Breakdown:
    """Counts of ``BREAKDOWN_KEYS`` per township (Region) or per department (a body directly
    under the district government, with its subtree), summed from the grouped scans."""
    keys = tuple(k for k in BREAKDOWN_KEYS if _available(k))
    table: dict[object, dict[str, int]] = {}
    for name in dict.fromkeys(MEASURES[k].source for k in keys):
        mine = [k for k in keys if MEASURES[k].source == name]
        for row in groups_of.get(name, ()):
            group = row.get(f"by_{dimension}")
            if group is not None:
                cell = table.setdefault(group, {})
                for k in mine:
                    cell[k] = cell.get(k, 0) + row[k]
    return _breakdown_rows(dimension, keys, table)


def breakdown(ctx: Context, dimension: str) -> Breakdown:
    """Counts of ``BREAKDOWN_KEYS`` per township (Region) or per department (a body directly
    under the district government, with its subtree): one grouped query per source."""
    keys = tuple(k for k in BREAKDOWN_KEYS if _available(k))
    table: dict[object, dict[str, int]] = {}
    for name in dict.fromkeys(MEASURES[k].source for k in keys):
        source = SOURCES[name]
        expr = _group_expr(source, dimension)
        if expr is None:
            continue
        mine = [k for k in keys if MEASURES[k].source == name]
        grouped = (source.rows(ctx.scope).order_by().values(group=expr)
                   .annotate(**{k: Count("pk", filter=MEASURES[k].condition(ctx)) for k in mine}))
        for row in grouped:
            if row["group"] is not None:
                table.setdefault(row["group"], {}).update({k: row[k] for k in mine})
    return _breakdown_rows(dimension, keys, table)


def _breakdown_rows(dimension: str, keys: tuple[str, ...], table: dict[object, dict[str, int]]) -> Breakdown:
    if dimension == "township":
        places = {r.pk: (r.pk, r.name) for r in organizations.township_regions().filter(pk__in=list(table))}
        order = sorted(places, key=lambda pk: places[pk][1])
    else:
        places = {o.path: (o.pk, o.name) for o in Organization.objects.filter(path__in=list(table)).only("pk", "name", "path")}
        order = sorted(places)
    result = Breakdown(dimension, keys)
    for group in order:
        pk, name = places[group]
        values = table[group]
        result.rows.append((pk, name, {k: values.get(k, 0) for k in keys}))
    return result


# ---- the monthly trend ----

def months(today: dt.date, n: int = TREND_MONTHS) -> list[dt.date]:
    first = today.replace(day=1)
    out = []
    for _ in range(n):
        out.append(first)
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return out[::-1]


def _month_key(value) -> str:
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return value.strftime("%Y-%m")


def monthly_trend(ctx: Context) -> dict:
    """``TREND_KEYS`` per month over the last twelve months, each row counted in the month of its
    source's date (incidents: reported; cases: registered; inspections: started; alerts: raised),
    plus the monthly on-time share of incident replies."""
    span = months(ctx.today)
    labels = [m.strftime("%Y-%m") for m in span]
    keys = [k for k in TREND_KEYS if _available(k)]
    series: dict[str, list[int]] = {k: [0] * len(span) for k in keys}
    for name in dict.fromkeys(MEASURES[k].source for k in keys):
        source = SOURCES[name]
        mine = [k for k in keys if MEASURES[k].source == name]
        qs = source.rows(ctx.scope).order_by()
        is_dt = _is_datetime(qs, source.month_field)
        start, _ = _month_range(span[0], is_dt)
        trunc = TruncMonth(source.month_field) if is_dt else TruncMonth(source.month_field, output_field=DateField())
        grouped = (qs.filter(**{f"{source.month_field}__gte": start}).values(month=trunc)
                   .annotate(**{k: Count("pk", filter=MEASURES[k].condition(ctx)) for k in mine}))
        for row in grouped:
            label = _month_key(row["month"])
            if label in labels:
                i = labels.index(label)
                for k in mine:
                    series[k][i] = row[k]
    on_time = series.get("incidents_on_time", [0] * len(span))
    late = series.get("incidents_late", [0] * len(span))
    share = [float(_share(a, a + b) * 100) if a + b else None for a, b in zip(on_time, late, strict=True)]
    return {"months": labels, "series": series, "incidents_on_time_share": share}



# ---- snapshots: what the page, the PDF and the JSON API read ----

#: How often the beat schedule refreshes the snapshots (shown on the page).
REFRESH_MINUTES = 5
#: ``viewed_at`` is written at most this often, so reading stays one query.
VIEW_STAMP_INTERVAL = dt.timedelta(hours=1)


def scope_key(scope: Scope) -> str:
    """A stable key of a data scope: ``district``, or the organisation subtree and township."""
    if scope.everything:
        return "district"
    return f"org:{scope.org_path or ''}|town:{scope.township_region_id or ''}"


def snapshot(scope: Scope) -> Cockpit:
    """The newest snapshot of ``scope``: one indexed query. The first look at a scope computes it
    live once and stores it; after that the ``cockpit.refresh_snapshots`` task and the 刷新 button
    keep it fresh."""
    from .models import Snapshot

    row = Snapshot.objects.filter(scope_key=scope_key(scope)).only(
        "computed_at", "duration_ms", "data", "viewed_at").first()
    now = timezone.now()
    if row is None:
        from . import services

        row = services.refresh(scope, wait=True, viewed_at=now)
    elif row.viewed_at is None or row.viewed_at < now - VIEW_STAMP_INTERVAL:
        Snapshot.objects.filter(pk=row.pk).update(viewed_at=now)
    return Cockpit.from_json(row.data, row.computed_at, row.duration_ms)
