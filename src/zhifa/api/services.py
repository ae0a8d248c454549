"""Issuing and revoking API keys: by administrators, for their own organisation, audited."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from zhifa.core import access, audit
from zhifa.organizations.models import Organization

from .models import ADMIN_ROLE, ROLE_CHOICES, SCOPES, ApiKey

#: The longest a key may live; a key for longer must be re-issued (and so reviewed).
MAX_LIFETIME = dt.timedelta(days=366)


@dataclass(frozen=True)
class NewKey:
    name: str
    organization_id: int
    role: str
    scopes: list[str] = field(default_factory=lambda: ["read"])
    expires_on: dt.date | None = None


def _fields(key: ApiKey) -> dict:
    return {
        "name": key.name,
        "organization": key.organization_id,
        "role": key.role,
        "scopes": key.scopes,
        "prefix": key.prefix,
        "expires_at": key.expires_at,
    }


def create_key(actor, data: NewKey) -> tuple[ApiKey, str]:
    """A new key; the secret is returned once and never stored."""
    errors = {}
    name = (data.name or "").strip()
    if not name:
        errors["name"] = ValidationError("请填写对接系统名称", code="required")
    if data.role not in dict(ROLE_CHOICES):
        errors["role"] = ValidationError("未知角色", code="invalid_choice")
    elif data.role == ADMIN_ROLE and not access.has_role(actor, access.ADMIN):
        errors["role"] = ValidationError("只有系统管理员可以签发管理员角色的密钥", code="not_allowed")
    scopes = sorted(set(data.scopes or []))
    if not scopes or set(scopes) - set(SCOPES):
        errors["scopes"] = ValidationError("权限范围只能是 read、write", code="invalid_choice")
    today = timezone.localdate()
    expires_on = data.expires_on or today + dt.timedelta(days=365)
    if expires_on <= today or expires_on > today + MAX_LIFETIME:
        errors["expires_on"] = ValidationError("到期日须在今天之后、一年之内", code="invalid")
    organization = access.get_visible(actor, Organization, data.organization_id)
    access.require(actor, "api.manage_keys", organization)
    if errors:
        raise ValidationError(errors)
    expires_at = timezone.make_aware(dt.datetime.combine(expires_on, dt.time(23, 59, 59)))
    with transaction.atomic():
        key, raw = ApiKey.generate(
            name,
            organization,
            data.role,
            scopes=scopes,
            expires_at=expires_at,
            created_by=actor if getattr(actor, "_meta", None) and actor._meta.model_name == "user" else None,
        )
        audit.record(actor, "api_key.create", key, organization=organization, after=_fields(key))
    return key, raw


def revoke_key(actor, key_id: int) -> ApiKey:
    with transaction.atomic():
        key = access.get_visible(actor, ApiKey.objects.select_for_update(of=("self",)), key_id)
        access.require(actor, "api.manage_keys", key)
        if key.revoked_at is None:
            before = {"is_active": key.is_active, "revoked_at": None}
            key.is_active, key.revoked_at = False, timezone.now()
            key.revoked_by = (
                actor if getattr(actor, "_meta", None) and actor._meta.model_name == "user" else None
            )
            key.save(update_fields=["is_active", "revoked_at", "revoked_by"])
            audit.record(
                actor,
                "api_key.revoke",
                key,
                organization=key.organization,
                before=before,
                after={"is_active": False, "revoked_at": key.revoked_at},
            )
    return key
