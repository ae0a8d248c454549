"""API keys for integrations (基层治理四平台, 12345 hotline, provincial systems)."""

from __future__ import annotations

import hashlib
import secrets

from django.db import models
from django.utils import timezone

from zhifa.organizations.models import Organization, User

#: What a key may do: ``read`` (GET) and ``write`` (every other method).
SCOPES = {"read": "读取", "write": "写入（推送、操作）"}
ADMIN_ROLE = "admin"
ROLE_CHOICES = [*User.Role.choices, (ADMIN_ROLE, "系统管理员")]


def hash_key(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class ApiKey(models.Model):
    """An integration acts for one organisation in one role, like a user, within its scopes and
    until it expires. Only the SHA-256 of the key is stored; the key itself is shown once, when
    created. Keys are created and revoked by administrators (``zhifa.api.services``), audited."""

    name = models.CharField("名称", max_length=100)
    organization = models.ForeignKey(
        Organization, verbose_name="所属机构", on_delete=models.PROTECT, related_name="api_keys"
    )
    role = models.CharField("角色", max_length=30, choices=ROLE_CHOICES, default=User.Role.OFFICER)
    scopes = models.JSONField("权限范围", default=list, blank=True, help_text="read、write")
    prefix = models.CharField(max_length=12, unique=True)
    key_hash = models.CharField(max_length=64)
    is_active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        User, verbose_name="签发人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    expires_at = models.DateTimeField("到期时间", null=True, blank=True)
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, verbose_name="撤销人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "接口密钥"
        verbose_name_plural = "接口密钥"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

    @classmethod
    def generate(
        cls,
        name: str,
        organization: Organization,
        role: str = User.Role.OFFICER,
        *,
        scopes: list[str] | None = None,
        expires_at=None,
        created_by=None,
    ) -> tuple[ApiKey, str]:
        prefix = secrets.token_hex(4)
        raw = f"zf_{prefix}_{secrets.token_urlsafe(32)}"
        key = cls.objects.create(
            name=name,
            organization=organization,
            role=role,
            prefix=prefix,
            key_hash=hash_key(raw),
            scopes=list(scopes if scopes is not None else SCOPES),
            expires_at=expires_at,
            created_by=created_by,
        )
        return key, raw

    def usable(self, now=None) -> bool:
        now = now or timezone.now()
        return (
            self.is_active and self.revoked_at is None and (self.expires_at is None or self.expires_at > now)
        )

    def allows(self, method: str) -> bool:
        """Whether the key's scopes cover an HTTP method (no scopes listed: every method, as before scopes)."""
        scopes = set(self.scopes or SCOPES)
        return ("read" in scopes) if method in ("GET", "HEAD", "OPTIONS") else ("write" in scopes)

    # The attributes services and scopes read from an actor, so a key acts like a user.
    is_authenticated = True
    is_superuser = False
    officer_id = None

    @property
    def roles(self) -> frozenset[str]:
        return frozenset({self.role})

    def get_username(self) -> str:
        return f"apikey:{self.name}"
