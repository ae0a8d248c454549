"""The cockpit app's configuration: its menu entry, API prefix and permissions."""

from django.apps import AppConfig


class CockpitConfig(AppConfig):
    name = "zhifa.cockpit"
    label = "cockpit"
    verbose_name = "驾驶舱"
    api_prefix = "/cockpit"
    nav = [("驾驶舱", "cockpit:index")]

    def ready(self) -> None:
        from . import access  # noqa: F401  (registers the cockpit's permissions)
