"""行政行为码: a signed token naming an ``ActionCode`` row (django.core.signing, HMAC-SHA256),
like the credential codes of ``organizations.credentials``. Bumping the row's nonce revokes it."""

from __future__ import annotations

from django.core import signing

SALT = "zhifa.action-code"


def issue_token(code) -> str:
    return signing.dumps({"c": code.pk, "n": code.nonce}, salt=SALT, compress=True)


def read_token(token: str) -> tuple[int, int] | None:
    """(code id, nonce) of a genuine token, or None."""
    try:
        data = signing.loads(token, salt=SALT)
        return int(data["c"]), int(data["n"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
