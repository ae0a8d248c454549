import datetime as dt

from zhifa.core.calendars import district_calendar
from zhifa.core.models import HolidayOverride


def test_override_table_changes_the_deadline(db):
    start = dt.date(2027, 3, 1)  # a Monday in a year chinese-calendar has no data for
    assert district_calendar().add_working_days(start, 3) == dt.date(2027, 3, 4)
    HolidayOverride.objects.create(date=dt.date(2027, 3, 2), is_workday=False, name="地方调休")
    HolidayOverride.objects.create(date=dt.date(2027, 3, 6), is_workday=True, name="补班")
    calendar = district_calendar()
    assert calendar.add_working_days(start, 3) == dt.date(2027, 3, 5)
    assert calendar.add_working_days(start, 4) == dt.date(2027, 3, 6)
