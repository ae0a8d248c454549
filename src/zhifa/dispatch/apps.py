from django.apps import AppConfig

from zhifa.core.nav import (
    COMMAND_CENTER,
    DEPARTMENT_ADMIN,
    GUIDANCE_OFFICE,
    OFFICER,
    SUPERVISOR,
    TOWNSHIP_LEADER,
    Entry,
)


class DispatchConfig(AppConfig):
    name = "zhifa.dispatch"
    label = "dispatch"
    verbose_name = "指挥调度"
    api_prefix = "/dispatch"
    nav_group = "dispatch"
    nav = [
        Entry(
            "事件调度",
            "dispatch:queue",
            "dispatch",
            order=10,
            roles=(COMMAND_CENTER, GUIDANCE_OFFICE, SUPERVISOR, TOWNSHIP_LEADER, DEPARTMENT_ADMIN),
        ),
        Entry(
            "我的任务",
            "dispatch:my_tasks",
            "dispatch",
            order=20,
            roles=(OFFICER, TOWNSHIP_LEADER, DEPARTMENT_ADMIN),
            phone=2,
            phone_label="任务",
        ),
        Entry(
            "移送与争议",
            "dispatch:referral_list",
            "dispatch",
            order=30,
            roles=(COMMAND_CENTER, GUIDANCE_OFFICE, SUPERVISOR, TOWNSHIP_LEADER, DEPARTMENT_ADMIN),
        ),
        Entry("人工分拣", "dispatch:triage", "dispatch", order=15, roles=(COMMAND_CENTER,)),
        Entry("办结核查", "dispatch:checks", "dispatch", order=40, roles=(COMMAND_CENTER,)),
        Entry("发现上报", "dispatch:find", "dispatch", order=25, roles=(OFFICER,), admin=False),
        Entry("分拣模型", "dispatch:routing", "dispatch", order=50, roles=(COMMAND_CENTER,)),
    ]

    def audit_labels(self) -> dict[str, str]:
        """Labels of this app's audit actions, shown in every audit trail instead of the codes."""
        from . import rules

        return {
            **{f"incident.{action}": label for action, label in rules.ACTION_LABELS.items()},
            "incident.report": "登记事件",
            "incident.merge": "合并为重复事件",
            "incident.dispute_decided": "争议裁定改派",
            "referral.send": "移送线索",
            "referral.receive": "接收移送线索",
            "dispute.raise": "提出执法争议",
            "dispute.answer": "答复执法争议",
            "dispute.decide": "裁定执法争议",
            "incident.check_finished": "办理情况核查完成",
            "incident.check_requested": "要求核查办理情况",
            "incident.view_phone": "查看上报人电话",
            "routing_model.train": "训练分拣模型",
        }

    def ready(self):
        from zhifa.catalog.models import Claim, Domain, EnforcementItem, TownshipItemChoice
        from zhifa.catalog.references import register_open_reference_checker
        from zhifa.core import refdata
        from zhifa.inspections.handoffs import register_handoff
        from zhifa.organizations.models import Organization, Region

        from . import access  # noqa: F401  (registers the dispatch permissions)
        from .models import RoutingModelVersion

        register_open_reference_checker(_open_incidents_citing)
        # what routing keeps per process (routing.townships, suggested_item, responsible_for,
        # the versions in use; catalog.services.bump_version tells of the catalog's)
        refdata.watch(
            Region, Organization, Domain, EnforcementItem, Claim, TownshipItemChoice, RoutingModelVersion
        )
        register_handoff("incident", _incident_from_inspection, label="转事件")


def _open_incidents_citing(item_id: int) -> int:
    from . import rules
    from .models import Incident

    return Incident.objects.filter(item_id=item_id, state__in=rules.OPEN_STATES).count()


def _incident_from_inspection(actor, record) -> str:
    """An inspection finding becomes an incident of source ``inspection_finding``; the external
    id is the record, so handing the same record off twice gives one incident."""
    from .services import report_incident

    party = record.party
    incident, _ = report_incident(
        actor,
        {
            "source": "inspection_finding",
            "external_id": f"inspection-record-{record.pk}",
            "title": f"检查发现：{party.name}",
            "text": record.findings or "检查发现问题，需交办处置",
            "address": party.address,
        },
    )
    return incident.tracking_code
