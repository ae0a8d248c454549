"""Read-only admin views of the portal's data; writes go through the services (audited)."""

from django.contrib import admin

from zhifa.core.admin import ReadOnlyAdmin

from .models import PublicReport, PublishedDecision


@admin.register(PublishedDecision)
class PublishedDecisionAdmin(ReadOnlyAdmin):
    list_display = (
        "document_number",
        "party_label",
        "item_name",
        "decision_date",
        "published_at",
        "withdrawn_at",
    )
    search_fields = ("document_number", "party_label", "item_code")


@admin.register(PublicReport)
class PublicReportAdmin(ReadOnlyAdmin):
    list_display = ("incident", "sha256", "created_at")
