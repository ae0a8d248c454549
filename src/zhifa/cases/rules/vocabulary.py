"""The words of the procedure: procedures, party kinds, penalty kinds (行政处罚法第九条), states,
actions and no-penalty grounds (第三十条、第三十一条、第三十三条、第三十六条、第四十条), with their Chinese labels."""

from __future__ import annotations

import enum


class Procedure(enum.StrEnum):
    SUMMARY = "summary"  # 简易程序 (art. 51–53)
    GENERAL = "general"  # 普通程序 (art. 54–62), with the hearing procedure (art. 63–65)


class PartyKind(enum.StrEnum):
    CITIZEN = "citizen"  # 公民
    LEGAL_PERSON = "legal_person"  # 法人
    OTHER_ORGANIZATION = "other_organization"  # 其他组织
    # 个体工商户: 民法典 第五十四条 places it among natural persons, so by default it takes the
    # citizen thresholds (CaseConfig.individual_business_as_citizen). Local practice differs (verify).
    INDIVIDUAL_BUSINESS = "individual_business"


class PenaltyKind(enum.StrEnum):
    """Types of administrative penalty, art. 9."""

    WARNING = "warning"  # 警告
    CIRCULATED_CRITICISM = "circulated_criticism"  # 通报批评
    FINE = "fine"  # 罚款
    CONFISCATE_GAINS = "confiscate_gains"  # 没收违法所得
    CONFISCATE_PROPERTY = "confiscate_property"  # 没收非法财物
    SUSPEND_LICENCE = "suspend_licence"  # 暂扣许可证件
    LOWER_QUALIFICATION = "lower_qualification"  # 降低资质等级
    REVOKE_LICENCE = "revoke_licence"  # 吊销许可证件
    RESTRICT_BUSINESS = "restrict_business"  # 限制开展生产经营活动
    SUSPEND_PRODUCTION = "suspend_production"  # 责令停产停业
    ORDER_CLOSURE = "order_closure"  # 责令关闭
    RESTRICT_PRACTICE = "restrict_practice"  # 限制从业
    DETENTION = "detention"  # 行政拘留 (public security only)
    OTHER = "other"  # 法律、行政法规规定的其他行政处罚


PENALTY_LABELS: dict[PenaltyKind, str] = {
    PenaltyKind.WARNING: "警告",
    PenaltyKind.CIRCULATED_CRITICISM: "通报批评",
    PenaltyKind.FINE: "罚款",
    PenaltyKind.CONFISCATE_GAINS: "没收违法所得",
    PenaltyKind.CONFISCATE_PROPERTY: "没收非法财物",
    PenaltyKind.SUSPEND_LICENCE: "暂扣许可证件",
    PenaltyKind.LOWER_QUALIFICATION: "降低资质等级",
    PenaltyKind.REVOKE_LICENCE: "吊销许可证件",
    PenaltyKind.RESTRICT_BUSINESS: "限制开展生产经营活动",
    PenaltyKind.SUSPEND_PRODUCTION: "责令停产停业",
    PenaltyKind.ORDER_CLOSURE: "责令关闭",
    PenaltyKind.RESTRICT_PRACTICE: "限制从业",
    PenaltyKind.DETENTION: "行政拘留",
    PenaltyKind.OTHER: "其他行政处罚",
}

#: Ranking of penalty *types* for "heavier" (art. 45 para 2). The law does not rank the types;
#: this follows the order of art. 9 (申诫罚 < 财产罚 < 资格罚 < 行为罚 < 人身罚). A decided type is
#: lighter than a notified one only if its rank is strictly lower; types of the same rank (a fine
#: vs. a confiscation) are different penalties, so adding one is heavier. ``OTHER`` has no rank:
#: it only matches itself.
SEVERITY: dict[PenaltyKind, int | None] = {
    PenaltyKind.WARNING: 1,
    PenaltyKind.CIRCULATED_CRITICISM: 2,
    PenaltyKind.FINE: 3,
    PenaltyKind.CONFISCATE_GAINS: 3,
    PenaltyKind.CONFISCATE_PROPERTY: 3,
    PenaltyKind.SUSPEND_LICENCE: 4,
    PenaltyKind.LOWER_QUALIFICATION: 5,
    PenaltyKind.RESTRICT_BUSINESS: 5,
    PenaltyKind.SUSPEND_PRODUCTION: 6,
    PenaltyKind.REVOKE_LICENCE: 7,
    PenaltyKind.RESTRICT_PRACTICE: 7,
    PenaltyKind.ORDER_CLOSURE: 8,
    PenaltyKind.DETENTION: 9,
    PenaltyKind.OTHER: None,
}

_CONFISCATIONS = frozenset({PenaltyKind.CONFISCATE_GAINS, PenaltyKind.CONFISCATE_PROPERTY})


class State(enum.StrEnum):
    REGISTERED = "registered"  # 案源登记
    FILED = "filed"  # 已立案 (art. 54)
    INVESTIGATING = "investigating"  # 调查取证 (art. 54–56)
    NOTIFIED = "notified"  # 已告知，陈述申辩期间 (art. 44, 45)
    HEARING = "hearing"  # 听证申请待举行 (art. 63, 64)
    HEARD = "heard"  # 已听证 (art. 65)
    LEGAL_REVIEW = "legal_review"  # 法制审核 (art. 58)
    DELIBERATION = "deliberation"  # 集体讨论 (art. 57 para 2)
    DECIDED = "decided"  # 已作出处罚决定 (art. 57, 59)
    SERVED = "served"  # 已送达 (art. 61)
    PARTLY_PAID = "partly_paid"  # 部分缴纳
    DEFERRED = "deferred"  # 暂缓或分期缴纳 (art. 66)
    PAID = "paid"  # 已缴清 (art. 67)
    COMPULSORY_EXECUTION = "compulsory_execution"  # 强制执行：已催告 (行政强制法 art. 54)
    COURT_ENFORCEMENT = "court_enforcement"  # 已申请法院强制执行 (行政强制法 art. 53)
    NO_PENALTY = "no_penalty"  # 不予行政处罚 (art. 30, 31, 33, 36, 40)
    REFERRED = "referred"  # 移送司法机关 (art. 27)
    TRANSFERRED = "transferred"  # 移送有管辖权的机关 (art. 22–25)
    FILING_REVOKED = "filing_revoked"  # 撤销立案
    CLOSED = "closed"  # 结案
    ARCHIVED = "archived"  # 归档 (art. 47)


STATE_LABELS: dict[State, str] = {
    State.REGISTERED: "案源登记",
    State.FILED: "已立案",
    State.INVESTIGATING: "调查取证",
    State.NOTIFIED: "已告知（陈述申辩）",
    State.HEARING: "听证",
    State.HEARD: "已听证",
    State.LEGAL_REVIEW: "法制审核",
    State.DELIBERATION: "集体讨论",
    State.DECIDED: "已作出处罚决定",
    State.SERVED: "已送达",
    State.PARTLY_PAID: "部分缴纳",
    State.DEFERRED: "暂缓或分期缴纳",
    State.PAID: "已缴纳",
    State.COMPULSORY_EXECUTION: "强制执行（已催告）",
    State.COURT_ENFORCEMENT: "申请法院强制执行",
    State.NO_PENALTY: "不予行政处罚",
    State.REFERRED: "移送司法机关",
    State.TRANSFERRED: "移送管辖",
    State.FILING_REVOKED: "撤销立案",
    State.CLOSED: "结案",
    State.ARCHIVED: "归档",
}


class Action(enum.StrEnum):
    FILE = "file"
    DECLINE_FILING = "decline_filing"
    START_INVESTIGATION = "start_investigation"
    NOTIFY = "notify"
    REQUEST_HEARING = "request_hearing"
    WITHDRAW_HEARING_REQUEST = "withdraw_hearing_request"
    HOLD_HEARING = "hold_hearing"
    SUBMIT_LEGAL_REVIEW = "submit_legal_review"
    DELIBERATE = "deliberate"
    RETURN_FOR_INVESTIGATION = "return_for_investigation"
    DECIDE = "decide"
    DECIDE_NO_PENALTY = "decide_no_penalty"
    DECIDE_ON_SPOT = "decide_on_spot"
    SERVE = "serve"
    PAY = "pay"
    PAY_PART = "pay_part"
    DEFER = "defer"
    COLLECT_ON_SPOT = "collect_on_spot"
    DEMAND_PAYMENT = "demand_payment"
    APPLY_TO_COURT = "apply_to_court"
    REFER_CRIMINAL = "refer_criminal"
    RESUME = "resume"
    TRANSFER = "transfer"
    REVOKE_FILING = "revoke_filing"
    CLOSE = "close"
    ARCHIVE = "archive"


ACTION_LABELS: dict[Action, str] = {
    Action.FILE: "立案",
    Action.DECLINE_FILING: "不予立案",
    Action.START_INVESTIGATION: "调查取证",
    Action.NOTIFY: "告知拟作出的行政处罚",
    Action.REQUEST_HEARING: "申请听证",
    Action.WITHDRAW_HEARING_REQUEST: "撤回听证申请",
    Action.HOLD_HEARING: "举行听证",
    Action.SUBMIT_LEGAL_REVIEW: "提交法制审核",
    Action.DELIBERATE: "集体讨论",
    Action.RETURN_FOR_INVESTIGATION: "退回补充调查",
    Action.DECIDE: "作出行政处罚决定",
    Action.DECIDE_NO_PENALTY: "作出不予行政处罚决定",
    Action.DECIDE_ON_SPOT: "当场作出行政处罚决定",
    Action.SERVE: "送达处罚决定书",
    Action.PAY: "缴清罚款",
    Action.PAY_PART: "部分缴纳罚款",
    Action.DEFER: "批准暂缓或分期缴纳",
    Action.COLLECT_ON_SPOT: "当场收缴罚款",
    Action.DEMAND_PAYMENT: "催告",
    Action.APPLY_TO_COURT: "申请人民法院强制执行",
    Action.REFER_CRIMINAL: "移送涉嫌犯罪案件",
    Action.RESUME: "退回后继续办理",
    Action.TRANSFER: "移送有管辖权的机关",
    Action.REVOKE_FILING: "撤销立案",
    Action.CLOSE: "结案",
    Action.ARCHIVE: "归档",
}


class NoPenaltyGround(enum.StrEnum):
    MINOR_CORRECTED_NO_HARM = "minor_corrected_no_harm"  # art. 33 para 1, first sentence ("不予")
    FIRST_OFFENCE = "first_offence"  # 首违不罚, art. 33 para 1, second sentence ("可以不予")
    NO_FAULT = "no_fault"  # art. 33 para 2
    UNDER_14 = "under_14"  # art. 30
    MENTAL_INCAPACITY = "mental_incapacity"  # art. 31
    LIMITATION_EXPIRED = "limitation_expired"  # art. 36
    FACTS_UNCLEAR = "facts_unclear"  # art. 40; art. 57 para 1 item 3


NO_PENALTY_LABELS: dict[NoPenaltyGround, str] = {
    NoPenaltyGround.MINOR_CORRECTED_NO_HARM: "违法行为轻微并及时改正，没有造成危害后果",
    NoPenaltyGround.FIRST_OFFENCE: "初次违法且危害后果轻微并及时改正（首违不罚）",
    NoPenaltyGround.NO_FAULT: "有证据足以证明没有主观过错",
    NoPenaltyGround.UNDER_14: "不满十四周岁",
    NoPenaltyGround.MENTAL_INCAPACITY: "精神病人、智力残疾人在不能辨认或者不能控制自己行为时",
    NoPenaltyGround.LIMITATION_EXPIRED: "超过追责时效",
    NoPenaltyGround.FACTS_UNCLEAR: "违法事实不清、证据不足",
}
