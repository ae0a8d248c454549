"""The demo baselines and lists load on the demo catalog, are valid, and are idempotent."""

from __future__ import annotations

import datetime as dt

import pytest

from zhifa.catalog.demo import load_demo_catalog
from zhifa.discretion import rules, selectors, services
from zhifa.discretion.demo import BASELINES, load_demo_discretion
from zhifa.discretion.models import DiscretionBaseline, FlexibleListEntry

pytestmark = pytest.mark.django_db


def test_demo_loads_valid_baselines_for_high_frequency_items(world):
    load_demo_catalog()
    counts = load_demo_discretion()
    assert counts["baselines"] == len(BASELINES) >= 20
    assert counts["entries"] >= 10
    day = dt.date(2026, 3, 1)
    in_force = selectors.baselines_valid_on(day).select_related("item").prefetch_related("levels")
    assert in_force.count() == len(BASELINES)
    for baseline in in_force:
        assert baseline.item.high_frequency
        assert rules.validate_baseline(baseline.to_rule()) == [], baseline
    assert FlexibleListEntry.objects.filter(first_offence_waiver=True).count() >= 5
    ind = selectors.indicator(day)
    assert (
        ind.with_baseline == len(BASELINES) and 0 < ind.value < 1
    )  # items ruled by local amounts stay without
    # The revised 露天烧烤 baseline: a case filed before July 2025 keeps version 1.
    assert (
        selectors.baseline_in_force(
            DiscretionBaseline.objects.filter(item__code="330208009000").first().item_id, dt.date(2025, 3, 1)
        ).version
        == 1
    )
    rec = services.recommend_for(
        selectors.penalty_items().get(code="330209014000"),
        {"first_offence": True, "corrected_in_time": True, "harm": "minor"},
        day,
    )
    assert rec.applicable_entry == rules.FIRST_OFFENCE_WAIVER
    assert load_demo_discretion() == {"baselines": 0, "entries": 0}
