"""The statutory holidays of any year, computed from 《全国年节及纪念日放假办法》 (pure, no database).

The rules under test, as revised by 《国务院关于修改〈全国年节及纪念日放假办法〉的决定》
(国务院令第795号, 10 November 2024, in force 1 January 2025):

* 第二条: 元旦 1 day (1 Jan); 春节 4 days (农历除夕、正月初一至初三); 清明节 1 day (农历清明当日);
  劳动节 2 days (5月1日、2日); 端午节 1 day (农历端午当日); 中秋节 1 day (农历中秋当日);
  国庆节 3 days (10月1日至3日).
* 第六条: 全体公民放假的假日，如果适逢星期六、星期日，应当在工作日补假 (which working day is the
  yearly notice's choice; the code presumes the first one after the festival).

Expected dates of the lunar festivals were read from published calendars (春节 2027-02-06,
2028-01-26, 2029-02-13, 2030-02-03 …), not from the code under test.
"""

from __future__ import annotations

import datetime as dt

import chinese_calendar
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from lunar_python import Solar

from zhifa.core import holidays
from zhifa.core.holidays import (
    STATUTORY,
    SUBSTITUTE,
    AnnouncementError,
    computed_holidays,
    is_computed_workday,
    parse_announcement,
    refusal_for,
    rest_days,
    revision_for,
    statutory_holidays,
    substitute_days,
)

D = dt.date


def _days(year: int, kind: str) -> dict[str, str]:
    return {h.date.isoformat(): h.label for h in computed_holidays(year) if h.kind == kind}


# --- article 2 as revised in 2024, table tests ---------------------------------------------


def test_2027_statutory_holidays():
    """国务院令第795号 第二条: 13 festival days in 2027 (除夕 is 2027-02-05, 初一 2027-02-06)."""
    assert _days(2027, STATUTORY) == {
        "2027-01-01": "元旦",
        "2027-02-05": "春节（除夕）",
        "2027-02-06": "春节（正月初一）",
        "2027-02-07": "春节（正月初二）",
        "2027-02-08": "春节（正月初三）",
        "2027-04-05": "清明节",
        "2027-05-01": "劳动节",
        "2027-05-02": "劳动节",
        "2027-06-09": "端午节",
        "2027-09-15": "中秋节",
        "2027-10-01": "国庆节",
        "2027-10-02": "国庆节",
        "2027-10-03": "国庆节",
    }


def test_2027_presumed_substitute_days():
    """第六条: 初一 and 初二 (Sat, Sun), 1–2 May (Sat, Sun), 2–3 October (Sat, Sun) fall on a
    weekend; each earns a working day off, presumed right after the festival."""
    assert _days(2027, SUBSTITUTE) == {
        "2027-02-09": "春节补假（推定）",
        "2027-02-10": "春节补假（推定）",
        "2027-05-03": "劳动节补假（推定）",
        "2027-05-04": "劳动节补假（推定）",
        "2027-10-04": "国庆节补假（推定）",
        "2027-10-05": "国庆节补假（推定）",
    }


def test_2028_new_year_on_saturday_and_mid_autumn_on_national_day():
    """2028: 元旦 is a Saturday (第六条 → Monday 3 January off); 中秋 (八月十五) is 3 October, the
    third day of 国庆节, so two festivals share a day — presumed to earn a substitute, as the
    notices for 2009 and 2020 gave one."""
    statutory = [(h.date.isoformat(), h.festival) for h in statutory_holidays(2028)]
    assert ("2028-10-03", "中秋节") in statutory and ("2028-10-03", "国庆节") in statutory
    assert {h.date.isoformat() for h in statutory_holidays(2028) if h.festival == "春节"} == {
        "2028-01-25",
        "2028-01-26",
        "2028-01-27",
        "2028-01-28",
    }
    assert ("2028-05-28", "端午节") in statutory  # a Sunday
    assert _days(2028, SUBSTITUTE) == {
        "2028-01-03": "元旦补假（推定）",
        "2028-05-29": "端午节补假（推定）",
        "2028-10-04": "国庆节补假（推定）",
        "2028-10-05": "中秋节补假（推定）",
    }


@pytest.mark.parametrize(
    ("year", "new_year", "qingming", "dragon_boat", "mid_autumn"),
    [
        (2025, "2025-01-29", "2025-04-04", "2025-05-31", "2025-10-06"),
        (2026, "2026-02-17", "2026-04-05", "2026-06-19", "2026-09-25"),
        (2029, "2029-02-13", "2029-04-04", "2029-06-16", "2029-09-22"),
        (2030, "2030-02-03", "2030-04-05", "2030-06-05", "2030-09-12"),
        (2035, "2035-02-08", "2035-04-05", "2035-06-10", "2035-09-16"),
    ],
)
def test_lunar_festivals(year, new_year, qingming, dragon_boat, mid_autumn):
    """第二条: 春节 from 除夕 to 初三, 清明 on the solar term, 端午 on 五月初五, 中秋 on 八月十五."""
    by_festival: dict[str, list[str]] = {}
    for h in statutory_holidays(year):
        by_festival.setdefault(h.festival, []).append(h.date.isoformat())
    first = D.fromisoformat(new_year)
    assert by_festival["春节"] == [(first + dt.timedelta(days=k)).isoformat() for k in (-1, 0, 1, 2)]
    assert by_festival["清明节"] == [qingming]
    assert by_festival["端午节"] == [dragon_boat]
    assert by_festival["中秋节"] == [mid_autumn]
    assert by_festival["劳动节"] == [f"{year}-05-01", f"{year}-05-02"]
    assert by_festival["国庆节"] == [f"{year}-10-0{d}" for d in (1, 2, 3)]
    assert by_festival["元旦"] == [f"{year}-01-01"]


# --- earlier texts of article 2 ------------------------------------------------------------


def test_each_year_is_governed_by_its_text():
    assert revision_for(1995).decree == revision_for(2007).decree == "国务院令第270号"
    assert revision_for(2008).decree == revision_for(2013).decree == "国务院令第513号"
    assert revision_for(2014).decree == revision_for(2024).decree == "国务院令第644号"
    assert revision_for(2025).decree == revision_for(2100).decree == "国务院令第795号"
    assert revision_for(2025).in_force == D(2025, 1, 1)
    assert "国务院令第795号" in revision_for(2027).citation


def test_spring_festival_and_labour_day_under_each_text():
    """1999 text: 春节 初一–初三, 劳动节 3 days, no 清明/端午/中秋; 2007 text: 除夕–初二, 劳动节
    1 day; 2013 text: 初一–初三 (除夕 2014-01-30 was a working day); 2024 text: 除夕–初三, 2 days."""

    def festival(year, name):
        return [h.date.isoformat() for h in statutory_holidays(year) if h.festival == name]

    assert festival(2007, "春节") == ["2007-02-18", "2007-02-19", "2007-02-20"]
    assert festival(2007, "劳动节") == ["2007-05-01", "2007-05-02", "2007-05-03"]
    assert festival(2007, "清明节") == festival(2007, "中秋节") == []
    assert festival(2013, "春节") == ["2013-02-09", "2013-02-10", "2013-02-11"]
    assert festival(2013, "劳动节") == ["2013-05-01"]
    assert festival(2014, "春节") == ["2014-01-31", "2014-02-01", "2014-02-02"]
    assert chinese_calendar.is_workday(D(2014, 1, 30))  # 除夕 2014: not a holiday under the 2013 text
    assert festival(2025, "春节") == ["2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31"]
    assert festival(2025, "劳动节") == ["2025-05-01", "2025-05-02"]


# --- against the State Council's notices, as shipped by chinese_calendar -----------------

PACKAGE_YEARS = range(2004, 2027)


@pytest.mark.parametrize("year", PACKAGE_YEARS)
def test_every_computed_statutory_holiday_is_a_holiday_in_the_notices(year):
    """Every festival day of 第二条 (under the text of that year) is a day off in that year's notice."""
    working = [h for h in statutory_holidays(year) if chinese_calendar.is_workday(h.date)]
    assert working == []


def test_presumed_substitutes_match_the_notices_but_for_two_days():
    """第六条 leaves the substitute's day to the notice; the presumption (first working day after
    the festival) matches 74 of the 76 substitute days of 2004–2026. The two others: 2012 gave the
    Friday before 端午 (23 June, a Saturday) and 2015 moved the 中秋 substitute into National Day."""
    presumed = [h for year in PACKAGE_YEARS for h in substitute_days(year)]
    wrong = [h.date for h in presumed if chinese_calendar.is_workday(h.date)]
    assert len(presumed) == 76
    assert wrong == [D(2012, 6, 25), D(2015, 9, 28)]
    assert not chinese_calendar.is_workday(D(2012, 6, 22)) and not chinese_calendar.is_workday(D(2015, 10, 7))


def test_lunar_python_agrees_with_the_package_on_qingming():
    """清明 from lunar_python's solar terms equals chinese_calendar.get_solar_terms, 2000–2099. (In
    2100 the package's formula, one constant per century, says 4 April; the sun reaches 15° about
    00:50 Beijing time on 5 April — 100 tropical years after 4 April 2000 19:32 plus 0.22 days —
    which is lunar_python's answer.)"""
    for year in range(2000, 2100):
        terms = dict(
            (name, day) for day, name in chinese_calendar.get_solar_terms(D(year, 4, 1), D(year, 4, 10))
        )
        assert holidays.qingming(year) == terms["清明"], year


# --- properties for any year ---------------------------------------------------------------

years = st.integers(min_value=1900, max_value=2300)
later_years = st.integers(min_value=2025, max_value=2300)


@settings(max_examples=60, deadline=None)
@given(later_years)
def test_article_2_gives_thirteen_festival_days(year):
    found = statutory_holidays(year)
    assert len(found) == 13
    counts = {}
    for h in found:
        counts[h.festival] = counts.get(h.festival, 0) + 1
        assert h.date.year == year and h.kind == STATUTORY
    assert counts == {"元旦": 1, "春节": 4, "清明节": 1, "劳动节": 2, "端午节": 1, "中秋节": 1, "国庆节": 3}


@settings(max_examples=60, deadline=None)
@given(later_years)
def test_lunar_festivals_fall_on_their_lunar_days(year):
    found = {h.label: h.date for h in statutory_holidays(year)}
    first = Solar.fromYmd(
        found["春节（正月初一）"].year, found["春节（正月初一）"].month, found["春节（正月初一）"].day
    ).getLunar()
    assert (first.getMonth(), first.getDay()) == (1, 1)
    eve = found["春节（除夕）"]
    assert found["春节（正月初一）"] - eve == dt.timedelta(days=1)
    eve_lunar = Solar.fromYmd(eve.year, eve.month, eve.day).getLunar()
    assert eve_lunar.getMonth() == 12 and eve_lunar.getDay() in (29, 30)  # the last day of the year
    for label, (month, day) in (("端午节", (5, 5)), ("中秋节", (8, 15))):
        lunar = Solar.fromYmd(found[label].year, found[label].month, found[label].day).getLunar()
        assert (lunar.getMonth(), lunar.getDay()) == (month, day)  # never a leap month (negative)
    assert D(year, 4, 3) <= found["清明节"] <= D(year, 4, 6)


@settings(max_examples=60, deadline=None)
@given(years)
def test_article_6_owes_one_substitute_per_festival_day_on_a_rest_day(year):
    """A substitute for each festival day on a Saturday, a Sunday or another festival's day; each is
    a Monday–Friday after its festival, within a week, and on no festival day."""
    statutory = statutory_holidays(year)
    festival_dates = {h.date for h in statutory}
    owed: dict[str, int] = {}
    seen: set[dt.date] = set()
    for h in sorted(
        statutory, key=lambda h: (min(x.date for x in statutory if x.festival == h.festival), h.date)
    ):
        if h.date.weekday() >= 5 or h.date in seen:
            owed[h.festival] = owed.get(h.festival, 0) + 1
        seen.add(h.date)
    given_ = {}
    for s in substitute_days(year):
        given_[s.festival] = given_.get(s.festival, 0) + 1
        last = max(h.date for h in statutory if h.festival == s.festival)
        assert s.kind == SUBSTITUTE and s.date.weekday() < 5 and s.date not in festival_dates
        assert last < s.date <= last + dt.timedelta(days=7)
    assert given_ == owed
    assert len({s.date for s in substitute_days(year)}) == len(substitute_days(year))


@settings(max_examples=60, deadline=None)
@given(st.dates(min_value=D(1900, 1, 1), max_value=D(2300, 12, 31)))
def test_a_computed_working_day_is_a_weekday_without_a_holiday(day):
    expected = day.weekday() < 5 and all(h.date != day for h in computed_holidays(day.year))
    assert is_computed_workday(day) is expected
    assert (day in rest_days(day.year)) is any(h.date == day for h in computed_holidays(day.year))


@settings(max_examples=30, deadline=None)
@given(st.integers(min_value=1, max_value=9998))
@example(19)
@example(2300)
def test_every_year_can_be_computed(year):
    """Any year of Python's calendar: the lunar dates of years before 1583 come through the Julian
    day, so they are proleptic Gregorian like every Python date."""
    found = computed_holidays(year)
    assert len([h for h in found if h.kind == STATUTORY]) in (10, 11, 13)
    assert all(h.date.year == year or _xin_new_year(year, h) for h in found)


#: 王莽's 新 (AD 9–23) counted the year from the 丑 month (建丑), a month before today's 正月, so
#: the lunar calendar's 正月初一 of AD 13, 16 and 19 falls in December of the year before.
XIN = range(9, 24)


def _xin_new_year(year: int, holiday) -> bool:
    return year in XIN and holiday.festival == "春节" and holiday.date.month == 12


def test_the_new_year_of_the_xin_calendar_is_in_december():
    spring = [h.date for h in computed_holidays(19) if h.festival == "春节" and h.kind == STATUTORY]
    assert D(18, 12, 25) in spring  # 正月初一 of AD 19 under 建丑 (found by the search above)
    assert all(h.date.year == 24 for h in computed_holidays(24))  # 建寅 again from AD 24


def test_julian_era_dates_are_converted():
    assert holidays._to_date(Solar.fromYmd(1582, 10, 4)) == D(1582, 10, 14)  # the day before the reform
    assert holidays._to_date(Solar.fromYmd(1582, 10, 15)) == D(1582, 10, 15)


# --- entries a notice may not make -------------------------------------------------------


def test_a_festival_day_cannot_be_entered_as_a_working_day():
    """第二条 gives every citizen the festival days off: 2027-02-06 (正月初一) cannot be 上班."""
    message = refusal_for(D(2027, 2, 6), True)
    assert "春节（正月初一）" in message and "第二条" in message and "国务院令第795号" in message
    assert refusal_for(D(2027, 2, 6), False) is None
    assert refusal_for(D(2027, 2, 20), True) is None  # a Saturday: a make-up working day is allowed
    assert refusal_for(D(2027, 2, 9), True) is None  # a presumed substitute: the notice may move it
    assert refusal_for(D(2014, 1, 30), True) is None  # 除夕 was no festival day under the 2013 text


# --- reading the notice's lines ---------------------------------------------------------


def test_parse_announcement_lines():
    days = parse_announcement("""
        # 国务院办公厅关于2027年部分节假日安排的通知
        2027-02-05至2027-02-07 休息 春节
        2027-02-20 上班 春节调休
        2027年1月30日 上班
        2027/05/06 补班 劳动节调休
        　2027-05-05　放假　劳动节
    """)
    assert [(d.date.isoformat(), d.is_workday, d.name, d.line) for d in days] == [
        ("2027-02-05", False, "春节", 3),
        ("2027-02-06", False, "春节", 3),
        ("2027-02-07", False, "春节", 3),
        ("2027-02-20", True, "春节调休", 4),
        ("2027-01-30", True, "", 5),
        ("2027-05-06", True, "劳动节调休", 6),
        ("2027-05-05", False, "劳动节", 7),
    ]


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("2027-02-30 上班", 1, "不存在"),
        ("2027-02-20 加班", 1, "格式应为"),
        ("上班 2027-02-20", 1, "格式应为"),
        ("2027-02-20 上班\n2027-02-20 休息", 2, "已在第1行出现"),
        ("2027-02-01至2027-02-10 休息\n\n2027-02-05 上班", 3, "已在第1行出现"),
        ("2027-02-10至2027-02-01 休息", 1, "结束日期早于开始日期"),
        ("2027-01-01至2027-03-01 休息", 1, "最多31天"),
        ("2027-02-20 上班 " + "调" * 101, 1, "最多100个字"),
    ],
)
def test_parse_announcement_names_the_bad_line(text, line, fragment):
    with pytest.raises(AnnouncementError) as caught:
        parse_announcement(text)
    assert caught.value.line == line
    assert fragment in str(caught.value) and str(caught.value).startswith(f"第{line}行")


def test_a_notice_for_a_year_may_name_late_december_before_it():
    """The notice for 2019 made Saturday 29 December 2018 a working day for the New Year holiday."""
    assert holidays.announcement_year_accepts(2019, D(2018, 12, 29))
    assert chinese_calendar.is_workday(D(2018, 12, 29))
    assert not holidays.announcement_year_accepts(2019, D(2018, 11, 30))
    assert not holidays.announcement_year_accepts(2019, D(2020, 1, 1))
