"""Writes to the district's working-day calendar: the guidance office (or an administrator)
enters the State Council's yearly notice — its bridging days off and make-up working days — and
local changes. Each write is one transaction, checked with ``access.require`` and audited with
the day's state before and after.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pydantic
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from . import access, audit, holidays
from .access_rules import MANAGE_CALENDAR
from .calendars import AUDIT_DAY, AUDIT_YEAR, FIRST_YEAR, LAST_YEAR
from .commands import Command, parse
from .models import HolidayOverride

#: Cited in the audit log of every change.
BASIS = "《全国年节及纪念日放假办法》第二条、第六条、第七条；国务院办公厅部分节假日安排通知"


class SetDay(Command):
    """Enter one day: a working day (上班, e.g. a make-up working day) or a day off (休息)."""

    date: dt.date
    is_workday: bool
    name: str = pydantic.Field("", max_length=holidays.MAX_NAME_LENGTH)


class ImportAnnouncement(Command):
    """The lines of a year's notice, e.g. ``2027-02-20 上班 春节调休`` (:func:`holidays.parse_announcement`)."""

    year: int = pydantic.Field(ge=FIRST_YEAR, le=LAST_YEAR)
    text: str = pydantic.Field(min_length=1, max_length=20_000)
    notice: str = pydantic.Field("", max_length=200)  # the notice's title and number
    replace: bool = False  # remove the year's entries that the text does not name


@dataclass(frozen=True)
class ImportResult:
    created: int
    changed: int
    unchanged: int
    removed: int


def _state(entry: HolidayOverride | None) -> dict[str, Any] | None:
    if entry is None:
        return None
    return {"date": entry.date.isoformat(), "is_workday": entry.is_workday, "name": entry.name}


def _check_day(day: dt.date, is_workday: bool, field: str, prefix: str = "") -> None:
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValidationError(
            {
                field: ValidationError(
                    f"{prefix}日期应在{FIRST_YEAR}年至{LAST_YEAR}年之间", code="out_of_range"
                )
            }
        )
    refusal = holidays.refusal_for(day, is_workday)
    if refusal:
        raise ValidationError({field: ValidationError(prefix + refusal, code="statutory_holiday")})


def _save(entry: HolidayOverride | None, day: dt.date, is_workday: bool, name: str) -> HolidayOverride:
    if entry is None:
        return HolidayOverride.objects.create(date=day, is_workday=is_workday, name=name)
    entry.is_workday, entry.name = is_workday, name
    entry.save(update_fields=["is_workday", "name"])
    return entry


def _concurrent() -> ValidationError:
    return ValidationError("同一日期正被他人修改，请刷新后重试", code="concurrent")


def set_day(actor, data: SetDay | dict[str, Any]) -> HolidayOverride:
    """Enter or change one day; the entry overrides the package and the computed holidays."""
    access.require(actor, MANAGE_CALENDAR)
    command = parse(SetDay, data)
    _check_day(command.date, command.is_workday, "date")
    try:
        with transaction.atomic():
            entry = HolidayOverride.objects.select_for_update().filter(date=command.date).first()
            before = _state(entry)
            entry = _save(entry, command.date, command.is_workday, command.name)
            audit.record(
                actor,
                "calendar.set_day",
                object_type=AUDIT_DAY,
                object_id=command.date.isoformat(),
                before=before,
                after=_state(entry),
                legal_basis=BASIS,
            )
    except IntegrityError:
        raise _concurrent() from None
    return entry


@transaction.atomic
def remove_day(actor, entry_id: Any) -> dt.date:
    """Remove an entry: the day goes back to the package's data or the law."""
    access.require(actor, MANAGE_CALENDAR)
    entry = access.get_visible(actor, HolidayOverride.objects.select_for_update(), entry_id)
    day, before = entry.date, _state(entry)
    entry.delete()
    audit.record(
        actor,
        "calendar.remove_day",
        object_type=AUDIT_DAY,
        object_id=day.isoformat(),
        before=before,
        after=None,
        legal_basis=BASIS,
    )
    return day


def import_announcement(actor, data: ImportAnnouncement | dict[str, Any]) -> ImportResult:
    """Enter every line of a year's notice at once; nothing is saved if one line is wrong."""
    access.require(actor, MANAGE_CALENDAR)
    command = parse(ImportAnnouncement, data)
    try:
        days = holidays.parse_announcement(command.text)
    except holidays.AnnouncementError as exc:
        raise ValidationError({"text": ValidationError(str(exc), code="invalid_line")}) from None
    if not days:
        raise ValidationError({"text": ValidationError("没有可导入的行", code="required")})
    for announced in days:
        prefix = f"第{announced.line}行："
        if not holidays.announcement_year_accepts(command.year, announced.date):
            raise ValidationError(
                {
                    "text": ValidationError(
                        f"{prefix}{announced.date.isoformat()} 不属于{command.year}年的放假安排",
                        code="wrong_year",
                    )
                }
            )
        _check_day(announced.date, announced.is_workday, "text", prefix)
    basis = (f"{command.notice}；" if command.notice else "") + BASIS
    named = {announced.date for announced in days}
    created = changed = unchanged = removed = 0
    try:
        with transaction.atomic():
            year_entries = HolidayOverride.objects.select_for_update().filter(
                date__gte=dt.date(command.year - 1, 12, 1), date__lte=dt.date(command.year, 12, 31)
            )
            existing = {entry.date: entry for entry in year_entries}
            events = []
            for announced in days:
                entry = existing.get(announced.date)
                if entry is not None and (entry.is_workday, entry.name) == (
                    announced.is_workday,
                    announced.name,
                ):
                    unchanged += 1
                    continue
                before = _state(entry)
                entry = _save(entry, announced.date, announced.is_workday, announced.name)
                created, changed = (created + 1, changed) if before is None else (created, changed + 1)
                events.append(
                    {
                        "action": "calendar.import_day",
                        "object_type": AUDIT_DAY,
                        "object_id": announced.date.isoformat(),
                        "before": before,
                        "after": _state(entry),
                        "legal_basis": basis[:300],
                    }
                )
            if command.replace:
                for day, entry in sorted(existing.items()):
                    if day not in named and day.year == command.year:
                        events.append(
                            {
                                "action": "calendar.remove_day",
                                "object_type": AUDIT_DAY,
                                "object_id": day.isoformat(),
                                "before": _state(entry),
                                "after": None,
                                "legal_basis": basis[:300],
                            }
                        )
                        entry.delete()
                        removed += 1
            events.append(
                {
                    "action": "calendar.import_announcement",
                    "object_type": AUDIT_YEAR,
                    "object_id": str(command.year),
                    "before": None,
                    "after": {
                        "notice": command.notice,
                        "days": len(days),
                        "created": created,
                        "changed": changed,
                        "unchanged": unchanged,
                        "removed": removed,
                    },
                    "legal_basis": basis[:300],
                }
            )
            audit.record_many(actor, events)
    except IntegrityError:
        raise _concurrent() from None
    return ImportResult(created, changed, unchanged, removed)
