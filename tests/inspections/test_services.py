"""Inspection services against PostgreSQL: every refused input saves nothing; draws are
reproducible from their recorded inputs and audited; joint planning merges departments' tasks."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.inspections.conftest import DAY, plan_data, run_draw_on
from zhifa.core.calendars import district_calendar
from zhifa.core.errors import DomainError, NotFound, PermissionDenied
from zhifa.core.models import AuditEvent
from zhifa.core.scopes import Scope
from zhifa.inspections import handoffs, rules, selectors, services
from zhifa.inspections.models import (
    ActionCode,
    InspectionPlan,
    InspectionRecord,
    InspectionTask,
    JointInspection,
    RandomDraw,
)


def _codes(exc_info, field):
    return [e.code for e in exc_info.value.error_dict[field]]


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour, minute))


# ---- plans ----


def test_plan_created_and_audited(world, insp):
    plan = services.create_plan(world.bureau_admin, plan_data(world.bureau, [insp.I1]))
    assert list(plan.items.all()) == [insp.I1] and plan.state == "draft" and plan.draw_nonce
    event = AuditEvent.objects.get(action="inspection.plan_create")
    assert event.after["items"] == ["I1"] and event.object_id == str(plan.pk)


@pytest.mark.parametrize(
    "item_code, code", [("I3", "item_not_claimed"), ("I2", "item_not_claimed"), ("P1", "item_not_inspection")]
)
def test_plan_items_outside_claimed_inspection_list_refused(world, insp, item_code, code):
    item = getattr(insp, item_code)
    with pytest.raises(ValidationError) as exc:
        services.create_plan(world.bureau_admin, plan_data(world.bureau, [insp.I1, item]))
    assert _codes(exc, "items") == [code]
    assert item.code in exc.value.error_dict["items"][0].message
    assert (
        not InspectionPlan.objects.exists()
        and not AuditEvent.objects.filter(action__startswith="inspection").exists()
    )


@pytest.mark.parametrize(
    "overrides, field, code",
    [
        ({"period_end": DAY - dt.timedelta(days=1)}, "period_end", "plan_period_reversed"),
        ({"ratios": {"red": 1.5}}, "ratios", "ratio_invalid"),
        ({"ratios": {"purple": 0.5}}, "ratios", "ratio_invalid"),
        ({"ratios": {"red": 0, "green": 0}}, "ratios", "ratio_invalid"),
        ({"items": []}, "items", "required"),
        ({"name": " "}, "name", "required"),
    ],
)
def test_bad_plan_input_refused_nothing_saved(world, insp, overrides, field, code):
    with pytest.raises(ValidationError) as exc:
        services.create_plan(world.bureau_admin, {**plan_data(world.bureau, [insp.I1]), **overrides})
    assert _codes(exc, field)[0] == code
    assert not InspectionPlan.objects.exists()


def test_plan_for_a_body_without_enforcement_power_refused(world, insp):
    with pytest.raises(ValidationError) as exc:
        services.create_plan(world.leader_a, plan_data(world.team_a, [insp.I1]))
    assert _codes(exc, "department") == ["department_not_enforcement_body"]


def test_plan_roles_and_scope(world, insp):
    with pytest.raises(PermissionDenied):
        services.create_plan(insp.gas_user, plan_data(world.bureau, [insp.I1]))
    with pytest.raises(PermissionDenied):  # a department admin plans for their own department only
        services.create_plan(insp.market_admin, plan_data(world.bureau, [insp.I1]))
    assert not InspectionPlan.objects.exists()


# ---- draws ----


@pytest.fixture
def gas_plan(world, insp):
    return services.create_plan(world.bureau_admin, plan_data(world.bureau, [insp.I1]))


def test_draw_is_reproducible_from_its_audit_event(world, insp, gas_plan):
    draw = run_draw_on(world.bureau_admin, gas_plan.pk, DAY)
    reds = {insp.parties.red_a.pk, insp.parties.red_b.pk, insp.parties.red_x.pk}
    assert set(draw.result["parties"]) == reds  # red ratio 1.0, green 0
    tasks = list(InspectionTask.objects.filter(plan=gas_plan).prefetch_related("officers"))
    gas_ids = {o.pk for o in insp.gas}
    for task in tasks:  # two certified gas officers; never the auxiliary or the expired one
        assert len(task.officers.all()) == 2 and {o.pk for o in task.officers.all()} <= gas_ids
    event = AuditEvent.objects.get(action="inspection.draw")
    assert event.after["seed"] == rules.draw_seed(gas_plan.pk, DAY, gas_plan.draw_nonce) == draw.seed
    assert event.legal_basis.startswith("国办发〔2015〕58号")
    # Anyone can rerun the party draw with the published seed and candidates.
    candidates = [tuple(p) for p in draw.inputs["parties"]]
    assert (
        rules.draw_parties(candidates, draw.inputs["ratios"], event.after["seed"]) == event.after["parties"]
    )
    assert services.compute_draw(draw.inputs) == {
        "parties": event.after["parties"],
        "officers": event.after["officers"],
    }
    assert services.verify_draw(draw).ok
    gas_plan.refresh_from_db()
    assert gas_plan.state == "drawn"


def test_verify_draw_detects_tampering(world, insp, gas_plan):
    draw = run_draw_on(world.bureau_admin, gas_plan.pk, DAY)
    pid = str(draw.result["parties"][0])
    task = InspectionTask.objects.get(plan=gas_plan, party_id=int(pid))
    task.officers.set([insp.gas[0].pk, insp.expired.pk])
    check = services.verify_draw(RandomDraw.objects.get(pk=draw.pk))
    assert check.digest_ok and check.result_ok and not check.tasks_ok and not check.ok
    draw.inputs["ratios"]["green"] = 1.0
    draw.save()
    check = services.verify_draw(RandomDraw.objects.get(pk=draw.pk))
    assert not check.digest_ok and not check.result_ok


def test_draw_shortage_saves_nothing(world, insp, gas_plan):
    insp.gas[1].certificates.update(status="suspended")
    insp.gas[2].certificates.update(status="revoked")
    with pytest.raises(rules.DrawShortage) as exc:
        run_draw_on(world.bureau_admin, gas_plan.pk, DAY)
    assert exc.value.code == "draw_shortage" and exc.value.domain == "燃气管理"
    assert (exc.value.needed, exc.value.eligible) == (2, 1) and "燃气管理" in exc.value.message
    assert not RandomDraw.objects.exists() and not InspectionTask.objects.exists()
    assert not AuditEvent.objects.filter(action="inspection.draw").exists()
    gas_plan.refresh_from_db()
    assert gas_plan.state == "draft"


def test_draw_only_once_and_publish(world, insp, gas_plan):
    run_draw_on(world.bureau_admin, gas_plan.pk, DAY)
    with pytest.raises(DomainError) as exc:
        run_draw_on(world.bureau_admin, gas_plan.pk, DAY + dt.timedelta(days=1))
    assert exc.value.code == "plan_already_drawn" and RandomDraw.objects.count() == 1
    draw = services.publish_draw(world.bureau_admin, gas_plan.pk)
    assert draw.published_at is not None and selectors.published_draw(gas_plan.pk) == draw
    with pytest.raises(DomainError):
        services.publish_draw(world.bureau_admin, gas_plan.pk)


def test_township_team_draws_only_its_township(world, insp):
    world.team_a.is_enforcement_body = True
    world.team_a.save()
    from zhifa.catalog.models import Claim

    Claim.objects.create(item=insp.I1, organization=world.team_a, level="township", region=world.shangfang)
    from tests.inspections.conftest import certified

    certified(world.team_a, "燃气管理")
    certified(world.team_a, "燃气管理")
    plan = services.create_plan(world.leader_a, plan_data(world.team_a, [insp.I1]))
    draw = run_draw_on(world.leader_a, plan.pk, DAY)
    assert set(draw.result["parties"]) == {insp.parties.red_a.pk, insp.parties.red_b.pk}


# ---- joint inspections ----


@pytest.fixture
def two_departments(world, insp, gas_plan):
    market_plan = services.create_plan(
        insp.market_admin,
        plan_data(insp.market_org, [insp.I2], name="食品抽查", ratios={"red": 1.0, "green": 0.5}),
    )
    run_draw_on(world.bureau_admin, gas_plan.pk, DAY)
    run_draw_on(insp.market_admin, market_plan.pk, DAY)
    return market_plan


def test_joint_planning_merges_departments(world, insp, two_departments):
    tasks = InspectionTask.objects.count()
    assert tasks == 3 + 3 + 1  # gas: 3 reds; market: 3 reds + half of the 2 greens
    result = services.plan_joint_inspections(world.guidance_user, today=DAY)
    assert (result.tasks, result.visits, result.saved) == (7, 4, 3)
    assert (
        JointInspection.objects.count() == 4 and ActionCode.objects.filter(visit__isnull=False).count() == 4
    )
    assert not InspectionTask.objects.filter(visit__isnull=True).exists()
    calendar = district_calendar()
    assert all(
        calendar.is_workday(v.day) and DAY <= v.day <= DAY + dt.timedelta(days=27)
        for v in JointInspection.objects.all()
    )
    red = JointInspection.objects.get(party=insp.parties.red_a)
    assert red.tasks.count() == 2 and red.officers.count() == 4
    district = selectors.district_indicators(Scope(everything=True))
    assert (district.tasks, district.visits, district.saved) == (7, 4, 3)
    by_department = {
        row["department_id"]: row for row in selectors.department_indicators(Scope(everything=True))
    }
    assert sum(row["saved"] for row in by_department.values()) == 3
    assert {d: row["saved"] for d, row in by_department.items()} == {
        k: v for k, v in result.saved_by_department.items()
    }
    # A second run finds nothing new to merge.
    assert services.plan_joint_inspections(world.guidance_user, today=DAY).visits == 0


def test_joint_planning_is_for_coordinators(world, insp, two_departments):
    with pytest.raises(PermissionDenied):
        services.plan_joint_inspections(world.bureau_admin, today=DAY)
    assert not JointInspection.objects.exists()


# ---- records ----


@pytest.fixture
def planned(world, insp, two_departments):
    services.plan_joint_inspections(world.guidance_user, today=DAY)
    return JointInspection.objects.get(party=insp.parties.red_a)


def record_data(visit, officers, **overrides):
    entries = [e for t in visit.tasks.all() for item in t.plan.items.all() for e in item.checklist.all()]
    data = {
        "visit": visit.pk,
        "officer_ids": [o.pk for o in officers],
        "started_at": at(visit.day, 9),
        "ended_at": at(visit.day, 10),
        "findings": "气瓶检验过期一只",
        "outcome": "rectification",
        "checklist": [{"entry_id": e.pk, "result": "pass"} for e in entries],
    }
    return {**data, **overrides}


def test_record_a_joint_visit(world, insp, planned):
    result = services.record_inspection(insp.gas_user, record_data(planned, insp.gas[:1] + insp.market[:1]))
    record = result.record
    assert record.checklist_results.count() == 3 and record.officers.count() == 2
    assert not result.warnings
    assert set(planned.tasks.values_list("state", flat=True)) == {"done"}
    planned.refresh_from_db()
    assert planned.state == "done"
    assert (
        AuditEvent.objects.get(action="inspection.record").legal_basis == "行政处罚法第四十二条、第五十五条"
    )


@pytest.mark.parametrize(
    "who, code", [("helper", "officer_not_certified"), ("expired", "officer_not_certified")]
)
def test_auxiliary_or_uncertified_officers_refused(world, insp, planned, who, code):
    with pytest.raises(ValidationError) as exc:
        services.record_inspection(insp.gas_user, record_data(planned, [insp.gas[0], getattr(insp, who)]))
    assert _codes(exc, "officer_ids") == [code]
    assert not InspectionRecord.objects.exists()


def test_one_officer_refused(world, insp, planned):
    with pytest.raises(ValidationError) as exc:
        services.record_inspection(insp.gas_user, record_data(planned, [insp.gas[0]]))
    assert _codes(exc, "officer_ids") == ["too_few_officers"]
    assert not InspectionRecord.objects.exists()


def test_visit_recorded_twice_or_overlapping_refused(world, insp, planned):
    services.record_inspection(insp.gas_user, record_data(planned, insp.gas[:2]))
    with pytest.raises(DomainError) as exc:
        services.record_inspection(
            insp.gas_user,
            record_data(planned, insp.gas[:2], started_at=at(planned.day, 14), ended_at=at(planned.day, 15)),
        )
    assert exc.value.code == "already_recorded"
    # Another task on the same party whose time overlaps the first record.
    other = InspectionTask.objects.create(
        plan=_extra_plan(world, insp),
        party=insp.parties.red_a,
        department=world.bureau,
        window_start=DAY,
        window_end=DAY + dt.timedelta(days=5),
    )
    with pytest.raises(DomainError) as exc:
        services.record_inspection(
            insp.gas_user,
            {
                "task": other.pk,
                "officer_ids": [o.pk for o in insp.gas[:2]],
                "started_at": at(planned.day, 9, 30),
                "ended_at": at(planned.day, 11),
            },
        )
    assert exc.value.code == "record_overlap"
    assert InspectionRecord.objects.count() == 1


def _extra_plan(world, insp):
    return services.create_plan(world.bureau_admin, plan_data(world.bureau, [insp.I1], name="补充计划"))


def test_reversed_times_refused(world, insp, planned):
    with pytest.raises(ValidationError) as exc:
        services.record_inspection(
            insp.gas_user, record_data(planned, insp.gas[:2], ended_at=at(planned.day, 8))
        )
    assert _codes(exc, "ended_at") == ["record_times_reversed"]


def test_repeated_inspection_warned_and_listed(world, insp, gas_plan):
    run_draw_on(world.bureau_admin, gas_plan.pk, DAY)
    market_plan = services.create_plan(
        insp.market_admin, plan_data(insp.market_org, [insp.I2], name="食品抽查")
    )
    run_draw_on(insp.market_admin, market_plan.pk, DAY)
    party = insp.parties.red_b
    gas_task = InspectionTask.objects.get(plan=gas_plan, party=party)
    market_task = InspectionTask.objects.get(plan=market_plan, party=party)
    first = services.record_inspection(
        insp.gas_user,
        {
            "task": gas_task.pk,
            "officer_ids": [o.pk for o in insp.gas[:2]],
            "started_at": at(DAY, 9),
            "ended_at": at(DAY, 10),
        },
    )
    assert first.warnings == []
    second = services.record_inspection(
        insp.market_user,
        {
            "task": market_task.pk,
            "officer_ids": [o.pk for o in insp.market[:2]],
            "started_at": at(DAY + dt.timedelta(days=10), 9),
            "ended_at": at(DAY + dt.timedelta(days=10), 10),
        },
    )
    assert len(second.warnings) == 1 and world.bureau.name in second.warnings[0]
    assert second.record.warnings == second.warnings
    assert list(selectors.repeated_inspections(Scope(everything=True))) == [party]
    assert list(selectors.repeated_inspections(Scope(everything=True), days=5)) == []


def test_township_user_cannot_read_another_townships_records(world, insp, planned):
    record = services.record_inspection(insp.gas_user, record_data(planned, insp.gas[:2])).record
    assert selectors.record_detail(Scope.for_user(world.leader_a), record.pk) == record  # party in 上方镇
    with pytest.raises(NotFound):
        selectors.record_detail(Scope.for_user(world.leader_b), record.pk)
    assert not selectors.records(Scope.for_user(world.leader_b)).exists()
    with pytest.raises(NotFound):
        services.issue_rectification(world.leader_b, record.pk, "整改", 5)


def test_rectification_deadline_in_working_days(world, insp, planned):
    record = services.record_inspection(
        insp.gas_user, record_data(planned, insp.gas[:2], outcome="no_issue")
    ).record
    friday = dt.date(2026, 3, 6)
    order = services.issue_rectification(insp.gas_user, record.pk, "更换过期气瓶", 1, today=friday)
    assert order.deadline == dt.date(2026, 3, 9)  # the weekend does not count
    record.refresh_from_db()
    assert record.outcome == "rectification"
    with pytest.raises(ValidationError) as exc:
        services.issue_rectification(insp.gas_user, record.pk, "更换", 0, today=friday)
    assert _codes(exc, "working_days") == ["working_days_invalid"]
    services.verify_rectification(insp.gas_user, order.pk)
    with pytest.raises(DomainError):
        services.verify_rectification(insp.gas_user, order.pk)


def test_attachment_sha256(world, insp, planned, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    import hashlib

    record = services.record_inspection(insp.gas_user, record_data(planned, insp.gas[:2])).record
    attachment = services.add_attachment(
        insp.gas_user, record.pk, SimpleUploadedFile("现场.jpg", b"photo-bytes")
    )
    assert attachment.sha256 == hashlib.sha256(b"photo-bytes").hexdigest() and attachment.size == 11
    assert AuditEvent.objects.get(action="inspection.attachment").after["sha256"] == attachment.sha256


def test_handoff_through_registered_converter(world, insp, planned):
    record = services.record_inspection(
        insp.gas_user, record_data(planned, insp.gas[:2], outcome="case_suggested")
    ).record
    with pytest.raises(DomainError) as exc:
        services.hand_off(insp.gas_user, record.pk, "case")
    assert exc.value.code == "handoff_unknown"
    seen = []
    handoffs.register_handoff("case", lambda actor, rec: seen.append(rec.pk) or "衢江综执立字〔2026〕第1号")
    try:
        record = services.hand_off(insp.gas_user, record.pk, "case")
        assert seen == [record.pk] and record.handoff_ref == "衢江综执立字〔2026〕第1号"
        with pytest.raises(DomainError) as exc:
            services.hand_off(insp.gas_user, record.pk, "case")
        assert exc.value.code == "already_handed_off" and seen == [record.pk]
    finally:
        handoffs.unregister_handoff("case")


def test_rating_once_after_the_visit(world, insp, planned):
    token = services.action_code_token(planned.action_code)
    with pytest.raises(DomainError) as exc:
        services.rate_action_code(token, 5)
    assert exc.value.code == "not_inspected_yet"
    services.record_inspection(insp.gas_user, record_data(planned, insp.gas[:2]))
    with pytest.raises(ValidationError):
        services.rate_action_code(token, 6)
    services.rate_action_code(token, 4, "态度很好")
    with pytest.raises(DomainError) as exc:
        services.rate_action_code(token, 1)
    assert exc.value.code == "already_rated"
    assert ActionCode.objects.get(pk=planned.action_code.pk).rating == 4
    with pytest.raises(NotFound):
        services.rate_action_code(token[:-2] + "xx", 5)


def test_draw_is_deterministic_for_equal_inputs(world, insp, gas_plan):
    draw = run_draw_on(world.bureau_admin, gas_plan.pk, DAY)
    shuffled = dict(draw.inputs)
    shuffled["officers"] = list(draw.inputs["officers"])
    random.Random(1).shuffle(shuffled["officers"])  # officer order does not matter: rules sort by id
    assert services.compute_draw(shuffled) == draw.result


def test_joint_record_is_shared_with_every_department_of_the_visit(world, insp, planned):
    record = services.record_inspection(insp.gas_user, record_data(planned, insp.gas[:2])).record
    assert record.department == world.bureau  # the anchor task's department
    assert selectors.record_detail(Scope.for_user(insp.market_user), record.pk) == record
    lonely = (
        JointInspection.objects.filter(tasks__department=insp.market_org)
        .exclude(tasks__department=world.bureau)
        .first()
    )
    other = services.record_inspection(insp.market_user, record_data(lonely, insp.market[:2])).record
    with pytest.raises(NotFound):  # a market-only visit is not the bureau's
        selectors.record_detail(Scope.for_user(insp.gas_user), other.pk)


def test_inspections_feed_credit_facts_and_hold_catalog_items(world, insp, planned):
    from zhifa.catalog.references import open_reference_count
    from zhifa.parties import selectors as party_selectors
    from zhifa.parties import services as party_services

    assert open_reference_count(insp.I1.pk) == 1 and open_reference_count(insp.I3.pk) == 0
    party = insp.parties.red_a
    services.record_inspection(insp.gas_user, record_data(planned, insp.gas[:2], outcome="rectification"))
    config = party_selectors.active_risk_config()
    facts = party_services.facts_for([party, insp.parties.green_b], config, today=DAY)
    assert facts[party.pk].failed_inspections == 1
    assert (
        facts[insp.parties.green_b.pk].failed_inspections == insp.parties.green_b.failed_inspection_count_12m
    )


def test_second_draw_rotates_away_from_the_last_inspectors(world, insp, planned):
    from tests.inspections.conftest import certified

    services.record_inspection(insp.gas_user, record_data(planned, insp.gas[:2]))
    certified(world.bureau, "燃气管理")
    plan = services.create_plan(
        world.bureau_admin,
        plan_data(
            world.bureau,
            [insp.I1],
            name="第二季度",
            period_start=DAY + dt.timedelta(days=40),
            period_end=DAY + dt.timedelta(days=60),
        ),
    )
    draw = run_draw_on(world.bureau_admin, plan.pk, DAY + dt.timedelta(days=40))
    party = str(insp.parties.red_a.pk)
    assert draw.inputs["previous"][party] == sorted(o.pk for o in insp.gas[:2])
    assert not set(draw.result["officers"][party]) & {o.pk for o in insp.gas[:2]}
    assert services.verify_draw(draw).ok


def test_finding_becomes_an_incident_once(world, insp, planned):
    """The dispatch app registers the "incident" hand-off: one incident per record."""
    from zhifa.dispatch.models import Incident

    record = services.record_inspection(
        insp.gas_user,
        record_data(planned, insp.gas[:2], outcome="incident_suggested", findings="占用消防通道堆放杂物"),
    ).record
    record = services.hand_off(insp.gas_user, record.pk, "incident")
    incident = Incident.objects.get()
    assert record.handoff_kind == "incident" and record.handoff_ref == incident.tracking_code
    assert (incident.source, incident.text) == ("inspection_finding", "占用消防通道堆放杂物")
    with pytest.raises(DomainError) as exc:
        services.hand_off(insp.gas_user, record.pk, "incident")
    assert exc.value.code == "already_handed_off" and Incident.objects.count() == 1
