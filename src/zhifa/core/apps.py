from django.apps import AppConfig

from zhifa.core.nav import GUIDANCE_OFFICE, Entry


class CoreConfig(AppConfig):
    name = "zhifa.core"
    label = "core"
    verbose_name = "基础"
    nav = [Entry("节假日安排", "calendar:year_now", "catalog", order=90, roles=(GUIDANCE_OFFICE,))]

    def ready(self) -> None:
        from django.db.models.signals import pre_save

        from . import access_rules, checks, fieldguard, metrics, security_events  # noqa: F401  (permissions, checks, receivers)

        pre_save.connect(fieldguard.guard_before_save, dispatch_uid="zhifa.core.fieldguard")
        metrics.register_live_collector()
