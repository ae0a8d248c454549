"""Read-mostly admin views of inspection data; writes go through the services (audited)."""

from django.contrib import admin

from zhifa.core.admin import ReadOnlyAdmin

from .models import ActionCode, InspectionPlan, InspectionRecord, InspectionTask, JointInspection, RandomDraw


@admin.register(InspectionPlan)
class InspectionPlanAdmin(ReadOnlyAdmin):
    list_display = ("name", "department", "period_start", "period_end", "state")
    list_filter = ("state",)


@admin.register(RandomDraw)
class RandomDrawAdmin(ReadOnlyAdmin):
    list_display = ("plan", "draw_day", "seed", "inputs_digest", "published_at")


@admin.register(InspectionTask)
class InspectionTaskAdmin(ReadOnlyAdmin):
    list_display = ("party", "department", "window_start", "window_end", "state")
    list_filter = ("state",)
    list_select_related = ("party", "department")


@admin.register(JointInspection)
class JointInspectionAdmin(ReadOnlyAdmin):
    list_display = ("party", "day", "state")
    list_select_related = ("party",)


@admin.register(InspectionRecord)
class InspectionRecordAdmin(ReadOnlyAdmin):
    list_display = ("party", "department", "started_at", "outcome")
    list_select_related = ("party", "department")


@admin.register(ActionCode)
class ActionCodeAdmin(ReadOnlyAdmin):
    list_display = ("pk", "visit", "record", "rating", "rated_at")
