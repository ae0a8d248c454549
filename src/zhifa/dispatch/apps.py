from django.apps import AppConfig


class DispatchConfig(AppConfig):
    name = "zhifa.dispatch"
    label = "dispatch"
    verbose_name = "指挥调度"
    api_prefix = "/dispatch"
    nav = [("指挥调度", "dispatch:queue"), ("我的任务", "dispatch:my_tasks")]

    def ready(self):
        from zhifa.catalog.references import register_open_reference_checker

        register_open_reference_checker(_open_incidents_citing)


def _open_incidents_citing(item_id: int) -> int:
    from . import rules
    from .models import Incident

    return Incident.objects.filter(item_id=item_id, state__in=rules.OPEN_STATES).count()
