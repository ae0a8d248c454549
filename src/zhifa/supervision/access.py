"""Supervision's part of the access policy (``zhifa.core.access``): who sees which alerts, notices,
reviews, appraisals, 评议 and consultations, and who may act on them. The services ask
``access.require``; the pages ask ``access.can`` to show a button. No role list lives elsewhere.

* Supervisors and the guidance office (执法指导办) handle alerts, review case files, appraise, run
  the 执法评议 and verify rectifications, district-wide.
* A body's own leaders (township leader, department administrator) explain or correct its alerts
  and rectify the findings about it; any role of the receiving body acknowledges a notice.
* Only the guidance office sends 执法建议 / 执法通报 (plan 三（六）3).
* The bodies (and their officers and legal reviewers) consult public security or the
  procuratorate about their cases (双向案件咨询, plan 三（六）2).
"""

from __future__ import annotations

from zhifa.core import access
from zhifa.core.scopes import Scope
from zhifa.organizations.access import in_scope
from zhifa.organizations.models import Organization, User

from .models import (
    Alert,
    AppraisalResult,
    BodyAppraisal,
    Consultation,
    EvaluationCampaign,
    ExpertReview,
    Finding,
    Invitation,
    ManualScore,
    Notice,
    Review,
)

R = User.Role
#: District-wide supervision: alerts, case file review, appraisal, 执法评议.
SUPERVISORS = (R.SUPERVISOR, R.GUIDANCE_OFFICE)
#: A responsible body's own leaders, who answer for its alerts and rectify findings about it.
RESPONDERS = (R.TOWNSHIP_LEADER, R.DEPARTMENT_ADMIN)
#: The roles of a body that consult about its cases.
CONSULTING = (R.OFFICER, R.HEAD, R.LEGAL_REVIEWER, R.DEPARTMENT_ADMIN, R.TOWNSHIP_LEADER, R.GUIDANCE_OFFICE)
EVERY_ROLE = (*User.Role.values, access.ADMIN)


@access.predicate
def supervises_or_responsible(actor, alert) -> bool:
    """A supervisor, or a responder of the body the alert is about (within his scope)."""
    if access.has_role(actor, *SUPERVISORS):
        return True
    org = getattr(alert, "organization", None)
    return org is not None and Scope.for_user(actor).covers_organization(org)


@access.predicate
def in_guidance_office(actor, obj=None) -> bool:
    org = getattr(actor, "organization", None)
    return access.has_role(actor, access.ADMIN) or (
        org is not None and org.kind == Organization.Kind.GUIDANCE_OFFICE
    )


@access.predicate
def receives(actor, notice) -> bool:
    """The notice went to the actor's organisation (or a body above it)."""
    if access.has_role(actor, access.ADMIN):
        return True
    org = getattr(actor, "organization", None)
    return org is not None and notice is not None and notice.to_org.path.startswith(org.path)


def holders(permission: str):
    """Active users holding a role that holds ``permission`` (their main role or a granted one)."""
    from django.db.models import Q

    roles = sorted(access.get_permission(permission).roles)
    granted = Q(role_grants__role__in=roles, role_grants__revoked_at__isnull=True)
    return User.objects.filter(Q(role__in=roles) | granted, is_active=True).distinct().order_by("username")


def responsible_supervisor(org: Organization | None) -> User | None:
    """Whom an alert about ``org`` goes to by default: a supervisor of the body or its nearest
    parent, else a supervisor of the guidance office, else a guidance office user."""
    users = User.objects.filter(is_active=True)
    if org is not None:
        chain = org.ancestor_ids() if org.path else [org.pk]
        found = {
            u.organization_id: u
            for u in users.filter(role=R.SUPERVISOR, organization_id__in=chain).order_by("pk")
        }
        for org_id in reversed(chain):
            if org_id in found:
                return found[org_id]
    guidance = users.filter(organization__kind=Organization.Kind.GUIDANCE_OFFICE)
    return (
        guidance.filter(role=R.SUPERVISOR).order_by("pk").first()
        or guidance.filter(role=R.GUIDANCE_OFFICE).order_by("pk").first()
    )


def _scoped(field: str, region_field: str | None = None):
    def visible(actor, queryset):
        return Scope.for_user(actor).filter(queryset, field, region_field)

    return visible


for model, field in (
    (Alert, "organization"),
    (Notice, "to_org"),
    (Review, "organization"),
    (AppraisalResult, "organization"),
    (BodyAppraisal, "organization"),
    (ManualScore, "appraisal__organization"),
    (Invitation, "organization"),
    (ExpertReview, "organization"),
    (Finding, "organization"),
    (Consultation, "organization"),
):
    access.register_visibility(model)(_scoped(field))


@access.register_visibility(EvaluationCampaign)
def _campaigns(actor, queryset):
    """Supervisors see every campaign; a body the campaigns that review it (or its subtree)."""
    scope = Scope.for_user(actor)
    if scope.everything:
        return queryset
    if scope.org_path is None:
        return queryset.none()
    return queryset.filter(departments__path__startswith=scope.org_path).distinct()


access.permission(
    "supervision.handle_alert", "交办、退回和关闭监督预警", SUPERVISORS, basis="方案 三（六）1：监督预警"
)
access.permission(
    "supervision.respond_alert",
    "说明情况或报告整改",
    (*SUPERVISORS, *RESPONDERS),
    supervises_or_responsible,
    refusal="只能就本单位的预警说明情况或报告整改",
)
access.permission(
    "supervision.send_notice",
    "发送执法建议、执法通报",
    (R.GUIDANCE_OFFICE, access.ADMIN),
    in_guidance_office,
    refusal="执法建议、执法通报由区综合行政执法指导办公室发送",
    basis="方案 三（六）3",
)
access.permission(
    "supervision.receive_notice",
    "签收、回复执法建议或通报",
    EVERY_ROLE,
    receives,
    refusal="仅接收单位可以签收或回复",
)
access.permission("supervision.review_files", "组织案卷评查", SUPERVISORS, basis="方案 三（六）2：案卷评查")
access.permission(
    "supervision.score_file", "评查案卷", (*SUPERVISORS, R.LEGAL_REVIEWER), basis="方案 三（六）2：案卷评查"
)
access.permission(
    "supervision.appraise",
    "考评（四维考评、单位综合行政执法工作考评）",
    SUPERVISORS,
    basis="方案 三（五）3：将综合行政执法工作单列考核",
)
access.permission(
    "supervision.evaluate",
    "组织执法评议",
    SUPERVISORS,
    basis="方案 三（六）2：建立行政执法评议机制，组织对各部门执法工作进行评议",
)
access.permission(
    "supervision.rectify", "整改执法评议发现的问题", RESPONDERS, in_scope, refusal="只能整改本单位的问题"
)
access.permission(
    "supervision.consult",
    "双向案件咨询",
    CONSULTING,
    in_scope,
    refusal="只能为本单位登记案件咨询",
    basis="方案 三（六）2：建立健全行政执法与刑事司法衔接的长效工作机制以及双向案件咨询制度",
)
