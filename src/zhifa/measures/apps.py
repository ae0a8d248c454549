from django.apps import AppConfig

from zhifa.core.nav import HEAD, LEGAL_REVIEWER, OFFICER, SUPERVISOR, Entry

AUDIT_LABELS = {
    "measures.approve_extension": "批准查封扣押延期",
    "measures.approve_preservation": "批准先行登记保存",
    "measures.approve_seizure": "批准查封扣押",
    "measures.decide_preservation": "先行登记保存处理决定",
    "measures.emergency_seizure": "当场查封扣押",
    "measures.execute_seizure": "实施查封扣押",
    "measures.extension_notice": "查封扣押延期告知",
    "measures.open_referral": "启动涉嫌犯罪案件移送",
    "measures.preserve": "实施先行登记保存",
    "measures.propose_preservation": "提请先行登记保存",
    "measures.propose_seizure": "提请查封扣押",
    "measures.referral_answer": "公安机关答复移送",
    "measures.referral_handover": "移交涉案物品",
    "measures.referral_receipt": "公安机关接收移送",
    "measures.referral_reconsideration": "提请复议不予立案决定",
    "measures.referral_reconsideration_answer": "复议决定答复",
    "measures.referral_resume": "恢复行政处罚程序",
    "measures.referral_supervision": "提请检察机关立案监督",
    "measures.report_referral": "报告移送情况",
    "measures.request_extension": "提请查封扣押延期",
    "measures.share_evidence": "共享证据",
    "measures.transfer_referral": "移送涉嫌犯罪案件",
}


class MeasuresConfig(AppConfig):
    audit_labels = AUDIT_LABELS
    name = "zhifa.measures"
    label = "measures"
    verbose_name = "强制措施与移送"
    api_prefix = "/measures"
    nav = [
        Entry(
            "强制措施与移送",
            "measures:index",
            "cases",
            order=25,
            roles=(OFFICER, HEAD, LEGAL_REVIEWER, SUPERVISOR),
        )
    ]

    def ready(self) -> None:
        from zhifa.cases.facts import register_act_facts
        from zhifa.cases.services import register_approval_kind

        from . import (
            access,  # noqa: F401  (registers the measures' permissions and visibility)
            commands,
            services,
        )

        register_approval_kind("preservation", commands.MeasureApproval, services.preservation_approved)
        register_approval_kind("seizure", commands.MeasureApproval, services.seizure_approved)
        register_approval_kind("seizure_extension", commands.ExtensionApproval, services.extension_approved)
        register_act_facts(services.pending_referral_fact)
