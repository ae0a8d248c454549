"""Working-day calendar for statutory deadlines — pure Python, no Django.

Two ways of counting a period appear in the laws the platform enforces:

* **Working days (工作日).** Weekends and official public holidays are skipped; the make-up
  working days (调休, usually a Saturday or Sunday next to a holiday) *are* counted, because
  offices work on them. The 《中华人民共和国行政处罚法》(2021) 第八十五条 reads: 本法中"二日"
  "三日""五日""七日"的规定是指工作日，不含法定节假日 — so the 2/3/5/7-day periods of that law
  (e.g. 7 days to serve a decision, art. 61; 5 days to request a hearing, art. 64; notice 7 days
  before a hearing, art. 64; 2 days to hand in fines collected on the spot, art. 71) are
  working days. Likewise 《中华人民共和国行政强制法》第六十九条: 本法中十日以内期限的规定是指
  工作日，不含法定节假日.
* **Calendar days (日).** Every other period in days counts calendar days (e.g. 15 days to pay
  a fine, art. 67; 60 days for reconsideration). The day the period starts is not counted, and
  when the last day falls on a rest day the period ends on the next working day. The rule is
  written in 《中华人民共和国民事诉讼法》第八十五条 (numbered 第八十二条 before the 2021
  revision): 期间开始的时和日，不计算在期间内。期间届满的最后一日是法定休假日的，以法定休假日后
  的第一日为期间届满的日期. 行政处罚法 has no rule of its own on this; 行政诉讼法 (第一百零一条)
  and 行政复议法 refer to the 民事诉讼法 rules on 期间, and enforcement practice applies the same
  roll-forward to penalty periods (verify against local rules). The Supreme People's Court
  treats Saturdays and Sundays as 休假日 for this purpose, so the roll-forward skips weekends
  too, but not make-up working days.

Sources: the text of 行政处罚法 art. 85 and 民事诉讼法 art. 85 was checked against secondary
reproductions of the official texts, not against the 国家法律法规数据库 itself.

Which days are off, in this order of truth:

1. **An administrator's entry** (``overrides``: ``date → is working day``; the district keeps them
   in ``zhifa.core.models.HolidayOverride`` and enters each year's State Council notice there)
   always wins.
2. **The ``chinese_calendar`` package** (PyPI ``chinesecalendar``) ships the State Council's yearly
   notices (国务院办公厅关于部分节假日安排的通知) — only for the years it knows (2004–2026 in
   1.11.0); for other years it raises ``NotImplementedError``.
3. **The law** for every other year: the festival days of 《全国年节及纪念日放假办法》第二条 (as
   revised by 国务院令第795号 in 2024) with their presumed article-6 substitutes, computed with the
   lunar calendar in :mod:`zhifa.core.holidays`, and Saturdays and Sundays off. The bridging days
   and make-up working days of the yearly notice cannot be computed: until the notice is entered
   (or the package updated) such a year is counted without them.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from zoneinfo import ZoneInfo

import chinese_calendar

from . import holidays

__all__ = [
    "ADMINISTRATIVE_PENALTY",
    "ADMINISTRATIVE_COMPULSION",
    "WorkdayCalendar",
    "default_calendar",
    "is_workday",
    "add_working_days",
    "working_days_between",
    "add_calendar_days",
    "calendar_deadline",
    "add_months",
    "month_deadline",
    "statutory_days",
    "is_working_day_period",
    "package_knows",
    "package_days",
    "official_is_workday",
]

#: 《行政处罚法》(2021) 第八十五条: "二日""三日""五日""七日" are working days.
ADMINISTRATIVE_PENALTY = "administrative_penalty"
#: 《行政强制法》第六十九条: periods of ten days or less are working days.
ADMINISTRATIVE_COMPULSION = "administrative_compulsion"

_PENALTY_WORKING_DAY_PERIODS = frozenset({2, 3, 5, 7})


CHINA = ZoneInfo("Asia/Shanghai")


def day_of(d: dt.date) -> dt.date:
    """The calendar day of a date or a moment, as counted in China (settings.TIME_ZONE): 00:30 on
    the 5th in Beijing is 16:30 on the 4th in UTC, and the law counts the 5th."""
    if isinstance(d, dt.datetime):
        return (d.astimezone(CHINA) if d.tzinfo else d).date()
    return d


def today() -> dt.date:
    """Today in China, whatever the machine's clock zone (a server in UTC is a day behind Beijing
    from 00:00 to 08:00 Beijing time)."""
    return day_of(dt.datetime.now(dt.UTC))


class WorkdayCalendar:
    """Working days = overrides, else the ``chinese_calendar`` package, else the law.

    ``overrides`` maps a date to ``True`` (a working day) or ``False`` (a rest day) and takes
    precedence over everything else. Outside the years ``chinese_calendar`` knows, the statutory
    holidays computed by :mod:`zhifa.core.holidays` and Saturdays and Sundays are days off.
    """

    def __init__(self, overrides: Mapping[dt.date, bool] | None = None):
        self.overrides: dict[dt.date, bool] = {day_of(d): bool(v) for d, v in (overrides or {}).items()}

    def __repr__(self) -> str:
        return f"WorkdayCalendar(overrides={len(self.overrides)})"

    # -- single days ------------------------------------------------------------------------

    def is_workday(self, d: dt.date) -> bool:
        d = day_of(d)
        override = self.overrides.get(d)
        if override is not None:
            return override
        return official_is_workday(d)

    def next_workday(self, d: dt.date) -> dt.date:
        """``d`` itself if it is a working day, otherwise the first working day after it."""
        d = day_of(d)
        while not self.is_workday(d):
            d += dt.timedelta(days=1)
        return d

    # -- working-day arithmetic -------------------------------------------------------------

    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        """The ``n``-th working day after ``start`` (``start`` itself not counted).

        ``n == 0`` returns ``start`` unchanged; a negative ``n`` counts backwards (the
        ``|n|``-th working day before ``start``).
        """
        d = day_of(start)
        step = dt.timedelta(days=1 if n >= 0 else -1)
        remaining = abs(n)
        while remaining:
            d += step
            if self.is_workday(d):
                remaining -= 1
        return d

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in ``(start, end]``; if ``end < start``, minus those in ``[end, start)``.

        This is the inverse of :meth:`add_working_days`:
        ``working_days_between(d, add_working_days(d, n)) == n`` for every ``n``.
        """
        start, end = day_of(start), day_of(end)
        if end < start:
            return -sum(1 for d in _days(end, start) if self.is_workday(d))
        return sum(
            1 for d in _days(start + dt.timedelta(days=1), end + dt.timedelta(days=1)) if self.is_workday(d)
        )

    # -- calendar-day arithmetic ------------------------------------------------------------

    @staticmethod
    def add_calendar_days(start: dt.date, n: int) -> dt.date:
        return day_of(start) + dt.timedelta(days=n)

    def calendar_deadline(self, start: dt.date, n_days: int) -> dt.date:
        """Last day of a period of ``n_days`` calendar days starting on ``start``.

        ``start`` is not counted; if ``start + n_days`` is not a working day the period ends on
        the next working day (民事诉讼法 第八十五条).
        """
        if n_days < 0:
            raise ValueError("a period cannot be negative")
        return self.next_workday(self.add_calendar_days(start, n_days))

    def month_deadline(self, start: dt.date, months: int) -> dt.date:
        """Last day of a period of ``months`` months, rolled forward off rest days.

        The period ends on the day of the final month that corresponds to ``start``, or on that
        month's last day when there is no such day (e.g. 31 Aug + 6 months → 28/29 Feb).
        """
        if months < 0:
            raise ValueError("a period cannot be negative")
        return self.next_workday(add_months(start, months))

    def statutory_days(self, start: dt.date, n: int, law: str = ADMINISTRATIVE_PENALTY) -> dt.date:
        """Deadline of a period of ``n`` days under ``law``, starting on ``start``.

        Working days where the law says so (:func:`is_working_day_period`), otherwise calendar
        days with the holiday roll-forward of :meth:`calendar_deadline`.
        """
        if n < 0:
            raise ValueError("a period cannot be negative")
        if is_working_day_period(n, law):
            return self.add_working_days(start, n)
        return self.calendar_deadline(start, n)


def is_working_day_period(n: int, law: str = ADMINISTRATIVE_PENALTY) -> bool:
    """Whether a period of ``n`` days in ``law`` is counted in working days.

    * 行政处罚法 (2021) 第八十五条: 2, 3, 5 and 7 days.
    * 行政强制法 第六十九条: any period of ten days or less.
    """
    if law == ADMINISTRATIVE_PENALTY:
        return n in _PENALTY_WORKING_DAY_PERIODS
    if law == ADMINISTRATIVE_COMPULSION:
        return 0 < n <= 10
    raise ValueError(f"unknown law {law!r}")


def add_months(start: dt.date, months: int) -> dt.date:
    """Same day ``months`` later, clamped to the end of a shorter month."""
    start = day_of(start)
    index = start.year * 12 + (start.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def _days(first: dt.date, stop: dt.date):
    """Dates in ``[first, stop)``."""
    d = first
    one = dt.timedelta(days=1)
    while d < stop:
        yield d
        d += one


def official_is_workday(d: dt.date) -> bool:
    """Whether ``d`` is a working day without the district's entries: the package's data for the
    years it knows, otherwise the law (:func:`zhifa.core.holidays.is_computed_workday`)."""
    try:
        return chinese_calendar.is_workday(d)
    except NotImplementedError:
        return holidays.is_computed_workday(d)


def package_knows(year: int) -> bool:
    """Whether the ``chinese_calendar`` package carries the State Council's notice for ``year``."""
    try:
        chinese_calendar.is_workday(dt.date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


def package_days(year: int) -> dict[dt.date, tuple[bool, str]]:
    """``{date: (is working day, holiday name)}`` of the days in ``year`` the package treats
    differently from Monday–Friday: holidays on weekdays and make-up working days on weekends.
    Empty for a year the package does not know."""
    if not package_knows(year):
        return {}
    days = {}
    for d in _days(dt.date(year, 1, 1), dt.date(year + 1, 1, 1)):
        working = chinese_calendar.is_workday(d)
        if working != (d.weekday() < 5):
            name = chinese_calendar.get_holiday_detail(d)[1]
            days[d] = (working, _PACKAGE_NAMES.get(name, name or ""))
    return days


#: The package names its holidays in English.
_PACKAGE_NAMES = {
    "New Year's Day": holidays.NEW_YEAR,
    "Spring Festival": holidays.SPRING_FESTIVAL,
    "Tomb-sweeping Day": holidays.QINGMING,
    "Labour Day": holidays.LABOUR_DAY,
    "Dragon Boat Festival": holidays.DRAGON_BOAT,
    "Mid-autumn Festival": holidays.MID_AUTUMN,
    "National Day": holidays.NATIONAL_DAY,
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


#: Calendar without overrides, used by the module-level helpers.
default_calendar = WorkdayCalendar()


def is_workday(d: dt.date) -> bool:
    return default_calendar.is_workday(d)


def add_working_days(start: dt.date, n: int) -> dt.date:
    return default_calendar.add_working_days(start, n)


def working_days_between(start: dt.date, end: dt.date) -> int:
    return default_calendar.working_days_between(start, end)


def add_calendar_days(start: dt.date, n: int) -> dt.date:
    return WorkdayCalendar.add_calendar_days(start, n)


def calendar_deadline(start: dt.date, n_days: int) -> dt.date:
    return default_calendar.calendar_deadline(start, n_days)


def month_deadline(start: dt.date, months: int) -> dt.date:
    return default_calendar.month_deadline(start, months)


def statutory_days(start: dt.date, n: int, law: str = ADMINISTRATIVE_PENALTY) -> dt.date:
    return default_calendar.statutory_days(start, n, law)
