"""Event runs: when a case or an incident changes, the rules watching it run for that subject
once the transaction commits. The cases and dispatch apps know nothing of supervision: the
receivers are connected in ``SupervisionConfig.ready``.

Changed ids are collected and run together after the commit, so a service that saves a case
three times runs the rules once. A failing rule is logged and never
breaks the write that triggered it (the periodic sweep catches up). ``paused()`` turns event runs
off for bulk loads.

``settings.ZHIFA_SUPERVISION_EVENT_RUNS`` says where they run: ``inline`` (the default: in the
request, after its commit — the embedded demo and tests), ``queued`` (sent to a Celery worker as
``supervision.run_for``, so a request ends at its commit; production with a broker, see
docs/operations.md; a broker that cannot take the task gets the run inline instead), or ``off``."""

import contextlib
import logging
import threading

from django.conf import settings
from django.db import transaction

log = logging.getLogger(__name__)
_state = threading.local()


def _pending() -> dict[str, set[int]]:
    if not hasattr(_state, "pending"):
        _state.pending = {}
    return _state.pending


def mode() -> str:
    configured = getattr(settings, "ZHIFA_SUPERVISION_EVENT_RUNS", "inline")
    return {True: "inline", False: "off"}.get(configured, configured)


def enabled() -> bool:
    return mode() != "off" and not getattr(_state, "paused", 0)


@contextlib.contextmanager
def paused():
    _state.paused = getattr(_state, "paused", 0) + 1
    try:
        yield
    finally:
        _state.paused -= 1


def changed(model: str, pk) -> None:
    """Note that a ``model`` ("case", "incident") row changed; its rules run after commit."""
    if pk is None or not enabled():
        return
    _pending().setdefault(model, set()).add(int(pk))
    # One callback per change: the first to run after the commit takes everything pending and the
    # rest find nothing. (Ids left by a rolled-back transaction run with the next commit, harmlessly.)
    transaction.on_commit(flush)


def flush() -> None:
    from . import services

    pending = dict(_pending())
    if not pending:
        return
    _pending().clear()
    for model, ids in pending.items():
        if mode() == "queued" and _queue(model, ids):
            continue
        try:
            services.run_for(model, ids)
        except Exception:  # noqa: BLE001 - never fail the triggering write; the sweep catches up
            log.exception("supervision event run failed for %s %s", model, sorted(ids)[:20])


def _queue(model: str, ids: set[int]) -> bool:
    """Send the run to a worker; False (run it here) when the broker does not take it."""
    from .tasks import run_for

    try:
        run_for.apply_async((model, sorted(ids)), retry=False)
    except Exception:  # noqa: BLE001 - any broker failure: the run is done in this process
        log.warning("supervision event run for %s not queued; running it here", model, exc_info=True)
        return False
    return True


# ---- receivers ----


def case_saved(sender, instance, **kwargs):
    changed("case", instance.pk)


def case_child_saved(sender, instance, **kwargs):
    changed("case", instance.case_id)


def audit_saved(sender, instance, created=False, **kwargs):
    if created and instance.object_type == "cases.Case" and str(instance.object_id).isdigit():
        changed("case", int(instance.object_id))


def incident_saved(sender, instance, **kwargs):
    changed("incident", instance.pk)


def connect() -> None:
    from django.db.models.signals import post_delete, post_save

    from zhifa.cases.models import Case, CaseEvent, CaseOfficer
    from zhifa.core.models import AuditEvent
    from zhifa.dispatch.models import Incident

    post_save.connect(case_saved, sender=Case, dispatch_uid="supervision.case_saved")
    for model in (CaseOfficer, CaseEvent):
        post_save.connect(case_child_saved, sender=model, dispatch_uid=f"supervision.{model.__name__}_saved")
    post_delete.connect(case_child_saved, sender=CaseOfficer, dispatch_uid="supervision.CaseOfficer_deleted")
    post_save.connect(audit_saved, sender=AuditEvent, dispatch_uid="supervision.audit_saved")
    post_save.connect(incident_saved, sender=Incident, dispatch_uid="supervision.incident_saved")
