"""Pure rules of training: labels, the yearly hours an officer owes, and who is short of them.
No Django imports."""

from __future__ import annotations

from decimal import Decimal

#: 国办发〔2018〕118号（三项制度指导意见）: 行政执法人员每人每年接受不少于60学时的公共法律知识、业务知识
#: 和行政执法技能培训. A body's plan may ask more, never less (``check_required_hours``).
REQUIRED_HOURS = 60
BUSINESS, LEGAL = "business", "legal"
COURSE_KIND_LABELS = {BUSINESS: "业务培训", LEGAL: "法制培训"}

PREPARING, REGISTERED, PASSED, FAILED = "preparing", "registered", "passed", "failed"
CANDIDATE_STATUS_LABELS = {PREPARING: "备考中", REGISTERED: "已报名", PASSED: "已通过", FAILED: "未通过"}

#: Plan 三（五）2: 发挥好执法队法制员、乡镇审核员、司法所、公职律师、部门法制力量、人民法院“六支队伍”的支撑作用.
SUPPORT_ROLE_LABELS = {
    "legal_officer": "执法队法制员",
    "township_reviewer": "乡镇审核员",
    "judicial_office": "司法所",
    "public_lawyer": "公职律师",
    "department_legal": "部门法制力量",
    "court": "人民法院",
}


def check_required_hours(hours: Decimal) -> str | None:
    """Why a plan's yearly hours are not acceptable, or None: not below the national minimum."""
    if hours < REQUIRED_HOURS:
        return f"年度应训学时不得少于{REQUIRED_HOURS}学时（国办发〔2018〕118号）"
    return None


def shortfall(attended: Decimal, required: Decimal) -> Decimal:
    """Hours still owed this year (0 when met)."""
    return max(Decimal(0), Decimal(required) - Decimal(attended))


def check_attended(hours: Decimal, course_hours: Decimal) -> str | None:
    if hours <= 0:
        return "参训学时须大于0"
    if hours > course_hours:
        return f"参训学时不能超过课程学时（{course_hours}）"
    return None


def check_score(score: Decimal, full_marks: Decimal) -> str | None:
    if score < 0 or score > full_marks:
        return f"成绩须在0到{full_marks}之间"
    return None
