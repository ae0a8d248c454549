"""Fair, verifiable 双随机 draws: the seed is committed before the draw (the hash of a secret shown,
the secret kept until publication), the server fixes the draw's date, anyone recomputes a
published draw from its inputs with the standard library alone (docs/verify_draw.py), and a
re-draw is an audited act with a reason that leaves the first draw visible."""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.util
import json
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.inspections.conftest import DAY, plan_data, run_draw_on
from zhifa.core.errors import DomainError
from zhifa.core.models import AuditEvent
from zhifa.inspections import rules, services
from zhifa.inspections.models import InspectionRecord, InspectionTask, RandomDraw

VERIFY = Path(__file__).resolve().parents[2] / "docs" / "verify_draw.py"


def _verifier():
    spec = importlib.util.spec_from_file_location("verify_draw", VERIFY)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def plan(world, insp):
    return services.create_plan(world.bureau_admin, plan_data(world.bureau, [insp.I1]))


def test_the_secret_is_committed_and_hidden_until_publication(client, world, insp, plan, keys_for_fairness):
    assert plan.draw_commitment == hashlib.sha256(plan.draw_nonce.encode()).hexdigest()
    event = AuditEvent.objects.get(action="inspection.plan_create")
    assert event.after["draw_commitment"] == plan.draw_commitment and plan.draw_nonce not in json.dumps(
        event.after
    )
    client.force_login(world.bureau_admin)
    detail = client.get(reverse("inspections:plan_detail", args=[plan.pk])).content.decode()
    assert plan.draw_commitment in detail and plan.draw_nonce not in detail
    api = client.get(f"/api/v1/inspections/plans/{plan.pk}", HTTP_X_API_KEY=keys_for_fairness).json()
    assert api["draw_commitment"] == plan.draw_commitment and plan.draw_nonce not in json.dumps(api)
    client.logout()
    public = client.get(reverse("inspections:public_plans")).content.decode()
    assert plan.draw_commitment in public and plan.draw_nonce not in public


@pytest.fixture
def keys_for_fairness(world):
    from zhifa.api.models import ApiKey
    from zhifa.organizations.models import User

    return ApiKey.generate("综执局", world.bureau, User.Role.DEPARTMENT_ADMIN)[1]


def test_the_server_fixes_the_draws_date(world, insp, plan):
    with pytest.raises(TypeError):
        services.run_draw(world.bureau_admin, plan.pk, day=DAY)  # nobody names the day
    draw = run_draw_on(world.bureau_admin, plan.pk, DAY)
    assert draw.draw_day == DAY and draw.seed == rules.draw_seed(plan.pk, DAY, plan.draw_nonce)
    assert draw.commitment == plan.draw_commitment


def test_a_published_draw_is_recomputed_by_the_standalone_script(client, world, insp, plan):
    run_draw_on(world.bureau_admin, plan.pk, DAY)
    services.publish_draw(world.bureau_admin, plan.pk)
    page = client.get(reverse("inspections:public_draw", args=[plan.pk])).content.decode()
    assert plan.draw_nonce in page and "SHA-256 与承诺一致" in page and "按公示输入复算一致" in page
    published = json.loads(
        client.get(reverse("inspections:public_draw", args=[plan.pk]), {"format": "json"}).content
    )
    verifier = _verifier()
    assert verifier.verify(published) == []
    tampered = json.loads(json.dumps(published))
    tampered["inputs"]["ratios"]["green"] = 1.0
    assert "inputs: SHA-256 differs from the published digest" in verifier.verify(tampered)
    steered = json.loads(json.dumps(published))
    steered["result"]["parties"] = steered["result"]["parties"][:-1]
    assert verifier.verify(steered) == ["result: recomputing the inputs gives another result"]


def test_a_redraw_is_audited_with_its_reason_and_the_first_draw_stays(client, world, insp, plan):
    first = run_draw_on(world.bureau_admin, plan.pk, DAY)
    with pytest.raises(ValidationError):
        services.redraw(world.bureau_admin, plan.pk, "")
    with pytest.raises(DomainError) as exc:
        run_draw_on(world.bureau_admin, plan.pk, DAY)
    assert exc.value.code == "plan_already_drawn"
    second = services.redraw(world.bureau_admin, plan.pk, "抽中人员张某病休，无法按期检查")
    first.refresh_from_db()
    assert first.superseded_by == second and second.round == 2
    assert second.seed == f"{rules.draw_seed(plan.pk, second.draw_day, plan.draw_nonce)}|第2轮"
    assert set(InspectionTask.objects.filter(draw=first).values_list("state", flat=True)) == {"cancelled"}
    assert not InspectionTask.objects.filter(draw=second, state="cancelled").exists()
    assert plan.draw == second and services.verify_draw(second).ok and services.verify_draw(first).result_ok
    event = AuditEvent.objects.get(action="inspection.redraw")
    assert event.after["reason"].startswith("抽中人员") and event.before["draw"] == first.pk
    services.publish_draw(world.bureau_admin, plan.pk)
    page = client.get(reverse("inspections:public_draw", args=[plan.pk])).content.decode()
    assert "此前的抽取" in page and "抽中人员张某病休" in page and "第 1 轮" in page
    earlier = json.loads(
        client.get(
            reverse("inspections:public_draw", args=[plan.pk]), {"format": "json", "round": "1"}
        ).content
    )
    assert earlier["round"] == 1 and _verifier().verify(earlier) == []
    assert RandomDraw.objects.filter(plan=plan).count() == 2


def test_no_redraw_once_an_inspection_was_recorded(world, insp, plan):
    from django.utils import timezone

    run_draw_on(world.bureau_admin, plan.pk, DAY)
    task = InspectionTask.objects.filter(plan=plan).first()
    officers = list(task.officers.all())
    start = timezone.make_aware(dt.datetime.combine(DAY, dt.time(9)))
    services.record_inspection(
        insp.gas_user,
        {
            "task": task.pk,
            "officer_ids": [o.pk for o in officers],
            "started_at": start,
            "ended_at": start + dt.timedelta(hours=1),
        },
    )
    with pytest.raises(DomainError) as exc:
        services.redraw(world.bureau_admin, plan.pk, "想换一批对象")
    assert exc.value.code == "redraw_after_inspection" and InspectionRecord.objects.count() == 1


def test_the_seed_does_not_depend_on_who_draws_or_when_inside_the_day(world, insp):
    a = services.create_plan(world.bureau_admin, plan_data(world.bureau, [insp.I1]))
    assert rules.commitment(a.draw_nonce) == a.draw_commitment
    assert rules.round_seed("s", 1) == "s" and rules.round_seed("s", 3) == "s|第3轮"
