"""The to-do registry (core.todo) without a database: registration, order, several roles, the
arrangement of sections, and a failing provider that does not take the page down."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from zhifa.core import todo

TODAY = dt.date(2026, 3, 10)


@pytest.fixture
def registry(monkeypatch):
    monkeypatch.setattr(todo, "_REGISTRY", [])
    return todo


def _user(role, *more, superuser=False):
    return SimpleNamespace(
        is_authenticated=True, role=role, roles=frozenset({role, *more}), is_superuser=superuser
    )


def _section(key, *dues, count=None, figures=()):
    items = [todo.Item(f"{key}-{i}", f"/{key}/{i}/", due=d) for i, d in enumerate(dues)]
    return todo.Section(key, key, count=len(items) if count is None else count, items=items, figures=figures)


def test_providers_of_a_role_run_in_their_order(registry):
    registry.register("officer", lambda u, t: _section("b"), order=20)
    registry.register("officer", lambda u, t: _section("a"), order=10)
    [desk] = registry.desks_for(_user("officer"), TODAY)
    assert desk.role == "officer"
    assert [s.key for s in desk.sections] == ["a", "b"]


def test_a_user_with_several_roles_sees_each_role_main_role_first_and_shared_providers_once(registry):
    shared = registry.provider("officer", "head")(lambda u, t: _section("shared"))
    registry.register("head", lambda u, t: _section("approvals"), order=5)
    registry.register("officer", lambda u, t: _section("incidents"), order=1)
    desks = registry.desks_for(_user("head", "officer"), TODAY)
    assert [d.role for d in desks] == ["head", "officer"]
    assert [s.key for s in desks[0].sections] == ["approvals", "shared"]
    assert [s.key for s in desks[1].sections] == ["incidents"]  # "shared" only once
    assert shared is not None


def test_roles_the_user_does_not_hold_are_not_shown(registry):
    registry.register("supervisor", lambda u, t: _section("alerts"))
    assert registry.desks_for(_user("officer"), TODAY) == []


def test_a_provider_may_decline_with_none(registry):
    registry.register("officer", lambda u, t: None)
    registry.register("officer", lambda u, t: _section("x"))
    [desk] = registry.desks_for(_user("officer"), TODAY)
    assert [s.key for s in desk.sections] == ["x"]


def test_registering_the_same_provider_twice_is_harmless(registry):
    def provider(user, today):
        return _section("once")

    registry.register("officer", provider)
    registry.register("officer", provider)
    [desk] = registry.desks_for(_user("officer"), TODAY)
    assert len(desk.sections) == 1


def test_work_with_the_nearest_deadline_comes_first_then_figures_then_empty_sections(registry):
    sections = [
        _section("empty"),
        _section("later", dt.date(2026, 3, 20)),
        _section("figures", figures=[todo.Figure("在岗", "12")]),
        _section("no-deadline", None),
        _section("overdue", dt.date(2026, 3, 1), dt.date(2026, 4, 1)),
    ]
    assert [s.key for s in todo.arrange(sections)] == ["overdue", "later", "no-deadline", "figures", "empty"]


def test_the_nearest_strip_lists_deadlines_across_sections_overdue_first(registry):
    registry.register("officer", lambda u, t: _section("a", dt.date(2026, 3, 12), None))
    registry.register("officer", lambda u, t: _section("b", dt.date(2026, 3, 9)))
    desks = registry.desks_for(_user("officer"), TODAY)
    assert [i.title for i in todo.nearest(desks, TODAY)] == ["b-0", "a-0"]


def test_a_failing_provider_shows_a_notice_instead_of_breaking_the_page(registry, settings):
    settings.DEBUG = False

    def broken(user, today):
        raise RuntimeError("boom")

    registry.register("officer", broken)
    registry.register("officer", lambda u, t: _section("fine"))
    [desk] = registry.desks_for(_user("officer"), TODAY)
    assert desk.sections[0].title == "本栏暂时无法加载" and desk.sections[0].failed
    assert [s.key for s in desk.sections][1:] == ["fine"]


def test_a_failing_provider_raises_while_debugging(registry, settings):
    settings.DEBUG = True
    registry.register("officer", lambda u, t: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        registry.desks_for(_user("officer"), TODAY)


@pytest.mark.parametrize(
    ("due", "level"),
    [
        (dt.date(2026, 3, 9), "bad"),
        (dt.date(2026, 3, 10), "warn"),
        (dt.date(2026, 3, 13), "warn"),
        (dt.date(2026, 3, 14), "info"),
        (None, "info"),
    ],
)
def test_an_item_is_red_when_overdue_amber_within_three_days(due, level):
    assert todo.Item("x", "/", due=due).level_on(TODAY) == level


def test_an_item_due_at_a_time_counts_the_local_day():
    aware = dt.datetime(2026, 3, 10, 17, 0, tzinfo=dt.UTC)  # 01:00 on 11 March in Shanghai
    assert todo.Item("x", "/", due=aware).due_date == dt.date(2026, 3, 11)


def test_every_role_of_the_platform_has_a_landing_page(db):
    """Each role of User.Role has at least one provider (the apps' todo.py are loaded by web)."""
    from zhifa.organizations.models import User

    assert set(User.Role.values) <= todo.registered_roles()
