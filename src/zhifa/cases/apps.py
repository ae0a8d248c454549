from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "zhifa.cases"
    label = "cases"
    verbose_name = "办案"
    api_prefix = "/cases"
    nav = [("案件", "cases:list"), ("现场办案", "cases:open_on_spot"), ("审批待办", "cases:approvals"),
           ("法制审核", "cases:reviews")]

    def ready(self) -> None:
        from zhifa.catalog.references import register_open_reference_checker

        from . import access  # noqa: F401  (registers the cases' permissions)
        from .selectors import open_cases_for_item

        register_open_reference_checker(open_cases_for_item)
