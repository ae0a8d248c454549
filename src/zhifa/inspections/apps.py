from django.apps import AppConfig

from zhifa.core.nav import DEPARTMENT_ADMIN, GUIDANCE_OFFICE, OFFICER, SUPERVISOR, TOWNSHIP_LEADER, Entry


class InspectionsConfig(AppConfig):
    name = "zhifa.inspections"
    label = "inspections"
    verbose_name = "检查"
    api_prefix = "/inspections"
    nav_group = "inspect"
    nav = [
        Entry(
            "我的检查",
            "inspections:my_work",
            "inspect",
            order=5,
            roles=(OFFICER,),
        ),
        Entry(
            "检查计划",
            "inspections:plan_list",
            "inspect",
            order=10,
            roles=(DEPARTMENT_ADMIN, TOWNSHIP_LEADER, GUIDANCE_OFFICE, SUPERVISOR),
        ),
        Entry(
            "综合查一次",
            "inspections:visit_list",
            "inspect",
            order=20,
            roles=(OFFICER, DEPARTMENT_ADMIN, TOWNSHIP_LEADER, GUIDANCE_OFFICE, SUPERVISOR),
        ),
        Entry(
            "检查记录",
            "inspections:record_list",
            "inspect",
            order=30,
            roles=(OFFICER, DEPARTMENT_ADMIN, TOWNSHIP_LEADER, GUIDANCE_OFFICE, SUPERVISOR),
        ),
    ]
    audit_labels = {
        "inspection.plan_create": "制定检查计划",
        "inspection.draw": "随机抽取",
        "inspection.draw_publish": "公示抽取结果",
        "inspection.joint_plan": "编排综合查一次",
        "inspection.record": "登记检查记录",
        "inspection.attachment": "上传检查附件",
        "inspection.rectification": "责令整改",
        "inspection.rectification_verify": "整改复查通过",
        "inspection.handoff": "检查发现移交",
        "inspection.rating": "当事人评价检查",
        "inspection.assign_officer": "调整检查人员",
        "inspection.record_for_cause": "登记专项检查",
        "inspection.rectification_report": "当事人报告整改",
        "inspection.redraw": "重新抽取",
    }

    def ready(self):
        from zhifa.catalog.references import register_open_reference_checker
        from zhifa.parties.services import register_facts_provider

        from . import selectors

        register_open_reference_checker(selectors.open_plan_references)
        register_facts_provider(selectors.failed_inspection_facts)
        from . import access  # noqa: F401  (registers the inspections' permissions)
