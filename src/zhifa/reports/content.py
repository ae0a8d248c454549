"""What a report of the reform says, computed from the indicators of ``zhifa.indicators`` — the
same functions the cockpit and the indicators page use — for the district: every indicator of the
period with its change against the previous period, its monthly trend (twelve months to the
period's end) and, in an annual report, the trend across years; the training and appraisal
figures of the year. Read-only; ``progress`` is told how far the computation is."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from zhifa.core.scopes import Scope
from zhifa.indicators import charts
from zhifa.indicators import selectors as indicators
from zhifa.indicators.definitions import AVERAGE, COUNT, GROUPS, INDICATORS, RATE, Measurement, Period

DISTRICT = Scope(everything=True)
YEARS_BACK = 3  # an annual report compares with this many years before


@dataclass
class Row:
    now: Measurement
    before: Measurement | None

    @property
    def change(self) -> str:
        if self.before is None or self.now.number is None or self.before.number is None:
            return "—"
        delta = Decimal(self.now.number) - Decimal(self.before.number)
        unit = "个百分点" if self.now.indicator.kind == RATE else self.now.indicator.unit
        if delta == 0:
            return "持平"
        return f"{'+' if delta > 0 else ''}{delta.normalize():f}{unit}"


@dataclass
class Content:
    kind: str
    period: Period
    previous: Period
    groups: list[tuple[str, list[Row]]]
    months: list[str]
    monthly: dict[str, list[Measurement]]  # indicator key → one measurement per month
    yearly: dict[str, list[Measurement]] = field(default_factory=dict)  # annual: per year, oldest first
    years: list[int] = field(default_factory=list)
    training: dict = field(default_factory=dict)
    charts: list[tuple[str, str]] = field(default_factory=list)  # (title, svg)


def previous_period(kind: str, period: Period) -> Period:
    if kind == "monthly":
        start = (period.start - dt.timedelta(days=1)).replace(day=1)
        return Period.month(start.year, start.month)
    return Period.year(period.start.year - 1)


def _value(m: Measurement) -> float | None:
    return None if m.number is None else float(m.number)


def build(
    kind: str, period: Period, progress: Callable[[int, str], None] = lambda pct, step: None
) -> Content:
    progress(5, "计算本期指标")
    now = indicators.measure_all(DISTRICT, period)
    previous = previous_period(kind, period)
    progress(15, "计算上期指标")
    before = {m.indicator.key: m for m in indicators.measure_all(DISTRICT, previous)}
    rows = [Row(m, before.get(m.indicator.key)) for m in now]
    groups = [(g, [r for r in rows if r.now.indicator.group == g]) for g in GROUPS]
    months = indicators.months_back(period.end, 12)
    monthly: dict[str, list[Measurement]] = {i.key: [] for i in INDICATORS}
    for n, month in enumerate(months):
        progress(20 + 50 * n // len(months), f"计算月度趋势 {month.start:%Y-%m}")
        for m in indicators.measure_all(DISTRICT, month):
            monthly[m.indicator.key].append(m)
    content = Content(kind, period, previous, groups, [f"{m.start:%Y-%m}" for m in months], monthly)
    if kind == "annual":
        content.years = list(range(period.start.year - YEARS_BACK, period.start.year + 1))
        content.yearly = {i.key: [] for i in INDICATORS}
        for year in content.years:
            progress(70 + 10 * (year - content.years[0]) // len(content.years), f"计算{year}年度指标")
            for m in indicators.measure_all(DISTRICT, Period.year(year)):
                content.yearly[m.indicator.key].append(m)
    progress(80, "汇总培训情况")
    content.training = training_summary(period.end.year)
    progress(85, "绘制图表")
    content.charts = draw(content)
    return content


def training_summary(year: int) -> dict:
    from zhifa.organizations.models import Officer
    from zhifa.training.models import TrainingPlan
    from zhifa.training.selectors import hours_by_officer

    rows = hours_by_officer(
        None, year, officers=Officer.objects.filter(is_active=True, kind=Officer.Kind.ENFORCEMENT)
    )
    return {
        "year": year,
        "officers": len(rows),
        "below": sum(1 for r in rows if r.below),
        "hours": sum((r.attended for r in rows), Decimal(0)),
        "plans": TrainingPlan.objects.filter(year=year).count(),
    }


def draw(content: Content) -> list[tuple[str, str]]:
    """A chart per group: the group's rates by month (percent), and the counts and averages."""
    out = []
    for group in GROUPS:
        rates = [i for i in INDICATORS if i.group == group and i.kind == RATE]
        if rates:
            series = [(i.name, [_value(m) for m in content.monthly[i.key]]) for i in rates][:6]
            out.append((f"{group}：月度趋势（%）", charts.line_chart(content.months, series, percent=True)))
        others = [i for i in INDICATORS if i.group == group and i.kind in (COUNT, AVERAGE)]
        for i in others:
            out.append(
                (
                    f"{i.name}：月度趋势（{i.unit}）",
                    charts.bar_chart(content.months, [_value(m) for m in content.monthly[i.key]], unit=""),
                )
            )
    if content.yearly:
        targets = [i for i in INDICATORS if i.kind == RATE and i.target is not None]
        labels = [str(y) for y in content.years]
        for start in range(0, len(targets), 5):
            chunk = targets[start : start + 5]
            series = [(i.name, [_value(m) for m in content.yearly[i.key]]) for i in chunk]
            out.append(("改革目标指标：历年趋势（%）", charts.line_chart(labels, series, percent=True)))
    return out
