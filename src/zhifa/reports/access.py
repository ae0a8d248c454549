"""The reports' part of the access policy: the district's reform reports are made and read by the
district's coordinating roles (the guidance office, the command centre, supervisors)."""

from zhifa.core import access
from zhifa.organizations.models import User

from .models import ReportRun

R = User.Role
READERS = (R.GUIDANCE_OFFICE, R.COMMAND_CENTER, R.SUPERVISOR, access.ADMIN)


@access.register_visibility(ReportRun)
def _runs(actor, queryset):
    return queryset if access.has_role(actor, *READERS) else queryset.none()


access.permission(
    "reports.generate",
    "生成改革月度、年度报告",
    READERS,
    basis="方案 四（三）：统筹运用好督查、晾晒、评价、考核机制，开展综合评估",
)
