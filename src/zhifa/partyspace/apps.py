from django.apps import AppConfig

AUDIT_LABELS = {
    "partyspace.credit_repair_applied": "申请信用修复",
    "partyspace.credit_repair_decided": "信用修复决定",
    "partyspace.deferral_applied": "申请暂缓或分期缴纳",
    "partyspace.deliver": "电子送达",
    "partyspace.document_read": "当事人阅读文书",
    "partyspace.hearing_held": "举行网上听证",
    "partyspace.hearing_joined": "当事人进入网上听证",
    "partyspace.hearing_record_signed": "当事人签署听证笔录",
    "partyspace.hearing_request": "当事人申请听证",
    "partyspace.hearing_request_registered": "登记听证申请",
    "partyspace.hearing_scheduled": "安排听证",
    "partyspace.payment_completed": "网上缴款完成",
    "partyspace.payment_started": "发起网上缴款",
    "partyspace.rectification_reported": "当事人报告整改",
    "partyspace.rectification_reviewed": "审核整改报告",
    "partyspace.request_refused": "拒绝当事人请求",
    "partyspace.statement": "当事人陈述申辩",
}


class PartyspaceConfig(AppConfig):
    audit_labels = AUDIT_LABELS
    name = "zhifa.partyspace"
    label = "partyspace"
    verbose_name = "当事人空间"

    def ready(self) -> None:
        from zhifa.core import events
        from zhifa.smart.services import DEVICE_EVENT_ACCEPTED

        from . import access  # noqa: F401  (registers this app's part of the access policy)
        from .handlers import tell_party_of_device_event

        events.subscribe(DEVICE_EVENT_ACCEPTED, tell_party_of_device_event)
