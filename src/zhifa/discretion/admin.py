from django.contrib import admin

from .models import CircumstanceLevel, DiscretionBaseline, FlexibleListEntry


class LevelInline(admin.TabularInline):
    model = CircumstanceLevel
    extra = 0


@admin.register(DiscretionBaseline)
class DiscretionBaselineAdmin(admin.ModelAdmin):
    """Read-mostly: baselines are written through the services (validated, audited)."""

    list_display = ("item", "version", "status", "effective_from", "effective_to", "published_on")
    list_filter = ("status",)
    search_fields = ("item__code", "item__name")
    raw_id_fields = ("item", "created_by", "approved_by")
    inlines = [LevelInline]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(FlexibleListEntry)
class FlexibleListEntryAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "item", "first_offence_waiver", "effective_from", "effective_to")
    list_filter = ("kind", "first_offence_waiver")
    search_fields = ("title", "item__code", "item__name")
    raw_id_fields = ("item", "created_by")

    def has_change_permission(self, request, obj=None):
        return False
