"""立案 from an incident: the body handling it opens the case form prefilled with the facts and,
for an inspection finding, the party."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, urlparse

from tests.dispatch.conftest import report_data
from tests.parties.conftest import add_party
from zhifa.dispatch import services
from zhifa.dispatch.models import Incident
from zhifa.web.templatetags.workbench import incident_facts

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _accepted(world, command, **overrides) -> Incident:
    incident, _ = services.report_incident(command.user, report_data(**overrides))
    services.transition(command.user, incident.pk, "assign")
    return services.transition(world.user_a, incident.pk, "accept")


def _filing_link(client, user, incident) -> str | None:
    client.force_login(user, backend=MODEL_BACKEND)
    html = client.get(f"/dispatch/incidents/{incident.pk}/").content.decode()
    match = re.search(r'<a class="button button--primary" href="([^"]+)" data-file-case>立案</a>', html)
    return unescape(match.group(1)) if match else None


def test_the_handling_officer_opens_the_case_form_with_the_incidents_facts(client, world, command, catalog):
    incident = _accepted(world, command)
    link = _filing_link(client, world.user_a, incident)
    assert link and link.startswith("/cases/on-spot/?")
    params = parse_qs(urlparse(link).query)
    assert incident.tracking_code in params["summary"][0] and "流动摊贩占道经营" in params["summary"][0]
    assert "party" not in params  # a hotline report names no party
    form = client.get(link).content.decode()
    assert "流动摊贩占道经营" in form  # the case form is prefilled


def test_an_inspection_finding_carries_its_party(client, world, command, catalog):
    from django.utils import timezone

    from zhifa.inspections.models import InspectionPlan, InspectionRecord, InspectionTask

    party = add_party(world.shangfang, name="上方某某五金店")
    plan = InspectionPlan.objects.create(
        department=world.team_a,
        name="计划",
        period_start=timezone.localdate(),
        period_end=timezone.localdate(),
        draw_nonce="x",
    )
    task = InspectionTask.objects.create(
        plan=plan,
        party=party,
        department=world.team_a,
        window_start=plan.period_start,
        window_end=plan.period_end,
    )
    now = timezone.now()
    record = InspectionRecord.objects.create(
        task=task,
        party=party,
        department=world.team_a,
        started_at=now,
        ended_at=now + timezone.timedelta(hours=1),
        findings="消防通道堵塞",
    )
    incident = _accepted(
        world, command, source="inspection_finding", external_id=f"inspection-record-{record.pk}"
    )
    params = parse_qs(urlparse(_filing_link(client, world.user_a, incident)).query)
    assert params["party"] == [str(party.pk)]


def test_nobody_else_gets_the_link(client, world, command, catalog):
    incident = _accepted(world, command)
    assert _filing_link(client, world.leader_b, incident) is None  # not his township (404 anyway)
    assert _filing_link(client, command.user, incident) is None  # the command centre does not file cases
    assert _filing_link(client, world.leader_a, incident) is None  # a leader, not an officer


def test_no_link_before_the_body_accepts_it(client, world, command, catalog):
    incident, _ = services.report_incident(command.user, report_data())
    services.transition(command.user, incident.pk, "assign")
    assert _filing_link(client, world.user_a, incident) is None


def test_the_facts_name_the_source_the_place_and_the_text(world, command, catalog):
    incident, _ = services.report_incident(command.user, report_data())
    facts = incident_facts(incident)
    assert "12345 热线" in facts and "上方镇新街菜场门口" in facts and incident.tracking_code in facts
