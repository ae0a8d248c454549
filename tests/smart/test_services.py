"""Devices, device events to cases, campaigns and the "双简双增" measures, on PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.conftest import new_user
from tests.parties.conftest import add_party
from tests.smart.conftest import payload, push
from zhifa.cases.models import Case, Evidence
from zhifa.core.errors import DomainError, NotFound, PermissionDenied
from zhifa.core.scopes import Scope
from zhifa.inspections.models import InspectionPlan, InspectionRecord, InspectionTask, JointInspection
from zhifa.organizations.models import User
from zhifa.partyspace.models import Notice
from zhifa.smart import selectors, services
from zhifa.smart.models import Campaign, CampaignTask, Device, DeviceEvent


def _event(client, sw, **overrides):
    response = push(client, sw, payload(sw, **overrides))
    assert response.status_code == 201, response.content
    return DeviceEvent.objects.get(pk=response.json()["id"])


# ---- devices ------------------------------------------------------------------------------------------


def test_a_device_is_published_only_when_reviewed_and_checked(sw):
    device, key = services.register_device(
        sw.admin,
        {
            "organization_id": sw.cw.world.team_a.pk,
            "code": "QJ-SF-NOISE-01",
            "name": "噪声监测仪",
            "kind": "noise",
            "location": "上方镇工业园",
            "township_id": sw.cw.world.shangfang.pk,
            "item_ids": [sw.cw.item.pk],
        },
    )
    assert len(key) == 64 and device.status == Device.Status.DRAFT
    with pytest.raises(DomainError, match="法制审核") as exc:
        services.publish_device(sw.admin, device.pk)
    assert "检定或校准" in exc.value.message and "明显标志" in exc.value.message
    with pytest.raises(PermissionDenied):
        services.review_device(sw.cw.user, device.pk, {"opinion": "同意"})  # an officer is no legal reviewer
    with pytest.raises(PermissionDenied):
        services.publish_device(sw.cw.user, device.pk)


def test_devices_of_another_township_are_out_of_reach(sw):
    admin_b = new_user("device_admin_b", sw.cw.world.team_b, User.Role.DEPARTMENT_ADMIN)
    assert list(selectors.devices(admin_b)) == []
    with pytest.raises(NotFound):
        services.retire_device(admin_b, sw.device.pk, "不是我的")
    with pytest.raises(ValidationError):
        services.register_device(
            admin_b,
            {
                "organization_id": 999999,
                "code": "X-1",
                "name": "x",
                "kind": "camera",
                "location": "x",
                "township_id": sw.cw.world.xiachuan.pk,
                "item_ids": [sw.cw.item.pk],
            },
        )
    with pytest.raises(PermissionDenied):
        services.register_device(
            admin_b,
            {
                "organization_id": sw.cw.world.team_a.pk,
                "code": "X-2",
                "name": "x",
                "kind": "camera",
                "location": "x",
                "township_id": sw.cw.world.shangfang.pk,
                "item_ids": [sw.cw.item.pk],
            },
        )


# ---- events -------------------------------------------------------------------------------------------


def test_an_accepted_event_opens_a_case_with_the_evidence_and_tells_the_party(client, sw):
    event = _event(client, sw)
    services.accept_event(
        sw.cw.user,
        event.pk,
        {"officer_ids": [sw.cw.world.officer_a.pk, sw.cw.second.pk], "note": "记录清晰完整"},
    )
    event.refresh_from_db()
    case = event.case
    assert event.status == "accepted" and case.party == sw.cw.firm and case.item == sw.cw.item
    assert case.organization == sw.device.organization and case.state == "registered"
    assert case.act_date == timezone.localtime(event.occurred_at).date()
    evidence = Evidence.objects.get(case=case)
    assert evidence.kind == "audiovisual" and evidence.sha256 == event.evidence.get().sha256
    assert "浙计检2026-0001" in evidence.description and sw.device.code in evidence.description
    notice = Notice.objects.get(party=sw.cw.firm)  # 第四十一条第三款: the party is told
    assert case.number in notice.body and sw.device.location in notice.body
    with pytest.raises(DomainError, match="已审核"):
        services.discard_event(sw.cw.user, event.pk, "重复")


def test_a_discarded_event_needs_its_reason_and_opens_nothing(client, sw):
    event = _event(client, sw)
    with pytest.raises(ValidationError):
        services.discard_event(sw.cw.user, event.pk, " ")
    services.discard_event(sw.cw.user, event.pk, "画面模糊，无法辨认")
    assert DeviceEvent.objects.get(pk=event.pk).status == "discarded" and not Case.objects.exists()


def test_an_event_without_a_known_party_needs_the_officer_to_name_it(client, sw):
    event = _event(client, sw, party={"hint": "浙H·12345"})
    with pytest.raises(ValidationError) as exc:
        services.accept_event(
            sw.cw.user, event.pk, {"officer_ids": [sw.cw.world.officer_a.pk, sw.cw.second.pk]}
        )
    assert "party_id" in exc.value.error_dict
    services.accept_event(
        sw.cw.user,
        event.pk,
        {"party_id": sw.cw.person.pk, "officer_ids": [sw.cw.world.officer_a.pk, sw.cw.second.pk]},
    )
    assert Case.objects.get().party == sw.cw.person


def test_another_townships_officer_cannot_review(client, sw):
    event = _event(client, sw)
    with pytest.raises(NotFound):
        services.accept_event(
            sw.cw.user_b, event.pk, {"officer_ids": [sw.cw.world.officer_b.pk, sw.cw.second_b.pk]}
        )


# ---- campaigns ------------------------------------------------------------------------------------------


def _theme(sw, **overrides):
    firm = sw.cw.firm
    firm.industry = "catering"
    firm.save(update_fields=["industry"])
    add_party(sw.cw.world.shangfang, name="上方小吃店", industry="catering")
    add_party(sw.cw.world.xiachuan, name="峡川饭店", industry="catering")  # another township: not a target
    guidance = sw.cw.world.guidance_user
    today = timezone.localdate()
    data = {
        "kind": "theme",
        "name": "餐饮店“一件事”联合检查",
        "lead_id": sw.cw.world.guidance.pk,
        "period_start": today,
        "period_end": today + dt.timedelta(days=30),
        "item_ids": [sw.inspection.pk],
        "body_ids": [sw.cw.world.team_a.pk, sw.cw.world.bureau.pk],
        "township_ids": [sw.cw.world.shangfang.pk],
        "industries": ["catering"],
        "goal": "消防、食品、环境、招牌一次查清",
    }
    return services.create_campaign(guidance, {**data, **overrides})


def test_a_theme_is_planned_run_and_reported(sw):
    campaign = _theme(sw)
    result = services.plan_campaign(sw.cw.world.guidance_user, campaign.pk)
    assert result == {"targets": 2, "tasks": 4, "bodies": 2, "skipped": []}
    tasks = list(CampaignTask.objects.filter(campaign=campaign))
    for party in {t.party_id for t in tasks}:  # one visit per target for both bodies
        assert len({t.visit_day for t in tasks if t.party_id == party}) == 1
    with pytest.raises(DomainError, match="已生成计划"):
        services.plan_campaign(sw.cw.world.guidance_user, campaign.pk)
    today = timezone.localdate()
    firm_tasks = [t for t in tasks if t.party_id == sw.cw.firm.pk]
    for task in firm_tasks:
        actor = sw.cw.user if task.organization_id == sw.cw.world.team_a.pk else sw.bureau_officer
        services.record_result(actor, task.pk, {"outcome": "no_issue", "checked_on": today})
    with pytest.raises(PermissionDenied):  # an officer records his own body's tasks only
        other = next(t for t in tasks if t.state == "open" and t.organization_id == sw.cw.world.bureau.pk)
        services.record_result(sw.cw.user, other.pk, {"outcome": "no_issue"})
    with pytest.raises(ValidationError):
        services.record_result(
            sw.cw.user,
            next(
                t for t in tasks if t.party_id != sw.cw.firm.pk and t.organization_id == sw.cw.world.team_a.pk
            ).pk,
            {"outcome": "rectification"},
        )  # a finding needs its description
    board = selectors.dashboard(campaign)
    assert (board.total, board.done, board.visits, board.checks, board.saved) == (4, 2, 1, 2, 1)
    summary = selectors.party_visit_summary(sw.cw.firm.pk, today.year)["summary"]
    assert (summary.visits, summary.bodies, summary.joint) == (1, 2, 1)
    closed = services.close_campaign(
        sw.cw.world.guidance_user, campaign.pk, {"conclusion": "完成两家餐饮店联合检查。"}
    )
    assert closed.state == Campaign.State.CLOSED and closed.report.read().startswith(b"%PDF")
    assert len(closed.report_sha256) == 64


def test_bodies_without_the_items_are_named_and_get_no_tasks(sw):
    from zhifa.organizations.models import Organization

    market = Organization.objects.create(
        name="市场监督管理局",
        kind=Organization.Kind.PROFESSIONAL_DEPARTMENT,
        region=sw.cw.world.district,
        parent=sw.cw.world.root,
        is_enforcement_body=True,
    )
    campaign = _theme(sw, body_ids=[sw.cw.world.team_a.pk, market.pk])
    result = services.plan_campaign(sw.cw.world.guidance_user, campaign.pk)
    assert result["skipped"] == ["市场监督管理局"] and result["tasks"] == 2


def test_campaigns_are_run_by_their_lead_and_seen_by_their_participants(sw):
    campaign = _theme(sw)
    with pytest.raises(PermissionDenied):
        services.plan_campaign(sw.cw.user, campaign.pk)  # an officer does not run it
    leader_b = sw.cw.world.leader_b
    assert campaign not in selectors.campaigns(leader_b)  # 峡川镇 neither leads, takes part nor is covered
    assert campaign in selectors.campaigns(sw.cw.user)
    with pytest.raises(ValidationError):
        _theme(sw, period_end=timezone.localdate() - dt.timedelta(days=100))


# ---- 双简双增 ----------------------------------------------------------------------------------------------


def _joint_visit(sw, party, departments, day):
    plan = InspectionPlan.objects.create(
        department=departments[0], name="计划", period_start=day, period_end=day, draw_nonce="n"
    )
    visit = JointInspection.objects.create(party=party, day=day, state="done")
    for department in departments:
        other = (
            InspectionPlan.objects.create(
                department=department, name="计划", period_start=day, period_end=day, draw_nonce="n"
            )
            if department != departments[0]
            else plan
        )
        task = InspectionTask.objects.create(
            plan=other,
            party=party,
            department=department,
            window_start=day,
            window_end=day,
            visit=visit,
            state="done",
        )
    started = timezone.make_aware(dt.datetime.combine(day, dt.time(10)))
    return InspectionRecord.objects.create(
        visit=visit,
        party=party,
        department=departments[0],
        started_at=started,
        ended_at=started + dt.timedelta(hours=1),
    ), task


def test_visit_measures_count_visits_bodies_and_joint_visits(sw):
    world = sw.cw.world
    day = timezone.localdate().replace(month=1, day=10)
    _joint_visit(sw, sw.cw.firm, [world.team_a, world.bureau, world.guidance], day)
    _joint_visit(sw, sw.cw.firm, [world.team_a], day + dt.timedelta(days=30))
    summary = selectors.party_visit_summary(sw.cw.firm.pk, day.year)
    assert (summary["summary"].visits, summary["summary"].bodies, summary["summary"].joint) == (2, 3, 1)
    assert "检查2次" in summary["sentence"] and "3个部门" in summary["sentence"]
    district = selectors.visit_measures(Scope(everything=True), day.year)["total"]
    assert district == {"visits": 2, "checks": 4, "joint": 1, "businesses": 1, "single": 1, "saved": 2}
    other_town = selectors.visit_measures(Scope.for_user(sw.cw.world.leader_b), day.year)["total"]
    assert other_town["visits"] == 0
    assert selectors.party_visit_summary(sw.cw.firm.pk, day.year - 1)["summary"].visits == 0
