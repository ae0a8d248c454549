"""What every case service shares: configuration, today's date, the locked case resolved through
the actor's scope, gap-free numbers, file digests, the timeline event and the audit snapshot."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import connection
from django.utils import timezone

from zhifa.core import access
from zhifa.core.calendars import district_calendar
from zhifa.core.errors import DomainError
from zhifa.organizations.models import Organization

from .. import rules
from ..models import Case, CaseEvent, DocumentCounter

#: Every concrete column of a case except timestamps: the audit log keeps before and after of all.
CASE_FIELDS = tuple(
    f.name for f in Case._meta.concrete_fields if f.name not in ("created_at", "updated_at", "id")
)


class CaseRefused(DomainError):
    """``rules.check`` refused the action: ``code``/``message`` of the first refusal (the message
    ends with its article); every refusal in ``refusals``."""

    def __init__(self, refusals: list[rules.Refusal]):
        first = refusals[0]
        super().__init__(first.code, first.message)
        self.refusals = refusals
        self.article = first.article


def today() -> dt.date:
    return timezone.localdate()


def case_config() -> rules.CaseConfig:
    """Configuration data (hearing thresholds etc.) from ``settings.ZHIFA_CASE_CONFIG`` plus the
    district's working-day calendar, today's date and the earliest date an act may carry."""
    data = dict(settings.ZHIFA_CASE_CONFIG)
    thresholds = data.pop("hearing_thresholds", None)
    earliest = getattr(settings, "ZHIFA_EARLIEST_ACT_DATE", None)
    return rules.CaseConfig(
        hearing_thresholds=rules.HearingThresholds(**thresholds) if thresholds else None,
        calendar=district_calendar(),
        today=today(),
        earliest_date=dt.date.fromisoformat(earliest) if earliest else None,
        **data,
    )


def locked_case(actor, case_id, permission: str | None = "cases.handle") -> Case:
    """The case, row-locked for the write, resolved through the actor's scope (``NotFound``
    outside it); then the actor must hold ``permission`` on it (403 naming the role)."""
    queryset = Case.objects.select_for_update(of=("self",)).select_related(
        "organization", "party", "item__domain"
    )
    case = access.get_visible(actor, queryset, case_id)
    if permission:
        access.require(actor, permission, case)
    return case


def user_of(actor):
    """The user for ``*_by`` columns; integrations acting with an API key are recorded in the audit log only."""
    return actor if isinstance(actor, get_user_model()) else None


def short_name(organization: Organization) -> str:
    return organization.short_name or organization.name


def allocate(organization: Organization, kind: str, year: int) -> int:
    """Take the next number: the counter row is created if missing and locked, so two
    transactions never share a number and a rolled-back transaction gives its number back."""
    DocumentCounter.objects.bulk_create(
        [DocumentCounter(organization=organization, kind=kind, year=year)], ignore_conflicts=True
    )
    counter = DocumentCounter.objects.select_for_update().get(organization=organization, kind=kind, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def lock_act(act_key: str) -> None:
    """行政处罚法第二十九条: serialise decisions on the same illegal act, so that two requests
    fining it at once see each other (the second then finds the first fine and is refused)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"act:{act_key}"])


def attach(field_file, name: str, content: bytes | None) -> str:
    """Store ``content`` in a FileField (not saved) and return its SHA-256 ('' without content)."""
    if not content:
        return ""
    field_file.save(name, ContentFile(content), save=False)
    return hashlib.sha256(content).hexdigest()


def event(
    case: Case,
    actor,
    action: str,
    *,
    from_state: str | None = None,
    on: dt.date | None = None,
    note: str = "",
    article: str = "",
    flags: list | None = None,
) -> CaseEvent:
    """A step on the case's timeline."""
    return CaseEvent.objects.create(
        case=case,
        action=action,
        from_state=case.state if from_state is None else from_state,
        to_state=case.state,
        on=on or today(),
        actor=user_of(actor),
        note=note,
        article=article,
        flags=flags or [],
    )


def bump(case: Case) -> None:
    case.version += 1
    case.save(update_fields=["version", "updated_at"])
