"""Catalog writes: bad input refused with nothing changed; claims, township choices, import."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests.catalog.conftest import CATALOG_ROWS, LOAD_DAY, row
from zhifa.catalog import services
from zhifa.catalog.models import Claim, EnforcementItem, ItemHistory, LegalBasis, TownshipItemChoice
from zhifa.core.errors import PermissionDenied
from zhifa.core.models import AuditEvent


def _codes(exc_info, field):
    return [e.code for e in exc_info.value.error_dict[field]]


# ---- items ----


def test_item_without_legal_basis_is_refused_and_nothing_saved(world, orgs, domains):
    with pytest.raises(ValidationError) as exc:
        services.create_item(world.guidance_user, row("X1", legal_bases=[]))
    assert _codes(exc, "legal_bases") == ["legal_basis_required"]
    assert "第三十八条" in exc.value.error_dict["legal_bases"][0].message
    assert not EnforcementItem.objects.exists() and not AuditEvent.objects.exists()


def test_item_created_with_bases_history_and_audit(world, orgs, domains):
    item = services.create_item(world.guidance_user, CATALOG_ROWS[0])
    assert item.domain.name == "城乡规划" and item.regulator == orgs.land
    assert list(item.legal_bases.values_list("law", flat=True)) == ["中华人民共和国城乡规划法"]
    assert item.penalty_types == ["fine", "order_suspension"]
    version = ItemHistory.objects.get(item=item)
    assert version.valid_to is None and version.content["name"] == item.name
    assert AuditEvent.objects.get().action == "item.create"


def test_only_the_guidance_office_maintains_the_catalog(world, orgs, domains):
    with pytest.raises(PermissionDenied):
        services.create_item(world.bureau_admin, CATALOG_ROWS[0])
    with pytest.raises(PermissionDenied):
        services.import_items(world.leader_a, CATALOG_ROWS)


@pytest.mark.parametrize(
    "overrides, column, code",
    [
        ({"kind": "fine"}, "kind", "invalid_choice"),
        ({"domain": "不存在的领域"}, "domain", "domain_not_found"),
        ({"penalty_types": ["罚款", "打板子"]}, "penalty_types", "invalid_penalty_type"),
        ({"fine_min": "5000", "fine_max": "100"}, "fine_max", "fine_range_reversed"),
        ({"fine_min": "一百"}, "fine_min", "invalid_amount"),
        ({"penalty_types": ["warning"], "fine_max": "100"}, "penalty_types", "fine_type_missing"),
        ({"regulator": "不存在的局"}, "regulator", "regulator_not_found"),
        (
            {"enforcing_body": "township", "township_library": "none"},
            "township_library",
            "township_library_required",
        ),
        ({"township_library": "base"}, "township_library", "township_library_not_township"),
        ({"checklist": ["查证照"]}, "checklist", "checklist_not_inspection"),
        ({"code": "33 02"}, "code", "invalid_code"),
        ({"high_frequency": "也许"}, "high_frequency", "invalid_boolean"),
    ],
)
def test_row_errors_name_the_column(world, orgs, domains, overrides, column, code):
    errors = services.validate_item_row({**row("X1"), **overrides}, 7)
    assert {"row": 7, "column": column, "code": code} in [
        {k: e[k] for k in ("row", "column", "code")} for e in errors
    ]


def test_row_accepts_chinese_labels(world, orgs, domains):
    clean, errors = services.clean_item_row(
        row(
            "X1",
            kind="行政处罚",
            penalty_types="警告、罚款",
            enforcing_body="乡镇（街道）",
            township_library="自选库",
            high_frequency="是",
            fine_min="1,000",
        ),
        2,
        services.Lookups.load(),
    )
    assert errors == []
    assert clean.content["penalty_types"] == ["warning", "fine"] and clean.content["fine_min"] == "1000.00"
    assert clean.fields["township_library"] == "optional" and clean.fields["high_frequency"] is True


def test_import_with_one_bad_row_saves_nothing(world, orgs, domains):
    rows = [*CATALOG_ROWS, row("P1", name="重复")]
    result = services.import_items(world.guidance_user, rows)
    assert not result.ok
    assert result.errors == [
        {"row": 7, "column": "code", "code": "duplicate_in_file", "message": "事项编码 P1 与第 2 行重复"}
    ]
    assert not EnforcementItem.objects.exists() and not AuditEvent.objects.exists()


def test_import_dry_run_reports_without_saving(world, orgs, domains):
    result = services.import_items(world.guidance_user, CATALOG_ROWS, dry_run=True)
    assert result.ok and result.created == ["P1", "P2", "P3", "P4", "I1"]
    assert not EnforcementItem.objects.exists()


def test_reimport_updates_only_what_changed(catalog, world):
    changed = [*CATALOG_ROWS[:1], {**CATALOG_ROWS[1], "fine_max": "2000"}]
    before = AuditEvent.objects.count()
    result = services.import_items(world.guidance_user, changed, day=LOAD_DAY.replace(month=3))
    assert (result.created, result.updated, result.unchanged) == ([], ["P2"], ["P1"])
    assert AuditEvent.objects.count() == before + 1
    versions = list(
        ItemHistory.objects.filter(code="P2").order_by("valid_from").values_list("valid_from", "valid_to")
    )
    assert versions == [(LOAD_DAY, LOAD_DAY.replace(month=2, day=28)), (LOAD_DAY.replace(month=3), None)]
    assert LegalBasis.objects.filter(item=catalog.P2).count() == 1


def test_save_item_rows_refuses_invalid_rows(world, orgs, domains):
    from zhifa.core.errors import DomainError

    with pytest.raises(DomainError) as exc:
        services.save_item_rows(world.guidance_user, [row("X1", legal_bases=[])])
    assert exc.value.code == "import_invalid"
    assert not EnforcementItem.objects.exists()


# ---- township choices ----


def test_township_leader_chooses_an_optional_item_and_its_team_claims_it(catalog, world):
    choice = services.choose_optional_item(world.leader_a, catalog.P3.pk)
    assert choice.region == world.shangfang
    claim = Claim.objects.get(item=catalog.P3, level="township")
    assert (claim.organization, claim.region) == (world.team_a, world.shangfang)
    actions = list(AuditEvent.objects.order_by("-seq").values_list("action", flat=True)[:2])
    assert actions == ["claim.create", "township_choice.add"]


def test_optional_item_chosen_by_a_district_body_is_refused(catalog, world):
    before = AuditEvent.objects.count()
    for actor in (world.bureau_admin, world.guidance_user, world.user_a):
        with pytest.raises(PermissionDenied) as exc:
            services.choose_optional_item(actor, catalog.P3.pk)
        assert exc.value.code == "not_township_leader"
    assert not TownshipItemChoice.objects.exists() and AuditEvent.objects.count() == before


def test_leader_cannot_choose_for_another_township(catalog, world):
    with pytest.raises(PermissionDenied):
        services.choose_optional_item(world.leader_a, catalog.P3.pk, world.xiachuan)


@pytest.mark.parametrize("code", ["P2", "P1"])
def test_base_or_non_township_item_cannot_be_chosen(catalog, world, code):
    with pytest.raises(ValidationError) as exc:
        services.choose_optional_item(world.leader_a, getattr(catalog, code).pk)
    assert _codes(exc, "item") == ["not_optional_item"]
    assert not TownshipItemChoice.objects.exists()


def test_choosing_twice_is_refused_and_unchoosing_removes_the_claim(catalog, world):
    services.choose_optional_item(world.leader_a, catalog.P3.pk)
    with pytest.raises(ValidationError) as exc:
        services.choose_optional_item(world.leader_a, catalog.P3.pk)
    assert _codes(exc, "item") == ["already_chosen"]
    services.unchoose_optional_item(world.leader_a, catalog.P3.pk)
    assert not TownshipItemChoice.objects.exists()
    assert not Claim.objects.filter(item=catalog.P3, level="township").exists()


# ---- claims ----


def test_duplicate_claim_at_one_level_is_refused(catalog, world, orgs):
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.claim_item(world.guidance_user, catalog.P1.pk, world.bureau)
    assert _codes(exc, "organization") == ["already_claimed"]
    assert "综合行政执法局" in exc.value.error_dict["organization"][0].message
    assert Claim.objects.filter(item=catalog.P1).count() == 1 and AuditEvent.objects.count() == before


def test_database_constraint_guards_one_claim_per_level(catalog, world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.create(
            item=catalog.P1, organization=world.bureau, level="district", region=world.district
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.create(
            item=catalog.P2, organization=world.team_a, level="township", region=world.shangfang
        )


def test_township_claims_one_per_township(catalog, world):
    claim = services.claim_item(world.leader_b, catalog.P2.pk, world.team_b)
    assert (claim.level, claim.region) == ("township", world.xiachuan)
    assert Claim.objects.filter(item=catalog.P2).count() == 2


@pytest.mark.parametrize(
    "code, org, error",
    [
        ("P4", "bureau", "claimant_kind_mismatch"),  # a professional item is not the bureau's
        ("P2", "bureau", "claim_level_not_needed"),  # base items are claimed by the townships
        ("P3", "team_b", "not_on_township_list"),  # optional item 峡川镇 did not choose
    ],
)
def test_claims_that_do_not_fit_the_item_are_refused(catalog, world, code, org, error):
    Claim.objects.filter(item=getattr(catalog, code)).delete()
    with pytest.raises(ValidationError) as exc:
        services.claim_item(world.guidance_user, getattr(catalog, code).pk, getattr(world, org))
    assert _codes(exc, "organization") == [error]


def test_claims_only_for_own_body(catalog, world, orgs):
    with pytest.raises(PermissionDenied):
        services.claim_item(world.leader_a, catalog.P2.pk, world.team_b)
    with pytest.raises(PermissionDenied):
        services.claim_item(world.user_a, catalog.P2.pk, world.team_a)
    services.claim_item(orgs.market_admin, catalog.P5.pk, orgs.market)


def test_withdrawing_a_claim_is_audited(catalog, world):
    claim = Claim.objects.get(item=catalog.P1)
    services.withdraw_claim(world.guidance_user, claim.pk)
    assert not Claim.objects.filter(item=catalog.P1).exists()
    event = AuditEvent.objects.order_by("-seq").first()
    assert event.action == "claim.withdraw" and event.before["item"] == catalog.P1.pk
