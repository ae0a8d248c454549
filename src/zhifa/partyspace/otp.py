"""One-time codes for the party's sign-in: an enterprise by its USCC, a citizen by ID number, each
with a code sent to the contact registered on the party (``Party.phone``).

* The sender is an adapter named by ``ZHIFA_OTP_SENDER`` (a dotted path): ``ConsoleSender`` prints
  the message (the demo) and keeps the last ones in ``OUTBOX``; ``FileSender`` appends JSON lines to
  ``ZHIFA_OTP_FILE``. A real deployment plugs in its SMS gateway with the same ``send`` signature.
* Codes live in the Django cache, hashed, for ``ZHIFA_OTP_TTL_SECONDS`` (5 minutes); a code allows
  ``MAX_ATTEMPTS`` tries and is then void. Sending is limited per identifier (one a minute, five an
  hour) and per client address; checking is limited per client address (django-ratelimit).
* The answer to "send" is the same whether or not the identifier is registered, so the sign-in page
  does not tell who is a party."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.module_loading import import_string
from django_ratelimit.core import is_ratelimited

from zhifa.core.validators import IdentifierError, validate_id_number, validate_uscc
from zhifa.core.web import client_address
from zhifa.parties.models import Party

from .rules import mask_phone

MAX_ATTEMPTS = 5
RESEND_SECONDS = 60
SEND_RATE_PER_IDENTIFIER = "5/h"
SEND_RATE_PER_ADDRESS = "20/h"
CHECK_RATE_PER_ADDRESS = "30/h"
ENTERPRISE, CITIZEN = "enterprise", "citizen"


class Sender(Protocol):
    def send(self, *, to: str, code: str, party_name: str, minutes: int) -> None: ...


def message(code: str, minutes: int) -> str:
    return f"【行政执法当事人空间】您的登录验证码为{code}，{minutes}分钟内有效。请勿告诉他人。"


#: The last messages the console sender "sent" (the demo shows them; tests read them).
OUTBOX: deque[dict] = deque(maxlen=200)


class ConsoleSender:
    def send(self, *, to: str, code: str, party_name: str, minutes: int) -> None:
        entry = {
            "to": to,
            "code": code,
            "party": party_name,
            "text": message(code, minutes),
            "at": timezone.now().isoformat(),
        }
        OUTBOX.append(entry)
        print(f"[当事人空间验证码] {party_name} {mask_phone(to)}：{entry['text']}", flush=True)  # noqa: T201


class FileSender:
    def __init__(self, path: str | Path | None = None):
        self.path = Path(
            path or getattr(settings, "ZHIFA_OTP_FILE", "") or Path(settings.VAR_DIR) / "otp-outbox.jsonl"
        )

    def send(self, *, to: str, code: str, party_name: str, minutes: int) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as out:
            out.write(
                json.dumps(
                    {
                        "to": to,
                        "code": code,
                        "party": party_name,
                        "text": message(code, minutes),
                        "at": timezone.now().isoformat(),
                    },
                    ensure_ascii=False,
                )
                + "\n"
            )


def sender() -> Sender | None:
    """The configured sender, or None when no channel is configured."""
    path = getattr(settings, "ZHIFA_OTP_SENDER", "")
    return import_string(path)() if path else None


def ttl_seconds() -> int:
    return int(getattr(settings, "ZHIFA_OTP_TTL_SECONDS", 300))


class SignInError(Exception):
    def __init__(self, field: str, message: str, code: str):
        super().__init__(message)
        self.field, self.message, self.code = field, message, code


def normalise(kind: str, identifier: str) -> str:
    """The identifier checked by its check character (GB 32100-2015 / GB 11643-1999)."""
    try:
        if kind == ENTERPRISE:
            return validate_uscc((identifier or "").strip())
        if kind == CITIZEN:
            return validate_id_number((identifier or "").strip())
    except IdentifierError as exc:
        label = "统一社会信用代码" if kind == ENTERPRISE else "公民身份号码"
        raise SignInError("identifier", f"{label}不正确：{exc}", "invalid_identifier") from None
    raise SignInError("kind", "请选择企业（个体工商户）或个人", "invalid_kind")


def find_party(kind: str, identifier: str) -> Party | None:
    if kind == ENTERPRISE:
        return Party.objects.filter(uscc=identifier).exclude(kind=Party.Kind.PERSON).first()
    return Party.objects.filter(id_number=identifier, kind=Party.Kind.PERSON).first()


def _key(kind: str, identifier: str) -> str:
    digest = hashlib.sha256(f"{kind}:{identifier}".encode()).hexdigest()[:32]
    return f"partyspace:otp:{digest}"


def _code_hash(key: str, code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"{key}|{code}".encode(), hashlib.sha256).hexdigest()


def _limited(request, group: str, value: str, rate: str) -> bool:
    return is_ratelimited(request, group=group, key=lambda g, r: value, rate=rate, increment=True)


@dataclass(frozen=True)
class Sent:
    identifier: str
    minutes: int


def send_code(request, kind: str, identifier: str) -> Sent:
    """Send a code to the contact registered for ``identifier``. Refused (``SignInError``) when the
    identifier is malformed or a limit is reached; silent when the identifier is not registered."""
    identifier = normalise(kind, identifier)
    channel = sender()
    if channel is None:
        raise SignInError("identifier", "验证码发送渠道尚未开通，请联系执法机关", "otp_sender_missing")
    key = _key(kind, identifier)
    state = cache.get(key)
    if state and time.time() - state["sent_at"] < RESEND_SECONDS:
        wait = int(RESEND_SECONDS - (time.time() - state["sent_at"])) + 1
        raise SignInError("identifier", f"验证码已发送，请{wait}秒后再重新获取", "otp_resend_too_soon")
    address = client_address(request) or "unknown"
    if _limited(request, "partyspace.otp.send.address", address, SEND_RATE_PER_ADDRESS) or _limited(
        request, "partyspace.otp.send.identifier", key, SEND_RATE_PER_IDENTIFIER
    ):
        raise SignInError("identifier", "获取验证码过于频繁，请一小时后再试", "otp_rate_limited")
    minutes = max(1, ttl_seconds() // 60)
    party = find_party(kind, identifier)
    if party is not None and party.phone:
        code = f"{secrets.randbelow(10**6):06d}"
        cache.set(
            key,
            {"hash": _code_hash(key, code), "party_id": party.pk, "attempts": 0, "sent_at": time.time()},
            ttl_seconds(),
        )
        channel.send(to=party.phone, code=code, party_name=party.name, minutes=minutes)
    else:
        # Same pause and answer for an unknown identifier; nothing is sent.
        cache.set(key, {"hash": "", "party_id": None, "attempts": 0, "sent_at": time.time()}, ttl_seconds())
    return Sent(identifier, minutes)


def check_code(request, kind: str, identifier: str, code: str) -> Party:
    """The party when ``code`` is the live code for ``identifier``; ``SignInError`` otherwise. A code
    is used once; after ``MAX_ATTEMPTS`` wrong tries it is void."""
    identifier = normalise(kind, identifier)
    address = client_address(request) or "unknown"
    if _limited(request, "partyspace.otp.check.address", address, CHECK_RATE_PER_ADDRESS):
        raise SignInError("code", "尝试次数过多，请一小时后再试", "otp_rate_limited")
    key = _key(kind, identifier)
    state = cache.get(key)
    code = (code or "").strip()
    if not state or not state["hash"]:
        raise SignInError("code", "验证码已过期或未获取，请重新获取", "otp_expired")
    if state["attempts"] >= MAX_ATTEMPTS:
        cache.delete(key)
        raise SignInError("code", "验证码错误次数过多，已失效，请重新获取", "otp_too_many_attempts")
    if not (code.isdigit() and len(code) == 6 and hmac.compare_digest(state["hash"], _code_hash(key, code))):
        state["attempts"] += 1
        remaining = MAX_ATTEMPTS - state["attempts"]
        if remaining <= 0:
            cache.delete(key)
            raise SignInError("code", "验证码错误次数过多，已失效，请重新获取", "otp_too_many_attempts")
        left = max(1, int(state["sent_at"] + ttl_seconds() - time.time()))
        cache.set(key, state, left)
        raise SignInError("code", f"验证码不正确，还可以再试{remaining}次", "otp_wrong")
    cache.delete(key)
    party = Party.objects.filter(pk=state["party_id"]).first()
    if party is None:
        raise SignInError("code", "验证码已过期或未获取，请重新获取", "otp_expired")
    return party
