"""Background work of the core: the nightly audit-chain check."""

import logging

from zhifa.celery import background_task

from .audit import verify_chain

log = logging.getLogger(__name__)


@background_task("core.verify_audit_chain")
def verify_audit_chain() -> dict:
    """Walk the chain and log the first broken link. Read-only, so safe to retry or run twice."""
    checked, broken = verify_chain()
    if broken is not None:
        log.error("audit chain broken at seq %s: %s", broken.seq, broken.reason)
        return {"checked": checked, "broken_seq": broken.seq, "reason": broken.reason}
    return {"checked": checked, "broken_seq": None, "reason": ""}
