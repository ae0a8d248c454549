"""One access policy for the whole platform: who may see what, who may do what (DESIGN.md,
"Authority" and "Data scope").

* ``visible_to(actor, Model | queryset)`` — the rows the actor may see. Each app registers the
  visibility of its models with :func:`register_visibility`; a model without a registration is
  visible to nobody (safe by default).
* ``can(actor, "cases.decide", case)`` / ``require(...)`` — may the actor perform this action on
  this object. Each app declares its permissions with :func:`permission`: the roles that hold it
  and, optionally, an object condition written as a ``rules`` predicate (django-rules). A refusal
  names the role that holds the permission and why, in Chinese.
* ``get_visible(actor, Model, pk)`` — resolve an id named in a request through the actor's scope:
  an id outside it is "not found", never accepted.

The core knows no domain app: ``organizations`` tells it the role labels and how delegations
are looked up; every other app adds its own permissions in its ``access.py`` (imported by the
app's ``ready``). Superusers hold the administrator role ``admin``, which administers data but
performs no act of authority (deciding, reviewing, approving) — those belong to their holders.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import rules
from django.db.models import Model, QuerySet

from .errors import NotFound, PermissionDenied

ADMIN = "admin"

_ROLE_LABELS: dict[str, str] = {ADMIN: "系统管理员"}


@dataclass(frozen=True)
class Permission:
    """An action and who may perform it."""

    name: str  # "cases.decide"
    label: str  # "作出行政处罚决定"
    roles: frozenset[str]  # roles that hold it
    check: Any = None  # rules.Predicate on (actor, obj), or None
    refusal: str = ""  # why the object condition failed, in Chinese
    basis: str = ""  # the article that gives the power, cited in refusals
    delegable: bool = False  # a deputy named in a Delegation of the body's head may act too


_PERMISSIONS: dict[str, Permission] = {}
_VISIBILITY: dict[type[Model], Callable[[Any, QuerySet], QuerySet]] = {}
_delegation_lookup: Callable[[Any, str, Any], bool] | None = None


def register_roles(labels: dict[str, str]) -> None:
    _ROLE_LABELS.update(labels)


def register_delegation_lookup(lookup: Callable[[Any, str, Any], bool]) -> None:
    """``lookup(actor, permission_name, obj)``: whether a delegation lets the actor act."""
    global _delegation_lookup
    _delegation_lookup = lookup


def role_label(role: str) -> str:
    return _ROLE_LABELS.get(role, role)


def permission(
    name: str,
    label: str,
    roles: Iterable[str],
    check: Any = None,
    *,
    refusal: str = "",
    basis: str = "",
    delegable: bool = False,
) -> Permission:
    """Declare a permission (once per name)."""
    if name in _PERMISSIONS:
        raise ValueError(f"permission {name} declared twice")
    perm = Permission(name, label, frozenset(roles), check, refusal, basis, delegable)
    _PERMISSIONS[name] = perm
    return perm


def permissions() -> dict[str, Permission]:
    return dict(_PERMISSIONS)


def get_permission(name: str) -> Permission:
    try:
        return _PERMISSIONS[name]
    except KeyError:
        raise KeyError(f"unknown permission {name!r}") from None


def register_visibility(model: type[Model]):
    """Decorator: ``fn(actor, queryset) -> queryset`` gives the rows of ``model`` the actor sees."""

    def decorate(fn):
        _VISIBILITY[model] = fn
        return fn

    return decorate


# --------------------------------------------------------------------------------------------
# Roles of an actor
# --------------------------------------------------------------------------------------------


def roles_of(actor) -> frozenset[str]:
    """Every role the actor holds: a user's primary role and his granted roles; a superuser also
    holds ``admin``; an API key holds its one role."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return frozenset()
    held = getattr(actor, "roles", None)
    roles_ = frozenset(held) if held is not None else frozenset({getattr(actor, "role", "")}) - {""}
    if getattr(actor, "is_superuser", False):
        roles_ |= {ADMIN}
    return roles_


def has_role(actor, *wanted: str) -> bool:
    return bool(roles_of(actor) & set(wanted))


# --------------------------------------------------------------------------------------------
# Reading: visible_to and get_visible
# --------------------------------------------------------------------------------------------


def visible_to(actor, source) -> QuerySet:
    """The rows of ``source`` (a model or a queryset) the actor may see."""
    queryset = source._default_manager.all() if isinstance(source, type) else source
    fn = _VISIBILITY.get(queryset.model)
    if fn is None:
        raise LookupError(f"no visibility registered for {queryset.model._meta.label}")
    if actor is None or not getattr(actor, "is_authenticated", False):
        return queryset.none()
    return fn(actor, queryset)


def get_visible(actor, source, pk: Any, *, input_field: str | None = None, lookup: str = "pk"):
    """The row with ``pk`` if the actor may see it, so that an id outside the scope is never
    accepted and its existence never leaks. Otherwise ``NotFound`` (404) for an id in the URL, or a
    422 ``ValidationError`` naming ``input_field`` for an id sent in the request body."""
    obj = None
    if isinstance(pk, Model):
        pk = pk.pk
    if pk is not None and pk != "":
        try:
            obj = visible_to(actor, source).filter(**{lookup: pk}).first()
        except (ValueError, TypeError):
            obj = None
    if obj is None:
        if input_field:
            from django.core.exceptions import ValidationError

            raise ValidationError(
                {input_field: ValidationError("记录不存在或无权使用", code="does_not_exist")}
            )
        raise NotFound()
    return obj


# --------------------------------------------------------------------------------------------
# Doing: can, why_not, require
# --------------------------------------------------------------------------------------------


def _holds(actor, perm: Permission, obj) -> bool:
    if roles_of(actor) & perm.roles:
        return True
    return bool(
        perm.delegable and _delegation_lookup is not None and _delegation_lookup(actor, perm.name, obj)
    )


def _object_ok(actor, perm: Permission, obj) -> bool:
    if perm.check is None:
        return True
    return bool(
        perm.check.test(actor, obj) if isinstance(perm.check, rules.Predicate) else perm.check(actor, obj)
    )


def can(actor, name: str, obj=None) -> bool:
    """Whether ``actor`` may perform ``name`` (on ``obj``)."""
    perm = get_permission(name)
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    return _holds(actor, perm, obj) and _object_ok(actor, perm, obj)


def why_not(actor, name: str, obj=None) -> str | None:
    """None when allowed; otherwise who may perform the action and why this actor may not."""
    perm = get_permission(name)
    basis = f"（{perm.basis}）" if perm.basis else ""
    if actor is None or not getattr(actor, "is_authenticated", False) or not _holds(actor, perm, obj):
        holders = "、".join(sorted(role_label(r) for r in perm.roles if r != ADMIN)) or role_label(ADMIN)
        return f"“{perm.label}”须由{holders}办理{basis}"
    if not _object_ok(actor, perm, obj):
        return (perm.refusal or f"不能对该记录办理“{perm.label}”") + basis
    return None


def require(actor, name: str, obj=None) -> None:
    """Raise ``PermissionDenied`` (403) naming the role needed when ``actor`` may not act."""
    message = why_not(actor, name, obj)
    if message is not None:
        raise PermissionDenied(message, roles=sorted(get_permission(name).roles))


def matrix(actors: dict[str, Any], objects: dict[str, Any] | None = None) -> dict[tuple[str, str], bool]:
    """``{(permission, actor name): allowed}`` for documentation and tests."""
    objects = objects or {}
    return {
        (name, who): can(actor, name, objects.get(name.split(".")[0]))
        for name in sorted(_PERMISSIONS)
        for who, actor in actors.items()
    }


# Predicates shared by apps (django-rules composes them with & | ~).
is_authenticated = rules.is_authenticated
predicate = rules.predicate
