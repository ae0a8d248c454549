"""The head's approvals inbox (审批): every act waiting for him — 立案, 决定, 暂缓分期, 减免, 延期, 移送,
申请法院执行, 变更撤销 — with the case summary, the proposal, the discretion recommendation and the
reviewer's opinion; he approves or returns it with an opinion, on PC and phone."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from zhifa.core import access
from zhifa.core.errors import DomainError, NotFound
from zhifa.core.web import service_view

from .. import commands, rules, selectors, services
from ..action_forms import CHOICE_LABELS, LABELS
from ..models import Approval, LegalReview


def describe(proposal: dict) -> list[tuple[str, str]]:
    """A proposal as label/value lines in Chinese."""
    lines = []
    for name, value in proposal.items():
        if value in (None, "", [], {}):
            continue
        if name in ("penalties_decided", "penalties_intended", "penalties"):
            text = "；".join(
                f"{rules.PENALTY_LABELS[rules.PenaltyKind(p['kind'])]}"
                f"{(' ' + str(Decimal(p['amount'])) + '元') if p.get('amount') else ''}"
                f"{(' ' + str(p['duration_days']) + '日') if p.get('duration_days') else ''}"
                for p in value
            )
        elif isinstance(value, bool):
            text = "是" if value else "否"
        elif isinstance(value, list):
            text = "；".join(
                f"{i.get('due')} {i.get('amount')}元" if isinstance(i, dict) else str(i) for i in value
            )
        else:
            text = CHOICE_LABELS.get(name, {}).get(value, str(value))
        lines.append((LABELS.get(name, name), text))
    return lines


def _recommendation(approval: Approval) -> str:
    """The discretion recommendation beside a decision proposal (国办发〔2022〕27号)."""
    if approval.kind != Approval.Kind.DECISION:
        return ""
    from zhifa.discretion import selectors as discretion_selectors
    from zhifa.discretion.services import recommend_for

    case = approval.case
    filed = case.filing_date or services.today()
    if discretion_selectors.baseline_in_force(case.item, filed) is None:
        return "该事项无裁量基准"
    rec = recommend_for(case.item, approval.proposal.get("circumstances") or {}, filed)
    span = f"建议罚款{rec.yuan[0]}–{rec.yuan[1]}元；" if rec.yuan else ""
    return span + "；".join(text for text, _ in rec.reasons)


@service_view
def inbox(request):
    items = []
    for approval in selectors.approvals_inbox(request.user):
        review = (
            LegalReview.objects.filter(case=approval.case, status=LegalReview.Status.DONE)
            .order_by("-reviewed_at")
            .first()
        )
        items.append(
            {
                "approval": approval,
                "lines": describe(approval.proposal),
                "review": review,
                "recommendation": _recommendation(approval),
                "today": services.today(),
            }
        )
    return render(request, "cases/approvals_inbox.html", {"items": items})


@service_view
@require_POST
def decide(request, approval_id: int):
    approve = request.POST.get("decision") == "approve"
    try:
        approval = services.decide_approval(
            request.user,
            approval_id,
            {
                "approve": approve,
                "opinion": request.POST.get("opinion", ""),
                "as_of": request.POST.get("as_of") or None,
            },
        )
        messages.success(request, f"已{'批准' if approve else '退回'}：{approval.get_kind_display()}")
    except (DomainError, ValidationError) as exc:
        if isinstance(exc, NotFound):
            raise
        from .case_page import _message

        messages.error(request, f"未能办理：{_message(exc)}")
    return redirect(request.POST.get("next") or "cases:approvals")


@service_view
@require_POST
def withdraw(request, approval_id: int):
    approval = access.get_visible(request.user, Approval, approval_id)
    try:
        services.withdraw_approval(request.user, approval_id)
        messages.success(request, "已撤回审批申请")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("cases:detail", approval.case_id)


__all__ = ["commands", "decide", "describe", "inbox", "withdraw"]
