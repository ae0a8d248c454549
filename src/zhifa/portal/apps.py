from django.apps import AppConfig

from zhifa.core.nav import DEPARTMENT_ADMIN, GUIDANCE_OFFICE, HEAD, LEGAL_REVIEWER, SUPERVISOR, Entry


class PortalConfig(AppConfig):
    name = "zhifa.portal"
    label = "portal"
    verbose_name = "公众门户"
    api_prefix = "/portal"
    nav_group = "cases"
    nav = [
        Entry(
            "处罚决定公开",
            "portal:staff_decisions",
            "cases",
            order=40,
            roles=(HEAD, LEGAL_REVIEWER, DEPARTMENT_ADMIN, GUIDANCE_OFFICE, SUPERVISOR),
        )
    ]
    audit_labels = {"decision.publish": "公开处罚决定", "decision.withdraw": "撤回公开的处罚决定"}

    def ready(self) -> None:
        from . import access  # noqa: F401  (registers who publishes decisions)
