"""Pages of smart enforcement: devices and their published list, device events to review, campaigns
and themes with their dashboard and report, and the "双简双增" measures."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhifa.catalog.models import EnforcementItem
from zhifa.core import access
from zhifa.core.errors import DomainError
from zhifa.core.scopes import Scope
from zhifa.core.web import service_view
from zhifa.organizations.models import Organization, Region
from zhifa.parties.models import Party
from zhifa.partyspace.views.common import attempt, checked, explain

from . import selectors, services
from .models import Campaign, CampaignTask, Device, DeviceEvent


def _ints(request, name: str) -> list[int]:
    out = []
    for value in request.POST.getlist(name):
        try:
            out.append(int(value))
        except (TypeError, ValueError):
            continue
    return out


# ---- devices ------------------------------------------------------------------------------------


@service_view
def device_list(request):
    return render(
        request,
        "smart/device_list.html",
        {
            "devices": selectors.devices(request.user),
            "may_manage": access.can(request.user, "smart.manage_devices", request.user.organization),
        },
    )


def _device_choices(request):
    organizations = access.visible_to(request.user, Organization).filter(is_active=True)
    scope = Scope.for_user(request.user)
    if scope.is_empty:
        organizations = organizations.none()
    elif not scope.everything:
        organizations = organizations.filter(path__startswith=scope.org_path)
    return {
        "organizations": organizations.order_by("path"),
        "townships": Region.objects.filter(level__in=Region.TOWNSHIP_LEVELS).order_by("code"),
        "items": EnforcementItem.objects.filter(kind="penalty", status="in_force").order_by("code")[:500],
        "kinds": Device.Kind.choices,
    }


@service_view
def device_new(request):
    errors: dict = {}
    if request.method == "POST":
        data = {
            name: request.POST.get(name) or None
            for name in (
                "organization_id",
                "code",
                "name",
                "kind",
                "location",
                "township_id",
                "latitude",
                "longitude",
                "check_certificate",
                "check_body",
                "checked_on",
                "check_valid_until",
            )
        }
        data = {k: v for k, v in data.items() if v is not None}
        data["item_ids"] = _ints(request, "item_ids")
        data["signage"] = checked(request, "signage")
        result, errors = attempt(request, services.register_device, request.user, data)
        if result:
            device, key = result
            messages.success(
                request, f"设备已登记。设备签名密钥（只显示这一次，请配置到设备或视频平台）：{key}"
            )
            return redirect("smart:device", device.pk)
    return render(
        request,
        "smart/device_new.html",
        {**_device_choices(request), "errors": errors, "form": request.POST},
        status=422 if errors else 200,
    )


@service_view
def device_detail(request, device_id: int):
    device = selectors.device(request.user, device_id)
    problems = services.rules.publish_refusals(services._facts(device), timezone.localdate())
    return render(
        request,
        "smart/device_detail.html",
        {
            "device": device,
            "problems": problems,
            "may_manage": access.can(request.user, "smart.manage_devices", device),
            "may_review": access.can(request.user, "smart.review_device", device),
            "events": device.events.order_by("-occurred_at")[:20],
        },
    )


@service_view
@require_POST
def device_act(request, device_id: int, action: str):
    user = request.user
    if action == "check":
        attempt(
            request,
            services.record_device_check,
            user,
            device_id,
            {
                "check_certificate": request.POST.get("check_certificate", ""),
                "check_body": request.POST.get("check_body", ""),
                "checked_on": request.POST.get("checked_on") or None,
                "check_valid_until": request.POST.get("check_valid_until") or None,
                "signage": checked(request, "signage"),
            },
            success="已登记技术审核（检定或校准）。",
        )
    elif action == "review":
        attempt(
            request,
            services.review_device,
            user,
            device_id,
            {"opinion": request.POST.get("opinion", ""), "passed": request.POST.get("decision") != "fail"},
            success="已记录法制审核意见。",
        )
    elif action == "publish":
        attempt(
            request,
            services.publish_device,
            user,
            device_id,
            success="设备及设置地点已向社会公布，开始接收记录。",
        )
    elif action == "retire":
        attempt(
            request,
            services.retire_device,
            user,
            device_id,
            request.POST.get("reason", ""),
            success="设备已停用。",
        )
    elif action == "rotate":
        key, errors = attempt(request, services.rotate_key, user, device_id)
        if key:
            messages.success(request, f"新的设备签名密钥（只显示这一次）：{key}")
    else:
        raise Http404()
    return redirect("smart:device", device_id)


def public_devices(request):
    """The published list of devices and their locations (第四十一条第一款)."""
    return render(request, "smart/public/devices.html", {"devices": selectors.published_devices()})


# ---- events ---------------------------------------------------------------------------------------


@service_view
def event_list(request):
    status = request.GET.get("status", DeviceEvent.Status.PENDING)
    return render(
        request,
        "smart/event_list.html",
        {
            "events": selectors.events(request.user, status=status or None)[:200],
            "status": status,
            "statuses": DeviceEvent.Status.choices,
        },
    )


@service_view
def event_detail(request, event_id: int, errors: dict | None = None, status: int = 200):
    event = selectors.event(request.user, event_id)
    q = (request.GET.get("q") or "").strip()[:50]
    condition = Q(pk=event.party_id) | (Q(name__contains=q) | Q(uscc=q.upper()) if q else Q(pk__in=[]))
    return render(
        request,
        "smart/event_detail.html",
        {
            "event": event,
            "errors": errors or {},
            "officers": services.officers_of(request.user),
            "parties": access.visible_to(request.user, Party).filter(condition).order_by("name")[:50],
            "q": q,
            "may_review": access.can(request.user, "smart.review_event", event.device),
        },
        status=status,
    )


@service_view
@require_POST
def event_accept(request, event_id: int):
    result, errors = attempt(
        request,
        services.accept_event,
        request.user,
        event_id,
        {
            "party_id": request.POST.get("party_id") or None,
            "item_id": request.POST.get("item_id") or None,
            "officer_ids": _ints(request, "officer_ids"),
            "summary": request.POST.get("summary", ""),
            "note": request.POST.get("note", ""),
        },
    )
    if errors:
        return event_detail(request, event_id, errors=errors, status=422)
    messages.success(request, f"已立为案源，登记案件{result.case.number}；已告知当事人。")
    return redirect("cases:detail", result.case_id)


@service_view
@require_POST
def event_discard(request, event_id: int):
    attempt(
        request,
        services.discard_event,
        request.user,
        event_id,
        request.POST.get("reason", ""),
        success="已作不予采用处理。",
    )
    return redirect("smart:event", event_id)


@service_view
def evidence_file(request, evidence_id: int):
    row = selectors.evidence_file(request.user, evidence_id)
    return FileResponse(row.file.open("rb"), content_type=row.content_type, filename=row.name)


# ---- campaigns ------------------------------------------------------------------------------------


def _campaign_choices(request):
    return {
        "organizations": Organization.objects.filter(is_active=True)
        .exclude(kind="government")
        .order_by("path"),
        "townships": Region.objects.filter(level__in=Region.TOWNSHIP_LEVELS).order_by("code"),
        "items": EnforcementItem.objects.filter(kind="inspection", status="in_force")
        .select_related("domain")
        .order_by("domain__name", "code")[:500],
        "industries": Party.Industry.choices,
        "kinds": Campaign.Kind.choices,
    }


@service_view
def campaign_list(request):
    errors: dict = {}
    if request.method == "POST":
        data = {
            "kind": request.POST.get("kind", ""),
            "name": request.POST.get("name", ""),
            "goal": request.POST.get("goal", ""),
            "lead_id": request.POST.get("lead_id") or None,
            "period_start": request.POST.get("period_start") or None,
            "period_end": request.POST.get("period_end") or None,
            "item_ids": _ints(request, "item_ids"),
            "body_ids": _ints(request, "body_ids"),
            "township_ids": _ints(request, "township_ids"),
            "industries": request.POST.getlist("industries"),
        }
        campaign, errors = attempt(request, services.create_campaign, request.user, data, success="已创建。")
        if campaign:
            return redirect("smart:campaign", campaign.pk)
    may_create = any(
        access.has_role(request.user, r) for r in access.get_permission("smart.manage_campaign").roles
    )
    return render(
        request,
        "smart/campaign_list.html",
        {
            "campaigns": selectors.campaigns(request.user),
            "may_create": may_create,
            "errors": errors,
            "form": request.POST,
            **_campaign_choices(request),
        },
        status=422 if errors else 200,
    )


@service_view
def campaign_detail(request, campaign_id: int):
    campaign = selectors.campaign(request.user, campaign_id)
    tasks = selectors.campaign_tasks(request.user, campaign, state=request.GET.get("state") or None)
    shown = list(tasks[:300])
    for task in shown:  # the result form only on the tasks of the user's own body
        task.may_record = access.can(request.user, "smart.record_campaign_result", task)
    return render(
        request,
        "smart/campaign_detail.html",
        {
            "campaign": campaign,
            "d": selectors.dashboard(campaign),
            "plans": selectors.plans(campaign),
            "tasks": shown,
            "task_count": tasks.count(),
            "outcomes": CampaignTask.Outcome.choices,
            "today": timezone.localdate(),
            "may_manage": access.can(request.user, "smart.manage_campaign", campaign),
        },
    )


@service_view
@require_POST
def campaign_act(request, campaign_id: int, action: str):
    if action == "plan":
        result, _ = attempt(request, services.plan_campaign, request.user, campaign_id)
        if result:
            text = f"已生成{result['bodies']}个部门的计划、{result['tasks']}项任务（检查对象{result['targets']}个）。"
            if result["skipped"]:
                text += f"以下部门未认领本次行动的检查事项，未分配任务：{'、'.join(result['skipped'])}。"
            messages.success(request, text)
    elif action == "close":
        attempt(
            request,
            services.close_campaign,
            request.user,
            campaign_id,
            {"conclusion": request.POST.get("conclusion", "")},
            success="行动已总结，总结报告已生成。",
        )
    else:
        raise Http404()
    return redirect("smart:campaign", campaign_id)


@service_view
@require_POST
def task_result(request, task_id: int):
    try:
        task = services.record_result(
            request.user,
            task_id,
            {
                "outcome": request.POST.get("outcome", ""),
                "findings": request.POST.get("findings", ""),
                "checked_on": request.POST.get("checked_on") or None,
            },
        )
    except (DomainError, ValidationError) as exc:
        explain(request, exc)
        campaign_id = request.POST.get("campaign_id", "")
        return (
            redirect("smart:campaign", campaign_id) if campaign_id.isdigit() else redirect("smart:campaigns")
        )
    messages.success(request, f"已填报：{task.party.name}（{task.get_outcome_display()}）")
    return redirect(reverse("smart:campaign", args=[task.campaign_id]) + f"#task-{task.pk}")


@service_view
def campaign_report(request, campaign_id: int):
    campaign = selectors.campaign(request.user, campaign_id)
    if not campaign.report:
        raise Http404()
    return FileResponse(
        campaign.report.open("rb"), content_type="application/pdf", filename=f"{campaign.name}总结报告.pdf"
    )


# ---- 双简双增 --------------------------------------------------------------------------------------


@service_view
def visit_measures(request):
    year = timezone.localdate().year
    try:
        year = int(request.GET.get("year") or year)
    except ValueError:
        pass
    year = min(max(year, 2000), 2100)
    scope = Scope.for_user(request.user)
    return render(
        request,
        "smart/visits.html",
        {
            "m": selectors.visit_measures(scope, year),
            "top": selectors.most_visited(scope, year),
            "year": year,
        },
    )
