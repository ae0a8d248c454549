"""Integration pages: the status callbacks and their dead-letter list (replayed by an
administrator), the inspector's queue of post-approval checks, a party's approvals and checks."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhifa.core import access
from zhifa.core.errors import DomainError, NotFound, PermissionDenied
from zhifa.core.web import service_view

from . import rules, selectors, services
from .models import Delivery, PostApprovalCheck

PAGE_SIZE = 50


@service_view
def deliveries(request):
    access.require(request.user, "integrations.view_deliveries")
    state = request.GET.get("state", "")
    if state not in Delivery.State.values:
        state = ""
    page = Paginator(selectors.deliveries(request.user, state or None), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "integrations/deliveries.html",
        {
            "page": page,
            "state": state,
            "states": Delivery.State.choices,
            "query": f"state={state}" if state else "",
            "may_replay": access.can(request.user, "integrations.replay"),
        },
    )


@service_view
@require_POST
def replay(request, delivery_id: int):
    try:
        services.replay(request.user, delivery_id)
    except DomainError as exc:
        if isinstance(exc, (NotFound, PermissionDenied)):
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, "已重新安排发送（消息编号不变，接收方可去重）")
    return redirect(reverse("integrations:deliveries") + "?state=dead")


@service_view
def post_approval_checks(request):
    """批后监管: the checks the user's body owes after approvals, nearest deadline first."""
    state = request.GET.get("state", PostApprovalCheck.State.OPEN)
    rows = selectors.post_approval_checks(
        request.user, state if state in PostApprovalCheck.State.values else None
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "integrations/post_approval_checks.html",
        {
            "page": page,
            "state": state,
            "query": f"state={state}",
            "outcomes": rules.CHECK_OUTCOMES.items(),
            "today": timezone.localdate(),
            "may_work": access.can(request.user, "integrations.work_post_approval_check"),
        },
    )


@service_view
@require_POST
def finish_post_approval_check(request, check_id: int):
    try:
        services.finish_post_approval_check(
            request.user,
            check_id,
            outcome=request.POST.get("outcome", ""),
            result=request.POST.get("result", ""),
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    except DomainError as exc:
        if isinstance(exc, (NotFound, PermissionDenied)):
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, "已完成批后检查")
    return redirect("integrations:post_approval_checks")


@service_view
def party_approvals(request, party_id: int):
    """A party's licence approvals and their post-approval checks (审管联动)."""
    approvals = selectors.approvals_of_party(request.user, party_id)
    return render(
        request, "integrations/party_approvals.html", {"approvals": approvals, "party_id": party_id}
    )
