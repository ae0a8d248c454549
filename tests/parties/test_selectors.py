"""Party reads: township users see only their township (404 elsewhere), district bodies see all;
list filters; the list costs a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import new_user
from tests.parties.conftest import add_party
from zhifa.core.errors import NotFound
from zhifa.core.scopes import Scope
from zhifa.organizations.models import User
from zhifa.parties import selectors
from zhifa.parties.models import Party


@pytest.fixture
def parties(world):
    return {
        "a_green": add_party(
            world.shangfang, name="上方恒泰餐饮店", kind="individual_business", industry="catering"
        ),
        "a_red": add_party(
            world.shangfang, name="浙江鑫源化工有限公司", industry="hazardous_chemicals", risk_color="red"
        ),
        "a_person": add_party(world.shangfang, name="张三", kind="person", industry="resident"),
        "b_blue": add_party(
            world.xiachuan,
            name="峡川佳禾超市",
            kind="individual_business",
            industry="retail",
            risk_color="blue",
        ),
    }


def _names(queryset):
    return {p.name for p in queryset}


def test_township_user_sees_only_own_township(world, parties):
    scope = Scope.for_user(world.leader_a)
    assert _names(selectors.parties(scope)) == {"上方恒泰餐饮店", "浙江鑫源化工有限公司", "张三"}
    assert selectors.party_detail(scope, parties["a_red"].pk) == parties["a_red"]
    with pytest.raises(NotFound):
        selectors.party_detail(scope, parties["b_blue"].pk)
    assert selectors.parties(scope, township_id=world.xiachuan.pk).count() == 0


def test_district_bodies_and_guidance_office_see_all(world, parties):
    for user in (world.bureau_admin, world.guidance_user):
        assert selectors.parties(Scope.for_user(user)).count() == 4
        assert selectors.party_detail(Scope.for_user(user), parties["b_blue"].pk)


def test_user_without_organisation_sees_nothing(world, parties):
    assert selectors.parties(Scope.for_user(new_user("nobody", None, User.Role.OFFICER))).count() == 0


def test_filters(world, parties):
    everything = Scope(everything=True)
    assert _names(selectors.parties(everything, kind="individual_business")) == {
        "上方恒泰餐饮店",
        "峡川佳禾超市",
    }
    assert _names(selectors.parties(everything, township_id=world.xiachuan.pk)) == {"峡川佳禾超市"}
    assert _names(selectors.parties(everything, risk_color="red")) == {"浙江鑫源化工有限公司"}
    assert _names(selectors.parties(everything, industry="retail")) == {"峡川佳禾超市"}
    assert _names(selectors.parties(everything, q="化工")) == {"浙江鑫源化工有限公司"}
    code = parties["b_blue"].uscc
    assert _names(selectors.parties(everything, q=code.lower())) == {"峡川佳禾超市"}
    assert _names(selectors.parties(everything, q=code[:10])) >= {"峡川佳禾超市"}


def test_colour_counts_follow_the_scope(world, parties):
    assert selectors.risk_color_counts(Scope(everything=True)) == {
        "green": 2,
        "blue": 1,
        "yellow": 0,
        "red": 1,
    }
    assert selectors.risk_color_counts(Scope.for_user(world.leader_b)) == {
        "green": 0,
        "blue": 1,
        "yellow": 0,
        "red": 0,
    }


def test_list_query_count_does_not_grow_with_rows(world):
    for n in range(30):
        add_party(world.shangfang if n % 2 else world.xiachuan)
    with CaptureQueriesContext(connection) as queries:
        rows = [(p.name, p.township.name) for p in selectors.parties(Scope(everything=True))]
    assert len(rows) == 30 and len(queries) == 1


def test_active_config_defaults_without_a_row(db):
    assert selectors.active_risk_config().window_months == 12
    assert Party.objects.count() == 0
