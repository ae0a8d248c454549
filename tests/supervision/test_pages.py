"""Supervision pages and API endpoints."""

import datetime as dt

import pytest
from django.urls import reverse

from zhifa.supervision import services
from zhifa.supervision.models import Alert

from .conftest import NOW, make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def alert(sv):
    make_case(sv, state="investigating", officers=[sv.world.officer_a])
    services.sweep(NOW, ["officer_alone"])
    return Alert.objects.get()


def test_pages_render_for_a_supervisor(client, sv, alert):
    client.force_login(sv.supervisor)
    sheet = services.create_sheet(sv.supervisor, "评查表", [{"text": "程序合法", "max_points": 10}])
    batch = services.draw_reviews(
        sv.supervisor,
        sheet_id=sheet.pk,
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 12, 31),
        seed="s",
    )
    for name, args in (
        ("alerts", []),
        ("alert_detail", [alert.pk]),
        ("notices", []),
        ("reviews", []),
        ("review_batch", [batch.pk]),
        ("appraisals", []),
    ):
        response = client.get(reverse(f"supervision:{name}", args=args))
        assert response.status_code == 200, name
    page = client.get(reverse("supervision:alerts")).content.decode()
    assert "执法人员少于两人" in page and "行政处罚法第四十二条" in page
    assert "监督预警" in page  # the menu entry


def test_alert_list_filters_and_exports(client, sv, alert):
    client.force_login(sv.supervisor)
    assert (
        alert.message
        in client.get(reverse("supervision:alerts"), {"rule_code": "officer_alone"}).content.decode()
    )
    assert (
        alert.message
        not in client.get(reverse("supervision:alerts"), {"rule_code": "duplicate_fine"}).content.decode()
    )
    response = client.get(reverse("supervision:alerts"), {"format": "xlsx"})
    assert response.status_code == 200 and response["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )


def test_close_without_explanation_on_the_page(client, sv, alert):
    client.force_login(sv.supervisor)
    response = client.post(reverse("supervision:alert_action", args=[alert.pk, "close"]), follow=True)
    assert "关闭预警前须先说明情况或完成整改" in response.content.decode()
    client.post(
        reverse("supervision:alert_action", args=[alert.pk, "explain"]), {"explanation": "已补派人员"}
    )
    response = client.post(reverse("supervision:alert_action", args=[alert.pk, "close"]), follow=True)
    alert.refresh_from_db()
    # officer_alone is a high-severity alert: the first supervisor only asks to close it
    assert alert.state == "explained" and alert.close_requested_by == sv.supervisor
    page = response.content.decode()
    assert "已申请关闭，待另一名监督人员确认" in page and "须由另一名监督人员确认" in page
    assert "确认关闭" not in page  # the asker cannot confirm his own request
    client.force_login(sv.supervisor2)
    assert "确认关闭" in client.get(reverse("supervision:alert_detail", args=[alert.pk])).content.decode()
    client.post(reverse("supervision:alert_action", args=[alert.pk, "close"]))
    alert.refresh_from_db()
    assert alert.state == "closed" and alert.closed_by == sv.supervisor2


def test_other_township_gets_404(client, sv, alert):
    client.force_login(sv.world.leader_b)
    assert client.get(reverse("supervision:alert_detail", args=[alert.pk])).status_code == 404
    assert alert.message not in client.get(reverse("supervision:alerts")).content.decode()


def test_appraisal_page_shows_reasons(client, sv):
    from tests.supervision.test_services import FOUR

    scheme = services.create_scheme(sv.supervisor, {"name": "四维考评", "dimensions": FOUR})
    client.force_login(sv.supervisor)
    response = client.post(
        reverse("supervision:appraisals"),
        {"scheme": scheme.pk, "period_start": "2026-01-01", "period_end": "2026-06-30"},
        follow=True,
    )
    assert "已计算" in response.content.decode()
    result = scheme.results.first()
    page = client.get(reverse("supervision:appraisal_detail", args=[result.pk])).content.decode()
    assert "权重55%" in page and "办理案件数" in page


def test_api_alerts_and_refusal(client, sv, alert):
    client.force_login(sv.supervisor)
    data = client.get("/api/v1/supervision/alerts", {"rule_code": "officer_alone"}).json()
    assert [a["id"] for a in data["items"]] == [alert.pk] and data["items"][0][
        "rule_name"
    ] == "执法人员少于两人"
    response = client.post(
        f"/api/v1/supervision/alerts/{alert.pk}/close", {"reason": ""}, content_type="application/json"
    )
    assert response.status_code == 400 and response.json()["code"] == "explanation_required"
    response = client.post(
        f"/api/v1/supervision/alerts/{alert.pk}/explain",
        {"explanation": "已整改", "corrected": True},
        content_type="application/json",
    )
    assert response.json()["state"] == "corrected"
    assert len(client.get("/api/v1/supervision/rules").json()) >= 13
    client.force_login(sv.world.leader_b)
    assert client.get(f"/api/v1/supervision/alerts/{alert.pk}").status_code == 404
