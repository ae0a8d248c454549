"""Baselines and lists against PostgreSQL: refusals save nothing, versions follow the filing date,
recommendations cite articles, the indicator matches a hand count."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from tests.discretion.conftest import DAY, STALL_LEVELS
from zhifa.core.errors import DomainError, PermissionDenied
from zhifa.core.models import AuditEvent
from zhifa.discretion import rules, selectors, services
from zhifa.discretion.models import CircumstanceLevel, DiscretionBaseline, FlexibleListEntry

pytestmark = pytest.mark.django_db


def _codes(exc: ValidationError) -> set[tuple[str, str]]:
    return {(field, e.code) for field, errors in exc.error_dict.items() for e in errors}


def _nothing_saved():
    assert DiscretionBaseline.objects.count() == 0
    assert CircumstanceLevel.objects.count() == 0
    assert not AuditEvent.objects.filter(action__startswith="baseline.").exists()


def stall_baseline(world, items, levels=STALL_LEVELS, day=DAY, approve=True):
    baseline = services.create_baseline(
        world.guidance_user, items.stalls, {"effective_from": day, "levels": levels}
    )
    return services.approve_baseline(world.guidance_user, baseline.pk, day) if approve else baseline


def test_create_and_approve_is_audited(world, items):
    baseline = stall_baseline(world, items)
    assert baseline.status == "in_force" and baseline.version == 1 and baseline.published_on == DAY
    assert (baseline.statutory_kind, baseline.statutory_low, baseline.statutory_high) == (
        "fixed",
        D(0),
        D(1000),
    )
    assert list(baseline.levels.values_list("name", flat=True)) == ["minor", "ordinary", "serious", "grave"]
    assert list(AuditEvent.objects.order_by("seq").values_list("action", flat=True)) == [
        "baseline.create",
        "baseline.approve",
    ]


def test_overlapping_levels_refused_nothing_saved(world, items):
    levels = [dict(lv) for lv in STALL_LEVELS]
    levels[2]["conditions"] = {"amount": {"min": 3000, "max": None}}
    with pytest.raises(ValidationError) as exc:
        stall_baseline(world, items, levels)
    assert ("levels.2.conditions", "levels_overlap") in _codes(exc.value)
    _nothing_saved()


def test_gapped_levels_refused_nothing_saved(world, items):
    levels = [dict(lv) for lv in STALL_LEVELS]
    levels[2]["conditions"] = {"amount": {"min": 8000, "max": None}}
    with pytest.raises(ValidationError) as exc:
        stall_baseline(world, items, levels)
    assert ("levels.2.conditions", "levels_gap") in _codes(exc.value)
    _nothing_saved()


def test_range_outside_the_statute_refused_nothing_saved(world, items):
    levels = [dict(lv) for lv in STALL_LEVELS]
    levels[3]["range_high"] = 3000
    with pytest.raises(ValidationError) as exc:
        stall_baseline(world, items, levels)
    assert ("levels.3.range", "range_above_statute") in _codes(exc.value)
    _nothing_saved()


def test_below_minimum_refused_unless_mitigated(world, items):
    levels = [
        {
            "name": "minor",
            "conditions": {"corrected_in_time": True},
            "range_kind": "fixed",
            "range_low": 100,
            "range_high": 500,
        },
        {"name": "ordinary", "conditions": {}, "range_kind": "fixed", "range_low": 500, "range_high": 5000},
    ]
    with pytest.raises(ValidationError) as exc:
        services.create_baseline(
            world.guidance_user, items.barbecue, {"effective_from": DAY, "levels": levels}
        )
    assert ("levels.0.range", "range_below_statute") in _codes(exc.value)
    _nothing_saved()
    levels[0]["mitigated"] = True
    assert services.create_baseline(
        world.guidance_user, items.barbecue, {"effective_from": DAY, "levels": levels}
    ).pk


def test_item_without_fixed_range_needs_multiples(world, items):
    levels = [
        {"name": "ordinary", "conditions": {}, "range_kind": "fixed", "range_low": 0, "range_high": 100}
    ]
    with pytest.raises(ValidationError) as exc:
        services.create_baseline(
            world.guidance_user, items.logging, {"effective_from": DAY, "levels": levels}
        )
    assert ("statutory_kind", "statutory_range_required") in _codes(exc.value)
    levels = [
        {
            "name": "ordinary",
            "conditions": {},
            "range_kind": "value_multiple",
            "range_low": 3,
            "range_high": 5,
        }
    ]
    baseline = services.create_baseline(
        world.guidance_user,
        items.logging,
        {
            "effective_from": DAY,
            "levels": levels,
            "statutory_kind": "value_multiple",
            "statutory_low": 3,
            "statutory_high": 5,
        },
    )
    assert baseline.statutory == rules.PenaltyRange("value_multiple", D(3), D(5))


def test_only_drafters_and_approvers(world, items):
    with pytest.raises(PermissionDenied):
        services.create_baseline(world.user_a, items.stalls, {"effective_from": DAY, "levels": STALL_LEVELS})
    baseline = services.create_baseline(
        world.bureau_admin, items.stalls, {"effective_from": DAY, "levels": STALL_LEVELS}
    )
    with pytest.raises(PermissionDenied):
        services.approve_baseline(world.bureau_admin, baseline.pk)


def test_a_case_filed_before_a_new_version_keeps_the_old_one(world, items):
    first = stall_baseline(world, items)
    levels = [dict(lv) for lv in STALL_LEVELS]
    levels[1] = {**levels[1], "range_low": 100, "range_high": 300}
    levels[2] = {**levels[2], "range_low": 300}
    second = stall_baseline(world, items, levels, day=dt.date(2026, 7, 1))
    first.refresh_from_db()
    assert (first.status, first.effective_to) == ("superseded", dt.date(2026, 6, 30))
    assert second.version == 2
    assert selectors.baseline_in_force(items.stalls, dt.date(2026, 3, 1)).pk == first.pk
    assert selectors.baseline_in_force(items.stalls, dt.date(2026, 6, 30)).pk == first.pk
    assert selectors.baseline_in_force(items.stalls, dt.date(2026, 7, 1)).pk == second.pk
    assert selectors.baseline_in_force(items.stalls, dt.date(2025, 12, 31)) is None
    facts = {"amount_involved": "100"}
    assert services.recommend_for(
        items.stalls, facts, dt.date(2026, 3, 1)
    ).lawful_range == rules.PenaltyRange("fixed", D(50), D(200))
    assert services.recommend_for(
        items.stalls, facts, dt.date(2026, 8, 1)
    ).lawful_range == rules.PenaltyRange("fixed", D(100), D(300))


def test_entry_for_a_repealed_item_refused_nothing_saved(world, items):
    with pytest.raises(DomainError) as exc:
        services.add_list_entry(
            world.guidance_user,
            items.old,
            {
                "kind": "no_penalty",
                "title": "首次",
                "conditions_text": "首次违法",
                "legal_basis": rules.ART33_1,
                "effective_from": DAY,
            },
        )
    assert exc.value.code == "item_repealed" and "第三十八条" in exc.value.message
    assert FlexibleListEntry.objects.count() == 0
    assert not AuditEvent.objects.exists()


def test_waiver_entry_and_recommendation_cite_articles(world, items):
    stall_baseline(world, items)
    services.add_list_entry(
        world.guidance_user,
        items.stalls,
        {
            "kind": "no_penalty",
            "first_offence_waiver": True,
            "title": "首次占道经营且及时改正",
            "conditions_text": "首次被发现占道经营，危害后果轻微，及时改正",
            "conditions": {"first_offence": True, "harm_max": "minor"},
            "legal_basis": rules.ART33_1,
            "effective_from": DAY,
            "published_on": DAY,
        },
    )
    rec = services.recommend_for(
        items.stalls,
        {"first_offence": True, "corrected_in_time": True, "harm": "minor", "amount_involved": 300},
        dt.date(2026, 2, 1),
    )
    assert rec.applicable_entry == rules.FIRST_OFFENCE_WAIVER
    assert [article for _, article in rec.reasons] == [rules.ART34, rules.ART33_1]
    assert all(text for text, _ in rec.reasons)


def test_waiver_entry_must_be_a_first_offence_no_penalty_entry(world, items):
    with pytest.raises(ValidationError) as exc:
        services.add_list_entry(
            world.guidance_user,
            items.stalls,
            {
                "kind": "lighter",
                "first_offence_waiver": True,
                "title": "x",
                "conditions_text": "x",
                "legal_basis": rules.ART32,
                "effective_from": DAY,
            },
        )
    assert ("first_offence_waiver", "waiver_conditions") in _codes(exc.value)


def test_recommend_without_baseline_is_refused(world, items):
    with pytest.raises(DomainError) as exc:
        services.recommend_for(items.noise, {}, DAY)
    assert exc.value.code == "no_baseline"


def test_indicator_against_hand_count(world, items):
    """High-frequency penalty items in force: D1, D2, D3. D1 gets a baseline in force, D2 only a
    draft, D4 (not high-frequency) one in force: 1 / 3."""
    stall_baseline(world, items)
    services.create_baseline(
        world.guidance_user,
        items.barbecue,
        {
            "effective_from": DAY,
            "levels": [
                {
                    "name": "ordinary",
                    "conditions": {},
                    "range_kind": "fixed",
                    "range_low": 500,
                    "range_high": 20000,
                }
            ],
        },
    )
    noise = services.create_baseline(
        world.guidance_user,
        items.noise,
        {
            "effective_from": DAY,
            "levels": [
                {
                    "name": "ordinary",
                    "conditions": {},
                    "range_kind": "fixed",
                    "range_low": 200,
                    "range_high": 20000,
                }
            ],
        },
    )
    services.approve_baseline(world.guidance_user, noise.pk, DAY)
    ind = selectors.indicator(dt.date(2026, 3, 1))
    assert (ind.high_frequency, ind.with_baseline, ind.value, ind.meets_goal) == (3, 1, D("0.3333"), False)
    assert selectors.indicator(dt.date(2025, 6, 1)).with_baseline == 0
    assert {i.code for i in selectors.high_frequency_without_baseline(dt.date(2026, 3, 1))} == {"D2", "D3"}
