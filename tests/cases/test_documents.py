"""Documents: PDFs with extractable Chinese text and gap-free numbers per organisation, kind and year."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from pypdf import PdfReader

from tests.cases.conftest import open_general, run_to_notified
from zhifa.cases import services
from zhifa.cases.models import Document, DocumentCounter
from zhifa.core.errors import DomainError


def _text(document: Document) -> str:
    with document.file.open("rb") as fh:
        data = fh.read()
    assert hashlib.sha256(data).hexdigest() == document.sha256
    return (
        "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
        .replace(" ", "")
        .replace("\n", "")
    )


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }


def test_notice_pdf_tells_the_rights(cw):
    cw.world.team_a.short_name = "上方综执"
    cw.world.team_a.save()
    case = run_to_notified(cw, open_general(cw))
    document = services.issue_document(cw.user, case.pk, "notice")
    year = timezone.localdate(document.issued_at).year
    assert document.number == f"上方综执罚告字〔{year}〕第1号"
    text = _text(document)
    assert "行政处罚事先告知书" in text and cw.firm.name in text and cw.firm.uscc in text
    assert "陈述、申辩" in text and "第四十四条" in text and "2026年3月5日前" in text
    # 5,000 yuan for an enterprise is below the (example) 100,000 threshold: no hearing paragraph (art. 63)
    assert "要求举行听证" not in text


def test_notice_pdf_offers_a_hearing_for_a_larger_fine(cw):
    case = run_to_notified(
        cw, open_general(cw, party=cw.person), fine="10000"
    )  # citizen threshold 10,000 inclusive
    text = _text(services.issue_document(cw.user, case.pk, "notice"))
    assert "要求举行听证" in text and "五日内" in text and "第六十四条" in text and "2026年3月9日前" in text


def test_decision_pdf_has_the_contents_of_article_59(cw):
    case = run_to_notified(cw, open_general(cw))
    services.transition(
        cw.head,
        case.pk,
        "decide",
        {"decision_date": dt.date(2026, 3, 10), "penalties_decided": [{"kind": "fine", "amount": "5000"}]},
    )
    document = services.issue_document(cw.user, case.pk, "decision")
    text = _text(document)
    for expected in (
        "行政处罚决定书",
        cw.firm.name,
        "在门店外占道经营",
        "罚款人民币5000.00元",
        "城市市容和环境卫生管理条例",
        "十五日内",
        "第六十七条",
        "六十日内",
        "行政复议",
        "六个月内",
        "行政诉讼",
        document.number,
    ):
        assert expected in text, expected


def test_numbers_are_per_organisation_kind_and_year_and_sequential(cw):
    case = run_to_notified(cw, open_general(cw))
    numbers = [services.issue_document(cw.user, case.pk, "filing_approval").seq for _ in range(3)]
    assert numbers == [1, 2, 3]
    assert services.issue_document(cw.user, case.pk, "notice").seq == 1  # another kind, its own series
    assert DocumentCounter.objects.get(kind="filing_approval").last == 3


def test_rolled_back_transaction_does_not_consume_a_number(cw):
    case = open_general(cw)
    services.issue_document(cw.user, case.pk, "filing_approval")

    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        services.issue_document(cw.user, case.pk, "filing_approval")
        raise Boom
    assert services.issue_document(cw.user, case.pk, "filing_approval").seq == 2
    assert sorted(Document.objects.filter(kind="filing_approval").values_list("seq", flat=True)) == [1, 2]


@pytest.mark.django_db(transaction=True)
def test_concurrent_allocation_is_gap_free(cw):
    case = open_general(cw)
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def issue():
        try:
            barrier.wait()
            services.issue_document(cw.user, case.pk, "filing_approval")
        except BaseException as exc:  # noqa: BLE001 — reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert sorted(Document.objects.filter(kind="filing_approval").values_list("seq", flat=True)) == [
        1,
        2,
        3,
        4,
    ]


def test_decision_document_before_the_decision_is_refused_and_consumes_no_number(cw):
    case = run_to_notified(cw, open_general(cw))
    with pytest.raises(DomainError) as exc:
        services.issue_document(cw.user, case.pk, "decision")
    assert exc.value.code == "document_premature" and "第五十九条" in exc.value.message
    assert not DocumentCounter.objects.filter(kind="decision").exists()


def test_summary_decision_names_the_officers_and_says_reconsideration_comes_first(cw):
    """行政处罚法第五十二条: the officers' names and certificate numbers; 行政复议法第二十三条: an
    on-the-spot decision is first challenged by reconsideration; no evidence claimed that was not recorded."""
    from tests.cases.conftest import new_item

    case = services.open_case(
        cw.user,
        {
            "party": cw.person,
            "item": new_item(cw.domain, "SD1", fine_max="200"),
            "act_date": dt.date(2026, 3, 10),
            "discovery_date": dt.date(2026, 3, 10),
            "procedure": "summary",
            "officers": [cw.world.officer_a, cw.second],
        },
    )
    services.transition(
        cw.user,
        case.pk,
        "decide_on_spot",
        {"decision_date": dt.date(2026, 3, 10), "penalties_decided": [{"kind": "fine", "amount": "50"}]},
    )
    text = _text(services.issue_document(cw.user, case.pk, "summary_decision"))
    for officer in (cw.world.officer_a, cw.second):
        assert officer.name in text and officer.certificates.get().number in text
    assert "应当先依法申请行政复议" in text and "第二十三条" in text
    assert "证据证实" not in text  # nothing was recorded, nothing is claimed


def test_inquiry_record_is_printed_for_signature_and_the_case_file_binds_everything(cw, settings, tmp_path):
    """第四十七条: the records of the whole process, in one file for archiving and 案卷评查."""
    settings.MEDIA_ROOT = str(tmp_path)
    case = run_to_notified(cw, open_general(cw))
    record = services.issue_document(
        cw.user,
        case.pk,
        "inquiry_record",
        {
            "place": "上方镇执法队询问室",
            "started_at": "2026-02-10T09:00",
            "ended_at": "2026-02-10T09:40",
            "present": "当事人法定代表人李某",
            "text": "问：门店外是否摆放货物？\n答：是的，摆了三天。",
        },
    )
    text = _text(record)
    assert "询问笔录" in text and "摆了三天" in text and "当事人（被询问人）签名" in text
    with pytest.raises(ValidationError):  # a record needs its content
        services.issue_document(cw.user, case.pk, "inspection_record", {"place": "门店"})
    with pytest.raises(DomainError):  # the case file is made when the case is finished
        services.issue_document(cw.user, case.pk, "case_file")
    services.transition(cw.head, case.pk, "decide", {"decision_date": dt.date(2026, 3, 10)})
    decision = services.issue_document(cw.user, case.pk, "decision")
    services.transition(cw.user, case.pk, "serve", {"service_date": dt.date(2026, 3, 12)})
    services.record_payment(cw.user, case.pk, "5000", dt.date(2026, 3, 20))
    services.transition(cw.head, case.pk, "close", {"as_of": dt.date(2026, 3, 21)})
    case_file = services.issue_document(cw.user, case.pk, "case_file")
    text = _text(case_file)
    for expected in (
        "行政处罚案卷",
        "卷内目录",
        record.number,
        decision.number,
        "摆了三天",
        "证据目录",
        "缴款记录",
        "结案审批",
        "作出行政处罚决定",
    ):
        assert expected in text, expected
