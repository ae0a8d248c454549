"""The printed 送达回证 for paper service of a document the cases app does not yet issue a
numbered receipt for (e.g. the 告知书 before any decision): the served document's name and number,
the party, and blanks for the recipient's signature and the date (民事诉讼法第八十七条)."""

from __future__ import annotations

from django.template.loader import render_to_string


def render_receipt_html(document, case) -> str:
    return render_to_string(
        "partyspace/receipt.html",
        {
            "document": document,
            "case": case,
            "party": case.party,
            "organization": case.organization.body(),
            "title": "送达回证",
        },
    )


def render_receipt(document, case) -> bytes:
    from weasyprint import HTML  # loaded late: pango takes a moment

    return HTML(string=render_receipt_html(document, case)).write_pdf()
