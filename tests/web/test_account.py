"""Account pages: change the password, see where one is signed in, sign out elsewhere, see the
organisation's API keys."""

from __future__ import annotations

from django.test import Client

from zhifa.api.models import ApiKey
from zhifa.core.models import AuditEvent
from zhifa.web.models import UserSession

PASSWORD = "correct-horse-battery"


def _signed_in(world, user="leader_a", agent="Mozilla/5.0 (iPhone) Mobile Safari") -> Client:
    client = Client(HTTP_USER_AGENT=agent)
    response = client.post("/login/", {"username": user, "password": PASSWORD}, REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 302
    return client


def test_signing_in_notes_the_session_and_signing_out_forgets_it(world):
    client = _signed_in(world)
    row = UserSession.objects.get(user=world.leader_a)
    assert row.address == "10.1.2.3" and "iPhone" in row.user_agent
    client.post("/logout/")
    assert not UserSession.objects.filter(user=world.leader_a).exists()


def test_the_account_page_lists_the_sessions_current_first(world):
    phone = _signed_in(world)
    desk = _signed_in(world, agent="Mozilla/5.0 (X11; Linux x86_64) Chrome/120")
    html = desk.get("/account/").content.decode()
    assert html.index("当前设备") < html.index("手机 · Safari")
    assert "电脑 · Chrome" in html and "10.1.2.3" in html
    assert phone.get("/").status_code == 200


def test_signing_out_elsewhere_ends_the_other_sessions_only(world):
    phone = _signed_in(world)
    desk = _signed_in(world, agent="Chrome")
    other_user = _signed_in(world, user="leader_b")
    response = desk.post("/account/sessions/others/end/", follow=True)
    assert "已退出其他 1 处登录" in response.content.decode()
    assert phone.get("/").status_code == 302  # signed out
    assert desk.get("/").status_code == 200
    assert other_user.get("/").status_code == 200  # another user's session is untouched
    assert AuditEvent.objects.filter(
        action="account.sign_out_others", object_id=str(world.leader_a.pk)
    ).exists()


def test_signing_out_one_session(world):
    phone = _signed_in(world)
    desk = _signed_in(world, agent="Chrome")
    row = UserSession.objects.filter(user=world.leader_a).order_by("signed_in_at", "pk").first()
    assert desk.post(f"/account/sessions/{row.pk}/end/").status_code == 302
    assert phone.get("/").status_code == 302 and desk.get("/").status_code == 200


def test_another_users_session_cannot_be_ended(world):
    victim = _signed_in(world, user="leader_b")
    row = UserSession.objects.get(user=world.leader_b)
    attacker = _signed_in(world)
    response = attacker.post(f"/account/sessions/{row.pk}/end/")
    assert response.status_code == 404
    assert victim.get("/").status_code == 200


def test_changing_the_password_keeps_this_session_and_ends_the_others(world):
    phone = _signed_in(world)
    desk = _signed_in(world, agent="Chrome")
    response = desk.post(
        "/account/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "a-new-long-passphrase-9",
            "new_password2": "a-new-long-passphrase-9",
        },
        follow=True,
    )
    assert "密码已修改" in response.content.decode()
    assert desk.get("/").status_code == 200
    assert phone.get("/").status_code == 302
    world.leader_a.refresh_from_db()
    assert world.leader_a.check_password("a-new-long-passphrase-9")
    assert AuditEvent.objects.filter(action="account.password_change").exists()


def test_a_wrong_current_password_is_refused_in_chinese_naming_the_field(world):
    desk = _signed_in(world)
    html = desk.post(
        "/account/password/", {"old_password": "nope", "new_password1": "short", "new_password2": "other"}
    ).content.decode()
    assert "当前密码" in html and "未能提交，请修改以下内容" in html
    assert "Your old password" not in html and "didn" not in html
    world.leader_a.refresh_from_db()
    assert world.leader_a.check_password(PASSWORD)


def test_the_account_page_shows_the_organisations_api_keys_by_prefix_only(world):
    key, raw = ApiKey.generate("上方镇四平台", world.team_a, "officer")
    other, _ = ApiKey.generate("峡川镇四平台", world.team_b, "officer")
    html = _signed_in(world, user="officer_a").get("/account/").content.decode()
    assert "上方镇四平台" in html and f"zf_{key.prefix}_" in html and raw not in html
    assert "峡川镇四平台" not in html


def test_account_pages_need_login(client, db):
    for url in ("/account/", "/account/password/"):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_sessions_that_ended_without_a_sign_out_are_forgotten_at_the_next_sign_in(world):
    UserSession.objects.create(user=world.leader_a, session_key="expired-long-ago")
    _signed_in(world)
    assert list(UserSession.objects.filter(user=world.leader_a).values_list("session_key", flat=True)) != []
    assert not UserSession.objects.filter(session_key="expired-long-ago").exists()
