"""Signing in to the party's space: a one-time code to the registered contact, expiring and
rate-limited; a session of its own, never a staff login."""

from __future__ import annotations

import time

import pytest
from django.urls import reverse

from tests.parties.conftest import id_number, uscc
from tests.partyspace.conftest import PARTY_PHONE, last_code, signed_in
from zhifa.partyspace import otp
from zhifa.partyspace.session import SESSION_KEY

SIGN_IN = "/party/"


def send(client, identifier, kind="enterprise", **extra):
    return client.post(SIGN_IN, {"action": "send", "kind": kind, "identifier": identifier}, **extra)


def verify(client, code, **extra):
    return client.post(SIGN_IN, {"action": "verify", "code": code}, **extra)


def test_enterprise_signs_in_with_a_code_sent_to_its_registered_phone(client, ps):
    response = send(client, ps.firm.uscc.lower())  # typed in lower case: normalised
    assert response.status_code == 302
    lines = ps.otp_file.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 and PARTY_PHONE in lines[0] and ps.firm.name in lines[0]
    response = verify(client, last_code(ps))
    assert response.status_code == 302 and response["Location"] == reverse("partyspace:home")
    assert client.session[SESSION_KEY]["party_id"] == ps.firm.pk
    assert "_auth_user_id" not in client.session  # never a staff login
    page = client.get(reverse("partyspace:home"))
    assert page.status_code == 200 and ps.firm.name in page.content.decode()
    assert client.get("/cases/").status_code == 302  # staff pages still ask for a staff login


def test_citizen_signs_in_with_the_id_number(client, ps):
    person = ps.cw.person
    person.phone = "13700000009"
    person.save(update_fields=["phone"])
    send(client, person.id_number, kind="citizen")
    assert verify(client, last_code(ps)).status_code == 302
    assert client.session[SESSION_KEY]["party_id"] == person.pk


def test_the_code_is_used_once(client, ps):
    send(client, ps.firm.uscc)
    code = last_code(ps)
    assert verify(client, code).status_code == 302
    with pytest.raises(otp.SignInError, match="已过期或未获取"):
        otp.check_code(_request(), "enterprise", ps.firm.uscc, code)


def _request():
    from django.test import RequestFactory

    return RequestFactory().post("/party/", REMOTE_ADDR="10.0.0.9")


def test_wrong_codes_void_the_code_after_five_tries(client, ps):
    send(client, ps.firm.uscc)
    code = last_code(ps)
    wrong = "000000" if code != "000000" else "111111"
    for remaining in (4, 3, 2, 1):
        response = verify(client, wrong)
        assert response.status_code == 422 and f"还可以再试{remaining}次" in response.content.decode()
    response = verify(client, wrong)
    assert "错误次数过多" in response.content.decode()
    response = verify(client, code)  # even the right code no longer works
    assert response.status_code == 422 and SESSION_KEY not in client.session


def test_codes_expire(client, ps, settings):
    settings.ZHIFA_OTP_TTL_SECONDS = 1
    send(client, ps.firm.uscc)
    code = last_code(ps)
    time.sleep(1.3)
    response = verify(client, code)
    assert response.status_code == 422 and "已过期" in response.content.decode()


def test_an_unknown_identifier_gets_the_same_answer_and_nothing_is_sent(client, ps):
    unknown = send(client, uscc())
    known = send(client, ps.firm.uscc)
    assert unknown.status_code == known.status_code == 302
    assert len(ps.otp_file.read_text(encoding="utf-8").splitlines()) == 1  # only the known one
    with pytest.raises(otp.SignInError):
        otp.check_code(_request(), "enterprise", uscc(), "123456")


def test_a_malformed_identifier_is_refused_with_the_reason(client, ps):
    response = send(client, ps.firm.uscc[:-1] + ("0" if ps.firm.uscc[-1] != "0" else "1"))
    assert response.status_code == 422 and "统一社会信用代码不正确" in response.content.decode()
    valid = id_number()
    response = send(client, valid[:-1] + ("1" if valid[-1] != "1" else "2"), kind="citizen")
    assert response.status_code == 422 and "公民身份号码不正确" in response.content.decode()


def test_sending_is_rate_limited_per_address(client, ps):
    for _ in range(20):  # SEND_RATE_PER_ADDRESS
        assert send(client, uscc()).status_code == 302
    response = send(client, uscc())
    assert response.status_code == 422 and "过于频繁" in response.content.decode()


def test_sending_is_rate_limited_per_identifier(ps, monkeypatch):
    monkeypatch.setattr(otp, "RESEND_SECONDS", 0)
    for n in range(5):
        otp.send_code(_request_from(f"10.0.1.{n}"), "enterprise", ps.firm.uscc)
    with pytest.raises(otp.SignInError, match="过于频繁"):
        otp.send_code(_request_from("10.0.1.99"), "enterprise", ps.firm.uscc)


def _request_from(address):
    from django.test import RequestFactory

    return RequestFactory().post("/party/", REMOTE_ADDR=address)


def test_checking_is_rate_limited_per_address(ps):
    for _ in range(30):
        with pytest.raises(otp.SignInError, match="已过期或未获取"):
            otp.check_code(_request_from("10.0.2.1"), "enterprise", ps.firm.uscc, "123456")
    with pytest.raises(otp.SignInError, match="尝试次数过多"):
        otp.check_code(_request_from("10.0.2.1"), "enterprise", ps.firm.uscc, "123456")


def test_no_sender_configured_means_no_sign_in(client, ps, settings):
    settings.ZHIFA_OTP_SENDER = ""
    response = send(client, ps.firm.uscc)
    assert response.status_code == 422 and "尚未开通" in response.content.decode()


def test_the_party_session_lapses_when_idle(client, ps, settings):
    signed_in(client, ps.firm)
    assert client.get(reverse("partyspace:home")).status_code == 200
    session = client.session
    session[SESSION_KEY] = {**session[SESSION_KEY], "seen": time.time() - 3600}
    session.save()
    response = client.get(reverse("partyspace:home"))
    assert response.status_code == 302 and response["Location"].startswith(SIGN_IN)


def test_a_staff_login_does_not_open_the_party_space(client, ps):
    client.force_login(ps.cw.user)
    response = client.get(reverse("partyspace:home"))
    assert response.status_code == 302 and response["Location"].startswith(SIGN_IN)


def test_after_sign_in_only_a_party_page_is_a_target(client, ps):
    send(client, ps.firm.uscc)
    response = client.post(
        f"{SIGN_IN}?next=https://evil.example/", {"action": "verify", "code": last_code(ps)}
    )
    assert response["Location"] == reverse("partyspace:home")
