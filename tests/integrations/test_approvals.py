"""审管联动: signed, idempotent approval pushes create a post-approval check for the department
that supervises the item, with its deadline; the check shows in the inspector's queue; an
overdue one raises a supervision alert; bad or replayed pushes are refused with JSON errors."""

from __future__ import annotations

import datetime as dt
import json
import logging
import time

from django.utils import timezone

from zhifa.core.models import AuditEvent
from zhifa.integrations import rules
from zhifa.integrations.models import InboundClient, LicenceApproval, PostApprovalCheck
from zhifa.supervision import services as supervision_services
from zhifa.supervision.models import Alert

URL = "/api/v1/integrations/approvals"
SECRET = "approval-secret"


def _client():
    return InboundClient.objects.create(code="zwfw-approval", name="浙江政务服务网审批系统", secret=SECRET)


def _post(client, body, *, secret=SECRET, name="zwfw-approval", timestamp=None, raw=None):
    data = raw if raw is not None else json.dumps(body, ensure_ascii=False).encode()
    ts = int(time.time()) if timestamp is None else timestamp
    return client.post(
        URL,
        data=data,
        content_type="application/json",
        HTTP_X_ZHIFA_CLIENT=name,
        HTTP_X_ZHIFA_TIMESTAMP=str(ts),
        HTTP_X_ZHIFA_SIGNATURE=rules.sign(secret, ts, data),
    )


def _approval(**overrides):
    today = timezone.localdate()
    return {
        "approval_id": "SP2026-0001",
        "licence_no": "JY13308030001234",
        "licence_name": "食品经营许可（新办）",
        "item_code": "330209001000",
        "party_name": "衢江区好味道餐饮店",
        "uscc": "",
        "address": "上方镇新街 8 号",
        "approved_on": (today - dt.timedelta(days=2)).isoformat(),
        **overrides,
    }


def test_an_approval_creates_a_check_for_the_supervising_department(client, world, command, catalog):
    _client()
    response = _post(client, _approval())
    assert response.status_code == 201, response.content
    body = response.json()
    check = PostApprovalCheck.objects.get()
    assert check.organization == command.market and body["check"]["organization"] == command.market.name
    assert check.deadline == timezone.localdate() - dt.timedelta(days=2) + dt.timedelta(
        days=30
    )  # 市场监管: 30 days
    again = _post(
        client, _approval(), timestamp=int(time.time()) + 1
    )  # a new signature, the same approval: one approval
    assert (
        again.status_code == 200 and again.json()["id"] == body["id"] and LicenceApproval.objects.count() == 1
    )
    assert AuditEvent.objects.filter(action="approval.receive").count() == 1
    shorter = _post(
        client,
        _approval(
            approval_id="SP2026-0002",
            check_within_days=10,
            item_code="330216012000",
            supervising_org=world.bureau.name,
        ),
    )
    assert (
        shorter.status_code == 201
        and shorter.json()["check"]["deadline"]
        == (timezone.localdate() - dt.timedelta(days=2) + dt.timedelta(days=10)).isoformat()
    )


def test_the_inspectors_queue_shows_it_and_the_inspector_finishes_it(client, world, command, catalog):
    _client()
    _post(client, _approval())
    check = PostApprovalCheck.objects.get()
    client.force_login(command.market_officer)
    page = client.get("/integrations/post-approval-checks/").content.decode()
    assert f'data-check="{check.pk}"' in page and "衢江区好味道餐饮店" in page
    client.force_login(world.user_a)  # another body: not its check
    assert (
        f'data-check="{check.pk}"' not in client.get("/integrations/post-approval-checks/").content.decode()
    )
    assert (
        client.post(
            f"/integrations/post-approval-checks/{check.pk}/finish/", {"outcome": "compliant", "result": "x"}
        ).status_code
        == 404
    )
    client.force_login(command.market_officer)
    refused = client.post(
        f"/integrations/post-approval-checks/{check.pk}/finish/", {"outcome": "", "result": ""}, follow=True
    )
    assert "请选择检查结论" in refused.content.decode()
    client.post(
        f"/integrations/post-approval-checks/{check.pk}/finish/",
        {"outcome": "compliant", "result": "现场核查，许可条件与申报一致"},
    )
    check.refresh_from_db()
    assert check.state == "done" and check.done_by == command.market_officer and check.outcome == "compliant"


def test_an_overdue_check_raises_a_supervision_alert(client, world, command, catalog):
    _client()
    _post(client, _approval(approved_on=(timezone.localdate() - dt.timedelta(days=40)).isoformat()))
    check = PostApprovalCheck.objects.get()
    assert check.deadline < timezone.localdate()
    supervision_services.sweep(rule_codes=["post_approval_check_overdue"])
    alert = Alert.objects.get(rule_code="post_approval_check_overdue")
    assert (
        alert.subject_id == check.pk
        and alert.organization_id == command.market.pk
        and "批后监管逾期" in alert.message
    )
    check.state = "done"
    check.save()
    supervision_services.sweep(rule_codes=["post_approval_check_overdue"])
    alert.refresh_from_db()
    assert alert.cleared_at is not None


def test_bad_pushes_are_refused_with_json_errors_and_logged(client, world, command, catalog, caplog):
    _client()
    caplog.set_level(logging.WARNING, logger="zhifa.integrations.api")
    cases = [
        (_post(client, _approval(), name="unknown-system"), 401, "unknown_client"),
        (_post(client, _approval(), secret="wrong"), 401, "signature_mismatch"),
        (
            _post(client, _approval(), timestamp=int(time.time()) - rules.TOLERANCE_SECONDS - 60),
            401,
            "timestamp_out_of_window",
        ),
        (_post(client, None, raw=b"{not json"), 422, "invalid_json"),
        (_post(client, _approval(colour="red")), 422, "extra_forbidden"),
        (_post(client, _approval(approved_on="2026-13-45")), 422, "date_from_datetime_parsing"),
        (_post(client, _approval(item_code="330299999000")), 422, "unknown_item"),
        (_post(client, _approval(item_code="", supervising_org="")), 422, "supervisor_unknown"),
    ]
    for response, status, code in cases:
        assert response.status_code == status, (code, response.content)
        assert response["Content-Type"].startswith("application/json") and response.json()["code"].startswith(
            code[:12]
        )
    unsigned = client.post(URL, data=json.dumps(_approval()), content_type="application/json")
    assert unsigned.status_code == 401 and unsigned.json()["code"] == "unknown_client"
    assert LicenceApproval.objects.count() == 0
    assert len([r for r in caplog.records if "approval push refused" in r.getMessage()]) >= len(cases)


def test_a_replayed_signature_is_refused(client, world, command, catalog):
    _client()
    data = json.dumps(_approval()).encode()
    ts = int(time.time())
    headers = {
        "HTTP_X_ZHIFA_CLIENT": "zwfw-approval",
        "HTTP_X_ZHIFA_TIMESTAMP": str(ts),
        "HTTP_X_ZHIFA_SIGNATURE": rules.sign(SECRET, ts, data),
    }
    assert client.post(URL, data=data, content_type="application/json", **headers).status_code == 201
    replayed = client.post(URL, data=data, content_type="application/json", **headers)
    assert replayed.status_code == 409 and replayed.json()["code"] == "replayed"


def test_the_party_page_of_approvals_lists_the_approval_and_its_check(client, world, command, catalog):
    from zhifa.core.validators import make_uscc
    from zhifa.parties.models import Party

    uscc = make_uscc("91330803MA2ABCDE1")
    party = Party.objects.create(
        kind="enterprise", name="衢江区好味道餐饮有限公司", uscc=uscc, township=world.shangfang
    )
    _client()
    _post(client, _approval(uscc=uscc, party_name=party.name))
    assert LicenceApproval.objects.get().party == party
    client.force_login(command.market_officer)
    page = client.get(f"/integrations/parties/{party.pk}/approvals/").content.decode()
    assert "食品经营许可（新办）" in page and "待检查" in page
