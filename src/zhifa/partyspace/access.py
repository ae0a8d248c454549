"""The party space's part of the access policy.

The party sees its own rows only. Staff see a row through what it belongs to: the case (the case's
visibility), the rectification order (the inspection record's scope); the credit bodies (指挥中心、
执法指导办) see credit-repair applications. Officers take up the party's requests of their cases
(``cases.handle``, the cases app's permission); the credit bodies decide credit repair."""

from __future__ import annotations

from django.db.models import Q

from zhifa.cases.models import Case
from zhifa.core import access
from zhifa.core.scopes import Scope
from zhifa.inspections.selectors import visible_records
from zhifa.organizations.access import in_scope
from zhifa.organizations.models import User

from .actor import is_party
from .models import Delivery, HearingSession, Notice, PartyFile, PartyRequest, PaymentOrder

R = User.Role
CREDIT_BODIES = (R.COMMAND_CENTER, R.GUIDANCE_OFFICE)


def _cases(actor):
    return access.visible_to(actor, Case).values("pk")


@access.register_visibility(PartyRequest)
def _requests(actor, queryset):
    if is_party(actor):
        return queryset.filter(party_id=actor.party_id)
    condition = Q(case__in=_cases(actor)) | Q(
        rectification__record__in=visible_records(Scope.for_user(actor)).values("pk")
    )
    if access.has_role(actor, *CREDIT_BODIES):
        condition |= Q(kind=PartyRequest.Kind.CREDIT_REPAIR)
    return queryset.filter(condition)


@access.register_visibility(PartyFile)
def _files(actor, queryset):
    return queryset.filter(request__in=access.visible_to(actor, PartyRequest).values("pk"))


def _by_party_or_case(model):
    @access.register_visibility(model)
    def _visible(actor, queryset):
        if is_party(actor):
            return queryset.filter(party_id=actor.party_id)
        return queryset.filter(case__in=_cases(actor))

    return _visible


for _model in (Delivery, PaymentOrder):
    _by_party_or_case(_model)


@access.register_visibility(HearingSession)
def _hearings(actor, queryset):
    if is_party(actor):
        return queryset.filter(case__party_id=actor.party_id)
    return queryset.filter(case__in=_cases(actor))


@access.register_visibility(Notice)
def _notices(actor, queryset):
    if is_party(actor):
        return queryset.filter(party_id=actor.party_id)
    return queryset.none()


access.permission(
    "partyspace.decide_credit_repair",
    "受理信用修复申请",
    CREDIT_BODIES,
    basis="《失信行为纠正后的信用信息修复管理办法（试行）》",
)
access.permission(
    "partyspace.review_rectification",
    "复查当事人报送的整改情况",
    (R.OFFICER, R.DEPARTMENT_ADMIN, R.TOWNSHIP_LEADER),
    in_scope,
    refusal="只能复查本机构检查发出的整改",
    basis="《浙江省综合行政执法条例》第二十三条",
)
