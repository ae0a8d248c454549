from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "zhifa.inspections"
    label = "inspections"
    verbose_name = "检查"
    api_prefix = "/inspections"
    nav = [("我的检查", "inspections:my_work"), ("检查计划", "inspections:plan_list"), ("综合查一次", "inspections:visit_list"),
           ("检查记录", "inspections:record_list")]

    def ready(self):
        from zhifa.catalog.references import register_open_reference_checker
        from zhifa.parties.services import register_facts_provider

        from . import selectors

        register_open_reference_checker(selectors.open_plan_references)
        register_facts_provider(selectors.failed_inspection_facts)
        from . import access  # noqa: F401  (registers the inspections' permissions)
