"""Read-only admin of the report runs."""

from django.contrib import admin

from zhifa.core.admin import ReadOnlyAdmin

from .models import ReportRun

admin.site.register(ReportRun, ReadOnlyAdmin)
