"""The party's pages and the officers' desk, through the test client: what each shows, that the
party reaches only its own records (another party's ids → 404), forms refusing with the reason."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.partyspace.conftest import decided_and_served, jpeg, notified_case, signed_in, today
from zhifa.cases.models import Case, Document, Payment
from zhifa.partyspace import services
from zhifa.partyspace.models import Delivery, PartyRequest, PaymentOrder


def _consent(ps, case):
    return services.accept_eservice(
        ps.actor, {"organization_id": case.organization.body().pk, "signer": "王经理", "confirm": True}
    )


def test_every_page_of_the_party_renders(client, ps):
    case = notified_case(ps)
    _consent(ps, case)
    delivery = services.issue_and_deliver(ps.cw.user, case.pk, Document.Kind.NOTICE)
    signed_in(client, ps.firm)
    for name, args in (
        ("home", []),
        ("cases", []),
        ("case", [case.pk]),
        ("documents", []),
        ("document", [delivery.pk]),
        ("consent", []),
        ("inspections", []),
        ("credit", []),
    ):
        response = client.get(reverse(f"partyspace:{name}", args=args))
        assert response.status_code == 200, name
    body = client.get(reverse("partyspace:case", args=[case.pk])).content.decode()
    assert "提交陈述、申辩" in body and "申请听证" in body and delivery.document.number in body
    assert (
        Delivery.objects.get(pk=delivery.pk).first_read_at is not None
    )  # opening the document is reading it
    pdf = client.get(reverse("partyspace:document_pdf", args=[delivery.pk]))
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_another_partys_records_are_not_found(client, ps):
    case = notified_case(ps)
    _consent(ps, case)
    delivery = services.issue_and_deliver(ps.cw.user, case.pk, Document.Kind.NOTICE)
    signed_in(client, ps.other)
    for url in (
        reverse("partyspace:case", args=[case.pk]),
        reverse("partyspace:document", args=[delivery.pk]),
        reverse("partyspace:document_pdf", args=[delivery.pk]),
        reverse("partyspace:hearing_room", args=[case.pk]),
    ):
        assert client.get(url).status_code == 404, url
    for url, data in (
        (reverse("partyspace:statement", args=[case.pk]), {"statement": "x", "confirm": "on"}),
        (reverse("partyspace:waive", args=[case.pk]), {"confirm": "on"}),
        (reverse("partyspace:request_hearing", args=[case.pk]), {"confirm": "on"}),
        (reverse("partyspace:pay", args=[case.pk]), {}),
    ):
        assert client.post(url, data).status_code == 404, url
    assert Delivery.objects.get(pk=delivery.pk).first_read_at is None
    assert not PartyRequest.objects.exists()
    assert case.number not in client.get(reverse("partyspace:cases")).content.decode()


def test_statement_form_with_evidence_and_a_refused_upload(client, ps):
    case = notified_case(ps)
    signed_in(client, ps.firm)
    url = reverse("partyspace:statement", args=[case.pk])
    refused = client.post(
        url, {"statement": "申辩", "confirm": "on", "files": SimpleUploadedFile("x.exe", b"MZ" + b"0" * 50)}
    )
    assert refused.status_code == 422 and "不是可接受的文件类型" in refused.content.decode()
    unconfirmed = client.post(url, {"statement": "申辩"})
    assert unconfirmed.status_code == 422 and "请勾选确认" in unconfirmed.content.decode()
    done = client.post(
        url,
        {"statement": "申辩：系临时卸货", "confirm": "on", "files": SimpleUploadedFile("photo.jpg", jpeg())},
    )
    assert done.status_code == 302
    assert Case.objects.get(pk=case.pk).defence_submitted


def test_paying_through_the_test_channel_from_the_page(client, ps):
    case = decided_and_served(ps, notified_case(ps))
    signed_in(client, ps.firm)
    response = client.post(reverse("partyspace:pay", args=[case.pk]))
    order = PaymentOrder.objects.get(case=case)
    assert response["Location"] == reverse("partyspace:test_gateway", args=[order.reference])
    page = client.get(response["Location"])
    fields = page.context["fields"]
    tampered = client.post(page.context["callback"], {**fields, "amount": "1.00", "return": "browser"})
    assert tampered.status_code == 400 and not Payment.objects.exists()
    back = client.post(page.context["callback"], {**fields, "return": "browser"})
    assert back.status_code == 302 and Case.objects.get(pk=case.pk).state == "paid"
    again = client.post(page.context["callback"], fields)  # the channel's repeated server call
    assert again.status_code == 200 and Payment.objects.filter(case=case).count() == 1


def test_the_test_channel_is_closed_unless_configured(client, ps, settings):
    case = decided_and_served(ps, notified_case(ps))
    settings.ZHIFA_PAYMENT_ADAPTER = ""
    signed_in(client, ps.firm)
    client.post(reverse("partyspace:pay", args=[case.pk]))
    assert not PaymentOrder.objects.exists()
    assert client.post(reverse("partyspace:payment_callback", args=["test"]), {}).status_code == 404


def test_officer_desk_shows_only_the_requests_of_his_scope(client, ps):
    case = notified_case(ps)
    services.request_hearing(ps.actor, case.pk, {"confirm": True})
    client.force_login(ps.cw.user)
    body = client.get(reverse("partyspace:desk")).content.decode()
    assert ps.firm.name in body and "登记听证申请" in body
    client.force_login(ps.cw.user_b)
    assert ps.firm.name not in client.get(reverse("partyspace:desk")).content.decode()
    assert client.get(reverse("partyspace:desk_case", args=[case.pk])).status_code == 404


def test_officer_registers_the_hearing_request_in_one_click(client, ps):
    case = notified_case(ps)
    request = services.request_hearing(ps.actor, case.pk, {"confirm": True})
    client.force_login(ps.cw.user)
    response = client.post(reverse("partyspace:desk_register_hearing", args=[request.pk]))
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).state == "hearing"
    client.force_login(ps.cw.user_b)
    other = services.request_hearing(ps.actor, notified_case(ps).pk, {"confirm": True})
    assert client.post(reverse("partyspace:desk_register_hearing", args=[other.pk])).status_code == 404


def test_desk_case_page_serves_and_prints_receipts(client, ps):
    case = notified_case(ps)
    client.force_login(ps.cw.user)
    response = client.post(reverse("partyspace:desk_deliver", args=[case.pk]), {"kind": "notice"})
    assert response.status_code == 302
    delivery = Delivery.objects.get(case=case)
    assert delivery.method == "paper"
    page = client.get(reverse("partyspace:desk_case", args=[case.pk])).content.decode()
    assert "打印送达回证" in page and "未签署" in page
    receipt = client.get(reverse("partyspace:desk_receipt", args=[delivery.pk]))
    assert receipt.status_code == 200


def test_deferral_form_refuses_a_past_date(client, ps):
    case = decided_and_served(ps, notified_case(ps))
    signed_in(client, ps.firm)
    response = client.post(
        reverse("partyspace:deferral", args=[case.pk]),
        {"deferred_until": (today() - dt.timedelta(days=1)).isoformat(), "reason": "困难", "confirm": "on"},
    )
    assert response.status_code == 422 and "应晚于今天" in response.content.decode()
