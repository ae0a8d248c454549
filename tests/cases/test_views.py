"""Case pages: scoped list, the case file (timeline, deadlines, evidence hashes, documents,
actions), a transition from the page, the phone form that opens a case from a finding."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tests.cases.conftest import new_item, open_general, run_to_notified
from zhifa.cases import services
from zhifa.cases.models import Case

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user, backend=MODEL_BACKEND)
        return client

    return _login


def test_list_is_scoped_to_the_township(login, cw):
    mine = open_general(cw)
    theirs = services.open_case(
        cw.user_b, {"party": cw.firm_b, "item": cw.item, "act_date": dt.date(2026, 1, 20)}
    )
    html = login(cw.user).get("/cases/").content.decode()
    assert mine.number in html and theirs.number not in html
    assert login(cw.user).get(f"/cases/{theirs.pk}/").status_code == 404


def test_case_file_page_shows_timeline_deadlines_and_actions(login, cw, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    case = run_to_notified(cw, open_general(cw))
    evidence = services.add_evidence(
        cw.user, case.pk, {"kind": "inspection_record", "description": "现场检查笔录"}, b"x"
    )
    document = services.issue_document(cw.user, case.pk, "notice")
    html = login(cw.user).get(f"/cases/{case.pk}/").content.decode()
    for expected in (
        "告知拟作出的行政处罚",
        "陈述申辩",
        evidence.sha256,
        document.number,
        document.sha256,
        "第六十条",
        "提交法制审核",
        "暂不能办理的操作及原因",
        "作出行政处罚决定",
    ):
        assert expected in html, expected
    # The audit trail names the act (告知), not its code (case.notify).
    trail = re.search(r"留痕记录</h2>(.*?)</section>", html, re.S).group(1)
    assert "告知拟作出的行政处罚" in trail and "case.notify" not in html


def test_transition_from_the_page_and_refusal_message(login, cw):
    """The officer asks for filing (立案审批), the head approves it from his inbox (第五十四条); a step
    the case is not ready for is not offered and its reason is shown with the article."""
    case = open_general(cw)
    client = login(cw.user)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "提请立案审批" in page and f'action="/cases/{case.pk}/act/file/"' not in page
    client.post(
        f"/cases/{case.pk}/act/request-filing/",
        {"request-filing-reason_for_request": "现场核实属实"},
        follow=True,
    )
    assert Case.objects.get(pk=case.pk).state == "registered"
    approval = case.approvals.get(status="pending")
    inbox = login(cw.head).get("/cases/approvals/").content.decode()
    assert "立案审批" in inbox and case.number in inbox
    login(cw.head).post(
        f"/cases/approvals/{approval.pk}/decide/", {"decision": "approve", "as_of": "2026-02-05"}
    )
    case.refresh_from_db()
    assert case.state == "filed" and case.filing_date == dt.date(2026, 2, 5)
    refused = login(cw.user).post(
        f"/cases/{case.pk}/act/serve/", {"serve-service_date": "2026-03-12"}, follow=True
    )
    assert "当前不能办理此项" in refused.content.decode()
    assert Case.objects.get(pk=case.pk).state == "filed"


def test_phone_form_opens_a_summary_case_and_decides_on_the_spot(login, cw):
    item = new_item(cw.domain, "T5", fine_max="200")
    client = login(cw.user)
    assert client.get("/cases/on-spot/").status_code == 200
    response = client.post(
        "/cases/on-spot/",
        {
            "party": cw.person.pk,
            "item": item.pk,
            "act_date": dt.date.today().isoformat(),
            "summary": "乱扔垃圾",
            "second_officer": cw.second.pk,
            "on_spot": "on",
            "penalty": "fine",
            "amount": "50",
        },
        follow=True,
    )
    case = Case.objects.get(item=item)
    assert case.procedure == "summary" and case.state == "served", response.content.decode()[:2000]
    assert case.decided_fine == 50


def test_phone_form_refuses_an_amount_beyond_the_summary_limit_but_keeps_the_case(login, cw):
    item = new_item(cw.domain, "T6", fine_max="5000")
    response = login(cw.user).post(
        "/cases/on-spot/",
        {
            "party": cw.person.pk,
            "item": item.pk,
            "act_date": dt.date.today().isoformat(),
            "summary": "占道",
            "second_officer": cw.second.pk,
            "on_spot": "on",
            "penalty": "fine",
            "amount": "500",
        },
        follow=True,
    )
    case = Case.objects.get(item=item)
    assert case.state == "registered" and "第五十一条" in response.content.decode()


def test_list_page_query_count_does_not_grow_with_cases(login, cw):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(cw.user)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/cases/").status_code == 200
        return len(ctx.captured_queries)

    open_general(cw)
    one = count()
    for _ in range(4):
        open_general(cw)
    assert count() == one


def test_payment_from_the_page_records_the_surcharge(login, cw):
    case = run_to_notified(cw, open_general(cw))
    services.transition(
        cw.head,
        case.pk,
        "decide",
        {"decision_date": dt.date(2026, 3, 10), "penalties_decided": [{"kind": "fine", "amount": "5000"}]},
    )
    services.transition(cw.user, case.pk, "serve", {"service_date": dt.date(2026, 3, 12)})
    response = login(cw.user).post(
        f"/cases/{case.pk}/act/payment/",
        {"payment-amount": "5000", "payment-paid_on": "2026-03-30", "payment-channel": "bank"},
        follow=True,
    )
    assert "加处罚款450.00元" in response.content.decode()
    case.refresh_from_db()
    assert case.state == "partly_paid" and case.payments.get().surcharge == 450


def test_case_form_opened_from_an_inspection_finding_is_prefilled(cw, login):
    response = login(cw.user).get("/cases/on-spot/", {"party": cw.firm.pk, "summary": "占用消防通道堆放杂物"})
    content = response.content.decode()
    assert f'<option value="{cw.firm.pk}" selected>' in content
    assert "占用消防通道堆放杂物" in content


def test_evidence_file_downloads_only_within_scope(login, cw, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    case = open_general(cw)
    evidence = services.add_evidence(
        cw.user, case.pk, {"kind": "audiovisual", "description": "执法记录仪视频"}, b"video"
    )
    url = f"/cases/{case.pk}/evidence/{evidence.pk}/file/"
    assert url in login(cw.user).get(f"/cases/{case.pk}/").content.decode()
    response = login(cw.user).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"video"
    assert login(cw.user_b).get(url).status_code == 404  # another township's case
