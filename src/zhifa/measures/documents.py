"""Documents (文书) of the measures: numbered gap-free per organisation, kind and year with the cases
app's counter (``allocate``), rendered to PDF by WeasyPrint with the system's Noto CJK fonts, and
stored with their SHA-256 (行政处罚法第四十七条)."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import timezone

from zhifa.cases.models import Case
from zhifa.cases.services.common import allocate, short_name, user_of
from zhifa.organizations.models import Organization

from .models import MeasureDocument

K = MeasureDocument.Kind
#: The word of each kind in its number: 衢江综执扣字〔2026〕第3号.
WORDS = {
    K.PRESERVATION_NOTICE: "先保",
    K.PRESERVATION_DECISION: "先保处",
    K.SEAL_DECISION: "封",
    K.SEIZE_DECISION: "扣",
    K.SEIZURE_EXTENSION: "强延",
    K.SEIZURE_RELEASE: "解强",
    K.SEIZURE_TRANSFER: "强移",
    K.CRIMINAL_REFERRAL: "刑移",
}


def reconsideration_body(case: Case) -> str:
    """The people's government the party applies to (行政复议法第二十四条): the district government at
    the root of the organisation tree."""
    root_id = case.organization.path.strip("/").split("/")[0]
    root = Organization.objects.filter(pk=root_id).only("name").first()
    return root.name if root else "本级人民政府"


def issue(actor, case: Case, kind: str, dated: dt.date, context: dict[str, Any]) -> MeasureDocument:
    """Number, render and store one document (inside the caller's transaction: a rolled-back act
    gives its number back)."""
    issued_at = timezone.now()
    year = timezone.localtime(issued_at).year
    seq = allocate(case.organization, kind, year)
    number = f"{short_name(case.organization)}{WORDS[kind]}字〔{year}〕第{seq}号"
    document = MeasureDocument(
        case=case,
        kind=kind,
        number=number,
        year=year,
        seq=seq,
        dated=dated,
        issued_at=issued_at,
        issued_by=user_of(actor),
    )
    pdf = render_pdf(document, context)
    document.sha256 = hashlib.sha256(pdf).hexdigest()
    document.file.save(f"{case.pk}-{kind}-{year}-{seq}.pdf", ContentFile(pdf), save=False)
    document.save()
    return document


def render_html(document: MeasureDocument, context: dict[str, Any]) -> str:
    case = document.case
    return render_to_string(
        f"measures/documents/{document.kind}.html",
        {
            "document": document,
            "title": MeasureDocument.Kind(document.kind).label,
            "case": case,
            "party": case.party,
            "organization": case.organization,
            "reconsideration_body": reconsideration_body(case),
            **context,
        },
    )


def render_pdf(document: MeasureDocument, context: dict[str, Any]) -> bytes:
    from weasyprint import HTML  # imported late: loading pango takes a moment

    return HTML(string=render_html(document, context)).write_pdf()
