"""Command and dispatch's part of the access policy (``zhifa.core.access``): who sees which
incidents, referrals and disputes, and who may do what in the closed loop.

* The command centre (统一指挥平台) registers, triages, assigns, transfers, checks and closes.
* The body an incident is assigned to (its officers, leader, department administrator) accepts,
  returns, handles and replies, and sees the reporter's phone to call back (audited).
* Officers, township leaders and department administrators report what they find (发现上报).
* The guidance office (执法指导办) decides jurisdiction disputes.
"""

from __future__ import annotations

from zhifa.core import access
from zhifa.core.scopes import Scope
from zhifa.organizations.models import User

from .models import HandlingCheck, Incident, IncidentPhoto, JurisdictionDispute, Referral, RoutingExample

R = User.Role

DISPATCHERS = (R.COMMAND_CENTER, access.ADMIN)
#: Who works an incident assigned to their body.
HANDLERS = (R.OFFICER, R.TOWNSHIP_LEADER, R.DEPARTMENT_ADMIN, access.ADMIN)
#: Who may register incidents (integrations act as the officers or the command centre of the
#: platform that pushes).
REPORTERS = (
    R.COMMAND_CENTER,
    R.OFFICER,
    R.TOWNSHIP_LEADER,
    R.DEPARTMENT_ADMIN,
    R.GUIDANCE_OFFICE,
    access.ADMIN,
)
#: Who finds problems in the field and reports them (发现上报).
FINDERS = (R.OFFICER, R.TOWNSHIP_LEADER, R.DEPARTMENT_ADMIN)


@access.predicate
def assigned_to_actor(actor, incident) -> bool:
    """The incident is assigned to the actor's body or a body under it (administrators: any)."""
    if access.has_role(actor, access.ADMIN):
        return True
    org = getattr(actor, "organization", None)
    responsible = getattr(incident, "responsible_org", None)
    return org is not None and responsible is not None and responsible.path.startswith(org.path)


@access.predicate
def handler_or_dispatcher(actor, incident) -> bool:
    return access.has_role(actor, R.COMMAND_CENTER, access.ADMIN) or assigned_to_actor.test(actor, incident)


@access.register_visibility(Incident)
def _incidents(actor, queryset):
    return Scope.for_user(actor).filter(queryset, "responsible_org", "township")


@access.register_visibility(IncidentPhoto)
def _photos(actor, queryset):
    return Scope.for_user(actor).filter(queryset, "incident__responsible_org", "incident__township")


@access.register_visibility(HandlingCheck)
def _checks(actor, queryset):
    return Scope.for_user(actor).filter(queryset, "incident__responsible_org", "incident__township")


@access.register_visibility(RoutingExample)
def _examples(actor, queryset):
    return queryset if access.has_role(actor, *DISPATCHERS) else queryset.none()


@access.register_visibility(Referral)
def _referrals(actor, queryset):
    scope = Scope.for_user(actor)
    if scope.everything:
        return queryset
    prefix = scope.org_path or "-"
    return queryset.filter(from_org__path__startswith=prefix) | queryset.filter(
        to_org__path__startswith=prefix
    )


@access.register_visibility(JurisdictionDispute)
def _disputes(actor, queryset):
    scope = Scope.for_user(actor)
    if scope.everything:
        return queryset
    prefix = scope.org_path or "-"
    return queryset.filter(raised_by__path__startswith=prefix) | queryset.filter(
        other_org__path__startswith=prefix
    )


access.permission("dispatch.report", "登记事件", REPORTERS)
access.permission("dispatch.report_finding", "发现上报", FINDERS)
access.permission("dispatch.dispatch", "交办、转办、审核、办结或重新交办事件", DISPATCHERS)
access.permission("dispatch.triage", "人工分拣事件", DISPATCHERS)
access.permission("dispatch.merge", "合并重复事件", DISPATCHERS)
access.permission(
    "dispatch.handle",
    "签收、退回、处置或反馈事件",
    HANDLERS,
    assigned_to_actor,
    refusal="该事件未交办给本单位",
)
access.permission(
    "dispatch.view_phone",
    "查看报告人完整电话（回访）",
    HANDLERS + (R.COMMAND_CENTER,),
    handler_or_dispatcher,
    refusal="只有承办单位和指挥中心可以查看报告人电话",
)
access.permission("dispatch.check_handling", "核查低满意度事件的办理情况", DISPATCHERS)
access.permission("dispatch.refer", "线索移送", HANDLERS + (R.COMMAND_CENTER,))
access.permission(
    "dispatch.raise_dispute",
    "提出执法争议",
    HANDLERS,
    assigned_to_actor,
    refusal="只有承办单位可以就该事件提出执法争议",
)
access.permission(
    "dispatch.decide_dispute",
    "裁定执法争议",
    (R.GUIDANCE_OFFICE, access.ADMIN),
    basis="综合行政执法指导办公室协调裁定（执法争议协调机制）",
)
access.permission("dispatch.routing_admin", "查看与训练事项推荐模型", DISPATCHERS)
