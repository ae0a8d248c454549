from django.apps import AppConfig

from zhifa.core.nav import (
    DEPARTMENT_ADMIN,
    GUIDANCE_OFFICE,
    HEAD,
    LEGAL_REVIEWER,
    OFFICER,
    SUPERVISOR,
    TOWNSHIP_LEADER,
    Entry,
)


class DiscretionConfig(AppConfig):
    name = "zhifa.discretion"
    label = "discretion"
    verbose_name = "裁量基准"
    api_prefix = "/discretion"
    nav_group = "cases"
    nav = [
        Entry(
            "裁量基准",
            "discretion:baseline_list",
            "cases",
            order=30,
            roles=(
                OFFICER,
                HEAD,
                LEGAL_REVIEWER,
                DEPARTMENT_ADMIN,
                TOWNSHIP_LEADER,
                GUIDANCE_OFFICE,
                SUPERVISOR,
            ),
        )
    ]
    audit_labels = {
        "baseline.create": "新增裁量基准",
        "baseline.supersede": "修订裁量基准",
        "baseline.approve": "审批裁量基准",
        "flexible_entry.create": "新增柔性执法清单条目",
        "flexible_entry.approve": "审批柔性执法清单条目",
        "flexible_entry.revise": "修订柔性执法清单条目",
        "flexible_entry.supersede": "替换柔性执法清单条目",
    }

    def ready(self) -> None:
        from zhifa.catalog.references import register_change_checker

        from . import access  # noqa: F401  (registers the discretion permissions)
        from .selectors import catalog_change_problems

        register_change_checker(catalog_change_problems)
