from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from zhifa.core.scopes import Scope
from zhifa.organizations import selectors


@login_required
def home(request):
    scope = Scope.for_user(request.user)
    return render(request, "core/home.html", {
        "staffing": selectors.staffing_indicators(scope),
        "short_townships": list(selectors.townships_short_of_certified(scope)),
    })
