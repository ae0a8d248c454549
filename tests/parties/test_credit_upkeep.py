"""Credit rules kept in the UI (企业四色管理): versions with a date, the nightly task that puts them in
force and recolours every party with its reasons, the 无感监管 list by its published rule, the
credit facts of one party, and who may do it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.parties.conftest import add_party
from zhifa.core.errors import PermissionDenied
from zhifa.core.models import AuditEvent
from zhifa.parties import rules, services, tasks
from zhifa.parties.models import Party, RiskConfig

TODAY = timezone.localdate()
TOMORROW = TODAY + dt.timedelta(days=1)


def test_the_light_touch_rule_and_its_reason():
    clean, config = rules.PartyFacts(), rules.RiskConfig()
    assert rules.light_touch(clean, config, rules.GREEN)[0]
    assert "远程核查" in rules.light_touch(clean, config, rules.GREEN)[1]
    assert not rules.light_touch(rules.PartyFacts(complaints=1), config, rules.GREEN)[0]
    assert not rules.light_touch(rules.PartyFacts(key_industry="危险化学品"), config, rules.BLUE)[0]
    assert not rules.light_touch(clean, rules.RiskConfig(light_touch=False), rules.GREEN)[0]


def test_assessment_keeps_score_and_light_touch_standing(world):
    clean = add_party(world.shangfang, industry=Party.Industry.RETAIL)
    services.recompute_party_risk(None, clean.pk)
    clean.refresh_from_db()
    assert clean.light_touch and clean.risk_score == 0 and clean.light_touch_reason
    services.record_credit_facts(world.guidance_user, clean.pk, {"complaint_count_12m": 1})
    clean.refresh_from_db()
    assert not clean.light_touch and clean.risk_score == 1
    event = AuditEvent.objects.filter(action="party.credit_facts").get()
    assert event.before["complaint_count_12m"] == 0 and event.after["complaint_count_12m"] == 1


def test_rules_for_a_later_date_wait_for_the_nightly_task(world):
    party = add_party(world.shangfang, complaint_count_12m=3)
    services.recompute_all_risk(None)
    assert Party.objects.get(pk=party.pk).risk_color == "blue"
    pending = services.set_risk_config(
        world.guidance_user, {"weight_complaint": 3, "effective_from": TOMORROW, "note": "投诉权重提高"}
    )
    assert not pending.is_active and Party.objects.get(pk=party.pk).risk_color == "blue"
    assert AuditEvent.objects.filter(action="party.risk_config_scheduled").count() == 1
    assert tasks.recompute_risk.apply(args=[str(TODAY)]).get()["activated"] is None  # not yet
    result = tasks.recompute_risk.apply(args=[str(TOMORROW)]).get()
    assert result["activated"] == pending.pk and result["changed"] == 1
    party.refresh_from_db()
    assert party.risk_color == "red" and any("9分" in r for r in party.risk_reasons)
    assert RiskConfig.objects.get(is_active=True) == pending
    assert tasks.recompute_risk.apply(args=[str(TOMORROW)]).get()["changed"] == 0  # idempotent
    with pytest.raises(ValidationError):
        services.set_risk_config(
            world.guidance_user, {"weight_complaint": 2, "effective_from": TODAY - dt.timedelta(days=1)}
        )


def test_a_later_setting_replaces_one_still_to_come(world):
    services.set_risk_config(world.guidance_user, {"weight_complaint": 3, "effective_from": TOMORROW})
    services.set_risk_config(world.guidance_user, {"weight_complaint": 4, "effective_from": TOMORROW})
    assert list(
        RiskConfig.objects.filter(activated_at__isnull=True).values_list("weight_complaint", flat=True)
    ) == [4]
    assert AuditEvent.objects.filter(action="party.risk_config_replaced").count() == 1


def test_only_the_credit_managers_set_rules_or_facts(world):
    party = add_party(world.shangfang)
    for actor in (world.leader_a, world.bureau_admin, world.user_a):
        with pytest.raises(PermissionDenied):
            services.set_risk_config(actor, {"weight_complaint": 2})
        with pytest.raises(PermissionDenied):
            services.record_credit_facts(actor, party.pk, {"complaint_count_12m": 1})


def test_credit_pages(client, world):
    party = add_party(world.shangfang, name="衢江鑫源超市", industry=Party.Industry.RETAIL)
    services.recompute_party_risk(None, party.pk)
    client.force_login(world.guidance_user)
    page = client.get("/parties/credit/").content.decode()
    assert "调整评定规则" in page and "每次投诉举报" in page
    response = client.post(
        "/parties/credit/",
        {
            "window_months": 12,
            "weight_violation": 3,
            "weight_complaint": 1,
            "weight_failed_inspection": 2,
            "weight_key_industry": 2,
            "blue_threshold": 2,
            "yellow_threshold": 1,
            "red_threshold": 9,
            "key_industries": ["construction"],
            "light_touch": "on",
            "effective_from": str(TODAY),
        },
    )
    assert response.status_code == 200 and "黄色阈值不能低于蓝色阈值" in response.content.decode()
    assert not RiskConfig.objects.exists()
    detail = client.get(f"/parties/{party.pk}/").content.decode()
    assert "无感监管" in detail and "更新信用记录" in detail
    client.post(
        f"/parties/{party.pk}/facts/",
        {"violation_count_12m": 3, "complaint_count_12m": 0, "failed_inspection_count_12m": 0},
    )
    assert Party.objects.get(pk=party.pk).risk_color == "red"
    client.logout()
    public = client.get("/parties/public/credit/").content.decode()
    assert "无感监管" in public and "衢江鑫源超市" not in public  # red now: off the list
    client.force_login(world.leader_a)
    assert "调整评定规则" not in client.get("/parties/credit/").content.decode()
    assert client.post(f"/parties/{party.pk}/recompute/").status_code == 403
