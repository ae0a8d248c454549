"""Credit events (企业四色管理, 国发〔2019〕5号): a fact behind a party's colour changed — an inspection
found a problem, a rectification was verified, a penalty was decided, a complaint was found true —
so the party's colour and reasons are reassessed once the transaction that changed it commits.

Apps call ``facts_changed(party_id, cause)`` explicitly; nothing listens to model signals. The
nightly task (``parties.recompute_risk``) catches up on anything missed. A failing reassessment is
logged and never breaks the write that triggered it.
"""

from __future__ import annotations

import logging
import threading

from django.db import transaction

log = logging.getLogger(__name__)
_state = threading.local()

#: Causes that make a party's colour be reassessed.
CAUSES = {
    "inspection_finding": "检查发现问题",
    "rectification_verified": "整改复查通过",
    "penalty_decided": "作出行政处罚决定",
    "complaint_substantiated": "投诉举报查证属实",
}


def _pending() -> set[int]:
    if not hasattr(_state, "pending"):
        _state.pending = set()
    return _state.pending


def facts_changed(party_id: int | None, cause: str) -> None:
    """Reassess ``party_id`` after the commit (once, however often it is named)."""
    if party_id is None:
        return
    if cause not in CAUSES:
        raise ValueError(f"unknown credit event {cause!r}")
    _pending().add(int(party_id))
    transaction.on_commit(flush)


def flush() -> None:
    from . import services

    pending = sorted(_pending())
    _pending().clear()
    for party_id in pending:
        try:
            services.recompute_party_risk(None, party_id)
        except Exception:  # noqa: BLE001 - never fail the triggering write; the nightly task catches up
            log.exception("credit reassessment of party %s failed", party_id)
