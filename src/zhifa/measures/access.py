"""The measures' part of the access policy. Officers prepare and carry out the measures and the
referral; the head approves them in the cases app's approvals inbox (``cases.approve_measures``,
``cases.approve_referral``). A record is seen by whoever sees its case."""

from __future__ import annotations

from zhifa.cases.models import Case
from zhifa.core import access
from zhifa.organizations.access import in_scope
from zhifa.organizations.models import User

from .models import CriminalReferral, EvidencePreservation, MeasureDocument, Seizure, SharedEvidence

R = User.Role

for _model in (EvidencePreservation, Seizure, CriminalReferral, SharedEvidence, MeasureDocument):

    def _visible(actor, queryset, _model=_model):
        return queryset.filter(case__in=access.visible_to(actor, Case).values("pk"))

    access.register_visibility(_model)(_visible)

permission = access.permission
permission(
    "measures.preserve",
    "先行登记保存（提请、登记保存、处理决定）",
    (R.OFFICER,),
    in_scope,
    refusal="不能办理本机构以外案件的先行登记保存",
    basis="《行政处罚法》第五十五条、第五十六条",
)
permission(
    "measures.seize",
    "查封、扣押（提请、实施、延期通知、解除）",
    (R.OFFICER,),
    in_scope,
    refusal="不能办理本机构以外案件的查封、扣押",
    basis="《行政强制法》第十七条、第十八条",
)
permission(
    "measures.refer",
    "移送涉嫌犯罪案件（专案组、报告、移送、登记公安机关答复）",
    (R.OFFICER,),
    in_scope,
    refusal="不能办理本机构以外案件的移送",
    basis="《行政执法机关移送涉嫌犯罪案件的规定》第五条",
)
permission(
    "measures.share_evidence",
    "引用其他机关依法收集的证据",
    (R.OFFICER,),
    in_scope,
    refusal="不能为本机构以外的案件引用证据",
    basis="《浙江省综合行政执法条例》第十八条",
)
