"""Published penalty decisions (行政处罚法第四十八条): who may publish, what is masked, search,
withdrawal within three working days (第四十八条第二款、第八十五条)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from tests.conftest import new_user
from tests.portal.conftest import decide_on_spot
from zhifa.cases import services as case_services
from zhifa.core.errors import DomainError, NotFound, PermissionDenied
from zhifa.core.models import AuditEvent
from zhifa.core.validators import mask_id_number
from zhifa.core.workdays import WorkdayCalendar
from zhifa.organizations.models import User
from zhifa.portal import rules, selectors, services
from zhifa.portal.models import PublishedDecision

# ---- pure rules ------------------------------------------------------------------------------


def test_a_person_is_masked_and_an_enterprise_shown_in_full():
    person = rules.public_party("person", "王小明", id_number="33080319850101001X")
    assert person.label == "王**" and person.id_number == "3****************X" and person.uscc == ""
    firm = rules.public_party(
        "enterprise", "衢州某某餐饮有限公司", uscc="91330803MA0000001X", representative="李四"
    )
    assert (firm.label, firm.uscc, firm.representative, firm.id_number) == (
        "衢州某某餐饮有限公司",
        "91330803MA0000001X",
        "李四",
        "",
    )
    shop = rules.public_party(
        "individual_business", "衢江区某某小吃店", uscc="92330803MA0000002X", representative="赵小六"
    )
    assert (
        shop.label == "衢江区某某小吃店" and shop.representative == "赵**"
    )  # the operator is a natural person


def test_free_text_loses_the_persons_name():
    assert rules.mask_text("王小明于门前占道，王小明承认", [("王小明", "王**")]) == "王**于门前占道，王**承认"


def test_withdrawal_due_in_three_working_days():
    # 行政处罚法第四十八条第二款 "三日内撤回", 第八十五条: working days. Friday 6 March 2026 → Wednesday 11 March.
    calendar = WorkdayCalendar()
    assert rules.withdrawal_due(dt.date(2026, 3, 6), calendar) == dt.date(2026, 3, 11)
    assert rules.must_withdraw(["upheld", "revoked"]) and not rules.must_withdraw(["upheld", "pending"])


# ---- publishing -------------------------------------------------------------------------------


def test_reviewer_publishes_a_decided_case_with_the_person_masked(cw, reviewer):
    case = decide_on_spot(cw, cw.person)
    publication = services.publish_decision(reviewer, case.pk)
    assert publication.party_label == "张*"
    snapshot = publication.snapshot
    assert snapshot["party"]["id_number"] == mask_id_number(cw.person.id_number)
    assert cw.person.id_number not in str(snapshot) and "张某" not in str(snapshot)
    assert snapshot["facts"] == "张*在街面乱扔垃圾"
    assert snapshot["penalties"] == [{"kind": "fine", "label": "罚款", "amount": "50"}]
    event = AuditEvent.objects.filter(action="decision.publish").get()
    assert event.legal_basis == rules.PUBLICATION_BASIS and event.actor_name == "reviewer_a"


def test_an_enterprise_is_published_with_name_and_uscc(cw, reviewer):
    case = decide_on_spot(cw, cw.firm, amount="150")
    publication = services.publish_decision(reviewer, case.pk)
    assert publication.party_label == "上方某某餐饮有限公司"
    assert publication.snapshot["party"]["uscc"] == cw.firm.uscc


def test_only_reviewers_and_admins_of_the_body_publish_decided_cases(cw, reviewer, reviewer_b):
    case = decide_on_spot(cw, cw.person)
    with pytest.raises(PermissionDenied):
        services.publish_decision(cw.user, case.pk)  # an officer
    with pytest.raises(NotFound):
        services.publish_decision(reviewer_b, case.pk)  # another township's reviewer
    undecided = case_services.open_case(
        cw.user,
        {
            "party": cw.firm,
            "item": cw.item,
            "act_date": dt.date(2026, 1, 20),
            "discovery_date": dt.date(2026, 2, 2),
            "summary": "占道经营",
            "officers": [cw.world.officer_a, cw.second],
        },
    )
    with pytest.raises(DomainError) as refused:
        services.publish_decision(reviewer, undecided.pk)
    assert refused.value.code == "case_not_decided"
    admin = new_user("admin_a", cw.world.team_a, User.Role.DEPARTMENT_ADMIN)
    services.publish_decision(admin, case.pk)
    with pytest.raises(DomainError) as twice:
        services.publish_decision(reviewer, case.pk)
    assert twice.value.code == "already_published"
    assert PublishedDecision.objects.count() == 1


def test_withdrawal_needs_a_reason_hides_the_decision_and_publishes_the_reason(cw, reviewer, client):
    case = decide_on_spot(cw, cw.person)
    publication = services.publish_decision(reviewer, case.pk)
    with pytest.raises(ValidationError):
        services.withdraw_decision(reviewer, publication.pk, "  ")
    services.withdraw_decision(reviewer, publication.pk, "经行政复议撤销")
    assert list(selectors.published_decisions()) == []
    page = client.get(f"/public/decisions/{publication.pk}/")
    assert page.status_code == 410
    text = page.content.decode()
    assert "经行政复议撤销" in text and "张*" not in text
    assert "经行政复议撤销" in client.get("/public/decisions/").content.decode()
    assert (
        AuditEvent.objects.filter(action="decision.withdraw", legal_basis=rules.WITHDRAWAL_BASIS).count() == 1
    )


def test_a_revoked_decision_is_due_for_withdrawal_within_three_working_days(cw, reviewer):
    from zhifa.core.scopes import Scope

    case = decide_on_spot(cw, cw.person, day=dt.date(2026, 3, 2))  # a remedy is filed after the decision
    publication = services.publish_decision(reviewer, case.pk)
    case_services.record_remedy(
        cw.user,
        case.pk,
        {
            "kind": "reconsideration",
            "filed_on": dt.date(2026, 3, 2),
            "outcome": "revoked",
            "decided_on": dt.date(2026, 3, 6),
        },
    )
    due = selectors.withdrawals_due(Scope.for_user(reviewer), dt.date(2026, 3, 12))
    assert [(row.publication.pk, row.due, row.overdue) for row in due] == [
        (publication.pk, dt.date(2026, 3, 11), True)
    ]
    assert selectors.withdrawals_due(Scope.for_user(reviewer), dt.date(2026, 3, 11))[0].overdue is False


# ---- public pages -----------------------------------------------------------------------------


def test_public_list_searches_by_party_item_and_date(cw, reviewer, client):
    person_case = decide_on_spot(cw, cw.person)
    firm_case = decide_on_spot(cw, cw.firm, amount="150")
    services.publish_decision(reviewer, person_case.pk)
    firm_pub = services.publish_decision(reviewer, firm_case.pk)
    PublishedDecision.objects.filter(pk=firm_pub.pk).update(decision_date=dt.date(2025, 6, 1))

    def rows(query):
        return client.get("/public/decisions/", query).content.decode().count('class="decision-row"')

    assert rows({}) == 2
    assert rows({"q": "餐饮"}) == 1
    assert rows({"q": "张某"}) == 0  # a masked name is not found by the plain name
    assert rows({"q": "张*"}) == 1
    assert rows({"q": cw.firm.uscc}) == 1
    assert rows({"item": "乱扔垃圾"}) == 2
    assert rows({"date_from": "2026-01-01"}) == 1
    assert rows({"date_to": "2025-12-31"}) == 1


def test_public_detail_masks_the_person_and_needs_no_login(cw, reviewer, client):
    case = decide_on_spot(cw, cw.person)
    publication = services.publish_decision(reviewer, case.pk)
    response = client.get(f"/public/decisions/{publication.pk}/")
    text = response.content.decode()
    assert response.status_code == 200
    assert "张*" in text and "张某" not in text and cw.person.id_number not in text
    assert mask_id_number(cw.person.id_number) in text
    assert 'class="nav__items"' not in text  # the public base: no staff menu


def test_staff_page_publishes_from_the_case(cw, reviewer, client):
    case = decide_on_spot(cw, cw.person)
    client.force_login(reviewer)
    detail = client.get(f"/cases/{case.pk}/").content.decode()
    assert "公开处罚决定" in detail
    response = client.post(f"/public/staff/decisions/publish/{case.pk}/", {"next": f"/cases/{case.pk}/"})
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.pk}/"
    assert PublishedDecision.objects.filter(case=case).exists()
    listing = client.get("/public/staff/decisions/").content.decode()
    assert "已公开" in listing
    client.force_login(cw.user)  # an officer sees the state but no button
    assert "公开处罚决定" not in client.get(f"/cases/{case.pk}/").content.decode()
    assert client.post(f"/public/staff/decisions/publish/{case.pk}/").status_code == 403


def test_api_lists_published_decisions_without_login(cw, reviewer, client):
    case = decide_on_spot(cw, cw.person)
    publication = services.publish_decision(reviewer, case.pk)
    body = client.get("/api/v1/portal/decisions").json()
    assert body["count"] == 1 and body["items"][0]["party_label"] == "张*"
    detail = client.get(f"/api/v1/portal/decisions/{publication.pk}").json()
    assert cw.person.id_number not in str(detail)
    services.withdraw_decision(reviewer, publication.pk, "已变更")
    assert client.get(f"/api/v1/portal/decisions/{publication.pk}").status_code == 404
