"""The menu: at most eight task groups, only the entries the user's roles use, and an officer's
bottom bar on the phone."""

from __future__ import annotations

import re

import pytest

from tests.conftest import new_user
from zhifa.core import nav
from zhifa.organizations.models import RoleGrant, User
from zhifa.web.context_processors import declared_entries, menu_for

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _labels(user) -> dict[str, list[str]]:
    groups, _ = menu_for(user, "/")
    return {g.label: [link.label for link in g.links] for g in groups}


def _all_links(user) -> list[str]:
    return [label for labels in _labels(user).values() for label in labels]


@pytest.mark.parametrize("role", User.Role.values)
def test_every_role_gets_at_most_eight_top_level_entries(world, role):
    user = new_user(f"u_{role}", world.team_a, role)
    groups, _ = menu_for(user, "/")
    assert 1 <= len(groups) <= nav.MAX_TOP_LEVEL
    assert groups[0].label == "待办"


def test_an_administrator_sees_every_group_and_still_at_most_eight(world):
    admin = new_user("root", world.root, User.Role.SUPERVISOR, is_superuser=True, is_staff=True)
    groups, _ = menu_for(admin, "/")
    assert len(groups) == len(nav.GROUPS) <= nav.MAX_TOP_LEVEL
    links = _all_links(admin)
    assert "事件调度" in links and "案卷评查" in links and "清单动态调整" in links
    # acts only an officer performs (he has no officer record): not offered
    assert "现场办案" not in links and "我的亮证码" not in links


def test_an_officer_sees_his_work_and_not_the_command_centre_or_supervision(world):
    links = _all_links(world.user_a)
    assert {"待办", "我的任务", "案件", "现场办案", "综合查一次", "我的亮证码"} <= set(links)
    assert not {"事件调度", "监督预警", "案卷评查", "清单动态调整", "执法人员", "驾驶舱"} & set(links)


def test_a_legal_reviewer_sees_cases_not_dispatch(world):
    reviewer = new_user("legal_a", world.team_a, User.Role.LEGAL_REVIEWER)
    labels = _labels(reviewer)
    assert "案件" in _all_links(reviewer)
    assert "指挥调度" not in labels and "检查" not in labels


def test_the_command_centre_sees_dispatch_and_the_cockpit(world):
    centre = new_user("centre", world.root, User.Role.COMMAND_CENTER)
    links = _all_links(centre)
    assert {"事件调度", "移送与争议", "驾驶舱"} <= set(links)
    assert "现场办案" not in links and "案卷评查" not in links


def test_granted_roles_add_their_entries(world):
    RoleGrant.objects.create(user=world.user_a, role=User.Role.HEAD)
    world.user_a.forget_roles()
    assert "处罚决定公开" in _all_links(world.user_a)


def test_a_permission_on_an_entry_is_checked_with_the_access_policy(world, monkeypatch, settings):
    from django.apps import apps

    config = apps.get_app_config("organizations")
    entry = nav.Entry(
        "新增执法人员", "organizations:officer_create", "roster", permission="organizations.manage_roster"
    )
    monkeypatch.setattr(config, "nav", [*config.nav, entry])
    assert "新增执法人员" in _all_links(world.leader_a)  # township leaders maintain their roster
    assert "新增执法人员" not in _all_links(world.user_a)


def test_a_plain_pair_still_joins_its_apps_group(world, monkeypatch):
    from django.apps import apps

    config = apps.get_app_config("dispatch")
    monkeypatch.setattr(config, "nav", [*config.nav, ("发现上报", "dispatch:report")])
    assert "发现上报" in _labels(world.user_a)["指挥调度"]


def test_every_declared_entry_resolves():
    from django.urls import reverse

    for entry in declared_entries():
        assert reverse(entry.url_name), entry
        assert entry.group in nav.GROUP_LABELS, entry


def test_the_officer_gets_a_bottom_bar_others_do_not(world):
    _, bar = menu_for(world.user_a, "/")
    assert [link.phone_label for link in bar] == ["待办", "任务", "办案", "亮证"]
    _, bar = menu_for(world.leader_a, "/")
    assert bar == []


def test_the_page_marks_the_current_entry_and_renders_groups_as_menus(client, world):
    client.force_login(world.leader_a, backend=MODEL_BACKEND)
    html = client.get("/org/officers/").content.decode()
    assert len(re.findall(r'<li class="nav__group">', html)) <= 8
    assert re.search(r'<a href="/org/officers/" class="is-active" aria-current="page">执法人员</a>', html)
    assert 'class="phone-bar"' not in html
    client.force_login(world.user_a, backend=MODEL_BACKEND)
    html = client.get("/").content.decode()
    assert 'class="phone-bar"' in html and "has-phone-bar" in html
