"""The indicators app's configuration: menu entry, API prefix, permissions."""

from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "zhifa.indicators"
    label = "indicators"
    verbose_name = "改革指标"
    api_prefix = "/indicators"
    nav = [("改革指标", "indicators:index")]

    def ready(self) -> None:
        from . import access  # noqa: F401  (registers the permissions of the indicators)
