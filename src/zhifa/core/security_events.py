"""Security events in the audit log: login, logout, failed login, lockout, password change.

The password itself is never recorded; a failed login records the name typed (cut to 64
characters) and the address, because that is what an investigation of an attack needs.
"""

from __future__ import annotations

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_login_failed
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from . import audit, limits
from .web import client_address

USER_LABEL = "organizations.User"


def _address(request) -> str | None:
    return client_address(request) if request is not None else None


def logged_in(request, user) -> None:
    """A person signed in through the login page (zhifa.core.limits.LoginGuardMiddleware calls
    this after a successful login POST; sessions made without a request are not sign-ins)."""
    audit.record(user, "auth.login", user, after={"address": _address(request)})
    limits.reset("login-account", user.get_username().lower())


def logged_out(request, user) -> None:
    audit.record(user, "auth.logout", user, after={"address": _address(request)})


@receiver(user_login_failed, dispatch_uid="zhifa.audit.login_failed")
def _login_failed(sender, credentials, request=None, **kwargs):
    username = str((credentials or {}).get("username") or "")[:64]
    address = _address(request)
    audit.record(
        None,
        "auth.login_failed",
        object_type=USER_LABEL,
        object_id=username,
        after={"username": username, "address": address},
    )
    for limit in limits.record_login_failure(username, address):
        audit.record(
            None,
            "auth.lockout",
            object_type=USER_LABEL,
            object_id=username,
            after={"username": username, "address": address, "limit": limit},
        )


def lift_lockouts(username: str) -> int:
    """Lift every lock on signing in as ``username``: the account's own (``limits``) and the
    account-and-address ones of django-axes, whose addresses are those the failed logins of the
    cool-off time came from. Returns how many address locks were lifted."""
    from axes.conf import settings as axes_settings
    from axes.utils import reset

    from .models import AuditEvent

    limits.reset("login-account", username.lower())
    since = timezone.now() - axes_settings.AXES_COOLOFF_TIME
    tried = (
        AuditEvent.objects.filter(
            action="auth.login_failed", object_type=USER_LABEL, object_id__iexact=username, at__gte=since
        )
        .values_list("object_id", "after__address")
        .distinct()
    )
    return sum(reset(ip=address, username=typed) for typed, address in tried if address)


@receiver(user_locked_out, dispatch_uid="zhifa.audit.axes_lockout")
def _locked_out(sender, request, username, ip_address, **kwargs):
    username = str(username or "")[:64]
    audit.record(
        None,
        "auth.lockout",
        object_type=USER_LABEL,
        object_id=username,
        after={"username": username, "address": ip_address, "limit": "account_and_address"},
    )


@receiver(post_save, sender=get_user_model(), dispatch_uid="zhifa.audit.password_change")
def _password_changed(sender, instance, created, **kwargs):
    # AbstractBaseUser.set_password keeps the raw password in _password until save() has run.
    if not created and getattr(instance, "_password", None) is not None:
        audit.record(instance, "auth.password_change", instance)
