"""Read-only admin of the provincial library and the publication time limits."""

from django.contrib import admin

from zhifa.core.admin import ReadOnlyAdmin

from .models import LibraryImport, ProvincialItem, PublicationLimit

for model in (LibraryImport, ProvincialItem, PublicationLimit):
    admin.site.register(model, ReadOnlyAdmin)
