"""Helpers shared by the server-rendered views."""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404

from .audit import record_refusal
from .errors import NotFound, PermissionDenied


def service_view(view):
    """Login required; a service's NotFound / PermissionDenied become the 404 / 403 pages."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(exc.message) from None
        except PermissionDenied as exc:
            record_refusal(request.user, request.path, exc)
            raise DjangoPermissionDenied(exc.message) from None

    return wrapper


def public_url(request, path: str) -> str:
    """An absolute link for the public (QR codes, notices): the configured public address when
    set, so codes printed from an internal address still work outside."""
    base = settings.ZHIFA_PUBLIC_BASE_URL
    return base.rstrip("/") + path if base else request.build_absolute_uri(path)


def client_address(request) -> str | None:
    """The address of the person at the other end. Behind ``ZHIFA_PROXY_COUNT`` reverse proxies
    (nginx appends the address it saw to X-Forwarded-For), it is the entry that many places from
    the right: entries further left were written by the client and cannot be trusted. Used by the
    login lockout and the public report rate limit, so one client cannot lock out everyone behind
    the proxy, nor escape a limit by sending its own header."""
    proxies = getattr(settings, "ZHIFA_PROXY_COUNT", 0)
    if proxies > 0:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or None  # None, not "": it is stored as an IP address
