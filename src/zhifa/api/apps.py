from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "zhifa.api"
    label = "api"
    verbose_name = "接口"
    audit_labels = {"api_key.create": "签发接口密钥", "api_key.revoke": "吊销接口密钥"}

    def ready(self) -> None:
        from zhifa.core import refdata
        from zhifa.organizations.models import Organization, Region

        from . import access  # noqa: F401  (who manages API keys)
        from .models import ApiKey

        refdata.watch(ApiKey, Organization, Region)  # the keys security.ApiKeyAuth keeps
