"""The core's own part of the access policy (``zhifa.core.access``): who keeps the district's
working-day calendar.

The core imports no domain app, so the roles are named by their strings; they are the values of
``zhifa.organizations.models.User.Role`` (a test checks that they stay so).
"""

from __future__ import annotations

from . import access
from .models import HolidayOverride

#: ``User.Role.GUIDANCE_OFFICE``: 区综合行政执法指导办公室, which coordinates the district's enforcement.
GUIDANCE_OFFICE = "guidance_office"

MANAGE_CALENDAR = "core.manage_calendar"

access.permission(
    MANAGE_CALENDAR,
    "维护节假日安排",
    (GUIDANCE_OFFICE, access.ADMIN),
    basis="《全国年节及纪念日放假办法》第二条、第六条、第七条；国务院办公厅每年的部分节假日安排通知",
)


@access.register_visibility(HolidayOverride)
def _holiday_overrides(actor, queryset):
    return queryset  # the calendar is public knowledge: every deadline of the district depends on it
