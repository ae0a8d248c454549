"""Reads of the measures, always through the access policy (or an explicit ``Scope`` for the
supervision side): a case's measures with their stages and deadlines, the measures under way in
a scope, and the overdue ones (``overdue_measures``: a seizure past its last day without an end, an
emergency seizure the head refused but not released, a preservation without a decision after the
seventh working day, a referral step past its statutory time)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils import timezone

from zhifa.cases.models import Approval, Case
from zhifa.core import access
from zhifa.core.calendars import district_calendar
from zhifa.core.scopes import Scope

from . import facts, rules
from .models import CriminalReferral, EvidencePreservation, MeasureDocument, Seizure, SharedEvidence


@dataclass
class Entry:
    """One measure or referral with its stage and deadlines, as of now."""

    kind: str  # preservation | seizure | referral
    label: str
    record: object
    stage: str
    stage_label: str
    deadlines: list[rules.Deadline]

    @property
    def worst(self) -> str:
        """The most urgent status of its open duties: overdue, warning or ok."""
        statuses = {d.status for d in self.deadlines if d.met is None and not d.optional}
        for status in (rules.Status.OVERDUE, rules.Status.WARNING):
            if status in statuses:
                return status.value
        return rules.Status.OK.value

    @property
    def next_deadline(self) -> rules.Deadline | None:
        open_ = [d for d in self.deadlines if d.met is None and d.status != rules.Status.LAPSED]
        return (
            min(
                open_,
                key=lambda d: (
                    d.due
                    if isinstance(d.due, dt.date) and not isinstance(d.due, dt.datetime)
                    else timezone.localtime(d.due).date()
                ),
            )
            if open_
            else None
        )


@dataclass
class CaseMeasures:
    case: Case
    preservations: list[Entry] = field(default_factory=list)
    seizures: list[Entry] = field(default_factory=list)
    referrals: list[Entry] = field(default_factory=list)
    shared: list[SharedEvidence] = field(default_factory=list)
    documents: list[MeasureDocument] = field(default_factory=list)
    referral_pending: str = ""
    unlinked_referrals: list = field(default_factory=list)

    @property
    def entries(self) -> list[Entry]:
        return [*self.preservations, *self.seizures, *self.referrals]

    @property
    def deadlines(self) -> list[tuple[Entry, rules.Deadline]]:
        return [(entry, d) for entry in self.entries for d in entry.deadlines]

    @property
    def empty(self) -> bool:
        return not (self.entries or self.shared)


def _now() -> dt.datetime:
    return timezone.now()


def preservation_entry(record: EvidencePreservation, now: dt.datetime, calendar) -> Entry:
    f = facts.preservation(record)
    stage = rules.preservation_stage(f)
    return Entry(
        "preservation",
        f"先行登记保存：{_items(record.items)}",
        record,
        stage.value,
        rules.STAGE_LABELS[stage],
        rules.preservation_deadlines(f, now, calendar),
    )


def seizure_entry(record: Seizure, now: dt.datetime) -> Entry:
    f = facts.seizure(record)
    stage = rules.seizure_stage(f, timezone.localtime(now).date())
    label = rules.STAGE_LABELS[stage]
    if stage == rules.Stage.ENDED:
        label = f"已{record.get_end_kind_display()}"
    elif stage == rules.Stage.NOT_APPROVED and record.executed_on:
        label = "负责人不予批准，应立即解除"
    return Entry(
        "seizure",
        f"{record.get_kind_display()}{'（紧急）' if record.emergency else ''}：{_items(record.items)}",
        record,
        stage.value,
        label,
        rules.seizure_deadlines(f, now),
    )


def referral_entry(record: CriminalReferral, now: dt.datetime, calendar) -> Entry:
    f = facts.referral(record)
    stage = rules.referral_stage(f)
    return Entry(
        "referral",
        f"移送涉嫌犯罪案件：{record.suspected_crime[:40]}",
        record,
        stage.value,
        rules.REFERRAL_LABELS[stage],
        rules.referral_deadlines(f, now, calendar),
    )


def _items(items: list[dict]) -> str:
    text = "、".join(f"{i['name']}{i['quantity']}{i['unit']}" for i in items[:3])
    return text + ("等" if len(items) > 3 else "")


def _preservations(queryset):
    return queryset.select_related("approval__decided_by", "notice", "decision_document").prefetch_related(
        "officers"
    )


def _seizures(queryset):
    return queryset.select_related(
        "approval__decided_by", "extension_approval", "decision_document", "extension_notice", "end_document"
    ).prefetch_related("officers")


def _referrals(queryset):
    return queryset.select_related("approval__decided_by", "letter").prefetch_related("team")


def case_measures(user, case: Case) -> CaseMeasures:
    """Everything of the measures app on one case the user sees."""
    now = _now()
    calendar = district_calendar()
    out = CaseMeasures(case=case)
    out.preservations = [
        preservation_entry(r, now, calendar)
        for r in _preservations(access.visible_to(user, EvidencePreservation).filter(case=case))
    ]
    out.seizures = [
        seizure_entry(r, now) for r in _seizures(access.visible_to(user, Seizure).filter(case=case))
    ]
    out.referrals = [
        referral_entry(r, now, calendar)
        for r in _referrals(access.visible_to(user, CriminalReferral).filter(case=case))
    ]
    out.shared = list(
        access.visible_to(user, SharedEvidence)
        .filter(case=case)
        .select_related("source_organization", "evidence")
    )
    out.documents = list(access.visible_to(user, MeasureDocument).filter(case=case))
    out.referral_pending = next(
        filter(None, (rules.referral_pending(facts.referral(e.record)) for e in out.referrals)), ""
    )
    # A referral asked for from the case page itself has no team, report or timeline here.
    linked = [e.record.approval_id for e in out.referrals if e.record.approval_id]
    out.unlinked_referrals = list(
        access.visible_to(user, Approval)
        .filter(case=case, kind=Approval.Kind.CRIMINAL_REFERRAL)
        .exclude(status=Approval.Status.WITHDRAWN)
        .exclude(pk__in=linked)
    )
    return out


def _scoped(actor, model, scope: Scope | None) -> QuerySet:
    if scope is not None:
        return scope.filter(model.objects.all(), "case__organization")
    return access.visible_to(actor, model)


def under_way(actor=None, *, scope: Scope | None = None) -> list[Entry]:
    """Measures and referrals not yet ended, in the actor's scope, the most urgent first."""
    now = _now()
    calendar = district_calendar()
    entries = [
        preservation_entry(r, now, calendar)
        for r in _preservations(
            _scoped(actor, EvidencePreservation, scope).filter(decided_on__isnull=True).select_related("case")
        )
    ]
    entries += [
        seizure_entry(r, now)
        for r in _seizures(
            _scoped(actor, Seizure, scope).filter(ended_on__isnull=True).select_related("case")
        )
    ]
    entries += [
        referral_entry(r, now, calendar)
        for r in _referrals(
            _scoped(actor, CriminalReferral, scope)
            .filter(resumed_on__isnull=True, handed_over_on__isnull=True)
            .select_related("case")
        )
    ]
    entries = [
        e
        for e in entries
        if e.stage not in ("not_approved", "withdrawn") or e.kind == "seizure" and e.record.executed_on
    ]
    order = {"overdue": 0, "warning": 1, "ok": 2}
    return sorted(entries, key=lambda e: (order[e.worst], e.record.case_id, e.kind))


@dataclass(frozen=True)
class Overdue:
    kind: str
    label: str
    case_id: int
    case_number: str
    record_id: int
    due: dt.date | dt.datetime
    article: str


def overdue_measures(
    actor=None, *, scope: Scope | None = None, today: dt.date | None = None
) -> list[Overdue]:
    """Measures past a statutory time without the act that was due, for the supervision side: the
    seizures and preservations are found in SQL by their stored last day; referrals, few, by their
    deadlines."""
    today = today or timezone.localdate()
    out: list[Overdue] = []
    for record in (
        _scoped(actor, Seizure, scope)
        .filter(ended_on__isnull=True)
        .filter(Q(expires_on__lt=today) | Q(emergency=True, approval__status="returned"))
        .select_related("case", "approval")
    ):
        expired = record.expires_on is not None and record.expires_on < today
        out.append(
            Overdue(
                "seizure",
                f"{record.get_kind_display()}期限已届满未解除"
                if expired
                else f"紧急{record.get_kind_display()}未获批准未解除",
                record.case_id,
                record.case.number,
                record.pk,
                record.expires_on if expired else record.approval.decided_on,
                "《行政强制法》第二十五条、第二十八条" if expired else "《行政强制法》第十九条",
            )
        )
    for record in (
        _scoped(actor, EvidencePreservation, scope)
        .filter(decided_on__isnull=True, due_on__lt=today)
        .select_related("case")
    ):
        out.append(
            Overdue(
                "preservation",
                "先行登记保存逾期未作出处理决定",
                record.case_id,
                record.case.number,
                record.pk,
                record.due_on,
                "《行政处罚法》第五十六条、第八十五条",
            )
        )
    now = timezone.make_aware(dt.datetime.combine(today, dt.time(23, 59, 59)))
    calendar = district_calendar()
    for record in _referrals(
        _scoped(actor, CriminalReferral, scope).filter(resumed_on__isnull=True).select_related("case")
    ):
        for d in rules.referral_deadlines(facts.referral(record), now, calendar):
            if d.met is None and d.status == rules.Status.OVERDUE:
                out.append(
                    Overdue(
                        "referral",
                        f"移送涉嫌犯罪案件：{d.label}逾期",
                        record.case_id,
                        record.case.number,
                        record.pk,
                        d.due,
                        d.article,
                    )
                )
    return out
