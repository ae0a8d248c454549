"""Background work of the core: the nightly audit check, the audit anchor, orphan uploads."""

import logging
import time

from zhifa.celery import background_task

from . import anchor, metrics, uploads

log = logging.getLogger(__name__)


@background_task("core.verify_audit_chain")
def verify_audit_chain() -> dict:
    """Walk the chain, hold it against the anchors, log every problem. Read-only: safe to retry."""
    checked, problems = anchor.verify()
    for problem in problems:
        log.error("audit chain problem at seq %s: %s", problem.seq, problem.reason)
    metrics.AUDIT_PROBLEMS.set(len(problems))
    first = problems[0] if problems else None
    return {
        "checked": checked,
        "broken_seq": first.seq if first else None,
        "reason": first.reason if first else "",
    }


@background_task("core.anchor_audit_chain")
def anchor_audit_chain() -> dict:
    """Sign and export the chain head. Running it twice writes two equal heads: harmless."""
    started = time.monotonic()
    try:
        record = anchor.export("scheduled")
    except anchor.AnchorKeyMissing as exc:
        log.error("%s", exc)
        return {"seq": None, "skipped": str(exc)}
    metrics.TASK_SECONDS.labels("core.anchor_audit_chain").observe(time.monotonic() - started)
    return {"seq": record["seq"], "hash": record["hash"]}


@background_task("core.remove_orphan_uploads")
def remove_orphan_uploads() -> dict:
    """Delete uploads whose transaction never committed and files no row names. Idempotent."""
    return uploads.remove_orphans()


@background_task("core.deliver_outbox")
def deliver_outbox() -> dict:
    """Send side effects whose first sending failed (broker away). Idempotent."""
    from . import outbox

    return outbox.deliver()


@background_task("core.fault_drill_write")
def fault_drill_write(key: str, seconds: float = 0.0) -> str:
    """Used by deploy/fault-drill.py only: after ``seconds`` append one audit event named ``key``
    unless it is there already — idempotent under the chain lock, so a redelivered task does not
    write twice."""
    from django.db import transaction

    from . import audit
    from .models import AuditEvent

    time.sleep(seconds)
    with transaction.atomic():
        audit._lock_chain()
        if not AuditEvent.objects.filter(action="drill.write", object_id=key).exists():
            audit.record(None, "drill.write", object_type="drill", object_id=key)
    return key
