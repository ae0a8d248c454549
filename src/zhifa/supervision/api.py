"""Supervision endpoints: the alert rules, alerts (list, detail) and the alert loop's actions."""

import datetime as dt

from ninja import Query, Router
from ninja.pagination import paginate

from zhifa.core.pagination import Pagination
from zhifa.core.schema import Schema
from zhifa.core.scopes import Scope

from . import rules, selectors, services
from .rules_registry import RULES

router = Router(tags=["监督预警"])


class RuleOut(Schema):
    code: str
    name: str
    severity: str
    looks_at: str
    basis: str
    watches: str


class AlertOut(Schema):
    id: int
    rule_code: str
    rule_name: str
    subject_type: str
    subject_id: int
    organization_id: int | None
    organization_name: str | None
    severity: str
    message: str
    details: dict
    state: str
    state_label: str
    assignee_id: int | None
    explanation: str
    raised_at: dt.datetime
    last_seen_at: dt.datetime
    cleared_at: dt.datetime | None
    closed_at: dt.datetime | None
    previous_id: int | None

    @staticmethod
    def resolve_rule_name(obj):
        rule = RULES.get(obj.rule_code)
        return rule.name if rule else obj.rule_code

    @staticmethod
    def resolve_organization_name(obj):
        return obj.organization.name if obj.organization_id else None

    @staticmethod
    def resolve_state_label(obj):
        return rules.STATE_LABELS.get(obj.state, obj.state)


class AlertFilters(Schema):
    rule_code: str = ""
    state: str = ""
    severity: str = ""
    organization_id: int | None = None


class ReviewAssignIn(Schema):
    assignee_id: int | None = None


class ExplainIn(Schema):
    explanation: str
    corrected: bool = False


class ReasonIn(Schema):
    reason: str = ""


@router.get("/rules", response=list[RuleOut], summary="预警规则（代码、名称、等级、监测对象、依据）")
def list_rules(request):
    return [
        RuleOut(
            code=r.code,
            name=r.name,
            severity=r.severity,
            looks_at=r.looks_at,
            basis=r.basis,
            watches=r.watches,
        )
        for r in RULES.values()
    ]


@router.get("/alerts", response=list[AlertOut], summary="监督预警列表")
@paginate(Pagination, page_size=50)
def list_alerts(request, filters: Query[AlertFilters]):
    return selectors.alert_list(Scope.for_user(request.auth), **filters.dict())


@router.get("/alerts/{alert_id}", response=AlertOut, summary="监督预警详情")
def get_alert(request, alert_id: int):
    return selectors.get_alert(Scope.for_user(request.auth), alert_id)


@router.post("/alerts/{alert_id}/assign", response=AlertOut, summary="交办（默认交责任监督人员）")
def assign(request, alert_id: int, payload: ReviewAssignIn):
    services.assign(request.auth, alert_id, payload.assignee_id)
    return selectors.get_alert(Scope.for_user(request.auth), alert_id)


@router.post("/alerts/{alert_id}/explain", response=AlertOut, summary="说明情况或报告整改")
def explain(request, alert_id: int, payload: ExplainIn):
    services.explain(request.auth, alert_id, payload.explanation, corrected=payload.corrected)
    return selectors.get_alert(Scope.for_user(request.auth), alert_id)


@router.post("/alerts/{alert_id}/return", response=AlertOut, summary="退回重新说明")
def send_back(request, alert_id: int, payload: ReasonIn):
    services.send_back(request.auth, alert_id, payload.reason)
    return selectors.get_alert(Scope.for_user(request.auth), alert_id)


@router.post("/alerts/{alert_id}/close", response=AlertOut, summary="关闭（须已说明情况或整改）")
def close(request, alert_id: int, payload: ReasonIn):
    services.close(request.auth, alert_id, payload.reason)
    return selectors.get_alert(Scope.for_user(request.auth), alert_id)
