"""The legal review centre's pages (行政处罚法第五十八条; 浙江省综合行政执法条例第二十四条): the review
queue with due dates, claiming and assigning, the review page with the checklist and the opinion,
statistics per body and reviewer, and each body's list of decisions that need review."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from zhifa.core import access
from zhifa.core.errors import DomainError, NotFound
from zhifa.core.web import service_view
from zhifa.organizations.models import User

from .. import rules, selectors, services
from ..models import LegalReview, ReviewCatalogueEntry
from .case_page import _message


@service_view
def queue(request):
    mine = request.GET.get("mine") == "1"
    reviews = list(selectors.review_queue(request.user, mine=mine))
    today = services.today()
    rows = [
        {
            "review": r,
            "overdue": r.due_on < today,
            "may_assign": access.can(request.user, "cases.assign_review", r),
        }
        for r in reviews
    ]
    return render(
        request,
        "cases/review_queue.html",
        {"rows": rows, "mine": mine, "today": today, "reviewers": _reviewers(request.user)},
    )


def _reviewers(user):
    return (
        User.objects.filter(is_active=True, role=User.Role.LEGAL_REVIEWER)
        .filter(pk__in=access.visible_to(user, User).values("pk"))
        .order_by("username")
    )


@service_view
def review_detail(request, review_id: int, errors: dict | None = None, posted=None):
    review = access.get_visible(
        request.user, LegalReview.objects.select_related("case", "reviewer", "centre"), review_id
    )
    case = selectors.case_detail(request.user, review.case_id)
    from .inbox import describe

    return render(
        request,
        "cases/review_detail.html",
        {
            "review": review,
            "case": case,
            "checklist": LegalReview.CHECKLIST,
            "results": LegalReview.Result.choices,
            "proposal": describe({"penalties_intended": review.proposal.get("penalties_intended") or []}),
            "may_review": access.can(request.user, "cases.review", case)
            and review.status in (LegalReview.Status.WAITING, LegalReview.Status.IN_REVIEW),
            "problem": services.review.qualification_problem(request.user)
            if access.has_role(request.user, User.Role.LEGAL_REVIEWER)
            else None,
            "errors": errors or {},
            "posted": posted or {},
            "today": services.today(),
            "checked": [key for key, value in ((posted or {}).get("checklist") or {}).items() if value],
            "events": case.events.all(),
            "evidence": case.evidence.all(),
            "documents": case.documents.all(),
        },
        status=422 if errors else 200,
    )


@service_view
@require_POST
def claim(request, review_id: int):
    try:
        services.claim_review(request.user, review_id)
        messages.success(request, "已承办该审核")
    except DomainError as exc:
        if isinstance(exc, NotFound):
            raise
        messages.error(request, exc.message)
    return redirect("cases:review_detail", review_id)


@service_view
@require_POST
def assign(request, review_id: int):
    try:
        services.assign_review(
            request.user, review_id, {"reviewer_id": request.POST.get("reviewer_id") or None}
        )
        messages.success(request, "已分配")
    except (DomainError, ValidationError) as exc:
        if isinstance(exc, NotFound):
            raise
        messages.error(request, _message(exc))
    return redirect("cases:reviews")


@service_view
@require_POST
def record(request, review_id: int):
    checklist = {key: request.POST.get(f"check-{key}") == "on" for key, _ in LegalReview.CHECKLIST}
    data = {
        "result": request.POST.get("result", ""),
        "opinion": request.POST.get("opinion", ""),
        "checklist": checklist,
        "as_of": request.POST.get("as_of") or None,
    }
    try:
        review = services.record_review(request.user, review_id, data)
        messages.success(request, f"审核意见已提交：{review.get_result_display()}")
        return redirect("cases:reviews")
    except (DomainError, ValidationError) as exc:
        if isinstance(exc, NotFound):
            raise
        errors = {}
        if isinstance(exc, ValidationError):
            from zhifa.core.errors import validation_error_items

            errors = {i["field"] or "__all__": i["message"] for i in validation_error_items(exc)}
        messages.error(request, _message(exc))
        return review_detail.__wrapped__(
            request, review_id, errors=errors, posted={**data, "checklist": checklist}
        )


@service_view
def statistics(request):
    since = request.GET.get("since")
    try:
        since_date = dt.date.fromisoformat(since) if since else services.today().replace(month=1, day=1)
    except ValueError:
        since_date = services.today().replace(month=1, day=1)
    return render(
        request,
        "cases/review_stats.html",
        {"stats": selectors.review_statistics(request.user, since_date), "since": since_date},
    )


@service_view
def catalogue(request):
    org = request.user.organization
    body = org.body() if org is not None else None
    entries = (
        ReviewCatalogueEntry.objects.filter(organization=body).order_by("-is_active", "kind") if body else []
    )
    return render(
        request,
        "cases/review_catalogue.html",
        {
            "body": body,
            "entries": entries,
            "kinds": ReviewCatalogueEntry.Kind.choices,
            "penalty_kinds": [(k.value, label) for k, label in rules.PENALTY_LABELS.items()],
            "may_manage": body is not None
            and access.can(request.user, "cases.manage_review_catalogue", body),
        },
    )


@service_view
@require_POST
def catalogue_add(request):
    org = request.user.organization
    data = {
        "organization_id": org.pk if org else None,
        "kind": request.POST.get("kind", ""),
        "penalty_kind": request.POST.get("penalty_kind", ""),
        "amount": request.POST.get("amount") or None,
        "district_level": request.POST.get("district_level") == "on",
        "description": request.POST.get("description", ""),
        "basis": request.POST.get("basis", ""),
    }
    try:
        services.add_catalogue_entry(request.user, data)
        messages.success(request, "已加入法制审核目录，此后符合情形的案件自动须经法制审核")
    except (DomainError, ValidationError) as exc:
        messages.error(request, _message(exc))
    return redirect("cases:review_catalogue")


@service_view
@require_POST
def catalogue_retire(request, entry_id: int):
    try:
        services.retire_catalogue_entry(request.user, entry_id)
        messages.success(request, "已停用该项")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("cases:review_catalogue")
