"""From rows to the plain snapshots the rules read (``rules.PreservationFacts`` and friends). The
head's approvals are read for their outcome: pending, approved (with its date) or returned."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from . import rules
from .models import CriminalReferral, EvidencePreservation, Seizure


def _status(approval) -> str | None:
    return approval.status if approval is not None else None


def preservation(record: EvidencePreservation) -> rules.PreservationFacts:
    return rules.PreservationFacts(
        approval_status=_status(record.approval),
        approved_on=record.approved_on,
        preserved_on=record.preserved_on,
        decided_on=record.decided_on,
    )


def seizure(record: Seizure) -> rules.SeizureFacts:
    approval = record.approval
    extension = record.extension_approval
    return rules.SeizureFacts(
        emergency=record.emergency,
        period_days=record.period_days,
        approval_status=_status(approval),
        approved_on=record.approved_on,
        approval_decided_on=approval.decided_on if approval is not None else None,
        taken_at=record.taken_at,
        reported_at=approval.requested_at if record.emergency and approval is not None else None,
        executed_on=record.executed_on,
        extension_status=_status(extension),
        extension_days=record.extension_days,
        extended_on=record.extended_on,
        extension_notice_on=record.extension_notice_on,
        ended_on=record.ended_on,
        end_kind=record.end_kind,
    )


def decision_moment(approval) -> dt.datetime | None:
    """When the head decided: the recorded time when he decided on the day he recorded it; for a
    decision dated earlier, the end of that day (the hour is not known; the 24 hours of 移送规定
    第五条 are then counted in the body's favour, never against the record)."""
    if approval is None or approval.decided_on is None or approval.decided_at is None:
        return None
    if timezone.localtime(approval.decided_at).date() == approval.decided_on:
        return approval.decided_at
    end = dt.datetime.combine(approval.decided_on, dt.time(23, 59, 59))
    return timezone.make_aware(end)


def referral(record: CriminalReferral) -> rules.ReferralFacts:
    approval = record.approval
    return rules.ReferralFacts(
        discovered_on=record.discovered_on,
        team_appointed_on=record.team_appointed_on,
        reported_on=record.reported_on,
        approval_status=_status(approval),
        decided_on=approval.decided_on if approval is not None else None,
        decided_at=decision_moment(approval),
        transferred_at=record.transferred_at,
        received_on=record.received_on,
        answer=record.answer,
        answered_on=record.answered_on,
        reconsideration_requested_on=record.reconsideration_requested_on,
        reconsideration_answer=record.reconsideration_answer,
        reconsideration_answered_on=record.reconsideration_answered_on,
        supervision_suggested_on=record.supervision_suggested_on,
        handed_over_on=record.handed_over_on,
        resumed_on=record.resumed_on,
    )
