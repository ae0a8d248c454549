"""API keys for integrations (基层治理四平台, 12345 hotline, provincial systems)."""

from __future__ import annotations

import hashlib
import secrets

from django.db import models

from zhifa.organizations.models import Organization, User


def hash_key(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class ApiKey(models.Model):
    """An integration acts for one organisation in one role, like a user. Only the SHA-256 of
    the key is stored; the key itself is shown once, when created."""

    name = models.CharField("名称", max_length=100)
    organization = models.ForeignKey(Organization, verbose_name="所属机构", on_delete=models.PROTECT, related_name="api_keys")
    role = models.CharField("角色", max_length=30, choices=User.Role.choices, default=User.Role.OFFICER)
    prefix = models.CharField(max_length=12, unique=True)
    key_hash = models.CharField(max_length=64)
    is_active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "接口密钥"
        verbose_name_plural = "接口密钥"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

    @classmethod
    def generate(cls, name: str, organization: Organization, role: str = User.Role.OFFICER) -> tuple[ApiKey, str]:
        prefix = secrets.token_hex(4)
        raw = f"zf_{prefix}_{secrets.token_urlsafe(32)}"
        key = cls.objects.create(name=name, organization=organization, role=role, prefix=prefix, key_hash=hash_key(raw))
        return key, raw

    # The attributes services and scopes read from an actor, so a key acts like a user.
    is_authenticated = True
    is_superuser = False
    officer_id = None

    @property
    def roles(self) -> frozenset[str]:
        return frozenset({self.role})

    def get_username(self) -> str:
        return f"apikey:{self.name}"
