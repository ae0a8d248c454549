from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "zhifa.core"
    label = "core"
    verbose_name = "基础"

    def ready(self) -> None:
        from django.db.models.signals import pre_save

        from . import access_rules, checks, fieldguard, metrics, security_events  # noqa: F401  (permissions, checks, receivers)

        pre_save.connect(fieldguard.guard_before_save, dispatch_uid="zhifa.core.fieldguard")
        metrics.register_live_collector()
