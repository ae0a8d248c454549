"""Demo discretion baselines and flexible-list entries for the high-frequency demo items
(``catalog.demo_items`` with ``high_frequency=True``).

Illustrative, modelled on the shape of Zhejiang's published baselines and 轻微违法不予处罚 /
首违不罚 lists; the bands and amounts are plausible refinements inside each item's statutory range,
not an official list. Items whose fine depends on local rules (no fixed range in the catalog) and
that have no statutory multiple stay without a baseline: the indicator shows them as missing.

``load_demo_discretion()`` is idempotent: items that already have a baseline are skipped.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction

from zhifa.catalog.models import EnforcementItem

from . import rules, services
from .models import DiscretionBaseline, FlexibleListEntry

EFFECTIVE_FROM = dt.date(2025, 1, 1)
PUBLISHED_ON = dt.date(2024, 12, 20)
DOCUMENT = "衢江综执〔2024〕36号"
#: A second version of one baseline, to show versioning (cases filed before keep version 1).
REVISION_CODE, REVISION_FROM = "330208009000", dt.date(2025, 7, 1)

MINOR_LEVEL = {
    "name": "minor",
    "conditions": {"first_offence": True, "corrected_in_time": True, "harm_max": "none"},
    "range_kind": "no_fine",
    "description": "初次违法、及时改正、未造成危害后果",
    "other_penalties": "不予处罚，批评教育",
}


def _round(value: Decimal, high: Decimal) -> Decimal:
    step = Decimal(10) if high <= 5000 else Decimal(100)
    return (value / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step


def fixed_levels(low: Decimal, high: Decimal, bands: tuple[int, int] | None = None) -> list[dict]:
    """轻微 → 不予处罚; 一般 / 较重 / 严重 → the lower 30%, the middle 40%, the upper 30% of the
    range; by amount bands when given, otherwise 较重 = harm caused and 严重 = repeat offence."""
    cut1, cut2 = (
        _round(low + (high - low) * Decimal("0.3"), high),
        _round(low + (high - low) * Decimal("0.7"), high),
    )
    if bands:
        conditions = [
            {"amount": {"min": 0, "max": bands[0]}},
            {"amount": {"min": bands[0], "max": bands[1]}},
            {"amount": {"min": bands[1], "max": None}},
        ]
        texts = [
            f"涉案金额不足 {bands[0]} 元",
            f"涉案金额 {bands[0]}–{bands[1]} 元",
            f"涉案金额 {bands[1]} 元以上",
        ]
    else:
        conditions = [{}, {"harm_min": "minor"}, {"repeat": True}]
        texts = ["未造成危害后果或及时改正", "造成一定危害后果", "一年内再次实施同一违法行为"]
    ranges = [(low, cut1), (cut1, cut2), (cut2, high)]
    return [MINOR_LEVEL] + [
        {
            "name": name,
            "conditions": cond,
            "range_kind": "fixed",
            "range_low": lo,
            "range_high": hi,
            "description": text,
        }
        for name, cond, (lo, hi), text in zip(
            ("ordinary", "serious", "grave"), conditions, ranges, texts, strict=True
        )
    ]


def multiple_levels(kind: str, low: Decimal, high: Decimal) -> list[dict]:
    mid = (low + high) / 2
    return [
        {
            "name": "ordinary",
            "conditions": {"amount": {"min": 0, "max": 5000}},
            "range_kind": kind,
            "range_low": low,
            "range_high": mid,
            "description": "涉案价值不足 5000 元",
        },
        {
            "name": "serious",
            "conditions": {"amount": {"min": 5000, "max": 50000}},
            "range_kind": kind,
            "range_low": mid,
            "range_high": high,
            "description": "涉案价值 5000–50000 元",
        },
        {
            "name": "grave",
            "conditions": {"amount": {"min": 50000, "max": None}},
            "range_kind": kind,
            "range_low": high,
            "range_high": high,
            "description": "涉案价值 50000 元以上（涉嫌犯罪的移送司法机关）",
        },
    ]


@dataclass(frozen=True)
class Spec:
    code: str
    bands: tuple[int, int] | None = None
    multiple: tuple[str, str, str] | None = None  # (kind, low, high) for items without a fixed range


BASELINES = [
    Spec("330202021000"),
    Spec("330205009000"),
    Spec("330205010000"),
    Spec("330207001000"),
    Spec("330207002000"),
    Spec("330207003000"),
    Spec("330207004000"),
    Spec("330207005000"),
    Spec("330207006000"),
    Spec("330208007000"),
    Spec("330208008000"),
    Spec("330208009000"),
    Spec("330208010000"),
    Spec("330208012000"),
    Spec("330208020000"),
    Spec("330209005000"),
    Spec("330209006000"),
    Spec("330209014000", bands=(1000, 10000)),
    Spec("330213003000"),
    Spec("330213006000"),
    Spec("330213007000"),
    Spec("330214001000"),
    Spec("330214005000"),
    Spec("330216008000"),
    Spec("330216009000"),
    Spec("330217002000"),
    Spec("330217003000"),
    Spec("330211005000", multiple=(rules.VALUE_MULTIPLE, "3", "5")),  # 森林法第七十六条：滥伐 3–5 倍
    Spec("330211004000", multiple=(rules.VALUE_MULTIPLE, "5", "10")),  # 盗伐 5–10 倍
    Spec("330201001000", multiple=(rules.PERCENT_OF_COST, "5", "10")),  # 城乡规划法第六十四条：造价 5%–10%
    Spec("330201002000", multiple=(rules.PERCENT_OF_COST, "5", "10")),
]

A33 = rules.ART33_1
WAIVER = {"first_offence": True, "harm_max": "minor"}
ENTRIES = [
    # (code, kind, first-offence waiver, title, conditions text, structured conditions, legal basis)
    (
        "330207003000",
        rules.NO_PENALTY,
        True,
        "首次擅自在桥梁、路灯设施上设置小型广告或挂浮物",
        "初次违法，设置时间短、面积小，危害后果轻微，经责令后当场或在规定期限内自行清除",
        WAIVER,
        A33,
    ),
    (
        "330209014000",
        rules.NO_PENALTY,
        True,
        "首次未明码标价或标价签要素不全",
        "初次违法，未造成价格误导或消费者损失，经责令后及时改正",
        WAIVER,
        A33,
    ),
    (
        "330202021000",
        rules.NO_PENALTY,
        True,
        "运输车辆首次未密闭造成少量遗撒",
        "初次违法，遗撒量少、危害后果轻微，当场清除",
        WAIVER,
        A33,
    ),
    (
        "330207001000",
        rules.NO_PENALTY,
        True,
        "首次临时占用城市道路堆放少量物料",
        "初次违法，占用时间短、未影响通行，经责令后及时清除",
        WAIVER,
        A33,
    ),
    (
        "330214005000",
        rules.NO_PENALTY,
        True,
        "首次造成公路路面轻微污染",
        "初次违法，污染面积小，当场清除",
        WAIVER,
        A33,
    ),
    (
        "330217003000",
        rules.NO_PENALTY,
        True,
        "首次超出规定营业时间营业且时间较短",
        "初次违法，超时不足半小时，无未成年人在场，经责令后立即停止",
        WAIVER,
        A33,
    ),
    (
        "330208009000",
        rules.NO_PENALTY,
        False,
        "露天烧烤违法行为轻微并及时改正",
        "在禁止区域露天烧烤，经劝阻立即停止并清理，未造成油烟扰民投诉等危害后果",
        {"corrected_in_time": True, "harm_max": "none"},
        A33,
    ),
    (
        "330205009000",
        rules.LIGHTER,
        False,
        "主动采取覆盖、洒水等措施消除扬尘影响",
        "发现后主动整改，危害后果轻微",
        {"corrected_in_time": True, "harm_max": "minor"},
        "行政处罚法第三十二条第一项",
    ),
    (
        "330208007000",
        rules.MITIGATED,
        False,
        "主动加装并正常使用油烟净化设施",
        "在立案前主动安装油烟净化设施并正常使用，消除危害后果",
        {"corrected_in_time": True, "harm_max": "minor"},
        "行政处罚法第三十二条第一项",
    ),
    (
        "330202021000",
        rules.NO_COMPULSION,
        False,
        "运输车辆轻微遗撒当场清除的不扣押车辆",
        "情节显著轻微、当场清除，没有明显社会危害",
        {"corrected_in_time": True, "harm_max": "minor"},
        "行政强制法第十六条第二款",
    ),
    (
        "330209005000",
        rules.NO_COMPULSION,
        False,
        "餐饮具消毒不到位当场整改的不查封设施",
        "情节显著轻微、当场整改，没有明显社会危害",
        {"corrected_in_time": True, "harm_max": "none"},
        "行政强制法第十六条第二款",
    ),
    (
        "330209006000",
        rules.NOTICE_AND_PLEDGE,
        False,
        "从业人员健康证明过期承诺限期补办",
        "当事人书面承诺十五日内补办健康证明并暂停其接触直接入口食品的工作",
        {"first_offence": True, "harm_max": "none"},
        A33,
    ),
]


@transaction.atomic
def load_demo_discretion(actor=None) -> dict[str, int]:
    """Create (once) the demo baselines, in force from 2025-01-01, and the demo list entries."""
    items = {
        i.code: i
        for i in EnforcementItem.objects.in_force().filter(
            code__in=[s.code for s in BASELINES] + [e[0] for e in ENTRIES]
        )
    }
    have = set(
        DiscretionBaseline.objects.filter(item__in=items.values()).values_list("item__code", flat=True)
    )
    counts = {"baselines": 0, "entries": 0}
    for spec in BASELINES:
        item = items.get(spec.code)
        if item is None or spec.code in have:
            continue
        data = {"effective_from": EFFECTIVE_FROM, "document_number": DOCUMENT}
        if spec.multiple:
            kind, low, high = spec.multiple[0], Decimal(spec.multiple[1]), Decimal(spec.multiple[2])
            data.update(
                statutory_kind=kind,
                statutory_low=low,
                statutory_high=high,
                levels=multiple_levels(kind, low, high),
            )
        else:
            data["levels"] = fixed_levels(item.fine_min or Decimal(0), item.fine_max, spec.bands)
        baseline = services.create_baseline(actor, item, data)
        services.approve_baseline(actor, baseline.pk, PUBLISHED_ON)
        counts["baselines"] += 1
        if spec.code == REVISION_CODE:
            # 2025 revision: 一般 starts at 1000 yuan in the main streets (illustrative).
            levels = fixed_levels(item.fine_min or Decimal(0), item.fine_max)
            levels[1] = {**levels[1], "range_low": Decimal(1000)}
            levels[2] = {**levels[2], "range_low": max(levels[2]["range_low"], levels[1]["range_high"])}
            second = services.create_baseline(
                actor, item, {**data, "effective_from": REVISION_FROM, "levels": levels}
            )
            services.approve_baseline(actor, second.pk, REVISION_FROM - dt.timedelta(days=10))
    existing = set(FlexibleListEntry.objects.values_list("item__code", "kind", "title"))
    for code, kind, waiver, title, text, conditions, basis in ENTRIES:
        item = items.get(code)
        if item is None or (code, kind, title) in existing:
            continue
        services.add_list_entry(
            actor,
            item,
            {
                "kind": kind,
                "first_offence_waiver": waiver,
                "title": title,
                "conditions_text": text,
                "conditions": conditions,
                "legal_basis": basis,
                "effective_from": EFFECTIVE_FROM,
                "published_on": PUBLISHED_ON,
            },
        )
        counts["entries"] += 1
    return counts
