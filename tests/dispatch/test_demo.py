"""The demo incidents: every state of the loop, spread over the townships, worked by the services."""

import datetime as dt

from zhifa.catalog.demo import load_demo_catalog
from zhifa.dispatch import rules
from zhifa.dispatch.demo import load_demo_incidents
from zhifa.dispatch.models import Incident, IncidentEvent
from zhifa.organizations import demo


def test_demo_incidents_cover_the_loop(db):
    demo.load_demo(officers=demo.MIN_OFFICERS, today=dt.date(2026, 11, 1))
    load_demo_catalog()
    created = load_demo_incidents(seed=7, count=120)
    assert created == 120
    states = set(Incident.objects.values_list("state", flat=True))
    assert {
        rules.REPORTED,
        rules.ASSIGNED,
        rules.ACCEPTED,
        rules.HANDLING,
        rules.REPLIED,
        rules.EVALUATED,
        rules.CLOSED,
        rules.RETURNED,
    } <= states
    assert Incident.objects.values("township").distinct().count() >= 10
    assert Incident.objects.filter(overdue=True).exists()
    assert (
        IncidentEvent.objects.filter(action="close").count()
        == Incident.objects.filter(state="closed").count()
    )
    assert load_demo_incidents(seed=7, count=120) == 0  # the same seed again creates nothing
