"""Pure rules of smart enforcement (no database)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from zhifa.smart import rules

DAY = dt.date(2026, 3, 2)
NOON = dt.datetime(2026, 3, 2, 12, 0)


def facts(**overrides) -> rules.DeviceFacts:
    base = dict(
        legal_reviewed_on=DAY,
        check_certificate="C-1",
        check_body="计量院",
        checked_on=DAY,
        check_valid_until=DAY + dt.timedelta(days=365),
        signage=True,
        location="中心街",
        item_count=1,
    )
    return rules.DeviceFacts(**{**base, **overrides})


def test_a_device_is_published_only_after_legal_and_technical_review_with_a_sign():
    """行政处罚法第四十一条第一款: 法制和技术审核、符合标准、设置合理、标志明显."""
    assert rules.publish_refusals(facts(), DAY) == []
    problems = rules.publish_refusals(facts(legal_reviewed_on=None, check_certificate="", signage=False), DAY)
    assert len(problems) == 3 and all("第四十一条" in p for p in problems)
    assert "过期" in rules.publish_refusals(facts(check_valid_until=DAY - dt.timedelta(days=1)), DAY)[0]
    assert "执法事项" in rules.publish_refusals(facts(item_count=0), DAY)[0]


def refusals(**overrides):
    base = dict(
        published_on=DAY - dt.timedelta(days=10),
        registered_certificate="C-1",
        registered_valid_until=DAY + dt.timedelta(days=30),
        sent_check={"certificate_number": "C-1", "valid_until": DAY + dt.timedelta(days=30)},
        occurred=NOON,
        received=NOON + dt.timedelta(minutes=1),
        evidence_count=1,
    )
    return [r.code for r in rules.event_refusals(**{**base, **overrides})]


def test_an_event_is_taken_only_with_the_devices_legal_data_and_evidence():
    """第四十一条: the device published before the event; its check data sent, matching and valid;
    the record with its evidence (真实、清晰、完整、准确)."""
    assert refusals() == []
    assert refusals(sent_check=None) == ["device_check_missing"]
    assert refusals(sent_check={"certificate_number": "C-2", "valid_until": DAY}) == ["device_check_mismatch"]
    assert refusals(sent_check={"certificate_number": "C-1", "valid_until": DAY - dt.timedelta(days=1)}) == [
        "device_check_expired"
    ]
    assert refusals(registered_valid_until=DAY - dt.timedelta(days=1)) == ["device_check_expired"]
    assert refusals(published_on=None) == ["device_not_published"]
    assert refusals(published_on=DAY + dt.timedelta(days=1)) == ["device_not_published"]
    assert refusals(evidence_count=0) == ["evidence_missing"]
    assert refusals(occurred=NOON + dt.timedelta(hours=1)) == ["occurred_in_future"]


def test_the_push_signature_covers_time_and_body():
    key = rules.device_key("secret", "CAM-1", "n1")
    assert key != rules.device_key("secret", "CAM-1", "n2")  # a rotated key differs
    body = b'{"a":1}'
    good = rules.sign(key, "1000", body)
    assert rules.signature_problem(key, "1000", body, good, now=1100) is None
    assert rules.signature_problem(key, "1000", b'{"a":2}', good, now=1100) == "签名不正确"
    assert "相差超过" in rules.signature_problem(key, "1000", body, good, now=1000 + 301)
    assert "Unix" in rules.signature_problem(key, "soon", body, good, now=1000)


def test_a_theme_visits_each_target_once_with_every_body():
    """一件事: 进一次门、查多项事 — every body's task for a target on the same day."""
    days = [DAY + dt.timedelta(days=n) for n in range(5)]
    planned = rules.plan_tasks([(1, 10), (2, 10)], {100: [7], 200: [8], 300: []}, days, joint=True)
    assert {(t.party_id, t.organization_id) for t in planned} == {(1, 100), (1, 200), (2, 100), (2, 200)}
    for party in (1, 2):
        assert len({t.visit_day for t in planned if t.party_id == party}) == 1
    spread = rules.plan_tasks([(1, 10)], {100: [7], 200: [8]}, days, joint=False)
    assert len({t.visit_day for t in spread}) == 2
    assert rules.plan_tasks([(1, 10)], {100: [7]}, [], joint=True) == []


def test_visit_summary_and_its_plain_sentence():
    summary = rules.summarise_visits([frozenset({1, 2, 3}), frozenset({4, 5}), frozenset()])
    assert (summary.visits, summary.bodies, summary.checks, summary.joint, summary.single) == (2, 5, 5, 2, 0)
    assert summary.saved == 3
    sentence = rules.visit_sentence(summary, 2026)
    assert "检查2次" in sentence and "5个部门" in sentence and "少跑了3次" in sentence
    assert "还没有" in rules.visit_sentence(rules.summarise_visits([]), 2026)


@given(st.lists(st.frozensets(st.integers(1, 8), min_size=1, max_size=5), max_size=20))
def test_joint_visits_never_cost_more_visits_than_separate_ones(visits):
    summary = rules.summarise_visits(visits)
    assert summary.visits <= summary.checks and summary.joint + summary.single == summary.visits
    assert summary.bodies <= summary.checks
