"""System checks of the core, run at start-up (``runserver``, ``migrate``, ``check``)."""

from __future__ import annotations

from django.core.checks import Warning, register
from django.db import DatabaseError


@register("zhifa")
def calendar_announcement_check(app_configs=None, **kwargs):
    """zhifa.W001: the State Council's holiday notice for an awaited year (this year, and from
    1 December the next) is neither in the ``chinese_calendar`` package nor entered."""
    if app_configs is not None and not any(config.label == "core" for config in app_configs):
        return []
    from .calendars import missing_announcements

    try:
        missing = missing_announcements()
    except (DatabaseError, RuntimeError):
        # No database yet (before the first migrate), or none allowed in this process (Celery
        # runs the checks when it loads the tasks): a warning must not stop the start-up.
        return []
    return [Warning(
        f"{year}年的节假日安排尚未录入：该年的调休和补班未计入工作日，法定期限按法定节日和周末推算。",
        hint=(f"执法指导办或系统管理员在“节假日安排”页面（/calendar/{year}/）导入国务院办公厅关于{year}年"
              "部分节假日安排的通知，或升级 chinesecalendar 包。"),
        id="zhifa.W001",
    ) for year in missing]
