"""The home page: the staffing indicators of the reform and the townships short of officers."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from zhifa.core import access
from zhifa.core.scopes import Scope
from zhifa.organizations import rules, selectors


@login_required
def home(request):
    scope = Scope.for_user(request.user)
    staffing = selectors.staffing_indicators(scope)
    share_percent = staffing.township_share * 100
    return render(request, "core/home.html", {
        "staffing": staffing,
        "share_percent": share_percent,
        "bar_percent": min(share_percent, 100),
        "goal_percent": staffing.goal * 100,
        "min_certified": rules.MIN_CERTIFIED_OFFICERS_PER_TOWNSHIP,
        "sees_townships": scope.everything or scope.township_region_id is not None,
        "short_townships": list(selectors.townships_short_of_certified(scope)),
        "can_manage_roster": access.can(request.user, "organizations.manage_roster"),
    })
