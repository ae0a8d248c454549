from django.apps import AppConfig


class DiscretionConfig(AppConfig):
    name = "zhifa.discretion"
    label = "discretion"
    verbose_name = "裁量基准"
    api_prefix = "/discretion"
    nav = [("裁量基准", "discretion:baseline_list")]

    def ready(self) -> None:
        from zhifa.catalog.references import register_change_checker

        from . import access  # noqa: F401  (registers the discretion permissions)
        from .selectors import catalog_change_problems

        register_change_checker(catalog_change_problems)
