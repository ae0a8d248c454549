"""亮证执法: the public credential page, with no login."""

import datetime as dt
import time

from django.core import signing

from zhifa.core.validators import make_id_number
from zhifa.organizations import services
from zhifa.organizations.credentials import check_credential, issue_token
from zhifa.organizations.models import Certificate, Officer

NO_CERTIFICATE = "该人员当前无有效执法证，不得从事执法活动"


def _officer_with_expired_certificate(org) -> Officer:
    officer = Officer.objects.create(
        name="过期证人员",
        organization=org,
        employee_no="P00001",
        id_number=make_id_number("330824", dt.date(1980, 3, 3), "007"),
    )
    Certificate.objects.create(
        officer=officer,
        number="浙EXPIRED0001",
        domains=["城乡规划"],
        valid_from=dt.date(2020, 1, 1),
        valid_to=dt.date(2025, 1, 1),
    )
    return officer


def _check(client, token):
    response = client.get(f"/public/credential/{token}/")
    return response, response.content.decode()


def test_valid_token_shows_name_and_certificate_but_no_id_number_or_phone(client, world):
    officer = world.officer_a
    officer.phone = "13912345678"
    officer.save()
    response, html = _check(client, issue_token(officer))
    assert response.status_code == 200
    assert officer.name in html and officer.certificates.get().number in html
    assert "上方镇综合行政执法队" in html and "执法身份有效" in html
    assert officer.id_number not in html and officer.id_number[-6:] not in html
    assert officer.phone not in html
    assert NO_CERTIFICATE not in html
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


def test_forged_token_is_refused_with_400(client, world):
    token = issue_token(world.officer_a)
    tampered = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    response, html = _check(client, tampered)
    assert response.status_code == 400
    assert "核验未通过" in html and "伪造" in html
    assert world.officer_a.name not in html


def test_token_for_another_officer_cannot_be_made_by_editing_the_payload(client, world):
    token = issue_token(world.officer_a)
    payload, rest = token.split(":", 1)
    other = signing.dumps({"o": world.officer_b.pk, "n": 0}, salt="wrong-salt", compress=True).split(":", 1)[
        0
    ]
    response, html = _check(client, f"{other}:{rest}")
    assert response.status_code == 400 and world.officer_b.name not in html and payload


def test_garbage_token_is_refused_with_400(client, world):
    response, html = _check(client, "not-a-token")
    assert response.status_code == 400 and "核验未通过" in html


def test_expired_token_is_refused_with_410(client, world, monkeypatch):
    two_days_ago = int(time.time()) - 2 * 24 * 3600
    monkeypatch.setattr(signing.TimestampSigner, "timestamp", lambda self: signing.b62_encode(two_days_ago))
    token = issue_token(world.officer_a)
    monkeypatch.undo()
    response, html = _check(client, token)
    assert response.status_code == 410
    assert "过期" in html and world.officer_a.name not in html


def test_revoked_token_is_refused(client, world):
    token = issue_token(world.officer_a)
    services.rotate_credential(world.leader_a, world.officer_a.pk)
    response, html = _check(client, token)
    assert response.status_code == 400
    assert "该二维码已作废，请执法人员重新出示" in html and world.officer_a.name not in html
    world.officer_a.refresh_from_db()
    assert _check(client, issue_token(world.officer_a))[0].status_code == 200


def test_inactive_officer_is_refused(client, world):
    token = issue_token(world.officer_a)
    world.officer_a.is_active = False
    world.officer_a.save()
    response, html = _check(client, token)
    assert response.status_code == 400 and world.officer_a.name not in html


def test_officer_with_only_an_expired_certificate_gets_the_red_warning(client, world):
    officer = _officer_with_expired_certificate(world.team_a)
    response, html = _check(client, issue_token(officer))
    assert response.status_code == 200
    assert "过期证人员" in html and NO_CERTIFICATE in html
    assert officer.certificates.get().number not in html


def test_check_credential_uses_the_certificate_valid_on_the_day(world):
    token = issue_token(world.officer_a)
    assert check_credential(token, today=dt.date(2026, 6, 1)).certificate is not None
    result = check_credential(token, today=dt.date(2031, 6, 1))
    assert result.ok and result.officer == world.officer_a and result.certificate is None
    refused = check_credential(token + "x")
    assert not refused.ok and refused.refusal.code == "credential_forged"
