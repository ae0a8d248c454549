from django.apps import AppConfig


class DispatchConfig(AppConfig):
    name = "zhifa.dispatch"
    label = "dispatch"
    verbose_name = "指挥调度"
    api_prefix = "/dispatch"
    nav = [("指挥调度", "dispatch:queue"), ("我的任务", "dispatch:my_tasks"), ("移送与争议", "dispatch:referral_list")]

    def ready(self):
        from zhifa.catalog.references import register_open_reference_checker
        from zhifa.inspections.handoffs import register_handoff

        from . import access  # noqa: F401  (registers the dispatch permissions)

        register_open_reference_checker(_open_incidents_citing)
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
    incident, _ = report_incident(actor, {
        "source": "inspection_finding",
        "external_id": f"inspection-record-{record.pk}",
        "title": f"检查发现：{party.name}",
        "text": record.findings or "检查发现问题，需交办处置",
        "address": party.address,
    })
    return incident.tracking_code
