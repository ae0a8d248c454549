"""The demo inspections load on top of the demo district and are deterministic."""

import datetime as dt

import pytest

from zhifa.catalog.demo import load_demo_catalog
from zhifa.inspections import services
from zhifa.inspections.demo import load_demo_inspections
from zhifa.inspections.models import InspectionPlan, InspectionRecord, JointInspection, RandomDraw
from zhifa.organizations import demo
from zhifa.parties.demo import load_demo_parties


@pytest.mark.django_db
def test_demo_inspections():
    demo.load_demo(seed=7, officers=demo.DEFAULT_OFFICERS, password="x")
    load_demo_catalog()
    load_demo_parties(7, count=200)
    counts = load_demo_inspections(7, today=dt.date(2026, 6, 15))
    assert counts["plans"] == InspectionPlan.objects.count() > 3
    assert counts["draws"] == RandomDraw.objects.count() > 0
    assert JointInspection.objects.count() == counts["visits"] > 0
    assert InspectionRecord.objects.count() == counts["records"] > 0
    assert all(services.verify_draw(d).ok for d in RandomDraw.objects.all())
    assert (
        JointInspection.objects.filter(tasks__department__isnull=False).distinct().count() == counts["visits"]
    )
