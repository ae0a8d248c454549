"""亮证: an officer's QR code is given to him alone; every other viewer is refused."""

from __future__ import annotations

from tests.conftest import new_user
from zhifa.organizations.models import User

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _as(client, user):
    client.force_login(user, backend=MODEL_BACKEND)
    return client


def test_the_officer_gets_his_own_code(client, world):
    response = _as(client, world.user_a).get("/org/credential/")
    html = response.content.decode()
    assert response.status_code == 200 and "<svg" in html and "/public/credential/" in html
    assert "甲镇队员" in html
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]


def test_a_user_without_an_officer_record_is_refused(client, world):
    response = _as(client, world.leader_a).get("/org/credential/")
    assert response.status_code == 403 and "执法人员本人" in response.content.decode()


def test_an_inactive_officer_is_refused(client, world):
    world.officer_a.is_active = False
    world.officer_a.save()
    assert _as(client, world.user_a).get("/org/credential/").status_code == 403


def test_anyone_else_asking_for_an_officers_code_is_refused(client, world):
    url = f"/org/officers/{world.officer_a.pk}/credential/"
    response = _as(client, world.leader_a).get(url)  # his township leader may see him, not his code
    assert response.status_code == 403 and "<svg" not in response.content.decode()
    colleague = new_user("colleague", world.team_a, User.Role.OFFICER, world.bureau_officer)
    assert _as(client, colleague).get(url).status_code in (403, 404)


def test_the_officer_asking_by_id_is_sent_to_his_own_page(client, world):
    response = _as(client, world.user_a).get(f"/org/officers/{world.officer_a.pk}/credential/")
    assert response.status_code == 302 and response["Location"] == "/org/credential/"


def test_rotating_from_the_phone_page_returns_to_it(client, world):
    response = _as(client, world.user_a).post(
        f"/org/officers/{world.officer_a.pk}/credential/rotate/", {"next": "mine"}
    )
    assert response["Location"] == "/org/credential/"
