"""The to-do registry (待办): what each role's landing page lists.

Each app contributes *providers* for the roles whose work it holds, in its own ``todo.py``
(found and imported by the ``web`` app when the project starts)::

    from zhifa.core import todo

    @todo.provider("officer", order=10)
    def assigned_incidents(user, today):
        ...
        return todo.Section("incidents", "交办给我的事件", count=..., items=[...], more_url=...)

A provider receives the user and today's date and returns a :class:`Section` (or ``None`` when the
section does not apply to this user, e.g. an officer without an officer record). A user holding
several roles (``user.roles``) sees the sections of each, his main role first; a provider
registered for two roles the user holds is shown once.

The registry is part of the ground floor: it knows no domain app, the apps know it.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone

from . import access

log = logging.getLogger(__name__)

#: Levels of an item or a figure: the CSS badge names of the site.
BAD, WARN, INFO, GOOD, MUTED = "bad", "warn", "info", "good", "muted"

#: How many items a section shows; the rest are behind its "more" link.
SHOWN = 6


@dataclass(frozen=True)
class Item:
    """One thing to do: its title, where to do it (one click), and its deadline if it has one."""

    title: str
    url: str
    due: dt.date | dt.datetime | None = None
    detail: str = ""  # a second line: the party, the place, the body
    badge: str = ""  # a short state label ("已交办", "超期")
    level: str = ""  # overrides the level computed from ``due``

    @property
    def due_date(self) -> dt.date | None:
        if isinstance(self.due, dt.datetime):
            return timezone.localtime(self.due).date() if timezone.is_aware(self.due) else self.due.date()
        return self.due

    def level_on(self, today: dt.date, warning_days: int = 3) -> str:
        if self.level:
            return self.level
        due = self.due_date
        if due is None:
            return INFO
        if due < today:
            return BAD
        if (due - today).days <= warning_days:
            return WARN
        return INFO

    def days_left(self, today: dt.date) -> int | None:
        due = self.due_date
        return None if due is None else (due - today).days


@dataclass(frozen=True)
class Figure:
    """A number on a dashboard section (an indicator, a count of staff)."""

    label: str
    value: str
    note: str = ""
    level: str = INFO
    url: str = ""


@dataclass(frozen=True)
class Section:
    """One block of the landing page: a count, the most urgent items, a link to the full list."""

    key: str
    title: str
    count: int = 0
    items: Sequence[Item] = ()
    more_url: str = ""
    more_label: str = "查看全部"
    empty: str = "暂无待办"
    figures: Sequence[Figure] = ()
    note: str = ""  # one line under the title (the rule behind the list, the article)
    action_url: str = ""  # a button next to the title ("登记事件", "现场办案")
    action_label: str = ""
    failed: bool = False  # the provider raised; the section says it could not load

    def earliest_due(self) -> dt.date | None:
        dues = [i.due_date for i in self.items if i.due_date is not None]
        return min(dues) if dues else None


Provider = Callable[[Any, dt.date], Section | None]


@dataclass(frozen=True)
class _Registration:
    role: str
    order: int
    provider: Provider


_REGISTRY: list[_Registration] = []


def register(role: str, provider: Provider, *, order: int = 100) -> Provider:
    """Add ``provider`` to the landing page of ``role`` (registering the same one twice is a no-op)."""
    if not any(r.role == role and r.provider is provider for r in _REGISTRY):
        _REGISTRY.append(_Registration(role, order, provider))
    return provider


def provider(*roles: str, order: int = 100) -> Callable[[Provider], Provider]:
    """Decorator form of :func:`register` for one or several roles."""

    def decorate(fn: Provider) -> Provider:
        for role in roles:
            register(role, fn, order=order)
        return fn

    return decorate


def providers_for(role: str) -> list[Provider]:
    return [r.provider for r in sorted((r for r in _REGISTRY if r.role == role), key=lambda r: r.order)]


def registered_roles() -> set[str]:
    return {r.role for r in _REGISTRY}


@dataclass(frozen=True)
class RoleDesk:
    """The sections of one role the user holds."""

    role: str
    label: str
    sections: list[Section]

    @property
    def count(self) -> int:
        return sum(s.count for s in self.sections)


def ordered_roles(user) -> list[str]:
    """The roles the user holds, his main role first, then the others in a fixed order."""
    held = access.roles_of(user)
    main = getattr(user, "role", "")
    rest = sorted(r for r in held if r != main and r != access.ADMIN)
    return ([main] if main in held else []) + rest


def desks_for(user, today: dt.date | None = None, roles: Iterable[str] | None = None) -> list[RoleDesk]:
    """Every section of every role the user holds, each provider once."""
    today = today or timezone.localdate()
    seen: set[Provider] = set()
    desks = []
    for role in roles if roles is not None else ordered_roles(user):
        sections = []
        for fn in providers_for(role):
            if fn in seen:
                continue
            seen.add(fn)
            try:
                section = fn(user, today)
            except Exception:
                if settings.DEBUG:
                    raise
                log.exception("to-do provider %s failed", fn.__qualname__)
                section = Section(
                    key=f"failed-{fn.__name__}",
                    title="本栏暂时无法加载",
                    note="请稍后刷新或联系管理员",
                    empty="",
                    failed=True,
                )
            if section is not None:
                sections.append(section)
        if sections:
            desks.append(RoleDesk(role, access.role_label(role), arrange(sections)))
    return desks


def arrange(sections: list[Section]) -> list[Section]:
    """Work waiting first — the section with the nearest deadline leading — then the dashboards
    (figures), then the sections with nothing to do; each group keeps the registration order. A
    section that failed to load leads, so that it is noticed."""
    far = dt.date.max

    def key(pair):
        position, section = pair
        if section.failed:
            return (-1, far, position)
        if section.count and section.items:
            return (0, section.earliest_due() or far, position)
        if section.figures:
            return (1, far, position)
        return (2, far, position)

    return [s for _, s in sorted(enumerate(sections), key=key)]


def nearest(desks: Sequence[RoleDesk], today: dt.date, limit: int = 5) -> list[Item]:
    """The items of every section with the nearest deadlines (overdue first), for the top strip."""
    items = {(i.title, i.url): i for d in desks for s in d.sections for i in s.items if i.due is not None}
    return sorted(items.values(), key=lambda i: (i.due_date, i.title))[:limit]


def visible(user, model, fallback):
    """The rows of ``model`` the access policy lets the user see; ``fallback(queryset)`` while the
    model's app has not registered its visibility yet."""
    try:
        return access.visible_to(user, model)
    except LookupError:
        return fallback(model._default_manager.all())
