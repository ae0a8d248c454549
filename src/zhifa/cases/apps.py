from django.apps import AppConfig

from zhifa.core.nav import (
    DEPARTMENT_ADMIN,
    DEPUTY,
    GUIDANCE_OFFICE,
    HEAD,
    LEGAL_REVIEWER,
    OFFICER,
    SUPERVISOR,
    TOWNSHIP_LEADER,
    Entry,
)


class CasesConfig(AppConfig):
    name = "zhifa.cases"
    label = "cases"
    verbose_name = "办案"
    api_prefix = "/cases"
    nav_group = "cases"
    nav = [
        Entry(
            "案件",
            "cases:list",
            "cases",
            order=10,
            roles=(
                OFFICER,
                HEAD,
                LEGAL_REVIEWER,
                DEPARTMENT_ADMIN,
                TOWNSHIP_LEADER,
                GUIDANCE_OFFICE,
                SUPERVISOR,
            ),
        ),
        Entry(
            "现场办案",
            "cases:open_on_spot",
            "cases",
            order=20,
            roles=(OFFICER,),
            phone=3,
            phone_label="办案",
            admin=False,
        ),
        Entry("审批待办", "cases:approvals", "cases", order=30, roles=(HEAD, DEPUTY)),
        Entry("法制审核", "cases:reviews", "cases", order=40, roles=(LEGAL_REVIEWER,)),
    ]

    def audit_labels(self) -> dict[str, str]:
        """Labels of this app's audit actions, shown in every audit trail instead of the codes."""
        from . import rules

        return {
            **{f"case.{action.value}": label for action, label in rules.ACTION_LABELS.items()},
            "case.open": "登记案件",
            "case.assign_officer": "指派办案人员",
            "case.add_evidence": "登记证据",
            "case.record_remedy": "登记复议诉讼结果",
            "case.issue_document": "出具文书",
            "case.approve": "审批",
            "case.assign_review": "分配法制审核",
            "case.claim_review": "认领法制审核",
            "case.court_ruling": "登记法院裁定",
            "case.deliberation": "集体讨论",
            "case.eservice_consent": "当事人同意电子送达",
            "case.legal_review": "法制审核意见",
            "case.payment": "登记缴款",
            "case.remedy_result": "登记复议诉讼结果",
            "case.remove_officer": "调整执法人员（回避）",
            "case.request_approval": "提请审批",
            "case.return_approval": "退回审批",
            "case.revoke_decision": "撤销处罚决定",
            "case.waiver": "当事人放弃权利",
            "case.withdraw_approval": "撤回审批申请",
            "review_catalogue.add": "新增法制审核目录事项",
            "review_catalogue.retire": "停用法制审核目录事项",
            "review_centre.save": "维护合法性审查中心",
        }

    def ready(self) -> None:
        from zhifa.catalog.references import register_open_reference_checker

        from . import access  # noqa: F401  (registers the cases' permissions)
        from .selectors import open_cases_for_item

        register_open_reference_checker(open_cases_for_item)
