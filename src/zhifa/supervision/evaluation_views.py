"""Pages of 执法评议: campaigns, a campaign's results per department with its questionnaires,
sampled case files and findings; the party's own questionnaire page (by link, no account); the
department's rectification. Thin: parse one command, call one service, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone

from zhifa.core import access
from zhifa.core.commands import field_errors
from zhifa.core.errors import DomainError
from zhifa.core.web import service_view

from . import evaluation, rules, selectors
from .appraisal import appraisable_bodies

ACTIONS = {
    "invite": (evaluation.InviteInput, evaluation.invite, "已发送评议问卷"),
    "sample": (evaluation.SampleInput, evaluation.sample_case_files, "已抽取评议案卷"),
    "finding": (evaluation.FindingInput, evaluation.add_finding, "已登记问题"),
}


def _errors(exc) -> dict:
    if isinstance(exc, DomainError):
        if exc.status in (403, 404):
            raise exc
        return {exc.field or "form": exc.message}
    return field_errors(exc)


@service_view
def campaigns(request):
    errors, values = {}, {}
    if request.method == "POST":
        values = request.POST
        try:
            campaign = evaluation.create_campaign(request.user, evaluation.CampaignInput.parse(request.POST))
        except (ValidationError, DomainError) as exc:
            errors = _errors(exc)
        else:
            messages.success(request, "已创建执法评议")
            return redirect("supervision:campaign", campaign.pk)
    today = timezone.localdate()
    return render(
        request,
        "supervision/campaigns.html",
        {
            "campaigns": selectors.campaigns(request.user),
            "errors": errors,
            "values": values,
            "today": today,
            "departments": appraisable_bodies(),
            "may_evaluate": access.can(request.user, "supervision.evaluate"),
            "questions": rules.DEFAULT_QUESTIONS,
        },
    )


@service_view
def campaign(request, campaign_id: int):
    campaign = selectors.get_campaign(request.user, campaign_id)
    errors, values = {}, {}
    if request.method == "POST":
        values = request.POST
        action = request.POST.get("action", "")
        try:
            if action in ACTIONS:
                command, service, text = ACTIONS[action]
                service(request.user, command.parse(request.POST, campaign=campaign.pk))
            elif action == "phone":
                scores = {k.removeprefix("q_"): v for k, v in request.POST.items() if k.startswith("q_")}
                evaluation.answer_by_phone(
                    request.user,
                    int(request.POST.get("invitation") or 0),
                    evaluation.AnswerInput.parse(
                        {"scores": scores, "comment": request.POST.get("comment", "")}
                    ),
                )
                text = "已记录电话回访答复"
            elif action == "expert":
                evaluation.score_expert_review(request.user, evaluation.ExpertScoreInput.parse(request.POST))
                text = "已记录专家评议"
            elif action in ("verify", "reopen"):
                evaluation.verify(
                    request.user,
                    int(request.POST.get("finding") or 0),
                    action == "verify",
                    request.POST.get("remark", ""),
                )
                text = "已核实销号" if action == "verify" else "已退回整改"
            else:
                raise DomainError("unknown_action", "未知操作")
        except (ValidationError, DomainError) as exc:
            errors = _errors(exc)
            messages.error(request, "；".join(errors.values()))
        else:
            messages.success(request, text)
            return redirect("supervision:campaign", campaign.pk)
    return render(
        request,
        "supervision/campaign.html",
        {
            "campaign": campaign,
            "results": selectors.campaign_results(request.user, campaign),
            "invitations": selectors.invitations(request.user, campaign)[:200],
            "reviews": selectors.expert_reviews(request.user, campaign),
            "findings": selectors.findings(request.user, campaign),
            "errors": errors,
            "values": values,
            "may_evaluate": access.can(request.user, "supervision.evaluate"),
            "sources": rules.FINDING_SOURCE_LABELS,
            "today": timezone.localdate(),
            "survey_base": request.build_absolute_uri("/supervision/survey/"),
        },
    )


@service_view
def findings(request):
    """The findings about the user's own body, to rectify."""
    errors = {}
    if request.method == "POST":
        try:
            evaluation.rectify(request.user, evaluation.RectifyInput.parse(request.POST))
        except (ValidationError, DomainError) as exc:
            errors = _errors(exc)
            messages.error(request, "；".join(errors.values()))
        else:
            messages.success(request, "已报告整改情况")
            return redirect("supervision:findings")
    rows = selectors.findings(request.user).order_by("state", "due_on")
    return render(
        request,
        "supervision/findings.html",
        {
            "findings": rows,
            "today": timezone.localdate(),
            "may_rectify": {f.pk: access.can(request.user, "supervision.rectify", f) for f in rows},
        },
    )


def survey(request, token: str):
    """The party's questionnaire (no login): answered once."""
    invitation = selectors.invitation_by_token(token)
    done, error = False, ""
    if invitation is not None and request.method == "POST":
        scores = {k.removeprefix("q_"): v for k, v in request.POST.items() if k.startswith("q_")}
        try:
            evaluation.answer_by_link(
                token,
                evaluation.AnswerInput.parse({"scores": scores, "comment": request.POST.get("comment", "")}),
            )
        except ValidationError as exc:
            error = "；".join(field_errors(exc).values())
        except DomainError as exc:
            error = exc.message
        else:
            done = True
    answered = invitation is not None and hasattr(invitation, "answer") and not done
    status = 404 if invitation is None else 200
    return render(
        request,
        "supervision/survey.html",
        {
            "invitation": invitation,
            "done": done,
            "answered": answered,
            "error": error,
            "questions": list(enumerate(invitation.campaign.questions)) if invitation else [],
            "subject": rules.SUBJECT_LABELS.get(invitation.subject_type, "") if invitation else "",
        },
        status=status,
    )
