"""What every page shows: the platform name, the navigation the user's role may open, and the
warning that a year's holiday notice is missing (for those who enter it)."""

from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from zhifa.core import access
from zhifa.core.access_rules import MANAGE_CALENDAR

DEFAULT_DISTRICT_NAME = "衢江区"
PLATFORM_SUFFIX = "大综合一体化行政执法平台"


def district_name() -> str:
    """The name of the district the platform serves (the Region with ZHIFA_DISTRICT_CODE)."""
    from zhifa.organizations.models import Region

    name = Region.objects.filter(code=settings.ZHIFA_DISTRICT_CODE).values_list("name", flat=True).first()
    return name or DEFAULT_DISTRICT_NAME


def _is_active(path: str, url: str) -> bool:
    return path == url or (url != "/" and path.startswith(url))


def _calendar_warning(user) -> list[int]:
    """The years whose holiday notice is awaited and missing, for a user who may enter it."""
    from zhifa.core.calendars import missing_announcements

    return missing_announcements() if access.can(user, MANAGE_CALENDAR) else []


def navigation(request):
    """``platform_name`` and ``calendar_warning`` are lazy: their queries run once, and only when a
    template uses them."""
    context = {"platform_name": SimpleLazyObject(lambda: district_name() + PLATFORM_SUFFIX), "nav_items": [],
               "calendar_warning": []}
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return context
    context["calendar_warning"] = SimpleLazyObject(lambda: _calendar_warning(user))
    items = [("首页", reverse("home"))]
    # Each app declares its own entries: ``nav = [(label, url name), ...]`` on its AppConfig.
    for config in apps.get_app_configs():
        items += [(label, reverse(name)) for label, name in getattr(config, "nav", ())]
    if user.is_staff:
        items.append(("后台管理", reverse("admin:index")))
    context["nav_items"] = [{"label": label, "url": url, "active": _is_active(request.path, url)}
                            for label, url in items]
    return context

