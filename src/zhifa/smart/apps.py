from django.apps import AppConfig

from zhifa.core.nav import (
    COMMAND_CENTER,
    DEPARTMENT_ADMIN,
    GUIDANCE_OFFICE,
    OFFICER,
    TOWNSHIP_LEADER,
    Entry,
)

AUDIT_LABELS = {
    "smart.campaign_close": "结束专项行动",
    "smart.campaign_create": "创建专项行动",
    "smart.campaign_plan": "编排专项行动",
    "smart.campaign_result": "填报专项行动结果",
    "smart.device_check": "电子监控设备检定",
    "smart.device_key_rotated": "更换设备签名密钥",
    "smart.device_legal_review": "电子监控设备法制审核",
    "smart.device_publish": "公布电子监控设备",
    "smart.device_register": "登记电子监控设备",
    "smart.device_retire": "停用电子监控设备",
    "smart.event_accepted": "采用非现场执法记录",
    "smart.event_discarded": "不予采用非现场执法记录",
}


class SmartConfig(AppConfig):
    audit_labels = AUDIT_LABELS
    name = "zhifa.smart"
    label = "smart"
    verbose_name = "智慧执法"
    api_prefix = "/smart"
    #: One entry for the party desk, non-site enforcement and campaigns (their pages link each other).
    nav = [
        Entry(
            "智慧执法",
            "smart:events",
            "inspect",
            order=70,
            roles=(
                OFFICER,
                DEPARTMENT_ADMIN,
                COMMAND_CENTER,
                GUIDANCE_OFFICE,
                TOWNSHIP_LEADER,
            ),
        )
    ]

    def ready(self) -> None:
        from . import access  # noqa: F401  (registers this app's part of the access policy)
