"""Pages: the command-centre queue, the incident page, the officer's task list; scopes and query counts."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.dispatch.conftest import report_data
from zhifa.dispatch import services
from zhifa.dispatch.models import Incident


def _incidents(command, n, **overrides):
    made = []
    for i in range(n):
        incident, _ = services.report_incident(
            command.user, report_data(external_id=f"v-{len(made)}-{i}-{id(made)}", **overrides)
        )
        made.append(services.transition(command.user, incident.pk, "assign"))
    return made


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_queue_shows_counts_and_masks_nothing_it_should_not(client, world, command, catalog):
    made = _incidents(command, 2)
    client.force_login(command.user)
    page = client.get("/dispatch/").content.decode()
    assert made[0].tracking_code in page and "已交办" in page and "上方镇" in page
    assert "13812345678" not in page


def test_queue_query_count_does_not_grow_with_rows(client, world, command, catalog):
    _incidents(command, 2)
    client.force_login(command.user)
    few = _queries(client, "/dispatch/?state=assigned")
    _incidents(command, 12)
    assert _queries(client, "/dispatch/?state=assigned") == few
    assert _queries(client, "/dispatch/my/") <= few


def test_filters_narrow_the_queue(client, world, command, catalog):
    _incidents(command, 1)
    services.report_incident(
        command.user,
        report_data(
            source="patrol", text="峡川镇有人焚烧秸秆", address="峡川镇", lat="28.930000", lng="119.100000"
        ),
    )
    client.force_login(command.user)
    page = client.get(f"/dispatch/?township_id={world.xiachuan.pk}").content.decode()
    assert "焚烧秸秆" in page and "菜场" not in page
    assert "焚烧秸秆" not in client.get("/dispatch/?source=hotline").content.decode()


def test_incident_page_masks_the_phone_and_offers_the_users_actions(client, world, command, catalog):
    incident = _incidents(command, 1)[0]
    client.force_login(world.user_a)
    page = client.get(f"/dispatch/incidents/{incident.pk}/").content.decode()
    assert "138****5678" in page and "13812345678" not in page
    assert "签收" in page and "交办</summary>" not in page
    response = client.post(f"/dispatch/incidents/{incident.pk}/act/accept/")
    assert response.status_code == 302
    assert Incident.objects.get(pk=incident.pk).state == "accepted"


def test_refused_action_shows_the_message_and_changes_nothing(client, world, command, catalog):
    incident = _incidents(command, 1)[0]
    client.force_login(world.user_a)
    response = client.post(f"/dispatch/incidents/{incident.pk}/act/return/", {"reason": ""})
    assert response.status_code == 200 and "退回须填写理由" in response.content.decode()
    assert Incident.objects.get(pk=incident.pk).state == "assigned"


def test_another_township_gets_404_and_an_empty_queue(client, world, command, catalog):
    incident = _incidents(command, 1)[0]
    client.force_login(world.leader_b)
    assert client.get(f"/dispatch/incidents/{incident.pk}/").status_code == 404
    assert incident.tracking_code not in client.get("/dispatch/").content.decode()
    assert client.post(f"/dispatch/incidents/{incident.pk}/act/accept/").status_code == 404


def test_my_tasks_lists_the_officers_body_work_with_deadlines(client, world, command, catalog):
    incident = _incidents(command, 1)[0]
    client.force_login(world.user_a)
    page = client.get("/dispatch/my/").content.decode()
    assert "菜场" in page and "期限" in page
    client.force_login(command.officer_b)
    assert "菜场" not in client.get("/dispatch/my/").content.decode()
    assert incident.pk


def test_report_form_refuses_coordinates_outside_the_district(client, world, command, catalog):
    client.force_login(command.user)
    response = client.post(
        "/dispatch/new/",
        {
            "source": "hotline",
            "priority": "normal",
            "text": "油烟扰民",
            "lat": "31.200000",
            "lng": "121.400000",
        },
    )
    assert response.status_code == 200 and "不在衢江区范围内" in response.content.decode()
    assert Incident.objects.count() == 0
    response = client.post(
        "/dispatch/new/", {"source": "hotline", "priority": "normal", "text": "樟潭街道楼下饭店油烟扰民"}
    )
    assert response.status_code == 302 and Incident.objects.count() == 1


def test_dispute_raised_and_decided_on_the_incident_page(client, world, command, catalog):
    incident = _incidents(command, 1)[0]
    client.force_login(world.user_a)
    assert "提出执法争议" in client.get(f"/dispatch/incidents/{incident.pk}/").content.decode()
    client.post(
        f"/dispatch/incidents/{incident.pk}/disputes/", {"other_org": world.bureau.pk, "reason": "主干道"}
    )
    dispute = incident.disputes.get()
    assert (
        client.post(
            f"/dispatch/incidents/{incident.pk}/disputes/{dispute.pk}/decision/",
            {"decided_org": world.bureau.pk, "decision": "x"},
        ).status_code
        == 403
    )
    client.force_login(world.guidance_user)
    page = client.get(f"/dispatch/incidents/{incident.pk}/").content.decode()
    assert "裁定（有约束力）" in page
    client.post(
        f"/dispatch/incidents/{incident.pk}/disputes/{dispute.pk}/decision/",
        {"decided_org": world.bureau.pk, "decision": "主干道由执法局承办"},
    )
    incident.refresh_from_db()
    assert incident.responsible_org == world.bureau


def test_referral_page_lists_both_sides_lets_the_receiver_confirm_and_exports(
    client, world, command, catalog
):
    from io import BytesIO

    from openpyxl import load_workbook

    incident, _ = services.report_incident(command.user, report_data())
    referral = services.refer(
        world.user_a, to_org=command.market, reason="涉及食品安全", incident_id=incident.pk
    )
    client.force_login(world.user_a)  # the sending township sees it, without a receive form
    html = client.get("/dispatch/referrals/").content.decode()
    assert "涉及食品安全" in html and f"/dispatch/referrals/{referral.pk}/receive/" not in html
    rows = list(load_workbook(BytesIO(client.get("/dispatch/referrals/?format=xlsx").content)).active.values)
    assert rows[2][0] == world.user_a.organization.name and rows[2][4] == "涉及食品安全"
    client.force_login(world.leader_b)  # another township: neither side
    assert "涉及食品安全" not in client.get("/dispatch/referrals/").content.decode()
    client.force_login(command.market_officer)
    assert (
        f"/dispatch/referrals/{referral.pk}/receive/" in client.get("/dispatch/referrals/").content.decode()
    )
    client.post(f"/dispatch/referrals/{referral.pk}/receive/", {"receipt": "已接收"})
    referral.refresh_from_db()
    assert referral.state == "received" and referral.receipt == "已接收"


def test_township_counts_cover_open_incidents_by_township_name(world, command, catalog):
    from zhifa.core.scopes import Scope
    from zhifa.dispatch import selectors

    made = _incidents(command, 3)
    Incident.objects.filter(pk=made[0].pk).update(overdue=True)  # as the overdue sweep marks it
    Incident.objects.filter(pk=made[1].pk).update(state="closed")
    [row] = selectors.township_counts(Scope(everything=True))
    assert (row["township__name"], row["open"], row["overdue"]) == ("上方镇", 2, 1)
    Incident.objects.filter(pk__in=[m.pk for m in made]).update(state="closed")
    assert selectors.township_counts(Scope(everything=True)) == []  # nothing open: no row
