"""Records that change no state: the investigators' findings, the party's statement and defence and
their check (行政处罚法第四十五条), the hearing notice (第六十四条), the party's express waiver
(第六十二条) and electronic-service consent (第六十一条第二款), the court's rulings (行政强制法第五十七条),
and evidence (第四十六条、第四十七条). Each is audited with before and after and shown on the timeline."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from zhifa.core import access, audit
from zhifa.core.commands import parse
from zhifa.core.errors import DomainError
from zhifa.organizations.models import Officer
from zhifa.parties.models import Party

from .. import commands, rules
from ..facts import apply_facts, build_facts
from ..models import Case, CourtRuling, EServiceConsent, Evidence, Waiver
from .common import CASE_FIELDS, attach, case_config, event, locked_case, today, user_of

_BEFORE_DECISION = {
    s.value
    for s in (
        rules.State.REGISTERED,
        rules.State.FILED,
        rules.State.INVESTIGATING,
        rules.State.NOTIFIED,
        rules.State.HEARING,
        rules.State.HEARD,
        rules.State.LEGAL_REVIEW,
        rules.State.DELIBERATION,
    )
}
_DEFENCE_STATES = {
    s.value
    for s in (
        rules.State.NOTIFIED,
        rules.State.HEARING,
        rules.State.HEARD,
        rules.State.LEGAL_REVIEW,
        rules.State.DELIBERATION,
    )
}


def _date(value, field: str = "as_of", not_before=None):
    on = value or today()
    if on > today():
        raise ValidationError({field: ValidationError("日期不能晚于今天", code="future_date")})
    if not_before is not None and on < not_before:
        raise ValidationError({field: ValidationError(f"日期不能早于{not_before}", code="date_out_of_order")})
    return on


def _save_facts(actor, case: Case, data: dict[str, Any], action: str, note: str, article: str) -> Case:
    before = audit.snapshot(case, CASE_FIELDS)
    apply_facts(case, build_facts(case, data))
    case.version += 1
    case.save()
    event(case, actor, action, note=note, article=article, on=data.get("as_of"))
    audit.record(
        actor,
        f"case.{action}",
        case,
        before=before,
        after=audit.snapshot(case, CASE_FIELDS),
        legal_basis=article,
    )
    return case


@transaction.atomic
def record_findings(actor, case_id: int, data: dict[str, Any]) -> Case:
    """调查终结 findings. Obligations (review, deliberation, hearing) are raised, never lowered."""
    command = parse(commands.Findings, data)
    case = locked_case(actor, case_id)
    if case.state not in _BEFORE_DECISION:
        raise DomainError(
            "case_decided", "已作出决定的案件不能变更调查结论（行政处罚法第四十八条、第六十五条）"
        )
    facts = command.facts()
    current = build_facts(case)
    lowered = [name for name in commands.ESCALATIONS if facts.get(name) is False and getattr(current, name)]
    if lowered:
        raise ValidationError(
            {lowered[0]: ValidationError("已认定的复杂、重大情形不能由办案人员取消", code="cannot_lower")}
        )
    if command.act_end_date and case.act_date and command.act_end_date < case.act_date:
        raise ValidationError(
            {"act_end_date": ValidationError("终了日期不能早于发生日期", code="end_before_start")}
        )
    facts["as_of"] = today()
    return _save_facts(
        actor, case, facts, "record_findings", "登记调查结论", "《行政处罚法》第五十四条、第五十五条"
    )


@transaction.atomic
def record_defence(actor, case_id: int, data: dict[str, Any], *, electronic_signature: str = "") -> Case:
    """The party's statement and defence (第四十五条第一款): recorded, then to be checked — typed in by
    an officer, or made by the party in its own space (``electronic_signature``)."""
    command = parse(commands.Defence, data)
    case = locked_case(actor, case_id, "cases.handle" if not electronic_signature else None)
    if case.state not in _DEFENCE_STATES:
        raise DomainError(
            "not_notified", "告知后、决定前方可登记陈述申辩（行政处罚法第四十四条、第四十五条）"
        )
    on = _date(command.as_of, not_before=case.notice_date)
    return _save_facts(
        actor,
        case,
        {"defence_submitted": True, "defence_reviewed": False, "as_of": on},
        "record_defence",
        f"当事人陈述申辩：{command.statement}",
        "《行政处罚法》第四十五条",
    )


@transaction.atomic
def review_defence(actor, case_id: int, data: dict[str, Any]) -> Case:
    """复核 (第四十五条): the officers check the party's facts, reasons and evidence."""
    command = parse(commands.DefenceReview, data)
    case = locked_case(actor, case_id)
    if not case.defence_submitted:
        raise DomainError("no_defence", "当事人尚未提出陈述申辩（行政处罚法第四十五条）")
    on = _date(command.as_of, not_before=case.notice_date)
    return _save_facts(
        actor,
        case,
        {"defence_reviewed": True, "as_of": on},
        "review_defence",
        f"复核意见：{command.opinion}（不因陈述申辩加重处罚）",
        "《行政处罚法》第四十五条",
    )


@transaction.atomic
def schedule_hearing(actor, case_id: int, data: dict[str, Any]) -> Case:
    """听证通知 (第六十四条第二项、第四项): 7 working days before; a host who did not investigate."""
    command = parse(commands.ScheduleHearing, data)
    case = locked_case(actor, case_id)
    if case.state != rules.State.HEARING:
        raise DomainError("no_hearing_request", "当事人未申请听证（行政处罚法第六十四条）")
    host = access.get_visible(actor, Officer, command.host_officer_id, input_field="host_officer_id")
    if case.case_officers.filter(officer=host).exists():
        raise ValidationError(
            {
                "host_officer_id": ValidationError(
                    "听证主持人不得是本案调查人员（行政处罚法第六十四条第四项）",
                    code="hearing_host_investigator",
                )
            }
        )
    notice = _date(command.hearing_notice_date, "hearing_notice_date", not_before=case.hearing_requested_on)
    config = case_config()
    first_day = config.calendar.add_working_days(notice, config.hearing_notice_working_days)
    if command.hearing_date < first_day:
        raise ValidationError(
            {
                "hearing_date": ValidationError(
                    f"应在举行听证的七日前通知当事人，听证最早于{first_day}举行（行政处罚法第六十四条第二项、第八十五条）",
                    code="hearing_notice_late",
                )
            }
        )
    return _save_facts(
        actor,
        case,
        {
            "hearing_notice_date": notice,
            "hearing_date": command.hearing_date,
            "hearing_host": str(host.pk),
            "as_of": notice,
        },
        "schedule_hearing",
        f"听证时间{command.hearing_date}，地点{command.place}，主持人{host.name}",
        "《行政处罚法》第六十四条",
    )


@transaction.atomic
def record_waiver(
    actor,
    case_id: int,
    data: dict[str, Any],
    document: bytes | None = None,
    filename: str = "waiver.pdf",
    *,
    electronic_signature: str = "",
) -> Waiver:
    """放弃陈述、申辩（听证） (第六十二条): the party's own statement — its signed document uploaded by
    an officer, or its electronic confirmation (``electronic_signature``, from the party's space)."""
    command = parse(commands.WaiverIn, data)
    case = locked_case(actor, case_id, "cases.record_party_act" if not electronic_signature else None)
    if case.state not in _DEFENCE_STATES:
        raise DomainError(
            "not_notified", "告知后、决定前当事人方可放弃陈述申辩（行政处罚法第四十四条、第六十二条）"
        )
    if not document and not electronic_signature:
        raise ValidationError(
            {
                "document": ValidationError(
                    "须上传当事人签名的书面声明（行政处罚法第六十二条）", code="signed_statement_required"
                )
            }
        )
    _date(command.signed_on, "signed_on", not_before=case.notice_date)
    waiver = Waiver(
        case=case,
        waives_statement=command.waives_statement,
        waives_hearing=command.waives_hearing,
        signed_on=command.signed_on,
        statement=command.statement,
        recorded_by=user_of(actor),
        method=Waiver.Method.ELECTRONIC if electronic_signature else Waiver.Method.SIGNED_STATEMENT,
    )
    waiver.document_sha256 = attach(waiver.document, filename, document) or electronic_signature
    waiver.save()
    event(
        case,
        actor,
        "record_waiver",
        on=command.signed_on,
        note=f"当事人明确放弃{'陈述、申辩' if command.waives_statement else ''}{'、听证' if command.waives_hearing else ''}"
        f"权利（{waiver.get_method_display()}）",
        article="《行政处罚法》第六十二条",
    )
    audit.record(
        actor,
        "case.waiver",
        case,
        after={
            "waiver": waiver.pk,
            "signed_on": command.signed_on,
            "waives_hearing": command.waives_hearing,
            "sha256": waiver.document_sha256,
            "method": waiver.method,
        },
        legal_basis="《行政处罚法》第六十二条",
    )
    return waiver


@transaction.atomic
def record_consent(
    actor,
    case_id: int,
    data: dict[str, Any],
    document: bytes | None = None,
    filename: str = "consent.pdf",
    *,
    electronic_signature: str = "",
) -> EServiceConsent:
    """电子送达确认书 (第六十一条第二款): the party's signed confirmation, for the case's body."""
    command = parse(commands.ConsentIn, data)
    case = locked_case(actor, case_id, "cases.record_party_act" if not electronic_signature else None)
    if not document and not electronic_signature:
        raise ValidationError(
            {
                "document": ValidationError(
                    "须上传当事人签名的电子送达确认书（行政处罚法第六十一条第二款）",
                    code="signed_consent_required",
                )
            }
        )
    _date(command.signed_on, "signed_on")
    consent = EServiceConsent(
        party=case.party,
        organization=case.organization.body(),
        address=command.address,
        signed_on=command.signed_on,
        recorded_by=user_of(actor),
        electronic_signature=electronic_signature,
    )
    consent.document_sha256 = attach(consent.document, filename, document)
    consent.save()
    event(
        case,
        actor,
        "record_consent",
        on=command.signed_on,
        note=f"当事人签署电子送达确认书（{command.address}）",
        article="《行政处罚法》第六十一条第二款",
    )
    audit.record(
        actor,
        "case.eservice_consent",
        case,
        after={"consent": consent.pk, "address": command.address, "signed_on": command.signed_on},
        legal_basis="《行政处罚法》第六十一条第二款",
    )
    return consent


@transaction.atomic
def revoke_consent(actor, party: Party, organization, on=None) -> int:
    """The party withdraws its consent; later documents are served on paper."""
    on = on or today()
    count = EServiceConsent.objects.filter(
        party=party, organization=organization, revoked_on__isnull=True
    ).update(revoked_on=on)
    audit.record(
        actor, "party.eservice_consent_revoked", party, after={"organization": organization.pk, "on": on}
    )
    return count


@transaction.atomic
def record_court_ruling(
    actor, case_id: int, data: dict[str, Any], document: bytes | None = None, filename: str = "ruling.pdf"
) -> CourtRuling:
    """The court's ruling on the application (行政强制法第五十七条、第五十八条); "执行完毕/终结执行"
    lets a case with an outstanding fine close (行政处罚法第七十二条)."""
    command = parse(commands.CourtRulingIn, data)
    case = locked_case(actor, case_id, "cases.record_ruling")
    if case.court_applied_on is None:
        raise DomainError("no_court_application", "本案尚未申请人民法院强制执行（行政强制法第五十三条）")
    _date(command.ruling_date, "ruling_date", not_before=case.court_applied_on)
    ruling = CourtRuling(
        case=case,
        court=command.court,
        ruling_number=command.ruling_number,
        ruling_date=command.ruling_date,
        result=command.result,
        recorded_by=user_of(actor),
    )
    ruling.document_sha256 = attach(ruling.document, filename, document)
    try:
        with transaction.atomic():
            ruling.save()
    except Exception:  # noqa: BLE001 — the unique (case, number) constraint
        raise ValidationError(
            {"ruling_number": ValidationError("该裁定书已登记", code="duplicate")}
        ) from None
    apply_facts(case, build_facts(case, {"as_of": command.ruling_date}))
    case.version += 1
    case.save()
    event(
        case,
        actor,
        "court_ruling",
        on=command.ruling_date,
        note=f"{command.court}{command.ruling_number}：{ruling.get_result_display()}",
        article="《行政强制法》第五十七条",
    )
    audit.record(
        actor,
        "case.court_ruling",
        case,
        after=command.model_dump(mode="json"),
        legal_basis="《行政强制法》第五十七条",
    )
    return ruling


class EvidenceIn(commands.Command):
    kind: str
    description: commands.Required


@transaction.atomic
def add_evidence(
    actor, case_id: int, data: dict[str, Any], content: bytes | None = None, filename: str = "evidence.bin"
) -> Evidence:
    """证据 (第四十六条); the file's SHA-256 is kept so later changes show (第四十七条)."""
    command = parse(EvidenceIn, data)
    if command.kind not in Evidence.Kind.values:
        raise ValidationError({"kind": ValidationError("请选择证据种类", code="invalid_choice")})
    case = locked_case(actor, case_id)
    if case.state in (rules.State.CLOSED, rules.State.ARCHIVED):
        raise DomainError("case_closed", "案件已结案，不能补充证据（行政处罚法第四十七条）")
    evidence = Evidence(
        case=case,
        kind=command.kind,
        description=command.description,
        collected_by=getattr(actor, "officer", None),
        collected_at=timezone.now(),
        added_by=user_of(actor),
    )
    evidence.sha256 = attach(evidence.file, filename, content)
    evidence.save()
    audit.record(
        actor,
        "case.add_evidence",
        case,
        after={"evidence": evidence.pk, "kind": evidence.kind, "sha256": evidence.sha256},
        legal_basis="《行政处罚法》第四十六条、第四十七条",
    )
    return evidence
