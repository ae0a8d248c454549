from django.apps import AppConfig


class DiscretionConfig(AppConfig):
    name = "zhifa.discretion"
    label = "discretion"
    verbose_name = "裁量基准"
    api_prefix = "/discretion"
    nav = [("裁量基准", "discretion:baseline_list")]
