from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "zhifa.core"
    label = "core"
    verbose_name = "基础"

    def ready(self) -> None:
        # Registers the core's permissions and the calendar's system check.
        from . import access_rules, checks  # noqa: F401
