"""The training app's configuration: menu entry, API prefix, permissions."""

from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "zhifa.training"
    label = "training"
    verbose_name = "执法保障·培训"
    api_prefix = "/training"
    nav = [("培训", "training:plans")]

    def ready(self) -> None:
        from . import access  # noqa: F401  (registers the permissions of training)
