"""Accounts kept by the administrator of the scope, never by a developer: he opens an account for a
roster officer by his 工号 (an initial password shown once), the person must choose his own password
before anything else, the administrator stops and restarts an account with the reason and gives a
new initial password to a person who forgot his (lifting the login lock). Every act is audited
without the password; ids outside the scope are 404, other roles 403."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tests.conftest import new_officer, new_user
from zhifa.core import limits
from zhifa.core.errors import NotFound, PermissionDenied
from zhifa.core.models import AuditEvent
from zhifa.organizations import services
from zhifa.organizations.models import User

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _signs_in(client, username: str, password: str) -> bool:
    """Through the login form (the lockout middleware and backend see a real request)."""
    client.logout()
    return client.post("/login/", {"username": username, "password": password}).status_code == 302


def _account(world, **overrides):
    officer = overrides.pop("officer", None) or new_officer(world.bureau, name="新队员")
    return {
        "username": "xin_duiyuan",
        "organization_id": world.bureau.pk,
        "role": User.Role.OFFICER,
        "officer_employee_no": officer.employee_no,
        **overrides,
    }


def test_the_administrator_opens_an_account_for_a_roster_officer(world):
    officer = new_officer(world.bureau, name="新队员")
    user, password = services.create_account(world.bureau_admin, _account(world, officer=officer))
    assert user.officer == officer and user.display_name == "新队员" and user.organization == world.bureau
    assert user.password_must_change and user.check_password(password)
    assert len(password) == 12 and any(c.isdigit() for c in password)
    event = AuditEvent.objects.get(action="account.create")
    assert event.object_id == str(user.pk) and password not in str(event.after)
    assert event.after["officer"] == officer.pk


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"officer_employee_no": ""}, "officer_employee_no", "required"),
        ({"officer_employee_no": "NOPE1"}, "officer_employee_no", "not_found"),
        ({"username": "bureau_admin"}, "username", "unique"),
        ({"username": "BUREAU_ADMIN"}, "username", "unique"),
        ({"username": "有空格 的名字"}, "username", None),
        ({"role": "emperor"}, "role", "invalid_choice"),
        ({"role": User.Role.HEAD, "officer_employee_no": "", "display_name": ""}, "display_name", "required"),
    ],
)
def test_an_account_is_refused_naming_the_field(world, change, field, code):
    with pytest.raises(ValidationError) as exc:
        services.create_account(world.bureau_admin, _account(world, **change))
    assert field in exc.value.error_dict
    if code:
        assert exc.value.error_dict[field][0].code == code
    assert not User.objects.filter(username__in=["xin_duiyuan", "有空格 的名字"]).exists()


def test_an_officer_has_one_account_from_his_own_organisation(world):
    with pytest.raises(ValidationError) as exc:  # another body's roster
        services.create_account(
            world.bureau_admin, _account(world, officer=new_officer(world.team_a), username="other")
        )
    assert exc.value.error_dict["officer_employee_no"][0].code == "not_found"
    with pytest.raises(ValidationError) as exc:  # 甲镇队员 signs in as officer_a already
        services.create_account(
            world.guidance_user,
            _account(world, officer=world.officer_a, username="dup", organization_id=world.team_a.pk),
        )
    assert exc.value.error_dict["officer_employee_no"][0].code == "has_account"
    assert not User.objects.filter(username__in=["other", "dup"]).exists()


def test_scope_and_roles_decide_who_opens_which_account(world):
    with pytest.raises(PermissionDenied) as exc:  # another body (the organisation tree is public)
        services.create_account(world.bureau_admin, _account(world, organization_id=world.team_a.pk))
    assert exc.value.message == "只能管理本机构的用户账号"
    with pytest.raises(PermissionDenied):
        services.create_account(world.user_a, _account(world, organization_id=world.team_a.pk))
    with pytest.raises(PermissionDenied) as exc:  # district roles: the guidance office only
        services.create_account(
            world.bureau_admin,
            _account(world, role=User.Role.COMMAND_CENTER, officer_employee_no="", display_name="指挥员"),
        )
    assert "执法指导办" in exc.value.message
    user, _ = services.create_account(
        world.guidance_user,
        _account(world, role=User.Role.COMMAND_CENTER, officer_employee_no="", display_name="指挥员"),
    )
    assert user.role == User.Role.COMMAND_CENTER
    assert not User.objects.filter(organization=world.team_a, username="xin_duiyuan").exists()


def test_stopped_and_restarted_with_the_reason(world, client):
    target = new_user("stopme", world.bureau, User.Role.OFFICER, new_officer(world.bureau))
    with pytest.raises(ValidationError) as exc:
        services.set_account_active(world.bureau_admin, target.pk, {"active": False, "reason": ""})
    assert "reason" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        services.set_account_active(
            world.bureau_admin, world.bureau_admin.pk, {"active": False, "reason": "调离"}
        )
    assert exc.value.error_dict["active"][0].code == "self"

    client.force_login(target, backend=MODEL_BACKEND)
    assert client.get("/").status_code == 200
    services.set_account_active(world.bureau_admin, target.pk, {"active": False, "reason": "调离本单位"})
    assert not User.objects.get(pk=target.pk).is_active
    assert client.get("/").status_code == 302  # his open session no longer signs him in
    assert _signs_in(client, "stopme", "correct-horse-battery") is False
    with pytest.raises(ValidationError):
        services.set_account_active(world.bureau_admin, target.pk, {"active": False, "reason": "再停"})
    services.set_account_active(world.bureau_admin, target.pk, {"active": True, "reason": "回到本单位"})
    assert _signs_in(client, "stopme", "correct-horse-battery") is True
    events = list(AuditEvent.objects.filter(action__startswith="account.").order_by("seq"))
    assert [e.action for e in events] == ["account.deactivate", "account.activate"]
    assert events[0].after["reason"] == "调离本单位"
    with pytest.raises(NotFound):  # another body's account
        services.set_account_active(world.bureau_admin, world.user_a.pk, {"active": False, "reason": "调离"})


def test_a_new_initial_password_lifts_the_lock_and_must_be_changed(world):
    target = new_user("forgot", world.bureau, User.Role.OFFICER, new_officer(world.bureau))
    for _ in range(20):
        limits.record_login_failure("forgot", None)
    assert limits.login_blocked("forgot", None)
    user, password = services.reset_password(world.bureau_admin, target.pk)
    assert user.check_password(password) and not user.check_password("correct-horse-battery")
    assert User.objects.get(pk=target.pk).password_must_change
    assert limits.login_blocked("forgot", None) is None
    assert AuditEvent.objects.filter(action="account.password_reset", object_id=str(target.pk)).count() == 1
    with pytest.raises(ValidationError):  # his own: on 我的账号, with the current password
        services.reset_password(world.bureau_admin, world.bureau_admin.pk)
    with pytest.raises(NotFound):
        services.reset_password(world.bureau_admin, world.user_a.pk)


def test_a_new_initial_password_lifts_the_lock_on_the_address_too(world, client, settings):
    """Locked out after too many failures from his own computer (django-axes: name and address),
    the person signs in with the new initial password at once, not after the cool-off time."""
    target = new_user("locked", world.bureau, User.Role.OFFICER, new_officer(world.bureau))
    for _ in range(settings.AXES_FAILURE_LIMIT):
        assert not _signs_in(client, "locked", "wrong-password")
    assert not _signs_in(client, "locked", "correct-horse-battery")  # locked: the right one fails too
    _user, password = services.reset_password(world.bureau_admin, target.pk)
    assert _signs_in(client, "locked", password)


def test_the_pages_open_an_account_and_the_person_chooses_his_password_first(world, login):
    officer = new_officer(world.bureau, name="新队员")
    client = login(world.bureau_admin)
    assert "/org/users/new/" in client.get("/org/users/").content.decode()
    form = client.get("/org/users/new/").content.decode()
    assert "指挥中心" not in form  # a district role is not offered to a department administrator
    refused = client.post(
        "/org/users/new/", {"username": "xin", "organization_id": world.bureau.pk, "role": "officer"}
    )
    assert refused.status_code == 200 and "请填写工号" in refused.content.decode()
    answer = client.post(
        "/org/users/new/",
        {
            "username": "xin",
            "organization_id": world.bureau.pk,
            "role": "officer",
            "officer_employee_no": officer.employee_no,
        },
    )
    page = answer.content.decode()
    assert answer.status_code == 200 and "已开设账号" in page and "no-store" in answer["Cache-Control"]
    user = User.objects.get(username="xin")
    password = page.split("data-initial-password>")[1].split("<")[0]
    assert user.check_password(password)

    client.logout()
    assert _signs_in(client, "xin", password) is True
    assert client.get("/").url == "/account/password/"  # every page leads to the password form
    assert client.get("/cases/").url == "/account/password/"
    assert "初始密码只用于首次登录" in client.get("/account/password/").content.decode()
    changed = client.post(
        "/account/password/",
        {"old_password": password, "new_password1": "Zhifa-new-2026!", "new_password2": "Zhifa-new-2026!"},
    )
    assert changed.status_code == 302
    assert not User.objects.get(pk=user.pk).password_must_change
    assert client.get("/").status_code == 200


def test_the_user_page_stops_an_account_and_resets_a_password(world, login):
    target = new_user("stopme", world.bureau, User.Role.OFFICER, new_officer(world.bureau))
    client = login(world.bureau_admin)
    detail = client.get(f"/org/users/{target.pk}/").content.decode()
    assert "停用账号" in detail and "重置密码" in detail
    assert "停用账号" not in client.get(f"/org/users/{world.bureau_admin.pk}/").content.decode()
    refused = client.post(f"/org/users/{target.pk}/status/", {"active": "false", "reason": ""}, follow=True)
    assert "请写明停用账号的理由" in refused.content.decode() and User.objects.get(pk=target.pk).is_active
    stopped = client.post(
        f"/org/users/{target.pk}/status/", {"active": "false", "reason": "调离"}, follow=True
    )
    assert "已停用" in stopped.content.decode() and not User.objects.get(pk=target.pk).is_active
    client.post(f"/org/users/{target.pk}/status/", {"active": "true", "reason": "回到本单位"})
    reset = client.post(f"/org/users/{target.pk}/password/reset/")
    assert reset.status_code == 200 and "已重置密码" in reset.content.decode()
    assert client.get(f"/org/users/{target.pk}/password/reset/").status_code == 405
    assert (
        client.post(
            f"/org/users/{world.user_a.pk}/status/", {"active": "false", "reason": "调离"}
        ).status_code
        == 404
    )
    assert client.post(f"/org/users/{world.user_a.pk}/password/reset/").status_code == 404
    officer_client = login(world.user_a)
    assert officer_client.get("/org/users/new/").status_code == 403
    assert officer_client.post(f"/org/users/{world.user_a.pk}/password/reset/").status_code == 403


def test_accounts_over_the_api(world, login):
    officer = new_officer(world.bureau, name="接口队员")
    client = login(world.bureau_admin)
    account = {
        "username": "api_xin",
        "organization_id": world.bureau.pk,
        "role": "officer",
        "officer_employee_no": officer.employee_no,
    }
    created = client.post("/api/v1/users", account, content_type="application/json")
    assert created.status_code == 201, created.content
    body = created.json()
    user = User.objects.get(username="api_xin")
    assert body["account"]["id"] == user.pk and user.check_password(body["initial_password"])
    bad = client.post("/api/v1/users", account, content_type="application/json")  # the same again
    assert bad.status_code == 422 and "username" in bad.content.decode()
    stopped = client.post(
        f"/api/v1/users/{user.pk}/status",
        {"active": False, "reason": "调离"},
        content_type="application/json",
    )
    assert stopped.status_code == 200 and stopped.json()["is_active"] is False
    reset = client.post(f"/api/v1/users/{user.pk}/password/reset")
    assert reset.status_code == 422  # a stopped account is started again first
    assert client.post(f"/api/v1/users/{world.user_a.pk}/password/reset").status_code == 404


# ---- the main role: changed when the person's job changes ----


def test_the_main_role_changes_with_a_reason_and_is_audited(world):
    target = new_user("zhuanggang", world.bureau, User.Role.OFFICER, new_officer(world.bureau))
    services.grant_role(world.bureau_admin, target.pk, User.Role.LEGAL_REVIEWER)
    user = services.change_main_role(
        world.bureau_admin, target.pk, {"role": User.Role.LEGAL_REVIEWER, "reason": "调任法制科"}
    )
    assert User.objects.get(pk=target.pk).role == User.Role.LEGAL_REVIEWER
    assert user.roles == frozenset({User.Role.LEGAL_REVIEWER})  # the officer's role is gone
    assert not target.role_grants.filter(revoked_at__isnull=True).exists()  # carried by the main role now
    event = AuditEvent.objects.get(action="role.change_main")
    assert event.before == {"role": "officer"}
    assert event.after == {"role": "legal_reviewer", "reason": "调任法制科"}


@pytest.mark.parametrize(
    ("who", "data", "field", "code"),
    [
        ("target", {"role": "head", "reason": ""}, "reason", "required"),
        ("target", {"role": "officer", "reason": "无变化"}, "role", "role_unchanged"),
        ("target", {"role": "emperor", "reason": "升任"}, "role", "invalid_choice"),
        ("self", {"role": "head", "reason": "自己提拔"}, "role", "self"),
    ],
)
def test_a_main_role_change_is_refused_naming_the_field(world, who, data, field, code):
    target = new_user("gangwei", world.bureau, User.Role.OFFICER, new_officer(world.bureau))
    user_id = world.bureau_admin.pk if who == "self" else target.pk
    with pytest.raises(ValidationError) as refused:
        services.change_main_role(world.bureau_admin, user_id, data)
    assert refused.value.error_dict[field][0].code == code
    assert not AuditEvent.objects.filter(action="role.change_main").exists()


def test_a_main_role_change_stays_in_scope_and_district_roles_stay_with_the_guidance_office(world):
    target = new_user("gangwei2", world.bureau, User.Role.OFFICER, new_officer(world.bureau))
    with pytest.raises(NotFound):  # a township's user, outside the bureau's scope
        services.change_main_role(world.bureau_admin, world.user_a.pk, {"role": "head", "reason": "升任"})
    with pytest.raises(PermissionDenied):
        services.change_main_role(
            world.bureau_admin, target.pk, {"role": User.Role.COMMAND_CENTER, "reason": "调指挥中心"}
        )
    services.change_main_role(
        world.guidance_user, target.pk, {"role": User.Role.COMMAND_CENTER, "reason": "调指挥中心"}
    )
    assert User.objects.get(pk=target.pk).role == User.Role.COMMAND_CENTER


def test_the_user_page_changes_the_main_role(world, client):
    target = new_user(
        "yemian", world.bureau, User.Role.OFFICER, new_officer(world.bureau), display_name="叶面"
    )
    client.force_login(world.bureau_admin)
    page = client.get(f"/org/users/{target.pk}/").content.decode()
    assert "更改主要角色" in page
    answer = client.post(f"/org/users/{target.pk}/role/", {"role": "head", "reason": ""}, follow=True)
    assert "请写明更改主要角色的理由" in answer.content.decode()
    answer = client.post(f"/org/users/{target.pk}/role/", {"role": "head", "reason": "任局领导"}, follow=True)
    assert "已将叶面的主要角色改为“机关负责人”" in answer.content.decode()
    assert User.objects.get(pk=target.pk).role == User.Role.HEAD
    own = client.get(f"/org/users/{world.bureau_admin.pk}/").content.decode()
    assert "更改主要角色" not in own
