"""The closed loop, deadlines, place and responsibility rules — pure, no database."""

import datetime as dt
from decimal import Decimal

import pytest

from zhifa.core.workdays import WorkdayCalendar
from zhifa.dispatch import rules

CAL = WorkdayCalendar()


@pytest.mark.parametrize(
    ("state", "action", "target"),
    [
        ("reported", "assign", "assigned"),
        ("returned", "assign", "assigned"),
        ("assigned", "accept", "accepted"),
        ("assigned", "return", "returned"),
        ("accepted", "handle", "handling"),
        ("handling", "reply", "replied"),
        ("accepted", "reply", "replied"),
        ("replied", "evaluate", "evaluated"),
        ("evaluated", "close", "closed"),
        ("closed", "reopen", "assigned"),
        ("handling", "transfer", "assigned"),
    ],
)
def test_the_loop_moves_forward(state, action, target):
    assert rules.next_state(state, action) == target


@pytest.mark.parametrize(
    ("state", "action"),
    [
        ("reported", "accept"),
        ("reported", "reply"),
        ("assigned", "close"),
        ("handling", "evaluate"),
        ("closed", "assign"),
        ("merged", "reopen"),
        ("replied", "transfer"),
        ("evaluated", "merge"),
    ],
)
def test_skipping_a_step_is_refused(state, action):
    refusal = rules.next_state(state, action)
    assert isinstance(refusal, rules.Refusal) and refusal.code == "invalid_transition"


@pytest.mark.parametrize(
    ("action", "kwargs", "code"),
    [
        ("return", {"state": "assigned", "reason": "  "}, "reason_required"),
        ("transfer", {"state": "assigned", "reason": "不归我们管", "same_org": True}, "transfer_same_org"),
        ("transfer", {"state": "assigned", "reason": "x", "has_org": False}, "responsible_org_required"),
        ("reopen", {"state": "closed"}, "reason_required"),
        ("reply", {"state": "handling", "reply": ""}, "reply_required"),
    ],
)
def test_guards_name_their_reason(action, kwargs, code):
    refusal = rules.action_refusal(action, **kwargs)
    assert refusal is not None and refusal.code == code


def test_guards_let_a_complete_action_through():
    assert rules.action_refusal("evaluate", state="replied") is None  # the command centre checks the reply
    assert rules.action_refusal("close", state="evaluated") is None
    assert rules.action_refusal("return", state="assigned", reason="不属于本镇清单") is None


def test_normal_deadline_skips_the_national_day_holiday_and_counts_the_make_up_saturday():
    # Assigned Wed 30 Sep 2026: 1–7 Oct are holidays, Sat 10 Oct is a make-up working day.
    rule = rules.deadline_rule(rules.NORMAL)
    assert rules.due_date(CAL, dt.date(2026, 9, 30), rule) == dt.date(2026, 10, 13)
    assert rules.due_date(CAL, dt.date(2026, 9, 30), rules.deadline_rule(rules.URGENT)) == dt.date(
        2026, 10, 8
    )
    assert rules.due_date(CAL, dt.date(2026, 9, 30), rule, rules.ESCALATION_FACTOR) == dt.date(2026, 10, 27)


def test_calendar_day_deadline_rolls_off_a_rest_day():
    rule = rules.DeadlineRule(1, working_days=False)
    assert rules.due_date(CAL, dt.date(2026, 9, 30), rule) == dt.date(2026, 10, 8)


def test_domain_overrides_the_default_deadline():
    assert rules.deadline_rule(rules.NORMAL, "燃气管理").days == 2
    assert rules.deadline_rule(rules.NORMAL, "市容环境卫生").days == 5
    assert rules.deadline_rule(rules.URGENT, "燃气管理").days == 1


def test_flags_count_only_while_work_is_owed():
    due = dt.datetime(2026, 10, 13, 23, 59, 59, tzinfo=dt.UTC)
    esc = dt.datetime(2026, 10, 27, 23, 59, 59, tzinfo=dt.UTC)
    later = dt.datetime(2026, 10, 20, tzinfo=dt.UTC)
    assert rules.deadline_flags(later, "handling", due, esc) == (True, False)
    assert rules.deadline_flags(dt.datetime(2026, 11, 1, tzinfo=dt.UTC), "accepted", due, esc) == (True, True)
    assert rules.deadline_flags(later, "replied", due, esc) == (False, False)


def test_bounding_box_of_the_district():
    assert not rules.outside_district(Decimal("28.97"), Decimal("118.95"))
    assert rules.outside_district(Decimal("30.27"), Decimal("120.15"))  # 杭州
    assert rules.outside_district(Decimal("118.95"), Decimal("28.97"))  # swapped


def test_township_from_address_then_from_the_nearest_centre():
    names = list(rules.TOWNSHIP_CENTRES)
    assert rules.township_name_for("衢江区杜泽老街12号", None, None, names) == "杜泽镇"
    assert rules.township_name_for("黄坛口乡政府对面", 28.98, 118.93, names) == "黄坛口乡"
    assert rules.township_name_for("", 28.806, 119.031, names) == "上方镇"
    assert rules.township_name_for("", None, None, names) is None


def test_responsible_body_follows_the_catalog():
    common = {"township_team_id": 7, "district_claimant_id": None, "bureau_id": 1}
    assert rules.responsible_body(enforcing_body="township", on_township_list=True, **common).org_id == 7
    # An optional item the township did not choose stays with the bureau.
    assert rules.responsible_body(enforcing_body="township", on_township_list=False, **common).org_id == 1
    assert (
        rules.responsible_body(
            enforcing_body="comprehensive",
            on_township_list=False,
            township_team_id=7,
            district_claimant_id=3,
            bureau_id=1,
        ).org_id
        == 3
    )
    assert (
        rules.responsible_body(
            enforcing_body="professional",
            on_township_list=False,
            township_team_id=7,
            district_claimant_id=9,
            bureau_id=1,
        ).org_id
        == 9
    )
    assert (
        rules.responsible_body(enforcing_body="professional", on_township_list=False, **common).org_id is None
    )


def test_distance_and_similarity():
    assert 100 < rules.distance_m(28.9, 118.9, 28.901, 118.9) < 120
    assert rules.jaccard({"油烟", "饭店"}, {"油烟", "扰民"}) == pytest.approx(1 / 3)
    assert rules.jaccard(set(), {"a"}) == 0


def test_phone_masking():
    assert rules.mask_phone("13812345678") == "138****5678"
    assert rules.mask_phone("123") == "***"


CLOSED_AT = dt.datetime(2026, 5, 1, 10, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"state": "replied", "score": 5, "closed_at": None, "rated_at": None}, "not_closed"),
        (
            {"state": "closed", "score": 0, "closed_at": CLOSED_AT, "rated_at": None},
            "satisfaction_out_of_range",
        ),
        (
            {"state": "closed", "score": 6, "closed_at": CLOSED_AT, "rated_at": None},
            "satisfaction_out_of_range",
        ),
        (
            {"state": "closed", "score": None, "closed_at": CLOSED_AT, "rated_at": None},
            "satisfaction_out_of_range",
        ),
        (
            {"state": "closed", "score": True, "closed_at": CLOSED_AT, "rated_at": None},
            "satisfaction_out_of_range",
        ),
        (
            {
                "state": "closed",
                "score": 4,
                "closed_at": CLOSED_AT,
                "rated_at": CLOSED_AT + dt.timedelta(hours=1),
            },
            "already_rated",
        ),
    ],
)
def test_the_reporter_rates_once_per_closure_from_one_to_five(kwargs, code):
    # 闭环管理：办结后由群众评价满意度（1–5 分），每次办结评价一次
    refusal = rules.rating_refusal(**kwargs)
    assert refusal is not None and refusal.code == code and refusal.field == "satisfaction"


def test_a_rating_after_a_second_closure_counts_again_and_two_or_less_is_dissatisfied():
    assert (
        rules.rating_refusal(
            state="closed", score=3, closed_at=CLOSED_AT, rated_at=CLOSED_AT - dt.timedelta(days=3)
        )
        is None
    )
    assert rules.dissatisfied(2) and rules.dissatisfied(1) and not rules.dissatisfied(3)


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"state": "replied", "reason": "没修好", "already": False}, "not_closed"),
        ({"state": "closed", "reason": "  ", "already": False}, "reason_required"),
        ({"state": "closed", "reason": "没修好", "already": True}, "already_reopened"),
        ({"state": "closed", "reason": "长" * 501, "already": False}, "reason_too_long"),
    ],
)
def test_the_reporter_may_ask_once_with_a_reason_to_reopen(kwargs, code):
    refusal = rules.citizen_reopen_refusal(**kwargs)
    assert refusal is not None and refusal.code == code
    assert rules.citizen_reopen_refusal(state="closed", reason="摊贩又回来了", already=False) is None
