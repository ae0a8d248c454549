"""Where a user is signed in: each sign-in is noted (``UserSession``) so that he can see his
sessions and end the others (a lost phone, a shared computer). Every sign-out elsewhere and
every password change is audited."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from zhifa.core import audit
from zhifa.core.errors import NotFound
from zhifa.core.web import client_address

from .models import UserSession


def _store():
    return import_module(settings.SESSION_ENGINE).SessionStore


def _noted(sender, request, user, **kwargs) -> None:
    key = request.session.session_key
    if not key:
        request.session.save()
        key = request.session.session_key
    UserSession.objects.update_or_create(
        session_key=key,
        defaults={
            "user": user,
            "address": client_address(request),
            "user_agent": request.headers.get("User-Agent", "")[:300],
        },
    )
    _drop_ended(user)


def _drop_ended(user) -> None:
    """Forget the user's sessions that ended without a sign-out (expired, cleared)."""
    if settings.SESSION_ENGINE != "django.contrib.sessions.backends.db":
        return
    live = Session.objects.filter(session_key=OuterRef("session_key"), expire_date__gt=timezone.now())
    UserSession.objects.filter(user=user).exclude(Exists(live)).delete()


def _forgotten(sender, request, user, **kwargs) -> None:
    key = getattr(getattr(request, "session", None), "session_key", None)
    if key:
        UserSession.objects.filter(session_key=key).delete()


def connect() -> None:
    user_logged_in.connect(_noted, dispatch_uid="zhifa.web.sessions.noted")
    user_logged_out.connect(_forgotten, dispatch_uid="zhifa.web.sessions.forgotten")


@dataclass(frozen=True)
class SignedIn:
    id: int
    signed_in_at: object
    address: str
    browser: str
    current: bool


def browser_label(user_agent: str) -> str:
    """A short Chinese description of a User-Agent: the browser and whether it is a phone."""
    ua = user_agent.lower()
    device = "手机" if any(m in ua for m in ("iphone", "android", "mobile")) else "电脑"
    for token, name in (
        ("micromessenger", "微信"),
        ("dingtalk", "钉钉"),
        ("edg/", "Edge"),
        ("chrome", "Chrome"),
        ("firefox", "Firefox"),
        ("safari", "Safari"),
    ):
        if token in ua:
            return f"{device} · {name}"
    return f"{device} · 其他浏览器" if ua else "未知设备"


def sessions_of(user, current_key: str | None) -> list[SignedIn]:
    """The user's live sessions, the current one first. Rows whose session has ended (expired or
    cleared) are dropped on the way."""
    rows = list(UserSession.objects.filter(user=user))
    if settings.SESSION_ENGINE == "django.contrib.sessions.backends.db":
        live = set(
            Session.objects.filter(
                session_key__in=[r.session_key for r in rows], expire_date__gt=timezone.now()
            ).values_list("session_key", flat=True)
        )
    else:
        live = {r.session_key for r in rows if _store()().exists(r.session_key)}
    dead = [r.pk for r in rows if r.session_key not in live]
    if dead:
        UserSession.objects.filter(pk__in=dead).delete()
    out = [
        SignedIn(
            r.pk, r.signed_in_at, r.address or "", browser_label(r.user_agent), r.session_key == current_key
        )
        for r in rows
        if r.session_key in live
    ]
    return sorted(out, key=lambda s: (not s.current, -s.signed_in_at.timestamp()))


@transaction.atomic
def sign_out(user, session_id: int, current_key: str | None) -> None:
    """End one of the user's other sessions."""
    row = UserSession.objects.filter(user=user, pk=session_id).exclude(session_key=current_key or "").first()
    if row is None:
        raise NotFound("该登录会话不存在或已结束")
    _store()(session_key=row.session_key).delete()
    row.delete()
    audit.record(
        user,
        "account.sign_out_session",
        object_type="web.UserSession",
        object_id=session_id,
        after={"address": row.address, "signed_in_at": row.signed_in_at},
    )


@transaction.atomic
def sign_out_others(user, current_key: str | None) -> int:
    """End every session of the user but the current one; the number ended."""
    rows = list(UserSession.objects.filter(user=user).exclude(session_key=current_key or ""))
    store = _store()
    for row in rows:
        store(session_key=row.session_key).delete()
    UserSession.objects.filter(pk__in=[r.pk for r in rows]).delete()
    audit.record(
        user,
        "account.sign_out_others",
        object_type="organizations.User",
        object_id=user.pk,
        after={"sessions": len(rows)},
    )
    return len(rows)


def password_changed(user, current_key: str | None) -> None:
    """After a password change the other sessions no longer authenticate (Django checks the
    password hash in each session); their rows go too, and the change is audited."""
    UserSession.objects.filter(user=user).exclude(session_key=current_key or "").delete()
    audit.record(user, "account.password_change", object_type="organizations.User", object_id=user.pk)
