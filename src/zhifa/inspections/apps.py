from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "zhifa.inspections"
    label = "inspections"
    verbose_name = "检查"
    api_prefix = "/inspections"
