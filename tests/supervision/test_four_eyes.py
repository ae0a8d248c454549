"""Four eyes (监督留痕): closing a high-severity alert takes two different supervisors — one asks,
another confirms; the asker cannot confirm his own request; a lower alert closes at once."""

import pytest
from django.urls import reverse

from zhifa.core.errors import DomainError, PermissionDenied
from zhifa.core.models import AuditEvent
from zhifa.supervision import rules, services
from zhifa.supervision.models import Alert

from .conftest import NOW, make_case, make_incident

pytestmark = pytest.mark.django_db


@pytest.fixture
def high(sv):
    make_case(sv, state="investigating", officers=[sv.world.officer_a])
    services.sweep(NOW, ["officer_alone"])
    alert = Alert.objects.get(rule_code="officer_alone")
    assert alert.severity == rules.Severity.HIGH
    services.explain(sv.world.leader_a, alert.pk, "已补派一名执法人员", corrected=True)
    return alert


def test_rule_close_step():
    assert rules.close_step(rules.Severity.MEDIUM, None, 1) == "close"
    assert rules.close_step(rules.Severity.HIGH, None, 1) == "request"
    assert rules.close_step(rules.Severity.HIGH, 1, 1) == "same_person"
    assert rules.close_step(rules.Severity.HIGH, 1, 2) == "close"


def test_high_severity_needs_a_second_supervisor(sv, high):
    first = services.close(sv.supervisor, high.pk, "核实已补派")
    assert first.state == rules.CORRECTED and first.closed_at is None
    assert first.close_requested_by == sv.supervisor and first.close_remark == "核实已补派"
    with pytest.raises(DomainError) as exc:
        services.close(sv.supervisor, high.pk, "再次关闭")
    assert exc.value.code == "four_eyes_required"
    high.refresh_from_db()
    assert high.state == rules.CORRECTED
    closed = services.close(sv.supervisor2, high.pk, "同意")
    assert closed.state == rules.CLOSED and closed.closed_by == sv.supervisor2
    events = list(
        AuditEvent.objects.filter(object_type="supervision.Alert", object_id=str(high.pk))
        .order_by("seq")
        .values_list("action", "actor_name")
    )
    assert events[-2:] == [
        ("supervision.alert.close_request", "supervisor"),
        ("supervision.alert.close", "supervisor2"),
    ]
    last = AuditEvent.objects.filter(object_id=str(high.pk), action="supervision.alert.close").get()
    assert last.after["requested_by"] == sv.supervisor.pk


def test_a_lower_alert_closes_with_one_supervisor(sv):
    incident = make_incident(sv.world.team_a, state="handling", overdue=True)
    services.sweep(NOW, ["incident_overdue"])
    alert = Alert.objects.get(rule_code="incident_overdue", subject_id=incident.pk)
    assert alert.severity == rules.Severity.MEDIUM
    services.explain(sv.supervisor, alert.pk, "已督促办结")
    assert services.close(sv.supervisor, alert.pk).state == rules.CLOSED


def test_sending_back_withdraws_the_request(sv, high):
    services.close(sv.supervisor, high.pk)
    services.send_back(sv.supervisor2, high.pk, "整改材料不全")
    high.refresh_from_db()
    assert high.state == rules.ASSIGNED and high.close_requested_by is None
    services.explain(sv.world.leader_a, high.pk, "补充材料", corrected=True)
    # the same supervisor who asked before may now ask again, and still needs the other to confirm
    assert services.close(sv.supervisor2, high.pk).state == rules.CORRECTED
    assert services.close(sv.supervisor, high.pk).state == rules.CLOSED


def test_only_supervisors_take_part(sv, high):
    with pytest.raises(PermissionDenied):
        services.close(sv.world.leader_a, high.pk)
    services.close(sv.supervisor, high.pk)
    with pytest.raises(PermissionDenied):
        services.close(sv.world.leader_a, high.pk)  # a leader is not the second pair of eyes
    high.refresh_from_db()
    assert high.state == rules.CORRECTED


def test_the_api_follows_the_same_rule(client, sv, high):
    url = f"/api/v1/supervision/alerts/{high.pk}/close"
    client.force_login(sv.supervisor)
    assert (
        client.post(url, {"reason": "核实"}, content_type="application/json").json()["state"] == "corrected"
    )
    again = client.post(url, {"reason": ""}, content_type="application/json")
    assert again.status_code == 400 and again.json()["code"] == "four_eyes_required"
    client.force_login(sv.supervisor2)
    assert client.post(url, {"reason": ""}, content_type="application/json").json()["state"] == "closed"
    page = client.get(reverse("supervision:alert_detail", args=[high.pk])).content.decode()
    assert "申请人" in page
