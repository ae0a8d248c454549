"""Public pages (no login) and the staff pages that feed them.

* 亮证执法: anyone scans an officer's QR code and sees whether the officer may enforce today.
* 公开: one home for every public list (the catalog, flexible lists and draw pages stay in their
  apps), published penalty decisions (行政处罚法第四十八条) and published random draws.
* 问题上报: a citizen reports a problem and follows it with a tracking code.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_POST

from zhifa.core import access
from zhifa.core.errors import DomainError, NotFound, PermissionDenied
from zhifa.core.exports import wants_xlsx, xlsx_response
from zhifa.core.scopes import Scope
from zhifa.core.web import client_address, service_view
from zhifa.discretion.rules import ENTRY_LABELS
from zhifa.dispatch import rules as dispatch_rules
from zhifa.dispatch import selectors as dispatch_selectors
from zhifa.dispatch import services as dispatch_services
from zhifa.organizations.credentials import check_credential

from . import selectors, services
from .access import PUBLISH
from .forms import DecisionSearchForm, RatingForm, ReopenForm, ReportForm, TrackForm, WithdrawForm

PAGE_SIZE = 30
# Expired codes are gone for good (410); forged, revoked or unknown ones are bad requests (400).
REFUSAL_STATUS = {"credential_expired": 410}


def _noindex(response):
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@never_cache
def credential_check(request, token):
    result = check_credential(token)
    status = REFUSAL_STATUS.get(result.refusal.code, 400) if result.refusal else 200
    return _noindex(render(request, "portal/credential_check.html", {"result": result}, status=status))


@cache_control(public=True, max_age=60)
def index(request):
    return render(
        request,
        "portal/index.html",
        {
            "decisions": selectors.published_decisions()[:5],
            "draws": selectors.published_draws()[:5],
            "flexible_lists": ENTRY_LABELS,
            "track_form": TrackForm(),
        },
    )


# ---- published penalty decisions ----------------------------------------------------------------


def decision_list(request):
    filters = DecisionSearchForm(request.GET)
    decisions = selectors.published_decisions(**filters.selector_filters())
    page = Paginator(decisions, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "portal/decision_list.html",
        {
            "filters": filters,
            "page": page,
            "query": query.urlencode(),
            "withdrawn": selectors.withdrawn_decisions(20),
        },
    )


def decision_detail(request, publication_id: int):
    try:
        publication = selectors.published_decision(publication_id)
    except NotFound as exc:
        raise Http404(exc.message) from None
    return render(
        request,
        "portal/decision_detail.html",
        {"publication": publication, "d": publication.snapshot},
        status=410 if publication.is_withdrawn else 200,
    )


def draw_list(request):
    page = Paginator(selectors.published_draws(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "portal/draw_list.html", {"page": page, "query": ""})


# ---- reports from the public -------------------------------------------------------------------


def _add_errors(form, exc: ValidationError) -> None:
    for field, errors in exc.error_dict.items():
        if field in ("lat", "lng"):
            field = "address"
        form.add_error(field if field in form.fields else None, errors)


@never_cache
def report(request):
    form = ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            incident = services.submit_report(
                form.cleaned_data,
                client=client_address(request) or "unknown",
                photo=form.cleaned_data.get("photo"),
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request, f"上报成功。您的查询码是 {incident.tracking_code}，请保存，可凭查询码查询办理进度。"
            )
            return redirect("portal:track_code", code=incident.tracking_code)
    status = 400 if form.errors else 200
    return _noindex(render(request, "portal/report.html", {"form": form}, status=status))


@never_cache
def track(request):
    if request.GET.get("code"):
        form = TrackForm(request.GET)
        if form.is_valid():
            return redirect("portal:track_code", code=form.cleaned_data["code"].strip().upper())
    else:
        form = TrackForm()
    return _noindex(render(request, "portal/track.html", {"form": form, "incident": None}))


#: Timeline steps a reporter sees; internal steps (escalation, merges' internals) are summarised.
PUBLIC_ACTIONS = {
    "report",
    "assign",
    "accept",
    "handle",
    "reply",
    "evaluate",
    "close",
    "reopen",
    "transfer",
    "return",
    "merge",
    "dispute_decided",
    "rate",
}


@never_cache
def track_code(request, code: str):
    try:
        incident = selectors.tracked_incident(code)
    except NotFound as exc:
        form = TrackForm(initial={"code": code})
        return _noindex(
            render(
                request,
                "portal/track.html",
                {"form": form, "incident": None, "missing": exc.message},
                status=404,
            )
        )
    events = _public_events(incident)
    return _track_page(request, incident, events)


def _track_page(
    request, incident, events, *, rating_error: str = "", reopen_error: str = "", status: int = 200
):
    finished = incident.state in dispatch_rules.FINISHED_STATES or incident.state == dispatch_rules.REPLIED
    closed = incident.state == dispatch_rules.CLOSED
    may_rate = closed and not (
        incident.rated_at and incident.closed_at and incident.rated_at >= incident.closed_at
    )
    return _noindex(
        render(
            request,
            "portal/track.html",
            {
                "form": TrackForm(initial={"code": incident.tracking_code}),
                "incident": incident,
                "events": events,
                "state_label": dispatch_rules.STATE_LABELS[incident.state],
                "finished": finished,
                "may_rate": may_rate,
                "may_reopen": closed and incident.citizen_reopened_at is None,
                "rating_form": RatingForm(request.POST if rating_error else None),
                "reopen_form": ReopenForm(),
                "rating_error": rating_error,
                "reopen_error": reopen_error,
                "scores": range(5, 0, -1),
            },
            status=status,
        )
    )


def _public_events(incident):
    return [
        {
            "at": e.at,
            "label": dispatch_rules.ACTION_LABELS.get(e.action, e.action),
            "org": e.organization.name if e.organization_id else "",
            "state": dispatch_rules.STATE_LABELS.get(e.to_state, ""),
        }
        for e in incident.events.all()
        if e.action in PUBLIC_ACTIONS
    ]


@never_cache
@require_POST
def rate(request, code: str):
    """The reporter rates the handling of a closed incident (1–5) on the tracking page."""
    form = RatingForm(request.POST)
    try:
        score = form.cleaned_data["satisfaction"] if form.is_valid() else None
        incident = dispatch_services.rate(
            code, score, form.cleaned_data.get("comment", "") if form.is_valid() else ""
        )
    except NotFound as exc:
        raise Http404(exc.message) from None
    except DomainError as exc:
        incident = selectors.tracked_incident(code)
        return _track_page(request, incident, _public_events(incident), rating_error=exc.message, status=400)
    messages.success(
        request, "感谢您的评价" + ("，指挥中心将核查办理情况" if incident.satisfaction <= 2 else "")
    )
    return redirect("portal:track_code", code=incident.tracking_code)


@never_cache
@require_POST
def reopen(request, code: str):
    """The reporter says the problem is not fixed: once, with a reason."""
    try:
        incident = dispatch_services.citizen_reopen(code, request.POST.get("reason", ""))
    except NotFound as exc:
        raise Http404(exc.message) from None
    except DomainError as exc:
        incident = selectors.tracked_incident(code)
        return _track_page(request, incident, _public_events(incident), reopen_error=exc.message, status=400)
    messages.success(request, "已申请重新办理，承办单位将重新处置")
    return redirect("portal:track_code", code=incident.tracking_code)


# ---- staff: publishing decisions, photos of public reports ---------------------------------------


@service_view
def staff_decisions(request):
    scope = Scope.for_user(request.user)
    published = {"1": True, "0": False}.get(request.GET.get("published", ""))
    cases = selectors.decided_cases(scope, published=published)
    if wants_xlsx(request):
        return xlsx_response(
            "处罚决定公开",
            "处罚决定公开",
            ["案件编号", "当事人", "执法事项", "办案机关", "决定日期", "公开状态"],
            (
                [
                    c.number,
                    c.party.name,
                    c.item.name,
                    c.organization.name,
                    c.decision_date,
                    _publication_state(c),
                ]
                for c in cases.iterator(chunk_size=500)
            ),
        )
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "portal/staff_decisions.html",
        {
            "page": page,
            "query": query.urlencode(),
            "published": request.GET.get("published", ""),
            "may_publish": access.can(request.user, PUBLISH),
            "due": selectors.withdrawals_due(scope, timezone.localdate()),
            "withdraw_form": WithdrawForm(),
        },
    )


def _publication_state(case) -> str:
    publication = getattr(case, "publication", None)
    if publication is None:
        return "未公开"
    return "已撤回" if publication.is_withdrawn else "已公开"


def _back(request, fallback: str):
    target = request.POST.get("next", "")
    return redirect(target if target.startswith("/") and not target.startswith("//") else fallback)


@service_view
@require_POST
def publish(request, case_id: int):
    try:
        publication = services.publish_decision(request.user, case_id)
    except DomainError as exc:
        if isinstance(exc, (NotFound, PermissionDenied)):
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已公开行政处罚决定 {publication.document_number}")
    return _back(request, reverse("portal:staff_decisions"))


@service_view
@require_POST
def withdraw(request, publication_id: int):
    form = WithdrawForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(
                {
                    "reason": ValidationError(
                        "撤回须写明理由（行政处罚法第四十八条第二款）", code="reason_required"
                    )
                }
            )
        publication = services.withdraw_decision(request.user, publication_id, form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    except DomainError as exc:
        if isinstance(exc, (NotFound, PermissionDenied)):
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已撤回 {publication.document_number} 的公开，并公开撤回理由")
    return _back(request, reverse("portal:staff_decisions"))


@service_view
def report_photo(request, incident_id: int):
    incident = dispatch_selectors.incident_detail(
        Scope.for_user(request.user), incident_id
    )  # NotFound outside scope
    report = getattr(incident, "public_report", None)
    if report is None or not report.photo:
        raise NotFound()
    return FileResponse(report.photo.open("rb"), filename=report.photo.name.rsplit("/", 1)[-1])
