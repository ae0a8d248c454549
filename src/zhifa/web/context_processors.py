"""What every staff page shows: the platform name, the task menu the user's roles may open, and
on a phone the officer's bottom bar."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.functional import SimpleLazyObject

from zhifa.core import access
from zhifa.core.nav import GROUP_LABELS, GROUPS, Entry

DEFAULT_DISTRICT_NAME = "衢江区"
PLATFORM_SUFFIX = "大综合一体化行政执法平台"
SHORT_SUFFIX = "执法平台"
#: At most this many entries in the phone's bottom bar.
PHONE_BAR_MAX = 5


def district_name() -> str:
    """The name of the district the platform serves (the Region with ZHIFA_DISTRICT_CODE)."""
    from zhifa.organizations.models import Region

    name = Region.objects.filter(code=settings.ZHIFA_DISTRICT_CODE).values_list("name", flat=True).first()
    return name or DEFAULT_DISTRICT_NAME


@dataclass
class Link:
    label: str
    url: str
    active: bool = False
    phone_label: str = ""


@dataclass
class Group:
    key: str
    label: str
    links: list[Link] = field(default_factory=list)

    @property
    def active(self) -> bool:
        return any(link.active for link in self.links)

    @property
    def single(self) -> Link | None:
        return self.links[0] if len(self.links) == 1 else None


def declared_entries() -> list[Entry]:
    """Every app's menu entries; a plain (label, url name) pair joins the app's ``nav_group``."""
    entries = []
    for config in apps.get_app_configs():
        for declared in getattr(config, "nav", ()):
            if not isinstance(declared, Entry):
                label, url_name = declared
                declared = Entry(label, url_name, getattr(config, "nav_group", config.label))
            entries.append(declared)
    return entries


def may_use(user, entry: Entry, roles: frozenset[str]) -> bool:
    """An entry is the user's when he holds one of its roles (an administrator sees all entries but
    the officer's own acts) and, if it names a permission, the access policy grants it."""
    if entry.roles and not (roles & entry.roles) and not (entry.admin and access.ADMIN in roles):
        return False
    return not entry.permission or access.can(user, entry.permission)


def _is_active(path: str, url: str) -> bool:
    return path == url or (url != "/" and path.startswith(url.split("?")[0]))


def menu_for(user, path: str = "") -> tuple[list[Group], list[Link]]:
    """The groups of the top bar (the eight task groups, those with an entry for the user) and the
    officer's bottom bar."""
    roles = access.roles_of(user)
    groups = {key: Group(key, label) for key, label in GROUPS}
    extra: dict[str, Group] = {}
    phone: list[tuple[int, Link]] = []
    active_url = ""
    visible = [e for e in sorted(declared_entries(), key=lambda e: e.order) if may_use(user, e, roles)]
    resolved = []
    for entry in visible:
        try:
            url = reverse(entry.url_name) + entry.query
        except NoReverseMatch:
            continue
        resolved.append((entry, url))
        # The longest matching address marks the page the user is on.
        if _is_active(path, url) and len(url) > len(active_url):
            active_url = url
    for entry, url in resolved:
        link = Link(entry.label, url, url == active_url, entry.phone_label or entry.label)
        group = groups.get(entry.group) or extra.setdefault(
            entry.group, Group(entry.group, GROUP_LABELS.get(entry.group, entry.group))
        )
        group.links.append(link)
        if entry.phone:
            phone.append((entry.phone, link))
    shown = [g for g in [*groups.values(), *extra.values()] if g.links]
    bar = (
        [link for _, link in sorted(phone, key=lambda p: p[0])][:PHONE_BAR_MAX] if "officer" in roles else []
    )
    return shown, bar


def _calendar_warning(user) -> list[int]:
    """The years whose holiday notice is awaited and missing, for a user who may enter it."""
    from zhifa.core.access_rules import MANAGE_CALENDAR
    from zhifa.core.calendars import missing_announcements

    return missing_announcements() if access.can(user, MANAGE_CALENDAR) else []


def navigation(request):
    """``platform_name`` and ``calendar_warning`` are lazy: their queries run once, and only when a
    template uses them."""
    name = SimpleLazyObject(district_name)
    context = {
        "platform_name": SimpleLazyObject(lambda: str(name) + PLATFORM_SUFFIX),
        "platform_short_name": SimpleLazyObject(lambda: str(name) + SHORT_SUFFIX),
        "nav_groups": [],
        "phone_bar": [],
        "calendar_warning": [],
    }
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return context
    context["calendar_warning"] = SimpleLazyObject(lambda: _calendar_warning(user))
    groups, bar = menu_for(user, request.path)
    context.update(
        nav_groups=groups,
        phone_bar=bar,
        user_roles=[access.role_label(r) for r in sorted(access.roles_of(user)) if r != access.ADMIN],
    )
    return context
