"""Keeping the catalog without a developer: Excel check and commit (as a revision for review, or
straight in by the 执法指导办), claims of several items at once, withdrawals refused while in use,
rejections, changes that would break what relies on an item, transfers (划转) and the holder of an
item on either side of the date, and the same through the API."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook

from tests.catalog.conftest import CATALOG_ROWS, row
from tests.conftest import new_user
from zhifa.api.models import ApiKey
from zhifa.catalog import excel, imports, selectors, services
from zhifa.catalog.models import CatalogImport, CatalogRevision, Claim, EnforcementItem, ItemTransfer
from zhifa.catalog.references import register_open_reference_checker, unregister_open_reference_checker
from zhifa.core import access
from zhifa.core.errors import DomainError, NotFound, PermissionDenied
from zhifa.core.models import AuditEvent
from zhifa.organizations.models import Organization, User

TODAY = timezone.localdate()
MARKET_ROWS = [
    row(
        "M1",
        name="对销售过期食品的行政处罚",
        domain="市场监管",
        regulator="市场监督管理局",
        enforcing_body="professional",
        legal_bases=[{"law": "中华人民共和国食品安全法", "article": "第一百二十四条"}],
        keywords="过期食品",
    ),
    row(
        "M2",
        name="对未按规定公示食品经营许可证的行政处罚",
        domain="市场监管",
        regulator="市场监督管理局",
        enforcing_body="professional",
        legal_bases=[{"law": "中华人民共和国食品安全法", "article": "第一百二十六条"}],
    ),
]


def xlsx(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = excel.SHEET_NAME
    sheet.append(excel.HEADERS)
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def cells(item: dict, **changes) -> list:
    values = excel.export_row(item)[: len(excel.HEADERS)]
    for header, value in changes.items():
        values[excel.HEADERS.index(header)] = value
    return values


def bad_file() -> bytes:
    return xlsx(
        [
            cells(MARKET_ROWS[0]),
            cells(MARKET_ROWS[1], 罚款下限="五百"),  # row 3
            cells(row("M3", name="对无照经营的行政处罚"), 实施依据="无照经营查处办法"),  # row 4
            cells(row("M4", name="对虚假宣传的行政处罚"), 执法领域="外太空"),  # row 5
        ]
    )


def upload(data: bytes, name: str = "市场监管事项.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


def test_a_file_with_bad_rows_lists_each_and_writes_nothing(catalog, world, orgs):
    items_before = EnforcementItem.objects.count()
    check = imports.check_file(orgs.market_admin, upload(bad_file()))
    assert {(e["row"], e["column"], e["code"]) for e in check.errors} == {
        (3, "罚款下限", "not_a_number"),
        (4, "实施依据", "bad_legal_basis"),
        (5, "执法领域", "unknown_domain"),
    }
    assert check.rows == [] and EnforcementItem.objects.count() == items_before
    with pytest.raises(DomainError) as exc:
        imports.commit_file(
            orgs.market_admin, check.pk, revision={"title": "x", "reason": "other", "effective_on": TODAY}
        )
    assert exc.value.code == "import_has_errors" and not CatalogRevision.objects.exists()
    assert AuditEvent.objects.filter(action="catalog.import_check").count() == 1


def test_a_clean_file_becomes_a_revision_reviewed_and_published(catalog, world, orgs, client):
    check = imports.check_file(orgs.market_admin, upload(excel.export_workbook(MARKET_ROWS)))
    assert check.ok and check.new_codes == ["M1", "M2"]
    with pytest.raises(PermissionDenied):  # a department's administrator does not bypass the review
        imports.commit_file(orgs.market_admin, check.pk, mode="direct")
    check = imports.commit_file(
        orgs.market_admin,
        check.pk,
        revision={"title": "新增食品安全事项", "reason": "other", "effective_on": TODAY},
    )
    revision = check.revision
    assert revision.state == "draft" and [c.item_code for c in revision.changes.all()] == ["M1", "M2"]
    assert not EnforcementItem.objects.filter(code="M1").exists()
    with pytest.raises(DomainError):
        imports.commit_file(
            orgs.market_admin, check.pk, revision={"title": "again", "reason": "other", "effective_on": TODAY}
        )
    services.approve_revision(world.guidance_user, revision.pk)
    item = EnforcementItem.objects.get(code="M1")
    assert item.published_on == TODAY and item.status == "in_force"
    public = client.get("/catalog/public/").content.decode()
    assert "对销售过期食品的行政处罚" in public and "对未按规定公示食品经营许可证的行政处罚" in public


def test_the_guidance_office_may_import_straight_in(catalog, world, orgs):
    check = imports.check_file(world.guidance_user, upload(excel.export_workbook(MARKET_ROWS)))
    imports.commit_file(world.guidance_user, check.pk, mode="direct")
    assert EnforcementItem.objects.get(code="M2").published_on == TODAY
    assert not CatalogRevision.objects.exists()


def test_an_unchanged_file_proposes_nothing(catalog, world, orgs):
    check = imports.check_file(
        orgs.market_admin, upload(excel.export_workbook([services.item_content(catalog.P4)]))
    )
    with pytest.raises(DomainError) as exc:
        imports.commit_file(
            orgs.market_admin, check.pk, revision={"title": "x", "reason": "other", "effective_on": TODAY}
        )
    assert exc.value.code == "import_no_change"


def test_imports_are_seen_by_the_uploading_body_and_the_guidance_office(catalog, world, orgs):
    check = imports.check_file(orgs.market_admin, upload(bad_file()))
    assert access.get_visible(world.guidance_user, CatalogImport, check.pk) == check
    with pytest.raises(NotFound):
        access.get_visible(world.bureau_admin, CatalogImport, check.pk)


def test_several_claims_at_once_all_or_nothing(catalog, world, orgs):
    Claim.objects.filter(item=catalog.P4).delete()
    assert set(selectors.claimable_items(orgs.market).values_list("code", flat=True)) == {"P4", "P5"}
    services.claim_items(orgs.market_admin, [catalog.P4.pk, catalog.P5.pk], orgs.market)
    assert set(Claim.objects.filter(organization=orgs.market).values_list("item__code", flat=True)) == {
        "P4",
        "P5",
    }
    Claim.objects.filter(organization=orgs.market).delete()
    with pytest.raises(ValidationError):  # P1 is the bureau's: nothing of the batch is kept
        services.claim_items(orgs.market_admin, [catalog.P4.pk, catalog.P1.pk], orgs.market)
    assert not Claim.objects.filter(organization=orgs.market).exists()


def test_withdrawing_a_claim_of_an_item_in_use_is_refused(catalog, world):
    claim = Claim.objects.get(item=catalog.P1)
    register_open_reference_checker(checker := lambda item_id: 2 if item_id == catalog.P1.pk else 0)
    try:
        with pytest.raises(DomainError) as exc:
            services.withdraw_claim(world.bureau_admin, claim.pk)
    finally:
        unregister_open_reference_checker(checker)
    assert exc.value.code == "item_in_use" and "2 件" in exc.value.message
    assert Claim.objects.filter(pk=claim.pk).exists()


def test_a_revision_is_rejected_with_its_reason(catalog, world, orgs):
    revision = services.propose_revision(
        orgs.market_admin,
        {"title": "调整", "reason": "other", "effective_on": TODAY},
        [{"action": "change", "item_code": "P4", "content": {**CATALOG_ROWS[3], "fine_note": "新说明"}}],
    )
    with pytest.raises(ValidationError):
        services.reject_revision(world.guidance_user, revision.pk, " ")
    services.reject_revision(world.guidance_user, revision.pk, "罚款说明与条文不符")
    revision.refresh_from_db()
    assert revision.state == "rejected" and revision.reject_reason == "罚款说明与条文不符"
    with pytest.raises(DomainError):
        services.approve_revision(world.guidance_user, revision.pk)
    event = AuditEvent.objects.get(action="revision.reject")
    assert event.before["state"] == "draft" and event.after["state"] == "rejected"


def test_a_change_that_would_break_township_lists_is_refused_with_the_reason(catalog, world):
    services.choose_optional_item(world.leader_a, catalog.P3.pk)
    content = {
        **services.item_content(catalog.P3),
        "enforcing_body": "comprehensive",
        "township_library": "none",
    }
    with pytest.raises(ValidationError) as exc:
        services.propose_revision(
            world.guidance_user,
            {"title": "收回", "reason": "other", "effective_on": TODAY},
            [{"action": "change", "item_code": "P3", "content": content}],
        )
    error = exc.value.error_dict["changes.0.item_code"][0]
    assert error.code == "item_chosen_by_townships" and "1 个乡镇" in error.message


def test_unknown_fields_are_errors(catalog, world):
    with pytest.raises(ValidationError) as exc:
        services.propose_revision(
            world.guidance_user,
            {"title": "t", "reason": "other", "effective_on": TODAY, "colour": "red"},
            [{"action": "retire", "item_code": "P4"}],
        )
    assert exc.value.error_dict["colour"][0].code == "unknown_field"
    assert services.validate_item_row({**CATALOG_ROWS[0], "owner": "x"})[0]["code"] == "unknown_field"


def test_a_transfer_moves_the_claim_and_attributes_each_side_of_the_date(catalog, world, orgs):
    agriculture = Organization.objects.create(
        name="农业农村局",
        kind=Organization.Kind.REGULATOR_DEPARTMENT,
        region=world.district,
        parent=world.root,
        is_enforcement_body=True,
    )
    services.claim_item(world.guidance_user, catalog.P5.pk, orgs.market)
    Claim.objects.filter(item=catalog.P4).update(organization=agriculture)
    day = dt.date(2022, 7, 1)
    content = {**services.item_content(catalog.P4), "enforcing_body": "comprehensive"}
    revision = services.propose_revision(
        world.guidance_user,
        {
            "title": "农业农村执法事项划转综合执法局",
            "reason": "other",
            "document_number": "衢江政办发〔2022〕1号",
            "effective_on": day,
            "transfer_to": world.bureau,
        },
        [{"action": "change", "item_code": "P4", "content": content}],
    )
    # The item's current version began 2026-01-01; a transfer dated before it is refused.
    with pytest.raises(DomainError):
        services.approve_revision(orgs.approver, revision.pk, today=day)
    CatalogRevision.objects.filter(pk=revision.pk).update(effective_on=dt.date(2026, 2, 1))
    services.approve_revision(orgs.approver, revision.pk, today=dt.date(2026, 2, 1))
    transfer = ItemTransfer.objects.get()
    assert (transfer.from_organization, transfer.to_organization) == (agriculture, world.bureau)
    assert (transfer.previous_enforcing_body, transfer.new_enforcing_body) == (
        "professional",
        "comprehensive",
    )
    assert Claim.objects.get(item=catalog.P4, level="district").organization == world.bureau
    assert selectors.holder_on(catalog.P4, dt.date(2026, 1, 31)) == agriculture
    assert selectors.holder_on(catalog.P4, dt.date(2026, 2, 1)) == world.bureau
    assert AuditEvent.objects.filter(action="item.transfer").count() == 1


# ---- API ----


@pytest.fixture
def keys(world, orgs):
    return {
        "market": ApiKey.generate("市监", orgs.market, User.Role.DEPARTMENT_ADMIN)[1],
        "guidance": ApiKey.generate("指导办", world.guidance, User.Role.GUIDANCE_OFFICE)[1],
        "officer": ApiKey.generate("队员", world.team_a, User.Role.OFFICER)[1],
    }


def _post(client, path, key, body=None, **extra):
    return client.post(
        path, body if body is not None else {}, content_type="application/json", HTTP_X_API_KEY=key, **extra
    )


def test_the_api_checks_commits_reviews_and_claims(client, catalog, world, orgs, keys):
    response = client.post(
        "/api/v1/catalog/imports", {"file": upload(bad_file())}, HTTP_X_API_KEY=keys["market"]
    )
    assert response.status_code == 201 and len(response.json()["errors"]) == 3
    response = client.post(
        "/api/v1/catalog/imports",
        {"file": upload(excel.export_workbook(MARKET_ROWS))},
        HTTP_X_API_KEY=keys["market"],
    )
    import_id = response.json()["id"]
    committed = _post(
        client,
        f"/api/v1/catalog/imports/{import_id}/commit",
        keys["market"],
        {"title": "新增", "reason": "other", "effective_on": str(TODAY)},
    )
    assert committed.status_code == 200, committed.content
    revision_id = committed.json()["revision_id"]
    assert (
        _post(client, f"/api/v1/catalog/revisions/{revision_id}/approve", keys["market"]).status_code == 403
    )
    approved = _post(client, f"/api/v1/catalog/revisions/{revision_id}/approve", keys["guidance"])
    assert approved.status_code == 200 and approved.json()["state"] == "applied"
    claimed = _post(
        client,
        "/api/v1/catalog/claims",
        keys["market"],
        {"item_code": "M1", "organization_id": orgs.market.pk},
    )
    assert claimed.status_code == 201 and claimed.json()["level"] == "district"
    refused = _post(
        client,
        "/api/v1/catalog/claims",
        keys["officer"],
        {"item_code": "M2", "organization_id": orgs.market.pk},
    )
    assert refused.status_code == 403
    gone = client.delete(f"/api/v1/catalog/claims/{claimed.json()['id']}", HTTP_X_API_KEY=keys["market"])
    assert gone.status_code == 204


def test_the_api_proposes_with_typed_rows_and_refuses_unknown_fields(client, catalog, world, orgs, keys):
    body = {
        "title": "新增",
        "reason": "other",
        "effective_on": str(TODAY),
        "changes": [
            {
                "action": "add",
                "item_code": "X9",
                "content": {
                    **{k: v for k, v in row("X9").items() if k != "checklist"},
                    "fine_max": "500",
                    "penalty_types": ["warning"],
                },
            }
        ],
    }
    response = _post(client, "/api/v1/catalog/revisions", keys["market"], body)
    assert response.status_code == 422 and response.json()["code"] == "fine_type_missing"
    assert response.json()["field"] == "changes.0.content.penalty_types"
    body["changes"][0]["content"]["penalty_types"] = ["fine"]
    response = _post(client, "/api/v1/catalog/revisions", keys["market"], body)
    assert response.status_code == 201, response.content
    body["changes"][0]["content"]["colour"] = "red"
    assert _post(client, "/api/v1/catalog/revisions", keys["market"], body).status_code == 422
    holder = client.get(
        "/api/v1/catalog/items/P1/holder", {"on": "2026-02-01"}, HTTP_X_API_KEY=keys["officer"]
    )
    assert holder.json()["organization_name"] == world.bureau.name


def test_permissions_of_the_catalog_are_declared():
    names = set(access.permissions())
    assert {"catalog.manage", "catalog.propose", "catalog.review", "catalog.claim", "catalog.choose"} <= names
    assert access.ADMIN not in access.get_permission("catalog.review").roles  # an act of the 执法指导办


def test_department_admin_may_propose_but_not_review(catalog, world, orgs):
    assert access.can(orgs.market_admin, "catalog.propose") and not access.can(
        orgs.market_admin, "catalog.review"
    )
    township = new_user("leader_c", world.team_a, User.Role.TOWNSHIP_LEADER)
    assert not access.can(township, "catalog.propose")


def test_the_guidance_office_imports_a_whole_file_in_one_call(client, catalog, world, orgs, keys):
    checked = client.post(
        "/api/v1/catalog/import.xlsx?dry_run=true",
        {"file": upload(excel.export_workbook(MARKET_ROWS))},
        HTTP_X_API_KEY=keys["guidance"],
    )
    assert checked.status_code == 200 and checked.json()["ok"] and checked.json()["created"] == 2
    assert not EnforcementItem.objects.filter(code="M1").exists()
    done = client.post(
        "/api/v1/catalog/import.xlsx?dry_run=false",
        {"file": upload(excel.export_workbook(MARKET_ROWS))},
        HTTP_X_API_KEY=keys["guidance"],
    )
    assert done.json()["created"] == 2 and EnforcementItem.objects.get(code="M1").published_on == TODAY
    refused = client.post(
        "/api/v1/catalog/import.xlsx?dry_run=true",
        {"file": upload(bad_file())},
        HTTP_X_API_KEY=keys["market"],
    )
    assert refused.status_code == 403
