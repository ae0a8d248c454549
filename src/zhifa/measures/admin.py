from django.contrib import admin

from zhifa.core.admin import ReadOnlyAdmin

from .models import CriminalReferral, EvidencePreservation, MeasureDocument, Seizure, SharedEvidence


@admin.register(EvidencePreservation)
class PreservationAdmin(ReadOnlyAdmin):
    list_display = ("id", "case", "preserved_on", "due_on", "decided_on")


@admin.register(Seizure)
class SeizureAdmin(ReadOnlyAdmin):
    list_display = ("id", "case", "kind", "executed_on", "expires_on", "ended_on", "end_kind")


@admin.register(CriminalReferral)
class ReferralAdmin(ReadOnlyAdmin):
    list_display = ("id", "case", "reported_on", "transferred_at", "answer", "resumed_on")


@admin.register(SharedEvidence)
class SharedEvidenceAdmin(ReadOnlyAdmin):
    list_display = ("id", "case", "source_organization", "source_case_number", "sha256")


@admin.register(MeasureDocument)
class MeasureDocumentAdmin(ReadOnlyAdmin):
    list_display = ("number", "kind", "case", "dated")
