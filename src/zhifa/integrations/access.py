"""The integrations' part of the access policy: who sees and replays status deliveries, who pulls
the provincial exports, who works the post-approval checks of 审管联动."""

from __future__ import annotations

from zhifa.core import access
from zhifa.core.scopes import Scope
from zhifa.organizations.models import User

from .models import Delivery, LicenceApproval, PostApprovalCheck, Subscriber

R = User.Role


@access.predicate
def check_of_actors_body(actor, check) -> bool:
    org = getattr(actor, "organization", None)
    return (
        check is None
        or access.has_role(actor, access.ADMIN)
        or (org is not None and check.organization.path.startswith(org.path))
    )


@access.register_visibility(Delivery)
def _deliveries(actor, queryset):
    return queryset if access.has_role(actor, access.ADMIN, R.COMMAND_CENTER) else queryset.none()


@access.register_visibility(Subscriber)
def _subscribers(actor, queryset):
    return queryset if access.has_role(actor, access.ADMIN, R.COMMAND_CENTER) else queryset.none()


@access.register_visibility(PostApprovalCheck)
def _checks(actor, queryset):
    return Scope.for_user(actor).filter(queryset, "organization")


@access.register_visibility(LicenceApproval)
def _approvals(actor, queryset):
    return Scope.for_user(actor).filter(queryset, "supervising_org")


access.permission("integrations.view_deliveries", "查看状态回调记录", (R.COMMAND_CENTER, access.ADMIN))
access.permission("integrations.replay", "重放失败的状态回调", (access.ADMIN,))
access.permission(
    "integrations.export", "拉取省平台增量数据", (R.COMMAND_CENTER, R.GUIDANCE_OFFICE, access.ADMIN)
)
access.permission(
    "integrations.work_post_approval_check",
    "办理批后监管任务",
    (R.OFFICER, R.TOWNSHIP_LEADER, R.DEPARTMENT_ADMIN, access.ADMIN),
    check_of_actors_body,
    refusal="该批后监管任务不属于本单位",
)
