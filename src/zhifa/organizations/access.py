"""The roster's part of the access policy: role labels, delegations, what each role sees of the
organisations and officers, and who maintains them (``zhifa.core.access``)."""

from __future__ import annotations

from django.utils import timezone

from zhifa.core import access
from zhifa.core.nav import DEPUTY
from zhifa.core.scopes import Scope

from .models import (
    Certificate,
    Delegation,
    JurisdictionArea,
    Officer,
    Organization,
    RoleGrant,
    StationCoverage,
    User,
)

R = User.Role
access.register_roles({**dict(User.Role.choices), DEPUTY: "受委托的负责人"})

#: Roles that maintain the roster of their own organisation (subtree).
ROSTER_MANAGERS = (R.DEPARTMENT_ADMIN, R.TOWNSHIP_LEADER, R.GUIDANCE_OFFICE, access.ADMIN)
#: Roles that post (下沉) a district officer to a township.
POSTING_MANAGERS = (R.DEPARTMENT_ADMIN, R.GUIDANCE_OFFICE, access.ADMIN)


def organization_of(obj) -> Organization | None:
    """The organisation an object belongs to (its own, its case's, or the object itself)."""
    if obj is None:
        return None
    if isinstance(obj, Organization):
        return obj
    org = getattr(obj, "organization", None)
    if org is None and getattr(obj, "case", None) is not None:
        org = obj.case.organization
    return org


@access.predicate
def in_scope(actor, obj) -> bool:
    """The object's organisation is within the actor's data scope."""
    org = organization_of(obj)
    return org is None or Scope.for_user(actor).covers_organization(org)


def _delegated(actor, permission_name: str, obj) -> bool:
    if not isinstance(actor, User):
        return False
    org = organization_of(obj)
    today = timezone.localdate()
    for delegation in Delegation.objects.filter(deputy=actor, revoked_at__isnull=True).select_related(
        "organization"
    ):
        if (
            permission_name in delegation.permissions
            and delegation.active_on(today)
            and (org is None or org.path.startswith(delegation.organization.path))
        ):
            return True
    return False


access.register_delegation_lookup(_delegated)


@access.register_visibility(Organization)
def _organizations(actor, queryset):
    return queryset  # the organisation tree is public knowledge (published as 执法主体)


@access.register_visibility(Officer)
def _officers(actor, queryset):
    return Scope.for_user(actor).filter(queryset, "organization", "posted_to")


@access.register_visibility(Certificate)
def _certificates(actor, queryset):
    return Scope.for_user(actor).filter(queryset, "officer__organization", "officer__posted_to")


@access.register_visibility(User)
def _users(actor, queryset):
    return Scope.for_user(actor).filter(queryset, "organization")


@access.register_visibility(RoleGrant)
def _grants(actor, queryset):
    return Scope.for_user(actor).filter(queryset, "user__organization")


@access.register_visibility(Delegation)
def _delegations(actor, queryset):
    return Scope.for_user(actor).filter(queryset, "organization")


access.permission(
    "organizations.manage_roster",
    "维护执法人员和执法证",
    ROSTER_MANAGERS,
    in_scope,
    refusal="不能维护本机构以外的执法人员",
)
access.permission(
    "organizations.post_officer",
    "人员下沉",
    POSTING_MANAGERS,
    in_scope,
    refusal="不能调派本机构以外的执法人员",
)
access.permission(
    "organizations.grant_role",
    "授予或撤销角色",
    (R.DEPARTMENT_ADMIN, R.GUIDANCE_OFFICE, access.ADMIN),
    in_scope,
    refusal="只能为本机构的用户授予角色",
)
access.permission(
    "organizations.manage_accounts",
    "开设、停用用户账号和重置密码",
    (R.DEPARTMENT_ADMIN, R.GUIDANCE_OFFICE, access.ADMIN),
    in_scope,
    refusal="只能管理本机构的用户账号",
)
access.permission(
    "organizations.delegate",
    "委托审批事项",
    (R.HEAD,),
    in_scope,
    refusal="只能委托本机关的审批事项",
    basis="《行政处罚法》第五十七条",
)


# ---- 1+X: the stations covering a township (plan 三.(二)3) ----------------------------------


@access.predicate
def township_or_station_in_scope(actor, coverage) -> bool:
    """The township's leaders, or the station's own department, keep a coverage; the 执法指导办 all."""
    if coverage is None:
        return True
    scope = Scope.for_user(actor)
    if scope.everything:
        return True
    station = getattr(coverage, "station", None)
    region_id = getattr(coverage, "region_id", None)
    return bool(
        (station is not None and scope.covers_organization(station))
        or (region_id is not None and scope.township_region_id == region_id)
    )


@access.register_visibility(StationCoverage)
@access.register_visibility(JurisdictionArea)
def _public_geography(actor, queryset):
    return queryset  # which stations cover which township, and the zones' areas, are public knowledge


access.permission(
    "organizations.manage_stations",
    "调整派驻站所覆盖的乡镇（街道）",
    (R.GUIDANCE_OFFICE, R.TOWNSHIP_LEADER, R.DEPARTMENT_ADMIN, access.ADMIN),
    township_or_station_in_scope,
    refusal="只能调整本乡镇（街道）或本部门站所的覆盖范围",
    basis="统一派驻站所管辖范围（“1+X”）",
)
