"""The district's working-day calendar and what the calendar page shows.

Order of truth for a day (``zhifa.core.workdays``): an entry in ``HolidayOverride`` (the State
Council's yearly notice or a local change, entered by the guidance office), else the
``chinese_calendar`` package for the years it knows, else the holidays of 《全国年节及纪念日放假
办法》 computed by ``zhifa.core.holidays`` with Saturdays and Sundays off.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from . import holidays, workdays
from .models import AuditEvent, HolidayOverride
from .workdays import WorkdayCalendar

#: The years the calendar page and the entries accept.
FIRST_YEAR, LAST_YEAR = 2000, 2100
#: Audit ``object_type`` of the calendar's changes (``object_id`` is the day, or the year for an
#: imported notice).
AUDIT_DAY = "core.HolidayOverride"
AUDIT_YEAR = "core.HolidayYear"
#: The yearly notice comes out in November or December; from this day on, next year's is awaited.
NOTICE_AWAITED_FROM = (12, 1)

WEEKDAYS = "一二三四五六日"


def today() -> dt.date:
    """The district's date (Asia/Shanghai)."""
    return timezone.localdate()


def district_calendar() -> WorkdayCalendar:
    """Read the overrides each time: the table holds a few rows a year, and a stale calendar
    would compute a statutory deadline wrong."""
    return WorkdayCalendar(dict(HolidayOverride.objects.values_list("date", "is_workday")))


def awaited_years(today: dt.date) -> list[int]:
    """The years whose notice must be known by ``today``: this year, and from 1 December the next."""
    years = [today.year]
    if (today.month, today.day) >= NOTICE_AWAITED_FROM:
        years.append(today.year + 1)
    return years


def missing_announcements(on: dt.date | None = None) -> list[int]:
    """The awaited years (:func:`awaited_years`) that neither the package knows nor has any entry:
    their bridging days and make-up working days are not counted yet. One query at most."""
    unknown = [year for year in awaited_years(on or today()) if not workdays.package_knows(year)]
    if not unknown:
        return []
    entered = {d.year for d in HolidayOverride.objects.filter(date__year__in=unknown).dates("date", "year")}
    return [year for year in unknown if year not in entered]


# --------------------------------------------------------------------------------------------
# The year page
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DayRow:
    """A day of the year that is not a plain Monday–Friday working day or weekend, and what each
    source says of it."""

    date: dt.date
    computed: str  # the law's holiday labels, or ""
    computed_kind: str  # holidays.STATUTORY / SUBSTITUTE / ""
    package: tuple[bool, str] | None  # (is working day, name) from chinese_calendar
    entry: HolidayOverride | None
    is_workday: bool  # what counts
    source: str  # 录入 / 日历包 / 法定推算 / 周末

    @property
    def weekday(self) -> str:
        return "周" + WEEKDAYS[self.date.weekday()]

    @property
    def is_weekend(self) -> bool:
        return self.date.weekday() >= 5


@dataclass(frozen=True)
class YearView:
    year: int
    package_knows: bool
    revision: holidays.Revision
    rows: list[DayRow]
    entries: int
    working_days: int
    announced: bool  # the package knows the year or an entry exists

    @property
    def source_label(self) -> str:
        if self.package_knows:
            return "chinese-calendar 日历包（已含国务院办公厅当年通知）"
        if self.entries:
            return "已录入的放假安排，其余按法定节日推算"
        return "按《全国年节及纪念日放假办法》推算（尚未录入当年通知的调休）"


def year_view(year: int) -> YearView:
    """Every day of ``year`` that the law, the package or an entry marks, with what counts."""
    computed: dict[dt.date, list[holidays.Holiday]] = {}
    for holiday in holidays.computed_holidays(year):
        computed.setdefault(holiday.date, []).append(holiday)
    package = workdays.package_days(year)
    knows = workdays.package_knows(year)
    entries = {entry.date: entry for entry in HolidayOverride.objects.filter(date__year=year)}
    calendar = WorkdayCalendar({day: entry.is_workday for day, entry in entries.items()})
    rows = []
    for day in sorted(set(computed) | set(package) | set(entries)):
        kinds = {h.kind for h in computed.get(day, [])}
        entry = entries.get(day)
        if entry is not None:
            source = "录入"
        elif knows:
            source = "日历包"
        elif day in computed:
            source = "法定推算"
        else:
            source = "周末"
        rows.append(
            DayRow(
                date=day,
                computed="、".join(h.label for h in computed.get(day, [])),
                computed_kind=holidays.STATUTORY
                if holidays.STATUTORY in kinds
                else (holidays.SUBSTITUTE if kinds else ""),
                package=package.get(day),
                entry=entry,
                is_workday=calendar.is_workday(day),
                source=source,
            )
        )
    working = calendar.working_days_between(dt.date(year - 1, 12, 31), dt.date(year, 12, 31))
    return YearView(
        year=year,
        package_knows=knows,
        revision=holidays.revision_for(year),
        rows=rows,
        entries=len(entries),
        working_days=working,
        announced=knows or bool(entries),
    )


def history(year: int, limit: int = 50):
    """The newest audited changes of the year's calendar (entries and imported notices)."""
    return AuditEvent.objects.filter(
        Q(object_type=AUDIT_DAY, object_id__startswith=f"{year:04d}-")
        | Q(object_type=AUDIT_YEAR, object_id=str(year))
    ).order_by("-seq")[:limit]
