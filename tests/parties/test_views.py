"""Party pages: list with colour badges and filters, detail with reasons and a masked ID number,
404 for another township's party."""

import pytest

from tests.parties.conftest import add_party, id_number
from zhifa.core.validators import mask_id_number
from zhifa.parties import services

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user, backend=MODEL_BACKEND)
        return client

    return _login


def test_list_shows_own_township_with_colour_badges(login, world):
    red = add_party(world.shangfang, name="浙江鑫源化工有限公司", violation_count_12m=3)
    services.recompute_party_risk(None, red.pk)
    add_party(world.xiachuan, name="峡川佳禾超市")
    html = login(world.leader_a).get("/parties/").content.decode()
    assert "浙江鑫源化工有限公司" in html and "峡川佳禾超市" not in html
    assert 'badge badge--bad risk risk--red">红色（高风险）' in html
    assert "监管对象" in html  # in the navigation


def test_list_filters_by_colour(login, world):
    add_party(world.shangfang, name="红户", risk_color="red")
    add_party(world.shangfang, name="绿户")
    html = login(world.guidance_user).get("/parties/?risk_color=red").content.decode()
    assert "红户" in html and "绿户" not in html


def test_detail_shows_reasons_and_masks_the_id_number(login, world):
    number = id_number()
    person = add_party(world.shangfang, kind="person", name="张三", id_number=number, complaint_count_12m=2)
    services.recompute_party_risk(None, person.pk)
    html = login(world.leader_a).get(f"/parties/{person.pk}/").content.decode()
    assert mask_id_number(number) in html and number not in html
    assert "近12个月被投诉举报2次" in html and "重新评定风险等级" in html


def test_detail_of_another_township_is_404(login, world):
    other = add_party(world.xiachuan)
    assert login(world.leader_a).get(f"/parties/{other.pk}/").status_code == 404


def test_pages_need_login(client, world):
    response = client.get("/parties/")
    assert response.status_code == 302 and "/login/" in response["Location"]
