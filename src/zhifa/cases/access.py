"""The cases app's part of the access policy: who sees a case, and who performs each act.

The law names the holder of each act: officers investigate and prepare (行政处罚法第四十二条、
第五十五条), the head of the body files and decides (第五十四条、第五十七条), the heads deliberate
(第五十七条第二款), legal reviewers who did not investigate review (第五十八条), the head approves
deferrals (第六十六条), compulsory measures (行政强制法第十八条) and referrals (移送规定第五条).
``docs/roles.md`` lists every action with its holder; ``tests/cases/test_access_matrix.py`` walks
the whole table."""

from __future__ import annotations

from django.db.models import Q

from zhifa.core import access
from zhifa.core.scopes import Scope
from zhifa.organizations.access import in_scope
from zhifa.organizations.models import User

from . import rules
from .models import (
    Approval,
    Case,
    CourtRuling,
    Deliberation,
    LegalReview,
    RemedyOutcome,
    ReviewCatalogueEntry,
    ReviewCentre,
    Waiver,
)

R = User.Role
A = rules.Action
HEAD_BASIS = "《行政处罚法》第五十七条"


def _case_of(obj):
    return obj if isinstance(obj, Case) else getattr(obj, "case", None)


@access.predicate
def not_investigator(actor, obj) -> bool:
    """第五十八条: legal review by staff who did not investigate the case."""
    case = _case_of(obj)
    officer_id = getattr(actor, "officer_id", None)
    return case is None or officer_id is None or not case.case_officers.filter(officer_id=officer_id).exists()


@access.predicate
def reviewer_may_see(actor, obj) -> bool:
    case = _case_of(obj)
    return case is None or reviewable_cases(actor).filter(pk=case.pk).exists()


@access.predicate
def leads_review(actor, obj) -> bool:
    """The centre's lead, or a head of the reviewing body, assigns reviews."""
    review = obj if isinstance(obj, LegalReview) else None
    if review is None:
        return True
    if review.centre_id is not None:
        return review.centre.lead_id == getattr(actor, "pk", None)
    return access.has_role(actor, R.HEAD) and in_scope.test(actor, review.case)


# ---- visibility --------------------------------------------------------------------------------


def reviewable_cases(actor):
    """Cases a legal reviewer may read: those submitted to his review centre, and those of his own
    body submitted to its own legal staff (区乡案件分类分级审核)."""
    if (
        not isinstance(actor, User)
        or actor.organization is None
        or not access.has_role(actor, R.LEGAL_REVIEWER)
    ):
        return Case.objects.none()
    org = actor.organization
    body = org.body()
    return Case.objects.filter(
        Q(legal_reviews__centre__in=_centres_of(actor))
        | Q(legal_reviews__centre__isnull=True, organization__path__startswith=body.path)
    ).distinct()


def _centres_of(actor):
    org = actor.organization
    return ReviewCentre.objects.filter(is_active=True, organization__path__in=_prefixes(org.path))


def _prefixes(path: str) -> list[str]:
    """``/1/4/9/`` → the paths of the organisation and of every ancestor."""
    parts = [p for p in path.strip("/").split("/") if p]
    return ["/" + "/".join(parts[:n]) + "/" for n in range(1, len(parts) + 1)]


@access.register_visibility(Case)
def _cases(actor, queryset):
    party_id = getattr(actor, "party_id", None)
    if party_id is not None and not isinstance(actor, User):
        return queryset.filter(party_id=party_id)  # the party, signed in to its own space: its own cases
    scoped = Scope.for_user(actor).filter(queryset)
    if access.has_role(actor, R.LEGAL_REVIEWER) and isinstance(actor, User):
        return queryset.filter(Q(pk__in=scoped.values("pk")) | Q(pk__in=reviewable_cases(actor).values("pk")))
    return scoped


def _via_case(model):
    @access.register_visibility(model)
    def _visible(actor, queryset):
        return queryset.filter(case__in=access.visible_to(actor, Case).values("pk"))

    return _visible


for _model in (Approval, Deliberation, LegalReview, Waiver, CourtRuling, RemedyOutcome):
    _via_case(_model)


@access.register_visibility(ReviewCatalogueEntry)
def _catalogue(actor, queryset):
    return queryset  # the list of decisions needing review is published (三项制度)


@access.register_visibility(ReviewCentre)
def _centres(actor, queryset):
    return queryset


# ---- permissions -------------------------------------------------------------------------------

permission = access.permission
permission(
    "cases.open",
    "案源登记",
    (R.OFFICER,),
    in_scope,
    refusal="只能在本机构登记案件",
    basis="《行政处罚法》第五十四条",
)
permission(
    "cases.handle",
    "办理案件（调查取证、告知、送达、缴款登记等）",
    (R.OFFICER,),
    in_scope,
    refusal="不能办理本机构以外的案件",
    basis="《行政处罚法》第四十二条、第五十五条",
)
permission(
    "cases.request_approval",
    "提请负责人审批",
    (R.OFFICER,),
    in_scope,
    refusal="不能为本机构以外的案件提请审批",
)
permission(
    "cases.submit_review",
    "提交法制审核",
    (R.OFFICER,),
    in_scope,
    refusal="不能为本机构以外的案件提交审核",
    basis="《行政处罚法》第五十八条",
)
permission(
    "cases.approve_filing",
    "立案、不予立案、撤销立案审批",
    (R.HEAD,),
    in_scope,
    delegable=True,
    refusal="只能审批本机关的案件",
    basis="《行政处罚法》第五十四条",
)
permission(
    "cases.decide",
    "作出行政处罚决定",
    (R.HEAD,),
    in_scope,
    delegable=True,
    refusal="只能决定本机关的案件",
    basis=HEAD_BASIS,
)
permission(
    "cases.deliberate",
    "集体讨论",
    (R.HEAD,),
    in_scope,
    refusal="只能讨论本机关的案件",
    basis="《行政处罚法》第五十七条第二款",
)
permission(
    "cases.approve_transfer",
    "移送管辖审批",
    (R.HEAD,),
    in_scope,
    delegable=True,
    refusal="只能审批本机关的案件",
    basis="《行政处罚法》第二十二条至第二十五条",
)
permission(
    "cases.approve_referral",
    "移送涉嫌犯罪案件审批",
    (R.HEAD,),
    in_scope,
    delegable=True,
    refusal="只能审批本机关的案件",
    basis="《行政执法机关移送涉嫌犯罪案件的规定》第五条",
)
permission(
    "cases.approve_payment",
    "暂缓、分期缴纳与减免加处罚款审批",
    (R.HEAD,),
    in_scope,
    delegable=True,
    refusal="只能审批本机关的案件",
    basis="《行政处罚法》第六十六条；《行政强制法》第四十二条",
)
permission(
    "cases.approve_extension",
    "延长办案期限审批",
    (R.HEAD,),
    in_scope,
    delegable=True,
    refusal="只能审批本机关的案件",
    basis="《行政处罚法》第六十条",
)
permission(
    "cases.approve_closing",
    "结案审批",
    (R.HEAD,),
    in_scope,
    delegable=True,
    refusal="只能审批本机关的案件",
    basis="《行政处罚法》第四十七条",
)
permission(
    "cases.approve_enforcement",
    "申请人民法院强制执行审批",
    (R.HEAD,),
    in_scope,
    delegable=True,
    refusal="只能审批本机关的案件",
    basis="《行政强制法》第五十三条",
)
permission(
    "cases.approve_measures",
    "先行登记保存、查封扣押审批",
    (R.HEAD,),
    in_scope,
    delegable=True,
    refusal="只能审批本机关的案件",
    basis="《行政处罚法》第五十六条；《行政强制法》第十八条",
)
permission(
    "cases.review",
    "法制审核",
    (R.LEGAL_REVIEWER,),
    reviewer_may_see & not_investigator,
    refusal="法制审核人员只能审核提交给本人所在审查中心或本机关的案件，且不得审核本人参与调查的案件",
    basis="《行政处罚法》第五十八条",
)
permission(
    "cases.assign_review",
    "分配法制审核",
    (R.LEGAL_REVIEWER, R.HEAD),
    leads_review,
    refusal="只有审查中心负责人或本机关负责人可以分配审核",
    basis="《浙江省综合行政执法条例》第二十四条",
)
permission(
    "cases.manage_review_catalogue",
    "维护重大执法决定法制审核目录",
    (R.HEAD, R.LEGAL_REVIEWER, R.DEPARTMENT_ADMIN),
    in_scope,
    refusal="只能维护本机关的审核目录",
    basis="国办发〔2018〕118号",
)
permission(
    "cases.manage_review_centre",
    "设置合法性审查中心",
    (R.GUIDANCE_OFFICE, access.ADMIN),
    basis="《浙江省综合行政执法条例》第二十四条",
)
permission(
    "cases.record_party_act",
    "登记当事人的声明（放弃陈述申辩、电子送达确认）",
    (R.OFFICER,),
    in_scope,
    refusal="不能为本机构以外的案件登记",
    basis="《行政处罚法》第六十一条、第六十二条",
)
permission(
    "cases.record_ruling",
    "登记人民法院裁定、复议诉讼结果",
    (R.OFFICER, R.LEGAL_REVIEWER),
    in_scope,
    refusal="不能为本机构以外的案件登记",
    basis="《行政强制法》第五十七条",
)

#: The permission that performs each action; actions not named here are the officers' own steps.
ACTION_PERMISSION: dict[rules.Action, str] = {
    A.FILE: "cases.approve_filing",
    A.DECLINE_FILING: "cases.approve_filing",
    A.REVOKE_FILING: "cases.approve_filing",
    A.DECIDE: "cases.decide",
    A.DECIDE_NO_PENALTY: "cases.decide",
    A.DELIBERATE: "cases.deliberate",
    A.TRANSFER: "cases.approve_transfer",
    A.REFER_CRIMINAL: "cases.approve_referral",
    A.DEFER: "cases.approve_payment",
    A.APPLY_TO_COURT: "cases.approve_enforcement",
    A.SUBMIT_LEGAL_REVIEW: "cases.submit_review",
    A.CLOSE: "cases.approve_closing",
}
#: Actions an officer asks the head for (审批), and the approval that performs them.
APPROVAL_FOR_ACTION: dict[rules.Action, str] = {
    A.FILE: Approval.Kind.FILING,
    A.DECLINE_FILING: Approval.Kind.DECLINE_FILING,
    A.REVOKE_FILING: Approval.Kind.REVOKE_FILING,
    A.DECIDE: Approval.Kind.DECISION,
    A.DECIDE_NO_PENALTY: Approval.Kind.NO_PENALTY,
    A.TRANSFER: Approval.Kind.TRANSFER,
    A.REFER_CRIMINAL: Approval.Kind.CRIMINAL_REFERRAL,
    A.DEFER: Approval.Kind.DEFERRAL,
    A.APPLY_TO_COURT: Approval.Kind.COURT_APPLICATION,
    A.CLOSE: Approval.Kind.CLOSING,
}
ACTION_OF_APPROVAL: dict[str, rules.Action] = {kind: action for action, kind in APPROVAL_FOR_ACTION.items()}
#: The permission that approves each kind of approval.
APPROVAL_PERMISSION: dict[str, str] = {
    **{kind: ACTION_PERMISSION[action] for action, kind in APPROVAL_FOR_ACTION.items()},
    Approval.Kind.REMISSION: "cases.approve_payment",
    Approval.Kind.EXTENSION: "cases.approve_extension",
    Approval.Kind.CHANGE_DECISION: "cases.decide",
    Approval.Kind.PRESERVATION: "cases.approve_measures",
    Approval.Kind.SEIZURE: "cases.approve_measures",
    Approval.Kind.SEIZURE_EXTENSION: "cases.approve_measures",
}


def action_permission(action: rules.Action) -> str:
    return ACTION_PERMISSION.get(action, "cases.handle")
