from django.apps import AppConfig

from zhifa.core.nav import DEPARTMENT_ADMIN, OFFICER, TOWNSHIP_LEADER, Entry

AUDIT_LABELS = {
    "approval.check_done": "完成批后监管",
    "approval.receive": "接收审批信息",
    "integrations.replay": "重放状态回调",
}


class IntegrationsConfig(AppConfig):
    audit_labels = AUDIT_LABELS
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
        from zhifa.api.models import ApiKey
        from zhifa.core import refdata
        from zhifa.dispatch import events

        from . import (
            access,  # noqa: F401  (registers the integrations' permissions)
            services,
            supervision,
        )
        from .models import Subscriber

        events.listen(services.on_incident_event)
        supervision.register_rules()
        refdata.watch(Subscriber, ApiKey)  # services.subscribers_for keeps them
