"""Read-only admin: catalog writes go through the services, so that each one is checked and audited."""

from django.contrib import admin

from zhifa.core.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import CatalogRevision, Claim, Domain, EnforcementItem, ItemHistory, LegalBasis, RevisionChange


class LegalBasisInline(ReadOnlyInline):
    model = LegalBasis


class ClaimInline(ReadOnlyInline):
    model = Claim
    fields = ("level", "region", "organization", "claimed_at")
    readonly_fields = fields


@admin.register(Domain)
class DomainAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "sort_order")


@admin.register(EnforcementItem)
class EnforcementItemAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "kind", "domain", "enforcing_body", "township_library", "status")
    list_filter = ("status", "kind", "enforcing_body", "township_library", "key_supervision", "domain")
    search_fields = ("code", "name", "keywords")
    list_select_related = ("domain",)
    inlines = [LegalBasisInline, ClaimInline]


class RevisionChangeInline(ReadOnlyInline):
    model = RevisionChange


@admin.register(CatalogRevision)
class CatalogRevisionAdmin(ReadOnlyAdmin):
    list_display = ("title", "reason", "effective_on", "state")
    list_filter = ("state", "reason")
    inlines = [RevisionChangeInline]


@admin.register(ItemHistory)
class ItemHistoryAdmin(ReadOnlyAdmin):
    list_display = ("code", "valid_from", "valid_to", "retired")
    search_fields = ("code",)
