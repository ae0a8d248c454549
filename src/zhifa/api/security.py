"""API authentication: an ``X-API-Key`` header for integrations, or the browser session."""

from __future__ import annotations

import hmac

from django.utils import timezone
from ninja.security import APIKeyHeader

from .models import ApiKey, hash_key


class ApiKeyAuth(APIKeyHeader):
    param_name = "X-API-Key"

    def authenticate(self, request, key):
        if not key or not key.startswith("zf_") or key.count("_") < 2:
            return None
        prefix = key.split("_", 2)[1]
        api_key = ApiKey.objects.select_related("organization", "organization__region").filter(prefix=prefix, is_active=True).first()
        if api_key is None or not hmac.compare_digest(api_key.key_hash, hash_key(key)):
            return None
        ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=timezone.now())
        return api_key
