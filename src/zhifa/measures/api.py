"""Measures endpoints under /api/v1/measures/: each act takes the same typed command as the page
(unknown fields are 422), each record comes back with its stage and statutory deadlines. The head
approves through the cases API (``POST /api/v1/cases/approvals/{id}/decision``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.forms.models import model_to_dict
from django.http import FileResponse
from django.utils import timezone
from ninja import Router, Status

from zhifa.cases import selectors as case_selectors
from zhifa.core import access
from zhifa.core.audit import jsonable
from zhifa.core.calendars import district_calendar
from zhifa.core.schema import Schema

from . import commands, selectors, services
from .models import CriminalReferral, EvidencePreservation, MeasureDocument, Seizure, SharedEvidence

router = Router(tags=["强制措施与移送"])


class DeadlineOut(Schema):
    name: str
    label: str
    due: str
    met: str | None
    status: str
    optional: bool
    article: str


class MeasureOut(Schema):
    kind: str
    id: int
    case_id: int
    label: str
    stage: str
    stage_label: str
    deadlines: list[DeadlineOut]
    detail: dict[str, Any]


class SharedEvidenceOut(Schema):
    id: int
    case_id: int
    evidence_id: int
    source_organization_id: int
    source_case_number: str
    sha256: str
    gathered_on: dt.date
    verified: bool


class CaseMeasuresOut(Schema):
    case_id: int
    referral_pending: str
    preservations: list[MeasureOut]
    seizures: list[MeasureOut]
    referrals: list[MeasureOut]
    shared_evidence: list[SharedEvidenceOut]


class OverdueOut(Schema):
    kind: str
    label: str
    case_id: int
    case_number: str
    record_id: int
    due: str
    article: str


def _when(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat(timespec="minutes")
    return value.isoformat()


def _out(entry: selectors.Entry) -> dict[str, Any]:
    record = entry.record
    detail = {
        k: [o.pk for o in v] if isinstance(v, list) and v and hasattr(v[0], "pk") else v
        for k, v in model_to_dict(record).items()
        if k != "case"
    }
    detail = jsonable(detail)
    detail["approval_status"] = record.approval.status if getattr(record, "approval", None) else None
    return {
        "kind": entry.kind,
        "id": record.pk,
        "case_id": record.case_id,
        "label": entry.label,
        "stage": entry.stage,
        "stage_label": entry.stage_label,
        "detail": detail,
        "deadlines": [
            {
                "name": d.name,
                "label": d.label,
                "due": _when(d.due),
                "met": _when(d.met),
                "status": d.status.value,
                "optional": d.optional,
                "article": d.article,
            }
            for d in entry.deadlines
        ],
    }


def _entry(user, record) -> dict[str, Any]:
    record = access.get_visible(user, type(record), record.pk)  # fresh, with its approval
    now = timezone.now()
    if isinstance(record, EvidencePreservation):
        return _out(selectors.preservation_entry(record, now, district_calendar()))
    if isinstance(record, Seizure):
        return _out(selectors.seizure_entry(record, now))
    return _out(selectors.referral_entry(record, now, district_calendar()))


@router.get(
    "/cases/{case_id}", response=CaseMeasuresOut, summary="案件的先行登记保存、查封扣押、移送和共享证据"
)
def get_case_measures(request, case_id: int):
    case = case_selectors.case_record(request.auth, case_id)
    measures = selectors.case_measures(request.auth, case)
    return {
        "case_id": case.pk,
        "referral_pending": measures.referral_pending,
        "preservations": [_out(e) for e in measures.preservations],
        "seizures": [_out(e) for e in measures.seizures],
        "referrals": [_out(e) for e in measures.referrals],
        "shared_evidence": measures.shared,
    }


@router.get("/overdue", response=list[OverdueOut], summary="逾期的强制措施与移送（供监督）")
def get_overdue(request):
    return [{**o.__dict__, "due": _when(o.due)} for o in selectors.overdue_measures(request.auth)]


# ---- 先行登记保存 ----


@router.post(
    "/cases/{case_id}/preservations",
    response={201: MeasureOut},
    summary="提请先行登记保存（行政处罚法第五十六条）",
)
def post_preservation(request, case_id: int, payload: commands.ProposePreservation):
    return Status(201, _entry(request.auth, services.propose_preservation(request.auth, case_id, payload)))


@router.post("/preservations/{record_id}/execute", response=MeasureOut, summary="登记保存")
def post_preservation_execute(request, record_id: int, payload: commands.ExecutePreservation):
    return _entry(request.auth, services.execute_preservation(request.auth, record_id, payload))


@router.post(
    "/preservations/{record_id}/decision",
    response=MeasureOut,
    summary="先行登记保存物品的处理决定（七个工作日内）",
)
def post_preservation_decision(request, record_id: int, payload: commands.PreservationDecisionIn):
    return _entry(request.auth, services.decide_preservation(request.auth, record_id, payload))


# ---- 查封、扣押 ----


@router.post(
    "/cases/{case_id}/seizures", response={201: MeasureOut}, summary="提请查封、扣押（行政强制法第十八条）"
)
def post_seizure(request, case_id: int, payload: commands.ProposeSeizure):
    return Status(201, _entry(request.auth, services.propose_seizure(request.auth, case_id, payload)))


@router.post(
    "/cases/{case_id}/seizures/emergency",
    response={201: MeasureOut},
    summary="情况紧急当场查封、扣押并报告负责人（行政强制法第十九条）",
)
def post_emergency_seizure(request, case_id: int, payload: commands.EmergencySeizure):
    return Status(201, _entry(request.auth, services.emergency_seizure(request.auth, case_id, payload)))


@router.post("/seizures/{record_id}/execute", response=MeasureOut, summary="实施查封、扣押并送达决定书和清单")
def post_seizure_execute(request, record_id: int, payload: commands.ExecuteSeizure):
    return _entry(request.auth, services.execute_seizure(request.auth, record_id, payload))


@router.post(
    "/seizures/{record_id}/extension",
    response=MeasureOut,
    summary="提请延长查封、扣押期限（一次，不超过30日）",
)
def post_seizure_extension(request, record_id: int, payload: commands.RequestExtension):
    return _entry(request.auth, services.request_extension(request.auth, record_id, payload))


@router.post("/seizures/{record_id}/extension-notice", response=MeasureOut, summary="送达延长期限通知书")
def post_extension_notice(request, record_id: int, payload: commands.ExtensionNotice):
    return _entry(request.auth, services.serve_extension_notice(request.auth, record_id, payload))


@router.post("/seizures/{record_id}/end", response=MeasureOut, summary="解除、没收或者移送")
def post_seizure_end(request, record_id: int, payload: commands.EndSeizure):
    return _entry(request.auth, services.end_seizure(request.auth, record_id, payload))


# ---- 移送涉嫌犯罪案件 ----


@router.post("/cases/{case_id}/referrals", response={201: MeasureOut}, summary="指定专案组（移送规定第五条）")
def post_referral(request, case_id: int, payload: commands.OpenReferral):
    return Status(201, _entry(request.auth, services.open_referral(request.auth, case_id, payload)))


REFERRAL_STEPS = {
    "report": (commands.ReportReferral, services.report_referral),
    "transfer": (commands.TransferReferral, services.transfer_referral),
    "receipt": (commands.MeasureReceiptIn, services.record_receipt),
    "answer": (commands.MeasureAnswerIn, services.record_answer),
    "reconsideration": (commands.ReconsiderationIn, services.request_reconsideration),
    "reconsideration-answer": (commands.MeasureAnswerIn, services.record_reconsideration_answer),
    "supervision": (commands.SupervisionIn, services.suggest_supervision),
    "handover": (commands.HandoverIn, services.record_handover),
    "resume": (commands.ResumeIn, services.resume_case),
}


def _referral_endpoint(step: str, command, service, summary: str):
    def endpoint(request, record_id, payload):
        return _entry(request.auth, service(request.auth, record_id, payload))

    endpoint.__annotations__ = {"record_id": int, "payload": command}
    endpoint.__name__ = f"post_referral_{step.replace('-', '_')}"
    router.add_api_operation(
        f"/referrals/{{record_id}}/{step}", ["POST"], endpoint, response=MeasureOut, summary=summary
    )


for _step, _summary in (
    ("report", "专案组书面报告，提请负责人决定（3日内）"),
    ("transfer", "向公安机关移送（批准后24小时内）"),
    ("receipt", "公安机关签收回执（第七条）"),
    ("answer", "公安机关立案或不予立案（3日内，第八条）"),
    ("reconsideration", "提请公安机关复议（3日内，第九条）"),
    ("reconsideration-answer", "公安机关复议决定（第九条）"),
    ("supervision", "建议人民检察院立案监督（第九条）"),
    ("handover", "移交涉案物品和材料（3日内，第十二条）"),
    ("resume", "不予立案后转回行政处理（第十条）"),
):
    _referral_endpoint(_step, *REFERRAL_STEPS[_step], _summary)


# ---- 证据共享 ----


@router.post(
    "/cases/{case_id}/shared-evidence",
    response={201: SharedEvidenceOut},
    summary="引用其他机关依法收集的证据（浙江省综合行政执法条例第十八条）",
)
def post_shared_evidence(request, case_id: int, payload: commands.ShareEvidenceIn):
    return Status(201, services.share_evidence(request.auth, case_id, payload))


@router.get("/documents/{document_id}/pdf", summary="强制措施文书 PDF", response={200: None})
def get_document_pdf(request, document_id: int):
    document = access.get_visible(request.auth, MeasureDocument, document_id)
    return FileResponse(
        document.file.open("rb"), content_type="application/pdf", filename=f"{document.number}.pdf"
    )


__all__ = ["router", "CriminalReferral", "SharedEvidence"]
