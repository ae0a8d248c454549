from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "zhifa.catalog"
    label = "catalog"
    verbose_name = "执法事项"
    api_prefix = "/catalog"
    nav = [("事项清单", "catalog:item_list")]

    def ready(self) -> None:
        from . import access  # noqa: F401  (registers the catalog's permissions)
