"""The decision period of 行政处罚法 art. 60 in SQL, defined once for every reader (the cockpit's
on-time and late figures, the body appraisal's 案件按期决定率): a decision is late when it came
more than 90 calendar days after filing plus the approved extensions, the last day rolled forward
off rest days (民事诉讼法 art. 85). Most cases are decided by SQL alone; for the few decided within
the possible roll-forward after the limit, the district's working-day calendar decides.
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property

from django.db.models import F, Func, IntegerField, Q, Value
from django.db.models.lookups import GreaterThan

from zhifa.cases import selectors as cases
from zhifa.cases.models import FINED_STATES
from zhifa.core.scopes import Scope

from .base import DaysBetween

#: The deadline rolls forward off rest days (民事诉讼法 art. 85); no run of rest days is longer.
ROLL_FORWARD_MAX_DAYS = 15


class ExtensionDays(Func):
    """Sum of ``days`` over the JSON list ``Case.extensions`` (approved extensions, art. 60)."""

    output_field = IntegerField()

    def as_sql(self, compiler, connection, **extra):  # SQLite (the embedded default)
        column, params = compiler.compile(self.source_expressions[0])
        return (
            f"(SELECT COALESCE(SUM(json_extract(e.value, '$.days')), 0) FROM json_each({column}) e)",
            params,
        )

    def as_postgresql(self, compiler, connection, **extra):
        # Most cases have no extension: skip the per-row subquery for an empty list.
        column, params = compiler.compile(self.source_expressions[0])
        return (
            f"(CASE WHEN {column} IS NULL OR {column} = '[]'::jsonb THEN 0 ELSE "
            f"(SELECT COALESCE(SUM((e->>'days')::int), 0) FROM jsonb_array_elements({column}) e) END)",
            [*params, *params, *params],
        )


def decided_with_filing() -> Q:
    return Q(state__in=FINED_STATES, decision_date__isnull=False, filing_date__isnull=False)


class DecisionPeriod:
    """Lateness of the decisions of ``scope`` as judged on ``today`` (the borderline cases are
    looked up once per instance)."""

    def __init__(self, scope: Scope, today: dt.date):
        self.scope, self.today = scope, today

    @cached_property
    def case_config(self):
        from zhifa.cases.services import (
            case_config,  # configuration data only: reads settings, writes nothing
        )

        return case_config()

    def elapsed(self):
        return DaysBetween(F("filing_date"), F("decision_date"))

    def allowed(self):
        return Value(self.case_config.decision_days) + ExtensionDays(F("extensions"))

    def past_decision_days(self) -> Q:
        """More than 90 days from filing to decision: implied by lateness (extensions only add days),
        and cheap — the expression index ``case_decision_elapsed`` finds these few cases without
        summing every case's extensions (a province's 300,000 decided cases)."""
        return Q(GreaterThan(self.elapsed(), Value(self.case_config.decision_days)))

    @cached_property
    def borderline_late_ids(self) -> list[int]:
        """Decided cases past 90 days (+ extensions) but within a roll-forward of it: the working-day
        calendar decides whether the last day had rolled forward past the decision (art. 60)."""
        calendar = self.case_config.calendar
        rows = (
            cases.case_list(None, scope=self.scope)
            .filter(decided_with_filing(), self.past_decision_days())
            .annotate(elapsed=self.elapsed(), allowed=self.allowed())
            .filter(elapsed__gt=F("allowed"), elapsed__lte=F("allowed") + ROLL_FORWARD_MAX_DAYS)
            .values_list("pk", "filing_date", "decision_date", "allowed")
            .order_by()
        )
        return [
            pk for pk, filed, decided, allowed in rows if decided > calendar.calendar_deadline(filed, allowed)
        ]

    def late(self) -> Q:
        """Decided after the art. 60 period (see the module)."""
        sure = GreaterThan(self.elapsed(), self.allowed() + ROLL_FORWARD_MAX_DAYS)
        return (
            decided_with_filing() & self.past_decision_days() & (Q(sure) | Q(pk__in=self.borderline_late_ids))
        )
