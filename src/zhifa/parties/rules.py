"""Credit-based risk colour (企业四色管理 / 信用风险分类) — pure Python, no Django.

A party's recent record — penalty decisions, complaints, failed inspections, a serious
violation, a key-supervision industry — becomes a weighted score; thresholds turn the score into
one of four colours, and the colour sets how often the party is inspected (国发〔2019〕5号: lower
ratios and frequencies for low-risk parties, higher for high-risk ones; verify local rules).
Every weight and threshold is data (:class:`RiskConfig`), edited by the guidance office.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass

GREEN, BLUE, YELLOW, RED = "green", "blue", "yellow", "red"
#: From low to high risk.
COLORS = (GREEN, BLUE, YELLOW, RED)
COLOR_LABELS = {
    GREEN: "绿色（低风险）",
    BLUE: "蓝色（一般风险）",
    YELLOW: "黄色（较高风险）",
    RED: "红色（高风险）",
}


def rank(color: str) -> int:
    """0 for green … 3 for red."""
    return COLORS.index(color)


@dataclass(frozen=True)
class PartyFacts:
    """A party's record within the configured window (``RiskConfig.window_months``)."""

    violations: int = 0  # penalty decisions (行政处罚决定)
    complaints: int = 0  # complaints and reports found (投诉举报)
    failed_inspections: int = 0  # inspections that found problems
    serious_violation: bool = False  # on the list of serious violations (严重违法失信名单)
    key_industry: str = ""  # label of the party's industry when it is on the key supervision list

    def __post_init__(self):
        if min(self.violations, self.complaints, self.failed_inspections) < 0:
            raise ValueError("次数不能为负数")


@dataclass(frozen=True)
class RiskConfig:
    """Weights and thresholds. ``score = Σ weight × count (+ weight_key_industry)``; the colour is
    the highest one whose threshold the score reaches; a serious violation is always red.

    With the defaults one penalty makes a party blue, two yellow, three red; a key-supervision
    industry alone makes it blue."""

    window_months: int = 12
    weight_violation: int = 3
    weight_complaint: int = 1
    weight_failed_inspection: int = 2
    weight_key_industry: int = 2
    blue_threshold: int = 2
    yellow_threshold: int = 5
    red_threshold: int = 9
    key_industries: tuple[str, ...] = ("hazardous_chemicals", "food_production", "construction")
    light_touch: bool = True

    def __post_init__(self):
        errors = config_errors(asdict(self))
        if errors:
            raise ValueError("；".join(errors.values()))

    def thresholds(self) -> tuple[tuple[str, int], ...]:
        """(colour, minimum score), from the highest colour down."""
        return ((RED, self.red_threshold), (YELLOW, self.yellow_threshold), (BLUE, self.blue_threshold))


def config_errors(values: Mapping[str, int]) -> dict[str, str]:
    """Field → Chinese message for every inconsistent setting of a :class:`RiskConfig`."""
    errors = {}
    if values["window_months"] < 1:
        errors["window_months"] = "统计期间至少为1个月"
    for name in ("weight_violation", "weight_complaint", "weight_failed_inspection", "weight_key_industry"):
        if values[name] < 0:
            errors[name] = "积分不能为负数（否则违法越多颜色反而越绿）"
    if values["blue_threshold"] < 1:
        errors["blue_threshold"] = "蓝色阈值至少为1分"
    if values["yellow_threshold"] < values["blue_threshold"]:
        errors["yellow_threshold"] = "黄色阈值不能低于蓝色阈值"
    if values["red_threshold"] < values["yellow_threshold"]:
        errors["red_threshold"] = "红色阈值不能低于黄色阈值"
    return errors


def score(facts: PartyFacts, config: RiskConfig) -> int:
    return (
        facts.violations * config.weight_violation
        + facts.complaints * config.weight_complaint
        + facts.failed_inspections * config.weight_failed_inspection
        + (config.weight_key_industry if facts.key_industry else 0)
    )


def risk_color(facts: PartyFacts, config: RiskConfig | None = None) -> tuple[str, list[str]]:
    """The colour and the reasons for it, as Chinese sentences shown to officers and the party.

    Monotonic: with non-negative weights, a worse record never gives a greener colour.
    """
    config = config or RiskConfig()
    months = config.window_months
    reasons = []
    if facts.serious_violation:
        reasons.append("列入严重违法失信名单")
    if facts.violations:
        reasons.append(f"近{months}个月受到行政处罚{facts.violations}次")
    if facts.complaints:
        reasons.append(f"近{months}个月被投诉举报{facts.complaints}次")
    if facts.failed_inspections:
        reasons.append(f"近{months}个月检查发现问题{facts.failed_inspections}次")
    if facts.key_industry:
        reasons.append(f"属于重点监管行业（{facts.key_industry}）")
    if not reasons:
        reasons.append(f"近{months}个月无行政处罚、投诉举报和检查发现问题记录")

    total = score(facts, config)
    if facts.serious_violation:
        return RED, [*reasons, f"风险积分{total}分；列入严重违法失信名单的一律评为{COLOR_LABELS[RED]}"]
    for color, threshold in config.thresholds():
        if total >= threshold:
            return color, [
                *reasons,
                f"风险积分{total}分，达到{COLOR_LABELS[color]}标准（不低于{threshold}分）",
            ]
    return GREEN, [
        *reasons,
        f"风险积分{total}分，低于蓝色标准（{config.blue_threshold}分），评为{COLOR_LABELS[GREEN]}",
    ]


def light_touch(facts: PartyFacts, config: RiskConfig, color: str) -> tuple[bool, str]:
    """无感监管, by the published rule: a green party with no penalty, complaint or failed
    inspection in the window, no serious violation and outside the key-supervision industries is
    checked remotely instead of visited routinely (国发〔2019〕5号: 对信用好、风险低的市场主体，合理降低
    抽查比例和频次; 无事不扰). Returns whether, and the reason shown to the party."""
    if not config.light_touch or color != GREEN:
        return False, ""
    if (
        facts.violations
        or facts.complaints
        or facts.failed_inspections
        or facts.serious_violation
        or facts.key_industry
    ):
        return False, ""
    return True, (
        f"近{config.window_months}个月无行政处罚、投诉举报和检查发现问题，信用风险为绿色且不属于重点监管行业："
        "列入无感监管名单，以远程核查代替例行上门检查（有投诉举报或违法线索的仍依法检查）"
    )
