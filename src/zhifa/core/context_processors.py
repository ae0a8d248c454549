"""What every page shows: the platform name and the navigation the user's role may open."""

from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

DEFAULT_DISTRICT_NAME = "衢江区"
PLATFORM_SUFFIX = "大综合一体化行政执法平台"


def district_name() -> str:
    """The name of the district the platform serves (the Region with ZHIFA_DISTRICT_CODE)."""
    from zhifa.organizations.models import Region

    name = Region.objects.filter(code=settings.ZHIFA_DISTRICT_CODE).values_list("name", flat=True).first()
    return name or DEFAULT_DISTRICT_NAME


def _is_active(path: str, url: str) -> bool:
    return path == url or (url != "/" and path.startswith(url))


def navigation(request):
    """``platform_name`` is lazy: the query runs once, and only when a template prints it."""
    context = {"platform_name": SimpleLazyObject(lambda: district_name() + PLATFORM_SUFFIX), "nav_items": []}
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return context
    items = [("首页", reverse("home"))]
    # Each app declares its own entries: ``nav = [(label, url name), ...]`` on its AppConfig.
    for config in apps.get_app_configs():
        items += [(label, reverse(name)) for label, name in getattr(config, "nav", ())]
    if user.is_staff:
        items.append(("后台管理", reverse("admin:index")))
    context["nav_items"] = [{"label": label, "url": url, "active": _is_active(request.path, url)}
                            for label, url in items]
    return context

