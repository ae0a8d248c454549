"""The alert loop, sweeps and event runs, notices, case file review and appraisal, against PostgreSQL."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.conftest import new_user
from zhifa.cases.models import CaseEvent, CaseOfficer
from zhifa.core.errors import DomainError, NotFound, PermissionDenied
from zhifa.core.models import AuditEvent
from zhifa.core.scopes import Scope
from zhifa.organizations.models import User
from zhifa.supervision import rules, selectors, services
from zhifa.supervision.models import Alert, Notice, Review

from .conftest import NOW, make_case, make_incident

pytestmark = pytest.mark.django_db


def open_alerts(code=None):
    qs = Alert.objects.exclude(state="closed")
    return set((qs.filter(rule_code=code) if code else qs).values_list("rule_code", "subject_id"))


# ---- sweeps ----


def test_sweep_is_idempotent_and_marks_cleared(sv):
    alone = make_case(sv, state="investigating", officers=[sv.world.officer_a])
    first = services.sweep(NOW)
    assert first["officer_alone"] == 1
    snapshot = open_alerts()
    assert ("officer_alone", alone.pk) in snapshot
    assert services.sweep(NOW + dt.timedelta(hours=1)) == {code: 0 for code in first}
    assert open_alerts() == snapshot
    assert Alert.objects.filter(rule_code="officer_alone").count() == 1
    # the condition goes away: the alert stays open for the supervisor, stamped as cleared
    CaseOfficer.objects.create(case=alone, officer=sv.second, role="assist")
    services.sweep(NOW + dt.timedelta(hours=2), ["officer_alone"])
    alert = Alert.objects.get(rule_code="officer_alone")
    assert alert.state == rules.RAISED and alert.cleared_at is not None
    assert AuditEvent.objects.filter(action="supervision.sweep", object_id="officer_alone").exists()


def test_recurrence_after_close_raises_a_linked_alert(sv):
    alone = make_case(sv, state="investigating", officers=[sv.world.officer_a])
    services.sweep(NOW, ["officer_alone"])
    alert = Alert.objects.get()
    services.explain(sv.supervisor, alert.pk, "已补充一名执法人员")
    services.close(sv.supervisor, alert.pk)
    services.close(sv.supervisor2, alert.pk)  # high severity: a second supervisor confirms
    services.sweep(NOW, ["officer_alone"])
    again = Alert.objects.exclude(pk=alert.pk).get()
    assert again.subject_id == alone.pk and again.previous_id == alert.pk and again.state == rules.RAISED


def test_unknown_rule_refused(sv):
    with pytest.raises(DomainError) as exc:
        services.sweep(NOW, ["no_such_rule"])
    assert exc.value.code == "unknown_rule"


def test_event_run_on_case_change(sv, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = make_case(sv, state="investigating", officers=[sv.world.officer_a])
    assert ("officer_alone", case.pk) in open_alerts()
    other = make_case(sv, state="investigating", officers=[sv.world.officer_a], act_date=dt.date(2026, 4, 2))
    assert ("officer_alone", other.pk) not in open_alerts()  # no commit callbacks ran: not examined


def test_event_run_on_incident_change(sv, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        incident = make_incident(sv.world.team_a, state="handling", overdue=True)
    assert ("incident_overdue", incident.pk) in open_alerts()


def test_event_run_failure_does_not_break_the_write(sv, django_capture_on_commit_callbacks, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("rule failed")

    monkeypatch.setattr(services, "run_for", boom)
    with django_capture_on_commit_callbacks(execute=True):
        case = make_case(sv, state="investigating", officers=[sv.world.officer_a])
    assert case.pk and not Alert.objects.exists()


def _queued_runs() -> list[tuple[str, list[int]]]:
    """The ``supervision.run_for`` messages waiting in the broker's default queue (Redis)."""
    import base64
    import json

    import redis
    from django.conf import settings

    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    runs = []
    for raw in client.lrange("celery", 0, -1):
        message = json.loads(raw)
        if message["headers"].get("task") == "supervision.run_for":
            args, _kwargs, _embed = json.loads(base64.b64decode(message["body"]))
            runs.append((args[0], args[1]))
    return runs


def test_queued_event_run_goes_to_a_worker(sv, settings, django_capture_on_commit_callbacks):
    """``queued``: the request ends at its commit; the rules run where the task is taken."""
    from zhifa.supervision import tasks

    if not settings.CELERY_BROKER_URL:
        pytest.skip("needs the Redis broker that ./dev test starts")
    settings.ZHIFA_SUPERVISION_EVENT_RUNS = "queued"
    with django_capture_on_commit_callbacks(execute=True):
        incident = make_incident(sv.world.team_a, state="handling", overdue=True)
    assert ("incident_overdue", incident.pk) not in open_alerts()  # not run in the request
    assert ("incident", [incident.pk]) in _queued_runs()
    tasks.run_for("incident", [incident.pk])  # what the worker does with the message
    assert ("incident_overdue", incident.pk) in open_alerts()


def test_queued_event_run_runs_here_when_the_broker_refuses(
    sv, settings, django_capture_on_commit_callbacks, monkeypatch
):
    from zhifa.supervision import tasks

    def refused(*args, **kwargs):
        raise ConnectionError("broker down")

    settings.ZHIFA_SUPERVISION_EVENT_RUNS = "queued"
    monkeypatch.setattr(tasks.run_for, "apply_async", refused)
    with django_capture_on_commit_callbacks(execute=True):
        incident = make_incident(sv.world.team_a, state="handling", overdue=True)
    assert ("incident_overdue", incident.pk) in open_alerts()


def test_event_runs_off(sv, settings, django_capture_on_commit_callbacks):
    settings.ZHIFA_SUPERVISION_EVENT_RUNS = "off"
    with django_capture_on_commit_callbacks(execute=True):
        incident = make_incident(sv.world.team_a, state="handling", overdue=True)
    assert ("incident_overdue", incident.pk) not in open_alerts()


# ---- the alert loop ----


@pytest.fixture
def alert(sv):
    make_case(sv, state="investigating", officers=[sv.world.officer_a])
    services.sweep(NOW, ["officer_alone"])
    return Alert.objects.get()


def test_loop_assign_explain_close(sv, alert):
    assert alert.organization_id == sv.world.team_a.pk
    services.assign(sv.guidance, alert.pk)  # to the responsible supervisor by default
    alert.refresh_from_db()
    assert alert.state == rules.ASSIGNED and alert.assignee == sv.supervisor
    services.explain(sv.world.leader_a, alert.pk, "案件已补派执法人员", corrected=True)
    services.close(sv.supervisor, alert.pk, "核实无误")
    services.close(sv.supervisor2, alert.pk, "同意关闭")  # high severity: a second supervisor confirms
    alert.refresh_from_db()
    assert alert.state == rules.CLOSED and alert.closed_at
    actions = list(
        AuditEvent.objects.filter(object_type="supervision.Alert", object_id=str(alert.pk)).values_list(
            "action", flat=True
        )
    )
    assert actions == [
        "supervision.alert.assign",
        "supervision.alert.correct",
        "supervision.alert.close_request",
        "supervision.alert.close",
    ]


def test_close_without_explanation_refused(sv, alert):
    with pytest.raises(DomainError) as exc:
        services.close(sv.supervisor, alert.pk)
    assert exc.value.code == "explanation_required"
    with pytest.raises(ValidationError) as exc:
        services.explain(sv.supervisor, alert.pk, "   ")
    assert exc.value.error_dict["explanation"][0].code == "explanation_required"
    alert.refresh_from_db()
    assert alert.state == rules.RAISED


def test_send_back_then_explain_again(sv, alert):
    services.explain(sv.supervisor, alert.pk, "说明一")
    services.send_back(sv.supervisor, alert.pk, "说明不充分")
    alert.refresh_from_db()
    assert alert.state == rules.ASSIGNED
    with pytest.raises(DomainError):
        services.close(sv.supervisor, alert.pk)


def test_only_supervisors_assign_and_close(sv, alert):
    with pytest.raises(PermissionDenied):
        services.assign(sv.world.user_a, alert.pk)
    with pytest.raises(PermissionDenied):
        services.explain(sv.world.user_a, alert.pk, "我说明")  # an officer is not the body's responder
    with pytest.raises(ValidationError):
        services.assign(sv.guidance, alert.pk, sv.world.user_a.pk)  # not a supervisor


def test_township_sees_only_its_own_alerts(sv, alert):
    assert list(selectors.alert_list(Scope.for_user(sv.world.leader_a))) == [alert]
    assert list(selectors.alert_list(Scope.for_user(sv.world.leader_b))) == []
    assert list(selectors.alert_list(Scope.for_user(sv.supervisor))) == [alert]
    with pytest.raises(NotFound):
        selectors.get_alert(Scope.for_user(sv.world.leader_b), alert.pk)
    with pytest.raises(NotFound):
        services.explain(sv.world.leader_b, alert.pk, "不是我的")


# ---- notices ----


def test_notice_sent_by_guidance_office_and_replied(sv, alert):
    notice = services.send_notice(
        sv.guidance,
        {
            "kind": "recommendation",
            "to_org": sv.world.team_a.pk,
            "title": "关于规范执法人员配备的建议",
            "body": "请整改",
            "alert": alert.pk,
        },
    )
    assert notice.reply_due > NOW.date() or notice.reply_due
    with pytest.raises(PermissionDenied):
        services.send_notice(
            sv.supervisor, {"kind": "circular", "to_org": sv.world.team_a.pk, "title": "t", "body": "b"}
        )
    with pytest.raises(NotFound):
        services.acknowledge_notice(sv.world.leader_b, notice.pk)
    services.acknowledge_notice(sv.world.leader_a, notice.pk)
    with pytest.raises(ValidationError):
        services.reply_notice(sv.world.leader_a, notice.pk, "")
    services.reply_notice(sv.world.leader_a, notice.pk, "已整改完毕")
    notice.refresh_from_db()
    assert notice.state == Notice.State.REPLIED and notice.replied_by == sv.world.leader_a
    assert list(selectors.notices(Scope.for_user(sv.world.leader_b))) == []


def test_notice_requires_fields(sv):
    with pytest.raises(ValidationError) as exc:
        services.send_notice(sv.guidance, {"kind": "other", "to_org": "", "title": "", "body": ""})
    assert set(exc.value.error_dict) == {"kind", "to_org", "title", "body"}


# ---- case file review ----


@pytest.fixture
def sheet(sv):
    return services.create_sheet(
        sv.supervisor,
        "行政处罚案卷评查表",
        [
            {"category": "主体", "text": "执法主体合法", "max_points": 10},
            {"category": "程序", "text": "程序合法", "max_points": 20, "basis": "行政处罚法第四十四条"},
        ],
    )


def closed_case(sv, day, **kw):
    case = make_case(
        sv,
        state="closed",
        fine="2000",
        amount_paid=2000,
        act_date=dt.date(2025, 1, 1) + dt.timedelta(days=day),
        **kw,
    )
    CaseEvent.objects.create(
        case=case, action="close", from_state="paid", to_state="closed", on=dt.date(2026, 5, 1)
    )
    return case


def test_draw_is_reproducible_and_stratified(sv, sheet):
    for i in range(10):
        closed_case(sv, i)
    make_case(sv, state="paid", fine="2000", act_date=dt.date(2024, 1, 1))  # not closed
    kwargs = {
        "sheet_id": sheet.pk,
        "period_start": dt.date(2026, 5, 1),
        "period_end": dt.date(2026, 5, 31),
        "seed": "2026-05",
        "share": 0.3,
    }
    first = services.draw_reviews(sv.supervisor, **kwargs)
    second = services.draw_reviews(sv.supervisor, **kwargs)
    picked = sorted(first.reviews.values_list("case_id", flat=True))
    assert len(picked) == 3 and picked == sorted(second.reviews.values_list("case_id", flat=True))
    assert first.population == 10
    sheet.refresh_from_db()
    assert sheet.frozen
    assert AuditEvent.objects.filter(action="supervision.review.draw").count() == 2


def test_reviewer_cannot_score_own_case(sv, sheet):
    case = closed_case(sv, 1)
    batch = services.draw_reviews(
        sv.supervisor,
        sheet_id=sheet.pk,
        period_start=dt.date(2026, 5, 1),
        period_end=dt.date(2026, 5, 31),
        seed="x",
        share=1,
    )
    review = batch.reviews.get(case=case)
    own = new_user("own_reviewer", sv.world.guidance, User.Role.SUPERVISOR, sv.second)  # assisted on the case
    with pytest.raises(DomainError) as exc:
        services.assign_reviewer(sv.supervisor, review.pk, own.pk)
    assert exc.value.code == "reviewer_conflict"
    with pytest.raises(DomainError) as exc:
        services.score_review(own, review.pk, {})
    assert exc.value.code == "reviewer_conflict"


def test_scoring_checks_points_and_aggregates(sv, sheet):
    case = closed_case(sv, 2)
    batch = services.draw_reviews(
        sv.supervisor,
        sheet_id=sheet.pk,
        period_start=dt.date(2026, 5, 1),
        period_end=dt.date(2026, 5, 31),
        seed="y",
        share=1,
    )
    review = batch.reviews.get(case=case)
    services.assign_reviewer(sv.supervisor, review.pk, sv.guidance.pk)
    items = list(sheet.items.order_by("order"))
    with pytest.raises(PermissionDenied):
        services.score_review(
            sv.supervisor, review.pk, {items[0].pk: 10, items[1].pk: 20}
        )  # not the assigned reviewer
    with pytest.raises(ValidationError) as exc:
        services.score_review(sv.guidance, review.pk, {items[0].pk: 11, items[1].pk: -1})
    assert {e.code for errors in exc.value.error_dict.values() for e in errors} == {"points_out_of_range"}
    services.score_review(sv.guidance, review.pk, {items[0].pk: 8, items[1].pk: "17.5"}, "程序文书不全")
    review.refresh_from_db()
    assert review.state == Review.State.SCORED and review.total == Decimal("25.5") and review.max_total == 30
    by_body = selectors.review_results_by_body(Scope.for_user(sv.supervisor), batch.pk)
    assert [(r["organization_id"], r["files"], r["points"]) for r in by_body] == [
        (sv.world.team_a.pk, 1, Decimal("25.5"))
    ]
    by_officer = {
        r["officer_id"]: r
        for r in selectors.review_results_by_officer(Scope.for_user(sv.supervisor), batch.pk)
    }
    assert set(by_officer) == {sv.world.officer_a.pk, sv.second.pk} and by_officer[sv.second.pk]["rate"] == 85


# ---- appraisal ----

FOUR = [
    {
        "name": "执法岗位",
        "weight": 55,
        "enforcement_post": True,
        "metrics": ["cases", "inspections", "review_score"],
    },
    {"name": "事件处置", "weight": 20, "metrics": ["incidents_on_time"]},
    {"name": "群众满意", "weight": 15, "metrics": ["satisfaction"]},
    {"name": "乡镇日常", "weight": 10, "metrics": ["incidents_on_time"]},
]


def test_weights_must_sum_to_100_and_post_at_least_half(sv):
    with pytest.raises(DomainError) as exc:
        services.create_scheme(
            sv.supervisor, {"name": "方案", "dimensions": [{**FOUR[0], "weight": 50}, *FOUR[1:]]}
        )
    assert exc.value.code == "weights_not_100"
    low_post = [{**FOUR[0], "weight": 45}, {**FOUR[1], "weight": 30}, *FOUR[2:]]
    with pytest.raises(DomainError) as exc:
        services.create_scheme(sv.supervisor, {"name": "方案", "dimensions": low_post})
    assert exc.value.code == "enforcement_post_below_50"
    with pytest.raises(DomainError) as exc:
        services.create_scheme(
            sv.supervisor, {"name": "方案", "dimensions": [{**FOUR[0], "metrics": ["bribes"]}, *FOUR[1:]]}
        )
    assert exc.value.code == "metric_unknown"
    assert services.create_scheme(sv.supervisor, {"name": "方案", "dimensions": FOUR}).dimensions.count() == 4


def test_appraisal_from_platform_data_with_reasons(sv):
    from zhifa.dispatch.models import IncidentEvent

    scheme = services.create_scheme(
        sv.supervisor, {"name": "四维考评", "dimensions": FOUR, "targets": {"cases": 2, "inspections": 10}}
    )
    make_case(
        sv, state="investigating", filing_date=dt.date(2026, 5, 5)
    )  # officer_a leads, second assists (both count)
    make_case(sv, state="investigating", filing_date=dt.date(2026, 5, 6), act_date=dt.date(2026, 4, 2))
    on_time = make_incident(sv.world.team_a, state="evaluated", due_at=NOW, satisfaction=5)
    late = make_incident(
        sv.world.team_a, state="evaluated", due_at=NOW - dt.timedelta(days=3), satisfaction=3
    )
    for incident in (on_time, late):
        IncidentEvent.objects.create(
            incident=incident,
            at=NOW - dt.timedelta(days=1),
            action="reply",
            actor_name=sv.world.user_a.username,
        )
    n = services.compute_appraisal(sv.supervisor, scheme.pk, dt.date(2026, 5, 1), dt.date(2026, 6, 30))
    results = {r.officer_id: r for r in selectors.appraisal_results(Scope.for_user(sv.supervisor), scheme.pk)}
    assert (
        n == len(results) and sv.world.officer_a.pk in results and sv.world.bureau_officer.pk not in results
    )
    a = results[sv.world.officer_a.pk]
    post, incidents, satisfaction, _ = a.dimensions
    # cases 2/2 → 100; inspections 0/10 → 0; no review → excluded: (100 + 0) / 2 = 50
    assert post["score"] == 50 and any("办理案件数2件" in r for r in post["reasons"])
    assert incidents["score"] == 50  # 1 of 2 replied in time
    assert satisfaction["score"] == 75  # average 4 on 1..5
    assert float(a.total) == pytest.approx(50 * 0.55 + 50 * 0.2 + 75 * 0.15 + 50 * 0.1)
    b = results[sv.world.officer_b.pk]
    assert b.dimensions[2]["score"] == 80 and "基准分" in b.dimensions[2]["reasons"][-2]
    # a township sees its own staff only
    assert {r.officer_id for r in selectors.appraisal_results(Scope.for_user(sv.world.leader_b))} == {
        sv.world.officer_b.pk
    }


def test_beat_task_sweeps(sv, settings):
    from zhifa.supervision.tasks import sweep_alerts

    assert settings.CELERY_BEAT_SCHEDULE["supervision-sweep-alerts"]["task"] == "supervision.sweep_alerts"
    case = make_case(sv, state="investigating", officers=[sv.world.officer_a])
    result = sweep_alerts.apply(kwargs={"now": NOW.isoformat(), "rule_codes": ["officer_alone"]}).get()
    assert result == {"officer_alone": 1} and ("officer_alone", case.pk) in open_alerts()
