from django.apps import AppConfig

from zhifa.core.nav import DEPARTMENT_ADMIN, GUIDANCE_OFFICE, SUPERVISOR, TOWNSHIP_LEADER, Entry


class CatalogConfig(AppConfig):
    name = "zhifa.catalog"
    label = "catalog"
    verbose_name = "执法事项"
    api_prefix = "/catalog"
    nav_group = "catalog"
    nav = [
        Entry("事项清单", "catalog:item_list", "catalog", order=10),
        Entry(
            "乡镇（街道）清单",
            "catalog:township_home",
            "catalog",
            order=20,
            roles=(TOWNSHIP_LEADER, GUIDANCE_OFFICE),
        ),
        Entry(
            "认领情况",
            "catalog:claims_report",
            "catalog",
            order=30,
            roles=(DEPARTMENT_ADMIN, TOWNSHIP_LEADER, GUIDANCE_OFFICE),
        ),
        Entry(
            "清单动态调整",
            "catalog:revision_list",
            "catalog",
            order=40,
            roles=(DEPARTMENT_ADMIN, GUIDANCE_OFFICE),
        ),
        Entry("事项指标", "catalog:indicators", "catalog", order=50, roles=(GUIDANCE_OFFICE, SUPERVISOR)),
    ]
    audit_labels = {
        "item.create": "新增执法事项",
        "item.update": "修改执法事项",
        "item.retire": "取消执法事项",
        "item.reinstate": "恢复执法事项",
        "item.publish": "公示执法事项",
        "claim.create": "认领事项",
        "claim.withdraw": "撤回认领",
        "township_choice.add": "乡镇选择自选事项",
        "township_choice.remove": "乡镇取消自选事项",
        "revision.propose": "提出清单调整",
        "revision.approve": "审批清单调整",
        "revision.apply": "清单调整生效",
        "catalog.load": "导入执法事项清单",
        "catalog.import_check": "校验事项清单导入",
        "catalog.import_commit": "确认导入事项清单",
        "item.transfer": "事项划转",
        "revision.reject": "退回清单调整",
    }

    def ready(self) -> None:
        from . import access  # noqa: F401  (registers this app's part of the access policy)
