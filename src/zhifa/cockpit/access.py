"""The cockpit's part of the access policy (``zhifa.core.access``). Every role looks at the cockpit
of its own data scope — the scope, not the role, decides what the figures count — and may ask
for a recomputation (limited per scope by ``services.MANUAL_INTERVAL``)."""

from zhifa.core import access
from zhifa.organizations.models import User

from .models import Snapshot

EVERY_ROLE = (*User.Role.values, access.ADMIN)


@access.register_visibility(Snapshot)
def _snapshots(actor, queryset):
    return queryset.none()  # read through the user's own scope key only (``selectors.stored``)


access.permission("cockpit.view", "查看驾驶舱", EVERY_ROLE)
access.permission("cockpit.refresh", "刷新驾驶舱数据", EVERY_ROLE)
