"""Status feedback to the platforms that send incidents: signed webhooks, delivered after the
commit, retried with backoff after a failure, never twice once delivered, a dead-letter list an
administrator replays, the 12345 adapter's fields, Open311 status answers from the same data, and
a receiver that is down delaying nothing."""

from __future__ import annotations

import datetime as dt
import json
import threading
import time

from django.utils import timezone

from tests.dispatch.conftest import report_data
from zhifa.core.models import AuditEvent
from zhifa.dispatch import services as dispatch_services
from zhifa.dispatch.models import Incident
from zhifa.integrations import rules, services
from zhifa.integrations.models import Delivery, DeliveryAttempt, Subscriber
from zhifa.organizations.models import User

from .conftest import SECRET

URL = "/api/v1/dispatch/incidents"


def _push(client, command, capture, **overrides) -> Incident:
    with capture(execute=True):
        response = client.post(
            URL,
            data=json.dumps(report_data(**overrides)),
            content_type="application/json",
            HTTP_X_API_KEY=command.hotline_key,
        )
    assert response.status_code == 201, response.content
    return Incident.objects.get(pk=response.json()["id"])


def _verify(request) -> dict:
    headers = request["headers"]
    refusal = rules.check_signature(
        SECRET, headers["X-Zhifa-Timestamp"], headers["X-Zhifa-Signature"], request["body"], time.time()
    )
    assert refusal is None, refusal
    return json.loads(request["body"])


def test_a_pushed_incident_reports_back_signed_and_delivered_once(
    client, world, command, catalog, subscriber, receiver, manual, django_capture_on_commit_callbacks
):
    incident = _push(client, command, django_capture_on_commit_callbacks, external_id="12345-W-1")
    delivery = Delivery.objects.get()
    assert (
        delivery.event == "accepted" and delivery.state == "pending" and receiver.requests == []
    )  # not inline
    services.deliver(delivery.pk)
    body = _verify(receiver.requests[0])
    assert body["event"] == "accepted" and body["event_id"] == str(delivery.event_id)
    assert (
        body["incident"]["tracking_code"] == incident.tracking_code
        and body["incident"]["external_id"] == "12345-W-1"
    )
    assert receiver.requests[0]["headers"]["X-Zhifa-Event-Id"] == str(delivery.event_id)
    delivery.refresh_from_db()
    assert delivery.state == "delivered" and delivery.attempts == 1 and delivery.last_status == 200
    attempt = DeliveryAttempt.objects.get(delivery=delivery)
    assert attempt.status_code == 200 and '"ok": true' in attempt.response
    assert services.flush(timezone.now() + dt.timedelta(days=1))["sent"] == 0
    assert (
        services.deliver(delivery.pk) is None and len(receiver.requests) == 1
    )  # delivered means never again


def test_every_step_of_the_loop_is_reported_and_a_tampered_body_fails_the_signature(
    client, world, command, catalog, subscriber, receiver, manual, django_capture_on_commit_callbacks
):
    incident = _push(client, command, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        dispatch_services.transition(command.user, incident.pk, "assign")
        dispatch_services.transition(world.user_a, incident.pk, "return", reason="不属于本镇")
    assert list(Delivery.objects.order_by("pk").values_list("event", flat=True)) == [
        "accepted",
        "assigned",
        "returned",
    ]
    services.flush()
    assert [b["event"] for b in receiver.bodies()] == ["accepted", "assigned", "returned"]
    returned = receiver.requests[2]
    assert json.loads(returned["body"])["incident"]["note"] == "不属于本镇"
    forged = returned["body"].replace(b"returned", b"closed")
    assert (
        rules.check_signature(
            SECRET,
            returned["headers"]["X-Zhifa-Timestamp"],
            returned["headers"]["X-Zhifa-Signature"],
            forged,
            time.time(),
        ).code
        == "signature_mismatch"
    )
    old = int(returned["headers"]["X-Zhifa-Timestamp"])
    assert (
        rules.check_signature(
            SECRET,
            str(old),
            returned["headers"]["X-Zhifa-Signature"],
            returned["body"],
            old + rules.TOLERANCE_SECONDS + 1,
        ).code
        == "timestamp_out_of_window"
    )


def test_a_500_is_retried_with_backoff_and_not_delivered_twice(
    client, world, command, catalog, subscriber, receiver, manual, django_capture_on_commit_callbacks
):
    receiver.statuses = [500]
    _push(client, command, django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get()
    now = timezone.now()
    services.deliver(delivery.pk, now=now)
    delivery.refresh_from_db()
    assert delivery.state == "retrying" and delivery.last_status == 500
    assert delivery.next_attempt_at == now + dt.timedelta(seconds=rules.BACKOFF_SECONDS[0])
    assert services.flush(now + dt.timedelta(seconds=10))["sent"] == 0  # not due yet
    services.flush(delivery.next_attempt_at)
    delivery.refresh_from_db()
    assert delivery.state == "delivered" and delivery.attempts == 2
    assert [r["status"] for r in receiver.requests] == [500, 200]
    assert (
        len({r["headers"]["X-Zhifa-Event-Id"] for r in receiver.requests}) == 1
    )  # the receiver can deduplicate
    services.flush(delivery.next_attempt_at + dt.timedelta(hours=12))
    assert len(receiver.requests) == 2  # no duplicate after the retry
    assert list(DeliveryAttempt.objects.filter(delivery=delivery).values_list("status_code", flat=True)) == [
        500,
        200,
    ]


def test_a_dead_delivery_is_listed_and_replayed_by_an_administrator(
    client, world, command, catalog, subscriber, receiver, manual, django_capture_on_commit_callbacks
):
    receiver.statuses = [503] * rules.MAX_ATTEMPTS
    _push(client, command, django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get()
    now = timezone.now()
    for _ in range(rules.MAX_ATTEMPTS):
        services.deliver(delivery.pk, now=now)
        delivery.refresh_from_db()
        now = delivery.next_attempt_at
    assert delivery.state == "dead" and delivery.attempts == rules.MAX_ATTEMPTS
    assert len(receiver.requests) == rules.MAX_ATTEMPTS

    client.force_login(command.user)  # the command centre sees the list but may not replay
    page = client.get("/integrations/deliveries/?state=dead").content.decode()
    assert f'data-delivery="{delivery.pk}"' in page and "重放</button>" not in page
    assert client.post(f"/integrations/deliveries/{delivery.pk}/replay/").status_code == 403
    admin = User.objects.create_superuser("root", password="correct-horse-battery")
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/integrations/deliveries/{delivery.pk}/replay/").status_code == 302
    services.flush()
    delivery.refresh_from_db()
    assert delivery.state == "delivered" and receiver.requests[-1]["status"] == 200
    assert receiver.requests[-1]["headers"]["X-Zhifa-Event-Id"] == str(delivery.event_id)
    assert DeliveryAttempt.objects.filter(delivery=delivery, replay=False).count() == rules.MAX_ATTEMPTS
    assert list(
        DeliveryAttempt.objects.filter(delivery=delivery, replay=True).values_list("status_code", flat=True)
    ) == [200]
    assert AuditEvent.objects.filter(action="integrations.replay", object_id=str(delivery.pk)).exists()
    client.force_login(world.user_a)
    assert client.get("/integrations/deliveries/").status_code == 403


def test_the_12345_adapter_writes_the_hotlines_fields(
    client, world, command, catalog, subscriber, receiver, manual, django_capture_on_commit_callbacks
):
    Subscriber.objects.filter(pk=subscriber.pk).update(
        adapter="hotline_12345", events=["assigned", "handled"]
    )
    incident = _push(client, command, django_capture_on_commit_callbacks, external_id="GD20260001")
    with django_capture_on_commit_callbacks(execute=True):
        dispatch_services.transition(command.user, incident.pk, "assign")
        dispatch_services.transition(world.user_a, incident.pk, "accept")
        dispatch_services.transition(world.user_a, incident.pk, "reply", reply="已劝离")
    services.flush()
    assigned, handled = [_verify(r) for r in receiver.requests]  # "accepted" was not subscribed
    assert (assigned["gdbh"], assigned["blzt"], assigned["blztmc"]) == ("GD20260001", "20", "已派单")
    assert assigned["cbdw"] == world.team_a.name and assigned["blqx"]
    assert (handled["blzt"], handled["bljg"]) == ("30", "已劝离")


def test_open311_status_answers_from_the_same_data(
    client, world, command, catalog, subscriber, manual, django_capture_on_commit_callbacks
):
    incident = _push(client, command, django_capture_on_commit_callbacks)
    dispatch_services.transition(command.user, incident.pk, "assign")
    one = client.get(
        f"/api/v1/dispatch/open311/requests/{incident.tracking_code.lower()}.json",
        HTTP_X_API_KEY=command.hotline_key,
    ).json()[0]
    assert (
        one["status"] == "open"
        and one["status_notes"] == "已交办"
        and one["agency_responsible"] == world.team_a.name
    )
    listed = client.get(
        f"/api/v1/dispatch/open311/requests.json?service_request_id={incident.tracking_code},QJNOSUCH00",
        HTTP_X_API_KEY=command.hotline_key,
    ).json()
    assert [r["service_request_id"] for r in listed] == [incident.tracking_code]
    missing = client.get("/api/v1/dispatch/open311/requests.json", HTTP_X_API_KEY=command.hotline_key)
    assert missing.status_code == 422 and missing.json()["field"] == "service_request_id"


def test_a_receiver_that_is_down_delays_nothing(
    transactional_db, client, world, command, catalog, subscriber, receiver, settings
):
    settings.ZHIFA_WEBHOOK_MODE = "thread"
    receiver.delay = 3.0  # answers only after three seconds
    incident, _ = dispatch_services.report_incident(
        command.user, report_data()
    )  # not pushed by a platform: no callback
    Incident.objects.filter(pk=incident.pk).update(caller=f"apikey:{command_key_id(command)}")
    before = set(threading.enumerate())
    started = time.perf_counter()
    dispatch_services.transition(command.user, incident.pk, "assign")  # commits at once (transactional test)
    assert time.perf_counter() - started < 1.5
    delivery = Delivery.objects.get(event="assigned")
    assert delivery.state in ("pending", "sending")
    for thread in set(threading.enumerate()) - before:
        thread.join(timeout=rules.TIMEOUT_SECONDS + 5)
    delivery.refresh_from_db()
    assert delivery.state == "delivered"


def command_key_id(command) -> int:
    from zhifa.api.models import ApiKey

    return ApiKey.objects.get(name="12345 热线").pk


def test_a_subscriber_of_another_body_hears_nothing(
    client, world, command, catalog, receiver, manual, django_capture_on_commit_callbacks
):
    Subscriber.objects.create(name="上方镇四平台", organization=world.team_a, url=receiver.url, secret=SECRET)
    _push(client, command, django_capture_on_commit_callbacks)  # pushed by the hotline, not by the township
    assert Delivery.objects.count() == 0
