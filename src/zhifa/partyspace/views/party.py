"""The party's own pages (当事人空间), PC and phone, in plain words. The party signs in with a one-time
code; every page after that is ``party_required`` and reads only the party's own records."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from zhifa.cases.models import Case
from zhifa.core import access
from zhifa.core.errors import DomainError
from zhifa.parties.rules import COLOR_LABELS

from .. import otp, payments, selectors, services
from ..models import PartyRequest, PaymentOrder
from ..session import party_required, sign_in, sign_out
from .common import attempt, checked, explain

PENDING_KEY = "zhifa_party_pending"


# ---- sign-in -----------------------------------------------------------------------------------


def sign_in_page(request):
    """Step 1: who you are (USCC or ID number) → a code to the registered contact. Step 2: the code."""
    pending = request.session.get(PENDING_KEY) or {}
    errors: dict = {}
    kind = request.POST.get("kind") or pending.get("kind") or otp.ENTERPRISE
    identifier = request.POST.get("identifier") or pending.get("identifier") or ""
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "send":
            try:
                sent = otp.send_code(request, kind, identifier)
            except otp.SignInError as exc:
                errors = {exc.field: [exc.message]}
            else:
                request.session[PENDING_KEY] = {"kind": kind, "identifier": sent.identifier}
                messages.info(
                    request,
                    f"如该{'统一社会信用代码' if kind == otp.ENTERPRISE else '公民身份号码'}已在本平台登记"
                    f"联系电话，验证码已发送到该电话，{sent.minutes}分钟内有效。",
                )
                return redirect(f"{reverse('partyspace:sign_in')}?next={request.GET.get('next', '')}")
        elif action == "verify" and pending:
            try:
                party = otp.check_code(
                    request, pending["kind"], pending["identifier"], request.POST.get("code", "")
                )
            except otp.SignInError as exc:
                errors = {exc.field: [exc.message]}
            else:
                request.session.pop(PENDING_KEY, None)
                sign_in(request, party)
                target = request.GET.get("next") or ""
                if not url_has_allowed_host_and_scheme(
                    target, {request.get_host()}, require_https=request.is_secure()
                ) or not target.startswith(reverse("partyspace:home")):
                    target = reverse("partyspace:home")
                return redirect(target)
        elif action == "restart":
            request.session.pop(PENDING_KEY, None)
            return redirect("partyspace:sign_in")
    status = 422 if errors else 200
    return render(
        request,
        "partyspace/sign_in.html",
        {
            "step": "code" if pending and request.POST.get("action") != "send" else "who",
            "pending": pending,
            "kind": kind,
            "identifier": identifier,
            "errors": errors,
            "kinds": [(otp.ENTERPRISE, "企业、个体工商户"), (otp.CITIZEN, "个人")],
        },
        status=status,
    )


@require_POST
def sign_out_view(request):
    sign_out(request)
    messages.info(request, "您已退出当事人空间。")
    return redirect("partyspace:sign_in")


# ---- overview ---------------------------------------------------------------------------------


@party_required
def home(request):
    return render(request, "partyspace/home.html", selectors.overview(request.party_actor))


@party_required
def case_list(request):
    actor = request.party_actor
    rows = [(c, selectors.PLAIN_STATES.get(c.state, c.state_label)) for c in selectors.cases(actor)]
    return render(request, "partyspace/case_list.html", {"rows": rows})


@party_required
def case_detail(request, case_id: int, errors: dict | None = None, status: int = 200):
    view = selectors.case_view(request.party_actor, case_id)
    return render(
        request,
        "partyspace/case_detail.html",
        {
            "v": view,
            "case": view.case,
            "errors": errors or {},
            "form": request.POST if errors else {},
            "adapter": payments.adapter(),
            "today": timezone.localdate(),
        },
        status=status,
    )


def _back(case_id, anchor: str = ""):
    return redirect(reverse("partyspace:case", args=[case_id]) + (f"#{anchor}" if anchor else ""))


@party_required
@require_POST
def file_statement(request, case_id: int):
    _, errors = attempt(
        request,
        services.file_statement,
        request.party_actor,
        case_id,
        {"statement": request.POST.get("statement", ""), "confirm": checked(request, "confirm")},
        request.FILES.getlist("files"),
        success="您的陈述、申辩已提交，办案机关将进行复核。",
    )
    if errors:
        return case_detail(request, case_id, errors=errors, status=422)
    return _back(case_id, "statement")


@party_required
@require_POST
def waive(request, case_id: int):
    _, errors = attempt(
        request,
        services.waive,
        request.party_actor,
        case_id,
        {
            "waives_hearing": checked(request, "waives_hearing"),
            "statement": request.POST.get("statement", ""),
            "confirm": checked(request, "confirm"),
        },
        success="已记录您放弃陈述、申辩的声明。",
    )
    if errors:
        return case_detail(request, case_id, errors=errors, status=422)
    return _back(case_id)


@party_required
@require_POST
def request_hearing(request, case_id: int):
    _, errors = attempt(
        request,
        services.request_hearing,
        request.party_actor,
        case_id,
        {"reason": request.POST.get("reason", ""), "confirm": checked(request, "confirm")},
        success="您的听证申请已提交，办案机关将通知您听证的时间和地点。",
    )
    if errors:
        return case_detail(request, case_id, errors=errors, status=422)
    return _back(case_id, "hearing")


@party_required
def join_hearing(request, case_id: int):
    if request.method == "POST":
        session, errors = attempt(request, services.join_hearing, request.party_actor, case_id)
        if errors:
            return _back(case_id, "hearing")
        return redirect("partyspace:hearing_room", case_id)
    raise Http404()


@party_required
def hearing_room(request, case_id: int):
    view = selectors.case_view(request.party_actor, case_id)
    if view.hearing is None or view.hearing.party_joined_at is None:
        return _back(case_id, "hearing")
    return render(
        request, "partyspace/hearing_room.html", {"v": view, "case": view.case, "hearing": view.hearing}
    )


@party_required
@require_POST
def sign_record(request, case_id: int):
    agree = request.POST.get("decision") == "sign"
    _, errors = attempt(
        request,
        services.sign_hearing_record,
        request.party_actor,
        case_id,
        {"agree": agree, "reason": request.POST.get("reason", "")},
        success="已签名确认听证笔录。" if agree else "已记录您拒绝签名及理由。",
    )
    if errors:
        return case_detail(request, case_id, errors=errors, status=422)
    return _back(case_id, "hearing")


@party_required
@require_POST
def start_payment(request, case_id: int):
    adapter = payments.adapter()
    if adapter is None:
        messages.error(request, "在线缴款渠道尚未开通，请按处罚决定书载明的银行账户缴纳。")
        return _back(case_id, "payment")
    order, errors = attempt(request, services.start_payment, request.party_actor, case_id, adapter.name)
    if errors:
        return _back(case_id, "payment")
    return redirect(adapter.checkout_url(order))


@party_required
@require_POST
def apply_deferral(request, case_id: int):
    _, errors = attempt(
        request,
        services.apply_deferral,
        request.party_actor,
        case_id,
        {
            "deferred_until": request.POST.get("deferred_until") or None,
            "reason": request.POST.get("reason", ""),
            "confirm": checked(request, "confirm"),
        },
        request.FILES.getlist("files"),
        success="您的暂缓（分期）缴纳申请已提交，由执法机关负责人审批。",
    )
    if errors:
        return case_detail(request, case_id, errors=errors, status=422)
    return _back(case_id, "payment")


# ---- documents ----------------------------------------------------------------------------------


@party_required
def documents(request):
    return render(
        request, "partyspace/documents.html", {"deliveries": selectors.deliveries(request.party_actor)}
    )


@party_required
def document(request, delivery_id: int):
    delivery = selectors.delivery(request.party_actor, delivery_id)
    if delivery.method == delivery.Method.ELECTRONIC:
        delivery = services.mark_read(request.party_actor, delivery_id)
    return render(request, "partyspace/document.html", {"d": delivery})


@party_required
def document_pdf(request, delivery_id: int):
    delivery = selectors.delivery(request.party_actor, delivery_id)
    if delivery.method == delivery.Method.ELECTRONIC:
        services.mark_read(request.party_actor, delivery_id)
    document = delivery.document
    return FileResponse(
        document.file.open("rb"),
        content_type="application/pdf",
        filename=f"{document.number}.pdf",
        as_attachment=False,
    )


@party_required
def evidence_file(request, case_id: int, evidence_id: int):
    """A device's evidence (photo, video) of the party's own case (第四十一条第三款: 为当事人查询提供便利)."""
    from zhifa.smart.models import DeviceEvidence

    case = access.get_visible(request.party_actor, Case, case_id)
    row = DeviceEvidence.objects.filter(pk=evidence_id, event__case=case).first()
    if row is None:
        raise Http404()
    return FileResponse(row.file.open("rb"), content_type=row.content_type, filename=row.name)


# ---- electronic service -------------------------------------------------------------------------


@party_required
def consent(request):
    errors: dict = {}
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            _, errors = attempt(
                request,
                services.revoke_eservice,
                request.party_actor,
                request.POST.get("organization_id"),
                success="已撤回电子送达确认。今后的文书将以纸质方式送达。",
            )
        else:
            _, errors = attempt(
                request,
                services.accept_eservice,
                request.party_actor,
                {
                    "organization_id": request.POST.get("organization_id") or None,
                    "signer": request.POST.get("signer", ""),
                    "confirm": checked(request, "confirm"),
                },
                success="已签署电子送达确认书。今后该机关的文书将送达到本空间。",
            )
        if not errors:
            return redirect("partyspace:consent")
    return render(
        request,
        "partyspace/consent.html",
        {"rows": selectors.consents(request.party_actor), "errors": errors},
        status=422 if errors else 200,
    )


# ---- inspections, rectification, credit ---------------------------------------------------------


@party_required
def inspections(request):
    actor = request.party_actor
    reports = {}
    for report in selectors.requests(actor).filter(kind=PartyRequest.Kind.RECTIFICATION).order_by("filed_at"):
        reports[report.rectification_id] = report  # the latest report of each order
    from zhifa.smart import selectors as smart_selectors

    records = list(selectors.inspections(actor)[:100])
    for record in records:
        for order in record.rectifications.all():
            order.report = reports.get(order.pk)
    return render(
        request,
        "partyspace/inspections.html",
        {
            "records": records,
            "visits": smart_selectors.party_visit_summary(actor.party_id, timezone.localdate().year),
        },
    )


@party_required
def rectification(request, order_id: int):
    order = selectors.rectification(request.party_actor, order_id)
    errors: dict = {}
    if request.method == "POST":
        _, errors = attempt(
            request,
            services.report_rectification,
            request.party_actor,
            order_id,
            {"text": request.POST.get("text", ""), "confirm": checked(request, "confirm")},
            request.FILES.getlist("photos"),
            success="整改情况已报送，执法部门将进行复查。",
        )
        if not errors:
            return redirect("partyspace:inspections")
    reports = selectors.requests(request.party_actor).filter(rectification=order)
    return render(
        request,
        "partyspace/rectification.html",
        {"order": order, "reports": reports, "errors": errors, "form": request.POST},
        status=422 if errors else 200,
    )


@party_required
def credit(request):
    actor = request.party_actor
    party = selectors.party_of(actor)
    errors: dict = {}
    if request.method == "POST":
        _, errors = attempt(
            request,
            services.apply_credit_repair,
            actor,
            {
                "case_id": request.POST.get("case_id") or None,
                "text": request.POST.get("text", ""),
                "confirm": checked(request, "confirm"),
            },
            request.FILES.getlist("files"),
            success="信用修复申请已提交，由信用管理部门审核。",
        )
        if not errors:
            return redirect("partyspace:credit")
    decided = [c for c in selectors.cases(actor) if c.decision_date]
    minimum = services.repair_minimum_months()
    rows = [
        (c, services.rules.credit_repair_refusal(services.repair_facts(c), timezone.localdate(), minimum))
        for c in decided
    ]
    return render(
        request,
        "partyspace/credit.html",
        {
            "party": party,
            "color_label": COLOR_LABELS.get(party.risk_color, party.risk_color),
            "rows": rows,
            "requests": selectors.requests(actor).filter(kind=PartyRequest.Kind.CREDIT_REPAIR),
            "errors": errors,
            "form": request.POST,
        },
        status=422 if errors else 200,
    )


@party_required
@require_POST
def read_notice(request, notice_id: int):
    notice = services.read_notice(request.party_actor, notice_id)
    if notice.case_id:
        return _back(notice.case_id)
    return redirect("partyspace:home")


# ---- payment through the test channel -------------------------------------------------------------


@party_required
def test_gateway(request, reference: str):
    """The test channel's "bank page": shows the order and pays it (signed confirmation)."""
    adapter = payments.adapter()
    if not isinstance(adapter, payments.TestAdapter):
        raise Http404()  # the test channel's page exists only where the test channel is configured
    order = (
        access.visible_to(request.party_actor, PaymentOrder)
        .select_related("case")
        .filter(reference=reference)
        .first()
    )
    if order is None:
        raise Http404()
    return render(
        request,
        "partyspace/test_gateway.html",
        {
            "order": order,
            "fields": adapter.confirm_fields(order) if order.status == order.Status.CREATED else None,
            "callback": reverse("partyspace:payment_callback", args=[adapter.name]),
        },
    )


@csrf_exempt
@require_POST
def payment_callback(request, channel: str):
    """The channel's confirmation (server to server, or the test page's form): verified by its
    signature, recorded once. A browser coming back is sent to the case."""
    adapter = payments.adapter_named(channel)
    if adapter is None:
        raise Http404()
    try:
        confirmation = adapter.confirmation(request.POST)
        order = services.complete_payment(confirmation, channel)
    except payments.CallbackRefused as exc:
        return HttpResponseBadRequest(f"支付确认未通过：{exc}")
    except DomainError as exc:
        if request.POST.get("return") == "browser":
            explain(request, exc)
            return redirect("partyspace:home")
        return HttpResponseBadRequest(exc.message)
    if request.POST.get("return") == "browser":
        messages.success(request, f"缴款成功：{order.amount}元，交易号{order.external_ref}。")
        return _back(order.case_id, "payment")
    return HttpResponse("success", content_type="text/plain")
