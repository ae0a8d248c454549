"""Routing texts to catalog items and to the body that must act."""

import pytest

from zhifa.catalog.models import EnforcementItem, TownshipItemChoice
from zhifa.dispatch import routing


@pytest.mark.parametrize(("text", "code"), [
    ("村口小卖部把过期的牛奶饼干还摆在货架上卖", "330209004000"),
    ("江边半夜有采砂船偷偷在挖沙", "330213008000"),
    ("网吧里好几个小学生在打游戏，老板也不管", "330217002000"),
    ("田畈里又有人在烧稻草秆，烟大得看不见路", "330208010000"),
    ("厂区宿舍的逃生出口用铁链锁住了", "330216009000"),
])
def test_router_finds_the_item(world, command, catalog, text, code):
    assert [s.code for s in routing.suggest(text)][:1] == [code]


def test_router_returns_at_most_three_ranked_suggestions(world, command, catalog):
    suggestions = routing.suggest("楼下饭店油烟很大")
    assert len(suggestions) == 3
    assert [s.score for s in suggestions] == sorted((s.score for s in suggestions), reverse=True)
    assert routing.suggest("   ") == []


def test_responsible_body_by_list_and_claim(world, command, catalog):
    items = EnforcementItem.objects.in_bulk(field_name="code")
    assert routing.responsible_for(items["330202010000"], world.shangfang)[0] == world.team_a  # base township item
    assert routing.responsible_for(items["330202010000"], world.xiachuan)[0] == world.team_b
    assert routing.responsible_for(items["330213008000"], world.shangfang)[0] == world.bureau  # comprehensive
    assert routing.responsible_for(items["330209004000"], world.shangfang)[0] == command.market  # professional
    optional = items["330208021000"]  # optional township item: the bureau unless the township chose it
    assert routing.responsible_for(optional, world.shangfang)[0] == world.bureau
    TownshipItemChoice.objects.create(region=world.shangfang, item=optional)
    assert routing.responsible_for(optional, world.shangfang)[0] == world.team_a
