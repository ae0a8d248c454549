"""Risk colour rules (企业四色管理): reasons in Chinese, thresholds, monotonic in every fact."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhifa.parties.rules import (
    BLUE,
    COLORS,
    GREEN,
    RED,
    YELLOW,
    PartyFacts,
    RiskConfig,
    config_errors,
    rank,
    risk_color,
)


def test_clean_record_is_green_with_a_reason():
    color, reasons = risk_color(PartyFacts())
    assert color == GREEN
    assert reasons[0] == "近12个月无行政处罚、投诉举报和检查发现问题记录"
    assert "风险积分0分" in reasons[-1]


def test_default_thresholds():
    assert risk_color(PartyFacts(violations=1))[0] == BLUE
    assert risk_color(PartyFacts(violations=2))[0] == YELLOW
    assert risk_color(PartyFacts(violations=3))[0] == RED
    assert risk_color(PartyFacts(key_industry="危险化学品"))[0] == BLUE
    assert risk_color(PartyFacts(complaints=1))[0] == GREEN


def test_reasons_name_each_fact():
    color, reasons = risk_color(
        PartyFacts(violations=2, complaints=3, failed_inspections=1, key_industry="危险化学品")
    )
    assert color == RED  # 6 + 3 + 2 + 2 = 13
    assert reasons[:4] == [
        "近12个月受到行政处罚2次",
        "近12个月被投诉举报3次",
        "近12个月检查发现问题1次",
        "属于重点监管行业（危险化学品）",
    ]
    assert reasons[-1] == "风险积分13分，达到红色（高风险）标准（不低于9分）"


def test_serious_violation_is_always_red():
    color, reasons = risk_color(PartyFacts(serious_violation=True))
    assert color == RED and reasons[0] == "列入严重违法失信名单"


def test_window_and_weights_come_from_the_config():
    config = RiskConfig(
        window_months=24, weight_complaint=5, blue_threshold=5, yellow_threshold=10, red_threshold=20
    )
    color, reasons = risk_color(PartyFacts(complaints=2), config)
    assert color == YELLOW and reasons[0] == "近24个月被投诉举报2次"


def test_inconsistent_config_is_refused():
    with pytest.raises(ValueError):
        RiskConfig(weight_violation=-1)
    with pytest.raises(ValueError):
        RiskConfig(yellow_threshold=10, red_threshold=9)
    errors = config_errors({**RiskConfig().__dict__, "blue_threshold": 0, "window_months": 0})
    assert set(errors) == {"blue_threshold", "window_months"}
    with pytest.raises(ValueError):
        PartyFacts(violations=-1)


counts = st.integers(0, 30)
weights = st.integers(0, 10)


@st.composite
def configs(draw):
    blue = draw(st.integers(1, 20))
    yellow = draw(st.integers(blue, 40))
    red = draw(st.integers(yellow, 60))
    return RiskConfig(
        weight_violation=draw(weights),
        weight_complaint=draw(weights),
        weight_failed_inspection=draw(weights),
        weight_key_industry=draw(weights),
        blue_threshold=blue,
        yellow_threshold=yellow,
        red_threshold=red,
    )


facts = st.builds(
    PartyFacts,
    violations=counts,
    complaints=counts,
    failed_inspections=counts,
    serious_violation=st.booleans(),
    key_industry=st.sampled_from(["", "危险化学品"]),
)


@given(facts, st.integers(1, 10), configs())
def test_more_violations_never_give_a_greener_colour(base, more, config):
    worse = PartyFacts(**{**base.__dict__, "violations": base.violations + more})
    assert rank(risk_color(worse, config)[0]) >= rank(risk_color(base, config)[0])


@given(facts, st.sampled_from(["complaints", "failed_inspections"]), st.integers(1, 10), configs())
def test_more_complaints_or_failed_inspections_never_give_a_greener_colour(base, field, more, config):
    worse = PartyFacts(**{**base.__dict__, field: getattr(base, field) + more})
    assert rank(risk_color(worse, config)[0]) >= rank(risk_color(base, config)[0])


@given(facts, configs())
def test_serious_violation_or_key_industry_never_give_a_greener_colour(base, config):
    for worse in (
        PartyFacts(**{**base.__dict__, "serious_violation": True}),
        PartyFacts(**{**base.__dict__, "key_industry": "危险化学品"}),
    ):
        assert rank(risk_color(worse, config)[0]) >= rank(risk_color(base, config)[0])


@given(facts, configs())
def test_every_result_is_a_colour_with_reasons(f, config):
    color, reasons = risk_color(f, config)
    assert color in COLORS and len(reasons) >= 2 and all(isinstance(r, str) and r for r in reasons)
