"""The training app's configuration: menu entry, API prefix, permissions."""

from django.apps import AppConfig

from zhifa.core.nav import DEPARTMENT_ADMIN, GUIDANCE_OFFICE, HEAD, OFFICER, TOWNSHIP_LEADER, Entry


class TrainingConfig(AppConfig):
    name = "zhifa.training"
    label = "training"
    verbose_name = "执法保障·培训"
    api_prefix = "/training"
    nav = [
        Entry(
            "培训",
            "training:plans",
            "roster",
            order=60,
            roles=(DEPARTMENT_ADMIN, TOWNSHIP_LEADER, GUIDANCE_OFFICE, OFFICER, HEAD),
        )
    ]

    def ready(self) -> None:
        from . import access  # noqa: F401  (registers the permissions of training)
