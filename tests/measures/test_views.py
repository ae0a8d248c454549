"""The pages: the panel on the case page, the measures page with each role's steps, forms that name
what is wrong in Chinese, and the scope."""

from __future__ import annotations

import pytest

from tests.cases.conftest import open_general, run_to_notified
from tests.measures.conftest import ITEMS, D, approve, investigating, officers
from zhifa.measures import services
from zhifa.measures.models import Seizure


@pytest.fixture
def officer_client(client, cw):
    client.force_login(cw.user)
    return client


def test_case_page_shows_the_panel_with_deadlines(officer_client, cw):
    case = investigating(cw)
    page = officer_client.get(f"/cases/{case.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert (
        "data-measures-panel" in html
        and "本案尚无先行登记保存" in html
        and f"/measures/cases/{case.pk}/" in html
    )
    seizure = services.propose_seizure(
        cw.user,
        case.pk,
        {
            "kind": "seize",
            "items": ITEMS,
            "place": "店内",
            "reason": "涉嫌过期食品",
            "legal_basis": "《食品安全法》第一百一十条",
        },
    )
    approve(cw.head, seizure.approval_id, D(2026, 2, 9))
    services.execute_seizure(
        cw.user, seizure.pk, {"executed_on": D(2026, 2, 10), "officer_ids": officers(cw), "record": "笔录"}
    )
    html = officer_client.get(f"/cases/{case.pk}/").content.decode()
    assert "扣押：冷藏柜1台、冻品200公斤" in html and "期限届满日" not in html
    assert "查封、扣押期限届满（30日）：2026-03-12" in html and "已逾期" in html


def test_the_head_sees_that_a_referral_blocks_the_decision(client, cw):
    case = run_to_notified(cw, open_general(cw))
    services.open_referral(
        cw.user,
        case.pk,
        {
            "discovered_on": D(2026, 3, 10),
            "team_appointed_on": D(2026, 3, 10),
            "team_ids": officers(cw),
            "suspected_crime": "涉嫌非法经营罪",
        },
    )
    client.force_login(cw.head)
    html = client.get(f"/cases/{case.pk}/").content.decode()
    assert "data-referral-pending" in html and "不得以行政处罚代替移送" in html
    # the decision step lists the refusal with its article among the blocked steps
    assert (
        "涉嫌犯罪案件移送专案组核查中，不得以行政处罚代替移送（《行政执法机关移送涉嫌犯罪案件的规定》第十一条）"
        in html
    )
    page = client.get(f"/measures/cases/{case.pk}/").content.decode()
    assert "审批待办" in page and 'data-step="report"' not in page  # the head prepares nothing


def test_officer_proposes_a_seizure_from_the_page(officer_client, cw):
    case = investigating(cw)
    page = officer_client.get(f"/measures/cases/{case.pk}/").content.decode()
    for step in ("preservation", "seizure", "emergency", "referral", "shared"):
        assert f'action="/measures/cases/{case.pk}/act/{step}/"' in page
    response = officer_client.post(
        f"/measures/cases/{case.pk}/act/seizure/",
        {
            "new-seizure-kind": "seize",
            "new-seizure-items": "冷藏柜 1 台\n冻品，200，公斤，无标签",
            "new-seizure-place": "店内",
            "new-seizure-reason": "涉嫌过期食品",
            "new-seizure-legal_basis": "《食品安全法》第一百一十条",
            "new-seizure-period_days": "30",
        },
    )
    assert response.status_code == 302
    seizure = Seizure.objects.get(case=case)
    assert seizure.items == [
        {"name": "冷藏柜", "quantity": "1", "unit": "台", "note": ""},
        {"name": "冻品", "quantity": "200", "unit": "公斤", "note": "无标签"},
    ]
    page = officer_client.get(response["Location"]).content.decode()
    assert "待负责人审批" in page and "已提请查封、扣押" in page


def test_a_wrong_form_comes_back_with_the_reason_in_chinese(officer_client, cw):
    case = investigating(cw)
    response = officer_client.post(
        f"/measures/cases/{case.pk}/act/seizure/",
        {
            "new-seizure-kind": "seize",
            "new-seizure-items": "冷藏柜 一 台",
            "new-seizure-place": "店内",
            "new-seizure-reason": "理由",
            "new-seizure-legal_basis": "依据",
            "new-seizure-period_days": "30",
        },
    )
    assert response.status_code == 422
    assert "第1行的数量“一”不是数字" in response.content.decode()
    response = officer_client.post(
        f"/measures/cases/{case.pk}/act/seizure/",
        {
            "new-seizure-kind": "seize",
            "new-seizure-items": "冷藏柜 1 台",
            "new-seizure-place": "店内",
            "new-seizure-reason": "理由",
            "new-seizure-legal_basis": "依据",
            "new-seizure-period_days": "31",
        },
    )
    assert (
        response.status_code == 422 and "不能大于30" in response.content.decode()
    )  # 行政强制法第二十五条: 30 days
    assert not Seizure.objects.exists()


def test_a_refused_step_shows_the_article(officer_client, cw):
    case = investigating(cw)
    seizure = services.propose_seizure(
        cw.user,
        case.pk,
        {"kind": "seize", "items": ITEMS, "place": "店内", "reason": "理由", "legal_basis": "依据"},
    )
    approve(cw.head, seizure.approval_id, D(2026, 2, 9))
    response = officer_client.post(
        f"/measures/seizure/{seizure.pk}/act/execute/",
        {
            f"seizure-{seizure.pk}-execute-executed_on": "2026-02-10",
            f"seizure-{seizure.pk}-execute-officer_ids": [str(cw.world.officer_a.pk)],
            f"seizure-{seizure.pk}-execute-party_present": "on",
            f"seizure-{seizure.pk}-execute-record": "笔录",
        },
    )
    assert response.status_code == 422
    assert (
        "须由两名以上持有执法证的执法人员实施（《行政强制法》第十七条第三款、第十八条第二项、第十八条第三项）"
        in response.content.decode()
    )


def test_another_township_cannot_open_the_page_or_act(client, cw):
    case = investigating(cw)
    client.force_login(cw.user_b)
    assert client.get(f"/measures/cases/{case.pk}/").status_code == 404
    assert client.post(f"/measures/cases/{case.pk}/act/seizure/", {}).status_code == 404


def test_the_index_lists_measures_in_scope_overdue_first(client, cw):
    case = investigating(cw)
    record = services.propose_preservation(
        cw.user, case.pk, {"items": ITEMS, "place": "店内", "reason": "可能灭失"}
    )
    approve(cw.head, record.approval_id, D(2026, 2, 9))
    services.execute_preservation(
        cw.user, record.pk, {"preserved_on": D(2026, 2, 9), "officer_ids": officers(cw)}
    )
    client.force_login(cw.head)
    html = client.get("/measures/").content.decode()
    assert "先行登记保存逾期未作出处理决定" in html and case.number in html
    client.force_login(cw.user_b)
    html = client.get("/measures/").content.decode()
    assert case.number not in html and "没有办理中的强制措施或移送" in html


def test_a_referral_asked_from_the_case_page_is_pointed_out(officer_client, cw):
    case = investigating(cw)
    from zhifa.cases import services as cases_services

    cases_services.request_approval(
        cw.user, case.pk, "criminal_referral", {"suspected_crime": "涉嫌非法经营罪"}
    )
    html = officer_client.get(f"/cases/{case.pk}/").content.decode()
    assert "data-unlinked-referral" in html and "没有专案组、书面报告和移送时限记录" in html


def test_the_measures_page_reads_in_a_fixed_number_of_queries(
    officer_client, cw, django_assert_max_num_queries
):
    case = investigating(cw)
    for _ in range(3):
        seizure = services.propose_seizure(
            cw.user,
            case.pk,
            {"kind": "seize", "items": ITEMS, "place": "店内", "reason": "理由", "legal_basis": "依据"},
        )
        approve(cw.head, seizure.approval_id, D(2026, 2, 9))
        services.execute_seizure(
            cw.user,
            seizure.pk,
            {"executed_on": D(2026, 2, 10), "officer_ids": officers(cw), "record": "笔录"},
        )
    officer_client.get(f"/measures/cases/{case.pk}/")  # warm the session and caches
    with django_assert_max_num_queries(40) as captured:
        assert officer_client.get(f"/measures/cases/{case.pk}/").status_code == 200
    three = len(captured.captured_queries)
    seizure = services.propose_seizure(
        cw.user,
        case.pk,
        {"kind": "seize", "items": ITEMS, "place": "店内", "reason": "理由", "legal_basis": "依据"},
    )
    approve(cw.head, seizure.approval_id, D(2026, 2, 9))
    services.execute_seizure(
        cw.user, seizure.pk, {"executed_on": D(2026, 2, 10), "officer_ids": officers(cw), "record": "笔录"}
    )
    with django_assert_max_num_queries(three) as captured:
        officer_client.get(f"/measures/cases/{case.pk}/")
