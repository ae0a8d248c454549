"""Smart enforcement's part of the access policy.

Devices and their events belong to the body that uses them; campaigns to their lead, and are seen
by every participating body and by the townships they cover; a task by its body and its township.
Department administrators (and the command centre, the guidance office) keep the devices; legal
reviewers review them (第四十一条: 法制审核); officers review events; the lead's managers run campaigns
and the participating bodies' officers record results."""

from __future__ import annotations

from django.db.models import Q

from zhifa.cases.models import ReviewCentre
from zhifa.core import access
from zhifa.core.scopes import Scope
from zhifa.organizations.access import in_scope, organization_of
from zhifa.organizations.models import Organization, User

from .models import Campaign, CampaignPlan, CampaignTask, Device, DeviceEvent, DeviceEvidence

R = User.Role


def _centre_bodies(actor):
    own = getattr(actor, "organization", None)
    if own is None or not access.has_role(actor, R.LEGAL_REVIEWER):
        return []
    return list(
        Organization.objects.filter(
            review_centres__is_active=True, review_centres__organization__path__in=_prefixes(own.path)
        ).distinct()
    )


@access.register_visibility(Device)
def _devices(actor, queryset):
    """The body's devices; a review centre's reviewers also see the devices of the bodies it serves."""
    condition = Scope.for_user(actor).q("organization", "township")
    for body in _centre_bodies(actor):
        condition |= Q(organization__path__startswith=body.path)
    return queryset.filter(condition)


@access.register_visibility(DeviceEvent)
def _events(actor, queryset):
    return queryset.filter(device__in=access.visible_to(actor, Device).values("pk"))


@access.register_visibility(DeviceEvidence)
def _evidence(actor, queryset):
    return queryset.filter(event__in=access.visible_to(actor, DeviceEvent).values("pk"))


@access.register_visibility(Campaign)
def _campaigns(actor, queryset):
    scope = Scope.for_user(actor)
    if scope.everything:
        return queryset
    if scope.is_empty:
        return queryset.none()
    condition = Q(lead__path__startswith=scope.org_path) | Q(bodies__path__startswith=scope.org_path)
    if scope.township_region_id:
        condition |= Q(townships=scope.township_region_id)
    return queryset.filter(pk__in=Campaign.objects.filter(condition).values("pk"))


@access.register_visibility(CampaignTask)
def _tasks(actor, queryset):
    scope = Scope.for_user(actor)
    if scope.everything:
        return queryset
    if scope.is_empty:
        return queryset.none()
    condition = Q(organization__path__startswith=scope.org_path) | Q(
        campaign__lead__path__startswith=scope.org_path
    )
    if scope.township_region_id:
        condition |= Q(township_id=scope.township_region_id)
    return queryset.filter(condition)


@access.register_visibility(CampaignPlan)
def _plans(actor, queryset):
    return queryset.filter(campaign__in=access.visible_to(actor, Campaign).values("pk"))


def _prefixes(path: str) -> list[str]:
    parts = [p for p in path.strip("/").split("/") if p]
    return ["/" + "/".join(parts[:n]) + "/" for n in range(1, len(parts) + 1)]


@access.predicate
def reviews_for_body(actor, obj) -> bool:
    """The device's own body's legal staff, or a review centre (合法性审查中心) that serves the body."""
    if in_scope.test(actor, obj):
        return True
    org, own = organization_of(obj), getattr(actor, "organization", None)
    if org is None or own is None:
        return False
    return ReviewCentre.objects.filter(
        is_active=True, organization__path__in=_prefixes(own.path), bodies=org.body()
    ).exists()


@access.predicate
def leads(actor, obj) -> bool:
    lead = getattr(obj, "lead", None)
    return lead is None or Scope.for_user(actor).covers_organization(lead)


permission = access.permission
permission(
    "smart.manage_devices",
    "登记、公布和停用电子技术监控设备",
    (R.DEPARTMENT_ADMIN, R.COMMAND_CENTER, R.GUIDANCE_OFFICE),
    in_scope,
    refusal="只能管理本机构使用的设备",
    basis="《行政处罚法》第四十一条第一款",
)
permission(
    "smart.review_device",
    "电子技术监控设备法制审核",
    (R.LEGAL_REVIEWER,),
    reviews_for_body,
    refusal="只能审核本机关或本审查中心所服务机关的设备",
    basis="《行政处罚法》第四十一条第一款",
)
permission(
    "smart.review_event",
    "审核非现场执法记录",
    (R.OFFICER,),
    in_scope,
    refusal="只能审核本机构设备的记录",
    basis="《行政处罚法》第四十一条第二款",
)
permission(
    "smart.manage_campaign",
    "组织专项执法行动、监管一件事",
    (R.GUIDANCE_OFFICE, R.COMMAND_CENTER, R.DEPARTMENT_ADMIN, R.TOWNSHIP_LEADER),
    leads,
    refusal="只能组织本机构牵头的行动",
    basis="《浙江省综合行政执法条例》第五条",
)
permission(
    "smart.record_campaign_result",
    "填报专项行动检查结果",
    (R.OFFICER, R.DEPARTMENT_ADMIN, R.TOWNSHIP_LEADER),
    in_scope,
    refusal="只能填报本部门的检查任务",
    basis="《行政处罚法》第四十二条",
)
