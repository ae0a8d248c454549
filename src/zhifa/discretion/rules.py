"""Pure rules of discretion baselines (行政裁量权基准) and the flexible enforcement lists.

No Django here. A baseline refines an item's statutory range by circumstance levels (情节):
轻微 < 一般 < 较重 < 严重, each defined by a small declarative condition dict over the facts of a case,
and each with a ``PenaltyRange``. 行政处罚法 第三十四条: baselines may be set and must be published;
国办发〔2022〕27号: a baseline refines the range by facts, nature, circumstances and harm, lists the
lighter/heavier factors and the no-penalty / mitigated / lighter lists; deviation needs reasons.

Conditions (keys of a level's or a list entry's ``conditions``):

* mitigating (downward-closed: if more serious facts meet them, less serious ones do too):
  ``first_offence: true``, ``corrected_in_time: true``, ``harm_max: none|minor``, ``amount_max: N``
* aggravating (upward-closed): ``repeat: true`` (再次违法), ``refused_correction: true`` (拒不改正),
  ``harm_min: minor|serious``, ``gains_min: N`` (违法所得不少于)
* the ordered factor: ``amount: {"min": a, "max": b}`` — amount involved (涉案金额/面积…), ``min``
  inclusive, ``max`` exclusive, ``null`` for unbounded. Levels with only this condition (or none) are
  *base* levels: they must tile [0, ∞) without overlap or gap, in increasing severity.

Matching (``match_level``): if any aggravating level matches, the most serious of the base level and
the matching aggravating levels; otherwise the least serious of the base level and the matching
mitigating levels. With monotone conditions and monotone minimums this guarantees that more serious
facts never get a lower minimum (property-tested).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

# ---- vocabularies ----

MINOR, ORDINARY, SERIOUS, GRAVE = "minor", "ordinary", "serious", "grave"
LEVEL_LABELS = {MINOR: "轻微", ORDINARY: "一般", SERIOUS: "较重", GRAVE: "严重"}
SEVERITY = {MINOR: 0, ORDINARY: 1, SERIOUS: 2, GRAVE: 3}

NO_FINE, FIXED, GAINS_MULTIPLE, VALUE_MULTIPLE, PERCENT_OF_COST = (
    "no_fine",
    "fixed",
    "gains_multiple",
    "value_multiple",
    "percent_of_cost",
)
RANGE_KIND_LABELS = {
    NO_FINE: "不予罚款（不予处罚或仅警告）",
    FIXED: "固定金额（元）",
    GAINS_MULTIPLE: "违法所得倍数",
    VALUE_MULTIPLE: "货值/涉案价值倍数",
    PERCENT_OF_COST: "工程造价百分比",
}
RANGE_UNITS = {NO_FINE: "", FIXED: "元", GAINS_MULTIPLE: "倍", VALUE_MULTIPLE: "倍", PERCENT_OF_COST: "%"}

NO_PENALTY, MITIGATED, LIGHTER, NO_COMPULSION, NOTICE_AND_PLEDGE = (
    "no_penalty",
    "mitigated",
    "lighter",
    "no_compulsion",
    "notice_and_pledge",
)
FIRST_OFFENCE_WAIVER = "first_offence_waiver"
LIST_KIND_LABELS = {
    NO_PENALTY: "不予处罚清单",
    MITIGATED: "减轻处罚清单",
    LIGHTER: "从轻处罚清单",
    NO_COMPULSION: "免予行政强制清单",
    NOTICE_AND_PLEDGE: "告知承诺制清单",
}
ENTRY_LABELS = {**LIST_KIND_LABELS, FIRST_OFFENCE_WAIVER: "首违不罚"}

HARM_ORDER = {"none": 0, "minor": 1, "serious": 2}
HARM_LABELS = {"none": "未造成危害后果", "minor": "危害后果轻微", "serious": "危害后果较重"}

MITIGATING_KEYS = frozenset({"first_offence", "corrected_in_time", "harm_max", "amount_max"})
AGGRAVATING_KEYS = frozenset({"repeat", "refused_correction", "harm_min", "gains_min"})
FACTOR_KEY = "amount"
CONDITION_KEYS = MITIGATING_KEYS | AGGRAVATING_KEYS | {FACTOR_KEY}
CONDITION_LABELS = {
    "first_offence": "首次违法",
    "corrected_in_time": "及时改正",
    "harm_max": "危害后果不超过",
    "amount_max": "涉案金额低于",
    "repeat": "再次违法",
    "refused_correction": "拒不改正",
    "harm_min": "危害后果至少",
    "gains_min": "违法所得不少于",
    FACTOR_KEY: "涉案金额",
}

ART30 = "行政处罚法第三十条"
ART31 = "行政处罚法第三十一条"
ART32 = "行政处罚法第三十二条"
ART33_1 = "行政处罚法第三十三条第一款"
ART33_2 = "行政处罚法第三十三条第二款"
ART34 = "行政处罚法第三十四条"
ART58 = "行政处罚法第五十八条"
GUIDELINE = "国办发〔2022〕27号"

#: 国办发〔2022〕27号 asks for refined baselines of the high-frequency items: goal 100%.
HIGH_FREQUENCY_BASELINE_GOAL = Decimal("1")

ZERO = Decimal("0")


# ---- data ----


@dataclass(frozen=True)
class PenaltyRange:
    """A fine range: ``kind`` says what ``low``/``high`` count (yuan, multiples, percent)."""

    kind: str
    low: Decimal = ZERO
    high: Decimal = ZERO

    def __str__(self) -> str:
        if self.kind == NO_FINE:
            return "不予罚款"
        unit = RANGE_UNITS[self.kind]
        prefix = {GAINS_MULTIPLE: "违法所得", VALUE_MULTIPLE: "货值金额", PERCENT_OF_COST: "工程造价"}.get(
            self.kind, ""
        )
        return f"{prefix}{_fmt(self.low)}{unit}–{_fmt(self.high)}{unit}"

    def contains(self, other: PenaltyRange) -> bool:
        return other.kind == self.kind and self.low <= other.low and other.high <= self.high

    def in_yuan(self, facts: Facts) -> tuple[Decimal, Decimal] | None:
        """The range in yuan for these facts, or None when the base amount is unknown."""
        if self.kind == NO_FINE:
            return ZERO, ZERO
        if self.kind == FIXED:
            return self.low, self.high
        base = {
            GAINS_MULTIPLE: facts.illegal_gains,
            VALUE_MULTIPLE: facts.value_involved,
            PERCENT_OF_COST: facts.project_cost,
        }[self.kind]
        if base is None:
            return None
        factor = Decimal("0.01") if self.kind == PERCENT_OF_COST else Decimal(1)
        return (base * self.low * factor).quantize(Decimal("0.01")), (base * self.high * factor).quantize(
            Decimal("0.01")
        )


def _fmt(value: Decimal) -> str:
    return str(int(value)) if value == value.to_integral_value() else format(value.normalize(), "f")


@dataclass(frozen=True)
class Level:
    name: str  # minor / ordinary / serious / grave
    conditions: dict[str, Any]
    range: PenaltyRange
    mitigated: bool = False  # an explicit 减轻处罚 entry: may go below the statutory minimum (第三十二条)
    description: str = ""

    @property
    def label(self) -> str:
        return LEVEL_LABELS.get(self.name, self.name)


@dataclass(frozen=True)
class Baseline:
    levels: tuple[Level, ...]
    statutory: PenaltyRange
    version: str = ""


@dataclass(frozen=True)
class Entry:
    """One flexible-list entry, as the recommendation sees it."""

    kind: str
    conditions: dict[str, Any]
    legal_basis: str
    first_offence_waiver: bool = False
    title: str = ""
    id: int | None = None


@dataclass(frozen=True)
class Facts:
    first_offence: bool = False
    corrected_in_time: bool = False
    harm: str = "none"
    amount_involved: Decimal = ZERO
    repeat: bool = False
    refused_correction: bool = False
    illegal_gains: Decimal | None = None
    value_involved: Decimal | None = None
    project_cost: Decimal | None = None
    no_subjective_fault: bool = False
    age: int | None = None  # natural persons only
    mental_incapacity: bool = False  # could not recognise or control the conduct (精神病人、智力残疾人)
    art32_circumstances: frozenset[str] = frozenset()  # keys of ART32_CIRCUMSTANCES

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Facts:
        def dec(value):
            return None if value in (None, "") else Decimal(str(value))

        return cls(
            first_offence=bool(data.get("first_offence")),
            corrected_in_time=bool(data.get("corrected_in_time")),
            harm=data.get("harm") or "none",
            amount_involved=dec(data.get("amount_involved")) or ZERO,
            repeat=bool(data.get("repeat")),
            refused_correction=bool(data.get("refused_correction")),
            illegal_gains=dec(data.get("illegal_gains")),
            value_involved=dec(data.get("value_involved")),
            project_cost=dec(data.get("project_cost")),
            no_subjective_fault=bool(data.get("no_subjective_fault")),
            age=None if data.get("age") in (None, "") else int(data["age"]),
            mental_incapacity=bool(data.get("mental_incapacity")),
            art32_circumstances=frozenset(data.get("art32_circumstances") or ()),
        )


#: 行政处罚法 第三十二条: circumstances that require a lighter or mitigated penalty.
ART32_CIRCUMSTANCES = {
    "removed_harm": "主动消除或者减轻违法行为危害后果",
    "coerced": "受他人胁迫或者诱骗实施违法行为",
    "confessed": "主动供述行政机关尚未掌握的违法行为",
    "meritorious": "配合行政机关查处违法行为有立功表现",
}


# ---- conditions ----


def _dec(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def factor_bounds(conditions: dict[str, Any]) -> tuple[Decimal, Decimal | None] | None:
    band = conditions.get(FACTOR_KEY)
    if band is None:
        return None
    return _dec(band.get("min")) or ZERO, _dec(band.get("max"))


def conditions_hold(conditions: dict[str, Any], facts: Facts) -> bool:
    """Whether every condition of the dict holds for the facts."""
    for key, value in conditions.items():
        if key == "first_offence" and value and not facts.first_offence:
            return False
        if key == "corrected_in_time" and value and not facts.corrected_in_time:
            return False
        if key == "repeat" and value and not facts.repeat:
            return False
        if key == "refused_correction" and value and not facts.refused_correction:
            return False
        if key == "harm_max" and HARM_ORDER[facts.harm] > HARM_ORDER[value]:
            return False
        if key == "harm_min" and HARM_ORDER[facts.harm] < HARM_ORDER[value]:
            return False
        if key == "amount_max" and facts.amount_involved >= _dec(value):
            return False
        if key == "gains_min" and (facts.illegal_gains or ZERO) < _dec(value):
            return False
        if key == FACTOR_KEY:
            low, high = factor_bounds(conditions)
            if facts.amount_involved < low or (high is not None and facts.amount_involved >= high):
                return False
    return True


_HARM_TEXT = {
    ("harm_max", "none"): "未造成危害后果",
    ("harm_max", "minor"): "危害后果轻微",
    ("harm_max", "serious"): "",
    ("harm_min", "none"): "",
    ("harm_min", "minor"): "造成危害后果",
    ("harm_min", "serious"): "危害后果较重",
}
_DESCRIBE_ORDER = (
    "first_offence",
    "corrected_in_time",
    "harm_max",
    "amount_max",
    FACTOR_KEY,
    "repeat",
    "refused_correction",
    "harm_min",
    "gains_min",
)


def describe_conditions(conditions: dict[str, Any]) -> str:
    """The conditions in words, for pages and reasons (e.g. “首次违法、及时改正、未造成危害后果”)."""
    parts = []
    for key in sorted(conditions, key=lambda k: _DESCRIBE_ORDER.index(k) if k in _DESCRIBE_ORDER else 99):
        value = conditions[key]
        if key in ("harm_max", "harm_min"):
            if _HARM_TEXT.get((key, value)):
                parts.append(_HARM_TEXT[(key, value)])
        elif key == FACTOR_KEY:
            low, high = factor_bounds(conditions)
            parts.append(
                f"涉案金额 {_fmt(low)} 元以上" + (f"、不足 {_fmt(high)} 元" if high is not None else "")
            )
        elif key in ("amount_max", "gains_min"):
            parts.append(f"{CONDITION_LABELS[key]} {_fmt(_dec(value))} 元")
        elif value:
            parts.append(CONDITION_LABELS.get(key, key))
    return "、".join(parts) or "其他情形"


def condition_errors(conditions: Any, *, entry: bool = False) -> list[tuple[str, str]]:
    """(code, message) for a malformed condition dict. Entries (lists) take mitigating conditions only."""
    if not isinstance(conditions, dict):
        return [("conditions_invalid", "条件应为键值结构")]
    errors = []
    for key, value in conditions.items():
        if key not in CONDITION_KEYS:
            errors.append(("condition_unknown", f"未知的条件“{key}”"))
        elif key in ("harm_max", "harm_min") and value not in HARM_ORDER:
            errors.append(("condition_invalid", f"条件“{CONDITION_LABELS[key]}”应为 none / minor / serious"))
        elif key in ("amount_max", "gains_min"):
            try:
                if _dec(value) is None or _dec(value) < 0:
                    raise ValueError
            except (ArithmeticError, ValueError):
                errors.append(("condition_invalid", f"条件“{CONDITION_LABELS[key]}”应为非负金额"))
        elif key == FACTOR_KEY:
            try:
                low, high = factor_bounds(conditions)
                if low < 0 or (high is not None and high <= low):
                    raise ValueError
            except (ArithmeticError, ValueError, AttributeError):
                errors.append(("condition_invalid", "涉案金额区间应为 {min, max}，且下限小于上限"))
    if entry and set(conditions) & (AGGRAVATING_KEYS | {FACTOR_KEY}):
        errors.append(
            (
                "entry_aggravating_condition",
                "清单条目只能设定从宽条件（首次违法、及时改正、危害后果轻微、涉案金额较小）",
            )
        )
    if set(conditions) & MITIGATING_KEYS and set(conditions) & AGGRAVATING_KEYS:
        errors.append(("mixed_conditions", "同一情节不能同时设定从宽条件和从重条件"))
    return errors


def _is_base(level: Level) -> bool:
    return not (set(level.conditions) - {FACTOR_KEY})


def _is_aggravating(level: Level) -> bool:
    return bool(set(level.conditions) & AGGRAVATING_KEYS)


# ---- validation of a baseline ----


@dataclass(frozen=True)
class Problem:
    index: int | None  # level index, None for the whole baseline
    field: str
    code: str
    message: str


def validate_baseline(baseline: Baseline) -> list[Problem]:
    """Everything wrong with a baseline (empty when it may be approved).

    * levels use the known names, once each, in increasing severity;
    * base levels tile the ordered factor [0, ∞): no overlap, no gap (国办发〔2022〕27号: each fact
      falls in exactly one circumstance);
    * every range lies within the statutory range, unless the level is an explicit mitigated
      (减轻处罚) entry, which may go below the minimum but not above the maximum (行政处罚法第三十二条);
    * a more serious level never has a lower minimum than a less serious one.
    """
    problems: list[Problem] = []
    levels = baseline.levels
    statutory = baseline.statutory
    if not levels:
        return [
            Problem(None, "levels", "levels_required", "裁量基准至少应有一个情节档次（行政处罚法第三十四条）")
        ]
    if statutory.kind == NO_FINE or statutory.low < 0 or statutory.high < statutory.low:
        problems.append(Problem(None, "statutory", "statutory_invalid", "法定罚款幅度无效"))
    seen: set[str] = set()
    for i, level in enumerate(levels):
        if level.name not in LEVEL_LABELS:
            problems.append(
                Problem(i, "name", "level_unknown", f"情节“{level.name}”应为轻微、一般、较重、严重之一")
            )
            continue
        if level.name in seen:
            problems.append(Problem(i, "name", "level_duplicate", f"情节“{level.label}”重复"))
        seen.add(level.name)
        for code, message in condition_errors(level.conditions):
            problems.append(Problem(i, "conditions", code, f"{level.label}：{message}"))
        r = level.range
        if r.kind not in RANGE_KIND_LABELS or r.low < 0 or r.high < r.low:
            problems.append(
                Problem(i, "range", "range_invalid", f"{level.label}：罚款幅度无效（下限不能高于上限）")
            )
            continue
        if r.kind == NO_FINE:
            continue
        if r.kind != statutory.kind:
            problems.append(
                Problem(
                    i,
                    "range",
                    "range_kind_mismatch",
                    f"{level.label}：罚款计算方式应与法定幅度一致（{RANGE_KIND_LABELS.get(statutory.kind, statutory.kind)}）",
                )
            )
            continue
        if r.high > statutory.high:
            problems.append(
                Problem(
                    i,
                    "range",
                    "range_above_statute",
                    f"{level.label}：罚款上限 {_fmt(r.high)} 超出法定上限 {_fmt(statutory.high)}（裁量基准应在法定幅度内细化，不得超出；国办发〔2022〕27号）",
                )
            )
        if r.low < statutory.low and not level.mitigated:
            problems.append(
                Problem(
                    i,
                    "range",
                    "range_below_statute",
                    f"{level.label}：罚款下限 {_fmt(r.low)} 低于法定下限 {_fmt(statutory.low)}；低于法定下限须列入减轻处罚清单（行政处罚法第三十二条）",
                )
            )
    if any(p.field in ("name", "conditions") for p in problems):
        return problems
    range_problems = bool(problems)
    order = [SEVERITY[level.name] for level in levels]
    if order != sorted(order):
        problems.append(
            Problem(None, "levels", "levels_out_of_order", "情节档次应按轻微、一般、较重、严重的顺序排列")
        )
    problems += _factor_problems(levels)
    if range_problems:
        return problems
    # Monotone minimums (国办发〔2022〕27号: the heavier the circumstance, the heavier the penalty).
    ranked = sorted(enumerate(levels), key=lambda pair: SEVERITY[pair[1].name])
    for (_, lighter), (j, heavier) in zip(ranked, ranked[1:], strict=False):
        if minimum(heavier.range) < minimum(lighter.range) or maximum(heavier.range) < maximum(lighter.range):
            problems.append(
                Problem(
                    j,
                    "range",
                    "not_monotonic",
                    f"{heavier.label}的罚款幅度不能低于{lighter.label}（情节越重，处罚越重；{GUIDELINE}）",
                )
            )
    return problems


def minimum(r: PenaltyRange) -> Decimal:
    return ZERO if r.kind == NO_FINE else r.low


def maximum(r: PenaltyRange) -> Decimal:
    return ZERO if r.kind == NO_FINE else r.high


def _factor_problems(levels: tuple[Level, ...]) -> list[Problem]:
    base = [(i, level) for i, level in enumerate(levels) if _is_base(level)]
    if not base:
        return [
            Problem(
                None,
                "levels",
                "no_base_level",
                "至少应有一个不附加从宽、从重条件的情节（按涉案金额划分或兜底），否则部分案件无对应情节",
            )
        ]
    banded = [(i, level, factor_bounds(level.conditions)) for i, level in base]
    unbanded = [i for i, _, bounds in banded if bounds is None]
    if unbanded and len(base) > 1:
        return [
            Problem(
                unbanded[0],
                "conditions",
                "levels_overlap",
                "多个基础情节之间须按涉案金额划分区间，否则情节重叠",
            )
        ]
    if unbanded:
        return []
    problems = []
    banded.sort(key=lambda t: t[2][0])
    expected = ZERO
    for n, (i, level, (low, high)) in enumerate(banded):
        if low > expected:
            problems.append(
                Problem(
                    i,
                    "conditions",
                    "levels_gap",
                    f"{level.label}：涉案金额 {_fmt(expected)}–{_fmt(low)} 元之间没有对应情节（区间有缺口）",
                )
            )
        elif low < expected:
            problems.append(
                Problem(
                    i,
                    "conditions",
                    "levels_overlap",
                    f"{level.label}：涉案金额区间与上一情节重叠（自 {_fmt(low)} 元起）",
                )
            )
        if n > 0 and SEVERITY[level.name] < SEVERITY[banded[n - 1][1].name]:
            problems.append(
                Problem(i, "conditions", "levels_out_of_order", f"{level.label}：涉案金额越大，情节应越重")
            )
        if high is None:
            if n != len(banded) - 1:
                problems.append(
                    Problem(banded[n + 1][0], "conditions", "levels_overlap", "最高一档之后不能再有区间")
                )
                break
            expected = None
            break
        expected = high
    if expected is not None and not problems:
        problems.append(
            Problem(
                banded[-1][0],
                "conditions",
                "levels_gap",
                f"涉案金额 {_fmt(expected)} 元以上没有对应情节（最高一档应不设上限）",
            )
        )
    return problems


# ---- matching and recommendation ----


def match_level(baseline: Baseline, facts: Facts) -> Level:
    """The circumstance level of the facts (see the module docstring)."""
    levels = baseline.levels
    base = next((lv for lv in levels if _is_base(lv) and conditions_hold(lv.conditions, facts)), None)
    if base is None:  # validated baselines always have one; be total anyway
        base = levels[0]
    aggravating = [lv for lv in levels if _is_aggravating(lv) and conditions_hold(lv.conditions, facts)]
    if aggravating:
        return max([base, *aggravating], key=lambda lv: SEVERITY[lv.name])
    mitigating = [
        lv
        for lv in levels
        if not _is_base(lv) and not _is_aggravating(lv) and conditions_hold(lv.conditions, facts)
    ]
    return min([base, *mitigating], key=lambda lv: SEVERITY[lv.name])


@dataclass(frozen=True)
class Recommendation:
    level: Level
    lawful_range: PenaltyRange
    statutory: PenaltyRange
    applicable_entry: str | None = None  # ENTRY_LABELS key
    entry: Entry | None = None
    reasons: list[tuple[str, str]] = field(default_factory=list)  # (text, article)
    mitigation_basis: bool = False
    no_compulsion: bool = False
    yuan: tuple[Decimal, Decimal] | None = None  # the lawful range in yuan, when computable
    statutory_yuan: tuple[Decimal, Decimal] | None = None


def _lighter(r: PenaltyRange) -> PenaltyRange:
    """从轻: the lower half of the range (not below its minimum)."""
    if r.kind == NO_FINE:
        return r
    return PenaltyRange(r.kind, r.low, r.low + (r.high - r.low) / 2)


def recommend(baseline: Baseline, entries: list[Entry], facts: Facts) -> Recommendation:
    level = match_level(baseline, facts)
    statutory = baseline.statutory
    reasons = [
        (f"情节认定为“{level.label}”：{describe_conditions(level.conditions)}；幅度 {level.range}", ART34)
    ]
    matching = [e for e in entries if conditions_hold(e.conditions, facts)]
    no_compulsion = next((e for e in matching if e.kind == NO_COMPULSION), None)
    if no_compulsion:
        reasons.append(
            (
                f"符合免予行政强制清单：{no_compulsion.title}",
                no_compulsion.legal_basis or "行政强制法第十六条第二款",
            )
        )

    def result(r: PenaltyRange, applicable: str | None, entry: Entry | None = None, mitigation: bool = False):
        return Recommendation(
            level,
            r,
            statutory,
            applicable,
            entry,
            reasons,
            mitigation,
            no_compulsion is not None,
            r.in_yuan(facts),
            statutory.in_yuan(facts),
        )

    none = PenaltyRange(NO_FINE)
    if facts.age is not None and facts.age < 14:
        reasons.append(("不满十四周岁的未成年人有违法行为的，不予行政处罚，责令监护人加以管教", ART30))
        return result(none, NO_PENALTY)
    if facts.mental_incapacity:
        reasons.append(
            ("精神病人、智力残疾人在不能辨认或者不能控制自己行为时有违法行为的，不予行政处罚", ART31)
        )
        return result(none, NO_PENALTY)
    if facts.no_subjective_fault:
        reasons.append(("当事人有证据足以证明没有主观过错的，不予行政处罚", ART33_2))
        return result(none, NO_PENALTY)
    listed = next((e for e in matching if e.kind == NO_PENALTY and not e.first_offence_waiver), None)
    if listed:
        reasons.append((f"符合不予处罚清单：{listed.title}", listed.legal_basis or ART33_1))
        return result(none, NO_PENALTY, listed)
    if level.name == MINOR and facts.corrected_in_time and facts.harm == "none":
        reasons.append(("违法行为轻微并及时改正，没有造成危害后果的，不予行政处罚", ART33_1))
        return result(none, NO_PENALTY)
    waiver = next((e for e in matching if e.first_offence_waiver), None)
    if waiver and facts.first_offence and facts.corrected_in_time and HARM_ORDER[facts.harm] <= 1:
        reasons.append(
            (f"首违不罚：初次违法且危害后果轻微并及时改正，可以不予行政处罚（{waiver.title}）", ART33_1)
        )
        return result(none, FIRST_OFFENCE_WAIVER, waiver)
    r = level.range
    mitigated_entry = next((e for e in matching if e.kind == MITIGATED), None)
    minor_age = facts.age is not None and 14 <= facts.age < 18
    if facts.art32_circumstances or minor_age or mitigated_entry:
        for key in sorted(facts.art32_circumstances):
            reasons.append((f"{ART32_CIRCUMSTANCES.get(key, key)}，应当从轻或者减轻行政处罚", ART32))
        if minor_age:
            reasons.append(
                ("已满十四周岁不满十八周岁的未成年人有违法行为的，应当从轻或者减轻行政处罚", ART30)
            )
        if mitigated_entry:
            reasons.append(
                (f"符合减轻处罚清单：{mitigated_entry.title}", mitigated_entry.legal_basis or ART32)
            )
        if r.kind == NO_FINE:
            return result(r, MITIGATED, mitigated_entry, True)
        # 从轻或者减轻: from zero (below the statutory minimum) up to the lighter part of the level.
        return result(PenaltyRange(r.kind, ZERO, _lighter(r).high), MITIGATED, mitigated_entry, True)
    lighter = next((e for e in matching if e.kind == LIGHTER), None)
    if lighter:
        reasons.append(
            (f"符合从轻处罚清单：{lighter.title}，在本档幅度的较低部分处罚", lighter.legal_basis or ART32)
        )
        return result(_lighter(r), LIGHTER, lighter)
    return result(r, None)


# ---- deviation ----


@dataclass(frozen=True)
class DeviationResult:
    allowed: bool
    needs_legal_review: bool
    code: str | None
    message: str


def deviation_check(recommendation: Recommendation, decided_amount: Decimal, reason: str) -> DeviationResult:
    """Whether a decided fine (yuan) may be imposed. Within the recommended range: fine. Outside it:
    a written reason is required and the case goes to legal review (国办发〔2022〕27号; 行政处罚法
    第五十八条). Never outside the statutory range, unless a mitigation basis allows going below it."""
    decided = Decimal(str(decided_amount))
    reason = (reason or "").strip()
    if decided < 0:
        return DeviationResult(False, False, "amount_negative", "罚款金额不能为负数")
    lawful = recommendation.yuan
    statutory = recommendation.statutory_yuan
    if lawful is None or statutory is None:
        if not reason:
            return DeviationResult(
                False,
                False,
                "deviation_reason_required",
                "无法按事实计算推荐金额，须书面说明裁量理由并经法制审核（行政处罚法第五十八条）",
            )
        return DeviationResult(True, True, None, "无法按事实计算推荐金额，须经法制审核")
    if decided > statutory[1]:
        return DeviationResult(
            False,
            False,
            "above_statutory_range",
            f"罚款 {_fmt(decided)} 元超出法定上限 {_fmt(statutory[1])} 元（罚款须在实施依据规定的幅度内，行政处罚法第四条）",
        )
    if decided < statutory[0] and not recommendation.mitigation_basis and decided != 0:
        return DeviationResult(
            False,
            False,
            "below_statutory_range",
            f"罚款 {_fmt(decided)} 元低于法定下限 {_fmt(statutory[0])} 元，且无减轻处罚情形（行政处罚法第三十二条）",
        )
    if lawful[0] <= decided <= lawful[1]:
        return DeviationResult(True, False, None, "在推荐幅度内")
    if not reason:
        return DeviationResult(
            False,
            False,
            "deviation_reason_required",
            f"决定金额偏离推荐幅度 {_fmt(lawful[0])}–{_fmt(lawful[1])} 元，须书面说明理由（{GUIDELINE}）",
        )
    return DeviationResult(True, True, None, f"偏离推荐幅度，已说明理由，须经法制审核（{ART58}）")


def share(part: int, whole: int) -> Decimal:
    if whole == 0:
        return ZERO
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"))
