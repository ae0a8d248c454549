"""Discretion pages and API: baseline list and detail, lists, the recommend form and endpoint;
public pages without login."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.discretion.conftest import DAY, STALL_LEVELS
from zhifa.discretion import rules, services

pytestmark = pytest.mark.django_db
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.fixture
def stalls(world, items):
    baseline = services.create_baseline(
        world.guidance_user, items.stalls, {"effective_from": DAY, "levels": STALL_LEVELS}
    )
    services.approve_baseline(world.guidance_user, baseline.pk, DAY)
    services.add_list_entry(
        world.guidance_user,
        items.stalls,
        {
            "kind": "no_penalty",
            "first_offence_waiver": True,
            "title": "首次占道经营且及时改正",
            "conditions_text": "首次被发现，危害后果轻微，及时改正",
            "conditions": {"first_offence": True, "harm_max": "minor"},
            "legal_basis": rules.ART33_1,
            "effective_from": DAY,
            "published_on": DAY,
        },
    )
    services.add_list_entry(
        world.guidance_user,
        items.barbecue,
        {
            "kind": "lighter",
            "title": "未公布的条目",
            "conditions_text": "x",
            "legal_basis": rules.ART32,
            "effective_from": DAY,
        },
    )
    return baseline


def _login(client, user):
    client.force_login(user, backend=MODEL_BACKEND)
    return client


def _text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_pages_need_login(client, stalls):
    response = client.get("/discretion/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_public_lists_without_login(client, stalls):
    html = _text(client.get("/discretion/public/first_offence_waiver/"))
    assert "首次占道经营且及时改正" in html and "第三十三条第一款" in html
    assert "未公布的条目" not in _text(client.get("/discretion/public/lighter/"))  # not published
    assert client.get("/discretion/public/whatever/").status_code == 404


def test_baseline_list_and_detail(client, stalls, world):
    _login(client, world.user_a)
    html = _text(client.get("/discretion/"))
    assert "对擅自占道经营的行政处罚" in html and "高频事项细化裁量基准覆盖率" in html and "裁量基准" in html
    assert "33%" in html  # 1 of 3 high-frequency items
    html = _text(client.get(f"/discretion/baselines/{stalls.pk}/"))
    assert "轻微" in html and "50元–200元" in html and "首次违法" in html and "首违不罚" in html
    assert "批准施行并公布" not in html  # an officer may not approve


def test_list_pages_do_not_grow_queries(client, stalls, world, items):
    _login(client, world.user_a)

    def count(url) -> int:
        with CaptureQueriesContext(connection) as ctx:
            _text(client.get(url))
        return len(ctx)

    before = (count("/discretion/"), count("/discretion/lists/"))
    services.create_baseline(
        world.guidance_user,
        items.barbecue,
        {
            "effective_from": DAY,
            "levels": [
                {
                    "name": "ordinary",
                    "conditions": {},
                    "range_kind": "fixed",
                    "range_low": 500,
                    "range_high": 20000,
                }
            ],
        },
    )
    services.add_list_entry(
        world.guidance_user,
        items.noise,
        {
            "kind": "no_compulsion",
            "title": "轻微噪声",
            "conditions_text": "x",
            "legal_basis": "行政强制法第十六条第二款",
            "effective_from": DAY,
        },
    )
    assert (count("/discretion/"), count("/discretion/lists/")) == before


def test_recommend_form(client, stalls, world, items):
    _login(client, world.user_a)
    html = _text(client.get("/discretion/recommend/"))
    assert "对擅自占道经营的行政处罚" in html
    html = _text(
        client.get(
            "/discretion/recommend/",
            {
                "item": items.stalls.pk,
                "on_date": "2026-02-01",
                "harm": "minor",
                "amount_involved": "100",
                "decided_amount": "400",
            },
        )
    )
    assert (
        "一般" in html
        and "50元–200元" in html
        and "行政处罚法第三十四条" in html
        and "须书面说明理由" in html
    )
    html = _text(
        client.get(
            "/discretion/recommend/",
            {
                "item": items.stalls.pk,
                "on_date": "2026-02-01",
                "harm": "minor",
                "first_offence": "on",
                "corrected_in_time": "on",
                "amount_involved": "0",
            },
        )
    )
    assert "首违不罚" in html and "行政处罚法第三十三条第一款" in html
    html = _text(
        client.get(
            "/discretion/recommend/", {"item": items.stalls.pk, "on_date": "2025-02-01", "harm": "none"}
        )
    )
    assert "没有施行中的裁量基准" in html


def test_entry_list_filters(client, stalls, world):
    _login(client, world.user_a)
    html = _text(client.get("/discretion/lists/", {"kind": "first_offence_waiver"}))
    assert "首次占道经营且及时改正" in html and "未公布的条目" not in html


def test_approve_from_the_page(client, world, items):
    draft = services.create_baseline(
        world.guidance_user, items.stalls, {"effective_from": timezone.localdate(), "levels": STALL_LEVELS}
    )
    _login(client, world.guidance_user)
    assert "批准施行并公布" in _text(client.get(f"/discretion/baselines/{draft.pk}/"))
    response = client.post(f"/discretion/baselines/{draft.pk}/approve/")
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "in_force" and draft.approved_by == world.guidance_user


def test_import_page_refuses_officers(client, world, items):
    _login(client, world.user_a)
    assert client.get("/discretion/import/").status_code == 403


def test_api(client, stalls, world, items):
    _login(client, world.user_a)
    body = client.get("/api/v1/discretion/baselines").json()
    assert body["count"] == 1 and [lv["name"] for lv in body["items"][0]["levels"]] == [
        "minor",
        "ordinary",
        "serious",
        "grave",
    ]
    entries = client.get("/api/v1/discretion/lists", {"kind": "first_offence_waiver"}).json()["items"]
    assert [e["title"] for e in entries] == ["首次占道经营且及时改正"]
    response = client.post(
        "/api/v1/discretion/recommend",
        {
            "item_code": "D1",
            "on_date": "2026-02-01",
            "facts": {"amount_involved": "9000", "repeat": True},
            "decided_amount": "800",
        },
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    rec = response.json()
    assert rec["level"] == "grave" and rec["lawful_range"]["low"] == "500.00"
    assert rec["deviation"] == {
        "allowed": True,
        "needs_legal_review": False,
        "code": None,
        "message": "在推荐幅度内",
    }
    assert {r["article"] for r in rec["reasons"]} == {rules.ART34}
    missing = client.post(
        "/api/v1/discretion/recommend",
        {"item_code": "D4", "on_date": str(dt.date(2026, 2, 1))},
        content_type="application/json",
    )
    assert missing.status_code == 400 and missing.json()["code"] == "no_baseline"


def test_openapi_lists_the_endpoints(client, world):
    _login(client, world.user_a)
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {
        "/api/v1/discretion/baselines",
        "/api/v1/discretion/lists",
        "/api/v1/discretion/recommend",
    } <= set(paths)
