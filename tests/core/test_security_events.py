"""Security events in the audit log and the login limits in the shared cache."""

import pytest

from zhifa.core import audit
from zhifa.core.models import AuditEvent
from zhifa.organizations import services


def _actions():
    return list(AuditEvent.objects.order_by("seq").values_list("action", flat=True))


def test_login_and_logout_through_the_pages_are_audited(client, world):
    response = client.post("/login/", {"username": "officer_a", "password": "correct-horse-battery"})
    assert response.status_code == 302
    client.post("/logout/")
    assert _actions() == ["auth.login", "auth.logout"]
    event = AuditEvent.objects.get(action="auth.login")
    assert event.actor_name == "officer_a" and event.request_id


def test_failed_login_is_audited_without_the_password(client, world):
    client.post("/login/", {"username": "officer_a", "password": "wrong-password-123"})
    event = AuditEvent.objects.get(action="auth.login_failed")
    assert event.after["username"] == "officer_a"
    assert "wrong-password-123" not in str(event.after)


def test_password_change_is_audited(world):
    world.user_a.set_password("another-horse-battery")
    world.user_a.save()
    assert _actions() == ["auth.password_change"]


def test_spraying_one_password_across_accounts_locks_the_address(client, world, settings):
    settings.ZHIFA_LOGIN_ADDRESS_FAILURE_LIMIT = 3
    for name in ("a1", "a2", "a3"):
        client.post("/login/", {"username": name, "password": "Spring2026!"})
    response = client.post("/login/", {"username": "officer_a", "password": "correct-horse-battery"})
    assert response.status_code == 429
    assert "auth.lockout" in _actions()


def test_one_account_from_many_addresses_is_locked(client, world, settings):
    settings.ZHIFA_LOGIN_ACCOUNT_FAILURE_LIMIT = 3
    for n in range(3):
        client.post("/login/", {"username": "officer_a", "password": "bad"}, REMOTE_ADDR=f"10.9.0.{n}")
    response = client.post(
        "/login/", {"username": "officer_a", "password": "correct-horse-battery"}, REMOTE_ADDR="10.9.0.200"
    )
    assert response.status_code == 429


def test_limits_live_in_the_shared_cache(settings):
    assert "redis" in settings.CACHES["default"]["BACKEND"].lower()
    from zhifa.core import limits

    assert limits.hit("t", "x", 60) == 1 and limits.hit("t", "x", 60) == 2 and limits.count("t", "x") == 2


def test_role_grant_and_revoke_are_audited_and_need_the_permission(world):
    from zhifa.core.errors import NotFound, PermissionDenied

    # the bureau administrator cannot reach a township's user: outside his organisation
    with pytest.raises(NotFound):
        services.grant_role(world.bureau_admin, world.user_a.pk, "legal_reviewer")
    with pytest.raises(PermissionDenied):
        services.grant_role(world.user_a, world.user_a.pk, "head")
    grant = services.grant_role(world.guidance_user, world.user_a.pk, "legal_reviewer")
    assert "legal_reviewer" in world.user_a.__class__.objects.get(pk=world.user_a.pk).roles
    services.revoke_role(world.guidance_user, world.user_a.pk, "legal_reviewer")
    assert _actions() == ["role.grant", "role.revoke"]
    assert AuditEvent.objects.get(action="role.grant").object_id == str(grant.pk)


def test_record_view_names_the_fields_not_their_values(world):
    event = audit.record_view(world.leader_a, world.officer_a, ["phone", "id_number"], reason="回访")
    assert event.action == "personal_data.view" and event.after == {
        "fields": ["id_number", "phone"],
        "reason": "回访",
    }
    assert world.officer_a.id_number not in str(event.after)
