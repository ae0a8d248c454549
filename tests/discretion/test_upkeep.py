"""Lists and baselines kept in the UI and the API: a department drafts for the items of its field,
the 执法指导办 reviews and publishes; drafts never apply to a case; a revision replaces an entry from
its date and the old one stays for earlier acts; catalog changes that would break a published list
or baseline are refused with the reason."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.conftest import new_user
from tests.discretion.conftest import DAY, STALL_LEVELS
from tests.discretion.test_services import stall_baseline
from zhifa.api.models import ApiKey
from zhifa.catalog import services as catalog_services
from zhifa.catalog.models import Claim, EnforcementItem
from zhifa.core.errors import DomainError, PermissionDenied
from zhifa.discretion import rules, selectors, services
from zhifa.discretion.models import FlexibleListEntry
from zhifa.organizations.models import Organization, User

WAIVER = {
    "kind": "no_penalty",
    "first_offence_waiver": True,
    "title": "首次占道经营且及时改正",
    "conditions_text": "首次被发现，危害后果轻微，及时改正",
    "conditions": {"first_offence": True, "harm_max": "minor"},
    "legal_basis": rules.ART33_1,
    "effective_from": DAY,
}
FACTS = {"first_offence": True, "corrected_in_time": True, "harm": "minor", "amount_involved": 100}


def test_a_departments_draft_is_reviewed_before_it_applies(world, items):
    stall_baseline(world, items)
    entry = services.add_list_entry(world.bureau_admin, items.stalls, {**WAIVER, "published_on": DAY})
    assert entry.status == "draft" and entry.published_on is None  # a department does not publish
    assert services.recommend_for(items.stalls, FACTS, dt.date(2026, 2, 1)).applicable_entry is None
    assert not selectors.public_entries(rules.FIRST_OFFENCE_WAIVER, dt.date(2026, 2, 1)).exists()
    with pytest.raises(PermissionDenied):
        services.approve_list_entry(world.bureau_admin, entry.pk)
    services.approve_list_entry(world.guidance_user, entry.pk, published_on=DAY)
    assert (
        services.recommend_for(items.stalls, FACTS, dt.date(2026, 2, 1)).applicable_entry
        == rules.FIRST_OFFENCE_WAIVER
    )
    assert list(selectors.public_entries(rules.FIRST_OFFENCE_WAIVER, dt.date(2026, 2, 1))) == [entry]


def test_a_revision_replaces_the_entry_from_its_date_and_keeps_the_old_one(world, items):
    stall_baseline(world, items)
    old = services.add_list_entry(world.guidance_user, items.stalls, {**WAIVER, "published_on": DAY})
    later = DAY + dt.timedelta(days=90)
    with pytest.raises(ValidationError):
        services.revise_list_entry(world.bureau_admin, old.pk, {**WAIVER, "effective_from": DAY})
    new = services.revise_list_entry(
        world.bureau_admin,
        old.pk,
        {
            **WAIVER,
            "title": "首次占道经营（修订）",
            "conditions": {"first_offence": True, "harm_max": "none"},
            "effective_from": later,
        },
    )
    with pytest.raises(DomainError):
        services.revise_list_entry(world.bureau_admin, old.pk, {**WAIVER, "effective_from": later})
    services.approve_list_entry(world.guidance_user, new.pk, published_on=later)
    old.refresh_from_db()
    assert (old.status, old.effective_to, new.version) == ("superseded", later - dt.timedelta(days=1), 2)
    before = services.recommend_for(items.stalls, FACTS, later - dt.timedelta(days=1))
    after = services.recommend_for(items.stalls, FACTS, later)
    assert before.entry.id == old.pk and after.entry is None  # "minor" harm no longer qualifies


def test_drafting_is_for_the_items_department(world, items):
    other = Organization.objects.create(
        name="市场监督管理局",
        kind=Organization.Kind.PROFESSIONAL_DEPARTMENT,
        region=world.district,
        parent=world.root,
        is_enforcement_body=True,
    )
    Claim.objects.create(item=items.barbecue, organization=other, level="district", region=world.district)
    with pytest.raises(PermissionDenied):
        services.create_baseline(
            world.bureau_admin,
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
    market_admin = new_user("market_admin", other, User.Role.DEPARTMENT_ADMIN)
    services.create_baseline(
        market_admin,
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


def test_catalog_changes_that_break_lists_or_baselines_are_refused(world, items):
    stall_baseline(world, items)  # statutory 0–1000 from the catalog
    services.add_list_entry(world.guidance_user, items.stalls, {**WAIVER, "published_on": DAY})
    content = {**catalog_services.item_content(items.stalls), "fine_max": "500.00"}
    problems = catalog_services.change_refusals(EnforcementItem.objects.get(pk=items.stalls.pk), content)
    assert [code for code, _ in problems] == ["baseline_out_of_range"]
    problems = catalog_services.change_refusals(EnforcementItem.objects.get(pk=items.stalls.pk), None)
    assert "item_on_published_list" in [code for code, _ in problems]


def test_baseline_form_creates_a_draft_and_the_guidance_office_publishes_it(client, world, items):
    client.force_login(world.bureau_admin)
    page = client.get("/discretion/baselines/new/").content.decode()
    assert "情节档次 1" in page and items.stalls.name in page
    response = client.post(
        "/discretion/baselines/new/",
        {
            "item": items.stalls.pk,
            "effective_from": str(DAY),
            "level0-name": "minor",
            "level0-range_kind": "fixed",
            "level0-range_low": "0",
            "level0-range_high": "100",
            "level0-first_offence": "on",
            "level0-harm_max": "none",
            "level1-name": "ordinary",
            "level1-range_kind": "fixed",
            "level1-range_low": "50",
            "level1-range_high": "500",
            "level2-name": "serious",
            "level2-range_kind": "fixed",
            "level2-range_low": "300",
            "level2-range_high": "1000",
            "level2-repeat": "on",
            **{f"level3-{k}": v for k, v in {"name": "", "range_kind": "fixed"}.items()},
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    baseline = items.stalls.baselines.get()
    assert baseline.status == "draft" and [lv.name for lv in baseline.levels.all()] == [
        "minor",
        "ordinary",
        "serious",
    ]
    assert baseline.levels.get(name="serious").conditions == {"repeat": True}
    assert "批准施行并公布" not in client.get(f"/discretion/baselines/{baseline.pk}/").content.decode()
    client.force_login(world.guidance_user)
    client.post(f"/discretion/baselines/{baseline.pk}/approve/")
    baseline.refresh_from_db()
    assert baseline.status == "in_force" and baseline.published_on == timezone.localdate()


def test_entry_pages(client, world, items):
    client.force_login(world.bureau_admin)
    client.post(
        "/discretion/lists/new/",
        {
            "kind": "no_penalty",
            "item": items.stalls.pk,
            "title": "首次轻微占道",
            "conditions_text": "首次、及时改正",
            "legal_basis": rules.ART33_1,
            "first_offence_waiver": "on",
            "first_offence": "on",
            "effective_from": str(DAY),
        },
    )
    entry = FlexibleListEntry.objects.get()
    assert entry.status == "draft"
    assert "审核公布" not in client.get("/discretion/lists/review/").content.decode()
    client.force_login(world.guidance_user)
    assert "首次轻微占道" in client.get("/discretion/lists/review/").content.decode()
    client.post(f"/discretion/lists/{entry.pk}/approve/")
    entry.refresh_from_db()
    assert entry.status == "published"
    assert "首次轻微占道" in client.get("/discretion/public/first_offence_waiver/").content.decode()


def test_the_api_drafts_and_the_guidance_office_publishes(client, world, items):
    admin = ApiKey.generate("综执局", world.bureau, User.Role.DEPARTMENT_ADMIN)[1]
    guidance = ApiKey.generate("指导办", world.guidance, User.Role.GUIDANCE_OFFICE)[1]
    body = {
        "item_code": "D1",
        "effective_from": str(DAY),
        "levels": [
            {
                "name": lv["name"],
                "conditions": lv.get("conditions", {}),
                "range_kind": lv["range_kind"],
                "range_low": str(lv.get("range_low", 0)),
                "range_high": str(lv.get("range_high", 0)),
            }
            for lv in STALL_LEVELS
        ],
    }
    created = client.post(
        "/api/v1/discretion/baselines", body, content_type="application/json", HTTP_X_API_KEY=admin
    )
    assert created.status_code == 201, created.content
    baseline_id = created.json()["id"]
    assert (
        client.post(
            f"/api/v1/discretion/baselines/{baseline_id}/approve",
            {},
            content_type="application/json",
            HTTP_X_API_KEY=admin,
        ).status_code
        == 403
    )
    approved = client.post(
        f"/api/v1/discretion/baselines/{baseline_id}/approve",
        {"published_on": str(DAY)},
        content_type="application/json",
        HTTP_X_API_KEY=guidance,
    )
    assert approved.json()["status"] == "in_force"
    entry = client.post(
        "/api/v1/discretion/lists",
        {
            **{k: v for k, v in WAIVER.items() if k != "effective_from"},
            "item_code": "D1",
            "effective_from": str(DAY),
        },
        content_type="application/json",
        HTTP_X_API_KEY=admin,
    )
    assert entry.status_code == 201 and entry.json()["status"] == "draft"
    published = client.post(
        f"/api/v1/discretion/lists/{entry.json()['id']}/approve",
        {},
        content_type="application/json",
        HTTP_X_API_KEY=guidance,
    )
    assert published.json()["status"] == "published"
    assert services.recommend_for(items.stalls, FACTS, DAY).applicable_entry == rules.FIRST_OFFENCE_WAIVER
