from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "zhifa.integrations"
    label = "integrations"
    verbose_name = "系统对接"
    api_prefix = "/integrations"
    nav = [("批后监管", "integrations:post_approval_checks")]

    def ready(self):
        from zhifa.dispatch import events

        from . import (
            access,  # noqa: F401  (registers the integrations' permissions)
            services,
            supervision,
        )

        events.listen(services.on_incident_event)
        supervision.register_rules()
