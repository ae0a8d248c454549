"""Documents (文书) as PDF: a Django template per kind rendered by WeasyPrint with the Noto CJK
fonts of the system (Debian fonts-noto-cjk), so Chinese text is embedded and extractable."""

from __future__ import annotations

from django.template.loader import render_to_string, select_template

from . import rules
from .models import Document


def document_context(document: Document, facts: rules.CaseFacts, config: rules.CaseConfig) -> dict:
    case = document.case
    return {
        "document": document, "case": case, "facts": facts, "party": case.party, "item": case.item,
        "organization": case.organization,
        "title": Document.Kind(document.kind).label,
        "intended": [(rules.PENALTY_LABELS[p.kind], p.amount) for p in facts.penalties_intended],
        "decided": [(rules.PENALTY_LABELS[p.kind], p.amount) for p in facts.penalties_decided],
        "hearing_eligible": rules.hearing_eligible(facts, config),
        "hearing_request_end": rules.hearing_request_end(facts, config),
        "defence_end": rules.defence_end(facts, config),
        "payment_days": config.payment_days,
        "reconsideration_days": config.reconsideration_days,
        "litigation_months": config.litigation_months,
        "evidence": list(case.evidence.all()),
        # 行政处罚法第五十二条、第五十五条: the officers' names and certificate numbers (assistants excluded)
        "officers": [o for o in facts.officers if not o.assisting and o.kind != "auxiliary"],
    }


def render_html(document: Document, facts: rules.CaseFacts, config: rules.CaseConfig) -> str:
    template = select_template([f"cases/documents/{document.kind}.html", "cases/documents/generic.html"])
    return template.render(document_context(document, facts, config))


def render_pdf(document: Document, facts: rules.CaseFacts, config: rules.CaseConfig) -> bytes:
    from weasyprint import HTML  # imported late: loading pango takes a moment

    return HTML(string=render_html(document, facts, config)).write_pdf()


__all__ = ["render_pdf", "render_html", "document_context", "render_to_string"]
