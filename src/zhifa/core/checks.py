"""Django system checks of the platform's own settings (``ZHIFA_*``): a wrong value stops
``manage.py check``/``migrate``/``runserver`` at start-up with a message naming the variable,
instead of failing on the first request that reads it. ``check --deploy`` adds what production
must have (the audit anchor key). The calendar check warns while a year's holiday notice is missing."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.db import DatabaseError


def _positive_int(name: str, errors: list, *, zero_ok: bool = False) -> None:
    value = getattr(settings, name, None)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0 or (value == 0 and not zero_ok):
        errors.append(
            Error(
                f"{name} must be a {'non-negative' if zero_ok else 'positive'} integer, not {value!r}",
                id=f"zhifa.E{_ids[name]}",
            )
        )


_ids = {
    "ZHIFA_CREDENTIAL_TOKEN_MAX_AGE": "003",
    "ZHIFA_PROXY_COUNT": "004",
    "ZHIFA_API_MAX_BODY_BYTES": "005",
    "ZHIFA_UPLOAD_MAX_BYTES": "006",
    "ZHIFA_AUDIT_ANCHOR_MINUTES": "007",
    "ZHIFA_LOGIN_ACCOUNT_FAILURE_LIMIT": "008",
    "ZHIFA_LOGIN_ADDRESS_FAILURE_LIMIT": "009",
    "ZHIFA_AUDIT_CHAINS": "013",
}


@register()
def platform_settings(app_configs=None, **kwargs):
    errors: list = []
    code = getattr(settings, "ZHIFA_DISTRICT_CODE", "")
    if not re.fullmatch(r"\d{6}", str(code)):
        errors.append(
            Error(
                f"ZHIFA_DISTRICT_CODE must be a 6-digit region code (GB/T 2260), not {code!r}",
                id="zhifa.E001",
            )
        )
    base = getattr(settings, "ZHIFA_PUBLIC_BASE_URL", "")
    if base and not re.fullmatch(r"https?://[^\s/]+(/\S*)?", base):
        errors.append(
            Error(f"ZHIFA_PUBLIC_BASE_URL must be empty or an http(s) address, not {base!r}", id="zhifa.E002")
        )
    for name in _ids:
        if hasattr(settings, name):
            _positive_int(name, errors, zero_ok=name == "ZHIFA_PROXY_COUNT")
    runs = getattr(settings, "ZHIFA_SUPERVISION_EVENT_RUNS", "inline")
    if runs not in ("inline", "queued", "off", True, False):
        errors.append(
            Error(
                f"ZHIFA_SUPERVISION_EVENT_RUNS must be inline, queued or off, not {runs!r}", id="zhifa.E014"
            )
        )
    if not isinstance(getattr(settings, "ZHIFA_CASE_CONFIG", {}), dict):
        errors.append(Error("ZHIFA_CASE_CONFIG must be a JSON object", id="zhifa.E010"))
    key = getattr(settings, "ZHIFA_AUDIT_ANCHOR_KEY", "")
    if key and len(key) < 32:
        errors.append(
            Error(
                "ZHIFA_AUDIT_ANCHOR_KEY must have at least 32 characters (e.g. 64 hex digits)",
                id="zhifa.E011",
            )
        )
    path = getattr(settings, "ZHIFA_AUDIT_ANCHOR_PATH", None)
    if path is not None and path.parent.exists() and path.parent.is_file():
        errors.append(Error(f"ZHIFA_AUDIT_ANCHOR_PATH's folder {path.parent} is a file", id="zhifa.E012"))
    if getattr(settings, "ZHIFA_API_MAX_BODY_BYTES", 0) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
        errors.append(
            Warning("ZHIFA_API_MAX_BODY_BYTES is above DATA_UPLOAD_MAX_MEMORY_SIZE", id="zhifa.W002")
        )
    return errors


@register(Tags.security, deploy=True)
def production_settings(app_configs=None, **kwargs):
    errors: list = []
    if not getattr(settings, "ZHIFA_AUDIT_ANCHOR_KEY", ""):
        errors.append(
            Error(
                "ZHIFA_AUDIT_ANCHOR_KEY is not set: audit anchors are not signed",
                hint="Set a random key of 64 hex digits in the environment (openssl rand -hex 32).",
                id="zhifa.E101",
            )
        )
    if "redis" not in settings.CACHES["default"]["BACKEND"].lower():
        errors.append(
            Warning("No shared cache (REDIS_URL): rate limits and lockouts are per process", id="zhifa.W101")
        )
    return errors


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
    return [
        Warning(
            f"{year}年的节假日安排尚未录入：该年的调休和补班未计入工作日，法定期限按法定节日和周末推算。",
            hint=(
                f"执法指导办或系统管理员在“节假日安排”页面（/calendar/{year}/）导入国务院办公厅关于{year}年"
                "部分节假日安排的通知，或升级 chinesecalendar 包。"
            ),
            id="zhifa.W001",
        )
        for year in missing
    ]
