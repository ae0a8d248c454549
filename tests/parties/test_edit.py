"""Correcting a party in the browser's form (``/parties/<id>/edit/``): saved through
``services.update_party`` and audited, scoped (another township's party is 404), permission-checked
(403), the credit code validated naming the field, and a form opened on an older version refused
without losing what was typed."""

import pytest

from tests.conftest import new_user
from tests.parties.conftest import add_party, id_number, uscc
from zhifa.core.errors import DomainError
from zhifa.core.models import AuditEvent
from zhifa.organizations.models import User
from zhifa.parties import services
from zhifa.parties.models import Party

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user, backend=MODEL_BACKEND)
        return client

    return _login


def _form(party: Party, **changes) -> dict:
    data = {
        "kind": party.kind,
        "name": party.name,
        "uscc": party.uscc,
        "id_number": "",
        "representative": party.representative,
        "phone": party.phone,
        "address": party.address,
        "township": party.township_id,
        "industry": party.industry,
        "updated_at": party.updated_at.isoformat(),
    }
    return {**data, **changes}


def test_township_leader_corrects_address_and_phone_audited(login, world):
    party = add_party(world.shangfang, name="上方便民超市", address="上方镇老街1号", phone="13800000000")
    client = login(world.leader_a)
    assert f"/parties/{party.pk}/edit/" in client.get(f"/parties/{party.pk}/").content.decode()
    response = client.post(
        f"/parties/{party.pk}/edit/", _form(party, address="上方镇新街8号", phone="0570-1234567")
    )
    assert response.status_code == 302 and response["Location"] == f"/parties/{party.pk}/"
    party.refresh_from_db()
    assert (party.address, party.phone) == ("上方镇新街8号", "0570-1234567")
    event = AuditEvent.objects.get(action="party.update", object_id=str(party.pk))
    assert event.before["address"] == "上方镇老街1号" and event.after["address"] == "上方镇新街8号"
    html = client.get(f"/parties/{party.pk}/").content.decode()
    assert "修改监管对象信息：联系电话、住所/经营场所" in html


def test_another_townships_party_is_404(login, world):
    other = add_party(world.xiachuan)
    client = login(world.leader_a)
    assert client.get(f"/parties/{other.pk}/edit/").status_code == 404
    assert client.post(f"/parties/{other.pk}/edit/", _form(other, phone="1")).status_code == 404
    assert Party.objects.get(pk=other.pk).phone == ""


def test_reviewer_without_the_permission_gets_403_and_no_button(login, world):
    reviewer = new_user("reviewer_a", world.team_a, User.Role.LEGAL_REVIEWER)
    party = add_party(world.shangfang, address="旧址")
    client = login(reviewer)
    assert client.get(f"/parties/{party.pk}/").status_code == 200
    assert f"/parties/{party.pk}/edit/" not in client.get(f"/parties/{party.pk}/").content.decode()
    assert client.get(f"/parties/{party.pk}/edit/").status_code == 403
    assert client.post(f"/parties/{party.pk}/edit/", _form(party, address="新址")).status_code == 403
    assert Party.objects.get(pk=party.pk).address == "旧址"


def test_bad_credit_code_is_named_and_nothing_saved(login, world):
    party = add_party(world.shangfang, address="旧址")
    bad = party.uscc[:-1] + ("0" if party.uscc[-1] != "0" else "1")
    response = login(world.leader_a).post(
        f"/parties/{party.pk}/edit/", _form(party, uscc=bad, address="新址")
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "uscc" in errors and "校验" in "".join(errors["uscc"])
    assert "统一社会信用代码" in response.content.decode()
    assert Party.objects.get(pk=party.pk).address == "旧址"
    assert not AuditEvent.objects.filter(action="party.update").exists()


def test_lower_case_credit_code_is_normalised(login, world):
    party = add_party(world.shangfang)
    code = uscc()
    login(world.leader_a).post(f"/parties/{party.pk}/edit/", _form(party, uscc=code.lower()))
    assert Party.objects.get(pk=party.pk).uscc == code


def test_empty_id_number_keeps_the_registered_one_and_the_page_never_shows_it(login, world):
    number = id_number()
    person = add_party(world.shangfang, kind="person", name="张三", id_number=number)
    client = login(world.leader_a)
    assert number not in client.get(f"/parties/{person.pk}/edit/").content.decode()
    response = client.post(f"/parties/{person.pk}/edit/", _form(person, phone="13900000001"))
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.id_number, person.phone) == (number, "13900000001")


def test_a_stale_form_is_refused_and_keeps_the_input(login, world):
    party = add_party(world.shangfang, address="旧址", phone="13800000000")
    stale = _form(party, address="我填写的地址")
    services.update_party(world.bureau_admin, party.pk, {"phone": "13911112222"})  # someone else saves
    client = login(world.leader_a)
    response = client.post(f"/parties/{party.pk}/edit/", stale)
    assert response.status_code == 200
    html = response.content.decode()
    assert "被他人修改" in html and "我填写的地址" in html and "13911112222" in html
    assert Party.objects.get(pk=party.pk).address == "旧址"
    # The form now carries the current version: saving again is a deliberate choice.
    again = {**stale, "updated_at": response.context["form"].data["updated_at"]}
    assert client.post(f"/parties/{party.pk}/edit/", again).status_code == 302
    party.refresh_from_db()
    assert (party.address, party.phone) == ("我填写的地址", "13800000000")


def test_service_refuses_a_stale_version(world):
    party = add_party(world.shangfang)
    opened = party.updated_at
    services.update_party(world.leader_a, party.pk, {"phone": "1"})
    with pytest.raises(DomainError) as exc:
        services.update_party(world.leader_a, party.pk, {"phone": "2"}, expected_updated_at=opened)
    assert exc.value.code == "party_changed" and exc.value.status == 409
    assert Party.objects.get(pk=party.pk).phone == "1"
