from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "zhifa.organizations"
    label = "organizations"
    verbose_name = "执法力量"
