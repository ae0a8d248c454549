"""Dispatch pages: the command-centre queue and its triage queue, the incident page with its
timeline and actions, the officer's phone list and his 发现上报 form, the form to register an
incident, the check list of low-rated incidents and the router's figures."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from zhifa.core import access
from zhifa.core.errors import DomainError, NotFound, PermissionDenied
from zhifa.core.exports import wants_xlsx, xlsx_response
from zhifa.core.scopes import Scope
from zhifa.core.web import service_view
from zhifa.organizations.models import Organization

from . import rules, selectors, services
from .forms import ActionForm, CheckForm, FindingForm, IncidentFilterForm, ReportForm, penalty_items
from .models import IncidentPhoto, Referral
from .photos import clean_photos
from .routing_data.generator import KIND_LABELS

PAGE_SIZE = 50
#: Actions shown as buttons, in loop order, with the fields each one needs.
ACTION_FIELDS = {
    "assign": ("item", "organization"),
    "accept": (),
    "return": ("reason",),
    "transfer": ("item", "organization", "reason"),
    "handle": (),
    "reply": ("reply", "photos"),
    "evaluate": ("reason",),
    "close": (),
    "reopen": ("reason",),
}


def _assignable():
    return Organization.objects.filter(
        is_active=True,
        kind__in=[
            Organization.Kind.COMPREHENSIVE_BUREAU,
            Organization.Kind.PROFESSIONAL_DEPARTMENT,
            Organization.Kind.TOWNSHIP_TEAM,
            Organization.Kind.DISPATCHED_STATION,
        ],
    ).order_by("path")


@service_view
def queue(request):
    scope = Scope.for_user(request.user)
    filters = IncidentFilterForm(request.GET, selectors.townships())
    incidents = selectors.incidents(scope, **filters.selector_filters())
    if wants_xlsx(request):
        # The reporter's name and phone stay out of the download.
        return xlsx_response(
            "事件",
            "事件指挥调度",
            [
                "查询码",
                "标题",
                "内容",
                "来源",
                "乡镇（街道）",
                "地址",
                "承办单位",
                "状态",
                "登记时间",
                "办理期限",
                "超期",
            ],
            (
                [
                    i.tracking_code,
                    i.title,
                    i.text,
                    i.get_source_display(),
                    i.township.name if i.township_id else "",
                    i.address,
                    i.responsible_org.name if i.responsible_org_id else "",
                    i.get_state_display(),
                    i.reported_at,
                    i.due_at,
                    "是" if i.overdue else "否",
                ]
                for i in incidents.iterator(chunk_size=500)
            ),
        )
    page = Paginator(incidents, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    may_triage = access.can(request.user, "dispatch.triage")
    return render(
        request,
        "dispatch/queue.html",
        {
            "filters": filters,
            "page": page,
            "query": query.urlencode(),
            "state_counts": selectors.state_counts(scope),
            "township_counts": selectors.township_counts(scope),
            "may_report": access.can(request.user, "dispatch.dispatch"),
            "may_find": access.can(request.user, "dispatch.report_finding"),
            "may_triage": may_triage,
            "triage_count": selectors.triage_queue(request.user).count() if may_triage else 0,
            "check_count": selectors.open_checks(request.user).count()
            if access.can(request.user, "dispatch.check_handling")
            else 0,
        },
    )


def _photos(incident, stage):
    return [p for p in incident.photos.all() if p.stage == stage]


def _render_detail(request, incident_id: int, form=None, failed_action: str | None = None, status: int = 200):
    incident = selectors.incident_detail(Scope.for_user(request.user), incident_id)
    actions = [
        (a, rules.ACTION_LABELS[a], ACTION_FIELDS[a])
        for a in rules.allowed_actions(incident.state)
        if a in ACTION_FIELDS and services.may_act(request.user, incident, a)
    ]
    duplicates = selectors.possible_duplicates(incident) if incident.is_open else []
    return render(
        request,
        "dispatch/incident_detail.html",
        {
            "incident": incident,
            "actions": actions,
            "failed_action": failed_action,
            "form": form or ActionForm(organizations=_assignable()),
            "duplicates": duplicates,
            "may_merge": access.can(request.user, "dispatch.merge"),
            "events": list(incident.events.all()),
            "disputes": list(incident.disputes.all()),
            "report_photos": _photos(incident, IncidentPhoto.Stage.REPORT),
            "feedback_photos": _photos(incident, IncidentPhoto.Stage.FEEDBACK),
            "may_view_phone": bool(incident.reporter_phone)
            and access.can(request.user, "dispatch.view_phone", incident),
            "may_raise_dispute": incident.state in rules.WORKING_STATES
            and access.can(request.user, "dispatch.raise_dispute", incident),
            "may_decide": access.can(request.user, "dispatch.decide_dispute"),
            "organizations": _assignable(),
        },
        status=status,
    )


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
            photos = clean_photos(request.FILES.getlist("photos")) if action == "reply" else []
            services.transition(
                request.user,
                incident_id,
                action,
                organization=data.get("organization"),
                item=data.get("item"),
                reason=data.get("reason") or "",
                reply=data.get("reply") or "",
                photos=photos,
            )
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
def reveal_phone(request, incident_id: int):
    """The reporter's full number, for calling back; each view is audited."""
    phone = services.reveal_phone(request.user, incident_id)
    return render(request, "dispatch/_phone.html", {"phone": phone, "incident_id": incident_id})


@service_view
def photo(request, photo_id: int):
    row = access.get_visible(request.user, IncidentPhoto, photo_id)
    if not row.file or not row.file.storage.exists(row.file.name):
        raise NotFound("照片文件不存在")
    return FileResponse(row.file.open("rb"), filename=row.file.name.rsplit("/", 1)[-1])


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
    return render(
        request,
        "dispatch/my_tasks.html",
        {"tasks": tasks, "may_find": access.can(request.user, "dispatch.report_finding")},
    )


@service_view
def report(request):
    access.require(request.user, "dispatch.dispatch")
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {
            k: (str(v) if v is not None and k in ("lat", "lng") else v) for k, v in form.cleaned_data.items()
        }
        try:
            incident, _ = services.report_incident(request.user, data)
        except ValidationError as exc:
            for field, errors in exc.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, f"已登记事件 {incident.tracking_code}")
            return redirect("dispatch:incident_detail", incident_id=incident.pk)
    return render(request, "dispatch/report.html", {"form": form})


@service_view
def find(request):
    """发现上报 on the officer's phone: what he found, where (his location), photos."""
    access.require(request.user, "dispatch.report_finding")
    form = FindingForm(request.POST or None, initial={"key": uuid.uuid4().hex})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "key"}
            try:
                incident, created = services.report_finding(
                    request.user,
                    data,
                    request.FILES.getlist("photos"),
                    idempotency_key=form.cleaned_data["key"],
                )
            except ValidationError as exc:
                for field, errors in exc.error_dict.items():
                    field = "address" if field in ("lat", "lng") else field
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(
                    request,
                    f"已上报 {incident.tracking_code}，指挥中心将交办处置"
                    if created
                    else f"该上报已收到（{incident.tracking_code}），无需重复提交",
                )
                return redirect("dispatch:incident_detail", incident_id=incident.pk)
        status = 400
    return render(request, "dispatch/find.html", {"form": form}, status=status)


@service_view
def triage(request):
    """The command centre's triage queue: incidents the router would not route alone."""
    access.require(request.user, "dispatch.triage")
    rows = selectors.triage_queue(request.user)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "dispatch/triage.html",
        {
            "page": page,
            "query": "",
            "items": list(penalty_items()),
            "organizations": _assignable(),
        },
    )


@service_view
@require_POST
def triage_assign(request, incident_id: int):
    access.require(request.user, "dispatch.triage")
    form = ActionForm(request.POST, organizations=_assignable())
    if not form.is_valid() or form.cleaned_data.get("item") is None:
        messages.error(request, "请选择执法事项")
        return redirect("dispatch:triage")
    data = form.cleaned_data
    try:
        incident = services.transition(
            request.user, incident_id, "assign", item=data["item"], organization=data.get("organization")
        )
    except DomainError as exc:
        if isinstance(exc, (NotFound, PermissionDenied)):
            raise
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            f"已分拣 {incident.tracking_code}：{data['item'].name}，交办{incident.responsible_org.name}",
        )
    return redirect("dispatch:triage")


@service_view
def checks(request):
    """办理情况核查: incidents their reporters rated 1–2 of 5."""
    access.require(request.user, "dispatch.check_handling")
    return render(
        request,
        "dispatch/checks.html",
        {"checks": list(selectors.open_checks(request.user)[:200]), "form": CheckForm()},
    )


@service_view
@require_POST
def check_finish(request, check_id: int):
    form = CheckForm(request.POST)
    reopen = request.POST.get("outcome") == "reopen"
    try:
        if not form.is_valid():
            raise DomainError("result_required", "请填写核查结论", "result")
        services.finish_check(request.user, check_id, reopen=reopen, result=form.cleaned_data["result"])
    except (DomainError, ValidationError) as exc:
        if isinstance(exc, (NotFound, PermissionDenied)):
            raise
        messages.error(request, getattr(exc, "message", None) or "；".join(exc.messages))
    else:
        messages.success(request, "已重新交办" if reopen else "已确认办理无误")
    return redirect("dispatch:checks")


@service_view
def routing_figures(request):
    """事项推荐准确率: the router's figures on the fixed test split per version (over time) and per
    domain, and how often dispatchers kept its first suggestion, per month and per domain."""
    access.require(request.user, "dispatch.routing_admin")
    versions = selectors.routing_versions()
    current = next((v for v in versions if v.active), None) or next((v for v in versions if v.adopted), None)
    return render(
        request,
        "dispatch/routing.html",
        {
            "versions": versions,
            "current": current,
            "domains": sorted((current.metrics.get("domains") or {}).items()) if current else [],
            "kinds": sorted((current.metrics.get("kinds") or {}).items()) if current else [],
            "live": selectors.live_accuracy(),
            "kind_labels": KIND_LABELS,
        },
    )


@service_view
@require_POST
def routing_retrain(request):
    access.require(request.user, "dispatch.routing_admin")
    from .tasks import retrain_router

    retrain_router.delay()
    messages.success(request, "已安排重新训练；完成后在此页显示新版本及其测试集指标")
    return redirect("dispatch:routing")


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
        return xlsx_response(
            "线索移送",
            "线索移送",
            [
                "移送单位",
                "接收单位",
                "事件查询码",
                "案件编号",
                "移送理由",
                "状态",
                "移送时间",
                "接收期限",
                "接收时间",
                "回执",
            ],
            (
                [
                    r.from_org.name,
                    r.to_org.name,
                    r.incident.tracking_code if r.incident_id else "",
                    r.case_ref,
                    r.reason,
                    r.get_state_display(),
                    r.sent_at,
                    r.due_on,
                    r.received_at,
                    r.receipt,
                ]
                for r in referrals.iterator(chunk_size=500)
            ),
        )
    page = Paginator(referrals, PAGE_SIZE).get_page(request.GET.get("page"))
    org = getattr(request.user, "organization", None)
    for referral in page:  # the receiving side confirms receipt (services.receive_referral checks it again)
        referral.receivable = (
            referral.state == Referral.State.SENT
            and org is not None
            and referral.to_org.path.startswith(org.path)
        )
    return render(
        request,
        "dispatch/referral_list.html",
        {
            "page": page,
            "state": state or "",
            "states": Referral.State.choices,
            "query": f"state={state}" if state else "",
            "disputes": selectors.disputes(scope).order_by("-raised_at", "-pk")[:50],
        },
    )


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
