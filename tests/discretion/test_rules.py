"""Pure rules of discretion baselines: validation, matching, recommendation, deviation (no database)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from zhifa.discretion import rules
from zhifa.discretion.rules import Baseline, Entry, Facts, Level, PenaltyRange

FIXED = rules.FIXED


def fixed(low, high) -> PenaltyRange:
    return PenaltyRange(FIXED, D(low), D(high))


# 占道经营-like: statute 0–1000 yuan.
STATUTE = fixed(0, 1000)
STALLS = Baseline(
    (
        Level(
            "minor",
            {"first_offence": True, "corrected_in_time": True, "harm_max": "none"},
            PenaltyRange(rules.NO_FINE),
        ),
        Level("ordinary", {"amount": {"min": 0, "max": 5000}}, fixed(50, 200)),
        Level("serious", {"amount": {"min": 5000, "max": None}}, fixed(200, 500)),
        Level("grave", {"repeat": True}, fixed(500, 1000)),
    ),
    STATUTE,
)


def codes(baseline: Baseline) -> set[str]:
    return {p.code for p in rules.validate_baseline(baseline)}


def test_the_example_baseline_is_valid():
    assert rules.validate_baseline(STALLS) == []


def test_overlapping_levels_are_refused():
    levels = list(STALLS.levels)
    levels[2] = replace(levels[2], conditions={"amount": {"min": 4000, "max": None}})
    assert "levels_overlap" in codes(replace(STALLS, levels=tuple(levels)))


def test_gapped_levels_are_refused():
    levels = list(STALLS.levels)
    levels[2] = replace(levels[2], conditions={"amount": {"min": 6000, "max": None}})
    assert "levels_gap" in codes(replace(STALLS, levels=tuple(levels)))


def test_bounded_top_band_leaves_a_gap():
    levels = list(STALLS.levels)
    levels[2] = replace(levels[2], conditions={"amount": {"min": 5000, "max": 9000}})
    assert "levels_gap" in codes(replace(STALLS, levels=tuple(levels)))


def test_two_unbanded_base_levels_overlap():
    levels = (Level("ordinary", {}, fixed(0, 500)), Level("serious", {}, fixed(500, 1000)))
    assert "levels_overlap" in codes(Baseline(levels, STATUTE))


def test_range_above_the_statute_is_refused():
    levels = list(STALLS.levels)
    levels[3] = replace(levels[3], range=fixed(500, 1500))
    problems = rules.validate_baseline(replace(STALLS, levels=tuple(levels)))
    assert [(p.index, p.code) for p in problems] == [(3, "range_above_statute")]
    assert "国办发〔2022〕27号" in problems[0].message


def test_below_the_minimum_only_as_an_explicit_mitigated_entry():
    statute = fixed(500, 20000)
    levels = (
        Level("minor", {"corrected_in_time": True}, fixed(100, 500)),
        Level("ordinary", {}, fixed(500, 5000)),
    )
    problems = rules.validate_baseline(Baseline(levels, statute))
    assert [p.code for p in problems] == ["range_below_statute"]
    assert "第三十二条" in problems[0].message
    mitigated = (replace(levels[0], mitigated=True), levels[1])
    assert rules.validate_baseline(Baseline(mitigated, statute)) == []


def test_a_more_serious_level_may_not_have_a_lower_minimum():
    levels = list(STALLS.levels)
    levels[2] = replace(levels[2], range=fixed(20, 500))
    assert "not_monotonic" in codes(replace(STALLS, levels=tuple(levels)))


def test_mixed_and_unknown_conditions_are_refused():
    levels = list(STALLS.levels)
    levels[0] = replace(levels[0], conditions={"first_offence": True, "repeat": True})
    assert "mixed_conditions" in codes(replace(STALLS, levels=tuple(levels)))
    levels[0] = replace(levels[0], conditions={"weather": "rainy"})
    assert "condition_unknown" in codes(replace(STALLS, levels=tuple(levels)))


def test_levels_must_be_in_severity_order_and_unique():
    levels = (STALLS.levels[1], STALLS.levels[0], *STALLS.levels[2:])
    assert "levels_out_of_order" in codes(replace(STALLS, levels=levels))
    assert "level_duplicate" in codes(replace(STALLS, levels=(*STALLS.levels, STALLS.levels[3])))


def test_matching_levels():
    assert rules.match_level(STALLS, Facts(amount_involved=D(100))).name == "ordinary"
    assert rules.match_level(STALLS, Facts(amount_involved=D(5000))).name == "serious"
    assert rules.match_level(STALLS, Facts(first_offence=True, corrected_in_time=True)).name == "minor"
    # Aggravation wins: a repeat offender is never treated as minor.
    assert (
        rules.match_level(STALLS, Facts(first_offence=True, corrected_in_time=True, repeat=True)).name
        == "grave"
    )


def _articles(rec) -> list[str]:
    return [article for _, article in rec.reasons]


def test_minor_corrected_without_harm_gets_no_penalty_citing_article_33():
    rec = rules.recommend(STALLS, [], Facts(first_offence=True, corrected_in_time=True))
    assert rec.applicable_entry == rules.NO_PENALTY and rec.lawful_range.kind == rules.NO_FINE
    assert rules.ART33_1 in _articles(rec)
    assert rules.ART34 in _articles(rec)


def test_first_offence_waiver_needs_a_list_entry():
    waiver = Entry(
        rules.NO_PENALTY, {"first_offence": True, "harm_max": "minor"}, rules.ART33_1, True, "首次占道经营"
    )
    facts = Facts(first_offence=True, corrected_in_time=True, harm="minor", amount_involved=D(100))
    assert rules.recommend(STALLS, [], facts).lawful_range == fixed(50, 200)
    rec = rules.recommend(STALLS, [waiver], facts)
    assert rec.applicable_entry == rules.FIRST_OFFENCE_WAIVER and rec.entry == waiver
    assert rules.ART33_1 in _articles(rec)
    # Not corrected in time: no waiver.
    assert rules.recommend(STALLS, [waiver], replace(facts, corrected_in_time=False)).applicable_entry is None


def test_no_subjective_fault_and_children_get_no_penalty():
    rec = rules.recommend(STALLS, [], Facts(no_subjective_fault=True, amount_involved=D(9000)))
    assert rec.applicable_entry == rules.NO_PENALTY and rules.ART33_2 in _articles(rec)
    rec = rules.recommend(STALLS, [], Facts(age=13, amount_involved=D(9000)))
    assert rec.applicable_entry == rules.NO_PENALTY and rules.ART30 in _articles(rec)
    rec = rules.recommend(STALLS, [], Facts(mental_incapacity=True, repeat=True))
    assert rec.applicable_entry == rules.NO_PENALTY and rules.ART31 in _articles(rec)


def test_minors_and_article_32_circumstances_are_lighter_or_mitigated():
    rec = rules.recommend(STALLS, [], Facts(age=16, amount_involved=D(9000)))
    assert rec.applicable_entry == rules.MITIGATED and rec.lawful_range == fixed(0, 350)
    assert rules.ART30 in _articles(rec)
    rec = rules.recommend(
        STALLS, [], Facts(art32_circumstances=frozenset({"confessed"}), amount_involved=D(9000))
    )
    assert rules.ART32 in _articles(rec) and rec.mitigation_basis


def test_lighter_list_entry_takes_the_lower_half():
    lighter = Entry(rules.LIGHTER, {"corrected_in_time": True}, rules.ART32, title="主动改正")
    rec = rules.recommend(
        STALLS, [lighter], Facts(corrected_in_time=True, amount_involved=D(100), harm="minor")
    )
    assert rec.applicable_entry == rules.LIGHTER and rec.lawful_range == fixed(50, 125)


def test_multiples_are_converted_to_yuan():
    statute = PenaltyRange(rules.VALUE_MULTIPLE, D(3), D(5))
    baseline = Baseline(
        (
            Level(
                "ordinary",
                {"amount": {"min": 0, "max": 10000}},
                PenaltyRange(rules.VALUE_MULTIPLE, D(3), D(4)),
            ),
            Level(
                "serious",
                {"amount": {"min": 10000, "max": None}},
                PenaltyRange(rules.VALUE_MULTIPLE, D(4), D(5)),
            ),
        ),
        statute,
    )
    assert rules.validate_baseline(baseline) == []
    rec = rules.recommend(baseline, [], Facts(amount_involved=D(2000), value_involved=D(2000)))
    assert rec.yuan == (D(6000), D(8000))
    assert rules.recommend(baseline, [], Facts(amount_involved=D(2000))).yuan is None


def test_deviation_check():
    rec = rules.recommend(STALLS, [], Facts(amount_involved=D(100)))
    assert rules.deviation_check(rec, D(150), "") == rules.DeviationResult(True, False, None, "在推荐幅度内")
    refused = rules.deviation_check(rec, D(400), "")
    assert not refused.allowed and refused.code == "deviation_reason_required"
    reasoned = rules.deviation_check(rec, D(400), "多次劝导不听，占道面积大")
    assert reasoned.allowed and reasoned.needs_legal_review
    above = rules.deviation_check(rec, D(1200), "理由")
    assert not above.allowed and above.code == "above_statutory_range"
    # A fine for someone the rules say not to punish needs a reason and legal review.
    none = rules.recommend(STALLS, [], Facts(first_offence=True, corrected_in_time=True))
    assert rules.deviation_check(none, D(100), "").code == "deviation_reason_required"
    assert rules.deviation_check(none, D(0), "").allowed


def test_below_statutory_minimum_needs_a_mitigation_basis():
    statute = fixed(500, 20000)
    baseline = Baseline((Level("ordinary", {}, fixed(500, 5000)),), statute)
    rec = rules.recommend(baseline, [], Facts())
    assert rules.deviation_check(rec, D(300), "理由").code == "below_statutory_range"
    mitigated = rules.recommend(baseline, [], Facts(art32_circumstances=frozenset({"removed_harm"})))
    assert rules.deviation_check(mitigated, D(300), "").allowed


# ---- properties ----

HARMS = ["none", "minor", "serious"]


@st.composite
def baselines(draw):
    """Random valid baselines: base levels tiling the amount axis, optional minor and grave levels."""
    stat_low = D(draw(st.integers(0, 500)))
    stat_high = stat_low + D(draw(st.integers(100, 50000)))
    cuts = sorted(set(draw(st.lists(st.integers(1, 100000), min_size=0, max_size=2))))
    names = ["ordinary", "serious", "grave"][: len(cuts) + 1]
    bounds = [0, *cuts, None]
    points = sorted(D(draw(st.integers(int(stat_low), int(stat_high)))) for _ in range(len(names) + 2))
    levels = []
    if draw(st.booleans()):
        mitigated = draw(st.booleans())
        low = D(0) if mitigated else stat_low
        levels.append(
            Level(
                "minor",
                {
                    "first_offence": True,
                    "corrected_in_time": draw(st.booleans()),
                    "harm_max": draw(st.sampled_from(["none", "minor"])),
                },
                PenaltyRange(FIXED, low, points[0]),
                mitigated=mitigated,
            )
        )
    for n, name in enumerate(names):
        band = {"amount": {"min": bounds[n], "max": bounds[n + 1]}} if len(names) > 1 else {}
        levels.append(Level(name, band, PenaltyRange(FIXED, points[n], points[n + 1])))
    if "grave" not in names and draw(st.booleans()):
        levels.append(
            Level(
                "grave",
                {draw(st.sampled_from(["repeat", "refused_correction"])): True},
                PenaltyRange(FIXED, points[-2], points[-1]),
            )
        )
    baseline = Baseline(tuple(levels), PenaltyRange(FIXED, stat_low, stat_high))
    assert rules.validate_baseline(baseline) == [], rules.validate_baseline(baseline)
    return baseline


@st.composite
def facts(draw):
    return Facts(
        first_offence=draw(st.booleans()),
        corrected_in_time=draw(st.booleans()),
        harm=draw(st.sampled_from(HARMS)),
        amount_involved=D(draw(st.integers(0, 200000))),
        repeat=draw(st.booleans()),
        refused_correction=draw(st.booleans()),
        no_subjective_fault=draw(st.booleans()),
        age=draw(st.sampled_from([None, 12, 15, 30])),
        art32_circumstances=frozenset(
            draw(st.sets(st.sampled_from(sorted(rules.ART32_CIRCUMSTANCES)), max_size=1))
        ),
    )


@st.composite
def entries(draw):
    kinds = draw(
        st.lists(
            st.sampled_from([rules.NO_PENALTY, rules.LIGHTER, rules.MITIGATED, rules.NO_COMPULSION]),
            max_size=3,
        )
    )
    result = []
    for kind in kinds:
        conditions = {"first_offence": True} if draw(st.booleans()) else {}
        if draw(st.booleans()):
            conditions["harm_max"] = draw(st.sampled_from(["none", "minor"]))
        if draw(st.booleans()):
            conditions["amount_max"] = draw(st.integers(1, 50000))
        waiver = kind == rules.NO_PENALTY and conditions.get("first_offence", False) and draw(st.booleans())
        result.append(Entry(kind, conditions, "", waiver, kind))
    return result


def more_serious(base: Facts, data) -> Facts:
    """Facts at least as serious as ``base`` on every ordered dimension (same age and circumstances)."""
    return replace(
        base,
        first_offence=base.first_offence and data.draw(st.booleans()),
        corrected_in_time=base.corrected_in_time and data.draw(st.booleans()),
        harm=data.draw(st.sampled_from(HARMS[HARMS.index(base.harm) :])),
        amount_involved=base.amount_involved + D(data.draw(st.integers(0, 100000))),
        repeat=base.repeat or data.draw(st.booleans()),
        refused_correction=base.refused_correction or data.draw(st.booleans()),
        no_subjective_fault=base.no_subjective_fault and data.draw(st.booleans()),
    )


@settings(max_examples=300, deadline=None)
@given(baselines(), entries(), facts())
def test_recommended_range_lies_within_the_statute_or_the_mitigated_range(baseline, flexible, f):
    rec = rules.recommend(baseline, flexible, f)
    r = rec.lawful_range
    if r.kind == rules.NO_FINE:
        return
    statute = baseline.statutory
    assert r.low <= r.high
    if rec.mitigation_basis or rec.level.mitigated:
        assert D(0) <= r.low and r.high <= statute.high  # 减轻: below the minimum, never above the maximum
    else:
        assert statute.contains(r)


@settings(max_examples=300, deadline=None)
@given(baselines(), entries(), facts(), st.data())
def test_more_serious_facts_never_get_a_lower_minimum(baseline, flexible, f, data):
    g = more_serious(f, data)
    low_f = rules.minimum(rules.recommend(baseline, flexible, f).lawful_range)
    low_g = rules.minimum(rules.recommend(baseline, flexible, g).lawful_range)
    assert low_g >= low_f


def test_conditions_in_words():
    assert rules.describe_conditions(STALLS.levels[0].conditions) == "首次违法、及时改正、未造成危害后果"
    assert rules.describe_conditions(STALLS.levels[2].conditions) == "涉案金额 5000 元以上"
    assert rules.describe_conditions({}) == "其他情形"
