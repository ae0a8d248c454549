"""Documents (文书) as PDF: a Django template per kind rendered by WeasyPrint with the Noto CJK
fonts of the system (Debian fonts-noto-cjk), so Chinese text is embedded and extractable."""

from __future__ import annotations

from django.template.loader import render_to_string, select_template

from . import rules
from .models import Document


def document_context(document: Document, facts: rules.CaseFacts, config: rules.CaseConfig) -> dict:
    case = document.case
    return {
        "document": document,
        "case": case,
        "facts": facts,
        "party": case.party,
        "item": case.item,
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
        "no_penalty_ground": rules.NO_PENALTY_LABELS.get(facts.no_penalty_ground)
        if facts.no_penalty_ground
        else "",
        "no_penalty_article": NO_PENALTY_ARTICLES.get(facts.no_penalty_ground, ""),
        "education_given": facts.education_given,
        "change": _last_change(case),
        "service_method": SERVICE_LABELS.get(facts.service_method, ""),
        "served_documents": [
            d
            for d in case.documents.all()
            if d.kind in ("decision", "no_penalty_decision", "change_decision", "revocation_decision")
        ],
    }


NO_PENALTY_ARTICLES = {
    rules.NoPenaltyGround.MINOR_CORRECTED_NO_HARM: "第三十三条第一款",
    rules.NoPenaltyGround.FIRST_OFFENCE: "第三十三条第一款",
    rules.NoPenaltyGround.NO_FAULT: "第三十三条第二款",
    rules.NoPenaltyGround.UNDER_14: "第三十条",
    rules.NoPenaltyGround.MENTAL_INCAPACITY: "第三十一条",
    rules.NoPenaltyGround.LIMITATION_EXPIRED: "第三十六条",
    rules.NoPenaltyGround.FACTS_UNCLEAR: "第四十条",
}
SERVICE_LABELS = {
    "direct": "直接送达",
    "left": "留置送达",
    "post": "邮寄送达",
    "entrusted": "委托送达",
    "electronic": "电子送达",
    "public_notice": "公告送达",
}


def _last_change(case) -> dict:
    event = case.events.filter(action__in=("change_decision", "revoke_decision")).order_by("-at").first()
    return {"reason": event.note} if event else {}


def _body(html: str) -> str:
    """The body of a rendered document, to be bound into the case file."""
    start, end = html.find("<body>"), html.rfind("</body>")
    return html[start + len("<body>") : end] if start >= 0 and end > start else html


def case_file_context(document: Document, facts: rules.CaseFacts, config: rules.CaseConfig) -> dict:
    """案卷 (第四十七条: 全过程记录，归档保存): cover, index, every step, every act of authority, every
    document in the order issued, the evidence and the payments."""
    case = document.case
    context = document_context(document, facts, config)
    documents = [
        d for d in case.documents.all().order_by("issued_at", "id") if d.kind != Document.Kind.CASE_FILE
    ]
    context.update(
        {
            "documents": [{"document": d, "html": _body(render_html(d, facts, config))} for d in documents],
            "events": list(case.events.select_related("actor").order_by("at", "id")),
            "approvals": list(case.approvals.select_related("requested_by", "decided_by")),
            "reviews": list(case.legal_reviews.select_related("reviewer")),
            "deliberations": list(case.deliberations.select_related("chair")),
            "waivers": list(case.waivers.all()),
            "payments": list(case.payments.all()),
        }
    )
    return context


def render_html(document: Document, facts: rules.CaseFacts, config: rules.CaseConfig) -> str:
    if document.kind == Document.Kind.CASE_FILE:
        return render_to_string("cases/documents/case_file.html", case_file_context(document, facts, config))
    template = select_template([f"cases/documents/{document.kind}.html", "cases/documents/generic.html"])
    return template.render(document_context(document, facts, config))


def render_pdf(document: Document, facts: rules.CaseFacts, config: rules.CaseConfig) -> bytes:
    from weasyprint import HTML  # imported late: loading pango takes a moment

    return HTML(string=render_html(document, facts, config)).write_pdf()


__all__ = ["render_pdf", "render_html", "document_context", "render_to_string"]
