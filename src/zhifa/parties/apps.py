from django.apps import AppConfig


class PartiesConfig(AppConfig):
    name = "zhifa.parties"
    label = "parties"
    verbose_name = "监管对象"
    api_prefix = "/parties"
    nav = [("监管对象", "parties:party_list")]

    def ready(self) -> None:
        from . import access  # noqa: F401  (registers the parties' permissions)
