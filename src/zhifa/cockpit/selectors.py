"""Reads of the cockpit (驾驶舱), read-only: every figure of a data scope in a fixed number of
aggregate queries (``indicators``), the breakdowns by township and department, the twelve-month
trend, the township map, the drill-downs behind each figure, and the stored snapshot.

The reform's indicators (综合执法事项占比, 下沉率, 全程网办率 …) are measured by
``zhifa.indicators`` — the functions the indicators page and the reports use — for this year to
date; their figures link to the indicators' own drill-downs. The operational counts (incidents,
cases, inspections, alerts) are the measures of ``sources``. Writes (computing and storing a
snapshot) live in ``services``; nothing here writes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DateField, QuerySet, Sum
from django.db.models.functions import Substr, TruncMonth
from django.urls import reverse
from django.utils import timezone

from zhifa.core.scopes import Scope
from zhifa.indicators import selectors as indicator_selectors
from zhifa.indicators.definitions import COUNT as INDICATOR_COUNT
from zhifa.indicators.definitions import GROUPS as INDICATOR_GROUPS
from zhifa.indicators.definitions import RATE as INDICATOR_RATE
from zhifa.indicators.definitions import Measurement, Period
from zhifa.organizations import selectors as organizations
from zhifa.organizations.models import Organization

from .figures import Breakdown, Cockpit, Figure, _share
from .sources import (  # noqa: F401  (re-exported: the measures are part of the cockpit's reading API)
    BREAKDOWN_KEYS,
    DEPARTMENT_PATH_LENGTH,
    MEASURES,
    SHORT_LABELS,
    SOURCES,
    TREND_KEYS,
    TREND_MONTHS,
    Context,
    Measure,
    Source,
    _available,
    alert_model,
)

#: The cockpit page asks for figures no older than this; older ones are recomputed (``services.current``).
LIVE_SECONDS = 60
#: ``viewed_at`` is written at most this often, so reading stays one query.
VIEW_STAMP_INTERVAL = dt.timedelta(hours=1)
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
        parts = [
            f"township={self.township}" if self.township else "",
            f"department={self.department}" if self.department else "",
            f"month={self.month:%Y-%m}" if self.month else "",
        ]
        return "&".join(p for p in parts if p)


def _month_range(month: dt.date, is_datetime: bool):
    following = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    if is_datetime:
        return (
            timezone.make_aware(dt.datetime.combine(month, dt.time())),
            timezone.make_aware(dt.datetime.combine(following, dt.time())),
        )
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


def drilldown(
    key: str, scope: Scope, today: dt.date | None = None, filters: Filters | None = None
) -> QuerySet:
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


# ---- the figures ----


def _indicator_figure(m: Measurement) -> Figure:
    """A reform indicator as a cockpit figure. A rate whose goal is 100 % opens the rows not counted
    (the gap to close); any other figure the rows it counts."""
    ind, period = m.indicator, m.period
    query = f"?{period.query()}"
    counted = reverse("indicators:drilldown", args=[ind.key, "counted"]) + query
    missed = reverse("indicators:drilldown", args=[ind.key, "missed"]) + query
    gap = ind.kind == INDICATOR_RATE and ind.target == 1
    value = m.value
    unit = "%" if ind.kind == INDICATOR_RATE else ind.unit
    if ind.kind == INDICATOR_COUNT:
        detail = f"{m.counted} {ind.unit}（共 {m.population} 条）"
    elif ind.kind == INDICATOR_RATE:
        detail = f"{m.counted} / {m.population}" + (f"，{m.missed} 未计入" if gap else "")
    else:
        detail = f"{m.counted} 件计入"
    return Figure(
        ind.key,
        ind.name,
        value,
        unit,
        ind.target,
        m.meets_target,
        None,
        m.missed if gap else m.counted,
        detail,
        href=missed if gap else counted,
        missed_href=missed,
        target_text=ind.target_text,
    )


#: Cockpit keys of the indicators whose figures predate the indicators app (kept for wall screens).
LEGACY_KEYS = {"online_cases_rate": "cases_online_share"}


def reform_figures(scope: Scope, period: Period) -> list[tuple[str, list[Figure]]]:
    """Every indicator of ``zhifa.indicators`` measured for the scope, grouped as on the indicators page."""
    measurements = indicator_selectors.measure_all(scope, period)
    groups = []
    for group in INDICATOR_GROUPS:
        figures = []
        for m in measurements:
            if m.indicator.group == group:
                f = _indicator_figure(m)
                key = LEGACY_KEYS.get(f.key, f.key)
                figures.append(Figure(**{**f.__dict__, "key": key}))
        groups.append((f"改革目标·{group}", figures))
    return groups


def indicators(scope: Scope, today: dt.date | None = None) -> Cockpit:
    """Every figure of the cockpit for ``scope``: a constant number of aggregate queries,
    whatever the size of the data."""
    today = today or timezone.localdate()
    ctx = Context(scope, today)
    period = Period.year_to_date(today)
    n: dict[str, int] = {}
    groups_of: dict[str, list[dict]] = {}
    for name in ("officers", "tasks", "records", "cases", "alerts", "incidents"):
        keys = [k for k, m in MEASURES.items() if m.source == name and _available(k)]
        if not keys:
            continue
        extra = {"satisfaction_sum": Sum("satisfaction")} if name == "incidents" else {}
        groups_of[name] = _grouped(ctx, name, keys, **extra)
        n.update({k: sum(row[k] for row in groups_of[name]) for k in keys})
    rated_sum = sum(row["satisfaction_sum"] or 0 for row in groups_of.get("incidents", ()))
    satisfaction = (
        (Decimal(rated_sum) / Decimal(n["incidents_rated"])).quantize(Decimal("0.01"))
        if n.get("incidents_rated")
        else None
    )
    replied = n["incidents_on_time"] + n["incidents_late"]
    decided = n["cases_on_time"] + n["cases_late"]

    def count(key, label, detail="") -> Figure:
        return Figure(
            key, label, n[key], SOURCES[MEASURES[key].source].noun, drilldown=key, count=n[key], detail=detail
        )

    groups = [
        *reform_figures(scope, period),
        (
            "执法力量",
            [count("staff_total", "在岗执法人员"), count("staff_townships", "在乡镇工作的执法人员")],
        ),
        (
            "综合查一次",
            [
                count("tasks_joint", "纳入联合检查的任务"),
                count("visits_saved", "少进门次数", "随同其他部门一次进门完成的检查任务"),
                count("inspections_total", "检查记录"),
            ],
        ),
        (
            "指挥调度（事件闭环）",
            [
                count("incidents_total", "事件总数"),
                count("incidents_closed", "已办结事件"),
                count("incidents_on_time", "按期反馈事件"),
                Figure(
                    "incidents_on_time_share",
                    "事件按期反馈率",
                    _share(n["incidents_on_time"], replied),
                    "%",
                    drilldown="incidents_late",
                    count=n["incidents_late"],
                    detail=f"{n['incidents_late']} / {replied} 件超期反馈",
                ),
                count("incidents_overdue", "当前超期事件"),
                Figure(
                    "satisfaction",
                    "群众满意度（1–5 分）",
                    satisfaction,
                    "分",
                    drilldown="incidents_rated",
                    count=n["incidents_rated"],
                    detail=f"{n['incidents_rated']} 件已评价",
                ),
            ],
        ),
        (
            "案件办理",
            [
                count("cases_total", "案件总数"),
                count("cases_decided", "作出处罚决定"),
                count("cases_on_time", "按期作出决定", "立案之日起九十日内（含依法延长）"),
                Figure(
                    "cases_on_time_share",
                    "案件按期决定率",
                    _share(n["cases_on_time"], decided),
                    "%",
                    drilldown="cases_late",
                    count=n["cases_late"],
                    detail=f"{n['cases_late']} / {decided} 件超期决定",
                ),
                count("cases_no_penalty", "不予处罚"),
                count("cases_mitigated", "减轻处罚"),
                count("cases_referred", "行刑衔接移送"),
            ],
        ),
    ]
    if alert_model() is not None:
        groups.append(
            (
                "监督预警",
                [
                    count("alerts_raised", "已产生预警"),
                    count("alerts_open", "未关闭预警"),
                    count("alerts_closed", "已关闭预警"),
                ],
            )
        )
    townships = _breakdown_of(groups_of, "township")
    return Cockpit(
        today=today,
        scoped=not scope.everything,
        groups=groups,
        townships=townships,
        departments=_breakdown_of(groups_of, "department"),
        trend=monthly_trend(ctx),
        counts=n,
        map=township_map(townships),
        period={"start": period.start.isoformat(), "end": period.end.isoformat(), "label": period.label},
    )


def township_map(townships: Breakdown) -> list[dict]:
    """Every township of the district (code, name) with its incidents and cases in the scope —
    None for a township outside it. One query; the boundaries are drawn by ``geo``."""
    values = {pk: v for pk, _name, v in townships.rows}
    return [
        {
            "id": r.pk,
            "code": r.code,
            "name": r.name,
            "incidents": values[r.pk].get("incidents_total", 0) if r.pk in values else None,
            "cases": values[r.pk].get("cases_total", 0) if r.pk in values else None,
        }
        for r in organizations.township_regions().only("pk", "code", "name")
    ]


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
        grouped = (
            source.rows(ctx.scope)
            .order_by()
            .values(group=expr)
            .annotate(**{k: Count("pk", filter=MEASURES[k].condition(ctx)) for k in mine})
        )
        for row in grouped:
            if row["group"] is not None:
                table.setdefault(row["group"], {}).update({k: row[k] for k in mine})
    return _breakdown_rows(dimension, keys, table)


def _breakdown_rows(dimension: str, keys: tuple[str, ...], table: dict[object, dict[str, int]]) -> Breakdown:
    if dimension == "township":
        places = {r.pk: (r.pk, r.name) for r in organizations.township_regions().filter(pk__in=list(table))}
        order = sorted(places, key=lambda pk: places[pk][1])
    else:
        places = {
            o.path: (o.pk, o.name)
            for o in Organization.objects.filter(path__in=list(table)).only("pk", "name", "path")
        }
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
        trunc = (
            TruncMonth(source.month_field)
            if is_dt
            else TruncMonth(source.month_field, output_field=DateField())
        )
        grouped = (
            qs.filter(**{f"{source.month_field}__gte": start})
            .values(month=trunc)
            .annotate(**{k: Count("pk", filter=MEASURES[k].condition(ctx)) for k in mine})
        )
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


# ---- the stored snapshot ----


def scope_key(scope: Scope) -> str:
    """A stable key of a data scope: ``district``, or the organisation subtree and township."""
    if scope.everything:
        return "district"
    return f"org:{scope.org_path or ''}|town:{scope.township_region_id or ''}"


def stored(scope: Scope):
    """The scope's stored snapshot row (or None): one indexed query, nothing written."""
    from .models import Snapshot

    return (
        Snapshot.objects.filter(scope_key=scope_key(scope))
        .only("computed_at", "duration_ms", "data", "viewed_at")
        .first()
    )


def as_cockpit(row) -> Cockpit:
    return Cockpit.from_json(row.data, row.computed_at, row.duration_ms)
