"""API keys: issued by administrators for their own organisation, with scopes and expiry, audited."""

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.conftest import new_user
from zhifa.api import services
from zhifa.api.models import ApiKey
from zhifa.core.errors import NotFound, PermissionDenied
from zhifa.core.models import AuditEvent
from zhifa.organizations.models import User


def _new(org, **extra):
    return services.NewKey(name="四平台", organization_id=org.pk, role="officer", **extra)


def test_department_admin_issues_a_key_for_his_own_organisation(world):
    key, raw = services.create_key(world.bureau_admin, _new(world.bureau, scopes=["read"]))
    assert raw.startswith("zf_") and key.scopes == ["read"] and key.expires_at > timezone.now()
    event = AuditEvent.objects.get(action="api_key.create")
    assert event.after["prefix"] == key.prefix and raw not in json.dumps(event.after)


def test_no_key_for_another_organisation(world):
    with pytest.raises((PermissionDenied, NotFound)):
        services.create_key(world.bureau_admin, _new(world.team_a))


def test_other_roles_cannot_issue_keys(world):
    with pytest.raises(PermissionDenied):
        services.create_key(world.leader_a, _new(world.team_a))


def test_only_a_superuser_issues_an_administrator_key(world):
    with pytest.raises(ValidationError) as exc:
        services.create_key(world.bureau_admin, services.NewKey("x", world.bureau.pk, "admin", ["read"]))
    assert "role" in exc.value.error_dict
    root = new_user("root", None, User.Role.OFFICER, is_superuser=True, is_staff=True)
    key, _ = services.create_key(root, services.NewKey("x", world.bureau.pk, "admin", ["read"]))
    assert key.role == "admin"


def test_expiry_must_be_within_a_year(world):
    with pytest.raises(ValidationError):
        services.create_key(
            world.bureau_admin, _new(world.bureau, expires_on=timezone.localdate() + dt.timedelta(days=800))
        )


def test_read_scope_cannot_write_and_expired_or_revoked_keys_are_refused(client, world):
    key, raw = services.create_key(world.bureau_admin, _new(world.bureau, scopes=["read"]))
    assert client.get("/api/v1/officers", HTTP_X_API_KEY=raw).status_code == 200
    response = client.post(
        "/api/v1/dispatch/incidents", data="{}", content_type="application/json", HTTP_X_API_KEY=raw
    )
    assert response.status_code == 403 and response.json()["code"] == "scope_denied"
    ApiKey.objects.filter(pk=key.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert client.get("/api/v1/officers", HTTP_X_API_KEY=raw).status_code == 401
    ApiKey.objects.filter(pk=key.pk).update(expires_at=None)
    services.revoke_key(world.bureau_admin, key.pk)
    assert client.get("/api/v1/officers", HTTP_X_API_KEY=raw).status_code == 401
    assert AuditEvent.objects.filter(action="api_key.revoke").count() == 1


def test_key_page_issues_shows_the_secret_once_and_revokes(client, world):
    client.force_login(world.bureau_admin)
    response = client.post(
        "/api-keys/",
        {
            "name": "热线",
            "organization": world.bureau.pk,
            "role": "officer",
            "scopes": ["read", "write"],
            "expires_on": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
        },
    )
    assert response.status_code == 200
    key = ApiKey.objects.get(name="热线")
    assert "zf_" + key.prefix in response.content.decode()
    assert "zf_" + key.prefix not in client.get("/api-keys/").content.decode()
    client.post(f"/api-keys/{key.pk}/revoke/")
    key.refresh_from_db()
    assert key.revoked_at is not None


def test_key_page_is_refused_to_other_roles(client, world):
    client.force_login(world.user_a)
    assert client.get("/api-keys/").status_code == 403
