"""Pages of 双向案件咨询: the list with the form to record a question, a consultation with its
answer and the case (and referral) it is linked to. Thin."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from zhifa.core import access
from zhifa.core.commands import field_errors
from zhifa.core.errors import DomainError
from zhifa.core.web import service_view
from zhifa.organizations.models import Organization

from . import consultation, rules, selectors
from .models import Consultation


def _errors(exc) -> dict:
    if isinstance(exc, DomainError):
        if exc.status in (403, 404):
            raise exc
        return {exc.field or "form": exc.message}
    return field_errors(exc)


@service_view
def consultations(request):
    errors, values = {}, {}
    if request.method == "POST":
        values = request.POST
        try:
            row = consultation.ask(request.user, consultation.ConsultationInput.parse(request.POST))
        except (ValidationError, DomainError) as exc:
            errors = _errors(exc)
        else:
            messages.success(request, "已登记案件咨询")
            return redirect("supervision:consultation", row.pk)
    bodies = [
        o
        for o in access.visible_to(request.user, Organization)
        .filter(is_active=True, is_enforcement_body=True)
        .order_by("path")
        if access.can(request.user, "supervision.consult", o)
    ]
    return render(
        request,
        "supervision/consultations.html",
        {
            "rows": selectors.consultations(request.user)[:200],
            "errors": errors,
            "values": values,
            "bodies": bodies,
            "directions": Consultation.Direction.choices,
            "counterparts": Consultation.Counterpart.choices,
        },
    )


@service_view
def consultation_detail(request, consultation_id: int):
    row = selectors.get_consultation(request.user, consultation_id)
    errors, values = {}, {}
    if request.method == "POST":
        values = request.POST
        try:
            consultation.answer(
                request.user, consultation.AnswerConsultationInput.parse(request.POST, consultation=row.pk)
            )
        except (ValidationError, DomainError) as exc:
            errors = _errors(exc)
        else:
            messages.success(request, "已记录答复")
            return redirect("supervision:consultation", row.pk)
    return render(
        request,
        "supervision/consultation.html",
        {
            "row": row,
            "referral": consultation.referral_of(row),
            "errors": errors,
            "values": values,
            "conclusions": rules.CONCLUSION_LABELS,
            "may_answer": row.state == Consultation.State.ASKED
            and access.can(request.user, "supervision.consult", row.organization),
        },
    )
