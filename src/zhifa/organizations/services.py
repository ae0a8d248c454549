"""Every write to the roster: officers, certificates (issued, suspended, revoked, ended early),
postings (下沉) and the stations covering each township (1+X). Transactional, permission-checked
(``access.py``) and audited with before and after.

Articles: 行政处罚法第四十二条、第五十五条 (enforcement by certified officers: one whose certificate is
suspended, revoked or ended is refused from that day by every check of a case or an inspection);
the plan's 三.(二)3 (60% of the force in the townships, 1+X stations sharing each township's area,
two certified 执法岗 per township).
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from zhifa.core import access, audit, security_events
from zhifa.core.commands import parse
from zhifa.core.errors import DomainError, NotFound, PermissionDenied, field_error
from zhifa.core.scopes import Scope

from . import rules
from .commands import AccountIn, AccountStatusIn, DelegateIn, MainRoleIn
from .models import Certificate, Delegation, Officer, Organization, Region, StationCoverage, User

OFFICER_FIELDS = (
    "name",
    "gender",
    "id_number",
    "employee_no",
    "phone",
    "kind",
    "organization",
    "posted_to",
    "posted_since",
    "legal_qualified",
    "is_active",
)
CERTIFICATE_FIELDS = (
    "officer",
    "number",
    "domains",
    "issuer",
    "valid_from",
    "valid_to",
    "status",
    "status_reason",
    "status_changed_on",
)
EDITABLE_OFFICER_FIELDS = (
    "name",
    "gender",
    "id_number",
    "employee_no",
    "phone",
    "kind",
    "organization",
    "legal_qualified",
    "is_active",
)


def _require_roster_manager(actor, organization: Organization) -> None:
    access.require(actor, "organizations.manage_roster", organization)


def _locked_officer(actor, officer_id: int) -> Officer:
    """The officer, row-locked for the write, or NotFound when outside the actor's scope."""
    scope = Scope.for_user(actor)
    officer = (
        scope.filter(Officer.objects.select_for_update(of=("self",)), "organization", "posted_to")
        .select_related("organization", "posted_to")
        .filter(pk=officer_id)
        .first()
    )
    if officer is None:
        raise NotFound()
    return officer


@transaction.atomic
def create_officer(actor, data: dict[str, Any]) -> Officer:
    organization = data.get("organization")
    if organization is None:
        raise ValidationError({"organization": ValidationError("请选择所属机构", code="required")})
    _require_roster_manager(actor, organization)
    officer = Officer(**{k: v for k, v in data.items() if k in EDITABLE_OFFICER_FIELDS})
    officer.full_clean()
    officer.save()
    audit.record(actor, "officer.create", officer, after=audit.snapshot(officer, OFFICER_FIELDS))
    return officer


@transaction.atomic
def update_officer(actor, officer_id: int, data: dict[str, Any]) -> Officer:
    officer = _locked_officer(actor, officer_id)
    _require_roster_manager(actor, officer.organization)
    before = audit.snapshot(officer, OFFICER_FIELDS)
    for key, value in data.items():
        if key not in EDITABLE_OFFICER_FIELDS:
            raise ValidationError({key: ValidationError("该字段不能在此修改", code="not_editable")})
        setattr(officer, key, value)
    if "organization" in data:
        _require_roster_manager(actor, officer.organization)
    if (
        officer.kind == Officer.Kind.AUXILIARY
        and officer.certificates.filter(status=Certificate.Status.ACTIVE).exists()
    ):
        raise ValidationError(
            {
                "kind": ValidationError(
                    "持有有效执法证的人员不能改为执法辅助人员，请先注销执法证",
                    code="auxiliary_with_certificate",
                )
            }
        )
    officer.full_clean()
    officer.save()
    audit.record(
        actor, "officer.update", officer, before=before, after=audit.snapshot(officer, OFFICER_FIELDS)
    )
    return officer


@transaction.atomic
def add_certificate(actor, officer_id: int, data: dict[str, Any]) -> Certificate:
    officer = _locked_officer(actor, officer_id)
    _require_roster_manager(actor, officer.organization)
    if not rules.may_hold_certificate(officer.kind):
        raise ValidationError(
            {
                "officer": ValidationError(
                    "执法辅助人员不能持有行政执法证（行政处罚法第四十二条：行政处罚由具有行政执法资格的执法人员实施）",
                    code="auxiliary_no_certificate",
                )
            }
        )
    certificate = Certificate(
        officer=officer, **{k: v for k, v in data.items() if k in CERTIFICATE_FIELDS and k != "officer"}
    )
    if not certificate.domains:
        raise ValidationError({"domains": ValidationError("请至少填写一个执法领域", code="required")})
    certificate.full_clean()
    certificate.save()
    audit.record(
        actor,
        "certificate.create",
        certificate,
        after=audit.snapshot(certificate, CERTIFICATE_FIELDS),
        legal_basis="行政处罚法第四十二条",
    )
    return certificate


#: The changes a certificate's status may take: suspended and reactivated, or revoked for good.
STATUS_CHANGES = {
    Certificate.Status.ACTIVE: {Certificate.Status.SUSPENDED, Certificate.Status.REVOKED},
    Certificate.Status.SUSPENDED: {Certificate.Status.ACTIVE, Certificate.Status.REVOKED},
    Certificate.Status.REVOKED: set(),
}
STATUS_ACTIONS = {
    Certificate.Status.SUSPENDED: "暂扣",
    Certificate.Status.REVOKED: "注销",
    Certificate.Status.ACTIVE: "恢复",
}


def _locked_certificate(actor, certificate_id: int) -> Certificate:
    certificate = Certificate.objects.select_related("officer").filter(pk=certificate_id).first()
    if certificate is None:
        raise NotFound()
    _locked_officer(actor, certificate.officer_id)
    _require_roster_manager(actor, certificate.officer.organization)
    return Certificate.objects.select_for_update().select_related("officer").get(pk=certificate_id)


@transaction.atomic
def set_certificate_status(actor, certificate_id: int, status: str, reason: str = "") -> Certificate:
    """暂扣 (suspend), 注销 (revoke, final) or restore a suspended certificate, with the reason. From
    today the officer is refused as inspector or case officer under it (行政处罚法第四十二条)."""
    if status not in Certificate.Status.values:
        raise ValidationError({"status": ValidationError("证件状态无效", code="invalid_choice")})
    certificate = _locked_certificate(actor, certificate_id)
    if status == certificate.status:
        raise ValidationError(
            {
                "status": ValidationError(
                    f"执法证已是“{certificate.get_status_display()}”状态", code="status_unchanged"
                )
            }
        )
    if status not in STATUS_CHANGES[certificate.status]:
        raise DomainError("certificate_revoked", "已注销的执法证不能恢复，请登记新证", "status")
    reason = (reason or "").strip()
    if actor is not None and len(reason) < 2:
        raise ValidationError(
            {"reason": ValidationError(f"请写明{STATUS_ACTIONS[status]}执法证的理由", code="required")}
        )
    before = audit.snapshot(certificate, CERTIFICATE_FIELDS)
    certificate.status, certificate.status_reason = status, reason[:300]
    certificate.status_changed_on = timezone.localdate()
    certificate.save(update_fields=["status", "status_reason", "status_changed_on"])
    audit.record(
        actor,
        "certificate.status",
        certificate,
        before=before,
        after=audit.snapshot(certificate, CERTIFICATE_FIELDS),
        legal_basis="行政处罚法第四十二条",
    )
    return certificate


@transaction.atomic
def end_certificate(actor, certificate_id: int, last_day: dt.date, reason: str) -> Certificate:
    """End a certificate's validity early (the officer left enforcement, changed post …): valid up to
    and including ``last_day``, never later than it already ends nor before it began."""
    certificate = _locked_certificate(actor, certificate_id)
    if certificate.status == Certificate.Status.REVOKED:
        raise DomainError("certificate_revoked", "已注销的执法证无需终止", "status")
    if not (certificate.valid_from <= last_day < certificate.valid_to):
        raise ValidationError(
            {
                "last_day": ValidationError(
                    f"终止日期应在 {certificate.valid_from:%Y-%m-%d} 至 {certificate.valid_to:%Y-%m-%d} 之间（不含原到期日）",
                    code="last_day_out_of_range",
                )
            }
        )
    if last_day < timezone.localdate() - dt.timedelta(days=1):
        raise ValidationError(
            {
                "last_day": ValidationError(
                    "终止日期不能早于昨天（已发生的执法行为按当时的证件认定）", code="last_day_backdated"
                )
            }
        )
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise ValidationError({"reason": ValidationError("请写明提前终止的理由", code="required")})
    before = audit.snapshot(certificate, CERTIFICATE_FIELDS)
    certificate.valid_to, certificate.status_reason = last_day, f"提前终止：{reason}"[:300]
    certificate.status_changed_on = timezone.localdate()
    certificate.full_clean()
    certificate.save(update_fields=["valid_to", "status_reason", "status_changed_on"])
    audit.record(
        actor,
        "certificate.end",
        certificate,
        before=before,
        after=audit.snapshot(certificate, CERTIFICATE_FIELDS),
        legal_basis="行政处罚法第四十二条",
    )
    return certificate


@transaction.atomic
def post_officer(actor, officer_id: int, region: Region | None, since: dt.date | None = None) -> Officer:
    """下沉: post a district officer to a township (or end the posting with ``region=None``)."""
    officer = _locked_officer(actor, officer_id)
    access.require(actor, "organizations.post_officer", officer.organization)
    if region is not None and not region.is_township:
        raise ValidationError(
            {
                "posted_to": ValidationError(
                    f"“{region.name}”不是乡镇（街道），只能下沉到乡镇（街道）", code="posting_not_township"
                )
            }
        )
    if region is not None and officer.organization.region.is_township:
        raise ValidationError(
            {
                "posted_to": ValidationError(
                    "乡镇（街道）机构的人员本就在乡镇工作，无需下沉", code="posting_township_staff"
                )
            }
        )
    before = audit.snapshot(officer, OFFICER_FIELDS)
    officer.posted_to = region
    officer.posted_since = (since or timezone.localdate()) if region is not None else None
    officer.save(update_fields=["posted_to", "posted_since"])
    audit.record(
        actor,
        "officer.post" if region else "officer.unpost",
        officer,
        before=before,
        after=audit.snapshot(officer, OFFICER_FIELDS),
    )
    return officer


@transaction.atomic
def rotate_credential(actor, officer_id: int) -> Officer:
    """Invalidate every credential QR code issued so far (lost phone, leaked link)."""
    officer = _locked_officer(actor, officer_id)
    if actor.officer_id != officer.pk:
        _require_roster_manager(actor, officer.organization)
    officer.credential_nonce += 1
    officer.save(update_fields=["credential_nonce"])
    audit.record(
        actor, "officer.credential_rotate", officer, after={"credential_nonce": officer.credential_nonce}
    )
    return officer


# ---- roles granted beside the main role (RoleGrant), audited ----------------------------------


@transaction.atomic
def grant_role(actor, user_id: int, role: str):
    """Grant ``role`` to a user of the actor's scope; granting a role held already changes nothing."""
    from .models import RoleGrant, User

    user = access.get_visible(actor, User, user_id)
    access.require(actor, "organizations.grant_role", user)
    _require_grantable(actor, role)
    grant = RoleGrant.objects.filter(user=user, role=role, revoked_at__isnull=True).first()
    if grant is None and user.role != role:
        grant = RoleGrant.objects.create(
            user=user, role=role, granted_by=actor if isinstance(actor, User) else None
        )
        audit.record(
            actor,
            "role.grant",
            grant,
            organization=user.organization,
            after={"user": user.pk, "username": user.get_username(), "role": role},
        )
    user.forget_roles()
    return grant


@transaction.atomic
def revoke_role(actor, user_id: int, role: str):
    from .models import RoleGrant, User

    user = access.get_visible(actor, User, user_id)
    access.require(actor, "organizations.grant_role", user)
    grant = (
        RoleGrant.objects.select_for_update().filter(user=user, role=role, revoked_at__isnull=True).first()
    )
    if grant is None:
        raise NotFound("该用户没有这一授予的角色")
    _end_grant(actor, user, grant)
    user.forget_roles()
    return grant


def _end_grant(actor, user: User, grant) -> None:
    grant.revoked_at = timezone.now()
    grant.revoked_by = actor if isinstance(actor, User) else None
    grant.save(update_fields=["revoked_at", "revoked_by"])
    audit.record(
        actor,
        "role.revoke",
        grant,
        organization=user.organization,
        before={"user": user.pk, "role": grant.role},
        after={"revoked_at": grant.revoked_at},
    )


@transaction.atomic
def change_main_role(actor, user_id: int, data) -> User:
    """A person's job changed (an officer becomes head of the body, a reviewer goes back to
    enforcement): his main role is replaced, with the reason; a grant of the new role is taken
    back with it (the main role carries it now). Nobody changes his own."""
    from .models import RoleGrant

    data = parse(MainRoleIn, data)
    user = access.get_visible(actor, User.objects.select_for_update(), user_id)
    access.require(actor, "organizations.grant_role", user)
    if getattr(actor, "pk", None) == user.pk:
        raise field_error("role", "不能更改自己的主要角色", "self")
    if data.role == user.role:
        raise field_error("role", f"主要角色已是“{user.get_role_display()}”", "role_unchanged")
    _require_grantable(actor, data.role)
    reason = data.reason.strip()
    if len(reason) < 2:
        raise field_error("reason", "请写明更改主要角色的理由", "required")
    before = user.role
    user.role = data.role
    user.save(update_fields=["role"])
    for grant in RoleGrant.objects.select_for_update().filter(
        user=user, role=data.role, revoked_at__isnull=True
    ):
        _end_grant(actor, user, grant)
    audit.record(
        actor,
        "role.change_main",
        user,
        organization=user.organization,
        before={"role": before},
        after={"role": data.role, "reason": reason},
    )
    user.forget_roles()
    return user


# ---- accounts: opened, stopped and reset by the administrator of the scope, audited ------------

ACCOUNTS = "organizations.manage_accounts"
#: No 0/O, 1/l/I: an initial password is read off a screen and typed on a phone.
_PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _initial_password() -> str:
    """Twelve random letters and digits (both present): given once, changed at the first login."""
    while True:
        password = "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(12))
        if any(c.isdigit() for c in password) and any(c.isalpha() for c in password):
            return password


def _require_grantable(actor, role: str) -> None:
    """A role that exists, and the district-wide ones only from the guidance office."""
    if role not in User.Role.values:
        raise field_error("role", "未知角色", "invalid_choice")
    if role in rules.DISTRICT_ROLES and not access.has_role(actor, User.Role.GUIDANCE_OFFICE, access.ADMIN):
        raise PermissionDenied(
            f"“{User.Role(role).label}”角色只能由执法指导办授予",
            roles=[User.Role.GUIDANCE_OFFICE, access.ADMIN],
        )


def _account_officer(organization: Organization, employee_no: str, role: str) -> Officer | None:
    """The roster entry an account stands for: required for an officer's account (his cases and
    inspections are signed with his certificate), in the account's organisation, without one yet."""
    if not employee_no:
        if role == User.Role.OFFICER:
            raise field_error(
                "officer_employee_no", "执法人员账号须对应执法人员名册中的人员，请填写工号", "required"
            )
        return None
    officer = (
        Officer.objects.filter(
            employee_no=employee_no, organization__path__startswith=organization.path, is_active=True
        )
        .select_for_update(of=("self",))
        .first()
    )
    if officer is None:
        raise field_error(
            "officer_employee_no",
            f"{organization.name}的执法人员名册中没有在职的工号“{employee_no}”",
            "not_found",
        )
    if User.objects.filter(officer=officer).exists():
        raise field_error(
            "officer_employee_no", f"{officer.name}（工号{employee_no}）已有账号", "has_account"
        )
    return officer


@transaction.atomic
def create_account(actor, data) -> tuple[User, str]:
    """Open an account in the actor's scope; the account and its initial password (shown once, to
    be changed at the first login). The password is never stored or recorded in clear."""
    data = parse(AccountIn, data)
    organization = access.get_visible(actor, Organization, data.organization_id)
    access.require(actor, ACCOUNTS, organization)
    _require_grantable(actor, data.role)
    if User.objects.filter(username__iexact=data.username).exists():
        raise field_error("username", f"用户名“{data.username}”已被使用", "unique")
    officer = _account_officer(organization, data.officer_employee_no.strip(), data.role)
    display_name = data.display_name.strip() or (officer.name if officer else "")
    if not display_name:
        raise field_error("display_name", "请填写姓名", "required")
    password = _initial_password()
    user = User(
        username=data.username,
        display_name=display_name,
        organization=organization,
        role=data.role,
        officer=officer,
        legal_qualification_number=data.legal_qualification_number.strip(),
        password_must_change=True,
    )
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    audit.record(
        actor,
        "account.create",
        user,
        organization=organization,
        after={
            "username": user.username,
            "display_name": display_name,
            "role": user.role,
            "officer": officer.pk if officer else None,
        },
    )
    return user, password


def _locked_account(actor, user_id: int) -> User:
    user = access.get_visible(actor, User.objects.select_for_update(of=("self",)), user_id)
    access.require(actor, ACCOUNTS, user)
    return user


@transaction.atomic
def set_account_active(actor, user_id: int, data) -> User:
    """停用 (the person can no longer sign in; his sessions stop authenticating) or 启用 again."""
    data = parse(AccountStatusIn, data)
    user = _locked_account(actor, user_id)
    reason = data.reason.strip()
    if user.is_active == data.active:
        raise field_error(
            "active", "账号已是启用状态" if data.active else "账号已是停用状态", "status_unchanged"
        )
    if not data.active and getattr(actor, "pk", None) == user.pk:
        raise field_error("active", "不能停用自己的账号", "self")
    if len(reason) < 2:
        raise field_error(
            "reason", "请写明停用账号的理由" if not data.active else "请写明启用账号的理由", "required"
        )
    user.is_active = data.active
    user.save(update_fields=["is_active"])
    audit.record(
        actor,
        "account.activate" if data.active else "account.deactivate",
        user,
        organization=user.organization,
        before={"is_active": not data.active},
        after={"is_active": data.active, "reason": reason},
    )
    return user


@transaction.atomic
def reset_password(actor, user_id: int) -> tuple[User, str]:
    """A new initial password for a person who forgot his (shown once, changed at the next login);
    his login locks are lifted. The administrator never learns the person's own password."""
    user = _locked_account(actor, user_id)
    if getattr(actor, "pk", None) == user.pk:
        raise field_error("user", "请在“我的账号”中修改自己的密码", "self")
    if not user.is_active:
        raise field_error("user", "账号已停用，请先启用", "inactive")
    password = _initial_password()
    user.set_password(password)
    user.password_must_change = True
    user.save(update_fields=["password", "password_must_change"])
    security_events.lift_lockouts(user.username)
    audit.record(actor, "account.password_reset", user, organization=user.organization)
    return user, password


# ---- 审批委托: the head delegates named approvals to a deputy (《行政处罚法》第五十七条) ----------

DELEGATION_BASIS = "《行政处罚法》第五十七条"
DELEGATION_FIELDS = ("organization", "deputy", "permissions", "granted_by", "valid_from", "valid_to")


def delegable_permissions() -> dict[str, str]:
    """The approvals a head may delegate (``delegable=True`` in the access policy): name → label."""
    return {name: perm.label for name, perm in access.permissions().items() if perm.delegable}


def _delegating_body(actor, organization_id: int | None) -> Organization:
    """The body the head delegates for: the one named (in his scope), else his own body."""
    if organization_id is not None:
        body = access.get_visible(actor, Organization, organization_id, input_field="organization_id")
    else:
        own = getattr(actor, "organization", None)
        if own is None:
            raise ValidationError({"organization_id": ValidationError("请选择机关", code="required")})
        body = own.body()
    if not body.is_enforcement_body:
        raise ValidationError(
            {
                "organization_id": ValidationError(
                    f"“{body.name}”不是执法主体，不能委托审批事项", code="not_a_body"
                )
            }
        )
    return body


@transaction.atomic
def delegate(actor, data) -> Delegation:
    """The head of a body names a deputy of the same body and the approvals he may give for it,
    from ``valid_from`` to ``valid_to`` (open-ended when empty). A head cannot delegate to himself."""
    command = DelegateIn.parse(data) if not isinstance(data, DelegateIn) else data
    body = _delegating_body(actor, command.organization_id)
    access.require(actor, "organizations.delegate", body)
    if not isinstance(actor, User):
        raise PermissionDenied("审批委托须由机关负责人本人办理", roles=[User.Role.HEAD])
    deputy = access.get_visible(
        actor, User.objects.select_related("organization"), command.deputy_id, input_field="deputy_id"
    )
    if deputy.pk == getattr(actor, "pk", None):
        raise ValidationError(
            {"deputy_id": ValidationError("不能委托给本人，请选择分管负责人", code="self_delegation")}
        )
    if (
        deputy.organization is None
        or not deputy.organization.path.startswith(body.path)
        or not deputy.is_active
    ):
        raise ValidationError(
            {
                "deputy_id": ValidationError(
                    f"受委托的负责人须为{body.name}的在职用户", code="deputy_outside_body"
                )
            }
        )
    allowed = delegable_permissions()
    unknown = [name for name in command.permissions if name not in allowed]
    if unknown:
        raise ValidationError(
            {
                "permissions": ValidationError(
                    f"“{'、'.join(unknown)}”不是可以委托的审批事项", code="not_delegable"
                )
            }
        )
    if command.valid_to is not None and command.valid_to < command.valid_from:
        raise ValidationError(
            {"valid_to": ValidationError("截止日期不能早于起始日期", code="valid_to_before_valid_from")}
        )
    delegation = Delegation.objects.create(
        organization=body,
        deputy=deputy,
        granted_by=actor,
        permissions=list(dict.fromkeys(command.permissions)),
        valid_from=command.valid_from,
        valid_to=command.valid_to,
    )
    audit.record(
        actor,
        "delegation.create",
        delegation,
        organization=body,
        after=audit.snapshot(delegation, DELEGATION_FIELDS),
        legal_basis=DELEGATION_BASIS,
    )
    return delegation


@transaction.atomic
def revoke_delegation(actor, delegation_id: int) -> Delegation:
    """The head takes a delegation back; from now the deputy no longer gives those approvals."""
    delegation = access.get_visible(
        actor,
        Delegation.objects.select_for_update(of=("self",)).select_related("organization"),
        delegation_id,
    )
    access.require(actor, "organizations.delegate", delegation.organization)
    if delegation.revoked_at is not None:
        raise DomainError("delegation_revoked", "该委托已撤销", "delegation")
    delegation.revoked_at = timezone.now()
    delegation.save(update_fields=["revoked_at"])
    audit.record(
        actor,
        "delegation.revoke",
        delegation,
        organization=delegation.organization,
        before=audit.snapshot(delegation, DELEGATION_FIELDS),
        after={"revoked_at": delegation.revoked_at},
        legal_basis=DELEGATION_BASIS,
    )
    return delegation


# ---------------------------------------------------------------------------------------------
# 1+X: stations covering townships
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def cover_township(actor, station_id: int, region: Region, since: dt.date | None = None) -> StationCoverage:
    """A station (综合执法中队, 市场监管所, 自然资源所, 司法所 …) takes on a township's area."""
    station = access.get_visible(actor, Organization.objects.select_for_update(), station_id)
    if station.kind != Organization.Kind.DISPATCHED_STATION:
        raise ValidationError(
            {"station": ValidationError(f"“{station.name}”不是派驻站所", code="not_a_station")}
        )
    if not region.is_township:
        raise ValidationError(
            {"region": ValidationError(f"“{region.name}”不是乡镇（街道）", code="not_a_township")}
        )
    coverage = StationCoverage(station=station, region=region, since=since or timezone.localdate())
    access.require(actor, "organizations.manage_stations", coverage)
    if StationCoverage.objects.filter(station=station, region=region).exists():
        raise ValidationError(
            {"station": ValidationError(f"{station.name}已覆盖{region.name}", code="already_covered")}
        )
    coverage.save()
    audit.record(
        actor,
        "station.cover",
        coverage,
        after={"station": station.pk, "region": region.pk, "since": coverage.since},
    )
    return coverage


@transaction.atomic
def uncover_township(actor, coverage_id: int) -> None:
    """A station gives up a township's area; it keeps at least the township it sits in."""
    coverage = access.get_visible(
        actor, StationCoverage.objects.select_for_update().select_related("station"), coverage_id
    )
    access.require(actor, "organizations.manage_stations", coverage)
    if coverage.region_id == coverage.station.region_id:
        raise DomainError("station_home_township", "派驻站所不能退出其所在的乡镇（街道）", "region")
    before = {"station": coverage.station_id, "region": coverage.region_id, "since": coverage.since}
    pk = coverage.pk
    coverage.delete()
    audit.record(
        actor, "station.uncover", object_type="organizations.StationCoverage", object_id=pk, before=before
    )
