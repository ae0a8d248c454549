"""The navigation every page shows, by what the user's role may open."""

from django.urls import reverse


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = [
        ("首页", reverse("home")),
        ("执法人员", reverse("organizations:officer_list")),
        ("机构", reverse("organizations:organization_tree")),
    ]
    return {"nav_items": [{"label": label, "url": url, "active": request.path == url or (url != "/" and request.path.startswith(url))}
                          for label, url in items]}
