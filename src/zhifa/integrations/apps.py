from django.apps import AppConfig

from zhifa.core.nav import DEPARTMENT_ADMIN, OFFICER, TOWNSHIP_LEADER, Entry


class IntegrationsConfig(AppConfig):
    name = "zhifa.integrations"
    label = "integrations"
    verbose_name = "系统对接"
    api_prefix = "/integrations"
    nav = [
        Entry(
            "批后监管",
            "integrations:post_approval_checks",
            "inspect",
            order=60,
            roles=(OFFICER, TOWNSHIP_LEADER, DEPARTMENT_ADMIN),
        )
    ]

    def ready(self):
        from zhifa.dispatch import events

        from . import (
            access,  # noqa: F401  (registers the integrations' permissions)
            services,
            supervision,
        )

        events.listen(services.on_incident_event)
        supervision.register_rules()
