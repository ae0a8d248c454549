"""API authentication: an ``X-API-Key`` header for integrations, or the browser session."""

from __future__ import annotations

import hmac
from datetime import timedelta

from django.utils import timezone
from ninja.security import APIKeyHeader

from zhifa.core import refdata
from zhifa.core.errors import PermissionDenied

from .models import SCOPES, ApiKey, hash_key

#: ``last_used_at`` is refreshed at most this often: writing it on every request would turn each
#: read into a write, and concurrent requests of one integration would queue on that row's lock.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class ApiKeyAuth(APIKeyHeader):
    param_name = "X-API-Key"

    def authenticate(self, request, key):
        if not key or not key.startswith("zf_") or key.count("_") < 2:
            return None
        prefix = key.split("_", 2)[1]
        # One indexed lookup, kept per process until a key or a body changes (core.refdata: a
        # revoked key is refused everywhere within a second), and one SHA-256 per request: no
        # slow password hasher.
        api_key = refdata.kept(
            ("api.key", prefix),
            lambda: (
                ApiKey.objects.select_related("organization", "organization__region")
                .filter(prefix=prefix, is_active=True)
                .first()
            ),
        )
        if api_key is None or not hmac.compare_digest(api_key.key_hash, hash_key(key)):
            return None
        now = timezone.now()
        if not api_key.usable(now):
            return None  # expired or revoked: 401, like an unknown key
        if not api_key.allows(request.method):
            granted = "、".join(SCOPES[s] for s in (api_key.scopes or []) if s in SCOPES) or "无"
            raise PermissionDenied(f"该接口密钥的权限范围（{granted}）不含此操作", code="scope_denied")
        if api_key.last_used_at is None or now - api_key.last_used_at >= LAST_USED_RESOLUTION:
            ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
            api_key.last_used_at = now
        return api_key
