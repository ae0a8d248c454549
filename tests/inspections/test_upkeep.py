"""Plans kept in the UI: colours set ratios and frequencies, joint plans give each drawn party a
task of every department merged into one visit, the 无感监管 list stays out of routine draws;
every inspection is planned or has a recorded cause; the record form is offered only where one
may record, with the drawn inspectors ticked; rectification: the party's report, the officer's
verification with a photo, overdue warnings, and the credit event after it."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.conftest import new_user
from tests.inspections.conftest import DAY, certified, plan_data, run_draw_on
from zhifa.catalog import services as catalog_services
from zhifa.core import access
from zhifa.core.errors import DomainError, NotFound, PermissionDenied
from zhifa.core.models import AuditEvent
from zhifa.inspections import rules, selectors, services
from zhifa.inspections.models import InspectionRecord, InspectionTask, JointInspection
from zhifa.organizations.models import User
from zhifa.parties.models import Party


def at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def test_frequency_by_colour_cuts_the_period_into_windows(world, insp):
    plan = services.create_plan(
        world.bureau_admin, plan_data(world.bureau, [insp.I1], ratios={"red": 1.0}, frequencies={"red": 2})
    )
    run_draw_on(world.bureau_admin, plan.pk, DAY)
    tasks = InspectionTask.objects.filter(plan=plan, party=insp.parties.red_a).order_by("round")
    assert [(t.round, t.window_start, t.window_end) for t in tasks] == [
        (1, DAY, DAY + dt.timedelta(days=13)),
        (2, DAY + dt.timedelta(days=14), DAY + dt.timedelta(days=27)),
    ]
    assert rules.windows(DAY, DAY, 4) == [(DAY, DAY)]
    with pytest.raises(ValidationError) as exc:
        services.create_plan(world.bureau_admin, plan_data(world.bureau, [insp.I1], frequencies={"red": 0}))
    assert exc.value.error_dict["frequencies"][0].code == "frequency_invalid"


def test_a_joint_plan_gives_every_department_a_task_merged_into_one_visit(world, insp):
    plan = services.create_plan(
        world.bureau_admin,
        plan_data(world.bureau, [insp.I1, insp.I2], ratios={"red": 1.0}, partners=[insp.market_org]),
    )
    draw = run_draw_on(world.bureau_admin, plan.pk, DAY)
    assert set(draw.result["partners"]) == {str(insp.market_org.pk)}
    assert InspectionTask.objects.filter(plan=plan).count() == 3 * 2
    services.plan_joint_inspections(world.guidance_user, today=DAY)
    visit = JointInspection.objects.get(party=insp.parties.red_a)
    assert {t.department for t in visit.tasks.all()} == {world.bureau, insp.market_org}
    assert {o.pk for o in visit.officers.all()} & {o.pk for o in insp.market} and services.verify_draw(
        draw
    ).ok
    with pytest.raises(ValidationError) as exc:  # a partner must bring an item it claimed
        services.create_plan(
            world.bureau_admin, plan_data(world.bureau, [insp.I1], partners=[insp.market_org])
        )
    assert exc.value.error_dict["partners"][0].code == "partner_without_items"


def test_light_touch_parties_stay_out_of_routine_draws(world, insp):
    Party.objects.filter(pk=insp.parties.green_a.pk).update(light_touch=True, light_touch_reason="无违法记录")
    plan = services.create_plan(world.bureau_admin, plan_data(world.bureau, [insp.I1], ratios={"green": 1.0}))
    draw = run_draw_on(world.bureau_admin, plan.pk, DAY)
    assert (
        insp.parties.green_a.pk not in draw.result["parties"]
        and insp.parties.green_b.pk in draw.result["parties"]
    )
    assert draw.inputs["excluded_light_touch"] == [insp.parties.green_a.pk]
    plan = services.create_plan(
        world.bureau_admin,
        plan_data(
            world.bureau, [insp.I1], ratios={"green": 1.0}, pool={"include_light_touch": True}, name="全量"
        ),
    )
    assert insp.parties.green_a.pk in run_draw_on(world.bureau_admin, plan.pk, DAY).result["parties"]


def test_no_inspection_outside_the_list_without_a_recorded_cause(world, insp):
    data = {
        "party": insp.parties.green_a,
        "department": world.bureau,
        "item_ids": [insp.I1.pk],
        "officer_ids": [o.pk for o in insp.gas[:2]],
        "started_at": at(DAY, 9),
        "ended_at": at(DAY, 10),
    }
    with pytest.raises(ValidationError) as exc:
        services.record_for_cause(insp.gas_user, data)
    assert exc.value.error_dict["cause_kind"][0].code == "inspection_outside_the_list"
    with pytest.raises(ValidationError) as exc:
        services.record_for_cause(insp.gas_user, {**data, "cause_kind": "complaint", "cause_ref": " "})
    assert exc.value.error_dict["cause_ref"][0].code == "cause_reference_required"
    assert not InspectionRecord.objects.exists()
    result = services.record_for_cause(
        insp.gas_user,
        {**data, "cause_kind": "complaint", "cause_ref": "12345-2026-0042", "outcome": "rectification"},
    )
    record = result.record
    assert (record.cause_kind, record.cause_ref, record.task, record.visit) == (
        "complaint",
        "12345-2026-0042",
        None,
        None,
    )
    assert list(record.items.all()) == [insp.I1]
    assert (
        AuditEvent.objects.get(action="inspection.record_for_cause").after["cause_ref"] == "12345-2026-0042"
    )
    with pytest.raises(ValidationError):  # an item the department did not claim
        services.record_for_cause(
            insp.gas_user,
            {
                **data,
                "item_ids": [insp.I2.pk],
                "cause_kind": "clue",
                "cause_ref": "线索1",
                "started_at": at(DAY, 14),
                "ended_at": at(DAY, 15),
            },
        )


@pytest.fixture
def visit(world, insp):
    plan = services.create_plan(world.bureau_admin, plan_data(world.bureau, [insp.I1], ratios={"red": 1.0}))
    run_draw_on(world.bureau_admin, plan.pk, DAY)
    services.plan_joint_inspections(world.guidance_user, today=DAY)
    return JointInspection.objects.get(party=insp.parties.red_a)


def test_the_record_form_is_offered_only_where_one_may_record(client, world, insp, visit):
    township_officer = world.user_a
    assert not access.can(township_officer, "inspections.record", visit)
    client.force_login(township_officer)
    visits = client.get(reverse("inspections:visit_list")).content.decode()
    assert (
        insp.parties.red_a.name in visits and "填写记录" not in visits
    )  # his township's party, not his inspection
    assert client.get(reverse("inspections:visit_record", args=[visit.pk])).status_code == 403
    client.force_login(insp.gas_user)
    form = client.get(reverse("inspections:visit_record", args=[visit.pk])).content.decode()
    drawn = list(visit.officers.all())
    for officer in drawn:  # the drawn inspectors are ticked
        assert re.search(rf'<input[^>]*name="officer_ids"[^>]*value="{officer.pk}"[^>]*checked', form), (
            officer
        )
    spare = next(o for o in insp.gas if o not in drawn)
    assert f"{spare.name}（替补，非抽取）" in form
    assert not re.search(rf'<input[^>]*name="officer_ids"[^>]*value="{spare.pk}"[^>]*checked', form)


def test_a_drawn_officer_of_another_body_records_and_substitutes_are_kept(world, insp, visit):
    drawn = list(visit.officers.all())
    spare = next(o for o in insp.gas if o not in drawn)
    result = services.record_inspection(
        insp.gas_user,
        {
            "visit": visit.pk,
            "officer_ids": [drawn[0].pk, spare.pk],
            "started_at": at(visit.day, 9),
            "ended_at": at(visit.day, 10),
        },
    )
    assert result.record.substitutes == [spare.pk] and result.warnings == []
    posted = certified(world.team_b, "燃气管理", "峡川队员")
    outsider = new_user("outsider", world.team_b, User.Role.OFFICER, posted)
    other = JointInspection.objects.get(party=insp.parties.red_b)
    with pytest.raises((NotFound, PermissionDenied)):
        services.record_inspection(
            outsider,
            {
                "visit": other.pk,
                "officer_ids": [o.pk for o in other.officers.all()],
                "started_at": at(other.day, 9),
                "ended_at": at(other.day, 10),
            },
        )
    other.officers.add(posted)  # drawn for it: he may record although his body has no task in it
    assert access.can(outsider, "inspections.record", other)


def test_an_officer_whose_certificate_was_suspended_is_refused_from_that_day(world, insp, visit):
    drawn = list(visit.officers.all())
    drawn[0].certificates.update(status="suspended")
    with pytest.raises(ValidationError) as exc:
        services.record_inspection(
            insp.gas_user,
            {
                "visit": visit.pk,
                "officer_ids": [o.pk for o in drawn],
                "started_at": at(visit.day, 9),
                "ended_at": at(visit.day, 10),
            },
        )
    assert exc.value.error_dict["officer_ids"][0].code == "officer_not_certified"


def test_rectification_report_verification_and_overdue(client, world, insp, visit, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    record = services.record_inspection(
        insp.gas_user,
        {
            "visit": visit.pk,
            "officer_ids": [o.pk for o in visit.officers.all()],
            "started_at": at(visit.day, 9),
            "ended_at": at(visit.day, 10),
            "outcome": "rectification",
        },
    ).record
    order = services.issue_rectification(insp.gas_user, record.pk, "更换过期气瓶", 5, today=visit.day)
    assert [o.pk for o in selectors.overdue_rectifications(world_scope(world), timezone.localdate())] == [
        order.pk
    ]
    token = services.action_code_token(visit.action_code)
    page = client.get(reverse("inspections:public_code", args=[token])).content.decode()
    assert "更换过期气瓶" in page and "报告整改情况" in page
    client.post(
        reverse("inspections:public_code", args=[token]),
        {"form": "report", "order": order.pk, "report": "已更换全部气瓶并送检"},
    )
    order.refresh_from_db()
    assert order.party_report == "已更换全部气瓶并送检"
    with pytest.raises(PermissionDenied):
        services.verify_rectification(new_user("someone", world.guidance, User.Role.SUPERVISOR), order.pk)
    services.verify_rectification(
        insp.gas_user, order.pk, note="现场核实已整改", photo=SimpleUploadedFile("复查.jpg", b"jpeg-bytes")
    )
    order.refresh_from_db()
    assert (
        order.state == "verified"
        and order.photos.count() == 1
        and order.verification_note == "现场核实已整改"
    )
    assert not selectors.overdue_rectifications(world_scope(world), timezone.localdate()).exists()
    with pytest.raises(DomainError):
        services.verify_rectification(insp.gas_user, order.pk)


def world_scope(world):
    from zhifa.core.scopes import Scope

    return Scope(everything=True)


def test_credit_events_recolour_after_the_commit(world, insp, visit, django_capture_on_commit_callbacks):
    party = insp.parties.red_a
    Party.objects.filter(pk=party.pk).update(risk_color="green", risk_reasons=[])
    with django_capture_on_commit_callbacks(execute=True):
        services.record_inspection(
            insp.gas_user,
            {
                "visit": visit.pk,
                "officer_ids": [o.pk for o in visit.officers.all()],
                "started_at": at(visit.day, 9),
                "ended_at": at(visit.day, 10),
                "outcome": "rectification",
            },
        )
    party.refresh_from_db()
    assert any("检查发现问题1次" in reason for reason in party.risk_reasons)


def test_plan_pages_create_and_list_my_work(client, world, insp):
    client.force_login(world.bureau_admin)
    page = client.get(reverse("inspections:plan_new") + "?kind=monthly").content.decode()
    assert "红色抽查比例" in page and insp.I1.name in page and insp.I2.name in page
    response = client.post(
        reverse("inspections:plan_new"),
        {
            "department": world.bureau.pk,
            "name": "本月燃气抽查",
            "kind": "monthly",
            "period_start": str(timezone.localdate()),
            "period_end": str(timezone.localdate() + dt.timedelta(days=20)),
            "items": [insp.I1.pk],
            **{f"ratio_{c}": "100" if c == "red" else "0" for c in rules.COLORS},
            **{f"times_{c}": "1" for c in rules.COLORS},
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    plan = world.bureau.inspection_plans.get()
    assert plan.kind == "monthly" and plan.ratios["red"] == 1.0
    client.post(reverse("inspections:plan_draw", args=[plan.pk]))
    assert plan.draw is not None
    drawn = plan.draw.result["officers"][str(insp.parties.red_a.pk)]
    officer = next(o for o in insp.gas if o.pk == drawn[0])
    client.force_login(
        insp.gas_user
        if insp.gas_user.officer_id == officer.pk
        else new_user("drawn", world.bureau, User.Role.OFFICER, officer)
    )
    mine = client.get(reverse("inspections:my_work")).content.decode()
    assert insp.parties.red_a.name in mine and "填写记录" in mine


def test_catalog_items_of_running_plans_cannot_be_retired(world, insp):
    services.create_plan(world.bureau_admin, plan_data(world.bureau, [insp.I1]))
    with pytest.raises(ValidationError) as exc:
        catalog_services.propose_revision(
            world.guidance_user,
            {"title": "取消", "reason": "other", "effective_on": timezone.localdate()},
            [{"action": "retire", "item_code": "I1"}],
        )
    assert exc.value.error_dict["changes.0.item_code"][0].code == "item_in_use"
