"""Intake, idempotency, the loop with permissions and scopes, deadlines, disputes, duplicates."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from tests.dispatch.conftest import report_data
from zhifa.core.errors import DomainError, NotFound, PermissionDenied
from zhifa.core.models import AuditEvent
from zhifa.dispatch import selectors, services
from zhifa.dispatch.models import HandlingCheck, IdempotencyKey, Incident, IncidentEvent

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _field_codes(exc: ValidationError) -> dict[str, str]:
    return {field: errors[0].code for field, errors in exc.error_dict.items()}


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"source": "wechat"}, "source", "unknown_source"),
        (
            {"text": "", "title": "", "address": "", "lat": None, "lng": None},
            "text",
            "text_or_location_required",
        ),
        ({"lat": "30.274", "lng": "120.155"}, "lat", "outside_district"),
        ({"lat": "28.9", "lng": None}, "lng", "coordinates_incomplete"),
        ({"lat": "北纬28度"}, "lat", "invalid_coordinate"),
        ({"priority": "very"}, "priority", "invalid_priority"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(world, command, overrides, field, code):
    with pytest.raises(ValidationError) as exc:
        services.report_incident(command.user, report_data(**overrides), idempotency_key="k1")
    assert _field_codes(exc.value)[field] == code
    assert Incident.objects.count() == 0 and IdempotencyKey.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_same_push_twice_creates_one_incident(world, command, catalog):
    first, created = services.report_incident(command.user, report_data(), idempotency_key="push-1")
    again, created_again = services.report_incident(command.user, report_data(), idempotency_key="push-1")
    assert created and not created_again and again.pk == first.pk
    assert Incident.objects.count() == 1


def test_same_external_id_without_a_key_is_one_incident(world, command, catalog):
    a, _ = services.report_incident(command.user, report_data(external_id="12345-0001"))
    b, created = services.report_incident(command.user, report_data(external_id="12345-0001"))
    assert not created and a.pk == b.pk and Incident.objects.count() == 1


def test_replayed_key_with_another_body_is_refused(world, command, catalog):
    services.report_incident(command.user, report_data(), idempotency_key="push-1")
    with pytest.raises(DomainError) as exc:
        services.report_incident(
            command.user, report_data(text="另一件事：噪声扰民"), idempotency_key="push-1"
        )
    assert exc.value.code == "idempotency_conflict" and exc.value.status == 409
    assert Incident.objects.count() == 1


def test_a_pushed_incident_is_located_routed_and_masked(world, command, catalog):
    incident, _ = services.report_incident(command.user, report_data())
    assert incident.township == world.shangfang
    assert incident.item.code == "330202010000"  # 占道经营: a base item of the township list
    assert incident.suggested_org == world.team_a
    assert (
        len(incident.suggestions) == 3
        and incident.suggestions[0]["score"] >= incident.suggestions[1]["score"]
    )
    assert incident.masked_phone == "138****5678"
    assert incident.state == "reported" and incident.responsible_org is None


def _assigned(world, command, now=None):
    incident, _ = services.report_incident(command.user, report_data(), now=now)
    return services.transition(command.user, incident.pk, "assign", now=now)


def test_the_whole_loop_is_worked_by_the_right_people_and_audited(world, command, catalog):
    incident = _assigned(world, command)
    assert incident.responsible_org == world.team_a and incident.due_at is not None
    for action, kwargs in (("accept", {}), ("handle", {}), ("reply", {"reply": "已劝离摊贩并宣传教育"})):
        services.transition(world.user_a, incident.pk, action, **kwargs)
    with pytest.raises(
        DomainError
    ) as exc:  # satisfaction is the reporter's to give, not the command centre's
        services.transition(command.user, incident.pk, "evaluate", satisfaction=5)
    assert exc.value.code == "rated_by_reporter" and exc.value.field == "satisfaction"
    services.transition(command.user, incident.pk, "evaluate")
    closed = services.transition(command.user, incident.pk, "close")
    assert closed.state == "closed" and closed.closed_at is not None
    actions = list(IncidentEvent.objects.filter(incident=incident).values_list("action", flat=True))
    assert actions == ["report", "assign", "accept", "handle", "reply", "evaluate", "close"]
    audited = set(
        AuditEvent.objects.filter(object_id=str(incident.pk), object_type="dispatch.Incident").values_list(
            "action", flat=True
        )
    )
    assert {"incident.report", "incident.assign", "incident.reply", "incident.close"} <= audited


def test_another_township_cannot_see_or_work_the_incident(world, command, catalog):
    incident = _assigned(world, command)
    with pytest.raises(NotFound):
        services.transition(command.officer_b, incident.pk, "accept")
    with pytest.raises(NotFound):
        selectors.incident_detail(selectors.scope_of(world.leader_b), incident.pk)
    assert selectors.incident_detail(selectors.scope_of(world.leader_a), incident.pk).pk == incident.pk


def test_a_handler_may_not_dispatch_and_a_dispatcher_may_not_accept(world, command, catalog):
    incident, _ = services.report_incident(command.user, report_data())
    incident.township = world.shangfang
    with pytest.raises(PermissionDenied):
        services.transition(world.user_a, incident.pk, "assign", organization=world.team_a)
    services.transition(command.user, incident.pk, "assign")
    with pytest.raises(PermissionDenied):
        services.transition(command.user, incident.pk, "accept")


def test_return_needs_a_reason_and_a_refused_step_changes_nothing(world, command, catalog):
    incident = _assigned(world, command)
    with pytest.raises(DomainError) as exc:
        services.transition(world.user_a, incident.pk, "return", reason="")
    assert exc.value.code == "reason_required" and exc.value.field == "reason"
    incident.refresh_from_db()
    assert incident.state == "assigned"
    returned = services.transition(world.user_a, incident.pk, "return", reason="该地块属峡川镇")
    assert returned.state == "returned" and returned.due_at is None


def _closed(world, command):
    incident = _assigned(world, command)
    services.transition(world.user_a, incident.pk, "accept")
    services.transition(world.user_a, incident.pk, "reply", reply="已处理")
    services.transition(command.user, incident.pk, "evaluate")
    return services.transition(command.user, incident.pk, "close")


def test_a_dissatisfied_reporter_sends_the_incident_to_the_command_centres_check(world, command, catalog):
    incident = _closed(world, command)
    rated = services.rate(incident.tracking_code.lower(), 1, "摊贩第二天又回来了")
    assert rated.satisfaction == 1 and rated.rated_at is not None and rated.state == "closed"
    check = HandlingCheck.objects.get(incident=incident)
    assert check.state == "open" and check.rating == 1 and check.comment == "摊贩第二天又回来了"
    assert list(selectors.open_checks(command.user)) == [check]
    assert list(selectors.open_checks(world.leader_b)) == []  # another township sees none of it
    with pytest.raises(DomainError) as exc:
        services.rate(incident.tracking_code, 5)
    assert exc.value.code == "already_rated"
    with pytest.raises(PermissionDenied):
        services.finish_check(world.user_a, check.pk, reopen=True, result="x")
    done = services.finish_check(command.user, check.pk, reopen=True, result="经回访核实，摊贩仍在")
    incident.refresh_from_db()
    assert (
        done.state == "reopened" and incident.state == "assigned" and incident.responsible_org == world.team_a
    )
    assert AuditEvent.objects.filter(action="incident.check_finished", object_id=str(incident.pk)).exists()


def test_a_good_rating_opens_no_check_and_the_reporter_may_reopen_once(world, command, catalog):
    incident = _closed(world, command)
    services.rate(incident.tracking_code, 4)
    assert not HandlingCheck.objects.exists()
    reopened = services.citizen_reopen(incident.tracking_code, "晚上又来摆摊了")
    assert (
        reopened.state == "assigned"
        and reopened.citizen_reopened_at is not None
        and reopened.due_at is not None
    )
    event = IncidentEvent.objects.filter(incident=incident, action="reopen").get()
    assert "报告人反映问题未解决" in event.note and event.actor_name == "公众（门户网站）"
    for action, kwargs in (("accept", {}), ("reply", {"reply": "已再次处理"})):
        services.transition(world.user_a, incident.pk, action, **kwargs)
    services.transition(command.user, incident.pk, "evaluate")
    services.transition(command.user, incident.pk, "close")
    services.rate(incident.tracking_code, 2)  # a new closure may be rated again
    with pytest.raises(DomainError) as exc:
        services.citizen_reopen(incident.tracking_code, "还是没解决")
    assert exc.value.code == "already_reopened"
    with pytest.raises(NotFound):
        services.rate("QJNOSUCH00", 5)


def test_deadline_overdue_and_escalation_across_the_national_day_holiday(world, command, catalog):
    assigned_at = dt.datetime(2026, 9, 30, 10, 0, tzinfo=SHANGHAI)
    incident = _assigned(world, command, now=assigned_at)
    assert incident.due_at.astimezone(SHANGHAI).date() == dt.date(2026, 10, 13)
    assert incident.escalate_at.astimezone(SHANGHAI).date() == dt.date(2026, 10, 27)

    assert services.sweep_deadlines(dt.datetime(2026, 10, 13, 18, 0, tzinfo=SHANGHAI)) == {
        "overdue": 0,
        "escalated": 0,
    }
    assert services.sweep_deadlines(dt.datetime(2026, 10, 14, 0, 30, tzinfo=SHANGHAI)) == {
        "overdue": 1,
        "escalated": 0,
    }
    assert services.sweep_deadlines(dt.datetime(2026, 10, 14, 0, 40, tzinfo=SHANGHAI)) == {
        "overdue": 0,
        "escalated": 0,
    }
    incident.refresh_from_db()
    assert incident.overdue and not incident.escalated
    assert services.sweep_deadlines(dt.datetime(2026, 10, 28, 8, 0, tzinfo=SHANGHAI))["escalated"] == 1
    incident.refresh_from_db()
    assert incident.escalated
    assert IncidentEvent.objects.filter(incident=incident, action__in=["overdue", "escalate"]).count() == 2


def test_replied_incidents_are_not_marked_overdue(world, command, catalog):
    incident = _assigned(world, command, now=dt.datetime(2026, 9, 30, 10, 0, tzinfo=SHANGHAI))
    services.transition(world.user_a, incident.pk, "accept")
    services.transition(world.user_a, incident.pk, "reply", reply="已处理")
    assert services.sweep_deadlines(dt.datetime(2026, 11, 30, tzinfo=SHANGHAI)) == {
        "overdue": 0,
        "escalated": 0,
    }


def test_dispute_decision_binds_and_is_audited(world, command, catalog):
    incident = _assigned(world, command)
    dispute = services.raise_dispute(
        world.user_a, incident.pk, world.bureau, "摊点在城区主干道，属执法局直管路段"
    )
    services.answer_dispute(world.bureau_admin, dispute.pk, "属乡镇清单基础库事项")
    with pytest.raises(PermissionDenied):
        services.decide_dispute(command.user, dispute.pk, world.bureau, "由执法局承办")
    services.decide_dispute(world.guidance_user, dispute.pk, world.bureau, "主干道由执法局承办")
    incident.refresh_from_db()
    dispute.refresh_from_db()
    assert dispute.state == "decided" and dispute.decided_org == world.bureau and dispute.decided_at
    assert incident.responsible_org == world.bureau and incident.state == "assigned"
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"dispute.raise", "dispute.answer", "dispute.decide", "incident.dispute_decided"} <= actions
    # The township no longer works it; the bureau does.
    with pytest.raises(PermissionDenied):
        services.transition(world.leader_a, incident.pk, "accept")
    assert services.transition(world.bureau_admin, incident.pk, "accept").state == "accepted"
    with pytest.raises(DomainError):
        services.decide_dispute(world.guidance_user, dispute.pk, world.team_a, "改判")


def test_nearby_similar_open_incident_is_offered_and_merged(world, command, catalog):
    first, _ = services.report_incident(command.user, report_data(lat="28.805000", lng="119.030000"))
    near, _ = services.report_incident(
        command.user,
        report_data(
            lat="28.805600", lng="119.030400", text="上方镇新街菜场门口有流动摊贩占道经营，人行道被堵"
        ),
    )
    far, _ = services.report_incident(command.user, report_data(lat="28.830000", lng="119.030000"))
    other, _ = services.report_incident(
        command.user, report_data(lat="28.805100", lng="119.030100", text="楼上装修电钻噪音太吵")
    )
    found = [row[0].pk for row in selectors.possible_duplicates(near)]
    assert found == [first.pk]
    assert far.pk not in found and other.pk not in found
    merged = services.merge_duplicate(command.user, near.pk, first.pk)
    assert merged.state == "merged" and merged.merged_into == first
    assert selectors.possible_duplicates(first) == []


def test_referral_is_sent_and_received(world, command, catalog):
    incident = _assigned(world, command)
    referral = services.refer(
        world.user_a, to_org=command.market, reason="涉及食品安全", incident_id=incident.pk
    )
    assert referral.due_on > dt.date(2000, 1, 1) and referral.state == "sent"
    with pytest.raises(NotFound):
        services.receive_referral(world.leader_b, referral.pk, "收到")
    received = services.receive_referral(command.market_officer, referral.pk, "已接收，转市场监管所核查")
    assert received.state == "received" and received.received_at
