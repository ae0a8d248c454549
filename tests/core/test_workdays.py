"""Working-day calendar. Holiday facts below were read from chinese_calendar 1.11.0 itself
(``chinese_calendar.get_holiday_detail``), which follows the State Council notice for 2026:

* Spring Festival: rest Sun 15 Feb – Mon 23 Feb 2026; make-up working days Sat 14 Feb, Sat 28 Feb.
* Mid-Autumn: rest Fri 25 – Sun 27 Sep 2026.
* National Day: rest Thu 1 – Wed 7 Oct 2026; make-up working days Sun 20 Sep, Sat 10 Oct.
"""

from __future__ import annotations

import datetime as dt

import chinese_calendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhifa.core import holidays, workdays
from zhifa.core.workdays import (
    ADMINISTRATIVE_COMPULSION,
    ADMINISTRATIVE_PENALTY,
    WorkdayCalendar,
    add_calendar_days,
    add_months,
    add_working_days,
    calendar_deadline,
    is_workday,
    is_working_day_period,
    month_deadline,
    statutory_days,
    working_days_between,
)

D = dt.date


def test_package_data_matches_what_the_tests_assume():
    assert chinese_calendar.get_holiday_detail(D(2026, 2, 14)) == (False, "Spring Festival")
    assert chinese_calendar.get_holiday_detail(D(2026, 2, 15)) == (True, "Spring Festival")
    assert chinese_calendar.get_holiday_detail(D(2026, 2, 23)) == (True, "Spring Festival")
    assert chinese_calendar.get_holiday_detail(D(2026, 2, 28)) == (False, "Spring Festival")
    assert chinese_calendar.get_holiday_detail(D(2026, 10, 1)) == (True, "National Day")
    assert chinese_calendar.get_holiday_detail(D(2026, 10, 7)) == (True, "National Day")
    assert chinese_calendar.get_holiday_detail(D(2026, 10, 10)) == (False, "National Day")
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(D(2027, 1, 4))


# --- single days ----------------------------------------------------------------------------


def test_spring_festival_2026():
    assert is_workday(D(2026, 2, 13))  # Friday before
    assert all(not is_workday(D(2026, 2, day)) for day in range(15, 24))  # 15–23 Feb rest
    assert is_workday(D(2026, 2, 24))


def test_make_up_saturdays_are_working_days():
    for d in (D(2026, 2, 14), D(2026, 2, 28), D(2026, 10, 10)):
        assert d.weekday() == 5 and is_workday(d)
    assert D(2026, 9, 20).weekday() == 6 and is_workday(D(2026, 9, 20))
    assert not is_workday(D(2026, 3, 7))  # an ordinary Saturday


def test_national_day_2026():
    assert is_workday(D(2026, 9, 30))
    assert all(not is_workday(D(2026, 10, day)) for day in range(1, 8))
    assert is_workday(D(2026, 10, 8))
    assert add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 8)
    assert add_working_days(D(2026, 9, 30), 3) == D(2026, 10, 10)  # 8, 9, Sat 10 (make-up)
    assert add_working_days(D(2026, 9, 30), 4) == D(2026, 10, 12)  # Sun 11 is a rest day


def test_years_without_data_fall_back_to_the_statutory_holidays():
    """Outside the package's years the law decides: 《全国年节及纪念日放假办法》第二条 (国务院令
    第795号) makes 1 January a holiday, and Saturdays and Sundays stay days off. 1 January 2027 was
    counted as a working day while the fallback was plain Monday–Friday."""
    assert not is_workday(D(2027, 1, 1))  # a Friday, 元旦
    assert not is_workday(D(2027, 1, 2))  # Saturday
    assert not is_workday(D(2027, 1, 3))  # Sunday
    assert is_workday(D(2027, 1, 4))
    assert add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 4)
    assert is_workday(D(2003, 12, 31)) and not is_workday(D(2003, 12, 27))
    assert not is_workday(D(2003, 10, 1))  # 国庆节 under the 1999 text (国务院令第270号)


def test_order_of_truth_entry_then_package_then_law():
    """An entry beats everything; the package's notice beats the law's presumption; the law (第二条
    and 第六条 of 《全国年节及纪念日放假办法》) decides the years the package does not know."""
    # the package knows 2012: its notice put the 端午 substitute on Friday 22 June, not Monday 25
    assert holidays.is_computed_workday(D(2012, 6, 22)) and not is_workday(D(2012, 6, 22))
    assert not holidays.is_computed_workday(D(2012, 6, 25)) and is_workday(D(2012, 6, 25))
    # 2027 is unknown to the package: 正月初一 falls on Saturday 6 February, 初三 on Monday 8,
    # and the presumed substitutes are Tuesday 9 and Wednesday 10
    assert [is_workday(D(2027, 2, day)) for day in range(4, 13)] == [
        True,
        False,
        False,
        False,
        False,
        False,
        False,
        True,
        True,
    ]
    # an entry wins over both: a make-up Saturday, and a notice that moves a substitute
    cal = WorkdayCalendar({D(2027, 2, 20): True, D(2027, 2, 10): True, D(2012, 6, 25): False})
    assert cal.is_workday(D(2027, 2, 20)) and cal.is_workday(D(2027, 2, 10))
    assert not cal.is_workday(D(2012, 6, 25))
    assert cal.add_working_days(D(2027, 2, 4), 1) == D(2027, 2, 10)
    assert add_working_days(D(2027, 2, 4), 1) == D(2027, 2, 11)


def test_package_years_and_days():
    assert workdays.package_knows(2026) and not workdays.package_knows(2027)
    assert workdays.package_days(2027) == {}
    days = workdays.package_days(2026)
    assert days[D(2026, 2, 14)] == (True, "春节")  # a make-up Saturday
    assert days[D(2026, 2, 16)] == (False, "春节")
    assert days[D(2026, 10, 1)] == (False, "国庆节")
    assert D(2026, 3, 7) not in days  # an ordinary Saturday


@given(st.dates(min_value=D(2027, 1, 1), max_value=D(2060, 12, 31)))
def test_years_the_package_does_not_know_follow_the_law(d):
    assert is_workday(d) == holidays.is_computed_workday(d) == workdays.official_is_workday(d)


def test_overrides_take_precedence():
    tuesday, sunday = D(2026, 3, 10), D(2026, 3, 15)
    assert is_workday(tuesday) and not is_workday(sunday)
    cal = WorkdayCalendar({tuesday: False, sunday: True})
    assert not cal.is_workday(tuesday)
    assert cal.is_workday(sunday)
    assert cal.add_working_days(D(2026, 3, 9), 1) == D(2026, 3, 11)
    assert cal.add_working_days(D(2026, 3, 13), 1) == D(2026, 3, 15)
    assert cal.working_days_between(D(2026, 3, 8), D(2026, 3, 15)) == 5
    # can also undo an official make-up day, and work in years without data
    assert not WorkdayCalendar({D(2026, 2, 14): False}).is_workday(D(2026, 2, 14))
    assert not WorkdayCalendar({D(2027, 10, 1): False}).is_workday(D(2027, 10, 1))
    # the default calendar is unaffected
    assert is_workday(tuesday)


def test_datetime_is_treated_as_its_date():
    cal = WorkdayCalendar({dt.datetime(2026, 3, 10, 9, 30): False})
    assert not cal.is_workday(D(2026, 3, 10))
    assert not cal.is_workday(dt.datetime(2026, 3, 10, 15, 0))


# --- arithmetic -----------------------------------------------------------------------------


def test_add_working_days_across_spring_festival():
    start = D(2026, 2, 12)  # Thursday
    assert add_working_days(start, 0) == start
    assert add_working_days(start, 1) == D(2026, 2, 13)
    assert add_working_days(start, 2) == D(2026, 2, 14)  # make-up Saturday
    assert add_working_days(start, 3) == D(2026, 2, 24)  # after the nine-day rest
    assert add_working_days(start, 7) == D(2026, 2, 28)  # make-up Saturday again
    assert add_working_days(start, 8) == D(2026, 3, 2)


def test_add_working_days_from_a_rest_day():
    assert add_working_days(D(2026, 2, 15), 0) == D(2026, 2, 15)
    assert add_working_days(D(2026, 2, 15), 1) == D(2026, 2, 24)


def test_negative_n_counts_backwards():
    assert add_working_days(D(2026, 2, 24), -1) == D(2026, 2, 14)
    assert add_working_days(D(2026, 2, 24), -2) == D(2026, 2, 13)
    assert add_working_days(D(2026, 10, 8), -1) == D(2026, 9, 30)
    assert add_working_days(D(2026, 3, 2), -1) == D(2026, 2, 28)
    assert working_days_between(D(2026, 2, 24), D(2026, 2, 13)) == -2


def test_working_days_between():
    assert working_days_between(D(2026, 2, 12), D(2026, 2, 12)) == 0
    assert working_days_between(D(2026, 2, 13), D(2026, 2, 24)) == 2  # 14 and 24
    assert working_days_between(D(2026, 2, 1), D(2026, 2, 28)) == 16
    assert working_days_between(D(2026, 9, 30), D(2026, 10, 11)) == 3


def test_add_calendar_days():
    assert add_calendar_days(D(2026, 2, 12), 15) == D(2026, 2, 27)
    assert add_calendar_days(D(2026, 3, 1), -1) == D(2026, 2, 28)


# --- periods --------------------------------------------------------------------------------


def test_calendar_deadline_rolls_forward_off_rest_days():
    # 15 days after 1 Feb is Mon 16 Feb, inside the Spring Festival rest → Tue 24 Feb
    assert calendar_deadline(D(2026, 2, 1), 15) == D(2026, 2, 24)
    # ending on a make-up Saturday: that is a working day, no roll-forward
    assert calendar_deadline(D(2026, 2, 13), 15) == D(2026, 2, 28)
    # ending on an ordinary Saturday → Monday
    assert calendar_deadline(D(2026, 3, 6), 15) == D(2026, 3, 23)
    # ending on a working day → unchanged
    assert calendar_deadline(D(2026, 3, 2), 15) == D(2026, 3, 17)
    # National Day: 15 days after 17 Sep is 2 Oct → 8 Oct
    assert calendar_deadline(D(2026, 9, 17), 15) == D(2026, 10, 8)
    with pytest.raises(ValueError):
        calendar_deadline(D(2026, 3, 2), -1)


def test_calendar_deadline_respects_overrides():
    cal = WorkdayCalendar({D(2026, 3, 17): False})
    assert cal.calendar_deadline(D(2026, 3, 2), 15) == D(2026, 3, 18)


def test_statutory_days_under_administrative_penalty_law():
    # 行政处罚法 第八十五条: 2, 3, 5 and 7 days are working days
    assert [n for n in range(0, 61) if is_working_day_period(n)] == [2, 3, 5, 7]
    start = D(2026, 2, 12)
    assert statutory_days(start, 7) == D(2026, 2, 28)
    assert statutory_days(start, 5) == D(2026, 2, 26)
    assert statutory_days(start, 2) == D(2026, 2, 14)
    # other periods, e.g. 15 days to pay a fine (art. 67), are calendar days rolled forward
    assert statutory_days(start, 15) == calendar_deadline(start, 15) == D(2026, 2, 27)
    assert statutory_days(D(2026, 2, 1), 15) == D(2026, 2, 24)
    assert statutory_days(start, 0) == start


def test_statutory_days_under_administrative_compulsion_law():
    # 行政强制法 第六十九条: periods of ten days or less are working days
    assert is_working_day_period(10, ADMINISTRATIVE_COMPULSION)
    assert not is_working_day_period(30, ADMINISTRATIVE_COMPULSION)
    assert not is_working_day_period(10, ADMINISTRATIVE_PENALTY)
    assert statutory_days(D(2026, 9, 30), 10, ADMINISTRATIVE_COMPULSION) == add_working_days(
        D(2026, 9, 30), 10
    )
    assert statutory_days(D(2026, 9, 1), 30, ADMINISTRATIVE_COMPULSION) == D(2026, 10, 8)
    with pytest.raises(ValueError):
        is_working_day_period(5, "unknown_law")


def test_month_periods():
    assert add_months(D(2026, 8, 31), 6) == D(2027, 2, 28)
    assert add_months(D(2027, 8, 31), 6) == D(2028, 2, 29)
    assert add_months(D(2026, 1, 15), -1) == D(2025, 12, 15)
    # 3 months after 1 Jul 2026 is Thu 1 Oct (National Day) → Thu 8 Oct
    assert month_deadline(D(2026, 7, 1), 3) == D(2026, 10, 8)
    assert month_deadline(D(2026, 3, 10), 6) == D(2026, 9, 10)


# --- properties -----------------------------------------------------------------------------

dates_with_data = st.dates(min_value=D(2024, 1, 1), max_value=D(2026, 12, 31))


@given(dates_with_data, st.integers(0, 60))
def test_working_days_between_inverts_add_working_days(d, n):
    end = add_working_days(d, n)
    assert working_days_between(d, end) == n
    if n > 0:
        assert end > d and is_workday(end)
        # no working day was skipped: the day before `end` counted back n-1
        assert working_days_between(d, end - dt.timedelta(days=1)) == n - 1


@given(st.dates(min_value=D(2024, 3, 1), max_value=D(2027, 12, 31)), st.integers(-60, 0))
def test_negative_n_is_also_inverted(d, n):
    end = add_working_days(d, n)
    assert working_days_between(d, end) == n
    if n < 0:
        assert end < d and is_workday(end)


@given(dates_with_data, st.integers(0, 90))
def test_calendar_deadline_is_a_working_day_not_before_the_plain_sum(d, n):
    deadline = calendar_deadline(d, n)
    plain = d + dt.timedelta(days=n)
    assert deadline >= plain and is_workday(deadline)
    assert all(not is_workday(plain + dt.timedelta(days=k)) for k in range((deadline - plain).days))


def test_module_level_helpers_use_default_calendar():
    assert workdays.default_calendar.overrides == {}
    assert workdays.is_workday is is_workday


def test_the_day_of_a_moment_is_counted_in_china():
    # 行政处罚法第八十五条 counts days; a moment stored in UTC belongs to the day it is in Beijing
    assert workdays.day_of(dt.datetime(2026, 12, 4, 16, 30, tzinfo=dt.UTC)) == dt.date(2026, 12, 5)
    assert workdays.day_of(dt.datetime(2026, 12, 4, 15, 59, tzinfo=dt.UTC)) == dt.date(2026, 12, 4)
    assert workdays.day_of(dt.datetime(2026, 12, 4, 23, 0)) == dt.date(2026, 12, 4)
    assert workdays.day_of(dt.date(2026, 12, 4)) == dt.date(2026, 12, 4)


def test_today_is_the_day_in_china_whatever_the_machines_zone():
    from django.utils import timezone  # settings.TIME_ZONE is Asia/Shanghai

    before = timezone.localdate()
    assert workdays.today() in (before, timezone.localdate())  # unless midnight passed in between
