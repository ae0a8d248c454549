"""Routing texts to catalog items and to the body that must act."""

import pytest
from django.utils import timezone

from zhifa.catalog.models import EnforcementItem, TownshipItemChoice
from zhifa.dispatch import routing


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("村口小卖部把过期的牛奶饼干还摆在货架上卖", "330209004000"),
        ("江边半夜有采砂船偷偷在挖沙", "330213008000"),
        ("网吧里好几个小学生在打游戏，老板也不管", "330217002000"),
        ("田畈里又有人在烧稻草秆，烟大得看不见路", "330208010000"),
        ("厂区宿舍的逃生出口用铁链锁住了", "330216009000"),
    ],
)
def test_router_finds_the_item(world, command, catalog, text, code):
    assert [s.code for s in routing.suggest(text)][:1] == [code]


def test_router_returns_at_most_three_ranked_suggestions(world, command, catalog):
    suggestions = routing.suggest("楼下饭店油烟很大")
    assert len(suggestions) == 3
    assert [s.score for s in suggestions] == sorted((s.score for s in suggestions), reverse=True)
    assert routing.suggest("   ") == []


def test_responsible_body_by_list_and_claim(world, command, catalog):
    items = EnforcementItem.objects.in_bulk(field_name="code")
    assert (
        routing.responsible_for(items["330202010000"], world.shangfang)[0] == world.team_a
    )  # base township item
    assert routing.responsible_for(items["330202010000"], world.xiachuan)[0] == world.team_b
    assert routing.responsible_for(items["330213008000"], world.shangfang)[0] == world.bureau  # comprehensive
    assert (
        routing.responsible_for(items["330209004000"], world.shangfang)[0] == command.market
    )  # professional
    optional = items["330208021000"]  # optional township item: the bureau unless the township chose it
    assert routing.responsible_for(optional, world.shangfang)[0] == world.bureau
    TownshipItemChoice.objects.create(region=world.shangfang, item=optional)
    assert routing.responsible_for(optional, world.shangfang)[0] == world.team_a


# ---- the labelled set -----------------------------------------------------------------------------


def test_the_generated_set_covers_every_domain_with_a_fixed_held_out_test_split():
    from collections import Counter

    from zhifa.catalog.demo_items import ITEMS
    from zhifa.dispatch.routing_data import generator, phrases

    examples = generator.cached()
    assert len(examples) >= 2000
    assert sum(1 for e in examples if not e.codes) / len(examples) >= 0.10
    domains = {i["code"]: i["domain"] for i in ITEMS}
    penalty_domains = {i["domain"] for i in ITEMS if i["kind"] == "penalty"}
    test = [e for e in examples if e.split == "test"]
    assert {domains[e.code] for e in test if e.codes} == penalty_domains
    kinds = Counter(k for e in test for k in e.kinds)
    assert all(kinds[k] >= 40 for k in ("typos", "colloquial", "multi", "no_match", "short", "long"))
    assert generator.generate(splits=("test",)) == test  # the same seed, the same split
    train_texts = " ".join(e.text for e in examples if e.split == "train")
    held_phrasings = [
        held[0] for code in phrases.PHRASES for held in [phrases.shared_and_held_out(code)[1]] if held
    ]
    assert held_phrasings and not any(p in train_texts for p in held_phrasings)
    assert not any(e.voice == "letter" for e in examples if e.split == "train")
    held_topics = [t for topic in generator.NO_MATCH_TOPICS[generator.SHARED_TOPICS :] for t in topic]
    assert not any(t in train_texts for t in held_topics)
    assert any(t in " ".join(e.text for e in test) for t in held_topics)


def test_typos_keep_the_sound_or_the_shape():
    import random

    from pypinyin import lazy_pinyin

    from zhifa.dispatch.routing_data import noise

    rng = random.Random(7)
    text = "饭店油烟直排噪音扰民"
    for _ in range(50):
        typo = noise.typo_for("噪", rng)
        assert typo and typo != "噪"
        same_sound = lazy_pinyin(typo)[0] in {"zao", "zhao", "zang", "zan"}
        assert same_sound or typo in {"燥", "躁", "澡"}
    changed = noise.add_typos(text, rng, 2)
    assert len(changed) == len(text) and sum(a != b for a, b in zip(text, changed, strict=True)) == 2


# ---- confidence, abstention, triage ---------------------------------------------------------------


def test_a_clear_text_is_routed_with_a_probability_and_the_model_version(world, command, catalog):
    from tests.dispatch.conftest import report_data
    from zhifa.dispatch import services

    result = routing.route("楼下饭店的油烟直接排到我家窗户，没装净化器")
    assert not result.abstain and result.suggestions[0].code == "330208007000"
    assert 0.5 < result.confidence <= 1 and result.model_version.startswith("base-")
    incident, _ = services.report_incident(
        command.user, report_data(text="楼下饭店的油烟直接排到我家窗户，没装净化器")
    )
    assert incident.routing_model == result.model_version and incident.routing_confidence == pytest.approx(
        result.confidence
    )
    assert not incident.needs_triage and incident.item.code == "330208007000"


@pytest.mark.parametrize(
    "text",
    ["我家老人走失了，请帮忙寻找", "想问一下公积金提取怎么办理", "小区门口的公交站台太远了，希望加一个站"],
)
def test_a_text_matching_no_item_waits_for_triage_with_the_two_closest_items(world, command, catalog, text):
    from tests.dispatch.conftest import report_data
    from zhifa.dispatch import selectors, services

    incident, _ = services.report_incident(command.user, report_data(text=text))
    assert incident.needs_triage and incident.item is None and incident.suggested_org is None
    assert "最接近" in incident.triage_reason and len(incident.suggestions) >= 2
    assert list(selectors.triage_queue(command.user)) == [incident]
    assert list(selectors.triage_queue(world.leader_b)) == []  # another township does not see it


def test_the_dispatchers_choice_in_triage_is_kept_as_a_labelled_example(world, command, catalog):
    from tests.dispatch.conftest import report_data
    from zhifa.dispatch import services
    from zhifa.dispatch.models import RoutingExample

    incident, _ = services.report_incident(command.user, report_data(text="我家老人走失了，请帮忙寻找"))
    item = EnforcementItem.objects.get(code="330202010000")
    assigned = services.transition(command.user, incident.pk, "assign", item=item)
    assert (
        assigned.responsible_org == world.team_a and not assigned.needs_triage
    )  # the body the item calls for
    example = RoutingExample.objects.get()
    assert example.kind == "triage" and example.item == item and example.text == incident.text
    assert example.model_version == incident.routing_model and example.organization == world.team_a
    # a confident suggestion kept as it was is a confirmation; a transfer is a reassignment
    other, _ = services.report_incident(command.user, report_data())
    services.transition(command.user, other.pk, "assign")
    services.transition(command.user, other.pk, "transfer", organization=world.bureau, reason="属综合执法局")
    assert list(
        RoutingExample.objects.filter(incident=other).order_by("pk").values_list("kind", flat=True)
    ) == ["confirmation", "reassignment"]


def test_retraining_keeps_a_new_model_only_if_it_is_not_worse(world, command, catalog, monkeypatch):
    from zhifa.dispatch import services
    from zhifa.dispatch.models import RoutingExample, RoutingModelVersion
    from zhifa.dispatch.routing_model import Metrics

    item = EnforcementItem.objects.get(code="330208021000")
    RoutingExample.objects.create(
        text="咕噜咕噜坊夜里乱哄哄",
        item=item,
        kind="correction",
        created_at=timezone.now(),
        created_by="dispatcher",
    )
    real = routing.evaluation
    calls = []

    def evaluation(model, items):  # the candidate scores one point lower than the model in use
        result = real(model, items)
        calls.append(model.version)
        if model.version.startswith("r-"):
            result["overall"] = Metrics(
                **{**result["overall"].as_dict(), "top1": result["overall"].top1 - 0.01}
            )
        return result

    monkeypatch.setattr(routing, "evaluation", evaluation)
    row = services.retrain_router()
    assert not row.adopted and not row.active and "未启用" in row.note and row.blob is None
    assert RoutingModelVersion.objects.filter(
        version__startswith="base-", adopted=True
    ).exists()  # the baseline's figures
    assert services.retrain_router().pk == row.pk  # nothing new: nothing trained
    monkeypatch.setattr(routing, "evaluation", real)
    RoutingExample.objects.create(
        text="嘀嘀嗒嗒坊半夜吵闹",
        item=item,
        kind="correction",
        created_at=timezone.now(),
        created_by="dispatcher",
    )
    adopted = services.retrain_router()
    assert adopted.adopted and adopted.active and adopted.examples == 2 and adopted.metrics["top1"] >= 0.9
    assert set(adopted.metrics["domains"]) >= {"市容环境卫生", "生态环境", "无对应事项"}
    assert routing.route("咕噜咕噜坊夜里乱哄哄").model_version == adopted.version
    assert routing.suggest("咕噜咕噜坊夜里乱哄哄")[0].code == "330208021000"


def test_routing_figures_are_for_the_command_centre(client, world, command, catalog):
    client.force_login(command.user)
    assert client.get("/dispatch/routing/").status_code == 200
    client.force_login(world.user_a)
    assert client.get("/dispatch/routing/").status_code == 403
    assert client.get("/dispatch/triage/").status_code == 403
