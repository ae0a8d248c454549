"""Each role lands on its own to-do list (待办): the sections of its role with the waiting work,
nearest deadline first, each item a link to where it is done, and nothing outside its scope."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone

from tests.cases.conftest import open_general, run_to_notified
from tests.conftest import new_officer, new_user
from tests.dispatch.conftest import report_data
from zhifa.cases import services as case_services
from zhifa.dispatch import services as dispatch_services
from zhifa.dispatch.models import Incident
from zhifa.organizations.models import RoleGrant, User
from zhifa.supervision.models import Alert

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _landing(client, user) -> str:
    client.force_login(user, backend=MODEL_BACKEND)
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def _roles(html: str) -> list[str]:
    return re.findall(r'data-todo-role="([a-z_]+)"', html)


def _section(html: str, key: str) -> str:
    """The HTML of one section of the landing page."""
    match = re.search(rf'<article[^>]*data-todo-section="{re.escape(key)}"[^>]*>(.*?)</article>', html, re.S)
    assert match, f"section {key} not on the page"
    return match.group(0)


def _count(html: str, key: str) -> int:
    return int(re.search(rf'data-todo-section="{re.escape(key)}" data-count="(\d+)"', html).group(1))


def _incidents(command, n, **overrides):
    made = []
    for i in range(n):
        incident, _ = dispatch_services.report_incident(
            command.user, report_data(external_id=f"landing-{i}-{id(made)}", **overrides)
        )
        made.append(dispatch_services.transition(command.user, incident.pk, "assign"))
    return made


# ---- officer ----


def test_officer_lands_on_the_incidents_of_his_body_nearest_deadline_first(client, world, command, catalog):
    first, second = _incidents(command, 2)
    Incident.objects.filter(pk=second.pk).update(due_at=timezone.now() - dt.timedelta(days=1))  # overdue
    html = _landing(client, world.user_a)
    assert _roles(html) == ["officer"]
    section = _section(html, "my-incidents")
    assert _count(html, "my-incidents") == 2
    assert section.index(second.tracking_code) < section.index(first.tracking_code)
    assert f'href="/dispatch/incidents/{second.pk}/"' in section  # one click to act
    assert "超期 1 天" in section
    # the strip of the nearest deadlines leads with the overdue one
    strip = re.search(r"data-todo-nearest.*?</section>", html, re.S).group(0)
    assert second.tracking_code in strip


def test_officer_of_another_township_does_not_see_them(client, world, command, catalog):
    _incidents(command, 1)
    html = _landing(client, command.officer_b)
    assert _count(html, "my-incidents") == 0 and "没有待处置的事件" in html


def test_officer_sees_his_cases_by_the_next_statutory_deadline(client, cw):
    case = open_general(cw)
    other = open_general(
        cw, party=cw.firm_b, user=cw.user_b, officers=[cw.world.officer_b, cw.world.officer_b]
    )
    html = _landing(client, cw.user)
    section = _section(html, "my-cases")
    assert _count(html, "my-cases") == 1
    assert f'href="/cases/{case.pk}/"' in section and f'href="/cases/{other.pk}/"' not in section
    assert "决定是否立案" in section  # the filing deadline of a registered general-procedure case


# ---- command centre ----


def test_command_centre_lands_on_unassigned_and_overdue_incidents(client, world, command, catalog):
    waiting, _ = dispatch_services.report_incident(command.user, report_data(external_id="waiting"))
    late = _incidents(command, 1)[0]
    Incident.objects.filter(pk=late.pk).update(overdue=True, due_at=timezone.now() - dt.timedelta(days=2))
    html = _landing(client, command.user)
    assert _roles(html) == ["command_center"]
    assert waiting.tracking_code in _section(html, "unassigned")
    assert late.tracking_code in _section(html, "overdue")
    assert 'href="/dispatch/new/"' in _section(html, "unassigned")  # 登记事件
    assert "disputes" in html


# ---- township leader ----


def test_township_leader_lands_on_the_township_dashboard(client, world, command, catalog):
    mine = _incidents(command, 1)[0]
    other, _ = dispatch_services.report_incident(
        command.user,
        report_data(external_id="elsewhere", address="峡川镇东坪村", lat="29.050000", lng="118.950000"),
    )
    html = _landing(client, world.leader_a)
    assert _roles(html) == ["township_leader"]
    incidents = _section(html, "township-incidents")
    assert mine.tracking_code in incidents and other.tracking_code not in incidents
    staff = _section(html, "staff")
    assert "在岗人员" in staff and "持证执法人员" in staff
    assert "township-cases" in html


# ---- legal reviewer and head of a body ----


def test_legal_reviewer_lands_on_the_review_queue(client, cw):
    case = run_to_notified(cw, open_general(cw))
    case_services.transition(cw.user, case.pk, "submit_legal_review", {"as_of": dt.date(2026, 3, 9)})
    review = case.legal_reviews.get()
    html = _landing(client, cw.reviewer)
    assert "legal_reviewer" in _roles(html)
    section = _section(html, "legal-review")
    assert _count(html, "legal-review") == 1 and f'href="/cases/reviews/{review.pk}/"' in section
    assert review.due_on.isoformat() in section or f"{review.due_on.month}月{review.due_on.day}日" in section


def test_legal_reviewer_of_another_body_does_not_see_it(client, cw):
    case = run_to_notified(cw, open_general(cw))
    case_services.transition(cw.user, case.pk, "submit_legal_review", {"as_of": dt.date(2026, 3, 9)})
    reviewer = new_user("legal_b", cw.world.team_b, User.Role.LEGAL_REVIEWER)
    assert _count(_landing(client, reviewer), "legal-review") == 0


def test_a_head_of_a_body_lands_on_the_approvals_inbox(client, cw):
    registered = open_general(cw)
    approval = case_services.request_approval(cw.user, registered.pk, "filing", {}, reason="线索属实")
    html = _landing(client, cw.head)
    assert _roles(html) == ["head"]
    section = _section(html, "approvals")
    assert f'href="/cases/approvals/#approval-{approval.pk}"' in section and "立案审批" in section


def test_a_head_of_another_body_sees_no_approval_of_it(client, cw):
    case_services.request_approval(cw.user, open_general(cw).pk, "filing", {})
    head_b = new_user("head_b_landing", cw.world.team_b, User.Role.HEAD)
    assert _count(_landing(client, head_b), "approvals") == 0


def test_a_user_with_several_roles_sees_the_sections_of_each(client, cw):
    RoleGrant.objects.create(user=cw.user, role=User.Role.HEAD)
    cw.user.forget_roles()
    case_services.request_approval(cw.user, open_general(cw).pk, "filing", {})
    html = _landing(client, cw.user)
    assert _roles(html) == ["officer", "head"]  # his main role first
    assert "my-cases" in html and "approvals" in html
    assert "执法人员" in html and "机关负责人" in html  # each desk names its role


# ---- department administrator, guidance office, supervisor ----


def test_department_admin_lands_on_claims_revisions_and_expiring_certificates(client, world):
    soon = new_officer(world.bureau, name="将到期队员", valid_to=dt.date.today() + dt.timedelta(days=20))
    html = _landing(client, world.bureau_admin)
    assert _roles(html) == ["department_admin"]
    certificates = _section(html, "certificates")
    assert "将到期队员" in certificates and f'href="/org/officers/{soon.pk}/"' in certificates
    assert "claims" in html and "my-revisions" in html


def test_department_admin_does_not_see_certificates_of_another_body(client, world):
    new_officer(world.team_b, name="外单位队员", valid_to=dt.date.today() + dt.timedelta(days=20))
    assert "外单位队员" not in _landing(client, world.bureau_admin)


def test_guidance_office_lands_on_district_indicators_and_approvals(client, world):
    html = _landing(client, world.guidance_user)
    assert _roles(html) == ["guidance_office"]
    for key in ("staffing", "approve-revisions", "disputes", "catalog-indicators", "alert-overview"):
        assert f'data-todo-section="{key}"' in html


def test_supervisor_lands_on_alerts_and_case_file_reviews(client, world):
    supervisor = new_user("supervisor_x", world.guidance, User.Role.SUPERVISOR)
    now = timezone.now()
    Alert.objects.create(
        rule_code="incident_overdue",
        subject_type="dispatch.Incident",
        subject_id=1,
        organization=world.team_a,
        severity="high",
        message="事件超期未办结：测试",
        raised_at=now,
        last_seen_at=now,
    )
    html = _landing(client, supervisor)
    assert _roles(html) == ["supervisor"]
    alerts = _section(html, "alerts")
    assert (
        "事件超期未办结：测试" in alerts and "incident_overdue" not in alerts
    )  # the rule's name, not its code
    assert "reviews" in html


def test_landing_page_needs_login(client, db):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_landing_page_takes_a_bounded_number_of_queries(
    client, world, command, catalog, django_assert_max_num_queries
):
    _incidents(command, 8)
    client.force_login(world.user_a, backend=MODEL_BACKEND)
    with django_assert_max_num_queries(40):
        assert client.get("/").status_code == 200
