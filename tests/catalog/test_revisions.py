"""Revisions (动态调整): propose → approve → applied on the effective date; history; audit."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from tests.catalog.conftest import CATALOG_ROWS, LOAD_DAY, row
from zhifa.catalog import selectors, services
from zhifa.catalog.models import CatalogRevision, EnforcementItem, ItemHistory
from zhifa.catalog.references import register_open_reference_checker, unregister_open_reference_checker
from zhifa.core.audit import verify_chain
from zhifa.core.errors import DomainError, PermissionDenied
from zhifa.core.models import AuditEvent

EFFECTIVE = dt.date(2026, 7, 1)
AMENDMENT = {
    "title": "《城乡规划法》修正后调整罚款幅度",
    "reason": "law_amended",
    "law": "中华人民共和国城乡规划法",
    "document_number": "主席令第二十九号",
    "effective_on": EFFECTIVE,
}


def _change_p1():
    return {
        "action": "change",
        "item_code": "P1",
        "content": {**CATALOG_ROWS[0], "fine_note": "建设工程造价8%以上12%以下"},
    }


def _new_item():
    return {
        "action": "add",
        "item_code": "P9",
        "content": row("P9", name="对在城市道路上乱倒建筑垃圾的行政处罚", keywords="渣土 建筑垃圾"),
    }


def test_revision_applies_on_its_effective_date_and_history_shows_both_versions(catalog, world, orgs):
    revision = services.propose_revision(world.guidance_user, AMENDMENT, [_change_p1(), _new_item()])
    services.approve_revision(orgs.approver, revision.pk, today=dt.date(2026, 6, 1))
    revision.refresh_from_db()
    assert revision.state == "approved"
    catalog.P1.refresh_from_db()
    assert catalog.P1.fine_note == "建设工程造价5%以上10%以下"  # not yet
    assert services.apply_due_revisions(dt.date(2026, 6, 30)) == {}

    assert services.apply_due_revisions(EFFECTIVE) == {revision.pk: "applied"}
    catalog.P1.refresh_from_db()
    assert catalog.P1.fine_note == "建设工程造价8%以上12%以下"
    assert EnforcementItem.objects.get(code="P9").published_on == EFFECTIVE

    before = {h.code: h.content for h in selectors.catalog_as_of(dt.date(2026, 6, 30))}
    after = {h.code: h.content for h in selectors.catalog_as_of(EFFECTIVE)}
    assert before["P1"]["fine_note"] == "建设工程造价5%以上10%以下" and "P9" not in before
    assert (
        after["P1"]["fine_note"] == "建设工程造价8%以上12%以下" and after["P9"]["keywords"] == "渣土 建筑垃圾"
    )
    assert not selectors.catalog_as_of(LOAD_DAY - dt.timedelta(days=1)).exists()


def test_the_daily_task_is_idempotent(catalog, world, orgs):
    revision = services.propose_revision(world.guidance_user, AMENDMENT, [_change_p1()])
    services.approve_revision(orgs.approver, revision.pk, today=dt.date(2026, 6, 1))
    services.apply_due_revisions(EFFECTIVE)
    events = AuditEvent.objects.count()
    assert services.apply_due_revisions(EFFECTIVE + dt.timedelta(days=1)) == {}
    assert AuditEvent.objects.count() == events
    assert ItemHistory.objects.filter(code="P1").count() == 2


def test_approval_of_a_due_revision_applies_it_at_once_and_everything_is_audited(catalog, world, orgs):
    revision = services.propose_revision(
        world.guidance_user, {**AMENDMENT, "effective_on": dt.date(2026, 3, 1)}, [_change_p1()]
    )
    services.approve_revision(orgs.approver, revision.pk, today=dt.date(2026, 3, 2))
    revision.refresh_from_db()
    assert revision.state == "applied" and revision.approved_by == orgs.approver and revision.applied_at
    events = list(
        AuditEvent.objects.filter(
            action__in=["revision.propose", "revision.approve", "item.update", "revision.apply"]
        ).order_by("seq")
    )
    assert [e.action for e in events] == [
        "revision.propose",
        "revision.approve",
        "item.update",
        "revision.apply",
    ]
    assert {e.legal_basis for e in events} == {"《中华人民共和国城乡规划法》（主席令第二十九号）"}
    update = events[2]
    assert update.before["fine_note"] == "建设工程造价5%以上10%以下"
    assert update.after["fine_note"] == "建设工程造价8%以上12%以下"
    assert verify_chain()[1] is None


def test_retiring_an_item_still_in_use_is_refused(catalog, world, orgs):
    def open_cases(item_id):
        return 3 if item_id == catalog.P1.pk else 0

    revision = services.propose_revision(
        world.guidance_user,
        {**AMENDMENT, "reason": "law_repealed", "effective_on": dt.date(2026, 3, 1)},
        [{"action": "retire", "item_code": "P1"}],
    )
    events = AuditEvent.objects.count()
    register_open_reference_checker(open_cases)
    try:
        with pytest.raises(DomainError) as exc:
            services.approve_revision(orgs.approver, revision.pk, today=dt.date(2026, 3, 2))
    finally:
        unregister_open_reference_checker(open_cases)
    assert exc.value.code == "item_in_use" and "3 件" in exc.value.message
    revision.refresh_from_db()
    catalog.P1.refresh_from_db()
    assert revision.state == "draft" and catalog.P1.status == "in_force"
    assert AuditEvent.objects.count() == events


def test_a_refused_due_revision_waits_with_its_reason(catalog, world, orgs):
    revision = services.propose_revision(
        world.guidance_user,
        {**AMENDMENT, "reason": "law_repealed"},
        [{"action": "retire", "item_code": "P1"}],
    )
    services.approve_revision(orgs.approver, revision.pk, today=dt.date(2026, 6, 1))
    register_open_reference_checker(checker := lambda item_id: 1)
    try:
        outcome = services.apply_due_revisions(EFFECTIVE)
    finally:
        unregister_open_reference_checker(checker)
    revision.refresh_from_db()
    assert revision.state == "approved" and "1 件" in revision.apply_error and "1 件" in outcome[revision.pk]
    assert services.apply_due_revisions(EFFECTIVE) == {revision.pk: "applied"}


def test_retired_item_leaves_the_lists_but_not_the_past(catalog, world, orgs):
    revision = services.propose_revision(
        world.guidance_user,
        {**AMENDMENT, "reason": "law_repealed"},
        [{"action": "retire", "item_code": "P4"}],
    )
    services.approve_revision(orgs.approver, revision.pk, today=EFFECTIVE)
    catalog.P4.refresh_from_db()
    assert catalog.P4.status == "repealed" and catalog.P4.effective_to == dt.date(2026, 6, 30)
    assert "P4" not in set(selectors.master_catalog().values_list("code", flat=True))
    assert "P4" in {h.code for h in selectors.catalog_as_of(dt.date(2026, 6, 30))}
    assert "P4" not in {h.code for h in selectors.catalog_as_of(EFFECTIVE)}
    assert ItemHistory.objects.get(code="P4").retired
    assert AuditEvent.objects.filter(action="item.retire", object_id=str(catalog.P4.pk)).exists()


def test_nobody_approves_their_own_revision(catalog, world):
    revision = services.propose_revision(world.guidance_user, AMENDMENT, [_change_p1()])
    with pytest.raises(DomainError) as exc:
        services.approve_revision(world.guidance_user, revision.pk)
    assert exc.value.code == "approver_is_proposer"
    with pytest.raises(PermissionDenied):
        services.approve_revision(world.bureau_admin, revision.pk)


@pytest.mark.parametrize(
    "changes, field, code",
    [
        ([], "changes", "required"),
        (
            [{"action": "add", "item_code": "P1", "content": CATALOG_ROWS[0]}],
            "changes.0.item_code",
            "item_exists",
        ),
        ([{"action": "retire", "item_code": "NOPE"}], "changes.0.item_code", "item_not_found"),
        (
            [{"action": "change", "item_code": "P1", "content": {**CATALOG_ROWS[0], "legal_bases": []}}],
            "changes.0.content.legal_bases",
            "legal_basis_required",
        ),
        ([_change_p1(), {"action": "retire", "item_code": "P1"}], "changes.1.item_code", "duplicate_change"),
    ],
)
def test_bad_revisions_are_refused_with_nothing_saved(catalog, world, changes, field, code):
    with pytest.raises(ValidationError) as exc:
        services.propose_revision(world.guidance_user, AMENDMENT, changes)
    assert [e.code for e in exc.value.error_dict[field]] == [code]
    assert not CatalogRevision.objects.exists()


def test_a_revision_for_a_changed_law_names_the_law(catalog, world):
    with pytest.raises(ValidationError) as exc:
        services.propose_revision(world.guidance_user, {**AMENDMENT, "law": ""}, [_change_p1()])
    assert "law" in exc.value.error_dict


def test_a_backdated_change_is_refused(catalog, world, orgs):
    revision = services.propose_revision(
        world.guidance_user, {**AMENDMENT, "effective_on": dt.date(2025, 6, 1)}, [_change_p1()]
    )
    with pytest.raises(DomainError) as exc:
        services.approve_revision(orgs.approver, revision.pk, today=dt.date(2026, 3, 1))
    assert exc.value.code == "revision_backdated"


def test_the_celery_task_applies_due_revisions(catalog, world, orgs):
    from zhifa.catalog import tasks

    revision = services.propose_revision(
        world.guidance_user, {**AMENDMENT, "effective_on": dt.date(2026, 1, 2)}, [_change_p1()]
    )
    services.approve_revision(orgs.approver, revision.pk, today=dt.date(2026, 1, 1))
    assert tasks.apply_due_revisions.name == "catalog.apply_due_revisions"
    assert (
        tasks.apply_due_revisions.apply(args=["2026-01-01"]).get() == {}
    )  # runs in-process, no broker needed
    assert tasks.apply_due_revisions.apply(args=["2026-01-02"]).get() == {revision.pk: "applied"}
