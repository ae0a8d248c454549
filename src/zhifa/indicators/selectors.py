"""Reads of the indicators: each figure measured for a scope and a period, its drill-downs (the
rows counted and the rows not counted), its monthly trend, and the provincial library. Read-only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils import timezone

from zhifa.core.errors import NotFound
from zhifa.core.scopes import Scope

from .definitions import GROUPS, INDICATORS, REGISTRY, Indicator, Measurement, Period, measure, measure_many
from .models import LibraryImport, ProvincialItem

COUNTED, MISSED, ALL = "counted", "missed", "all"
PARTS = {COUNTED: "计入", MISSED: "未计入", ALL: "全部"}


def get_indicator(key: str) -> Indicator:
    try:
        return REGISTRY[key]
    except KeyError:
        raise NotFound("没有这个指标") from None


def measure_all(scope: Scope, period: Period, keys: Iterable[str] | None = None) -> list[Measurement]:
    """Every indicator (or those of ``keys``), one aggregate query each."""
    chosen = [REGISTRY[k] for k in keys] if keys is not None else list(INDICATORS)
    return measure_many(chosen, scope, period)


def grouped(measurements: list[Measurement]) -> list[tuple[str, list[Measurement]]]:
    return [
        (group, [m for m in measurements if m.indicator.group == group])
        for group in GROUPS
        if any(m.indicator.group == group for m in measurements)
    ]


def drilldown(key: str, part: str, scope: Scope, period: Period) -> QuerySet:
    """The rows a figure counts (``counted``), leaves out (``missed``) or measures over (``all``)."""
    indicator = get_indicator(key)
    if part == COUNTED:
        return indicator.counted_rows(scope, period)
    if part == MISSED:
        return indicator.missed_rows(scope, period)
    if part == ALL:
        return indicator.rows(scope, period)
    raise NotFound("没有这个明细")


def rows(indicator: Indicator, records) -> tuple[list[str], Iterable[list]]:
    """Header and cells of a drill-down (the page and the .xlsx export)."""
    return [c.label for c in indicator.columns], ([c.get(r) for c in indicator.columns] for r in records)


def months_back(today: dt.date, n: int) -> list[Period]:
    """The ``n`` calendar months ending with ``today``'s month, oldest first."""
    out, year, month = [], today.year, today.month
    for _ in range(n):
        out.append(Period.month(year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return out[::-1]


def trend(key: str, scope: Scope, periods: list[Period]) -> list[Measurement]:
    indicator = get_indicator(key)
    return [measure(indicator, scope, period) for period in periods]


def parse_period(data, today: dt.date | None = None) -> Period:
    """``start``/``end`` (ISO dates) or ``month`` (YYYY-MM) or ``year``; default this year to date.
    Bad values fall back to the default: a page never fails on a malformed link."""
    today = today or timezone.localdate()
    try:
        if data.get("month"):
            year, month = (int(x) for x in str(data["month"]).split("-")[:2])
            return Period.month(year, month)
        if data.get("year"):
            return Period.year(int(data["year"]))
        if data.get("start") and data.get("end"):
            start, end = dt.date.fromisoformat(data["start"]), dt.date.fromisoformat(data["end"])
            if start <= end and end.year - start.year <= 10:
                return Period(start, end)
    except (TypeError, ValueError):
        pass
    return Period.year_to_date(today)


def library() -> QuerySet[ProvincialItem]:
    return ProvincialItem.objects.select_related("batch").order_by("code")


def library_imports() -> QuerySet[LibraryImport]:
    return LibraryImport.objects.select_related("imported_by").order_by("-imported_at", "-pk")


def publication_limits():
    from .models import PublicationLimit

    return PublicationLimit.objects.select_related("organization").order_by("organization__path")


def departments():
    """Bodies that may set their own publication time limit: the enforcement bodies."""
    from zhifa.organizations.models import Organization

    return Organization.objects.filter(is_active=True, is_enforcement_body=True).order_by("path")
