"""The pages of the cases app: the list and phone pages (``pages``), the case file and its steps
(``case_page``), the head's approvals inbox (``inbox``) and the legal review centre (``review``)."""

from . import inbox, review
from .case_page import case_act, case_detail
from .pages import (
    case_add_evidence,
    case_issue_document,
    case_list,
    case_timeline,
    document_pdf,
    evidence_file,
    open_on_spot,
)

__all__ = [
    "case_act",
    "case_add_evidence",
    "case_detail",
    "case_issue_document",
    "case_list",
    "case_timeline",
    "document_pdf",
    "evidence_file",
    "inbox",
    "open_on_spot",
    "review",
]
