"""Read-only admin: case writes go through ``services.transition`` and the other services, so
that each one is checked against the law and audited."""

from django.contrib import admin

from zhifa.core.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import Case, CaseEvent, CaseOfficer, Document, Evidence, Payment, RemedyOutcome


class OfficerInline(ReadOnlyInline):
    model = CaseOfficer


class EventInline(ReadOnlyInline):
    model = CaseEvent


class EvidenceInline(ReadOnlyInline):
    model = Evidence


class DocumentInline(ReadOnlyInline):
    model = Document


class PaymentInline(ReadOnlyInline):
    model = Payment


class RemedyInline(ReadOnlyInline):
    model = RemedyOutcome


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ("number", "organization", "party", "item", "procedure", "state", "decided_fine")
    list_filter = ("state", "procedure")
    search_fields = ("number", "party__name")
    inlines = [OfficerInline, EventInline, EvidenceInline, DocumentInline, PaymentInline, RemedyInline]
