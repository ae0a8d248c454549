"""Pages: the measures under way in the user's scope (``index``), one case's measures with the
officer's steps (``case_page``, phone-friendly), each step posted to ``act``, and the documents.
Each step is offered only to the role that holds it; the head approves in the cases inbox. A refused
step re-renders the page with what was typed and the reason, in Chinese, with its article."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhifa.cases import selectors as case_selectors
from zhifa.cases.models import Case
from zhifa.core import access
from zhifa.core.errors import DomainError, NotFound, user_message
from zhifa.core.web import service_view
from zhifa.organizations.models import Officer, Organization

from . import commands, rules, selectors, services
from .forms import form_for
from .models import CriminalReferral, EvidencePreservation, MeasureDocument, Seizure
from .services.common import BEFORE_DECISION
from .services.evidence import ENFORCING_KINDS

S, RS = rules.Stage, rules.ReferralStage


@dataclass(frozen=True)
class Step:
    """One act the user may take: on the case (a new record) or on a record of the given kind."""

    name: str
    label: str
    command: type | None
    run: Callable[..., Any]
    permission: str
    kind: str = "case"  # case | preservation | seizure | referral
    when: Callable[[Any], bool] = lambda target: True
    primary: bool = False
    hint: str = ""


def _pending_extension(record: Seizure) -> bool:
    return record.extension_approval is not None and record.extension_approval.status == "pending"


CASE_STEPS = [
    Step(
        "preservation",
        "提请先行登记保存",
        commands.ProposePreservation,
        services.propose_preservation,
        "measures.preserve",
        when=lambda c: c.state in BEFORE_DECISION,
        hint="负责人批准后实施（行政处罚法第五十六条）",
    ),
    Step(
        "seizure",
        "提请查封、扣押",
        commands.ProposeSeizure,
        services.propose_seizure,
        "measures.seize",
        when=lambda c: c.state in BEFORE_DECISION,
        hint="负责人批准后实施（行政强制法第十八条）",
    ),
    Step(
        "emergency",
        "情况紧急：当场查封、扣押并报告负责人",
        commands.EmergencySeizure,
        services.emergency_seizure,
        "measures.seize",
        when=lambda c: c.state in BEFORE_DECISION,
        hint="24小时内报告并补办批准（行政强制法第十九条）",
    ),
    Step(
        "referral",
        "发现涉嫌犯罪：指定专案组",
        commands.OpenReferral,
        services.open_referral,
        "measures.refer",
        when=lambda c: c.state in BEFORE_DECISION,
        hint="移送规定第五条",
    ),
    Step(
        "shared",
        "引用其他机关依法收集的证据",
        commands.ShareEvidenceIn,
        services.share_evidence,
        "measures.share_evidence",
        when=lambda c: c.state not in ("closed", "archived"),
        hint="浙江省综合行政执法条例第十八条",
    ),
]


RECORD_STEPS = [
    Step(
        "execute",
        "登记保存（送达先行登记保存通知书）",
        commands.ExecutePreservation,
        services.execute_preservation,
        "measures.preserve",
        "preservation",
        lambda e: e.stage == S.APPROVED,
        primary=True,
    ),
    Step(
        "decide",
        "作出处理决定",
        commands.PreservationDecisionIn,
        services.decide_preservation,
        "measures.preserve",
        "preservation",
        lambda e: e.stage == S.IN_FORCE,
        primary=True,
        hint="七个工作日内（行政处罚法第五十六条）",
    ),
    Step(
        "ask",
        "重新提请审批",
        None,
        services.ask_preservation_again,
        "measures.preserve",
        "preservation",
        lambda e: e.stage == S.WITHDRAWN,
    ),
    Step(
        "execute",
        "实施并送达决定书和清单",
        commands.ExecuteSeizure,
        services.execute_seizure,
        "measures.seize",
        "seizure",
        lambda e: e.stage == S.APPROVED,
        primary=True,
    ),
    Step(
        "extension",
        "提请延长期限",
        commands.RequestExtension,
        services.request_extension,
        "measures.seize",
        "seizure",
        lambda e: e.stage == S.IN_FORCE and not e.record.extended_on and not _pending_extension(e.record),
        hint="只能延长一次，不超过30日（行政强制法第二十五条）",
    ),
    Step(
        "notice",
        "送达延长期限通知书",
        commands.ExtensionNotice,
        services.serve_extension_notice,
        "measures.seize",
        "seizure",
        lambda e: e.stage == S.IN_FORCE and e.record.extended_on and not e.record.extension_notice_on,
        primary=True,
        hint="书面告知当事人（行政强制法第二十五条第二款）",
    ),
    Step(
        "end",
        "解除、没收或者移送",
        commands.EndSeizure,
        services.end_seizure,
        "measures.seize",
        "seizure",
        lambda e: (
            e.stage in (S.IN_FORCE, S.EXPIRED, S.NOT_APPROVED)
            and e.record.executed_on
            and not e.record.ended_on
        ),
        primary=True,
        hint="行政强制法第二十七条、第二十八条",
    ),
    Step(
        "ask",
        "重新报告（提请）负责人",
        None,
        services.ask_seizure_again,
        "measures.seize",
        "seizure",
        lambda e: (
            e.record.approval is not None
            and e.record.approval.status == "withdrawn"
            and not e.record.ended_on
        ),
    ),
    Step(
        "report",
        "提交书面报告，提请负责人决定是否移送",
        commands.ReportReferral,
        services.report_referral,
        "measures.refer",
        "referral",
        lambda e: e.stage == RS.TEAM,
        primary=True,
        hint="负责人3日内决定（移送规定第五条）",
    ),
    Step(
        "transfer",
        "向公安机关移送",
        commands.TransferReferral,
        services.transfer_referral,
        "measures.refer",
        "referral",
        lambda e: e.stage == RS.APPROVED,
        primary=True,
        hint="批准后24小时内（移送规定第五条）",
    ),
    Step(
        "receipt",
        "登记公安机关签收回执",
        commands.MeasureReceiptIn,
        services.record_receipt,
        "measures.refer",
        "referral",
        lambda e: e.stage == RS.TRANSFERRED,
        primary=True,
        hint="移送规定第七条",
    ),
    Step(
        "answer",
        "登记公安机关立案或不予立案",
        commands.MeasureAnswerIn,
        services.record_answer,
        "measures.refer",
        "referral",
        lambda e: e.stage == RS.RECEIVED,
        primary=True,
        hint="3日内审查（移送规定第八条）",
    ),
    Step(
        "handover",
        "登记移交涉案物品和材料",
        commands.HandoverIn,
        services.record_handover,
        "measures.refer",
        "referral",
        lambda e: e.stage == RS.ACCEPTED,
        primary=True,
        hint="3日内移交（移送规定第十二条）",
    ),
    Step(
        "reconsideration",
        "提请公安机关复议",
        commands.ReconsiderationIn,
        services.request_reconsideration,
        "measures.refer",
        "referral",
        lambda e: e.stage == RS.REFUSED,
        hint="3日内（移送规定第九条）",
    ),
    Step(
        "reconsideration_answer",
        "登记复议决定",
        commands.MeasureAnswerIn,
        services.record_reconsideration_answer,
        "measures.refer",
        "referral",
        lambda e: e.stage == RS.RECONSIDERATION,
        primary=True,
        hint="移送规定第九条",
    ),
    Step(
        "supervision",
        "建议人民检察院立案监督",
        commands.SupervisionIn,
        services.suggest_supervision,
        "measures.refer",
        "referral",
        lambda e: e.stage in (RS.REFUSED, RS.REFUSED_FINAL) and not e.record.supervision_suggested_on,
        hint="移送规定第九条",
    ),
    Step(
        "resume",
        "转回行政处理（继续办理本案）",
        commands.ResumeIn,
        services.resume_case,
        "measures.refer",
        "referral",
        lambda e: e.stage in (RS.REFUSED, RS.REFUSED_FINAL),
        primary=True,
        hint="移送规定第十条",
    ),
]
MODELS = {"preservation": EvidencePreservation, "seizure": Seizure, "referral": CriminalReferral}


def _officer_choices(user, case: Case) -> list[tuple[str, str]]:
    """The case's officers first, then the body's other certified officers."""
    on_case = [
        (str(row.officer_id), f"{row.officer.name}（本案{row.get_role_display()}）")
        for row in case.case_officers.select_related("officer")
    ]
    seen = {pk for pk, _ in on_case}
    others = (
        access.visible_to(user, Officer)
        .filter(
            is_active=True,
            kind=Officer.Kind.ENFORCEMENT,
            organization__path__startswith=case.organization.body().path,
        )
        .exclude(pk__in=[int(pk) for pk in seen])
        .order_by("name")[:50]
    )
    return on_case + [(str(o.pk), o.name) for o in others]


def _organization_choices(case: Case) -> list[tuple[str, str]]:
    own = case.organization.body().pk
    return [
        (str(o.pk), o.name)
        for o in Organization.objects.filter(
            Q(is_enforcement_body=True) | Q(kind__in=ENFORCING_KINDS), is_active=True
        )
        .exclude(pk=own)
        .order_by("path")[:300]
    ]


def _form(step: Step, target_key: str, choices: dict, data=None):
    if step.command is None:
        return None
    return form_for(
        step.command,
        prefix=target_key,
        data=data,
        officers=choices.get("officers", ()),
        organizations=choices.get("organizations", ()),
        today=timezone.localdate(),
        now=timezone.localtime().replace(second=0, microsecond=0, tzinfo=None),
    )


def _choices(user, case: Case) -> dict[str, list]:
    return {"officers": _officer_choices(user, case), "organizations": _organization_choices(case)}


def _steps_for(user, case: Case, measures: selectors.CaseMeasures, bound: dict | None):
    """(new-record steps with their forms, {entry id: [(step, form, action url)]})."""
    may = {
        perm: access.can(user, perm, case)
        for perm in ("measures.preserve", "measures.seize", "measures.refer", "measures.share_evidence")
    }
    choices = _choices(user, case) if any(may.values()) else {}
    new = []
    for step in CASE_STEPS:
        if (
            not may[step.permission]
            or not step.when(case)
            or (step.name == "referral" and measures.referral_pending)
        ):
            continue
        key = f"new-{step.name}"
        form = bound["form"] if bound and bound["key"] == key else _form(step, key, choices)
        new.append((step, form, reverse("measures:act", args=[case.pk, step.name])))
    per_entry: dict[str, list] = {}
    for entry in measures.entries:
        rows = []
        for step in RECORD_STEPS:
            if step.kind == entry.kind and may[step.permission] and step.when(entry):
                key = f"{entry.kind}-{entry.record.pk}-{step.name}"
                form = bound["form"] if bound and bound["key"] == key else _form(step, key, choices)
                rows.append(
                    (
                        step,
                        form,
                        reverse("measures:record_act", args=[entry.kind, entry.record.pk, step.name]),
                    )
                )
        per_entry[f"{entry.kind}-{entry.record.pk}"] = rows
    return new, per_entry


def _render(request, case_id: int, bound: dict | None = None, status: int = 200):
    case = case_selectors.case_detail(request.user, case_id)
    measures = selectors.case_measures(request.user, case)
    new, per_entry = _steps_for(request.user, case, measures, bound)
    entries = [(entry, per_entry.get(f"{entry.kind}-{entry.record.pk}", [])) for entry in measures.entries]
    return render(
        request,
        "measures/case_measures.html",
        {
            "case": case,
            "measures": measures,
            "new_steps": new,
            "entries": entries,
            "may_approve": access.can(request.user, "cases.approve_measures", case),
        },
        status=status,
    )


@service_view
def case_page(request, case_id: int):
    return _render(request, case_id)


def _run(request, case_id: int, step: Step, key: str, target_id: int, done: str):
    choices = _choices(request.user, case_selectors.case_detail(request.user, case_id))
    form = _form(step, key, choices, request.POST)
    if form is not None and not form.is_valid():
        messages.error(request, "请按提示修改后再提交")
        return _render(request, case_id, bound={"key": key, "form": form}, status=422)
    try:
        if form is None:
            step.run(request.user, target_id)
        else:
            step.run(request.user, target_id, form.command_data())
    except ValidationError as exc:
        if form is not None:
            form.add_service_errors(exc)
        messages.error(request, user_message(exc))
        return _render(request, case_id, bound={"key": key, "form": form}, status=422)
    except DomainError as exc:
        if isinstance(exc, NotFound):
            raise
        if form is not None:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        messages.error(request, f"未能办理：{exc.message}")
        return _render(request, case_id, bound={"key": key, "form": form}, status=422)
    messages.success(request, done)
    return redirect(f"{reverse('measures:case', args=[case_id])}#{key.rsplit('-', 1)[0]}")


@service_view
@require_POST
def act(request, case_id: int, name: str):
    case = case_selectors.case_detail(request.user, case_id)
    step = next((s for s in CASE_STEPS if s.name == name), None)
    if step is None:
        raise NotFound()
    access.require(request.user, step.permission, case)
    return _run(request, case_id, step, f"new-{name}", case_id, f"已{step.label}")


@service_view
@require_POST
def record_act(request, kind: str, record_id: int, name: str):
    model = MODELS.get(kind)
    if model is None:
        raise NotFound()
    record = access.get_visible(request.user, model, record_id)
    step = next((s for s in RECORD_STEPS if s.kind == kind and s.name == name), None)
    if step is None:
        raise NotFound()
    access.require(request.user, step.permission, record.case)
    return _run(request, record.case_id, step, f"{kind}-{record_id}-{name}", record_id, f"已{step.label}")


@service_view
def index(request):
    entries = selectors.under_way(request.user)
    return render(
        request,
        "measures/index.html",
        {"entries": entries, "overdue": selectors.overdue_measures(request.user)},
    )


@service_view
def document_pdf(request, document_id: int):
    document = access.get_visible(request.user, MeasureDocument, document_id)
    return FileResponse(
        document.file.open("rb"), content_type="application/pdf", filename=f"{document.number}.pdf"
    )
