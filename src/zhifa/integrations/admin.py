from django.contrib import admin

from zhifa.core.admin import ReadOnlyAdmin

from .models import InboundClient, Subscriber


@admin.register(Subscriber)
class SubscriberAdmin(ReadOnlyAdmin):
    """Callback receivers. The signing secret is made by ``manage.py create_webhook_client`` and
    shown once; it is not editable here."""

    list_display = ("name", "organization", "adapter", "url", "is_active")
    list_filter = ("adapter", "is_active")
    fields = ("name", "organization", "url", "adapter", "events", "is_active")

    def has_add_permission(self, request):
        return False


@admin.register(InboundClient)
class InboundClientAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "is_active", "created_at")
    fields = ("code", "name", "is_active")

    def has_add_permission(self, request):
        return False
