"""Pure rules of the enforcement item catalog (执法事项清单): vocabularies, which claims an item
needs, what a revision may change, the indicator goals. No database here. Who may do what is in
``access.py``.

Articles: 行政处罚法第九条 (penalty types), 第十八条 (相对集中行政处罚权: the comprehensive list),
第二十四条 (powers given to townships: the township libraries), 第三十八条 (no penalty without a legal
basis); 国办发〔2018〕118号 (powers and lists published before enforcement)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

# ---- vocabularies (identifiers per shared/GLOSSARY.md; labels are what the UI shows) ----

PENALTY, INSPECTION, COMPULSORY_MEASURE, COMPULSORY_EXECUTION, OTHER = (
    "penalty",
    "inspection",
    "compulsory_measure",
    "compulsory_execution",
    "other",
)
KIND_LABELS = {
    PENALTY: "行政处罚",
    INSPECTION: "行政检查",
    COMPULSORY_MEASURE: "行政强制措施",
    COMPULSORY_EXECUTION: "行政强制执行",
    OTHER: "其他",
}

#: 行政处罚法 art. 9: the kinds of administrative penalty (行政拘留 is for public security only).
PENALTY_TYPE_LABELS = {
    "warning": "警告",
    "circulated_criticism": "通报批评",
    "fine": "罚款",
    "confiscate_illegal_gains": "没收违法所得",
    "confiscate_illegal_property": "没收非法财物",
    "suspend_license": "暂扣许可证件",
    "lower_qualification": "降低资质等级",
    "revoke_license": "吊销许可证件",
    "restrict_production": "限制开展生产经营活动",
    "order_suspension": "责令停产停业",
    "order_closure": "责令关闭",
    "restrict_practice": "限制从业",
    "detention": "行政拘留",
    "other": "法律、行政法规规定的其他行政处罚",
}

COMPREHENSIVE, PROFESSIONAL, TOWNSHIP = "comprehensive", "professional", "township"
ENFORCING_BODY_LABELS = {
    COMPREHENSIVE: "综合行政执法部门",
    PROFESSIONAL: "专业执法部门",
    TOWNSHIP: "乡镇（街道）",
}
#: The comprehensive list (综合执法清单) holds what the comprehensive bureau and the townships exercise.
COMPREHENSIVE_BODIES = (COMPREHENSIVE, TOWNSHIP)

BASE, OPTIONAL, NONE = "base", "optional", "none"
TOWNSHIP_LIBRARY_LABELS = {BASE: "基础库", OPTIONAL: "自选库", NONE: "不下放"}

IN_FORCE, REPEALED = "in_force", "repealed"
STATUS_LABELS = {IN_FORCE: "有效", REPEALED: "已废止"}

DISTRICT_LEVEL, TOWNSHIP_LEVEL = "district", "township"
CLAIM_LEVEL_LABELS = {DISTRICT_LEVEL: "区级", TOWNSHIP_LEVEL: "乡镇（街道）级"}

FLAG_LABELS = {"high_frequency": "高频", "high_demand": "高需", "high_comprehensiveness": "高综合"}

# A code of the provincial power-item library: digits and letters, optionally with hyphens.
ITEM_CODE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z-]{1,39}$")

# ---- goals of the reform plan (as the catalog issue states them) ----
# Every in-force item has a legal basis and a regulator, is claimed at every level it needs and
# is published (三项制度, 国办发〔2018〕118号: powers and lists published before enforcement).
COVERAGE_GOAL = Decimal("1")
CLAIM_RATE_GOAL = Decimal("1")
PUBLICATION_RATE_GOAL = Decimal("1")
# At least 45% of the district's penalty items are exercised in comprehensive enforcement. Counted
# over penalty items because what the reform concentrates is the power to penalise (行政处罚法
# art. 18: 综合行政执法, 相对集中行政处罚权); inspections and measures follow their penalties.
COMPREHENSIVE_SHARE_GOAL = Decimal("0.45")
# At least 60% of those comprehensive penalty items are 三高 (high frequency, high demand or high
# comprehensiveness, any one flag): those are the items the reform moves into comprehensive enforcement.
HIGH_THREE_SHARE_GOAL = Decimal("0.60")


def share(part: int, whole: int) -> Decimal:
    """A ratio rounded to four places; zero when there is nothing to divide."""
    if whole == 0:
        return Decimal("0")
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"))


# ---- item content ----


def library_refusal(enforcing_body: str, township_library: str) -> tuple[str, str] | None:
    """Items exercised by townships are exactly those of the township libraries: a base item is
    taken by every township, an optional one by the townships that choose it (行政处罚法 art. 24)."""
    if enforcing_body == TOWNSHIP and township_library == NONE:
        return "township_library_required", "由乡镇（街道）实施的事项须归入乡镇基础库或自选库"
    if enforcing_body != TOWNSHIP and township_library != NONE:
        return "township_library_not_township", "只有由乡镇（街道）实施的事项才能归入乡镇基础库或自选库"
    return None


def fine_refusal(
    fine_min: Decimal | None, fine_max: Decimal | None, penalty_types: list[str]
) -> tuple[str, str, str] | None:
    """(field, code, message) when the statutory fine range is inconsistent."""
    for field, value in (("fine_min", fine_min), ("fine_max", fine_max)):
        if value is not None and value < 0:
            return field, "fine_negative", "罚款金额不能为负数"
    if fine_min is not None and fine_max is not None and fine_min > fine_max:
        return "fine_max", "fine_range_reversed", "罚款上限不能低于罚款下限"
    if (fine_min is not None or fine_max is not None) and "fine" not in penalty_types:
        return "penalty_types", "fine_type_missing", "填写了罚款幅度，处罚种类中应包含“罚款”"
    return None


def dates_refusal(effective_from: dt.date | None, effective_to: dt.date | None) -> str | None:
    if effective_from and effective_to and effective_to < effective_from:
        return "失效日期不能早于生效日期"
    return None


# ---- claims (认领) ----


def claim_level(region_is_township: bool) -> str:
    return TOWNSHIP_LEVEL if region_is_township else DISTRICT_LEVEL


def needs_district_claim(enforcing_body: str, township_library: str) -> bool:
    """Who answers for an item at district level. A base item is exercised by every township
    and needs no district claim; an optional item stays with the comprehensive bureau in the
    townships that did not choose it, so it needs one; every other item needs one."""
    return not (enforcing_body == TOWNSHIP and township_library == BASE)


#: Organisation kinds that may claim an item, by the item's enforcing body. Professional items
#: are kept by the "5" professional departments and by the regulator departments that kept some
#: enforcement of their own field (住建, 农业农村, 水利, 文广旅体 …).
CLAIMING_KINDS = {
    COMPREHENSIVE: frozenset({"comprehensive_bureau"}),
    PROFESSIONAL: frozenset({"professional_department", "regulator_department"}),
    TOWNSHIP: frozenset({"comprehensive_bureau", "township_team"}),
}


def claim_refusal(
    *, enforcing_body: str, township_library: str, org_kind: str, level: str, on_township_list: bool
) -> tuple[str, str] | None:
    """(code, message) when this organisation may not claim this item at this level."""
    if org_kind not in CLAIMING_KINDS[enforcing_body]:
        return (
            "claimant_kind_mismatch",
            f"该事项由{ENFORCING_BODY_LABELS[enforcing_body]}实施，所选机构不能认领",
        )
    if level == TOWNSHIP_LEVEL and not on_township_list:
        return "not_on_township_list", "该事项不在本乡镇（街道）执法清单中（自选事项须先选择）"
    if level == DISTRICT_LEVEL and not needs_district_claim(enforcing_body, township_library):
        return "claim_level_not_needed", "乡镇基础库事项由各乡镇（街道）认领，无需区级认领"
    return None


# ---- township choices ----


def choice_refusal(enforcing_body: str, township_library: str, status: str) -> tuple[str, str] | None:
    """A township chooses only in-force items of the optional library."""
    if status != IN_FORCE:
        return "item_repealed", "该事项已废止，不能选择"
    if township_library == BASE:
        return "not_optional_item", "该事项属于乡镇基础库，各乡镇（街道）均已承接，无需选择"
    if township_library != OPTIONAL:
        return "not_optional_item", "该事项不在乡镇自选库中，不能由乡镇（街道）选择"
    return None


# ---- revisions (动态调整) ----

DRAFT, APPROVED, APPLIED, REJECTED = "draft", "approved", "applied", "rejected"
REVISION_STATE_LABELS = {
    DRAFT: "待审批",
    APPROVED: "已审批待生效",
    APPLIED: "已生效并公示",
    REJECTED: "已退回",
}
REVISION_REASON_LABELS = {
    "law_made": "法律法规规章制定",
    "law_amended": "法律法规规章修改",
    "law_repealed": "法律法规规章废止",
    "other": "其他",
}
ADD, CHANGE, RETIRE = "add", "change", "retire"
CHANGE_ACTION_LABELS = {ADD: "新增事项", CHANGE: "调整事项", RETIRE: "取消事项"}


def revision_due(state: str, effective_on: dt.date, today: dt.date) -> bool:
    """An approved revision is applied on its effective date (or at once if that has passed)."""
    return state == APPROVED and effective_on <= today


def in_use_message(count: int) -> str:
    """Retiring an item that open cases or other records still rely on would leave them
    without a legal basis (行政处罚法 art. 38)."""
    return f"该事项仍被 {count} 件未办结的案件或其他业务引用，办结后才能取消"


def change_refusals(
    old: dict, new: dict, *, open_references: int, township_choices: int
) -> list[tuple[str, str]]:
    """(code, message) for each way a change of an item would break what relies on it: open cases,
    inspections or incidents citing it (行政处罚法第三十八条: their legal basis must stay), and the
    townships that chose it as an optional item (行政处罚法第二十四条)."""
    refusals = []
    if open_references and old.get("kind") != new.get("kind"):
        refusals.append(
            ("item_in_use", f"该事项仍被 {open_references} 件未办结的案件或其他业务引用，不能改变事项类别")
        )
    if (
        township_choices
        and old.get("township_library") == OPTIONAL
        and new.get("township_library") != OPTIONAL
    ):
        refusals.append(
            (
                "item_chosen_by_townships",
                f"已有 {township_choices} 个乡镇（街道）选择了该自选事项，须先由乡镇退回后才能移出自选库",
            )
        )
    return refusals
