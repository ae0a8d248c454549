"""The reports app's configuration: menu entry, API prefix, permissions."""

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "zhifa.reports"
    label = "reports"
    verbose_name = "改革报告"
    api_prefix = "/reports"
    nav = [("改革报告", "reports:list")]

    def ready(self) -> None:
        from . import access  # noqa: F401  (registers the permissions of the reports)
