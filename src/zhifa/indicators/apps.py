"""The indicators app's configuration: menu entry, API prefix, permissions."""

from django.apps import AppConfig

from zhifa.core.nav import (
    COMMAND_CENTER,
    DEPARTMENT_ADMIN,
    GUIDANCE_OFFICE,
    HEAD,
    SUPERVISOR,
    TOWNSHIP_LEADER,
    Entry,
)

AUDIT_LABELS = {
    "indicators.library.import": "导入省权力事项库",
    "indicators.publication_limit.set": "设定处罚决定公开时限",
}


class IndicatorsConfig(AppConfig):
    audit_labels = AUDIT_LABELS
    name = "zhifa.indicators"
    label = "indicators"
    verbose_name = "改革指标"
    api_prefix = "/indicators"
    nav = [
        Entry(
            "改革指标",
            "indicators:index",
            "supervise",
            order=5,
            roles=(GUIDANCE_OFFICE, SUPERVISOR, COMMAND_CENTER, DEPARTMENT_ADMIN, TOWNSHIP_LEADER, HEAD),
        )
    ]

    def ready(self) -> None:
        from . import access  # noqa: F401  (registers the permissions of the indicators)
