from django.contrib import admin

from zhifa.core.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import CircumstanceLevel, DiscretionBaseline, FlexibleListEntry


class LevelInline(ReadOnlyInline):
    model = CircumstanceLevel


@admin.register(DiscretionBaseline)
class DiscretionBaselineAdmin(ReadOnlyAdmin):
    """Read-only: baselines are written through the services (validated, audited)."""

    list_display = ("item", "version", "status", "effective_from", "effective_to", "published_on")
    list_filter = ("status",)
    search_fields = ("item__code", "item__name")
    raw_id_fields = ("item", "created_by", "approved_by")
    inlines = [LevelInline]


@admin.register(FlexibleListEntry)
class FlexibleListEntryAdmin(ReadOnlyAdmin):
    list_display = ("title", "kind", "item", "first_offence_waiver", "effective_from", "effective_to")
    list_filter = ("kind", "first_offence_waiver")
    search_fields = ("title", "item__code", "item__name")
    raw_id_fields = ("item", "created_by")
