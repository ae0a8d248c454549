from django.apps import AppConfig


class SmartConfig(AppConfig):
    name = "zhifa.smart"
    label = "smart"
    verbose_name = "智慧执法"
    api_prefix = "/smart"
    #: One entry for the party desk, non-site enforcement and campaigns (their pages link each other).
    nav = [("智慧执法", "smart:events")]

    def ready(self) -> None:
        from . import access  # noqa: F401  (registers this app's part of the access policy)
