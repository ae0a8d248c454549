"""Authority given and taken back by the person who holds it: a department administrator grants and
revokes roles on the 用户与角色 page; the head of a body delegates named approvals to a deputy for a
period and revokes them (《行政处罚法》第五十七条). Ids outside the actor's scope are 404, other roles 403."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.conftest import new_officer, new_user
from zhifa.core import access
from zhifa.core.errors import DomainError, NotFound, PermissionDenied
from zhifa.core.models import AuditEvent
from zhifa.organizations import rules, services
from zhifa.organizations.models import Delegation, RoleGrant, User

TODAY = timezone.localdate()


@pytest.fixture
def bw(world):
    """The bureau's people: a colleague of the administrator, its head and a deputy."""
    world.colleague = new_user("colleague", world.bureau, User.Role.OFFICER, world.bureau_officer)
    world.head = new_user("bureau_head", world.bureau, User.Role.HEAD, display_name="王局长")
    world.deputy = new_user(
        "bureau_deputy", world.bureau, User.Role.OFFICER, new_officer(world.bureau), display_name="周副局长"
    )
    world.head_a = new_user("head_a", world.team_a, User.Role.HEAD)
    world.team_a.is_enforcement_body = True
    world.team_a.save(update_fields=["is_enforcement_body"])
    return world


def _fresh(user) -> User:
    return User.objects.get(pk=user.pk)


# ---- roles -----------------------------------------------------------------------------------


def test_department_admin_grants_and_revokes_a_role_audited(bw):
    services.grant_role(bw.bureau_admin, bw.colleague.pk, User.Role.LEGAL_REVIEWER)
    assert User.Role.LEGAL_REVIEWER in _fresh(bw.colleague).roles
    grant = RoleGrant.objects.get(user=bw.colleague, revoked_at__isnull=True)
    assert grant.granted_by == bw.bureau_admin
    services.revoke_role(bw.bureau_admin, bw.colleague.pk, User.Role.LEGAL_REVIEWER)
    assert User.Role.LEGAL_REVIEWER not in _fresh(bw.colleague).roles
    actions = list(
        AuditEvent.objects.filter(action__startswith="role.").order_by("seq").values_list("action", flat=True)
    )
    assert actions == ["role.grant", "role.revoke"]


def test_role_pages_list_grant_and_revoke(bw, login):
    client = login(bw.bureau_admin)
    services.grant_role(bw.guidance_user, bw.head.pk, User.Role.OFFICER)
    page = client.get("/org/users/").content.decode()
    assert "王局长" in page and "colleague" in page and "钱" not in page  # 执法指导办's own users stay out
    assert "甲镇" not in page and "leader_a" not in page  # another body's users are not listed
    assert "执法人员" in page and "guidance" in page  # the grant shows with who granted it
    assert "王局长" in client.get("/org/users/", {"role": "officer"}).content.decode()
    assert "王局长" not in client.get("/org/users/", {"role": "legal_reviewer"}).content.decode()

    url = f"/org/users/{bw.colleague.pk}/"
    refused = client.post(url, {"role": "legal_reviewer"})  # not confirmed
    assert refused.status_code == 200 and "请勾选“确认授予”" in refused.content.decode()
    assert not RoleGrant.objects.filter(user=bw.colleague).exists()
    unknown = client.post(url, {"role": "emperor", "confirm": "on"})
    assert unknown.status_code == 200 and "授予角色" in unknown.content.decode()
    assert not RoleGrant.objects.filter(user=bw.colleague).exists()

    assert client.post(url, {"role": "legal_reviewer", "confirm": "on"}).status_code == 302
    assert User.Role.LEGAL_REVIEWER in _fresh(bw.colleague).roles
    detail = client.get(url).content.decode()
    assert "法制审核人员" in detail and "确认收回" in detail

    # the colleague sees the review queue on his next page
    home = login(bw.colleague).get("/").content.decode()
    assert "/cases/reviews/" in home

    client = login(bw.bureau_admin)
    assert (
        client.post(f"/org/users/{bw.colleague.pk}/roles/revoke/", {"role": "legal_reviewer"}).status_code
        == 302
    )
    assert User.Role.LEGAL_REVIEWER not in _fresh(bw.colleague).roles
    again = client.post(
        f"/org/users/{bw.colleague.pk}/roles/revoke/", {"role": "legal_reviewer"}, follow=True
    )
    assert "没有这一授予的角色" in again.content.decode()
    assert "/cases/reviews/" not in login(bw.colleague).get("/").content.decode()


def test_users_of_another_body_are_not_found(bw, login):
    with pytest.raises(NotFound):
        services.grant_role(bw.bureau_admin, bw.user_a.pk, User.Role.HEAD)
    client = login(bw.bureau_admin)
    assert client.get(f"/org/users/{bw.user_a.pk}/").status_code == 404
    assert client.post(f"/org/users/{bw.user_a.pk}/", {"role": "head", "confirm": "on"}).status_code == 404
    assert client.post(f"/org/users/{bw.user_a.pk}/roles/revoke/", {"role": "head"}).status_code == 404
    assert not RoleGrant.objects.filter(user=bw.user_a).exists()


def test_an_officer_may_not_grant_roles(bw, login):
    with pytest.raises(PermissionDenied) as exc:
        services.grant_role(bw.colleague, bw.deputy.pk, User.Role.HEAD)
    assert "部门管理员" in exc.value.message
    client = login(bw.colleague)
    assert client.get("/org/users/").status_code == 403
    assert client.post(f"/org/users/{bw.deputy.pk}/", {"role": "head", "confirm": "on"}).status_code == 403
    assert "/org/users/" not in client.get("/").content.decode()  # no menu entry either
    assert "/org/users/" in login(bw.bureau_admin).get("/").content.decode()


def test_district_roles_are_granted_by_the_guidance_office_only(bw):
    with pytest.raises(PermissionDenied):
        services.grant_role(bw.bureau_admin, bw.colleague.pk, User.Role.GUIDANCE_OFFICE)
    services.grant_role(bw.guidance_user, bw.colleague.pk, User.Role.COMMAND_CENTER)
    assert User.Role.COMMAND_CENTER in _fresh(bw.colleague).roles


# ---- delegations (《行政处罚法》第五十七条) -----------------------------------------------------


def _delegation(**overrides):
    return {
        "deputy_id": overrides.pop("deputy_id"),
        "permissions": ["cases.approve_filing"],
        "valid_from": TODAY.isoformat(),
        **overrides,
    }


def test_the_head_delegates_and_revokes_and_the_deputy_acts_only_meanwhile(bw):
    assert not access.can(bw.deputy, "cases.approve_filing", bw.bureau)
    delegation = services.delegate(
        bw.head, _delegation(deputy_id=bw.deputy.pk, valid_to=(TODAY + dt.timedelta(days=30)).isoformat())
    )
    assert delegation.organization == bw.bureau and delegation.granted_by == bw.head
    assert access.can(bw.deputy, "cases.approve_filing", bw.bureau)
    assert not access.can(bw.deputy, "cases.decide", bw.bureau)  # only what was named
    assert not access.can(bw.deputy, "cases.approve_filing", bw.team_a)  # only for the body
    services.revoke_delegation(bw.head, delegation.pk)
    assert not access.can(bw.deputy, "cases.approve_filing", bw.bureau)
    with pytest.raises(DomainError):
        services.revoke_delegation(bw.head, delegation.pk)
    events = list(AuditEvent.objects.filter(action__startswith="delegation.").order_by("seq"))
    assert [e.action for e in events] == ["delegation.create", "delegation.revoke"]
    assert (
        events[0].after["permissions"] == ["cases.approve_filing"] and "第五十七条" in events[0].legal_basis
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"valid_to": (TODAY - dt.timedelta(days=1)).isoformat()}, "valid_to"),
        ({"permissions": ["organizations.grant_role"]}, "permissions"),  # not a delegable approval
        ({"permissions": ["cases.deliberate"]}, "permissions"),  # 集体讨论 is the heads' own
        ({"permissions": []}, "permissions"),
        ({"valid_from": "明天"}, "valid_from"),
        ({"reason": "x"}, "reason"),  # unknown fields are errors
    ],
)
def test_a_delegation_is_refused_naming_the_field(bw, change, field):
    with pytest.raises(ValidationError) as exc:
        services.delegate(bw.head, {**_delegation(deputy_id=bw.deputy.pk), **change})
    assert field in exc.value.message_dict
    assert not Delegation.objects.exists()


def test_no_delegation_to_oneself_or_outside_the_body(bw):
    with pytest.raises(ValidationError) as exc:
        services.delegate(bw.head, _delegation(deputy_id=bw.head.pk))
    assert "不能委托给本人" in exc.value.message_dict["deputy_id"][0]
    with pytest.raises(ValidationError) as exc:  # another township's user: not even visible
        services.delegate(bw.head, _delegation(deputy_id=bw.user_a.pk))
    assert "deputy_id" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:  # a district user the bureau's head cannot name
        services.delegate(bw.head, _delegation(deputy_id=bw.guidance_user.pk))
    assert "deputy_id" in exc.value.message_dict
    assert not Delegation.objects.exists()


def test_only_the_head_of_the_body_delegates_or_revokes(bw):
    with pytest.raises(PermissionDenied) as exc:
        services.delegate(bw.colleague, _delegation(deputy_id=bw.deputy.pk))
    assert "机关负责人" in exc.value.message
    with pytest.raises(PermissionDenied):  # the department administrator holds no such power either
        services.delegate(bw.bureau_admin, _delegation(deputy_id=bw.deputy.pk))
    with pytest.raises(PermissionDenied) as exc:  # another body's head names the bureau (the tree is public)
        services.delegate(bw.head_a, _delegation(deputy_id=bw.user_a.pk, organization_id=bw.bureau.pk))
    assert "只能委托本机关" in exc.value.message
    delegation = services.delegate(bw.head, _delegation(deputy_id=bw.deputy.pk))
    with pytest.raises(NotFound):
        services.revoke_delegation(bw.head_a, delegation.pk)
    with pytest.raises(PermissionDenied):
        services.revoke_delegation(bw.deputy, delegation.pk)
    assert Delegation.objects.get().revoked_at is None


def test_delegation_page_for_the_head_and_the_deputy(bw, login):
    client = login(bw.head)
    page = client.get("/org/delegations/").content.decode()
    assert "立案、不予立案、撤销立案审批" in page and "周副局长" in page and "暂无审批委托" in page
    bad = client.post(
        "/org/delegations/",
        {
            "organization_id": bw.bureau.pk,
            "deputy_id": bw.deputy.pk,
            "permissions": ["cases.approve_filing"],
            "valid_from": "2026-03-10",
            "valid_to": "2026-03-01",
        },
    )
    assert bad.status_code == 200 and "截止日期不能早于起始日期" in bad.content.decode()
    none = client.post("/org/delegations/", {"organization_id": bw.bureau.pk, "deputy_id": bw.deputy.pk})
    assert "请至少选择一项委托的审批事项" in none.content.decode()
    assert not Delegation.objects.exists()
    created = client.post(
        "/org/delegations/",
        {
            "organization_id": bw.bureau.pk,
            "deputy_id": bw.deputy.pk,
            "permissions": ["cases.approve_filing", "cases.approve_closing"],
            "valid_from": TODAY.isoformat(),
        },
    )
    assert created.status_code == 302
    delegation = Delegation.objects.get()
    listed = client.get("/org/delegations/").content.decode()
    assert "结案审批" in listed and "生效中" in listed and "确认撤销" in listed

    mine = login(bw.deputy).get("/org/delegations/").content.decode()
    assert (
        "委托我办理的审批事项" in mine
        and "立案、不予立案、撤销立案审批" in mine
        and "新增审批委托" not in mine
    )
    assert login(bw.deputy).post(f"/org/delegations/{delegation.pk}/revoke/").status_code == 403
    assert login(bw.colleague).get("/org/delegations/").status_code == 403  # neither head nor deputy
    assert login(bw.head_a).post(f"/org/delegations/{delegation.pk}/revoke/").status_code == 404

    client = login(bw.head)
    assert client.post(f"/org/delegations/{delegation.pk}/revoke/").status_code == 302
    assert "已撤销" in client.get("/org/delegations/").content.decode()
    assert not access.can(bw.deputy, "cases.approve_filing", bw.bureau)


def test_a_deputy_finds_the_approvals_inbox_while_the_delegation_is_in_force(bw, login):
    """第五十七条: the deputy approves what the head named, so he needs the inbox in his menu and
    a 待审批 section on his desk — only while the delegation is in force."""

    def home(user):
        return login(user).get("/").content.decode()

    assert "deputy" not in _fresh(bw.deputy).roles
    assert 'href="/cases/approvals/"' not in home(bw.deputy)
    delegation = services.delegate(bw.head, _delegation(deputy_id=bw.deputy.pk))
    assert "deputy" in _fresh(bw.deputy).roles and "deputy" not in _fresh(bw.colleague).roles
    page = home(bw.deputy)
    assert 'href="/cases/approvals/"' in page and "待审批" in page
    assert 'href="/org/delegations/"' in page  # 审批委托 in his menu: what he may approve, until when
    inbox = login(bw.deputy).get("/cases/approvals/").content.decode()
    assert 'href="/org/delegations/"' in inbox  # what he may approve, and until when
    assert 'href="/cases/approvals/"' not in home(bw.colleague)  # an officer without a delegation
    services.revoke_delegation(bw.head, delegation.pk)
    page = home(bw.deputy)
    assert 'href="/cases/approvals/"' not in page and 'href="/org/delegations/"' not in page


def test_delegation_status_rule():
    """《行政处罚法》第五十七条: the deputy approves only while the delegation is in force."""
    day = dt.date(2026, 5, 1)
    assert rules.delegation_status(day, None, False, day) == "active"
    assert rules.delegation_status(day, day, False, day) == "active"
    assert rules.delegation_status(day, day, False, day + dt.timedelta(days=1)) == "expired"
    assert rules.delegation_status(day + dt.timedelta(days=1), None, False, day) == "pending"
    assert rules.delegation_status(day, None, True, day) == "revoked"


# ---- the same acts over the API ({code, message, field} errors) -----------------------------


def test_roles_and_delegations_over_the_api(bw, login):
    client = login(bw.bureau_admin)
    url = f"/api/v1/users/{bw.colleague.pk}/roles"
    granted = client.post(url, {"role": "legal_reviewer"}, content_type="application/json")
    assert granted.status_code == 201 and granted.json()["role"] == "legal_reviewer"
    bad = client.post(url, {"role": "emperor"}, content_type="application/json")
    assert bad.status_code == 422 and "role" in bad.content.decode()
    assert (
        client.post(
            f"/api/v1/users/{bw.user_a.pk}/roles", {"role": "head"}, content_type="application/json"
        ).status_code
        == 404
    )
    assert client.delete(f"{url}/legal_reviewer").status_code == 200
    assert User.Role.LEGAL_REVIEWER not in _fresh(bw.colleague).roles
    assert login(bw.colleague).post(url, {"role": "head"}, content_type="application/json").status_code == 403

    client = login(bw.head)
    body = {
        "deputy_id": bw.deputy.pk,
        "permissions": ["cases.approve_filing"],
        "valid_from": TODAY.isoformat(),
    }
    wrong = client.post(
        "/api/v1/delegations", {**body, "valid_to": "2000-01-01"}, content_type="application/json"
    )
    assert wrong.status_code == 422
    assert any(e.get("field") == "valid_to" for e in wrong.json()["errors"]), wrong.json()
    unknown = client.post("/api/v1/delegations", {**body, "approve": True}, content_type="application/json")
    assert unknown.status_code == 422
    created = client.post("/api/v1/delegations", body, content_type="application/json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert [d["id"] for d in login(bw.deputy).get("/api/v1/delegations").json()] == [pk]
    assert login(bw.head_a).post(f"/api/v1/delegations/{pk}/revoke").status_code == 404
    revoked = login(bw.head).post(f"/api/v1/delegations/{pk}/revoke")
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
