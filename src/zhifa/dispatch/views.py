"""Dispatch pages: the command-centre queue, the incident page with its timeline and actions,
the officer's phone list, and the form to register an incident."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from zhifa.core.errors import DomainError, NotFound, PermissionDenied
from zhifa.core.exports import wants_xlsx, xlsx_response
from zhifa.core.scopes import Scope
from zhifa.core.web import service_view
from zhifa.organizations.models import Organization

from . import rules, selectors, services
from .forms import ActionForm, IncidentFilterForm, ReportForm
from .models import Referral

PAGE_SIZE = 50
#: Actions shown as buttons, in loop order, with the fields each one needs.
ACTION_FIELDS = {
    "assign": ("organization",), "accept": (), "return": ("reason",), "transfer": ("organization", "reason"),
    "handle": (), "reply": ("reply",), "evaluate": ("satisfaction",), "close": (), "reopen": ("reason",),
}


def _assignable():
    return Organization.objects.filter(is_active=True, kind__in=[
        Organization.Kind.COMPREHENSIVE_BUREAU, Organization.Kind.PROFESSIONAL_DEPARTMENT,
        Organization.Kind.TOWNSHIP_TEAM, Organization.Kind.DISPATCHED_STATION]).order_by("path")


@service_view
def queue(request):
    scope = Scope.for_user(request.user)
    filters = IncidentFilterForm(request.GET, selectors.townships())
    incidents = selectors.incidents(scope, **filters.selector_filters())
    if wants_xlsx(request):
        # The reporter's name and phone stay out of the download.
        return xlsx_response("事件", "事件指挥调度", ["查询码", "标题", "内容", "来源", "乡镇（街道）", "地址", "承办单位", "状态",
                                                "登记时间", "办理期限", "超期"], (
            [i.tracking_code, i.title, i.text, i.get_source_display(), i.township.name if i.township_id else "", i.address,
             i.responsible_org.name if i.responsible_org_id else "", i.get_state_display(), i.reported_at, i.due_at,
             "是" if i.overdue else "否"] for i in incidents.iterator(chunk_size=500)))
    page = Paginator(incidents, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "dispatch/queue.html", {
        "filters": filters, "page": page, "query": query.urlencode(),
        "state_counts": selectors.state_counts(scope), "township_counts": selectors.township_counts(scope),
        "may_report": request.user.is_superuser or request.user.role in rules.DISPATCHERS,
    })


def _render_detail(request, incident_id: int, form=None, failed_action: str | None = None):
    incident = selectors.incident_detail(Scope.for_user(request.user), incident_id)
    actions = [(a, rules.ACTION_LABELS[a], ACTION_FIELDS[a]) for a in rules.allowed_actions(incident.state)
               if a in ACTION_FIELDS and services.may_act(request.user, incident, a)]
    duplicates = selectors.possible_duplicates(incident) if incident.is_open else []
    return render(request, "dispatch/incident_detail.html", {
        "incident": incident, "actions": actions, "failed_action": failed_action,
        "form": form or ActionForm(organizations=_assignable()),
        "duplicates": duplicates, "may_merge": request.user.is_superuser or request.user.role in rules.DISPATCHERS,
        "events": list(incident.events.all()),
        "disputes": list(incident.disputes.all()),
        "may_raise_dispute": incident.state in rules.WORKING_STATES and services.may_act(request.user, incident, "accept"),
        "may_decide": request.user.is_superuser or request.user.role == rules.GUIDANCE_ROLE,
        "organizations": _assignable(),
    })


@service_view
def incident_detail(request, incident_id: int):
    return _render_detail(request, incident_id)


@service_view
@require_POST
def act(request, incident_id: int, action: str):
    if action not in ACTION_FIELDS:
        raise NotFound()
    form = ActionForm(request.POST, organizations=_assignable())
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.transition(request.user, incident_id, action, organization=data.get("organization"),
                                reason=data.get("reason") or "", reply=data.get("reply") or "",
                                satisfaction=data.get("satisfaction"))
        except DomainError as exc:
            if isinstance(exc, (NotFound, PermissionDenied)):
                raise
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"已{rules.ACTION_LABELS[action]}")
            return redirect("dispatch:incident_detail", incident_id=incident_id)
    return _render_detail(request, incident_id, form=form, failed_action=action)


@service_view
@require_POST
def merge(request, incident_id: int, into_id: int):
    try:
        services.merge_duplicate(request.user, incident_id, into_id)
    except DomainError as exc:
        if isinstance(exc, (NotFound, PermissionDenied)):
            raise
        messages.error(request, exc.message)
        return redirect("dispatch:incident_detail", incident_id=incident_id)
    messages.success(request, "已合并为重复事件")
    return redirect("dispatch:incident_detail", incident_id=into_id)


@service_view
def my_tasks(request):
    tasks = list(selectors.my_tasks(request.user)[:200])
    return render(request, "dispatch/my_tasks.html", {"tasks": tasks})


@service_view
def report(request):
    if not (request.user.is_superuser or request.user.role in rules.DISPATCHERS):
        raise PermissionDenied("只有指挥中心可以登记事件")
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: (str(v) if v is not None and k in ("lat", "lng") else v) for k, v in form.cleaned_data.items()}
        try:
            incident, _ = services.report_incident(request.user, data)
        except ValidationError as exc:
            for field, errors in exc.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, f"已登记事件 {incident.tracking_code}")
            return redirect("dispatch:incident_detail", incident_id=incident.pk)
    return render(request, "dispatch/report.html", {"form": form})


def _org_from(request, field: str) -> Organization | None:
    value = request.POST.get(field, "")
    return _assignable().filter(pk=int(value)).first() if value.isdigit() else None


@service_view
@require_POST
def raise_dispute(request, incident_id: int):
    other = _org_from(request, "other_org")
    try:
        if other is None:
            raise DomainError("other_org_required", "请选择对方单位", "other_org")
        services.raise_dispute(request.user, incident_id, other, request.POST.get("reason", ""))
    except (DomainError, ValidationError) as exc:
        if isinstance(exc, (NotFound, PermissionDenied)):
            raise
        messages.error(request, getattr(exc, "message", None) or "; ".join(exc.messages))
    else:
        messages.success(request, "已提出执法争议，等待执法指导办裁定")
    return redirect("dispatch:incident_detail", incident_id=incident_id)


@service_view
@require_POST
def decide_dispute(request, incident_id: int, dispute_id: int):
    decided = _org_from(request, "decided_org")
    try:
        if decided is None:
            raise DomainError("decided_org_required", "请选择承办单位", "decided_org")
        services.decide_dispute(request.user, dispute_id, decided, request.POST.get("decision", ""))
    except (DomainError, ValidationError) as exc:
        if isinstance(exc, (NotFound, PermissionDenied)):
            raise
        messages.error(request, getattr(exc, "message", None) or "; ".join(exc.messages))
    else:
        messages.success(request, f"已裁定由{decided.name}承办")
    return redirect("dispatch:incident_detail", incident_id=incident_id)


@service_view
def referral_list(request):
    """移送与管辖争议: what the user's bodies sent, received and dispute, in one place."""
    scope = Scope.for_user(request.user)
    state = request.GET.get("state") or None
    if state not in (None, *Referral.State.values):
        state = None
    referrals = selectors.referrals(scope, state)
    if wants_xlsx(request):
        return xlsx_response("线索移送", "线索移送", ["移送单位", "接收单位", "事件查询码", "案件编号", "移送理由", "状态",
                                              "移送时间", "接收期限", "接收时间", "回执"], (
            [r.from_org.name, r.to_org.name, r.incident.tracking_code if r.incident_id else "", r.case_ref, r.reason,
             r.get_state_display(), r.sent_at, r.due_on, r.received_at, r.receipt] for r in referrals.iterator(chunk_size=500)))
    page = Paginator(referrals, PAGE_SIZE).get_page(request.GET.get("page"))
    org = getattr(request.user, "organization", None)
    for referral in page:  # the receiving side confirms receipt (services.receive_referral checks it again)
        referral.receivable = (referral.state == Referral.State.SENT and org is not None
                               and referral.to_org.path.startswith(org.path))
    return render(request, "dispatch/referral_list.html", {
        "page": page, "state": state or "", "states": Referral.State.choices,
        "query": f"state={state}" if state else "",
        "disputes": selectors.disputes(scope).order_by("-raised_at", "-pk")[:50],
    })


@service_view
@require_POST
def referral_receive(request, referral_id: int):
    try:
        services.receive_referral(request.user, referral_id, request.POST.get("receipt", ""))
    except DomainError as exc:
        if isinstance(exc, NotFound):
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, "已接收移送线索")
    return redirect("dispatch:referral_list")
