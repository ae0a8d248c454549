from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "zhifa.organizations"
    label = "organizations"
    verbose_name = "执法力量"
    api_prefix = "/"
    nav = [("执法人员", "organizations:officer_list"), ("机构", "organizations:organization_tree")]

    def ready(self) -> None:
        from . import access  # noqa: F401  (registers the roster's permissions)
