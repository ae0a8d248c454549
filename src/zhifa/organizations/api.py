"""Roster endpoints: regions, organisations, officers, certificates, postings, staffing indicators."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from ninja import Field, Query, Router, Status
from ninja.pagination import paginate

from zhifa.core.pagination import Pagination
from zhifa.core.schema import Schema
from zhifa.core.scopes import Scope

from . import selectors, services
from .commands import AccountIn, AccountStatusIn, DelegateIn, MainRoleIn, RoleGrantIn
from .models import Officer, Organization, Region

router = Router(tags=["执法力量"])


class RegionOut(Schema):
    id: int
    code: str
    name: str
    level: str


class OrganizationOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str = Field(alias="get_kind_display")
    parent_id: int | None
    region_id: int
    headcount: int
    officer_count: int


class CertificateOut(Schema):
    id: int
    number: str
    domains: list[str]
    issuer: str
    valid_from: dt.date
    valid_to: dt.date
    status: str


class OfficerOut(Schema):
    id: int
    name: str
    employee_no: str
    kind: str
    organization_id: int
    organization_name: str
    posted_to_id: int | None
    is_active: bool
    has_valid_certificate: bool

    # A resolver rather than a dotted alias: same value, faster lists (zhifa.core.labels).
    @staticmethod
    def resolve_organization_name(obj) -> str:
        return obj.organization.name


class OfficerDetailOut(OfficerOut):
    gender: str
    phone: str
    legal_qualified: bool
    posted_since: dt.date | None
    certificates: list[CertificateOut]

    @staticmethod
    def resolve_certificates(obj):
        return list(obj.certificates.all())


class OfficerIn(Schema):
    name: str
    id_number: str
    employee_no: str
    organization_id: int
    kind: str = Officer.Kind.ENFORCEMENT
    gender: str = ""
    phone: str = ""
    legal_qualified: bool = False


class OfficerPatch(Schema):
    name: str | None = None
    phone: str | None = None
    kind: str | None = None
    legal_qualified: bool | None = None
    is_active: bool | None = None


class CertificateIn(Schema):
    number: str
    domains: list[str]
    valid_from: dt.date
    valid_to: dt.date
    issuer: str = "浙江省人民政府"


class PostingIn(Schema):
    region_id: int | None
    since: dt.date | None = None


class OfficerFilters(Schema):
    organization_id: int | None = None
    kind: str | None = None
    certificate: str | None = None
    posted: bool | None = None
    q: str | None = None


class StaffingOut(Schema):
    enforcement_staff: int
    in_townships: int
    township_share: Decimal
    goal: Decimal
    meets_goal: bool
    townships_short_of_certified: list[dict]


def _scope(request) -> Scope:
    return Scope.for_user(request.auth)


def _field_lookup(model, field: str, pk: int | None):
    if pk is None:
        return None
    obj = model.objects.filter(pk=pk).first()
    if obj is None:
        raise ValidationError({field: ValidationError("所选记录不存在", code="does_not_exist")})
    return obj


@router.get("/regions", response=list[RegionOut], summary="行政区划")
def list_regions(request):
    return list(Region.objects.order_by("code"))


@router.get("/organizations", response=list[OrganizationOut], summary="机构树（按路径排序）")
def list_organizations(request):
    return list(selectors.organizations(_scope(request)))


@router.get("/officers", response=list[OfficerOut], summary="执法人员列表")
@paginate(Pagination, page_size=50)
def list_officers(request, filters: Query[OfficerFilters]):
    return selectors.officers(_scope(request), **filters.dict())


@router.get("/officers/{officer_id}", response=OfficerDetailOut, summary="执法人员详情")
def get_officer(request, officer_id: int):
    return selectors.officer_detail(_scope(request), officer_id)


@router.post("/officers", response={201: OfficerDetailOut}, summary="新增执法人员")
def create_officer(request, payload: OfficerIn):
    data = payload.dict()
    data["organization"] = _field_lookup(Organization, "organization_id", data.pop("organization_id"))
    officer = services.create_officer(request.auth, data)
    return Status(201, selectors.officer_detail(_scope(request), officer.pk))


@router.patch("/officers/{officer_id}", response=OfficerDetailOut, summary="修改执法人员")
def update_officer(request, officer_id: int, payload: OfficerPatch):
    services.update_officer(request.auth, officer_id, payload.dict(exclude_unset=True))
    return selectors.officer_detail(_scope(request), officer_id)


@router.post("/officers/{officer_id}/certificates", response={201: CertificateOut}, summary="登记执法证")
def add_certificate(request, officer_id: int, payload: CertificateIn):
    return Status(201, services.add_certificate(request.auth, officer_id, payload.dict()))


@router.post(
    "/officers/{officer_id}/posting", response=OfficerDetailOut, summary="下沉到乡镇（街道）或结束下沉"
)
def post_officer(request, officer_id: int, payload: PostingIn):
    region = _field_lookup(Region, "region_id", payload.region_id)
    services.post_officer(request.auth, officer_id, region, payload.since)
    return selectors.officer_detail(_scope(request), officer_id)


@router.get("/indicators/staffing", response=StaffingOut, summary="力量下沉指标")
def staffing(request):
    scope = _scope(request)
    indicators = selectors.staffing_indicators(scope)
    short = [
        {"region_id": r.pk, "code": r.code, "name": r.name, "certified": r.certified}
        for r in selectors.townships_short_of_certified(scope)
    ]
    return {**indicators.__dict__, "meets_goal": indicators.meets_goal, "townships_short_of_certified": short}


# ---- roles and delegations: acts of the administrator and of the head ------------------------


class GrantOut(Schema):
    id: int
    user_id: int
    role: str
    granted_by_id: int | None
    granted_at: dt.datetime
    revoked_at: dt.datetime | None


class DelegationOut(Schema):
    id: int
    organization_id: int
    deputy_id: int
    permissions: list[str]
    granted_by_id: int
    valid_from: dt.date
    valid_to: dt.date | None
    revoked_at: dt.datetime | None


class AccountOut(Schema):
    id: int
    username: str
    display_name: str
    organization_id: int | None
    role: str
    officer_id: int | None
    is_active: bool
    password_must_change: bool


class AccountIssuedOut(Schema):
    """The initial password is in this answer only: it is not stored in clear anywhere."""

    account: AccountOut
    initial_password: str


@router.post("/users", response={201: AccountIssuedOut}, summary="开设账号（返回一次性初始密码）")
def create_account(request, payload: AccountIn):
    user, password = services.create_account(request.auth, payload)
    return Status(201, {"account": user, "initial_password": password})


@router.post("/users/{user_id}/status", response=AccountOut, summary="停用或启用账号")
def set_account_status(request, user_id: int, payload: AccountStatusIn):
    return services.set_account_active(request.auth, user_id, payload)


@router.post(
    "/users/{user_id}/password/reset", response=AccountIssuedOut, summary="重置密码（返回一次性初始密码）"
)
def reset_password(request, user_id: int):
    user, password = services.reset_password(request.auth, user_id)
    return {"account": user, "initial_password": password}


@router.post("/users/{user_id}/roles", response={201: GrantOut, 200: dict}, summary="授予角色")
def grant_role(request, user_id: int, payload: RoleGrantIn):
    grant = services.grant_role(request.auth, user_id, payload.role)
    if grant is None:
        return 200, {"detail": "该角色是用户的主要角色，无需授予"}
    return Status(201, grant)


@router.post("/users/{user_id}/role", response=AccountOut, summary="更改主要角色")
def change_main_role(request, user_id: int, payload: MainRoleIn):
    return services.change_main_role(request.auth, user_id, payload)


@router.delete("/users/{user_id}/roles/{role}", response=GrantOut, summary="收回授予的角色")
def revoke_role(request, user_id: int, role: str):
    return services.revoke_role(request.auth, user_id, role)


@router.get("/delegations", response=list[DelegationOut], summary="本机关的审批委托及委托本人的审批事项")
def list_delegations(request):
    bodies = selectors.delegating_bodies(request.auth)
    own = list(selectors.delegations(request.auth, bodies)) if bodies else []
    return own + [d for d in selectors.delegations_to(request.auth) if d not in own]


@router.post("/delegations", response={201: DelegationOut}, summary="委托审批事项（行政处罚法第五十七条）")
def create_delegation(request, payload: DelegateIn):
    return Status(201, services.delegate(request.auth, payload))


@router.post("/delegations/{delegation_id}/revoke", response=DelegationOut, summary="撤销审批委托")
def revoke_delegation(request, delegation_id: int):
    return services.revoke_delegation(request.auth, delegation_id)
