"""Pages where authority is given and taken back, each act by the person who holds the power:

* 用户与角色 — a department administrator (or the 执法指导办) lists the user accounts of his scope
  with their roles, grants a role (法制审核人员, 机关负责人 …) and takes a granted one back; opens
  an account (for a roster officer by his 工号), stops or restarts one with the reason, and gives a
  new initial password to a person who forgot his (shown once, changed at the next login);
* 审批委托 — the head of a body (机关负责人) names a deputy and the approvals he may give for the
  body in a period, and revokes it (《行政处罚法》第五十七条); a deputy sees what was delegated to him.

Views parse, call one selector or service, render; every id goes through the actor's scope."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from zhifa.core import access
from zhifa.core.errors import DomainError, NotFound, PermissionDenied, user_message
from zhifa.core.exports import wants_xlsx, xlsx_response
from zhifa.core.scopes import Scope
from zhifa.core.web import service_view

from . import rules, selectors, services
from .authority_forms import (
    AccountForm,
    AccountStatusForm,
    DelegationForm,
    GrantRoleForm,
    MainRoleForm,
    UserFilterForm,
)
from .forms import add_service_errors
from .models import User

PAGE_SIZE = 50
GRANT = "organizations.grant_role"
ACCOUNTS = services.ACCOUNTS
DELEGATE = "organizations.delegate"


def _granted(user) -> str:
    return "、".join(
        f"{g.get_role_display()}（{g.granted_by or '系统'} {timezone.localtime(g.granted_at):%Y-%m-%d}授予）"
        for g in user.active_grants
    )


@service_view
def user_list(request):
    access.require(request.user, GRANT)
    filters = UserFilterForm(request.GET, selectors.organization_choices(Scope.for_user(request.user)))
    values = filters.values()
    users = selectors.users(request.user, organization=values["organization"], role=values["role"])
    if values["q"]:
        users = users.filter(Q(username__icontains=values["q"]) | Q(display_name__icontains=values["q"]))
    if wants_xlsx(request):
        return xlsx_response(
            "用户与角色",
            "用户与角色",
            ["用户名", "姓名", "机构", "主要角色", "授予的角色", "状态"],
            (
                [
                    u.username,
                    str(u),
                    u.organization.name if u.organization else "",
                    u.get_role_display(),
                    _granted(u),
                    "启用" if u.is_active else "停用",
                ]
                for u in users
            ),
        )
    page = Paginator(users, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "organizations/user_list.html",
        {"filters": filters, "page": page, "may_open": access.can(request.user, ACCOUNTS)},
    )


def _render_user(request, user_id: int, form=None):
    target = selectors.user_detail(request.user, user_id)
    may_grant = access.can(request.user, GRANT, target)
    form = form or GrantRoleForm(held=target.roles)
    return render(
        request,
        "organizations/user_detail.html",
        {
            "target": target,
            "may_grant": may_grant,
            "form": form if may_grant else None,
            "may_manage": access.can(request.user, ACCOUNTS, target) and target.pk != request.user.pk,
            "status_form": AccountStatusForm(),
            "main_role_form": MainRoleForm(current=target.role)
            if may_grant and target.pk != request.user.pk
            else None,
            "past_grants": selectors.past_grants(target)[:20],
        },
    )


@service_view
def user_detail(request, user_id: int):
    access.require(request.user, GRANT)
    if request.method != "POST":
        return _render_user(request, user_id)
    target = selectors.user_detail(request.user, user_id)
    form = GrantRoleForm(request.POST, held=target.roles)
    if form.is_valid():
        role = form.cleaned_data["role"]
        try:
            services.grant_role(request.user, target.pk, role)
        except (ValidationError, DomainError) as exc:
            if isinstance(exc, ValidationError):
                add_service_errors(form, exc)
            else:
                form.add_error(None, user_message(exc))
        else:
            messages.success(request, f"已授予{target}“{User.Role(role).label}”角色")
            return redirect("organizations:user_detail", user_id=target.pk)
    return _render_user(request, user_id, form)


@service_view
@require_POST
def user_main_role(request, user_id: int):
    target = selectors.user_detail(request.user, user_id)
    data = {"role": request.POST.get("role", ""), "reason": request.POST.get("reason", "")}
    try:
        user = services.change_main_role(request.user, target.pk, data)
    except (ValidationError, DomainError) as exc:
        messages.error(request, user_message(exc))
    else:
        messages.success(request, f"已将{target}的主要角色改为“{user.get_role_display()}”")
    return redirect("organizations:user_detail", user_id=target.pk)


@service_view
@require_POST
def user_revoke_role(request, user_id: int):
    target = selectors.user_detail(request.user, user_id)
    role = request.POST.get("role", "")
    try:
        services.revoke_role(request.user, target.pk, role)
    except NotFound:
        messages.error(request, "角色：该用户没有这一授予的角色，无需收回")
    except (ValidationError, DomainError) as exc:
        messages.error(request, user_message(exc))
    else:
        messages.success(request, f"已收回{target}的“{User.Role(role).label}”角色")
    return redirect("organizations:user_detail", user_id=target.pk)


# ---- accounts --------------------------------------------------------------------------------


def _issued(request, target: User, password: str, what: str):
    """The initial password, shown on this one answer only: never stored, and the views that call
    this are ``never_cache`` (no-store)."""
    return render(
        request, "organizations/account_issued.html", {"target": target, "password": password, "what": what}
    )


@service_view
@never_cache
def user_create(request):
    actor = request.user
    access.require(actor, ACCOUNTS)
    district = access.has_role(actor, User.Role.GUIDANCE_OFFICE, access.ADMIN)
    form = AccountForm(
        request.POST if request.method == "POST" else None,
        organizations=selectors.organization_choices(Scope.for_user(actor)),
        roles=[(v, label) for v, label in User.Role.choices if district or v not in rules.DISTRICT_ROLES],
        initial={"organization_id": getattr(actor, "organization_id", None), "role": User.Role.OFFICER},
    )
    if request.method == "POST" and form.is_valid():
        try:
            target, password = services.create_account(actor, form.command_data())
        except ValidationError as exc:
            add_service_errors(form, exc)
        except DomainError as exc:
            form.add_error(None, user_message(exc))
        else:
            return _issued(request, target, password, "已开设账号")
    return render(request, "organizations/user_form.html", {"form": form})


@service_view
@require_POST
def user_status(request, user_id: int):
    target = selectors.user_detail(request.user, user_id)
    active = request.POST.get("active") == "true"
    try:
        services.set_account_active(
            request.user, target.pk, {"active": active, "reason": request.POST.get("reason", "")}
        )
    except (ValidationError, DomainError) as exc:
        messages.error(request, user_message(exc))
    else:
        messages.success(request, f"已{'启用' if active else '停用'}{target}的账号")
    return redirect("organizations:user_detail", user_id=target.pk)


@service_view
@never_cache
@require_POST
def user_password_reset(request, user_id: int):
    target = selectors.user_detail(request.user, user_id)
    try:
        target, password = services.reset_password(request.user, target.pk)
    except (ValidationError, DomainError) as exc:
        messages.error(request, user_message(exc))
        return redirect("organizations:user_detail", user_id=target.pk)
    return _issued(request, target, password, "已重置密码")


# ---- 审批委托 ----------------------------------------------------------------------------------


def _rows(delegations, labels: dict[str, str], today):
    return [
        {
            "delegation": d,
            "status": (
                status := rules.delegation_status(d.valid_from, d.valid_to, d.revoked_at is not None, today)
            ),
            "status_label": rules.DELEGATION_STATUS_LABELS[status],
            "approvals": [labels.get(name, name) for name in d.permissions],
        }
        for d in delegations
    ]


@service_view
def delegation_list(request):
    actor = request.user
    bodies = selectors.delegating_bodies(actor)
    mine = list(selectors.delegations_to(actor))
    if not bodies and not mine:
        access.require(actor, DELEGATE)  # names who may delegate (机关负责人)
        raise PermissionDenied("您不是执法主体的机关负责人，也没有受托的审批事项")
    labels = services.delegable_permissions()
    today = timezone.localdate()
    form = None
    if bodies:
        deputies = selectors.deputy_choices(actor, bodies[0])
        for body in bodies[1:]:
            deputies = deputies | selectors.deputy_choices(actor, body)
        form = DelegationForm(
            request.POST if request.method == "POST" else None,
            bodies=bodies,
            deputies=deputies,
            permissions=labels,
            initial={"valid_from": today},
        )
        if request.method == "POST" and form.is_valid():
            try:
                delegation = services.delegate(actor, form.command_data())
            except ValidationError as exc:
                add_service_errors(form, exc)
            except DomainError as exc:
                form.add_error(None, user_message(exc))
            else:
                messages.success(
                    request, f"已将{len(delegation.permissions)}项审批事项委托给{delegation.deputy}"
                )
                return redirect("organizations:delegation_list")
    elif request.method == "POST":
        access.require(actor, DELEGATE)
    return render(
        request,
        "organizations/delegation_list.html",
        {
            "bodies": bodies,
            "form": form,
            "rows": _rows(selectors.delegations(actor, bodies), labels, today) if bodies else [],
            "mine": _rows(mine, labels, today),
            "basis": services.DELEGATION_BASIS,
        },
    )


@service_view
@require_POST
def delegation_revoke(request, delegation_id: int):
    try:
        delegation = services.revoke_delegation(request.user, delegation_id)
    except (ValidationError, DomainError) as exc:
        messages.error(request, user_message(exc))
    else:
        messages.success(request, f"已撤销对{delegation.deputy}的审批委托")
    return redirect("organizations:delegation_list")
