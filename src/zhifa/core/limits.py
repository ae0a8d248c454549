"""Counters in the shared cache (Redis in production: every process and machine sees the same
count), and the login guard built on them.

django-axes locks one user name from one address after ``AXES_FAILURE_LIMIT`` failures. The
guard here adds the two limits axes does not keep apart: one account attacked from many addresses
(``ZHIFA_LOGIN_ACCOUNT_FAILURE_LIMIT``) and one address trying many accounts — password spraying
(``ZHIFA_LOGIN_ADDRESS_FAILURE_LIMIT``). A locked account or address gets 429 until the cool-off
time has passed; each lockout is an audit event.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse

from .web import client_address


def _key(kind: str, value: str) -> str:
    return f"limit:{kind}:{hashlib.sha256(value.encode('utf-8')).hexdigest()[:32]}"


def count(kind: str, value: str) -> int:
    return int(cache.get(_key(kind, value), 0) or 0)


def hit(kind: str, value: str, window_seconds: int) -> int:
    """Add one to the counter of ``value`` for ``window_seconds`` from its first hit; the new count.
    ``add`` + ``incr`` are atomic in Redis, so concurrent processes never lose a hit."""
    key = _key(kind, value)
    if cache.add(key, 1, window_seconds):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window_seconds)
        return 1


def reset(kind: str, value: str) -> None:
    cache.delete(_key(kind, value))


def _cooloff_seconds() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds())


def login_blocked(username: str, address: str | None) -> str | None:
    """Why a login attempt is refused before the password is checked, or None."""
    if username and count("login-account", username.lower()) >= settings.ZHIFA_LOGIN_ACCOUNT_FAILURE_LIMIT:
        return "该账号登录失败次数过多，已暂时锁定，请稍后再试或联系管理员"
    if address and count("login-address", address) >= settings.ZHIFA_LOGIN_ADDRESS_FAILURE_LIMIT:
        return "该地址登录失败次数过多，已暂时锁定，请稍后再试"
    return None


def record_login_failure(username: str, address: str | None) -> list[str]:
    """Count a failed login; the limits it has just reached (``account``, ``address``)."""
    reached = []
    window = _cooloff_seconds()
    if (
        username
        and hit("login-account", username.lower(), window) == settings.ZHIFA_LOGIN_ACCOUNT_FAILURE_LIMIT
    ):
        reached.append("account")
    if address and hit("login-address", address, window) == settings.ZHIFA_LOGIN_ADDRESS_FAILURE_LIMIT:
        reached.append("address")
    return reached


class LoginGuardMiddleware:
    """Refuses a login POST (429) while its account or its address is locked, and writes the
    sign-in and sign-out of the login and logout pages to the audit log."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method != "POST":
            return self.get_response(request)
        from . import security_events

        path = request.path_info
        if path in _login_paths():
            reason = login_blocked(request.POST.get("username", ""), client_address(request))
            if reason:
                return HttpResponse(
                    f"<!doctype html><meta charset=utf-8><title>登录已锁定</title><p>{reason}</p>",
                    status=429,
                    content_type="text/html; charset=utf-8",
                )
            response = self.get_response(request)
            user = getattr(request, "user", None)
            if response.status_code in (301, 302, 303) and user is not None and user.is_authenticated:
                security_events.logged_in(request, user)
            return response
        if path in _logout_paths():
            user = getattr(request, "user", None)
            was = user if user is not None and user.is_authenticated else None
            response = self.get_response(request)
            if was is not None:
                security_events.logged_out(request, was)
            return response
        return self.get_response(request)


def _paths(name: str, default: str, admin: str) -> set[str]:
    from django.urls import NoReverseMatch, reverse

    try:
        return {reverse(name), admin}
    except NoReverseMatch:
        return {default, admin}


def _login_paths() -> set[str]:
    return _paths("login", "/login/", "/admin/login/")


def _logout_paths() -> set[str]:
    return _paths("logout", "/logout/", "/admin/logout/")
