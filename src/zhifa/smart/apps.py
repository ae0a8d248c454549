from django.apps import AppConfig


class SmartConfig(AppConfig):
    name = "zhifa.smart"
    label = "smart"
    verbose_name = "智慧执法"
    api_prefix = "/smart"
    nav = [("非现场执法", "smart:events"), ("专项行动", "smart:campaigns")]

    def ready(self) -> None:
        from . import access  # noqa: F401  (registers this app's part of the access policy)
