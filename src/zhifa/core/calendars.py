"""The district's working-day calendar: chinese-calendar's official data plus the override table."""

from __future__ import annotations

from .models import HolidayOverride
from .workdays import WorkdayCalendar


def district_calendar() -> WorkdayCalendar:
    """Read the overrides each time: the table holds a few rows a year, and a stale calendar
    would compute a statutory deadline wrong."""
    return WorkdayCalendar(dict(HolidayOverride.objects.values_list("date", "is_workday")))
