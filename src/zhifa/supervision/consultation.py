"""双向案件咨询 (方案 三（六）2: 建立健全行政执法与刑事司法衔接的长效工作机制以及双向案件咨询制度):
a body asks the public security or procuratorate contact whether a case may be a crime, or they
ask the body about one of its matters; the answer is recorded, with its conclusion, and linked to
the case — and so to the case's criminal referral (移送, 行政执法机关移送涉嫌犯罪案件的规定 art. 5),
which is found by the case. Judicial staff have no accounts: the body's staff record their
questions and answers. Transactional, permission-checked, audited."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from pydantic import Field

from zhifa.core import access, audit
from zhifa.core.commands import Command
from zhifa.core.errors import DomainError
from zhifa.organizations.models import Organization

from .models import Consultation

BASIS = "方案 三（六）2：双向案件咨询制度"


class ConsultationInput(Command):
    direction: str = Field(title="方向", pattern="^(outgoing|incoming)$")
    organization: int = Field(title="行政执法单位")
    counterpart: str = Field(title="司法机关", pattern="^(public_security|procuratorate)$")
    counterpart_name: str = Field(title="司法机关名称", min_length=1, max_length=100)
    counterpart_contact: str = Field(title="联系人", default="", max_length=100)
    case: int | None = Field(title="关联案件", default=None)
    question: str = Field(title="咨询事项", min_length=1, max_length=4000)
    asked_at: dt.datetime | None = Field(title="咨询时间", default=None)


class AnswerConsultationInput(Command):
    consultation: int = Field(title="咨询")
    conclusion: str = Field(title="答复结论", pattern="^(suspected_crime|not_crime|more_evidence)$")
    answer: str = Field(title="答复意见", min_length=1, max_length=4000)
    answered_by: str = Field(title="答复人", min_length=1, max_length=100)
    answered_at: dt.datetime | None = Field(title="答复时间", default=None)


def _moment(
    value: dt.datetime | None, field: str, label: str, not_before: dt.datetime | None = None
) -> dt.datetime:
    now = timezone.now()
    if value is None:
        return now
    value = value if timezone.is_aware(value) else timezone.make_aware(value)
    if value > now:
        raise ValidationError({field: ValidationError(f"{label}不能晚于现在", code="in_future")})
    if not_before is not None and value < not_before:
        raise ValidationError({field: ValidationError(f"{label}不能早于咨询时间", code="before_question")})
    return value


@transaction.atomic
def ask(actor, cmd: ConsultationInput) -> Consultation:
    """Record a question — the body's to public security or the procuratorate, or theirs to it."""
    org = access.get_visible(actor, Organization, cmd.organization)
    access.require(actor, "supervision.consult", org)
    case = None
    if cmd.case is not None:
        case = get_visible_case(actor, cmd.case)
        if not case.organization.path.startswith(org.path):
            raise ValidationError(
                {"case": ValidationError("关联案件须为该单位办理的案件", code="case_not_of_body")}
            )
    asked_at = _moment(cmd.asked_at, "asked_at", "咨询时间")
    row = Consultation.objects.create(
        direction=cmd.direction,
        organization=org,
        counterpart=cmd.counterpart,
        counterpart_name=cmd.counterpart_name,
        counterpart_contact=cmd.counterpart_contact,
        case=case,
        question=cmd.question,
        asked_at=asked_at,
        recorded_by=actor,
    )
    audit.record(
        actor,
        "supervision.consultation.ask",
        row,
        organization=org,
        legal_basis=BASIS,
        after={"direction": cmd.direction, "counterpart": cmd.counterpart, "case": getattr(case, "pk", None)},
    )
    return row


@transaction.atomic
def answer(actor, cmd: AnswerConsultationInput) -> Consultation:
    row = access.get_visible(
        actor,
        Consultation.objects.select_for_update(of=("self",)).select_related("organization"),
        cmd.consultation,
    )
    access.require(actor, "supervision.consult", row.organization)
    if row.state == Consultation.State.ANSWERED:
        raise DomainError("already_answered", "该咨询已答复")
    row.answered_at = _moment(cmd.answered_at, "answered_at", "答复时间", not_before=row.asked_at)
    row.state, row.conclusion, row.answer, row.answered_by = (
        Consultation.State.ANSWERED,
        cmd.conclusion,
        cmd.answer,
        cmd.answered_by,
    )
    row.answer_recorded_by = actor
    row.save()
    audit.record(
        actor,
        "supervision.consultation.answer",
        row,
        organization=row.organization,
        legal_basis=BASIS,
        after={"conclusion": cmd.conclusion, "answered_by": cmd.answered_by},
    )
    return row


def get_visible_case(actor, case_id):
    """The case with ``case_id`` if the actor may see it (404 otherwise): through the cases app's
    visibility when it registers one, else the actor's data scope."""
    from zhifa.cases.models import Case
    from zhifa.core.scopes import Scope

    try:
        return access.get_visible(actor, Case.objects.select_related("organization"), case_id)
    except LookupError:
        qs = Scope.for_user(actor).filter(Case.objects.select_related("organization"), "organization")
        return _first(qs, case_id)


def _first(qs, case_id):
    from zhifa.core.errors import NotFound

    try:
        case = qs.filter(pk=case_id).first()
    except (TypeError, ValueError):
        case = None
    if case is None:
        raise NotFound()
    return case


def referral_of(row: Consultation):
    """The criminal referral of the consultation's case, when there is one: the case's
    ``refer_criminal`` step (referrals are found by case id until they are records of their own)."""
    if row.case_id is None:
        return None
    from zhifa.cases.models import CaseEvent

    return CaseEvent.objects.filter(case_id=row.case_id, action="refer_criminal").order_by("at").first()
