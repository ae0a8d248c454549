"""Admin pieces shared by the apps: records change through services (validated, audited), never
the admin. Every ModelAdmin of a zhifa model is read-only (tests/core/test_admin_read_only.py)."""

from django.contrib import admin

from .models import AuditEvent


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    actions = None  # no bulk "delete selected"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = (
        "seq",
        "at",
        "actor_name",
        "organization_name",
        "action",
        "object_type",
        "object_id",
        "request_id",
    )
    list_filter = ("action",)
    search_fields = ("object_type", "object_id", "actor_name", "request_id")
    show_full_result_count = False
