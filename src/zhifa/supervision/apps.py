"""The supervision app's configuration: menu entries, API prefix, permissions, event runs."""

from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "zhifa.supervision"
    label = "supervision"
    verbose_name = "监督预警"
    api_prefix = "/supervision"
    nav = [("监督预警", "supervision:alerts"), ("执法建议/通报", "supervision:notices"),
           ("案卷评查", "supervision:reviews"), ("考评", "supervision:appraisals"),
           ("执法评议", "supervision:campaigns"), ("案件咨询", "supervision:consultations")]

    def ready(self) -> None:
        from . import access, events  # noqa: F401  (access registers supervision's permissions)

        events.connect()
