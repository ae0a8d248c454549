"""The supervision app's configuration: menu entries, API prefix, permissions, event runs."""

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


class SupervisionConfig(AppConfig):
    name = "zhifa.supervision"
    label = "supervision"
    verbose_name = "监督预警"
    api_prefix = "/supervision"
    nav_group = "supervise"
    nav = [
        Entry(
            "监督预警",
            "supervision:alerts",
            "supervise",
            order=10,
            roles=(SUPERVISOR, GUIDANCE_OFFICE, DEPARTMENT_ADMIN, TOWNSHIP_LEADER, HEAD),
        ),
        Entry(
            "执法建议/通报",
            "supervision:notices",
            "supervise",
            order=20,
            roles=(SUPERVISOR, GUIDANCE_OFFICE, DEPARTMENT_ADMIN, TOWNSHIP_LEADER, HEAD),
        ),
        Entry("案卷评查", "supervision:reviews", "supervise", order=30, roles=(SUPERVISOR, GUIDANCE_OFFICE)),
        Entry(
            "四维考评",
            "supervision:appraisals",
            "supervise",
            order=40,
            roles=(SUPERVISOR, GUIDANCE_OFFICE, TOWNSHIP_LEADER),
        ),
        Entry(
            "执法评议", "supervision:campaigns", "supervise", order=50, roles=(SUPERVISOR, GUIDANCE_OFFICE)
        ),
        Entry(
            "案件咨询",
            "supervision:consultations",
            "supervise",
            order=60,
            roles=(
                OFFICER,
                LEGAL_REVIEWER,
                SUPERVISOR,
                GUIDANCE_OFFICE,
                DEPARTMENT_ADMIN,
                TOWNSHIP_LEADER,
                HEAD,
            ),
        ),
    ]
    audit_labels = {
        "supervision.sweep": "预警规则巡查",
        "supervision.notice.send": "发送执法建议/通报",
        "supervision.notice.acknowledge": "签收执法建议/通报",
        "supervision.notice.reply": "回复执法建议/通报",
        "supervision.sheet.create": "制定评查表",
        "supervision.review.draw": "抽取评查案卷",
        "supervision.review.assign": "分配评查人",
        "supervision.review.score": "案卷评分",
        "supervision.scheme.create": "制定考评方案",
        "supervision.appraisal.compute": "计算考评结果",
        "supervision.alert.close_request": "申请关闭预警",
        "supervision.body_appraisal.compute": "计算执法单位考评",
        "supervision.body_appraisal.manual": "录入执法单位考评",
        "supervision.body_scheme.create": "制定执法单位考评方案",
        "supervision.consultation.answer": "答复案件咨询",
        "supervision.consultation.ask": "提出案件咨询",
        "supervision.evaluation.answer": "回复评议意见",
        "supervision.evaluation.create": "发起执法评议",
        "supervision.evaluation.expert": "邀请评议专家",
        "supervision.evaluation.finding": "登记评议发现",
        "supervision.evaluation.invite": "邀请评议",
        "supervision.evaluation.rectify": "评议整改",
        "supervision.evaluation.sample": "抽取评议对象",
    }

    def ready(self) -> None:
        from . import access, events  # noqa: F401  (access registers supervision's permissions)

        events.connect()
