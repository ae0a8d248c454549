"""Derived lists, the claim report and the indicators, against the hand-counted catalog of conftest."""

import datetime as dt
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.catalog.conftest import row
from zhifa.catalog import selectors, services
from zhifa.catalog.models import Claim

TODAY = dt.date(2026, 6, 1)


def _codes(qs) -> set[str]:
    return set(qs.values_list("code", flat=True))


def test_lists_are_derived_from_the_items(catalog):
    assert _codes(selectors.master_catalog()) == {"P1", "P2", "P3", "P4", "I1", "P5"}
    assert _codes(selectors.comprehensive_list()) == {"P1", "P2", "P3", "I1"}
    assert _codes(selectors.professional_list()) == {"P4", "P5"}
    assert _codes(selectors.inspection_list()) == {"I1"}
    assert _codes(selectors.key_supervision_list()) == {"P4", "I1", "P5"}
    assert [c.text for c in selectors.inspection_list().get().checklist.all()] == [
        "是否取得燃气经营许可证",
        "气瓶是否按规定检验",
    ]


def test_township_list_is_base_plus_chosen_optional_items(catalog, world):
    assert _codes(selectors.township_list(world.shangfang)) == {"P2"}
    services.choose_optional_item(world.leader_a, catalog.P3.pk)
    assert _codes(selectors.township_list(world.shangfang)) == {"P2", "P3"}
    assert _codes(selectors.township_list(world.xiachuan)) == {"P2"}
    optional = {i.code: i.chosen for i in selectors.optional_items_for(world.shangfang)}
    assert optional == {"P3": True}


def test_public_lists_hold_only_published_items(catalog):
    assert _codes(selectors.public_professional_list(TODAY)) == {"P4"}
    assert _codes(selectors.public_key_supervision_list(TODAY)) == {"P4", "I1"}


def test_item_filters(catalog):
    assert _codes(selectors.items(domain="C02")) == {"P2", "P3"}
    assert _codes(selectors.items(kind="inspection")) == {"I1"}
    assert _codes(selectors.items(high_three=True)) == {"P1", "P2"}
    assert _codes(selectors.items(list_name="comprehensive", high_three=False)) == {"P3", "I1"}
    assert _codes(selectors.items(township_library="optional")) == {"P3"}
    assert _codes(selectors.items(enforcing_body="professional", key_supervision=True)) == {"P4", "P5"}
    assert _codes(selectors.items(status="repealed")) == set()
    assert [i.code for i in selectors.items(q="违法建设")][0] == "P1"


def test_claim_report_finds_unclaimed_items(catalog, world):
    report = selectors.claim_report()
    missing = {i.code: (i.missing_district, i.missing_township) for i in report.unclaimed}
    assert missing == {"P2": (False, True), "P5": (True, False)}
    assert report.double_claimed == []
    services.claim_item(world.leader_b, catalog.P2.pk, world.team_b)
    assert {i.code for i in selectors.claim_report().unclaimed} == {"P5"}


def test_claim_report_reads_double_claims_the_constraint_would_refuse(catalog, world):
    """Rows that got in around the constraint (a restore without it) still show up."""
    with connection.cursor() as cursor:
        cursor.execute(
            "DROP INDEX claim_one_per_item_district"
        )  # a conditional unique constraint is an index
    Claim.objects.create(
        item=catalog.P1, organization=world.guidance, level="district", region=world.district
    )
    [double] = selectors.claim_report().double_claimed
    assert double["item"].code == "P1" and {o.name for o in double["organizations"]} == {
        "综合行政执法局",
        "综合行政执法指导办公室",
    }


def test_indicators_match_the_hand_count(catalog):
    with CaptureQueriesContext(connection) as queries:
        ind = selectors.indicators(TODAY)
    assert len(queries) == 1
    assert (ind.items, ind.penalties) == (6, 5)
    assert (ind.coverage.part, ind.coverage.whole) == (5, 6)
    assert (ind.claim_rate.part, ind.claim_rate.whole) == (4, 6)
    assert (ind.publication_rate.part, ind.publication_rate.whole) == (5, 6)
    assert (ind.comprehensive_share.part, ind.comprehensive_share.whole) == (3, 5)
    assert ind.comprehensive_share.value == Decimal("0.6") and ind.comprehensive_share.meets_goal
    assert (ind.high_three_share.part, ind.high_three_share.whole) == (2, 3)
    assert ind.high_three_share.value == Decimal("0.6667") and ind.high_three_share.meets_goal
    assert not ind.coverage.meets_goal and (ind.key_supervision, ind.inspection) == (3, 1)


def test_three_high_share_below_its_goal(catalog, world):
    services.import_items(
        world.guidance_user, [row("P6", name="对某事项的行政处罚", enforcing_body="comprehensive")]
    )
    ind = selectors.indicators(TODAY)
    assert (ind.high_three_share.part, ind.high_three_share.whole) == (
        2,
        4,
    ) and not ind.high_three_share.meets_goal


def test_indicators_reach_their_goals_when_the_gaps_are_closed(catalog, world, orgs):
    services.claim_item(world.leader_b, catalog.P2.pk, world.team_b)
    services.claim_item(orgs.market_admin, catalog.P5.pk, orgs.market)
    services.publish_items(world.guidance_user, [catalog.P5.pk], TODAY)
    ind = selectors.indicators(TODAY)
    assert ind.claim_rate.meets_goal and ind.publication_rate.meets_goal
    assert ind.claim_rate.value == 1


def test_optional_item_chosen_without_a_township_claim_counts_as_unclaimed(catalog, world):
    services.choose_optional_item(world.leader_a, catalog.P3.pk)
    assert selectors.indicators(TODAY).claim_rate.part == 4
    Claim.objects.filter(item=catalog.P3, level="township").delete()
    assert selectors.indicators(TODAY).claim_rate.part == 3


def test_domain_and_township_indicators(catalog, world):
    services.choose_optional_item(world.leader_a, catalog.P3.pk)
    with CaptureQueriesContext(connection) as queries:
        domains = {
            d.name: (d.total, d.penalties, d.comprehensive, d.high_three, d.key_supervision, d.unclaimed)
            for d in selectors.domain_indicators()
        }
        townships = {
            r.name: (r.list_size, r.chosen_items, r.unclaimed) for r in selectors.township_indicators()
        }
    assert len(queries) == 2
    assert domains == {
        "城乡规划": (1, 1, 1, 1, 0, 0),
        "市容环境卫生": (2, 2, 2, 1, 0, 1),
        "市场监管": (2, 2, 0, 0, 2, 1),
        "燃气管理": (1, 0, 0, 0, 1, 0),
    }
    assert townships == {"上方镇": (2, 1, 0), "峡川镇": (1, 0, 1)}
