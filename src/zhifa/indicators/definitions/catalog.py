"""Indicators of the enforcement items (执法事项): 综合执法事项占比, 三高占比, 事项覆盖率 against the
provincial library, 认领率, 事项公开率 and 高频事项裁量基准细化率 — plan 二（一）一 and 三（一）3,
三（六）2. The catalog is the district's: these are district-wide whoever looks.

The lists themselves (综合执法清单, the claim gaps) are the catalog app's own conditions, read
from ``zhifa.catalog.selectors``; the library of baselines is ``zhifa.discretion.selectors``.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from zhifa.catalog import rules as catalog_rules
from zhifa.catalog import selectors as catalog
from zhifa.catalog.models import EnforcementItem
from zhifa.discretion.selectors import baselines_valid_on

from ..models import ProvincialItem
from .base import RATE, Column, Indicator

GROUP = "执法事项"
PLAN_TARGETS = "综合执法事项占比45%以上，其中“三高”（高频率、高需求、高综合）执法事项占比60%以上。"
PLAN_THREE_RATES = "实现事项覆盖率100%、事项认领率100%、事项公开率100%。"
PLAN_LIBRARY = "对接省权力事项库（监管库），形成41个执法领域执法目录总清单"
PLAN_BASELINE = "高频事项自由裁量基准细化率达到100%。"


def _item_link(item) -> str:
    return reverse("catalog:item_detail", args=[item.code])


ITEM_COLUMNS = (
    Column("事项编码", lambda r: r.code),
    Column("事项名称", lambda r: r.name),
    Column("执法领域", lambda r: r.domain.name),
    Column("实施主体", lambda r: r.get_enforcing_body_display()),
    Column("三高", lambda r: "、".join(r.high_three_labels)),
    Column("公示日期", lambda r: r.published_on or ""),
)


def items_in_force(scope, period):
    """执法目录总清单: every item in force (the catalog as it stands)."""
    return EnforcementItem.objects.in_force().select_related("domain").order_by("domain__sort_order", "code")


def penalty_items(scope, period):
    return items_in_force(scope, period).filter(catalog.IS_PENALTY)


def comprehensive_penalty_items(scope, period):
    return penalty_items(scope, period).filter(catalog.IN_COMPREHENSIVE)


def high_frequency_penalty_items(scope, period):
    return penalty_items(scope, period).filter(high_frequency=True)


def provincial_items(scope, period):
    """The provincial library's items assigned to the county (district) level."""
    return ProvincialItem.objects.filter(county_level=True).order_by("code")


def in_district_catalog(scope, period) -> Q:
    """The district's master catalog carries an item in force with the library's code."""
    return Q(Exists(EnforcementItem.objects.in_force().filter(code=OuterRef("code"))))


def fully_claimed(scope, period) -> Q:
    """Claimed at every level the item needs: the district claim (unless a township base item)
    and a township claim for every township whose list has it (catalog.rules)."""
    return ~(catalog.missing_district_claim() | catalog.missing_township_claim())


def published(scope, period) -> Q:
    """On a list the public portal shows, with its 公示日期 reached. Today the portal shows the
    professional list and the key supervision list (``catalog.selectors.public_*``); an item on
    neither is not public whatever its 公示日期. When the portal publishes another list, add its
    selector here."""
    shown = (
        catalog.public_professional_list(period.as_of),
        catalog.public_key_supervision_list(period.as_of),
    )
    condition = Q(pk__in=[])
    for listed in shown:
        condition |= Q(pk__in=listed.order_by().values("pk"))
    return condition


def with_baseline(scope, period) -> Q:
    return Q(Exists(baselines_valid_on(period.as_of).filter(item=OuterRef("pk"))))


INDICATORS = (
    Indicator(
        key="comprehensive_share",
        name="综合执法事项占比",
        group=GROUP,
        kind=RATE,
        unit="%",
        source="方案 二（一）一",
        quote=PLAN_TARGETS,
        definition="行政处罚事项中，列入综合执法清单（由综合行政执法部门或乡镇（街道）行使）的事项所占比例。",
        numerator="施行中的行政处罚事项，实施主体为综合行政执法部门或乡镇（街道）",
        denominator="施行中的行政处罚事项",
        population=penalty_items,
        counted=lambda s, p: catalog.IN_COMPREHENSIVE,
        columns=ITEM_COLUMNS,
        counted_title="综合执法清单中的处罚事项",
        missed_title="专业执法部门保留的处罚事项",
        target=catalog_rules.COMPREHENSIVE_SHARE_GOAL,
        district_wide=True,
        link=_item_link,
    ),
    Indicator(
        key="high_three_share",
        name="“三高”事项占比",
        group=GROUP,
        kind=RATE,
        unit="%",
        source="方案 二（一）一",
        quote=PLAN_TARGETS,
        definition="综合执法的行政处罚事项中，高频率、高需求或高综合（“三高”）事项所占比例。",
        numerator="综合执法处罚事项中标记为高频、高需或高综合的事项",
        denominator="综合执法处罚事项",
        population=comprehensive_penalty_items,
        counted=lambda s, p: catalog.HIGH_THREE,
        columns=ITEM_COLUMNS,
        counted_title="“三高”综合执法处罚事项",
        missed_title="非“三高”的综合执法处罚事项",
        target=catalog_rules.HIGH_THREE_SHARE_GOAL,
        district_wide=True,
        link=_item_link,
    ),
    Indicator(
        key="item_coverage",
        name="事项覆盖率",
        group=GROUP,
        kind=RATE,
        unit="%",
        source="方案 三（一）1、3",
        quote=PLAN_THREE_RATES,
        definition=f"省权力事项库（监管库）中由县级行使的事项，本区执法目录总清单已承接（同一事项编码、施行中）的比例。"
        f"方案要求“{PLAN_LIBRARY}”。",
        numerator="省库县级事项中，本区总清单有同编码施行中事项的条目",
        denominator="导入的省权力事项库中县级行使的条目",
        population=provincial_items,
        counted=in_district_catalog,
        columns=(
            Column("省库编码", lambda r: r.code),
            Column("事项名称", lambda r: r.name),
            Column("事项类别", lambda r: r.kind),
            Column("执法领域", lambda r: r.domain),
        ),
        counted_title="本区已承接的省库事项",
        missed_title="本区总清单缺少的省库事项",
        target=catalog_rules.COVERAGE_GOAL,
        district_wide=True,
        note="省权力事项库以数据导入（指标页“省事项库”），未导入时本指标无可计量数据。",
    ),
    Indicator(
        key="item_claim_rate",
        name="事项认领率",
        group=GROUP,
        kind=RATE,
        unit="%",
        source="方案 三（一）3",
        quote=PLAN_THREE_RATES,
        definition="总清单中施行的事项，在其应认领的各层级均已由责任单位认领的比例（区级认领；乡镇清单事项由各乡镇认领）。",
        numerator="施行中且区级、乡镇级认领齐全的事项",
        denominator="施行中的全部事项",
        population=items_in_force,
        counted=fully_claimed,
        columns=ITEM_COLUMNS,
        counted_title="已完成认领的事项",
        missed_title="未完成认领的事项",
        target=catalog_rules.CLAIM_RATE_GOAL,
        district_wide=True,
        link=_item_link,
    ),
    Indicator(
        key="item_publication_rate",
        name="事项公开率",
        group=GROUP,
        kind=RATE,
        unit="%",
        source="方案 三（一）3",
        quote=PLAN_THREE_RATES,
        definition="总清单中施行的事项，在统计时点已在公众门户的公开清单上向社会公示的比例。只有公示日期、"
        "但不在任何公开清单上的事项不计为已公开。",
        numerator="施行中、公示日期不晚于统计时点、且列在公众门户公开清单（专业执法清单、重点监管清单）上的事项",
        denominator="施行中的全部事项",
        population=items_in_force,
        counted=published,
        columns=ITEM_COLUMNS,
        counted_title="已公开的事项",
        missed_title="未公开的事项",
        target=catalog_rules.PUBLICATION_RATE_GOAL,
        district_wide=True,
        link=_item_link,
        note="公众门户目前只公开专业执法清单和重点监管清单，综合执法清单、乡镇执法清单尚无公开页面；"
        "门户公开其他清单后，在 published() 中加入该清单即可。",
    ),
    Indicator(
        key="baseline_rate",
        name="高频事项裁量基准细化率",
        group=GROUP,
        kind=RATE,
        unit="%",
        source="方案 三（六）2",
        quote=PLAN_BASELINE,
        definition="施行中的高频行政处罚事项，在统计时点有经批准施行的行政裁量权基准（按情节细化罚款幅度）的比例。",
        numerator="统计时点有施行中裁量基准的高频处罚事项",
        denominator="施行中的高频处罚事项",
        population=high_frequency_penalty_items,
        counted=with_baseline,
        columns=ITEM_COLUMNS,
        counted_title="已细化裁量基准的高频处罚事项",
        missed_title="未细化裁量基准的高频处罚事项",
        target=Decimal("1"),
        district_wide=True,
        link=_item_link,
    ),
)
