"""The shape of an indicator of the reform (docs/indicators.md): a *population* — the rows the
denominator counts, as a scoped queryset — and a *counted* condition — the rows the numerator
counts. The figure, its drill-down of the rows counted and its drill-down of the rows not counted
all come from these two, so they always agree:

* a **rate**: counted / population (a fraction 0..1), with a target such as ≥ 45 %;
* a **count**: the counted rows themselves (联合检查户次); the population is the wider set the
  rows are taken from, so "not counted" still shows what was left out and why;
* an **average**: a mean over the counted rows (平均办案时效); rows of the population without
  what the mean needs are the "not counted".

Definitions are code: nothing here reads a setting a user could change. Where the law leaves a
figure to configuration (the publication time limit per department), the configuration is data
the definition reads, and the docs say so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Func, IntegerField, Q, QuerySet
from django.utils import timezone

from zhifa.core.scopes import Scope

RATE, COUNT, AVERAGE = "rate", "count", "average"
AT_LEAST, AT_MOST = ">=", "<="


@dataclass(frozen=True)
class Period:
    """Inclusive dates. Flow indicators count rows dated in the period; stock indicators (the
    catalog, the roster) are measured as of ``as_of``: the period's last day, or today when the
    period has not ended yet."""

    start: dt.date
    end: dt.date

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31))

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        following = dt.date(year + month // 12, month % 12 + 1, 1)
        return cls(dt.date(year, month, 1), following - dt.timedelta(days=1))

    @classmethod
    def year_to_date(cls, today: dt.date | None = None) -> Period:
        today = today or timezone.localdate()
        return cls(dt.date(today.year, 1, 1), today)

    @property
    def as_of(self) -> dt.date:
        return min(self.end, timezone.localdate())

    @property
    def start_at(self) -> dt.datetime:
        """The first instant of the period (Asia/Shanghai), for datetime columns."""
        return timezone.make_aware(dt.datetime.combine(self.start, dt.time()))

    @property
    def end_before(self) -> dt.datetime:
        """The first instant after the period."""
        return timezone.make_aware(dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time()))

    def dates(self, name: str) -> Q:
        """``name`` (a date column) within the period."""
        return Q(**{f"{name}__gte": self.start, f"{name}__lte": self.end})

    def instants(self, name: str) -> Q:
        """``name`` (a datetime column) within the period."""
        return Q(**{f"{name}__gte": self.start_at, f"{name}__lt": self.end_before})

    @property
    def label(self) -> str:
        if self.start.day == 1 and self.end == Period.month(self.start.year, self.start.month).end:
            return f"{self.start:%Y年%m月}"
        if (self.start.month, self.start.day) == (1, 1) and (self.end.month, self.end.day) == (12, 31):
            return f"{self.start.year}年"
        return f"{self.start:%Y-%m-%d} 至 {self.end:%Y-%m-%d}"

    def query(self) -> str:
        return f"start={self.start.isoformat()}&end={self.end.isoformat()}"


@dataclass(frozen=True)
class Column:
    label: str
    get: Callable[[object], object]


@dataclass(frozen=True)
class Indicator:
    """One figure of the reform as the plan (or the law, or Zhejiang's cockpits) defines it."""

    key: str
    name: str
    group: str
    kind: str  # RATE / COUNT / AVERAGE
    unit: str  # "%", "件", "户次", "天"
    source: str  # where the definition comes from: the plan's chapter, a law, a cockpit practice
    quote: str  # the sentence it comes from, verbatim
    definition: str
    numerator: str  # in words; the query is ``counted`` over ``population``
    denominator: str
    population: Callable[[Scope, Period], QuerySet]
    counted: Callable[[Scope, Period], Q]
    columns: tuple[Column, ...]
    counted_title: str  # heading of the rows counted
    missed_title: str  # heading of the rows not counted
    target: Decimal | None = None
    target_op: str = AT_LEAST
    district_wide: bool = False  # the catalog is the district's, whoever looks
    note: str = ""  # what the data does not record yet, and how the figure copes
    average: Callable[[], object] | None = None  # AVERAGE: an aggregate expression over counted rows
    link: Callable[[object], str | None] | None = None  # the row's own page

    @property
    def target_text(self) -> str:
        if self.target is None:
            return "—"
        sign = "≥" if self.target_op == AT_LEAST else "≤"
        if self.kind == RATE:
            if self.target == 1 and self.target_op == AT_LEAST:
                return "100%"
            return f"{sign}{(self.target * 100).normalize():f}%"
        return f"{sign}{self.target.normalize():f}{self.unit}"

    def rows(self, scope: Scope, period: Period) -> QuerySet:
        return self.population(scope, period)

    def counted_rows(self, scope: Scope, period: Period) -> QuerySet:
        return self.population(scope, period).filter(self.counted(scope, period))

    def missed_rows(self, scope: Scope, period: Period) -> QuerySet:
        return self.population(scope, period).filter(~self.counted(scope, period))


@dataclass(frozen=True)
class Measurement:
    indicator: Indicator
    period: Period
    counted: int  # rows counted (the numerator; for an average, the rows averaged)
    population: int  # rows of the population (the denominator)
    value: Decimal | int | None  # rate: fraction 0..1; count: int; average: Decimal; None: nothing to measure
    computed_at: dt.datetime = field(default_factory=timezone.now)

    @property
    def missed(self) -> int:
        return self.population - self.counted

    @property
    def meets_target(self) -> bool | None:
        target = self.indicator.target
        if target is None or self.value is None:
            return None
        return self.value >= target if self.indicator.target_op == AT_LEAST else self.value <= target

    @property
    def number(self) -> Decimal | int | None:
        """As shown: a rate in percent with one decimal, an average with one decimal."""
        if self.value is None:
            return None
        if self.indicator.kind == RATE:
            return (Decimal(self.value) * 100).quantize(Decimal("0.1"))
        if self.indicator.kind == AVERAGE:
            return Decimal(self.value).quantize(Decimal("0.1"))
        return self.value

    @property
    def display(self) -> str:
        if self.number is None:
            return "—"
        return f"{self.number}{'%' if self.indicator.kind == RATE else ' ' + self.indicator.unit}"

    @property
    def detail(self) -> str:
        ind = self.indicator
        if ind.kind == RATE:
            return f"{self.counted} / {self.population}"
        if ind.kind == AVERAGE:
            return f"{self.counted} 件计入，{self.missed} 件未计入"
        return f"共 {self.population} 条中计入 {self.counted} 条"

    def as_dict(self) -> dict:
        ind = self.indicator
        return {
            "key": ind.key,
            "name": ind.name,
            "group": ind.group,
            "kind": ind.kind,
            "unit": ind.unit,
            "value": None
            if self.number is None
            else float(self.number)
            if ind.kind != COUNT
            else self.number,
            "counted": self.counted,
            "population": self.population,
            "missed": self.missed,
            "target": ind.target_text,
            "meets_target": self.meets_target,
            "period": {"start": self.period.start.isoformat(), "end": self.period.end.isoformat()},
        }


def share(part: int, whole: int) -> Decimal | None:
    return None if not whole else (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"))


def measure(indicator: Indicator, scope: Scope, period: Period) -> Measurement:
    """One aggregate query over the population: how many rows, how many counted (and the mean)."""
    return measure_many([indicator], scope, period)[0]


def measure_many(indicators: list[Indicator], scope: Scope, period: Period) -> list[Measurement]:
    """Each indicator measured; indicators over the same population share one aggregate query
    (one ``COUNT … FILTER`` per indicator), so the cockpit's query count stays small and fixed."""
    from django.db.models import Avg

    by_population: dict[object, list[int]] = {}
    for i, indicator in enumerate(indicators):
        by_population.setdefault(indicator.population, []).append(i)
    out: list[Measurement | None] = [None] * len(indicators)
    for population, members in by_population.items():
        aggregates = {"population": Count("pk")}
        for i in members:
            indicator = indicators[i]
            condition = indicator.counted(scope, period)
            aggregates[f"counted_{i}"] = Count("pk", filter=condition)
            if indicator.kind == AVERAGE:
                aggregates[f"mean_{i}"] = Avg(indicator.average(), filter=condition)
        row = population(scope, period).order_by().aggregate(**aggregates)
        for i in members:
            indicator, counted = indicators[i], row[f"counted_{i}"]
            if indicator.kind == RATE:
                value = share(counted, row["population"])
            elif indicator.kind == AVERAGE:
                mean = row[f"mean_{i}"]
                value = None if mean is None else Decimal(str(mean)).quantize(Decimal("0.01"))
            else:
                value = counted
            out[i] = Measurement(indicator, period, counted, row["population"], value)
    return out  # type: ignore[return-value]


class DaysBetween(Func):
    """Calendar days from the first date to the second (PostgreSQL date subtraction; SQLite
    julianday), for 平均办案时效."""

    output_field = IntegerField()

    def as_sql(self, compiler, connection, **extra):
        (a, pa), (b, pb) = (compiler.compile(e) for e in self.source_expressions)
        return f"CAST(julianday({b}) - julianday({a}) AS INTEGER)", pa + pb

    def as_postgresql(self, compiler, connection, **extra):
        (a, pa), (b, pb) = (compiler.compile(e) for e in self.source_expressions)
        return f"({b} - {a})", pa + pb


def local(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""
