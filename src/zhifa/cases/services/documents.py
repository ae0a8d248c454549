"""Documents (文书): gap-free numbers per organisation, kind and year (衢江综执罚决字〔2026〕第12号),
rendered to PDF with the facts of the case and stored with their SHA-256 (行政处罚法第四十七条、第五十九条)."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Annotated

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from pydantic import Field

from zhifa.core import audit
from zhifa.core.commands import Command, parse
from zhifa.core.errors import DomainError

from ..documents import render_pdf
from ..facts import build_facts
from ..models import Document
from .common import allocate, case_config, locked_case, short_name, user_of

#: The word of each document kind in its number: 衢江综执罚决字〔2026〕第12号.
DOCUMENT_WORDS = {
    Document.Kind.FILING_APPROVAL: "立审",
    Document.Kind.NOTICE: "罚告",
    Document.Kind.HEARING_NOTICE: "听通",
    Document.Kind.DECISION: "罚决",
    Document.Kind.SUMMARY_DECISION: "简罚",
    Document.Kind.NO_PENALTY_DECISION: "不罚",
    Document.Kind.SERVICE_RECEIPT: "送达",
    Document.Kind.PAYMENT_DEMAND: "催告",
    Document.Kind.INSPECTION_RECORD: "勘笔",
    Document.Kind.INQUIRY_RECORD: "询笔",
    Document.Kind.HEARING_RECORD: "听笔",
    Document.Kind.CHANGE_DECISION: "变决",
    Document.Kind.REVOCATION_DECISION: "撤决",
    Document.Kind.CASE_FILE: "卷",
}
#: Records whose content is written in a form and printed for the signatures of those present.
RECORD_KINDS = (Document.Kind.INSPECTION_RECORD, Document.Kind.INQUIRY_RECORD, Document.Kind.HEARING_RECORD)
_FINISHED = ("closed", "archived", "no_penalty", "transferred", "referred", "filing_revoked")

#: When a document may be issued: (condition on the case, refusal message with its article).
DOCUMENT_PRECONDITIONS = {
    Document.Kind.NOTICE: (
        lambda c: c.notice_date is not None,
        "尚未告知拟作出的行政处罚，不能出具告知书（行政处罚法第四十四条）",
    ),
    Document.Kind.HEARING_NOTICE: (
        lambda c: c.hearing_requested_on is not None,
        "当事人未申请听证，不能出具听证通知书（行政处罚法第六十四条）",
    ),
    Document.Kind.DECISION: (
        lambda c: c.procedure == "general" and c.decision_date is not None and c.state != "no_penalty",
        "尚未作出行政处罚决定，不能出具处罚决定书（行政处罚法第五十九条）",
    ),
    Document.Kind.SUMMARY_DECISION: (
        lambda c: c.procedure == "summary" and c.decision_date is not None,
        "尚未当场作出处罚决定，不能出具当场处罚决定书（行政处罚法第五十二条）",
    ),
    Document.Kind.NO_PENALTY_DECISION: (
        lambda c: c.state == "no_penalty",
        "尚未作出不予行政处罚决定（行政处罚法第五十七条第一款）",
    ),
    Document.Kind.SERVICE_RECEIPT: (
        lambda c: c.decision_date is not None or c.state == "no_penalty",
        "尚无可送达的决定书（行政处罚法第六十一条）",
    ),
    Document.Kind.PAYMENT_DEMAND: (
        lambda c: c.state == "compulsory_execution",
        "尚未进入催告程序（行政强制法第五十四条）",
    ),
    Document.Kind.HEARING_RECORD: (
        lambda c: c.hearing_held_on is not None,
        "尚未举行听证（行政处罚法第六十四条第八项）",
    ),
    Document.Kind.CHANGE_DECISION: (
        lambda c: c.extra_facts.get("decision_change") == "changed",
        "处罚决定未经批准变更（行政处罚法第四十八条）",
    ),
    Document.Kind.REVOCATION_DECISION: (
        lambda c: c.extra_facts.get("decision_change") == "revoked",
        "处罚决定未被撤销（行政处罚法第四十八条）",
    ),
    Document.Kind.CASE_FILE: (
        lambda c: c.state in _FINISHED,
        "案件办结后方可组卷归档（行政处罚法第四十七条）",
    ),
}


class RecordContent(Command):
    """A 笔录: where and when, who was present, and what was found or said (第四十七条、第五十五条)."""

    place: Annotated[str, Field(min_length=1, max_length=200)]
    started_at: dt.datetime
    ended_at: dt.datetime | None = None
    present: Annotated[str, Field(min_length=1, max_length=500)]
    text: Annotated[str, Field(min_length=1, max_length=50000)]


def _record_content(kind: str, content: dict | None) -> dict:
    if kind not in RECORD_KINDS:
        if content:
            raise ValidationError({"content": ValidationError("此类文书不填写内容", code="extra_forbidden")})
        return {}
    command = parse(RecordContent, content)

    def aware(value):
        return timezone.make_aware(value) if value is not None and timezone.is_naive(value) else value

    started, ended = aware(command.started_at), aware(command.ended_at)
    if started > timezone.now() or (ended and ended < started):
        raise ValidationError(
            {
                "started_at": ValidationError(
                    "笔录时间不能晚于现在，结束不能早于开始", code="date_out_of_order"
                )
            }
        )
    return command.model_dump(mode="json")


@transaction.atomic
def issue_document(actor, case_id: int, kind: str, content: dict | None = None) -> Document:
    """Number (gap-free per organisation, kind and year), render and store a document PDF."""
    case = locked_case(actor, case_id)
    if kind not in DOCUMENT_WORDS:
        raise ValidationError({"kind": ValidationError("未知的文书种类", code="unknown_kind")})
    precondition = DOCUMENT_PRECONDITIONS.get(kind)
    if precondition and not precondition[0](case):
        raise DomainError("document_premature", precondition[1], "kind")
    issued_at = timezone.now()
    year = timezone.localtime(issued_at).year
    seq = allocate(case.organization, kind, year)
    number = f"{short_name(case.organization)}{DOCUMENT_WORDS[kind]}字〔{year}〕第{seq}号"
    document = Document(
        case=case,
        kind=kind,
        number=number,
        year=year,
        seq=seq,
        issued_at=issued_at,
        issued_by=user_of(actor),
        content=_record_content(kind, content),
    )
    pdf = render_pdf(document, build_facts(case, {"as_of": timezone.localdate(issued_at)}), case_config())
    document.sha256 = hashlib.sha256(pdf).hexdigest()
    document.file.save(f"{case.pk}-{kind}-{year}-{seq}.pdf", ContentFile(pdf), save=False)
    document.save()
    audit.record(
        actor,
        "case.issue_document",
        case,
        after={"document": document.pk, "number": number, "sha256": document.sha256},
        legal_basis="《行政处罚法》第五十九条",
    )
    return document
