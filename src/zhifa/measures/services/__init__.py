"""Every write of the measures app: transactional, permission-checked through the access policy,
dated and audited. One module per subject: ``preservation`` (先行登记保存), ``seizure`` (查封、扣押),
``referral`` (移送涉嫌犯罪案件), ``evidence`` (证据共享). The approval handlers run inside the cases
inbox's approving transaction."""

from .evidence import share_evidence
from .preservation import ask_again as ask_preservation_again
from .preservation import (
    decide_preservation,
    execute_preservation,
    preservation_approved,
    propose_preservation,
)
from .referral import (
    open_referral,
    pending_referral_fact,
    record_answer,
    record_handover,
    record_receipt,
    record_reconsideration_answer,
    report_referral,
    request_reconsideration,
    resume_case,
    suggest_supervision,
    transfer_referral,
)
from .seizure import ask_again as ask_seizure_again
from .seizure import (
    emergency_seizure,
    end_seizure,
    execute_seizure,
    extension_approved,
    propose_seizure,
    request_extension,
    seizure_approved,
    serve_extension_notice,
)

__all__ = [
    "ask_preservation_again",
    "ask_seizure_again",
    "decide_preservation",
    "emergency_seizure",
    "end_seizure",
    "execute_preservation",
    "execute_seizure",
    "extension_approved",
    "open_referral",
    "pending_referral_fact",
    "preservation_approved",
    "propose_preservation",
    "propose_seizure",
    "record_answer",
    "record_handover",
    "record_receipt",
    "record_reconsideration_answer",
    "report_referral",
    "request_extension",
    "request_reconsideration",
    "resume_case",
    "seizure_approved",
    "serve_extension_notice",
    "share_evidence",
    "suggest_supervision",
    "transfer_referral",
]
