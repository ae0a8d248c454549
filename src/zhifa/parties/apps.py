from django.apps import AppConfig

from zhifa.core.nav import (
    COMMAND_CENTER,
    DEPARTMENT_ADMIN,
    GUIDANCE_OFFICE,
    HEAD,
    OFFICER,
    SUPERVISOR,
    TOWNSHIP_LEADER,
    Entry,
)


class PartiesConfig(AppConfig):
    name = "zhifa.parties"
    label = "parties"
    verbose_name = "监管对象"
    api_prefix = "/parties"
    nav_group = "catalog"
    nav = [
        Entry(
            "监管对象",
            "parties:party_list",
            "catalog",
            order=15,
            roles=(
                OFFICER,
                DEPARTMENT_ADMIN,
                TOWNSHIP_LEADER,
                GUIDANCE_OFFICE,
                COMMAND_CENTER,
                SUPERVISOR,
                HEAD,
            ),
        )
    ]
    audit_labels = {
        "party.create": "新增监管对象",
        "party.update": "修改监管对象",
        "party.credit_facts": "更新信用信息",
        "party.risk_color": "评定风险等级",
        "party.risk_recompute_all": "重新评定全部风险等级",
        "party.risk_config": "修改风险评定规则",
        "party.demo_load": "载入演示监管对象",
        "party.eservice_consent_revoked": "撤回电子送达同意",
        "party.risk_config_replaced": "替换风险评定规则",
        "party.risk_config_scheduled": "预定风险评定规则",
    }

    def ready(self) -> None:
        from . import access  # noqa: F401  (registers this app's part of the access policy)
