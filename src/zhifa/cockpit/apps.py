"""The cockpit app's configuration: its menu entry, API prefix and permissions."""

from django.apps import AppConfig

from zhifa.core.nav import (
    COMMAND_CENTER,
    DEPARTMENT_ADMIN,
    GUIDANCE_OFFICE,
    HEAD,
    SUPERVISOR,
    TOWNSHIP_LEADER,
    Entry,
)


class CockpitConfig(AppConfig):
    name = "zhifa.cockpit"
    label = "cockpit"
    verbose_name = "驾驶舱"
    api_prefix = "/cockpit"
    nav_group = "cockpit"
    nav = [
        Entry(
            "驾驶舱",
            "cockpit:index",
            "cockpit",
            roles=(COMMAND_CENTER, GUIDANCE_OFFICE, SUPERVISOR, TOWNSHIP_LEADER, HEAD, DEPARTMENT_ADMIN),
        )
    ]

    def ready(self) -> None:
        from . import access  # noqa: F401  (registers the cockpit's permissions)
