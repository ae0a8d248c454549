"""亮证执法: the officer's QR code points to a public page signed with an expiring token.

Only the officer himself is given his code (``credential_of``): a code shown by anyone else would
let that person pass for him until it expires. Every other viewer is refused.

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

from zhifa.core.errors import PermissionDenied

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


def own_officer(user) -> Officer:
    """The officer record of the signed-in user; refused when he is not an officer on duty."""
    officer = getattr(user, "officer", None) if getattr(user, "officer_id", None) else None
    if officer is None:
        raise PermissionDenied("亮证二维码只发给执法人员本人：您的账号没有对应的执法人员")
    if not officer.is_active:
        raise PermissionDenied("您已不在执法岗位，不能出示亮证二维码")
    return officer


def may_show(user, officer) -> bool:
    """Whether ``user`` may be given ``officer``'s code: only the officer himself."""
    return officer is not None and getattr(user, "officer_id", None) == officer.pk and officer.is_active


@dataclass(frozen=True)
class CredentialCode:
    officer: Officer
    url: str
    svg: str
    hours: int


def credential_of(user, officer, build_url) -> CredentialCode:
    """The officer's QR code, for himself only (``PermissionDenied`` for any other viewer).
    ``build_url(token)`` makes the public address the code points to."""
    if not may_show(user, officer):
        raise PermissionDenied("亮证二维码只能由执法人员本人出示，其他人不能查看或下载")
    url = build_url(issue_token(officer))
    return CredentialCode(officer, url, qr_svg(url), settings.ZHIFA_CREDENTIAL_TOKEN_MAX_AGE // 3600)


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
        return CredentialCheck(
            refusal=CredentialRefused("officer_inactive", "该人员已不在执法岗位，二维码无效"),
            checked_on=today,
        )
    if officer.credential_nonce != claims.nonce:
        return CredentialCheck(
            refusal=CredentialRefused("credential_revoked", "该二维码已作废，请执法人员重新出示"),
            checked_on=today,
        )
    certificate = Certificate.objects.valid_on(today).filter(officer=officer).order_by("-valid_to").first()
    return CredentialCheck(officer=officer, certificate=certificate, checked_on=today)
