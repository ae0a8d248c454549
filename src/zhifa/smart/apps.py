from django.apps import AppConfig

from zhifa.core.nav import (
    COMMAND_CENTER,
    DEPARTMENT_ADMIN,
    GUIDANCE_OFFICE,
    LEGAL_REVIEWER,
    OFFICER,
    TOWNSHIP_LEADER,
    Entry,
)


class SmartConfig(AppConfig):
    name = "zhifa.smart"
    label = "smart"
    verbose_name = "智慧执法"
    api_prefix = "/smart"
    #: One entry for the party desk, non-site enforcement and campaigns (their pages link each other).
    nav = [
        Entry(
            "智慧执法",
            "smart:events",
            "inspect",
            order=70,
            roles=(
                OFFICER,
                DEPARTMENT_ADMIN,
                COMMAND_CENTER,
                GUIDANCE_OFFICE,
                TOWNSHIP_LEADER,
                LEGAL_REVIEWER,
            ),
        )
    ]

    def ready(self) -> None:
        from . import access  # noqa: F401  (registers this app's part of the access policy)
