from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "zhifa.portal"
    label = "portal"
    verbose_name = "公众门户"
    api_prefix = "/portal"
    nav = [("政务公开", "portal:staff_decisions")]
