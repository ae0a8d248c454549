"""The public holidays of any year, computed from the law — pure Python, no Django.

《全国年节及纪念日放假办法》 (1949, revised 1999, 2007, 2013 and 2024) fixes the days every
citizen has off. As revised by 《国务院关于修改〈全国年节及纪念日放假办法〉的决定》
(国务院令第795号, 10 November 2024, in force 1 January 2025):

* 第二条 全体公民放假的节日: (一)元旦, 1天(1月1日); (二)春节, 4天(农历除夕、正月初一至初三);
  (三)清明节, 1天(农历清明当日); (四)劳动节, 2天(5月1日、2日); (五)端午节, 1天(农历端午当日);
  (六)中秋节, 1天(农历中秋当日); (七)国庆节, 3天(10月1日至3日).
* 第六条 全体公民放假的假日，如果适逢星期六、星期日，应当在工作日补假.
* 第七条 (added in 2024) 可合理安排统一放假调休 … 法定节假日假期前后连续工作一般不超过6天.

Article 2 and the lunar calendar give the festival days of any year (:func:`statutory_holidays`).
Article 6 says a substitute working day off is due, not which one: the State Council's yearly
notice (国务院办公厅关于某年部分节假日安排的通知) names it, together with the bridging days and
make-up working days of article 7, which no rule can compute. :func:`substitute_days` *presumes*
each substitute to be the first weekday after the festival that is not itself a holiday — against
the notices of 2004–2026 that presumption is right for 74 of the 76 substitute days (2012 put the
端午 substitute on the Friday before, 2015 moved the 中秋 substitute into the National Day week).
A festival day that coincides with another (中秋 on 1–3 October, as in 2009 and 2020) is
presumed to earn a substitute too, as those notices gave one.

Earlier texts apply to earlier years, so that the computation can be checked against every year
the ``chinese_calendar`` package knows (:data:`REVISIONS`): the 1999 text (国务院令第270号,
no 清明/端午/中秋, 劳动节 3 days), the 2007 text (国务院令第513号, from 2008: 春节 = 除夕, 初一,
初二), the 2013 text (国务院令第644号, from 2014: 春节 = 初一 to 初三). Years before 2000 are
computed with the 1999 text (the platform counts no period that old).

The lunar dates and the solar term 清明 (China Standard Time) come from ``lunar_python`` (MIT).
The texts were checked against reproductions of the State Council's decrees, not against the
国家法律法规数据库 itself.

Also here: reading the lines an administrator copies from the yearly notice
(:func:`parse_announcement`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

from lunar_python import Lunar

__all__ = [
    "NEW_YEAR",
    "SPRING_FESTIVAL",
    "QINGMING",
    "LABOUR_DAY",
    "DRAGON_BOAT",
    "MID_AUTUMN",
    "NATIONAL_DAY",
    "STATUTORY",
    "SUBSTITUTE",
    "Revision",
    "REVISIONS",
    "revision_for",
    "Holiday",
    "statutory_holidays",
    "substitute_days",
    "computed_holidays",
    "rest_days",
    "is_computed_workday",
    "refusal_for",
    "lunar_date",
    "qingming",
    "AnnouncedDay",
    "AnnouncementError",
    "parse_announcement",
    "announcement_year_accepts",
]

NEW_YEAR = "元旦"
SPRING_FESTIVAL = "春节"
QINGMING = "清明节"
LABOUR_DAY = "劳动节"
DRAGON_BOAT = "端午节"
MID_AUTUMN = "中秋节"
NATIONAL_DAY = "国庆节"

#: A festival day of article 2.
STATUTORY = "statutory"
#: A working day off given for a festival day on a Saturday or Sunday (article 6), presumed.
SUBSTITUTE = "substitute"

_ONE_DAY = dt.timedelta(days=1)
_SPRING_DAY_NAMES = {-1: "除夕", 0: "正月初一", 1: "正月初二", 2: "正月初三"}


@dataclass(frozen=True)
class Revision:
    """One text of 《全国年节及纪念日放假办法》 article 2, and the years it governs."""

    first_year: int  # the first calendar year wholly under this text
    decree: str  # the decree that made it
    published: dt.date
    in_force: dt.date
    spring_festival: tuple[int, ...]  # days off counted from 正月初一 (-1 = 除夕)
    labour_day: tuple[int, ...]  # days of May off
    lunar_festivals: bool  # 清明节, 端午节, 中秋节 are holidays

    @property
    def citation(self) -> str:
        when = f"{self.in_force.year}年{self.in_force.month}月{self.in_force.day}日"
        return f"《全国年节及纪念日放假办法》第二条，{self.decree}，{when}起施行"


#: The texts of article 2 in force since 1999, oldest first.
REVISIONS: tuple[Revision, ...] = (
    # 国务院令第270号: 新年1天; 春节3天(正月初一、初二、初三); 劳动节3天(5月1日、2日、3日); 国庆节3天.
    Revision(
        2000, "国务院令第270号", dt.date(1999, 9, 18), dt.date(1999, 9, 18), (0, 1, 2), (1, 2, 3), False
    ),
    # 国务院令第513号: 春节3天(除夕、正月初一、初二); 清明、端午、中秋各1天; 劳动节1天.
    Revision(2008, "国务院令第513号", dt.date(2007, 12, 14), dt.date(2008, 1, 1), (-1, 0, 1), (1,), True),
    # 国务院令第644号: 春节3天(正月初一、初二、初三).
    Revision(2014, "国务院令第644号", dt.date(2013, 12, 11), dt.date(2014, 1, 1), (0, 1, 2), (1,), True),
    # 国务院令第795号: 春节4天(除夕、正月初一至初三); 劳动节2天(5月1日、2日).
    Revision(
        2025, "国务院令第795号", dt.date(2024, 11, 10), dt.date(2025, 1, 1), (-1, 0, 1, 2), (1, 2), True
    ),
)


def revision_for(year: int) -> Revision:
    """The text of article 2 that governs ``year`` (the 1999 text for every year before 2008)."""
    chosen = REVISIONS[0]
    for revision in REVISIONS:
        if year >= revision.first_year:
            chosen = revision
    return chosen


@dataclass(frozen=True, order=True)
class Holiday:
    date: dt.date
    festival: str  # 春节
    kind: str  # STATUTORY or SUBSTITUTE
    label: str  # 春节（除夕）, 春节补假（推定）


# --------------------------------------------------------------------------------------------
# The lunar calendar
# --------------------------------------------------------------------------------------------


def _to_date(solar) -> dt.date:
    """A ``lunar_python`` Solar as a Python date. ``lunar_python`` writes days before
    15 October 1582 in the Julian calendar; Python's dates are proleptic Gregorian."""
    year, month, day = solar.getYear(), solar.getMonth(), solar.getDay()
    if (year, month, day) >= (1582, 10, 15):
        return dt.date(year, month, day)
    # Julian calendar date → Julian day number → Gregorian ordinal (JDN 1721426 = 0001-01-01).
    a = (14 - month) // 12
    y, m = year + 4800 - a, month + 12 * a - 3
    jdn = day + (153 * m + 2) // 5 + 365 * y + y // 4 - 32083
    return dt.date.fromordinal(jdn - 1721425)


def lunar_date(year: int, month: int, day: int) -> dt.date:
    """The day ``day`` of the (non-leap) lunar month ``month`` of the lunar year that begins in
    ``year``."""
    return _to_date(Lunar.fromYmd(year, month, day).getSolar())


def qingming(year: int) -> dt.date:
    """The day of the solar term 清明 (the sun at 15° ecliptic longitude, Beijing time)."""
    return _to_date(Lunar.fromYmd(year, 1, 1).getJieQiTable()["清明"])


# --------------------------------------------------------------------------------------------
# Article 2 and article 6
# --------------------------------------------------------------------------------------------

_Festival = tuple[str, tuple[tuple[dt.date, str], ...]]


@lru_cache(maxsize=512)
def _festivals(year: int) -> tuple[_Festival, ...]:
    """The festivals of article 2 in ``year``: (festival, ((day, label), ...)), in the article's
    order."""
    revision = revision_for(year)
    new_year = lunar_date(year, 1, 1)
    festivals: list[_Festival] = [
        (NEW_YEAR, ((dt.date(year, 1, 1), NEW_YEAR),)),
        (
            SPRING_FESTIVAL,
            tuple(
                (new_year + offset * _ONE_DAY, f"春节（{_SPRING_DAY_NAMES[offset]}）")
                for offset in revision.spring_festival
            ),
        ),
    ]
    if revision.lunar_festivals:
        festivals.append((QINGMING, ((qingming(year), QINGMING),)))
    festivals.append((LABOUR_DAY, tuple((dt.date(year, 5, day), LABOUR_DAY) for day in revision.labour_day)))
    if revision.lunar_festivals:
        festivals.append((DRAGON_BOAT, ((lunar_date(year, 5, 5), DRAGON_BOAT),)))
        festivals.append((MID_AUTUMN, ((lunar_date(year, 8, 15), MID_AUTUMN),)))
    festivals.append((NATIONAL_DAY, tuple((dt.date(year, 10, day), NATIONAL_DAY) for day in (1, 2, 3))))
    return tuple(festivals)


def statutory_holidays(year: int) -> tuple[Holiday, ...]:
    """The festival days of article 2 in ``year``, by date. Two festivals on one day (中秋 on
    1 October) give two entries."""
    return tuple(
        sorted(
            Holiday(day, festival, STATUTORY, label)
            for festival, days in _festivals(year)
            for day, label in days
        )
    )


def substitute_days(year: int) -> tuple[Holiday, ...]:
    """Article 6: a festival day on a Saturday or Sunday — or on the day of another festival —
    earns a working day off. Presumed to be the first Monday–Friday after the festival that is
    neither a festival day nor another substitute; the yearly notice decides."""
    festivals = sorted(_festivals(year), key=lambda festival: festival[1][0][0])
    taken = {day for _, days in festivals for day, _ in days}
    seen: set[dt.date] = set()
    substitutes = []
    for festival, days in festivals:
        owed = 0
        for day, _ in days:
            if day.weekday() >= 5 or day in seen:
                owed += 1
            seen.add(day)
        day = days[-1][0]
        while owed:
            day += _ONE_DAY
            if day.weekday() < 5 and day not in taken:
                taken.add(day)
                substitutes.append(Holiday(day, festival, SUBSTITUTE, f"{festival}补假（推定）"))
                owed -= 1
    return tuple(sorted(substitutes))


def computed_holidays(year: int) -> tuple[Holiday, ...]:
    """Article 2's festival days and article 6's presumed substitutes, by date."""
    return tuple(sorted(statutory_holidays(year) + substitute_days(year)))


@lru_cache(maxsize=512)
def rest_days(year: int) -> Mapping[dt.date, str]:
    """``{date: label}`` of the computed days off in ``year`` besides Saturdays and Sundays' rest."""
    labels: dict[dt.date, list[str]] = {}
    for holiday in computed_holidays(year):
        labels.setdefault(holiday.date, []).append(holiday.label)
    return MappingProxyType({day: "、".join(names) for day, names in labels.items()})


def is_computed_workday(day: dt.date) -> bool:
    """Monday to Friday, except the computed holidays of the law."""
    return day.weekday() < 5 and day not in rest_days(day.year)


def refusal_for(day: dt.date, is_workday: bool) -> str | None:
    """Why ``day`` cannot be entered as a working day, or None. Article 2 gives every citizen the
    festival days off; the yearly notice moves weekends around them (article 7) but never makes a
    festival day a working day."""
    if not is_workday:
        return None
    names = [holiday.label for holiday in statutory_holidays(day.year) if holiday.date == day]
    if not names:
        return None
    return (
        f"{day.isoformat()} 是{'、'.join(names)}，法定节日不能调为工作日（{revision_for(day.year).citation}）"
    )


# --------------------------------------------------------------------------------------------
# The yearly notice, as an administrator enters it
# --------------------------------------------------------------------------------------------

#: Words of a line that make the day a working day or a day off.
WORK_WORDS = ("上班", "补班", "工作日")
REST_WORDS = ("休息", "放假", "休")
_DATE = r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?"
_WORD = "|".join(sorted(WORK_WORDS + REST_WORDS, key=len, reverse=True))
_LINE = re.compile(rf"^{_DATE}(?:\s*(?:至|到|~|～|—|--)\s*{_DATE})?\s*({_WORD})(?:\s+(.*))?$")
MAX_RANGE_DAYS = 31
MAX_NAME_LENGTH = 100


@dataclass(frozen=True)
class AnnouncedDay:
    date: dt.date
    is_workday: bool
    name: str
    line: int  # the line of the text it came from, from 1


class AnnouncementError(ValueError):
    """A line of the notice that cannot be read; ``line`` counts from 1."""

    def __init__(self, line: int, message: str):
        super().__init__(f"第{line}行：{message}")
        self.line = line
        self.message = message


def _parse_date(parts: tuple[str, str, str], line: int) -> dt.date:
    try:
        return dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        raise AnnouncementError(line, f"日期 {'-'.join(parts)} 不存在") from None


def parse_announcement(text: str) -> list[AnnouncedDay]:
    """Read lines like ``2027-02-20 上班 春节调休`` or ``2027-02-05至2027-02-13 休息 春节``.

    Blank lines and lines starting with ``#`` are skipped; the status word is 上班/补班 (a working
    day) or 休息/放假 (a day off); the rest of the line is the name. A date given twice is an
    error, so that a notice pasted twice or contradicting itself is caught before anything is saved.
    """
    days: list[AnnouncedDay] = []
    where: dict[dt.date, int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.replace("\u3000", " ").strip()
        if not line or line.startswith("#"):
            continue
        match = _LINE.match(line)
        if not match:
            raise AnnouncementError(
                number,
                "格式应为“2027-02-20 上班 春节调休”或“2027-02-05至2027-02-13 休息 春节”"
                "（日期后写“上班”或“休息”）",
            )
        first = _parse_date(match.group(1, 2, 3), number)
        last = _parse_date(match.group(4, 5, 6), number) if match.group(4) else first
        if last < first:
            raise AnnouncementError(number, "结束日期早于开始日期")
        if (last - first).days >= MAX_RANGE_DAYS:
            raise AnnouncementError(number, f"一行最多{MAX_RANGE_DAYS}天")
        is_workday = match.group(7) in WORK_WORDS
        name = (match.group(8) or "").strip()
        if len(name) > MAX_NAME_LENGTH:
            raise AnnouncementError(number, f"说明最多{MAX_NAME_LENGTH}个字")
        day = first
        while day <= last:
            if day in where:
                raise AnnouncementError(number, f"{day.isoformat()} 已在第{where[day]}行出现")
            where[day] = number
            days.append(AnnouncedDay(day, is_workday, name, number))
            day += _ONE_DAY
    return days


def announcement_year_accepts(year: int, day: dt.date) -> bool:
    """A notice for ``year`` names days of that year, and sometimes of late December before it
    (the notice for 2019 made 29 December 2018 a working day for the New Year holiday)."""
    return day.year == year or (day.year == year - 1 and day.month == 12)
