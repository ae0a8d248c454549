"""Case pages: the list, the phone timeline, evidence, documents and the phone form 现场办案.
Views parse, call one service or selector and render; the case file page is ``case_page``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from zhifa.catalog.models import EnforcementItem
from zhifa.core import access
from zhifa.core.errors import DomainError, NotFound, validation_error_items
from zhifa.core.exports import wants_xlsx, xlsx_response
from zhifa.core.web import service_view
from zhifa.organizations.models import Officer
from zhifa.parties.models import Party

from .. import rules, selectors, services
from ..deadlines import case_deadlines
from ..facts import build_facts
from ..forms import CaseFilterForm, EvidenceForm, OnSpotForm
from ..models import Case, Document
from ..services.documents import RECORD_KINDS

PAGE_SIZE = 50
#: Actions whose form asks for an amount (the penalty intended or decided).
PENALTY_FIELD = {
    "notify": "penalties_intended",
    "decide": "penalties_decided",
    "decide_on_spot": "penalties_decided",
}
#: Payment actions go through ``services.record_payment`` (amount, surcharge, receipt).
PAYMENT_ACTIONS = {"pay", "pay_part", "collect_on_spot"}


@service_view
def case_list(request):
    filters = CaseFilterForm(request.GET)
    filters.is_valid()
    data = getattr(filters, "cleaned_data", {})
    cases = selectors.case_list(request.user, state=data.get("state", ""), q=data.get("q", ""))
    if wants_xlsx(request):
        return xlsx_response(
            "案件",
            "行政处罚案件",
            [
                "案件编号",
                "当事人",
                "执法事项",
                "办案机关",
                "程序",
                "状态",
                "立案日期",
                "决定日期",
                "罚款金额（元）",
            ],
            (
                [
                    c.number,
                    c.party.name,
                    c.item.name,
                    c.organization.name,
                    c.get_procedure_display(),
                    c.get_state_display(),
                    c.filing_date,
                    c.decision_date,
                    c.decided_fine,
                ]
                for c in cases.iterator(chunk_size=500)
            ),
        )
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "cases/case_list.html", {"filters": filters, "page": page, "query": query.urlencode()}
    )


@service_view
def case_timeline(request, case_id: int):
    """The case on a phone: where it stands, what is due, every step so far, and evidence
    taken with the phone's camera (行政处罚法第四十六条、第四十七条)."""
    case = selectors.case_detail(request.user, case_id)
    config = services.case_config()
    today = services.today()
    facts = build_facts(case, {"as_of": today})
    deadlines = [d for d in case_deadlines(facts, config.calendar, config, today=today) if d.met_on is None]
    return render(
        request,
        "cases/case_timeline.html",
        {
            "case": case,
            "events": list(case.events.all()),
            "evidence": list(case.evidence.all()),
            "deadlines": deadlines[:4],
            "evidence_kinds": EvidenceForm().fields["kind"].choices,
        },
    )


def _errors(exc) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(i["message"] for i in validation_error_items(exc))
    return exc.message


@service_view
@require_POST
def case_add_evidence(request, case_id: int):
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data.get("file")
        try:
            services.add_evidence(
                request.user,
                case_id,
                {"kind": form.cleaned_data["kind"], "description": form.cleaned_data["description"]},
                content=upload.read() if upload else None,
                filename=upload.name if upload else "evidence.bin",
            )
            messages.success(request, "证据已登记")
        except (DomainError, ValidationError) as exc:
            if isinstance(exc, NotFound):
                raise
            messages.error(request, _errors(exc))
    else:
        messages.error(request, "请填写证据种类和说明")
    if request.POST.get("next") == "timeline":
        return redirect("cases:timeline", case_id)
    return redirect("cases:detail", case_id)


@service_view
@require_POST
def case_issue_document(request, case_id: int):
    kind = request.POST.get("kind", "")
    content = None
    if kind in RECORD_KINDS:  # a 笔录: the form's content is printed for signature
        content = {
            name: request.POST.get(name) or None
            for name in ("place", "started_at", "ended_at", "present", "text")
        }
    try:
        document = services.issue_document(request.user, case_id, kind, content)
        messages.success(request, f"已出具{document.number}")
    except (DomainError, ValidationError) as exc:
        if isinstance(exc, NotFound):
            raise
        messages.error(request, _errors(exc))
    return redirect("cases:detail", case_id)


@service_view
def document_pdf(request, document_id: int):
    document = Document.objects.filter(pk=document_id).select_related("case").first()
    if document is None:
        raise NotFound()
    selectors.case_detail(request.user, document.case_id)  # scope check: NotFound outside
    return FileResponse(
        document.file.open("rb"), content_type="application/pdf", filename=f"{document.number}.pdf"
    )


@service_view
def evidence_file(request, case_id: int, evidence_id: int):
    """An evidence file, only to users who may see the case (files are never served directly)."""
    case = selectors.case_detail(request.user, case_id)  # scope check: NotFound outside
    evidence = case.evidence.filter(pk=evidence_id).exclude(file="").first()
    if evidence is None:
        raise NotFound()
    return FileResponse(
        evidence.file.open("rb"), as_attachment=True, filename=evidence.file.name.rsplit("/", 1)[-1]
    )


@service_view
def open_on_spot(request):
    user = request.user
    access.require(user, "cases.open", user.organization)
    parties = access.visible_to(user, Party)
    officers = access.visible_to(user, Officer).filter(is_active=True, kind=Officer.Kind.ENFORCEMENT)
    if user.officer_id:
        officers = officers.exclude(pk=user.officer_id)
    # Only the items the user's body holds (认领) can be the law of its case (行政处罚法第十七条).
    items = (
        EnforcementItem.objects.filter(
            kind="penalty", status="in_force", claims__organization_id__in=user.organization.ancestor_ids()
        )
        .distinct()
        .order_by("code")
    )
    # Opened from an inspection finding or an incident: the party and the facts come prefilled.
    initial = {
        "party": request.GET.get("party"),
        "summary": request.GET.get("summary", ""),
        "source": request.GET.get("source") or Case.Source.PATROL,
        "source_ref": request.GET.get("source_ref", ""),
    }
    form = OnSpotForm(
        request.POST or None,
        initial=initial,
        parties=parties.order_by("name"),
        items=items,
        officers=officers,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        on_spot = data["on_spot"]
        try:
            case = services.open_case(
                user,
                {
                    "party": data["party"],
                    "item": data["item"],
                    "act_date": data["act_date"],
                    "summary": data["summary"],
                    "discovery_date": services.today(),
                    "procedure": rules.Procedure.SUMMARY if on_spot else rules.Procedure.GENERAL,
                    "officers": [o for o in (user.officer, data["second_officer"]) if o is not None],
                    "source": data["source"] or Case.Source.PATROL,
                    "source_ref": data.get("source_ref", ""),
                },
            )
            if on_spot:
                penalty = {"kind": data["penalty"]}
                if data["penalty"] == "fine":
                    penalty["amount"] = str(data.get("amount") or 0)
                try:
                    services.transition(
                        user,
                        case.pk,
                        "decide_on_spot",
                        {
                            "facts_clear": True,
                            "penalties_decided": [penalty],
                            "decision_date": services.today(),
                        },
                    )
                    messages.success(request, "已当场作出行政处罚决定")
                except DomainError as exc:
                    messages.error(request, f"案件已登记，但不能当场处罚：{exc.message}")
            return redirect("cases:detail", case.pk)
        except (DomainError, ValidationError) as exc:
            if isinstance(exc, ValidationError):
                from zhifa.organizations.forms import add_service_errors

                add_service_errors(form, exc)
            else:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    return render(request, "cases/open_on_spot.html", {"form": form})


__all__ = ["Case"]
