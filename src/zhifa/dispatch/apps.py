from django.apps import AppConfig


class DispatchConfig(AppConfig):
    name = "zhifa.dispatch"
    label = "dispatch"
    verbose_name = "指挥调度"
    api_prefix = "/dispatch"
