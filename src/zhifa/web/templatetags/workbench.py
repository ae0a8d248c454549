"""Helpers of the landing page: how near a deadline is, in words."""

from __future__ import annotations

from django import template

register = template.Library()


@register.simple_tag
def due_words(item, today) -> str:
    """ "今天到期", "还剩 3 天", "超期 2 天" — or "" for an item without a deadline."""
    days = item.days_left(today)
    if days is None:
        return ""
    if days == 0:
        return "今天到期"
    if days < 0:
        return f"超期 {-days} 天"
    return f"还剩 {days} 天"


@register.simple_tag
def item_level(item, today) -> str:
    return item.level_on(today)


#: Incident states in which the body handling it may open a case from it (after accepting it,
#: until the command centre has evaluated the reply).
FILING_STATES = ("accepted", "handling", "replied")


@register.simple_tag(takes_context=True)
def case_from_incident(context, incident) -> str:
    """立案 from an incident: the address of the case form (现场办案) prefilled with the incident's
    party (when a party is known: an inspection finding names it) and its facts. Empty for anyone
    but an officer of the body handling the incident."""
    from urllib.parse import urlencode

    from django.urls import reverse

    from zhifa.core import access
    from zhifa.dispatch.services import may_act

    request = context.get("request")
    user = getattr(request, "user", None)
    if (
        user is None
        or not access.has_role(user, "officer")
        or not getattr(user, "officer_id", None)
        or incident.state not in FILING_STATES
        or not may_act(user, incident, "handle")
    ):
        return ""
    params = {"summary": incident_facts(incident)}
    party_id = incident_party_id(incident)
    if party_id:
        params["party"] = party_id
    return reverse("cases:open_on_spot") + "?" + urlencode(params)


def incident_facts(incident) -> str:
    """The facts of an incident as the first draft of a case's 违法事实."""
    from django.utils import timezone

    when = timezone.localtime(incident.reported_at).strftime("%Y年%m月%d日") if incident.reported_at else ""
    parts = [f"{when}{incident.get_source_display()}（查询码 {incident.tracking_code}）"]
    if incident.address:
        parts.append(f"地点：{incident.address}")
    parts.append(incident.text or incident.title)
    return "；".join(p for p in parts if p)


def incident_party_id(incident) -> int | None:
    """The party an incident is about, where the platform knows it: an inspection finding carries
    its inspection record (``inspection-record-<id>``), and the record its party."""
    from zhifa.inspections.models import InspectionRecord

    prefix = "inspection-record-"
    if incident.source == "inspection_finding" and incident.external_id.startswith(prefix):
        record_id = incident.external_id[len(prefix) :]
        if record_id.isdigit():
            return (
                InspectionRecord.objects.filter(pk=int(record_id)).values_list("party_id", flat=True).first()
            )
    return None
