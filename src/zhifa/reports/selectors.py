"""Reads of the reports app, through the access policy."""

from __future__ import annotations

from django.db.models import QuerySet

from zhifa.core import access

from .models import ReportRun


def runs(actor) -> QuerySet[ReportRun]:
    return access.visible_to(actor, ReportRun).select_related("requested_by")


def get_run(actor, run_id) -> ReportRun:
    return access.get_visible(actor, ReportRun.objects.select_related("requested_by"), run_id)
