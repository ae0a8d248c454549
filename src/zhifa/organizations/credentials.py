"""亮证执法: the officer's QR code points to a public page signed with an expiring token.

The token carries the officer id and the officer's credential nonce, signed with the site key
(django.core.signing, HMAC-SHA256). It expires after ZHIFA_CREDENTIAL_TOKEN_MAX_AGE seconds, and
rotating the nonce revokes every token issued before.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import segno
from django.conf import settings
from django.core import signing
from django.utils import timezone

from .models import Certificate, Officer

SALT = "zhifa.credential-check"


class CredentialRefused(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def issue_token(officer) -> str:
    return signing.dumps({"o": officer.pk, "n": officer.credential_nonce}, salt=SALT, compress=True)


@dataclass(frozen=True)
class TokenClaims:
    officer_id: int
    nonce: int


def read_token(token: str, max_age: int | None = None) -> TokenClaims:
    """The claims of a genuine, unexpired token; otherwise ``CredentialRefused`` saying why."""
    max_age = settings.ZHIFA_CREDENTIAL_TOKEN_MAX_AGE if max_age is None else max_age
    try:
        data = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise CredentialRefused("credential_expired", "二维码已过期，请执法人员刷新后重新出示") from None
    except signing.BadSignature:
        raise CredentialRefused("credential_forged", "二维码无效：签名校验失败，可能是伪造的证件") from None
    try:
        return TokenClaims(officer_id=int(data["o"]), nonce=int(data["n"]))
    except (KeyError, TypeError, ValueError):
        raise CredentialRefused("credential_forged", "二维码无效：内容不完整") from None


def qr_svg(url: str, scale: int = 4) -> str:
    """The QR code of ``url`` as inline SVG (no image files, works offline)."""
    return segno.make(url, error="m").svg_inline(scale=scale)


@dataclass(frozen=True)
class CredentialCheck:
    """What the public credential page shows: the officer and the certificate valid today, or
    the reason the code is refused (``refusal``)."""

    officer: Officer | None = None
    certificate: Certificate | None = None
    refusal: CredentialRefused | None = None
    checked_on: dt.date | None = None

    @property
    def ok(self) -> bool:
        return self.refusal is None


def check_credential(token: str, today: dt.date | None = None) -> CredentialCheck:
    """Verify a credential token and load the officer with the certificate valid ``today``."""
    today = today or timezone.localdate()
    try:
        claims = read_token(token)
    except CredentialRefused as refusal:
        return CredentialCheck(refusal=refusal, checked_on=today)
    officer = Officer.objects.select_related("organization").filter(pk=claims.officer_id).first()
    if officer is None or not officer.is_active:
        return CredentialCheck(refusal=CredentialRefused(
            "officer_inactive", "该人员已不在执法岗位，二维码无效"), checked_on=today)
    if officer.credential_nonce != claims.nonce:
        return CredentialCheck(refusal=CredentialRefused(
            "credential_revoked", "该二维码已作废，请执法人员重新出示"), checked_on=today)
    certificate = Certificate.objects.valid_on(today).filter(officer=officer).order_by("-valid_to").first()
    return CredentialCheck(officer=officer, certificate=certificate, checked_on=today)
