"""Helpers shared by the server-rendered views."""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404

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
            raise DjangoPermissionDenied(exc.message) from None

    return wrapper


def public_url(request, path: str) -> str:
    """An absolute link for the public (QR codes, notices): the configured public address when
    set, so codes printed from an internal address still work outside."""
    base = settings.ZHIFA_PUBLIC_BASE_URL
    return base.rstrip("/") + path if base else request.build_absolute_uri(path)
