from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo district: the ``load_demo`` command calls each app's own demo loader."""

    name = "zhifa.demo"
    label = "demo"
    verbose_name = "演示数据"
