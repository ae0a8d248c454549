"""The party's acts and the officers' acts that take them up, through the services, on PostgreSQL."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import new_officer
from tests.partyspace.conftest import decided_and_served, jpeg, legal_review_passed, notified_case, pdf, today
from zhifa.cases import services as case_services
from zhifa.cases.models import Approval, Case, CaseEvent, Document, EServiceConsent, Evidence, Payment, Waiver
from zhifa.core.errors import DomainError, NotFound
from zhifa.core.models import AuditEvent
from zhifa.partyspace import payments, services
from zhifa.partyspace.models import Delivery, HearingSession, PartyRequest, PaymentOrder


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def consent(ps, case=None):
    return services.accept_eservice(
        ps.actor,
        {
            "organization_id": (case or Case.objects.filter(party=ps.firm).first()).organization.body().pk,
            "signer": "王经理",
            "confirm": True,
        },
    )


# ---- electronic service (行政处罚法第六十一条) ---------------------------------------------------------


def test_consent_is_the_cases_consent_signed_electronically_and_revocable(ps):
    case = notified_case(ps)
    row = consent(ps, case)
    assert (
        isinstance(row, EServiceConsent)
        and row.party == ps.firm
        and row.electronic_signature.startswith("ps1:")
    )
    assert row.recorded_by is None and "王经理" in row.address
    event = AuditEvent.objects.filter(action="case.eservice_consent").latest("seq")
    assert event.actor_name == ps.firm.name  # the audit log names the party
    with pytest.raises(DomainError, match="无需重复签署"):
        consent(ps, case)
    assert services.revoke_eservice(ps.actor, case.organization.body().pk) == 1
    assert services.active_consent(ps.firm.pk, case.organization.body()) is None


def test_consent_needs_the_ticked_confirmation_and_a_body_the_party_deals_with(ps):
    case = notified_case(ps)
    with pytest.raises(ValidationError) as exc:
        services.accept_eservice(ps.actor, {"organization_id": case.organization.pk, "signer": "王经理"})
    assert "confirm" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:  # a body with no case of this party
        services.accept_eservice(
            ps.actor, {"organization_id": ps.cw.world.team_b.pk, "signer": "王", "confirm": True}
        )
    assert "organization_id" in exc.value.error_dict


def test_with_consent_a_document_is_served_to_the_space_and_first_reading_is_kept(ps):
    case = notified_case(ps)
    consent(ps, case)
    delivery = services.issue_and_deliver(ps.cw.user, case.pk, Document.Kind.NOTICE)
    assert delivery.method == Delivery.Method.ELECTRONIC and delivery.consent is not None
    assert delivery.first_read_at is None
    read = services.mark_read(ps.actor, delivery.pk)
    first = read.first_read_at
    assert first is not None
    assert services.mark_read(ps.actor, delivery.pk).first_read_at == first  # the first reading stays
    with pytest.raises(DomainError, match="不能重复送达"):
        services.deliver_document(ps.cw.user, delivery.document_id)


def test_without_consent_the_document_goes_on_paper_with_a_printed_receipt(ps):
    case = notified_case(ps)
    delivery = services.issue_and_deliver(ps.cw.user, case.pk, Document.Kind.NOTICE)
    assert delivery.method == Delivery.Method.PAPER and delivery.consent is None
    assert delivery.receipt is None and delivery.receipt_file.read().startswith(b"%PDF")


def test_decision_without_consent_gets_the_cases_numbered_service_receipt(ps):
    case = notified_case(ps)
    case_services.record_waiver(
        ps.cw.user, case.pk, {"signed_on": today(), "waives_hearing": True}, pdf(), "w.pdf"
    )
    case_services.transition(ps.cw.head, case.pk, "decide", {"decision_date": today()})
    delivery = services.issue_and_deliver(ps.cw.user, case.pk, Document.Kind.DECISION)
    assert delivery.method == Delivery.Method.PAPER
    assert delivery.receipt.kind == Document.Kind.SERVICE_RECEIPT and "送达字" in delivery.receipt.number
    assert (
        Case.objects.get(pk=case.pk).state == "decided"
    )  # paper service is recorded when the receipt comes back


def test_decision_served_electronically_performs_the_serve_step(ps):
    case = notified_case(ps)
    consent(ps, case)
    case_services.record_waiver(
        ps.cw.user, case.pk, {"signed_on": today(), "waives_hearing": True}, pdf(), "w.pdf"
    )
    case_services.transition(ps.cw.head, case.pk, "decide", {"decision_date": today()})
    services.issue_and_deliver(ps.cw.user, case.pk, Document.Kind.DECISION)
    case.refresh_from_db()
    assert (case.state, case.service_method, case.service_date) == ("served", "electronic", today())


def test_only_an_officer_of_the_case_serves(ps):
    case = notified_case(ps)
    document = case_services.issue_document(ps.cw.user, case.pk, Document.Kind.NOTICE)
    with pytest.raises(NotFound):
        services.deliver_document(ps.cw.user_b, document.pk)  # another township's officer
    with pytest.raises(DomainError):
        services.deliver_document(ps.actor, document.pk)  # the party itself


# ---- statement, defence, waiver (第四十四条、第四十五条、第六十二条) ------------------------------------


def test_statement_with_evidence_goes_into_the_case_as_the_party(ps):
    case = notified_case(ps)
    request = services.file_statement(
        ps.actor,
        case.pk,
        {"statement": "占道系临时卸货，已立即清理。", "confirm": True},
        [upload("现场.jpg", jpeg()), upload("说明.pdf", pdf())],
    )
    case.refresh_from_db()
    assert case.defence_submitted and not case.defence_reviewed
    event = CaseEvent.objects.filter(case=case, action="record_defence").get()
    assert event.actor is None and "临时卸货" in event.note and "现场.jpg" in event.note
    assert request.status == PartyRequest.Status.RECORDED and request.files.count() == 2
    assert {f.content_type for f in request.files.all()} == {"image/jpeg", "application/pdf"}
    # the officer takes a file into the evidence (第四十六条)
    row = services.admit_evidence(ps.cw.user, request.files.first().pk)
    assert Evidence.objects.get(pk=row.evidence_id).sha256 == row.sha256


def test_statement_refused_outside_the_period_and_before_notice(ps):
    case = notified_case(ps, notice_on=today() - dt.timedelta(days=30))
    with pytest.raises(DomainError, match="期限已于"):
        services.file_statement(ps.actor, case.pk, {"statement": "迟到的申辩", "confirm": True})
    fresh = case_services.open_case(
        ps.cw.user,
        {
            "party": ps.firm,
            "item": ps.cw.item,
            "act_date": today(),
            "officers": [ps.cw.world.officer_a, ps.cw.second],
        },
    )
    with pytest.raises(DomainError, match="第四十四条"):
        services.file_statement(ps.actor, fresh.pk, {"statement": "x", "confirm": True})


@pytest.mark.parametrize(
    "name,content,reason",
    [
        ("病毒.exe", b"MZ\x90\x00" + b"0" * 100, "不是可接受的文件类型"),
        ("伪装.jpg", b"GIF89a" + b"0" * 100, "不是可接受的文件类型"),
        ("空.pdf", b"", "空文件"),
    ],
)
def test_uploads_are_checked_by_content_and_nothing_is_saved_on_refusal(ps, name, content, reason):
    case = notified_case(ps)
    with pytest.raises(ValidationError, match=reason):
        services.file_statement(
            ps.actor, case.pk, {"statement": "附件", "confirm": True}, [upload(name, content)]
        )
    assert not PartyRequest.objects.exists()
    assert not Case.objects.get(pk=case.pk).defence_submitted


def test_uploads_are_limited_in_number_and_size(ps, settings):
    settings.ZHIFA_PARTY_UPLOAD_LIMITS = {"max_files": 2, "max_bytes": 1000}
    case = notified_case(ps)
    with pytest.raises(ValidationError, match="最多上传2个文件"):
        services.file_statement(
            ps.actor,
            case.pk,
            {"statement": "x", "confirm": True},
            [upload(f"{n}.jpg", jpeg()) for n in range(3)],
        )
    with pytest.raises(ValidationError, match="超过"):
        services.file_statement(
            ps.actor, case.pk, {"statement": "x", "confirm": True}, [upload("big.jpg", jpeg(2000))]
        )


def test_waiver_is_the_waiver_record_the_decision_rules_read(ps):
    case = notified_case(ps)
    services.waive(ps.actor, case.pk, {"waives_hearing": True, "confirm": True})
    waiver = Waiver.objects.get(case=case)
    assert waiver.method == Waiver.Method.ELECTRONIC and waiver.waives_hearing
    # 第六十二条: with the recorded waiver the head may decide before the periods end.
    case_services.transition(ps.cw.head, case.pk, "decide", {"decision_date": today()})
    assert Case.objects.get(pk=case.pk).state == "decided"


# ---- hearing (第六十三条至第六十五条) ------------------------------------------------------------------


def test_hearing_request_is_registered_by_the_officer_with_the_partys_date(ps):
    case = notified_case(ps)
    request = services.request_hearing(ps.actor, case.pk, {"confirm": True})
    assert request.status == PartyRequest.Status.PENDING and Case.objects.get(pk=case.pk).state == "notified"
    with pytest.raises(DomainError, match="请勿重复提交"):
        services.request_hearing(ps.actor, case.pk, {"confirm": True})
    with pytest.raises(NotFound):
        services.register_hearing_request(ps.cw.user_b, request.pk)  # not his township's case
    services.register_hearing_request(ps.cw.user, request.pk)
    case.refresh_from_db()
    assert case.state == "hearing" and case.hearing_requested_on == request.filed_on
    with pytest.raises(DomainError, match="已办理"):
        services.register_hearing_request(ps.cw.user, request.pk)


def test_hearing_request_after_five_working_days_is_refused(ps):
    case = notified_case(ps, notice_on=today() - dt.timedelta(days=20))
    with pytest.raises(DomainError, match="五个工作日内"):
        services.request_hearing(ps.actor, case.pk, {"confirm": True})


def test_hearing_scheduled_joined_held_and_record_signed(ps):
    case = notified_case(ps)
    consent(ps, case)
    services.register_hearing_request(
        ps.cw.user, services.request_hearing(ps.actor, case.pk, {"confirm": True}).pk
    )
    host = new_officer(ps.cw.world.team_a, name="听证主持人")  # did not investigate (第六十四条第四项)
    with pytest.raises(ValidationError) as exc:  # told seven working days ahead (第六十四条第二项)
        services.schedule_online_hearing(
            ps.cw.user,
            case.pk,
            {
                "hearing_date": today() + dt.timedelta(days=2),
                "start_time": "09:30",
                "place": "听证室",
                "host_officer_id": host.pk,
                "meeting_url": "https://meeting.example.cn/room/1",
            },
        )
    assert exc.value.error_dict["hearing_date"][0].code == "hearing_notice_late"
    assert not HearingSession.objects.exists()
    session = services.schedule_online_hearing(
        ps.cw.user,
        case.pk,
        {
            "hearing_date": today() + dt.timedelta(days=14),
            "start_time": "09:30",
            "place": "上方镇听证室",
            "host_officer_id": host.pk,
            "meeting_url": "https://meeting.example.cn/room/1",
        },
    )
    notice = Delivery.objects.get(case=case, document__kind=Document.Kind.HEARING_NOTICE)
    assert notice.method == Delivery.Method.ELECTRONIC
    with pytest.raises(DomainError, match="开始前一小时内"):
        services.join_hearing(ps.actor, case.pk)
    assert session.meeting_url.startswith("https://")


def test_meeting_link_must_be_https(ps):
    case = notified_case(ps)
    with pytest.raises(ValidationError) as exc:
        services.schedule_online_hearing(
            ps.cw.user,
            case.pk,
            {
                "hearing_date": today(),
                "start_time": "09:30",
                "place": "x",
                "host_officer_id": 1,
                "meeting_url": "http://meeting.example.cn/",
            },
        )
    assert "meeting_url" in exc.value.error_dict


# ---- payment (第六十七条) and deferral (第六十六条) -----------------------------------------------------


def test_payment_through_the_test_channel_is_recorded_once_in_the_case(ps):
    case = decided_and_served(ps, notified_case(ps))
    order = services.start_payment(ps.actor, case.pk, "test")
    assert order.amount == Decimal("5000.00") and order.status == PaymentOrder.Status.CREATED
    assert services.start_payment(ps.actor, case.pk, "test") == order  # the open order is reused
    adapter = payments.TestAdapter()
    confirmation = adapter.confirmation(adapter.confirm_fields(order))
    services.complete_payment(confirmation, "test")
    services.complete_payment(confirmation, "test")  # the channel repeats its confirmation
    payment = Payment.objects.get(case=case)
    assert (payment.channel, payment.amount, payment.receipt_number) == (
        "electronic",
        Decimal("5000.00"),
        confirmation.external_ref,
    )
    assert Case.objects.get(pk=case.pk).state == "paid"
    with pytest.raises(DomainError, match="没有待缴纳"):
        services.start_payment(ps.actor, case.pk, "test")


def test_a_forged_confirmation_is_refused(ps):
    case = decided_and_served(ps, notified_case(ps))
    order = services.start_payment(ps.actor, case.pk, "test")
    fields = payments.TestAdapter().confirm_fields(order)
    fields["amount"] = "1.00"
    with pytest.raises(payments.CallbackRefused):
        payments.TestAdapter().confirmation(fields)
    assert not Payment.objects.exists()


def test_deferral_application_is_forwarded_to_the_head(ps):
    case = decided_and_served(ps, notified_case(ps))
    request = services.apply_deferral(
        ps.actor,
        case.pk,
        {
            "deferred_until": today() + dt.timedelta(days=60),
            "reason": "疫情后营业额下降，资金周转困难",
            "confirm": True,
        },
        [upload("流水.pdf", pdf())],
    )
    approval = services.forward_deferral(ps.cw.user, request.pk)
    assert approval.kind == Approval.Kind.DEFERRAL and approval.status == Approval.Status.PENDING
    assert approval.proposal["application_on"] == request.filed_on.isoformat()
    case_services.decide_approval(ps.cw.head, approval.pk, {"approve": True, "opinion": "同意暂缓"})
    assert Case.objects.get(pk=case.pk).state == "deferred"
    request.refresh_from_db()
    assert request.status == PartyRequest.Status.FORWARDED


# ---- the party sees only its own ---------------------------------------------------------------------


def test_another_partys_ids_are_not_found(ps):
    case = notified_case(ps)
    consent(ps, case)
    delivery = services.issue_and_deliver(ps.cw.user, case.pk, Document.Kind.NOTICE)
    other = ps.other_actor
    for call in (
        lambda: services.file_statement(other, case.pk, {"statement": "x", "confirm": True}),
        lambda: services.waive(other, case.pk, {"confirm": True}),
        lambda: services.request_hearing(other, case.pk, {"confirm": True}),
        lambda: services.mark_read(other, delivery.pk),
        lambda: services.start_payment(other, case.pk, "test"),
        lambda: services.join_hearing(other, case.pk),
    ):
        with pytest.raises(NotFound):
            call()
    assert Delivery.objects.get(pk=delivery.pk).first_read_at is None


def test_a_party_cannot_do_an_officers_act(ps):
    case = notified_case(ps)
    with pytest.raises(DomainError):
        case_services.transition(ps.actor, case.pk, "request_hearing", {"hearing_requested_on": today()})
    with pytest.raises(DomainError):
        case_services.record_defence(ps.actor, case.pk, {"statement": "无签名"})  # no electronic signature
    with pytest.raises(DomainError):
        case_services.add_evidence(ps.actor, case.pk, {"kind": "documentary", "description": "x"}, pdf())


def test_the_whole_hearing_online(ps, clock):
    """Request (第六十四条第一项) → notice seven working days ahead (第二项) → the party enters → record
    → the party refuses to sign with a reason, noted (第八项) → the head decides on the record (第六十五条)."""
    from tests.partyspace.conftest import hearing_day

    case = notified_case(ps)
    consent(ps, case)
    services.register_hearing_request(
        ps.cw.user, services.request_hearing(ps.actor, case.pk, {"confirm": True}).pk
    )
    host = new_officer(ps.cw.world.team_a, name="听证主持人")
    day = hearing_day()
    services.schedule_online_hearing(
        ps.cw.user,
        case.pk,
        {
            "hearing_date": day,
            "start_time": "09:30",
            "place": "上方镇听证室",
            "host_officer_id": host.pk,
            "meeting_url": "https://meeting.example.cn/room/7",
        },
    )
    clock.travel_to(day, dt.time(9, 10))
    joined = services.join_hearing(ps.actor, case.pk)
    assert joined.party_joined_at is not None
    with pytest.raises(DomainError, match="没有待您核对"):
        services.sign_hearing_record(ps.actor, case.pk, {"agree": True})
    clock.travel_to(day, dt.time(11, 0))
    services.hold_online_hearing(
        ps.cw.user, case.pk, {"record": "调查人员陈述事实；当事人申辩：系临时卸货。"}
    )
    case.refresh_from_db()
    assert (case.state, case.hearing_held_on) == ("heard", day)
    with pytest.raises(ValidationError):
        services.sign_hearing_record(ps.actor, case.pk, {"agree": False})  # a refusal needs its reason
    session = services.sign_hearing_record(
        ps.actor, case.pk, {"agree": False, "reason": "笔录未记载我方提交的照片"}
    )
    assert session.signature_state == HearingSession.Signature.REFUSED and session.signature.startswith(
        "ps1:"
    )
    legal_review_passed(ps, case, day)
    case_services.transition(ps.cw.head, case.pk, "decide", {"decision_date": day})
    assert Case.objects.get(pk=case.pk).state == "decided"


def test_party_absent_from_the_hearing_waives_it(ps, clock):
    from tests.partyspace.conftest import hearing_day

    case = notified_case(ps)
    services.register_hearing_request(
        ps.cw.user, services.request_hearing(ps.actor, case.pk, {"confirm": True}).pk
    )
    host = new_officer(ps.cw.world.team_a, name="听证主持人")
    day = hearing_day()
    services.schedule_online_hearing(
        ps.cw.user,
        case.pk,
        {
            "hearing_date": day,
            "start_time": "09:30",
            "place": "听证室",
            "host_officer_id": host.pk,
            "meeting_url": "https://meeting.example.cn/room/8",
        },
    )
    clock.travel_to(day + dt.timedelta(days=1))
    with pytest.raises(DomainError, match="已过"):
        services.join_hearing(ps.actor, case.pk)
    session = services.hold_online_hearing(
        ps.cw.user, case.pk, {"record": "当事人未到场", "party_absent": True}
    )
    assert session.party_absent and session.signature_state == ""
    assert Case.objects.get(pk=case.pk).state == "notified"  # 第六十四条第六项: the hearing right is waived


# ---- rectification and credit ---------------------------------------------------------------------------


def _rectification(ps):
    from zhifa.inspections.models import (
        InspectionPlan,
        InspectionRecord,
        InspectionTask,
        RectificationOrder,
    )

    plan = InspectionPlan.objects.create(
        department=ps.cw.world.team_a,
        name="燃气安全检查",
        period_start=today(),
        period_end=today(),
        draw_nonce="x",
    )
    task = InspectionTask.objects.create(
        plan=plan,
        party=ps.firm,
        department=ps.cw.world.team_a,
        window_start=today(),
        window_end=today(),
        state="done",
    )
    from django.utils import timezone

    now = timezone.now()
    record = InspectionRecord.objects.create(
        task=task,
        party=ps.firm,
        department=ps.cw.world.team_a,
        started_at=now - dt.timedelta(hours=1),
        ended_at=now,
        outcome="rectification",
        findings="灭火器过期",
    )
    return RectificationOrder.objects.create(
        record=record, content="更换过期灭火器", working_days=5, deadline=today() + dt.timedelta(days=7)
    )


def test_rectification_reported_with_photos_and_verified(ps):
    order = _rectification(ps)
    with pytest.raises(ValidationError, match="现场照片"):
        services.report_rectification(ps.actor, order.pk, {"text": "已更换", "confirm": True}, [])
    with pytest.raises(ValidationError, match="不是可接受的文件类型"):  # photos only, no PDF
        services.report_rectification(
            ps.actor, order.pk, {"text": "已更换", "confirm": True}, [upload("a.pdf", pdf())]
        )
    report = services.report_rectification(
        ps.actor, order.pk, {"text": "已更换全部灭火器", "confirm": True}, [upload("新灭火器.jpg", jpeg())]
    )
    with pytest.raises(NotFound):
        services.report_rectification(
            ps.other_actor, order.pk, {"text": "x", "confirm": True}, [upload("a.jpg", jpeg())]
        )
    with pytest.raises(ValidationError):
        services.review_rectification_report(
            ps.cw.user, report.pk, {"passed": False}
        )  # a return needs the reason
    services.review_rectification_report(ps.cw.user, report.pk, {"passed": True})
    order.refresh_from_db()
    assert order.state == "verified"


def test_credit_repair_only_after_the_fine_is_paid_and_decided_by_the_credit_body(ps):
    from tests.conftest import new_user
    from zhifa.organizations.models import User

    case = decided_and_served(ps, notified_case(ps))
    ps.firm.violation_count_12m = 2
    ps.firm.save(update_fields=["violation_count_12m"])
    with pytest.raises(DomainError, match="缴清罚款"):
        services.apply_credit_repair(ps.actor, {"case_id": case.pk, "text": "申请修复", "confirm": True})
    case_services.record_payment(ps.cw.user, case.pk, "5000", today())
    request = services.apply_credit_repair(
        ps.actor, {"case_id": case.pk, "text": "已缴清罚款，承诺守法经营", "confirm": True}
    )
    with pytest.raises(DomainError):
        services.decide_credit_repair(
            ps.cw.user, request.pk, {"approve": True}
        )  # an officer is no credit body
    guidance = new_user("credit_office", ps.cw.world.guidance, User.Role.GUIDANCE_OFFICE)
    services.decide_credit_repair(guidance, request.pk, {"approve": True})
    ps.firm.refresh_from_db()
    assert ps.firm.violation_count_12m == 1
    with pytest.raises(DomainError, match="已完成信用修复"):
        services.apply_credit_repair(ps.actor, {"case_id": case.pk, "text": "再次申请", "confirm": True})


def test_credit_repair_waits_for_the_configured_publication_period(ps, settings):
    settings.ZHIFA_CREDIT_REPAIR_MIN_MONTHS = 3
    case = decided_and_served(ps, notified_case(ps))
    case_services.record_payment(ps.cw.user, case.pk, "5000", today())
    with pytest.raises(DomainError, match="最短公示期为3个月"):
        services.apply_credit_repair(ps.actor, {"case_id": case.pk, "text": "申请", "confirm": True})
