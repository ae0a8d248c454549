"""The case file page and every step taken from it. Each step is offered only to the role that
holds it (the access policy): an officer sees "提请立案审批" where the head sees "立案"; each step's
form has exactly the fields of its command; a refused step re-renders the page with what the user
typed and the reason, in Chinese, with its article."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from zhifa.core import access
from zhifa.core.errors import DomainError, NotFound, user_message
from zhifa.core.selectors import audit_trail
from zhifa.core.web import service_view
from zhifa.organizations.models import Officer, User

from .. import commands, rules, selectors, services
from ..access import APPROVAL_FOR_ACTION, action_permission
from ..action_forms import form_for
from ..deadlines import case_deadlines
from ..facts import build_facts
from ..forms import EvidenceForm
from ..models import Approval, Case, Document
from ..services.documents import RECORD_KINDS
from ..services.money import PaymentIn
from ..services.procedure import AssignOfficer, RemoveOfficer
from ..services.remedies import RemedyIn

_BEFORE_DECISION = {
    "registered",
    "filed",
    "investigating",
    "notified",
    "hearing",
    "heard",
    "legal_review",
    "deliberation",
}
_DEFENCE = {"notified", "hearing", "heard", "legal_review", "deliberation"}
_PAYABLE = {"served", "partly_paid", "deferred", "compulsory_execution", "court_enforcement"}
_DECIDED = {
    "decided",
    "served",
    "partly_paid",
    "deferred",
    "paid",
    "compulsory_execution",
    "court_enforcement",
    "no_penalty",
    "closed",
    "archived",
}


@dataclass
class Step:
    """One thing the user may do on the case page."""

    name: str
    label: str
    command: type
    run: Callable[..., Any]
    upload: str = ""  # name of the file field, if the step takes a signed document
    primary: bool = False
    hint: str = ""
    done: Callable[[Any], str] | None = None  # the success message from the service's result
    choices: dict[str, list] = field(default_factory=dict)  # select options of this step's own fields


def _request(kind: str) -> Callable:
    def run(user, case_id, data, content, filename):
        reason = data.pop("reason_for_request", "")
        return services.request_approval(
            user, case_id, kind, data, reason=reason, attachment=content, filename=filename
        )

    return run


def _perform(action: rules.Action) -> Callable:
    def run(user, case_id, data, content, filename):
        return services.transition(user, case_id, action.value, data)

    return run


def _record(service) -> Callable:
    def run(user, case_id, data, content, filename):
        return service(user, case_id, data)

    return run


def _with_file(service) -> Callable:
    def run(user, case_id, data, content, filename):
        return service(user, case_id, data, content, filename)

    return run


def _assign(user, case_id, data, content, filename):
    return services.assign_officer(
        user, case_id, data["officer_id"], data.get("role", "assist"), data.get("assisting", False)
    )


def _payment(user, case_id, data, content, filename):
    return services.record_payment(
        user,
        case_id,
        data["amount"],
        data["paid_on"],
        data.get("channel", "bank"),
        data.get("receipt_number", ""),
    )


def available_steps(user, case: Case) -> list[Step]:
    """The steps this user may take on this case now, in the order of the procedure."""
    steps: list[Step] = []
    state = rules.State(case.state)
    pending = {a.kind for a in case.approvals.all() if a.status == Approval.Status.PENDING}
    for source, action in rules.TRANSITIONS:
        if source != state or action in commands.PAYMENT_ACTIONS:
            continue
        command = commands.ACTION_COMMANDS[action]
        if access.can(user, action_permission(action), case):
            steps.append(
                Step(action.value, rules.ACTION_LABELS[action], command, _perform(action), primary=True)
            )
        elif action in APPROVAL_FOR_ACTION and access.can(user, "cases.request_approval", case):
            kind = APPROVAL_FOR_ACTION[action]
            if kind in pending:
                continue
            steps.append(
                Step(
                    f"request-{kind}",
                    f"提请{Approval.Kind(kind).label}",
                    command,
                    _request(kind),
                    primary=True,
                    hint="由机关负责人审批后生效",
                )
            )
    can_handle = access.can(user, "cases.handle", case)
    if can_handle and case.state in _BEFORE_DECISION:
        steps.append(Step("findings", "登记调查结论", commands.Findings, _record(services.record_findings)))
        on_case = [(row.officer_id, row.officer.name) for row in case.case_officers.all()]
        others = [
            (o.pk, o.name)
            for o in access.visible_to(user, Officer)
            .filter(is_active=True)
            .exclude(pk__in=[pk for pk, _ in on_case])
            .order_by("name")[:300]
        ]
        steps.append(
            Step("assign_officer", "增加执法人员", AssignOfficer, _assign, choices={"officer_id": others})
        )
        if on_case:
            steps.append(
                Step(
                    "remove_officer",
                    "调整执法人员（回避）",
                    RemoveOfficer,
                    _record(services.remove_officer),
                    choices={"officer_id": on_case},
                    hint="行政处罚法第四十三条",
                )
            )
    if can_handle and case.state in _DEFENCE:
        steps.append(
            Step("defence", "登记当事人陈述申辩", commands.Defence, _record(services.record_defence))
        )
        if case.defence_submitted and not case.defence_reviewed:
            steps.append(
                Step(
                    "defence_review", "复核陈述申辩", commands.DefenceReview, _record(services.review_defence)
                )
            )
    if can_handle and case.state == "hearing":
        steps.append(
            Step("hearing", "通知听证时间地点", commands.ScheduleHearing, _record(services.schedule_hearing))
        )
    if access.can(user, "cases.record_party_act", case):
        if case.state in _DEFENCE:
            steps.append(
                Step(
                    "waiver",
                    "登记当事人放弃陈述申辩（上传签名声明）",
                    commands.WaiverIn,
                    _with_file(services.record_waiver),
                    upload="document",
                )
            )
        if case.state not in ("closed", "archived"):
            steps.append(
                Step(
                    "consent",
                    "登记电子送达确认书",
                    commands.ConsentIn,
                    _with_file(services.record_consent),
                    upload="document",
                )
            )
    if can_handle and case.state in _PAYABLE:
        steps.append(
            Step(
                "payment",
                "登记缴款",
                PaymentIn,
                _payment,
                primary=True,
                done=lambda p: (
                    f"已登记缴款{p.amount}元" + (f"（含加处罚款{p.surcharge}元）" if p.surcharge else "")
                ),
            )
        )
    if access.can(user, "cases.request_approval", case):
        if case.state == "compulsory_execution" and Approval.Kind.REMISSION not in pending:
            steps.append(
                Step(
                    "request-remission",
                    "提请减免加处罚款",
                    commands.Remission,
                    _request(Approval.Kind.REMISSION),
                    hint="行政强制法第四十二条：执行协议",
                )
            )
        if case.state in _BEFORE_DECISION - {"registered"} and Approval.Kind.EXTENSION not in pending:
            steps.append(
                Step(
                    "request-extension",
                    "提请延长办案期限",
                    commands.ExtensionIn,
                    _request(Approval.Kind.EXTENSION),
                    hint="仅限法律、法规、规章另有规定",
                )
            )
        if (
            case.state in _DECIDED - {"no_penalty", "closed", "archived"}
            and Approval.Kind.CHANGE_DECISION not in pending
        ):
            steps.append(
                Step(
                    "request-change_decision",
                    "提请变更或撤销处罚决定",
                    commands.ChangeDecision,
                    _request(Approval.Kind.CHANGE_DECISION),
                )
            )
    if access.can(user, "cases.record_ruling", case):
        if case.court_applied_on and case.state in (
            "court_enforcement",
            "compulsory_execution",
            "paid",
            "closed",
        ):
            steps.append(
                Step(
                    "ruling",
                    "登记人民法院裁定",
                    commands.CourtRulingIn,
                    _with_file(services.record_court_ruling),
                    upload="document",
                )
            )
        if case.state in _DECIDED:
            steps.append(Step("remedy", "登记行政复议、行政诉讼", RemedyIn, _record(services.record_remedy)))
    return steps


def _choices(user, case: Case) -> dict[str, list]:
    """Select options a step needs: the body's heads, officers who are not on the case."""
    paths = [p for p in _prefixes(case.organization.path)]
    heads = (
        User.objects.filter(is_active=True, organization__path__in=paths)
        .filter(
            Q(role=User.Role.HEAD) | Q(role_grants__role=User.Role.HEAD, role_grants__revoked_at__isnull=True)
        )
        .distinct()
        .order_by("username")
    )
    on_case = [row.officer_id for row in case.case_officers.all()]
    officers = (
        access.visible_to(user, Officer)
        .filter(is_active=True, kind=Officer.Kind.ENFORCEMENT)
        .exclude(pk__in=on_case)
        .order_by("name")[:200]
    )
    head_choices = [(u.pk, u.display_name or u.username) for u in heads]
    return {
        "chair_id": head_choices,
        "participant_ids": head_choices,
        "host_officer_id": [(o.pk, o.name) for o in officers],
    }


def _prefixes(path: str) -> list[str]:
    parts = [p for p in path.strip("/").split("/") if p]
    return ["/" + "/".join(parts[:n]) + "/" for n in range(1, len(parts) + 1)]


def _initial(step: Step, case: Case, today) -> dict[str, Any]:
    initial: dict[str, Any] = {}
    for name in step.command.model_fields:
        if name.endswith(("_date", "_on")) or name == "as_of" or name == "paid_on":
            initial[name] = today
    return initial


def _omit(step: Step) -> tuple[str, ...]:
    """A request leaves the act's date to the head: it is the date he approves."""
    return (getattr(step.command, "date_field", "as_of"),) if step.name.startswith("request-") else ()


def _forms(user, case: Case, steps: list[Step], bound: dict | None, today) -> list[tuple[Step, Any]]:
    choices = _choices(user, case) if any(s.name in ("hearing", "deliberate") for s in steps) else {}
    out = []
    for step in steps:
        if bound and bound.get("name") == step.name:
            form = bound["form"]
        else:
            penalty = case.penalties_decided or case.penalties_intended
            form = form_for(step.command)(
                prefix=step.name,
                initial=_initial(step, case, today),
                choices={**choices, **step.choices},
                initial_penalty=penalty,
                omit=_omit(step),
            )
        out.append((step, form))
    return out


def render_case(request, case_id, bound: dict | None = None, status: int = 200):
    case = selectors.case_detail(request.user, case_id)
    config = services.case_config()
    today = services.today()
    facts = build_facts(case, {"as_of": today})
    steps = available_steps(request.user, case)
    blocked = []
    probe = facts.replace(**{f: today for f in rules.ACTION_DATE_FIELD.values() if getattr(facts, f) is None})
    for state, action in rules.TRANSITIONS:
        if state == case.state and action not in commands.PAYMENT_ACTIONS:
            result = rules.check(case.state, action, probe, config)
            if not result.allowed:
                blocked.append(
                    {"label": rules.ACTION_LABELS[action], "reasons": [r.message for r in result.refusals]}
                )
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "facts": facts,
            "steps": _forms(request.user, case, steps, bound, today),
            "blocked": blocked,
            "today": today,
            "deadlines": case_deadlines(facts, config.calendar, config, today=today),
            "events": case.events.all(),
            "evidence": case.evidence.all(),
            "documents": list(case.documents.all()),
            "document_kinds": [(k, label) for k, label in Document.Kind.choices if k not in RECORD_KINDS],
            "record_kinds": [(k, label) for k, label in Document.Kind.choices if k in RECORD_KINDS],
            "evidence_form": EvidenceForm(),
            "trail": audit_trail([("cases.Case", [case.pk])], 30),
            "approvals": list(case.approvals.all()),
            "reviews": list(case.legal_reviews.all()),
            "deliberations": list(case.deliberations.all()),
            "waivers": list(case.waivers.all()),
            "rulings": list(case.court_rulings.all()),
            "remedies": list(case.remedies.all()),
            "decided": [(rules.PENALTY_LABELS[p.kind], p.amount) for p in facts.penalties_decided],
            "intended": [(rules.PENALTY_LABELS[p.kind], p.amount) for p in facts.penalties_intended],
            "may_publish": access.can(request.user, "portal.publish"),
            "may_handle": access.can(request.user, "cases.handle", case),
        },
        status=status,
    )


@service_view
def case_detail(request, case_id: int):
    return render_case(request, case_id)


def _message(exc) -> str:
    """A refused step on a case page: its reason shown on the page, a 403's too (the step list
    may be stale); a 404 is raised on by the caller."""
    return exc.message if isinstance(exc, DomainError) else user_message(exc)


@service_view
@require_POST
def case_act(request, case_id: int, name: str):
    """Take one step from the case page; on a refusal the page comes back with the form as typed."""
    case = selectors.case_detail(request.user, case_id)
    step = next((s for s in available_steps(request.user, case) if s.name == name), None)
    if step is None:
        messages.error(request, "当前不能办理此项，或您没有此项权限（请刷新页面查看可办理的操作）")
        return redirect("cases:detail", case_id)
    form = form_for(step.command)(
        request.POST, prefix=name, choices={**_choices(request.user, case), **step.choices}, omit=_omit(step)
    )
    upload = request.FILES.get(f"{name}-upload") if step.upload else None
    if form.is_valid():
        data = form.command_data()
        if name.startswith("request-") and request.POST.get(f"{name}-reason_for_request"):
            data["reason_for_request"] = request.POST[f"{name}-reason_for_request"]
        try:
            result = step.run(
                request.user,
                case_id,
                data,
                upload.read() if upload else None,
                upload.name if upload else "document.pdf",
            )
            messages.success(request, step.done(result) if step.done else f"已{step.label}")
            return redirect("cases:detail", case_id)
        except (DomainError, ValidationError) as exc:
            if isinstance(exc, NotFound):
                raise
            if isinstance(exc, ValidationError):
                form.add_service_errors(exc)
            messages.error(request, _message(exc))
    else:
        messages.error(request, "请按提示修改后再提交")
    return render_case(request, case_id, bound={"name": name, "form": form}, status=422)


__all__ = ["available_steps", "case_act", "case_detail", "render_case"]
