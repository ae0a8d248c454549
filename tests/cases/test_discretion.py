"""Deciding follows the discretion baseline in force at filing (国办发〔2022〕27号; 行政处罚法第三十四条):
outside the recommended range needs a written reason and forces legal review (第五十八条)."""

import datetime as dt

import pytest

from tests.cases.conftest import open_general, run_to_notified
from zhifa.cases import services
from zhifa.cases.models import Case, CaseEvent
from zhifa.core.errors import DomainError
from zhifa.discretion import services as discretion

LEVELS = [
    {
        "name": "ordinary",
        "conditions": {"amount": {"min": 0, "max": 5000}},
        "range_kind": "fixed",
        "range_low": 1000,
        "range_high": 3000,
    },
    {
        "name": "serious",
        "conditions": {"amount": {"min": 5000, "max": None}},
        "range_kind": "fixed",
        "range_low": 3000,
        "range_high": 6000,
    },
]
SMALL_CASE = {"amount_involved": "1000"}  # → 一般: 1000–3000 yuan


@pytest.fixture
def with_baseline(cw):
    baseline = discretion.create_baseline(
        cw.world.guidance_user, cw.item, {"effective_from": dt.date(2026, 1, 1), "levels": LEVELS}
    )
    discretion.approve_baseline(cw.world.guidance_user, baseline.pk, dt.date(2026, 1, 1))
    return cw


def _decide(cw, case, amount, **extra):
    return services.transition(
        cw.head,
        case.pk,
        "decide",
        {
            "decision_date": dt.date(2026, 3, 10),
            "penalties_decided": [{"kind": "fine", "amount": amount}],
            "circumstances": SMALL_CASE,
            **extra,
        },
    )


def test_fine_within_the_recommended_range_is_decided(with_baseline):
    cw = with_baseline
    case = _decide(cw, run_to_notified(cw, open_general(cw), fine="2000"), "2000")
    assert case.state == "decided"
    assert "裁量基准" in CaseEvent.objects.get(case=case, action="decide").note


def test_deviation_without_a_written_reason_is_refused(with_baseline):
    cw = with_baseline
    case = run_to_notified(cw, open_general(cw), fine="5000")
    with pytest.raises(DomainError) as exc:
        _decide(cw, case, "5000")
    assert exc.value.code == "deviation_reason_required"
    assert Case.objects.get(pk=case.pk).state == "notified"


def test_deviation_with_a_reason_forces_legal_review(with_baseline):
    cw = with_baseline
    case = run_to_notified(cw, open_general(cw), fine="5000")
    with pytest.raises(DomainError) as exc:
        _decide(cw, case, "5000", deviation_reason="多次劝导拒不改正，影响恶劣")
    assert exc.value.code == "legal_review_missing" and "第五十八条" in exc.value.message
    assert Case.objects.get(pk=case.pk).state == "notified"


def test_items_without_a_baseline_are_decided_as_before(cw):
    case = _decide(cw, run_to_notified(cw, open_general(cw), fine="5000"), "5000")
    assert case.state == "decided"


def test_deviation_with_a_reason_passes_after_legal_review(with_baseline):
    cw = with_baseline
    case = run_to_notified(cw, open_general(cw), fine="5000")
    services.transition(cw.user, case.pk, "submit_legal_review", {"as_of": dt.date(2026, 3, 9)})
    # the review is the reviewer's recorded act (第五十八条), never a flag in the decision request
    review = case.legal_reviews.get()
    services.record_review(
        cw.reviewer,
        review.pk,
        {
            "result": "passed",
            "opinion": "偏离裁量基准理由充分",
            "as_of": dt.date(2026, 3, 9),
            "checklist": dict.fromkeys(
                ("authority", "officers", "facts", "evidence", "procedure", "basis", "documents", "crime"),
                True,
            ),
        },
    )
    case = _decide(cw, case, "5000", deviation_reason="多次劝导拒不改正，影响恶劣")
    assert case.state == "decided"
    note = CaseEvent.objects.get(case=case, action="decide").note
    assert "偏离理由：多次劝导拒不改正" in note
