from django.contrib import admin

from zhifa.core.admin import ReadOnlyAdmin

from .models import ApiKey


@admin.register(ApiKey)
class ApiKeyAdmin(ReadOnlyAdmin):
    """Keys are issued and revoked on the API keys page (audited), not here."""

    list_display = (
        "name",
        "prefix",
        "organization",
        "role",
        "scopes",
        "expires_at",
        "revoked_at",
        "last_used_at",
    )
    exclude = ("key_hash",)
