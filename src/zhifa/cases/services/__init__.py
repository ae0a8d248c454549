"""Every write to a penalty case: transactional, permission-checked through the access policy,
row-locked and audited. One module per subject:

* ``procedure`` — opening a case, its officers, the one transition service;
* ``approvals`` — the head's approvals (立案, 决定, 暂缓分期, 减免, 移送…);
* ``review`` — legal review and the review centre (第五十八条);
* ``acts`` — findings, statement and defence, hearing notice, waivers, consents, court rulings, evidence;
* ``money`` — payments; ``documents`` — numbered documents; ``remedies`` — reconsideration,
  litigation and changes of a decision.
"""

from ..models import Case
from .acts import (
    add_evidence,
    record_consent,
    record_court_ruling,
    record_defence,
    record_findings,
    record_waiver,
    review_defence,
    revoke_consent,
    schedule_hearing,
)
from .approvals import decide_approval, register_approval_kind, request_approval, withdraw_approval
from .common import CASE_FIELDS, CaseRefused, case_config, today
from .documents import DOCUMENT_PRECONDITIONS, DOCUMENT_WORDS, issue_document
from .money import record_payment
from .procedure import CASE_NUMBER_KIND, assign_officer, open_case, perform, remove_officer, transition
from .remedies import record_remedy, record_remedy_result
from .review import (
    add_catalogue_entry,
    assign_review,
    claim_review,
    record_review,
    retire_catalogue_entry,
    save_centre,
)

__all__ = [
    "CASE_FIELDS",
    "CASE_NUMBER_KIND",
    "DOCUMENT_PRECONDITIONS",
    "DOCUMENT_WORDS",
    "Case",
    "CaseRefused",
    "add_catalogue_entry",
    "add_evidence",
    "assign_officer",
    "assign_review",
    "case_config",
    "claim_review",
    "decide_approval",
    "issue_document",
    "open_case",
    "perform",
    "record_consent",
    "record_court_ruling",
    "record_defence",
    "record_findings",
    "record_payment",
    "record_remedy",
    "record_remedy_result",
    "record_review",
    "record_waiver",
    "register_approval_kind",
    "remove_officer",
    "request_approval",
    "retire_catalogue_entry",
    "review_defence",
    "revoke_consent",
    "save_centre",
    "schedule_hearing",
    "today",
    "transition",
    "withdraw_approval",
]
