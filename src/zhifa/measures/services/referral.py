"""移送涉嫌犯罪案件 (行政执法机关移送涉嫌犯罪案件的规定, 2020): the team of two or more at once and its
written report (第五条第一款); the head decides through the case's ``criminal_referral`` approval,
which performs the case's ``refer_criminal`` transition (第五条第二款); the transfer within 24
hours with the letter and the materials (第五条、第六条); the receipt (第七条); the answer (第八条);
the request for reconsideration (第九条); the handover after acceptance (第十二条) or the return to
the administrative procedure after a refusal (第十条, the case's ``resume``). While a referral is
under way the case cannot be decided (第十一条, ``pending_referral_fact``)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from zhifa.cases import services as cases_services
from zhifa.core import audit
from zhifa.core.commands import parse
from zhifa.core.errors import DomainError

from .. import commands, documents, facts, rules
from ..models import CriminalReferral, MeasureDocument, Seizure
from .common import (
    before_decision,
    calendar,
    locked_case,
    locked_record,
    now,
    officers_on_site,
    raise_if,
    today,
    user_of,
)

RULES = "《行政执法机关移送涉嫌犯罪案件的规定》"


def pending_referral_fact(case) -> dict[str, str]:
    """The case fact ``criminal_referral_pending`` (registered with the cases app): what of a
    referral of this case is under way, or ''."""
    for record in CriminalReferral.objects.filter(case=case, resumed_on__isnull=True).select_related(
        "approval"
    ):
        text = rules.referral_pending(facts.referral(record))
        if text:
            return {"criminal_referral_pending": text}
    return {"criminal_referral_pending": ""}


def _basis(*articles: str) -> str:
    return RULES + "、".join(articles)


@transaction.atomic
def open_referral(actor, case_id: int, data: dict[str, Any] | commands.OpenReferral) -> CriminalReferral:
    """专案组 (第五条第一款): appointed at once, two or more officers, for a suspected crime (第三条)."""
    command = parse(commands.OpenReferral, data)
    case = locked_case(actor, case_id, "measures.refer")
    before_decision(case, "移送涉嫌犯罪案件", "《行政处罚法》第二十七条")
    if pending_referral_fact(case)["criminal_referral_pending"]:
        raise DomainError("referral_under_way", "本案已有办理中的涉嫌犯罪案件移送", "case")
    team_ids = list(dict.fromkeys(command.team_ids))
    raise_if(
        rules.open_referral_refusal(
            command.discovered_on, command.team_appointed_on, len(team_ids), today(), case.discovery_date
        )
    )
    team = officers_on_site(actor, team_ids, command.team_appointed_on, refs=(rules.M(5, 1),))
    record = CriminalReferral.objects.create(
        case=case,
        discovered_on=command.discovered_on,
        team_appointed_on=command.team_appointed_on,
        suspected_crime=command.suspected_crime,
        created_by=user_of(actor),
    )
    record.team.set(team)
    audit.record(
        actor,
        "measures.open_referral",
        record,
        after={
            "case": case.pk,
            "discovered_on": command.discovered_on,
            "team_appointed_on": command.team_appointed_on,
            "team": [o.pk for o in team],
            "suspected_crime": command.suspected_crime,
        },
        legal_basis=_basis("第三条", "第五条第一款"),
    )
    return record


def _ask(actor, case, record: CriminalReferral) -> None:
    approval = cases_services.request_approval(
        actor,
        case.pk,
        "criminal_referral",
        {"suspected_crime": record.suspected_crime},
        reason=f"专案组（{'、'.join(o.name for o in record.team.all())}）{record.reported_on}报告：{record.report[:500]}",
    )
    record.approval = approval
    record.save(update_fields=["approval"])


@transaction.atomic
def report_referral(
    actor, referral_id: int, data: dict[str, Any] | commands.ReportReferral
) -> CriminalReferral:
    """The team's written report goes to the head, who decides within three days (第五条)."""
    command = parse(commands.ReportReferral, data)
    record, case = locked_record(actor, CriminalReferral, referral_id, "measures.refer")
    raise_if(rules.report_refusal(facts.referral(record), command.reported_on, today()))
    record.reported_on, record.report = command.reported_on, command.report
    record.save(update_fields=["reported_on", "report"])
    _ask(actor, case, record)
    audit.record(
        actor,
        "measures.report_referral",
        record,
        after={
            "reported_on": command.reported_on,
            "approval": record.approval_id,
            "decision_due": rules.three_days(command.reported_on, calendar()),
        },
        legal_basis=_basis("第五条"),
    )
    return record


@transaction.atomic
def transfer_referral(
    actor, referral_id: int, data: dict[str, Any] | commands.TransferReferral
) -> CriminalReferral:
    """移送 to the public security body at the same level within 24 hours of the approval, with the
    letter, the report and the materials (第五条第二款、第六条)."""
    command = parse(commands.TransferReferral, data)
    record, case = locked_record(actor, CriminalReferral, referral_id, "measures.refer")
    f = facts.referral(record)
    raise_if(rules.transfer_refusal(f, command.transferred_at, now()))
    record.transferred_at, record.police_body = command.transferred_at, command.police_body
    record.materials = list(dict.fromkeys(command.materials))
    seized = list(Seizure.objects.filter(case=case, executed_on__isnull=False, ended_on__isnull=True))
    record.letter = documents.issue(
        actor,
        case,
        MeasureDocument.Kind.CRIMINAL_REFERRAL,
        timezone.localtime(command.transferred_at).date(),
        {
            "record": record,
            "team": list(record.team.all()),
            "seizures": seized,
            "materials": [commands.MATERIALS[m] for m in record.materials],
        },
    )
    record.save()
    late = f.decided_at is not None and command.transferred_at > f.decided_at + rules.TRANSFER_WITHIN
    audit.record(
        actor,
        "measures.transfer_referral",
        record,
        after={
            "transferred_at": command.transferred_at,
            "police_body": command.police_body,
            "letter": record.letter.number,
            "materials": record.materials,
            "late": late,
        },
        legal_basis=_basis("第五条第二款", "第六条"),
    )
    return record


def _step(actor, referral_id: int, command_cls, data, permission: str = "measures.refer"):
    command = parse(command_cls, data)
    record, case = locked_record(actor, CriminalReferral, referral_id, permission)
    return command, record, case, facts.referral(record)


@transaction.atomic
def record_receipt(
    actor, referral_id: int, data: dict[str, Any] | commands.MeasureReceiptIn
) -> CriminalReferral:
    """公安机关在移送书回执上签字 (第七条); out of its jurisdiction it passes the case on in 24 hours."""
    command, record, case, f = _step(actor, referral_id, commands.MeasureReceiptIn, data)
    raise_if(rules.receipt_refusal(f, command.received_on, today()))
    record.received_on, record.receipt_signed_by = command.received_on, command.receipt_signed_by
    record.forwarded_to = command.forwarded_to
    record.save(update_fields=["received_on", "receipt_signed_by", "forwarded_to"])
    audit.record(
        actor,
        "measures.referral_receipt",
        record,
        after={
            "received_on": command.received_on,
            "signed_by": command.receipt_signed_by,
            "forwarded_to": command.forwarded_to,
            "answer_due": rules.three_days(command.received_on, calendar()),
        },
        legal_basis=_basis("第七条", "第八条"),
    )
    return record


@transaction.atomic
def record_answer(
    actor, referral_id: int, data: dict[str, Any] | commands.MeasureAnswerIn
) -> CriminalReferral:
    """公安机关的书面通知 (第八条): 立案, or 不予立案 with its reasons."""
    command, record, case, f = _step(actor, referral_id, commands.MeasureAnswerIn, data)
    raise_if(rules.answer_refusal(f, command.answered_on, today(), command.accepted, command.reasons))
    record.answered_on, record.answer_number, record.answer_reasons = (
        command.answered_on,
        command.answer_number,
        command.reasons,
    )
    record.answer = CriminalReferral.Answer.ACCEPTED if command.accepted else CriminalReferral.Answer.REFUSED
    record.save(update_fields=["answered_on", "answer", "answer_number", "answer_reasons"])
    audit.record(
        actor,
        "measures.referral_answer",
        record,
        after={
            "answered_on": command.answered_on,
            "answer": record.answer,
            "number": command.answer_number,
            "reasons": command.reasons,
        },
        legal_basis=_basis("第八条"),
    )
    return record


@transaction.atomic
def request_reconsideration(
    actor, referral_id: int, data: dict[str, Any] | commands.ReconsiderationIn
) -> CriminalReferral:
    """提请复议 within three days of the refusal (第九条第一款)."""
    command, record, case, f = _step(actor, referral_id, commands.ReconsiderationIn, data)
    raise_if(rules.reconsideration_refusal(f, command.requested_on, today(), calendar()))
    record.reconsideration_requested_on, record.reconsideration_reasons = (
        command.requested_on,
        command.reasons,
    )
    record.save(update_fields=["reconsideration_requested_on", "reconsideration_reasons"])
    audit.record(
        actor,
        "measures.referral_reconsideration",
        record,
        after={"requested_on": command.requested_on, "reasons": command.reasons},
        legal_basis=_basis("第九条第一款"),
    )
    return record


@transaction.atomic
def record_reconsideration_answer(
    actor, referral_id: int, data: dict[str, Any] | commands.MeasureAnswerIn
) -> CriminalReferral:
    """The public security body's decision on the request, within three days (第九条第二款)."""
    command, record, case, f = _step(actor, referral_id, commands.MeasureAnswerIn, data)
    raise_if(rules.reconsideration_answer_refusal(f, command.answered_on, today()))
    record.reconsideration_answered_on = command.answered_on
    record.reconsideration_answer = (
        CriminalReferral.Answer.ACCEPTED if command.accepted else CriminalReferral.Answer.REFUSED
    )
    record.reconsideration_number, record.reconsideration_answer_reasons = (
        command.answer_number,
        command.reasons,
    )
    record.save(
        update_fields=[
            "reconsideration_answered_on",
            "reconsideration_answer",
            "reconsideration_number",
            "reconsideration_answer_reasons",
        ]
    )
    audit.record(
        actor,
        "measures.referral_reconsideration_answer",
        record,
        after={
            "answered_on": command.answered_on,
            "answer": record.reconsideration_answer,
            "number": command.answer_number,
        },
        legal_basis=_basis("第九条第二款"),
    )
    return record


@transaction.atomic
def suggest_supervision(
    actor, referral_id: int, data: dict[str, Any] | commands.SupervisionIn
) -> CriminalReferral:
    """建议人民检察院依法进行立案监督 (第九条)."""
    command, record, case, f = _step(actor, referral_id, commands.SupervisionIn, data)
    raise_if(rules.supervision_refusal(f, command.suggested_on, today()))
    record.supervision_suggested_on, record.procuratorate = command.suggested_on, command.procuratorate
    record.save(update_fields=["supervision_suggested_on", "procuratorate"])
    audit.record(
        actor,
        "measures.referral_supervision",
        record,
        after={"suggested_on": command.suggested_on, "procuratorate": command.procuratorate},
        legal_basis=_basis("第九条", "第十四条"),
    )
    return record


@transaction.atomic
def record_handover(actor, referral_id: int, data: dict[str, Any] | commands.HandoverIn) -> CriminalReferral:
    """涉案物品和有关材料移交 within three days of the acceptance notice (第十二条)."""
    command, record, case, f = _step(actor, referral_id, commands.HandoverIn, data)
    raise_if(rules.handover_refusal(f, command.handed_over_on, today()))
    record.handed_over_on, record.handover_note = command.handed_over_on, command.materials
    record.save(update_fields=["handed_over_on", "handover_note"])
    audit.record(
        actor,
        "measures.referral_handover",
        record,
        after={
            "handed_over_on": command.handed_over_on,
            "materials": command.materials,
            "due": rules.three_days(f.accepted_on, calendar()),
        },
        legal_basis=_basis("第十二条"),
    )
    return record


@transaction.atomic
def resume_case(actor, referral_id: int, data: dict[str, Any] | commands.ResumeIn) -> CriminalReferral:
    """继续行政处理 after the public security body's refusal (第十条): the case's ``resume``
    transition, with the refusal's date and number."""
    command, record, case, f = _step(actor, referral_id, commands.ResumeIn, data)
    raise_if(rules.resume_refusal(f, command.resumed_on, today()))
    number = (
        record.reconsideration_number if record.reconsideration_answer == "refused" else record.answer_number
    )
    cases_services.transition(
        actor, case.pk, "resume", {"referral_declined_on": f.refused_on, "answer_number": number}
    )
    record.resumed_on = command.resumed_on
    record.save(update_fields=["resumed_on"])
    audit.record(
        actor,
        "measures.referral_resume",
        record,
        after={"resumed_on": command.resumed_on, "refused_on": f.refused_on, "number": number},
        legal_basis=_basis("第十条"),
    )
    return record
