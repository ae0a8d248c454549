"""亮证执法: the officer's QR code points to a public page signed with an expiring token.

The token carries the officer id and the officer's credential nonce, signed with the site key
(django.core.signing, HMAC-SHA256). It expires after ZHIFA_CREDENTIAL_TOKEN_MAX_AGE seconds, and
rotating the nonce revokes every token issued before.
"""

from __future__ import annotations

from dataclasses import dataclass

import segno
from django.conf import settings
from django.core import signing

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
