"""The officers' desk for what parties do online: the requests waiting (hearing requests to
register in one click, deferral applications to put to the head, rectification reports to verify,
credit repair for the credit bodies), and per case the service of documents and the online hearing."""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhifa.cases.models import Document
from zhifa.core import access
from zhifa.core.web import service_view
from zhifa.organizations.models import Officer

from .. import selectors, services
from ..models import Delivery, PartyRequest
from .common import attempt, checked


@service_view
def desk(request):
    kind = request.GET.get("kind") or None
    status = request.GET.get("status", PartyRequest.Status.PENDING) or None
    rows = list(selectors.desk_requests(request.user, status=status, kind=kind)[:200])
    return render(
        request,
        "partyspace/desk/inbox.html",
        {
            "rows": rows,
            "kind": kind,
            "status": status,
            "kinds": PartyRequest.Kind.choices,
            "statuses": PartyRequest.Status.choices,
            "may_credit": access.can(request.user, "partyspace.decide_credit_repair"),
        },
    )


def _back(request, case_id=None):
    target = request.POST.get("next") or ""
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    if case_id:
        return redirect("partyspace:desk_case", case_id)
    return redirect("partyspace:desk")


@service_view
@require_POST
def register_hearing(request, request_id: int):
    case, _ = attempt(
        request,
        services.register_hearing_request,
        request.user,
        request_id,
        success="已登记当事人的听证申请。",
    )
    return _back(request, getattr(case, "pk", None))


@service_view
@require_POST
def forward_deferral(request, request_id: int):
    attempt(request, services.forward_deferral, request.user, request_id, success="已报机关负责人审批。")
    return _back(request)


@service_view
@require_POST
def refuse(request, request_id: int):
    attempt(
        request,
        services.answer_request,
        request.user,
        request_id,
        request.POST.get("reply", ""),
        success="已答复当事人。",
    )
    return _back(request)


@service_view
@require_POST
def review_rectification(request, request_id: int):
    attempt(
        request,
        services.review_rectification_report,
        request.user,
        request_id,
        {"passed": request.POST.get("decision") == "pass", "reply": request.POST.get("reply", "")},
        success="已办理整改复查。",
    )
    return _back(request)


@service_view
@require_POST
def decide_credit(request, request_id: int):
    attempt(
        request,
        services.decide_credit_repair,
        request.user,
        request_id,
        {"approve": request.POST.get("decision") == "approve", "reply": request.POST.get("reply", "")},
        success="已办理信用修复申请。",
    )
    return _back(request)


@service_view
@require_POST
def admit_evidence(request, file_id: int):
    row, _ = attempt(request, services.admit_evidence, request.user, file_id, success="已纳入案件证据。")
    return _back(request)


@service_view
def party_file(request, file_id: int):
    row = selectors.party_file(request.user, file_id)
    return FileResponse(row.file.open("rb"), content_type=row.content_type, filename=row.name)


@service_view
def desk_case(request, case_id: int):
    data = selectors.desk_case(request.user, case_id)
    case = data["case"]
    officers = (
        access.visible_to(request.user, Officer)
        .filter(is_active=True, kind=Officer.Kind.ENFORCEMENT)
        .exclude(pk__in=case.case_officers.values("officer_id"))
        .order_by("name")[:200]
    )
    return render(
        request,
        "partyspace/desk/case.html",
        {
            **data,
            "officers": officers,
            "today": timezone.localdate(),
            "kinds": [(k, label) for k, label in Document.Kind.choices if k != Document.Kind.SERVICE_RECEIPT],
        },
    )


@service_view
@require_POST
def deliver(request, case_id: int):
    document_id = request.POST.get("document_id")
    if document_id:
        attempt(request, services.deliver_document, request.user, document_id, success="已送达。")
    else:
        attempt(
            request,
            services.issue_and_deliver,
            request.user,
            case_id,
            request.POST.get("kind", ""),
            success="已出具并送达。",
        )
    return redirect(reverse("partyspace:desk_case", args=[case_id]) + "#documents")


@service_view
def receipt(request, delivery_id: int):
    delivery = access.get_visible(request.user, Delivery, delivery_id)
    if not delivery.receipt_file:
        raise Http404()
    return FileResponse(
        delivery.receipt_file.open("rb"),
        content_type="application/pdf",
        filename=f"送达回证-{delivery.document_id}.pdf",
    )


@service_view
@require_POST
def schedule_hearing(request, case_id: int):
    attempt(
        request,
        services.schedule_online_hearing,
        request.user,
        case_id,
        {
            "hearing_date": request.POST.get("hearing_date") or None,
            "start_time": request.POST.get("start_time") or None,
            "place": request.POST.get("place", ""),
            "host_officer_id": request.POST.get("host_officer_id") or None,
            "meeting_url": request.POST.get("meeting_url", ""),
        },
        success="已通知听证并送达听证通知书。",
    )
    return redirect(reverse("partyspace:desk_case", args=[case_id]) + "#hearing")


@service_view
@require_POST
def hold_hearing(request, case_id: int):
    attempt(
        request,
        services.hold_online_hearing,
        request.user,
        case_id,
        {"record": request.POST.get("record", ""), "party_absent": checked(request, "party_absent")},
        success="已记录听证，笔录已送当事人核对签名。",
    )
    return redirect(reverse("partyspace:desk_case", args=[case_id]) + "#hearing")
