"""The reports app's configuration: menu entry, API prefix, permissions."""

from django.apps import AppConfig

from zhifa.core.nav import COMMAND_CENTER, GUIDANCE_OFFICE, SUPERVISOR, Entry

AUDIT_LABELS = {"reports.done": "改革报告生成完成", "reports.request": "申请生成改革报告"}


class ReportsConfig(AppConfig):
    audit_labels = AUDIT_LABELS
    name = "zhifa.reports"
    label = "reports"
    verbose_name = "改革报告"
    api_prefix = "/reports"
    nav = [
        Entry(
            "改革报告",
            "reports:list",
            "supervise",
            order=70,
            roles=(GUIDANCE_OFFICE, COMMAND_CENTER, SUPERVISOR),
        )
    ]

    def ready(self) -> None:
        from . import access  # noqa: F401  (registers the permissions of the reports)
