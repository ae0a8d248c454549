"""Authority as recorded acts: who may do what in a case (行政处罚法第五十四条、第五十七条、第五十八条、
第六十二条、第六十六条), the role × action matrix, and the acts that only their holders can make."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from tests.cases.conftest import open_general, run_to_notified
from tests.conftest import new_officer, new_user
from zhifa.cases import services
from zhifa.cases.access import ACTION_PERMISSION
from zhifa.cases.models import Approval, Case, LegalReview
from zhifa.core import access
from zhifa.core.errors import DomainError, NotFound, PermissionDenied
from zhifa.core.models import AuditEvent
from zhifa.organizations.models import Delegation, RoleGrant, User

DECIDE = {"decision_date": dt.date(2026, 3, 10), "penalties_decided": [{"kind": "fine", "amount": "5000"}]}
CHECKS = dict.fromkeys(
    ("authority", "officers", "facts", "evidence", "procedure", "basis", "documents", "crime"), True
)
R = User.Role

#: Who holds each permission of a case: the table of docs/roles.md. Every role of the platform is
#: tried against every permission on a case of 上方镇 (in scope for the 上方镇 users).
EXPECTED: dict[str, set[str]] = {
    "cases.open": {R.OFFICER},
    "cases.handle": {R.OFFICER},
    "cases.request_approval": {R.OFFICER},
    "cases.submit_review": {R.OFFICER},
    "cases.approve_filing": {R.HEAD},
    "cases.decide": {R.HEAD},
    "cases.deliberate": {R.HEAD},
    "cases.approve_transfer": {R.HEAD},
    "cases.approve_referral": {R.HEAD},
    "cases.approve_payment": {R.HEAD},
    "cases.approve_extension": {R.HEAD},
    "cases.approve_closing": {R.HEAD},
    "cases.approve_enforcement": {R.HEAD},
    "cases.approve_measures": {R.HEAD},
    "cases.review": {R.LEGAL_REVIEWER},
    "cases.assign_review": {R.HEAD},
    "cases.manage_review_catalogue": {R.HEAD, R.LEGAL_REVIEWER, R.DEPARTMENT_ADMIN},
    "cases.manage_review_centre": {R.GUIDANCE_OFFICE},
    "cases.record_party_act": {R.OFFICER},
    "cases.record_ruling": {R.OFFICER, R.LEGAL_REVIEWER},
}


@pytest.fixture
def submitted(cw):
    """A case of 上方镇 submitted for legal review (so its reviewer may read it)."""
    case = run_to_notified(cw, open_general(cw))
    services.transition(cw.user, case.pk, "submit_legal_review", {"as_of": dt.date(2026, 3, 6)})
    case.refresh_from_db()
    return case


@pytest.fixture
def role_users(cw):
    w = cw.world
    return {
        R.OFFICER: cw.user,
        R.HEAD: cw.head,
        R.LEGAL_REVIEWER: cw.reviewer,
        R.TOWNSHIP_LEADER: w.leader_a,
        R.COMMAND_CENTER: cw.command,
        R.GUIDANCE_OFFICE: w.guidance_user,
        R.DEPARTMENT_ADMIN: new_user("admin_a", w.team_a, R.DEPARTMENT_ADMIN),
        R.SUPERVISOR: new_user("supervisor", w.root, R.SUPERVISOR),
    }


@pytest.mark.parametrize("permission", sorted(EXPECTED))
def test_role_action_matrix(cw, submitted, role_users, permission):
    """Every role against every permission of a case, allowed and refused."""
    obj = submitted.legal_reviews.get() if permission == "cases.assign_review" else submitted
    for role, user in role_users.items():
        allowed = access.can(user, permission, obj)
        assert allowed == (role in EXPECTED[permission]), (permission, role)
        if not allowed:
            with pytest.raises(PermissionDenied) as exc:
                access.require(user, permission, obj)
            assert exc.value.status == 403 and exc.value.message


def test_the_matrix_covers_every_case_permission_and_the_docs_list_them():
    declared = {name for name in access.permissions() if name.startswith("cases.")}
    assert declared == set(EXPECTED)
    roles_doc = (Path(__file__).resolve().parents[2] / "docs" / "roles.md").read_text()
    for name in declared:
        assert f"`{name}`" in roles_doc, name


def test_another_townships_head_cannot_act_on_a_case(cw):
    case = open_general(cw)
    with pytest.raises(NotFound):
        services.transition(cw.head_b, case.pk, "file", {"filing_date": dt.date(2026, 2, 5)})


def test_officer_cannot_decide_review_deliberate_approve_or_close(cw, submitted):
    """With an officer's credentials none of the acts of authority can be made (art. 57, 58)."""
    before = AuditEvent.objects.filter(action__startswith="case.").count()
    for action, data in (
        ("decide", DECIDE),
        (
            "deliberate",
            {
                "chair_id": cw.head.pk,
                "participant_ids": [cw.head.pk, cw.deputy.pk],
                "minutes": "x",
                "conclusion": "penalty",
            },
        ),
        ("close", {"as_of": dt.date(2026, 3, 20)}),
    ):
        with pytest.raises(PermissionDenied) as exc:
            services.transition(cw.user, submitted.pk, action, data)
        assert "机关负责人" in exc.value.message and exc.value.roles == ["head"]
    with pytest.raises(PermissionDenied):
        services.record_review(
            cw.user,
            submitted.legal_reviews.get().pk,
            {"result": "passed", "opinion": "自审", "checklist": CHECKS},
        )
    approval = services.request_approval(cw.user, submitted.pk, "decision", {})
    with pytest.raises(PermissionDenied):
        services.decide_approval(cw.user, approval.pk, {"approve": True})
    assert AuditEvent.objects.filter(action__startswith="case.").count() == before + 1  # only the request
    assert Case.objects.get(pk=submitted.pk).state == "legal_review"


def test_facts_of_legal_position_cannot_be_sent_in_a_request(cw):
    """legal_review_passed, collective_deliberation_done, waivers, approvals, rulings: 422 naming the field."""
    case = run_to_notified(cw, open_general(cw))
    for name, value in (
        ("legal_review_passed", True),
        ("collective_deliberation_done", True),
        ("rights_waived_on", "2026-03-03"),
        ("deferral_approved", True),
        ("enforcement_concluded", True),
        ("surcharge_remitted", "100"),
        ("electronic_service_consent", True),
    ):
        with pytest.raises(ValidationError) as exc:
            services.transition(cw.head, case.pk, "decide", {**DECIDE, name: value})
        assert exc.value.error_dict[name][0].code == "derived_fact"
    assert Case.objects.get(pk=case.pk).state == "notified"


def test_legal_review_by_the_reviewer_then_the_head_decides(cw):
    """第五十八条: a complex case needs a passed review before the head may decide."""
    case = run_to_notified(cw, open_general(cw))
    services.record_findings(cw.user, case.pk, {"complex_case": True})
    with pytest.raises(DomainError) as exc:
        services.transition(cw.head, case.pk, "decide", DECIDE)
    assert "legal_review_missing" in [r.code for r in exc.value.refusals]
    services.transition(cw.user, case.pk, "submit_legal_review", {"as_of": dt.date(2026, 3, 6)})
    review = LegalReview.objects.get(case=case)
    assert review.due_on == dt.date(2026, 3, 13)  # five working days
    services.claim_review(cw.reviewer, review.pk)
    with pytest.raises(ValidationError) as exc:  # a pass without the checklist is refused
        services.record_review(
            cw.reviewer, review.pk, {"result": "passed", "opinion": "同意", "as_of": "2026-03-09"}
        )
    assert "checklist" in exc.value.error_dict
    services.record_review(
        cw.reviewer,
        review.pk,
        {"result": "passed", "opinion": "事实清楚，程序合法", "checklist": CHECKS, "as_of": "2026-03-09"},
    )
    # complex cases are also decided by the heads together (第五十七条第二款)
    with pytest.raises(DomainError) as exc:
        services.transition(cw.head, case.pk, "decide", DECIDE)
    assert [r.code for r in exc.value.refusals] == ["deliberation_missing"]
    services.transition(
        cw.head,
        case.pk,
        "deliberate",
        {
            "as_of": "2026-03-09",
            "chair_id": cw.head.pk,
            "participant_ids": [cw.head.pk, cw.deputy.pk],
            "minutes": "同意给予罚款5000元",
            "conclusion": "penalty",
            "penalties": [{"kind": "fine", "amount": "5000"}],
        },
    )
    with pytest.raises(DomainError) as exc:  # the decision follows the deliberation
        services.transition(
            cw.head, case.pk, "decide", {**DECIDE, "penalties_decided": [{"kind": "fine", "amount": "4000"}]}
        )
    assert exc.value.code == "decision_against_deliberation"
    case = services.transition(cw.head, case.pk, "decide", {"decision_date": dt.date(2026, 3, 10)})
    assert case.state == "decided" and case.decided_fine == Decimal("5000")
    assert Approval.objects.get(case=case, kind="decision").decided_by == cw.head


def test_an_investigator_cannot_review_his_own_case(cw, submitted):
    # The lead investigator's own login also holds the reviewer's role (a granted second role).
    investigator = User.objects.get(officer=cw.world.officer_a)
    User.objects.filter(pk=investigator.pk).update(legal_qualification_number="A1")
    RoleGrant.objects.create(user=investigator, role=R.LEGAL_REVIEWER)
    investigator = User.objects.get(pk=investigator.pk)
    review = submitted.legal_reviews.get()
    with pytest.raises(PermissionDenied) as exc:
        services.claim_review(investigator, review.pk)
    assert "本人参与调查" in exc.value.message


def test_a_first_review_needs_the_legal_qualification(cw, submitted):
    """第五十八条第二款: the reviewer's first review needs 法律职业资格 — a property of the reviewer."""
    novice = new_user("novice", cw.world.team_a, R.LEGAL_REVIEWER)
    review = submitted.legal_reviews.get()
    with pytest.raises(DomainError) as exc:
        services.record_review(
            novice, review.pk, {"result": "passed", "opinion": "同意", "checklist": CHECKS}
        )
    assert exc.value.code == "reviewer_not_qualified" and "第五十八条第二款" in exc.value.message
    User.objects.filter(pk=novice.pk).update(legal_qualification_number="A2022")
    novice.refresh_from_db()
    assert (
        services.record_review(
            novice, review.pk, {"result": "passed", "opinion": "同意", "checklist": CHECKS}
        ).result
        == "passed"
    )


def test_returned_review_sends_the_case_back(cw, submitted):
    review = submitted.legal_reviews.get()
    services.record_review(
        cw.reviewer,
        review.pk,
        {"result": "returned", "opinion": "证据不足，补充询问笔录", "checklist": {}, "as_of": "2026-03-09"},
    )
    assert Case.objects.get(pk=submitted.pk).state == "investigating"


def test_approval_by_a_deputy_needs_a_delegation(cw):
    case = open_general(cw)
    deputy = new_user("vice", cw.world.team_a, R.OFFICER)
    approval = services.request_approval(cw.user, case.pk, "filing", {}, reason="线索属实")
    with pytest.raises(PermissionDenied):
        services.decide_approval(deputy, approval.pk, {"approve": True, "as_of": "2026-02-05"})
    Delegation.objects.create(
        organization=cw.world.team_a,
        deputy=deputy,
        permissions=["cases.approve_filing"],
        granted_by=cw.head,
        valid_from=dt.date(2026, 1, 1),
    )
    services.decide_approval(
        deputy, approval.pk, {"approve": True, "opinion": "同意立案", "as_of": "2026-02-05"}
    )
    case.refresh_from_db()
    assert case.state == "filed" and case.filing_date == dt.date(2026, 2, 5)


def test_a_returned_approval_needs_an_opinion_and_changes_nothing(cw):
    case = open_general(cw)
    approval = services.request_approval(cw.user, case.pk, "filing", {})
    with pytest.raises(ValidationError):
        services.decide_approval(cw.head, approval.pk, {"approve": False})
    services.decide_approval(cw.head, approval.pk, {"approve": False, "opinion": "线索不清，补充核查"})
    assert Case.objects.get(pk=case.pk).state == "registered"
    assert Approval.objects.get(pk=approval.pk).status == "returned"


def test_a_user_may_hold_several_roles(cw):
    RoleGrant.objects.create(user=cw.head, role=R.OFFICER)
    cw.head.forget_roles()
    assert access.can(cw.head, "cases.handle", open_general(cw)) and access.can(cw.head, "cases.decide")


def test_head_acts_are_recorded_as_his_approvals(cw):
    case = open_general(cw)
    services.transition(cw.head, case.pk, "file", {"filing_date": dt.date(2026, 2, 5)})
    approval = Approval.objects.get(case=case, kind="filing")
    assert (
        approval.status == "approved"
        and approval.decided_by == cw.head
        and approval.decided_on == dt.date(2026, 2, 5)
    )


def test_a_decided_penalty_is_frozen(cw):
    """第四十八条: after the decision the penalty changes only by an approved 变更/撤销 with a reason."""
    case = run_to_notified(cw, open_general(cw))
    services.transition(cw.head, case.pk, "decide", DECIDE)
    with pytest.raises(ValidationError):  # no action of an officer takes penalties after the decision
        services.transition(
            cw.user,
            case.pk,
            "serve",
            {"service_date": "2026-03-12", "penalties_decided": [{"kind": "warning"}]},
        )
    approval = services.request_approval(
        cw.user,
        case.pk,
        "change_decision",
        {"penalties_decided": [{"kind": "fine", "amount": "3000"}], "reason": "复核后从轻"},
    )
    services.decide_approval(
        cw.head, approval.pk, {"approve": True, "opinion": "同意变更", "as_of": "2026-03-11"}
    )
    case.refresh_from_db()
    assert case.decided_fine == Decimal("3000") and case.events.filter(action="change_decision").exists()


def test_dates_are_checked(cw):
    case = open_general(cw)
    with pytest.raises(DomainError) as exc:
        services.transition(cw.head, case.pk, "file", {"filing_date": dt.date(2999, 1, 1)})
    assert "date_in_future" in [r.code for r in exc.value.refusals]
    with pytest.raises(DomainError) as exc:  # filing before discovery (2 Feb)
        services.transition(cw.head, case.pk, "file", {"filing_date": dt.date(2026, 2, 1)})
    assert "filing_before_discovery" in [r.code for r in exc.value.refusals]


def test_case_bound_to_items_the_body_claimed(cw):
    from tests.cases.conftest import new_item

    unclaimed = new_item(cw.domain, "UNCLAIMED", fine_max="500", claimed=False)
    with pytest.raises(DomainError) as exc:
        services.open_case(cw.user, {"party": cw.firm, "item": unclaimed, "act_date": dt.date(2026, 1, 20)})
    assert exc.value.code == "item_not_claimed"


def test_case_opening_refuses_parties_and_officers_out_of_scope(cw):
    with pytest.raises(ValidationError) as exc:
        services.open_case(cw.user, {"party": cw.firm_b, "item": cw.item, "act_date": dt.date(2026, 1, 20)})
    assert "party_id" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        services.open_case(
            cw.user,
            {
                "party": cw.firm,
                "item": cw.item,
                "act_date": dt.date(2026, 1, 20),
                "officers": [cw.world.officer_b],
            },
        )
    assert "officer_ids" in exc.value.error_dict


def test_minor_party_gets_a_lighter_fine(cw):
    """第三十条: a party aged 14–18 on the act — the top of the range is refused."""
    from tests.parties.conftest import add_party
    from zhifa.core.validators import make_id_number

    teen = add_party(
        cw.world.shangfang,
        kind="person",
        name="少年甲",
        id_number=make_id_number("330803", dt.date(2010, 5, 1), "123"),
    )
    case = run_to_notified(cw, open_general(cw, party=teen), fine="9000")
    with pytest.raises(DomainError) as exc:
        services.transition(cw.head, case.pk, "decide", {"decision_date": dt.date(2026, 3, 10)})
    assert "mitigation_required" in [r.code for r in exc.value.refusals]


def test_refusals_of_authority_are_recorded(client, cw):
    case = open_general(cw)
    client.force_login(cw.user, backend="django.contrib.auth.backends.ModelBackend")
    from tests.cases.test_api import _post
    from zhifa.api.models import ApiKey

    key = ApiKey.generate("移动端", cw.world.team_a, "officer")[1]
    response = _post(client, f"/api/v1/cases/{case.pk}/transition", key, {"action": "file", "data": {}})
    assert response.status_code == 403
    assert AuditEvent.objects.filter(action="access.refused", object_id__contains=str(case.pk)).exists()


@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_fines_for_the_same_act_give_one(cw):
    """第二十九条: ten requests fining the same act at once → exactly one fine."""
    cases = [run_to_notified(cw, open_general(cw)) for _ in range(10)]
    assert len({c.act_key for c in cases}) == 1
    outcomes: list[str] = []
    barrier = threading.Barrier(len(cases))

    def decide(case):
        try:
            barrier.wait()
            services.transition(cw.head, case.pk, "decide", DECIDE)
            outcomes.append("decided")
        except DomainError as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=decide, args=(c,)) for c in cases]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["decided"] + ["double_fine"] * 9
    assert Case.objects.filter(act_key=cases[0].act_key, decided_fine__gt=0).count() == 1


def test_permissions_listed_for_actions_exist():
    for name in ACTION_PERMISSION.values():
        access.get_permission(name)


def test_head_of_body_can_be_certified_officer_too(cw):
    officer = new_officer(cw.world.team_a, name="局长兼执法员")
    head = new_user("headofficer", cw.world.team_a, R.HEAD, officer)
    RoleGrant.objects.create(user=head, role=R.OFFICER, granted_by=cw.world.guidance_user)
    assert access.roles_of(head) == {R.HEAD, R.OFFICER}
