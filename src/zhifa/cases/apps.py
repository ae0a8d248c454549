from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "zhifa.cases"
    label = "cases"
    verbose_name = "办案"
    api_prefix = "/cases"
    nav = [("案件", "cases:list"), ("现场办案", "cases:open_on_spot")]

    def ready(self) -> None:
        from zhifa.catalog.references import register_open_reference_checker

        from .selectors import open_cases_for_item

        register_open_reference_checker(open_cases_for_item)
