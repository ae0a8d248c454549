"""调整检查人员: a drawn inspector replaced before the inspection, with the reason; the draw stays
as drawn (it still recomputes), the record form ticks the substitute, and the change is audited."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.inspections.conftest import DAY, certified, plan_data, run_draw_on
from zhifa.api.models import ApiKey
from zhifa.core.models import AuditEvent
from zhifa.inspections import services
from zhifa.inspections.models import InspectorChange, JointInspection
from zhifa.organizations.models import User


@pytest.fixture
def visit(world, insp):
    plan = services.create_plan(world.bureau_admin, plan_data(world.bureau, [insp.I1], ratios={"red": 1.0}))
    run_draw_on(world.bureau_admin, plan.pk, DAY)
    services.plan_joint_inspections(world.guidance_user, today=DAY)
    return JointInspection.objects.get(party=insp.parties.red_a)


def test_a_drawn_inspector_is_replaced_with_the_reason(client, world, insp, visit):
    drawn = list(visit.officers.all())
    spare = next(o for o in insp.gas if o not in drawn)
    with pytest.raises(ValidationError):
        services.assign_officer(
            world.bureau_admin, visit_id=visit.pk, officer_id=spare.pk, replaces_id=drawn[0].pk, reason=""
        )
    with pytest.raises(ValidationError):  # the expired one is refused
        services.assign_officer(
            world.bureau_admin,
            visit_id=visit.pk,
            officer_id=insp.expired.pk,
            replaces_id=drawn[0].pk,
            reason="原检查人员病休",
        )
    with pytest.raises(ValidationError):  # not of a department of the visit
        services.assign_officer(
            world.bureau_admin,
            visit_id=visit.pk,
            officer_id=insp.market[0].pk,
            replaces_id=drawn[0].pk,
            reason="原检查人员病休",
        )
    services.assign_officer(
        world.bureau_admin,
        visit_id=visit.pk,
        officer_id=spare.pk,
        replaces_id=drawn[0].pk,
        reason="原检查人员病休",
    )
    change = InspectorChange.objects.get()
    assert (change.replaced, change.officer) == (drawn[0], spare)
    assert AuditEvent.objects.get(action="inspection.assign_officer").after["reason"] == "原检查人员病休"
    assert services.verify_draw(visit.tasks.first().draw).ok  # the draw is untouched
    client.force_login(insp.gas_user)
    form = client.get(reverse("inspections:visit_record", args=[visit.pk])).content.decode()
    assert re.search(rf'<input[^>]*name="officer_ids"[^>]*value="{spare.pk}"[^>]*checked', form)
    assert not re.search(rf'<input[^>]*name="officer_ids"[^>]*value="{drawn[0].pk}"[^>]*checked', form)
    start = timezone.make_aware(dt.datetime.combine(visit.day, dt.time(9)))
    result = services.record_inspection(
        insp.gas_user,
        {
            "visit": visit.pk,
            "officer_ids": [spare.pk, drawn[1].pk],
            "started_at": start,
            "ended_at": start + dt.timedelta(hours=1),
        },
    )
    assert result.record.substitutes == []  # assigned before, not a substitute on the spot


def test_replacing_through_the_page_and_the_api(client, world, insp, visit):
    drawn = list(visit.officers.all())
    spare = next(o for o in insp.gas if o not in drawn)
    client.force_login(insp.gas_user)
    client.post(
        reverse("inspections:assign_visit_officer", args=[visit.pk]),
        {"replaces": drawn[0].pk, "officer": spare.pk, "reason": "原检查人员出差"},
    )
    assert InspectorChange.objects.count() == 1
    extra = certified(world.bureau, "燃气管理", "新增员")
    key = ApiKey.generate("综执局", world.bureau, User.Role.DEPARTMENT_ADMIN)[1]
    response = client.post(
        f"/api/v1/inspections/visits/{visit.pk}/officers",
        {"officer_id": extra.pk, "replaces_id": spare.pk, "reason": "再次调整：出差"},
        content_type="application/json",
        HTTP_X_API_KEY=key,
    )
    assert response.status_code == 200, response.content
    outsider = ApiKey.generate("峡川", world.team_b, User.Role.OFFICER)[1]
    refused = client.post(
        f"/api/v1/inspections/visits/{visit.pk}/officers",
        {"officer_id": drawn[0].pk, "replaces_id": extra.pk, "reason": "不该由我调整"},
        content_type="application/json",
        HTTP_X_API_KEY=outsider,
    )
    assert refused.status_code in (403, 404)
