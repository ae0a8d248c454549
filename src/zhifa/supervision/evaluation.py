"""执法评议 (方案 三（六）2: 建立行政执法评议机制，组织对各部门执法工作进行评议): campaigns that review
each department. The parties a department inspected or penalised in the period get a
questionnaire (a link, sent as is or by SMS; or answered on the phone and recorded by staff) —
one answer per invitation, enforced by the database; experts review a random, reproducible sample
of each department's closed case files; what is found becomes a finding the department rectifies
and a supervisor verifies. Results per department are SQL aggregates (``selectors``).

Writes are transactional, permission-checked and audited; the party's own answer by link has no
account behind it and is audited as the public's act, identified by its invitation.
"""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from pydantic import Field

from zhifa.core import access, audit
from zhifa.core.commands import Command
from zhifa.core.errors import DomainError, NotFound
from zhifa.organizations.models import Organization

from . import rules
from .models import Answer, EvaluationCampaign, ExpertReview, Finding, Invitation

BASIS = "方案 三（六）2：建立行政执法评议机制，组织对各部门执法工作进行评议"
#: At most this many parties per department get a questionnaire in one campaign.
MAX_INVITATIONS_PER_DEPARTMENT = 200


class CampaignInput(Command):
    title: str = Field(title="评议名称", min_length=1, max_length=200)
    year: int = Field(title="年度", ge=2000, le=2100)
    period_start: dt.date = Field(title="评议期起")
    period_end: dt.date = Field(title="评议期止")
    departments: list[int] = Field(title="被评议单位", min_length=1)
    questions: list[str] = Field(title="问卷题目", default_factory=lambda: list(rules.DEFAULT_QUESTIONS))


class InviteInput(Command):
    campaign: int = Field(title="执法评议")
    per_department: int = Field(title="每单位问卷数", default=20, ge=1, le=MAX_INVITATIONS_PER_DEPARTMENT)
    channel: str = Field(title="发送方式", default="link", pattern="^(link|sms)$")


class AnswerInput(Command):
    scores: dict[str, int] = Field(title="评分")
    comment: str = Field(title="意见建议", default="", max_length=2000)


class SampleInput(Command):
    campaign: int = Field(title="执法评议")
    per_department: int = Field(title="每单位抽取案卷数", default=2, ge=1, le=50)


class ExpertScoreInput(Command):
    review: int = Field(title="评议案卷")
    expert: str = Field(title="评议专家", min_length=1, max_length=100)
    score: Decimal = Field(title="得分", ge=0, le=100, decimal_places=1)
    opinion: str = Field(title="评议意见", default="", max_length=4000)


class FindingInput(Command):
    campaign: int = Field(title="执法评议")
    organization: int = Field(title="责任单位")
    source: str = Field(title="来源", pattern="^(questionnaire|expert|other)$")
    text: str = Field(title="问题", min_length=1, max_length=4000)
    due_on: dt.date = Field(title="整改期限")


class RectifyInput(Command):
    finding: int = Field(title="问题")
    rectification: str = Field(title="整改情况", min_length=1, max_length=4000)


def _campaign(actor, campaign_id, *, lock: bool = False) -> EvaluationCampaign:
    qs = EvaluationCampaign.objects.select_for_update() if lock else EvaluationCampaign.objects.all()
    return access.get_visible(actor, qs, campaign_id)


@transaction.atomic
def create_campaign(actor, cmd: CampaignInput) -> EvaluationCampaign:
    access.require(actor, "supervision.evaluate")
    if cmd.period_end < cmd.period_start:
        raise ValidationError(
            {"period_end": ValidationError("评议期止不能早于评议期起", code="period_invalid")}
        )
    from .appraisal import appraisable_bodies

    departments = list(appraisable_bodies().filter(pk__in=cmd.departments))
    if len(departments) != len(set(cmd.departments)):
        raise ValidationError(
            {"departments": ValidationError("被评议单位须为在用的执法主体", code="department_invalid")}
        )
    questions = [q.strip() for q in cmd.questions if q.strip()]
    if not questions:
        raise ValidationError(
            {"questions": ValidationError("请至少设置一道问卷题目", code="questions_required")}
        )
    campaign = EvaluationCampaign.objects.create(
        title=cmd.title,
        year=cmd.year,
        period_start=cmd.period_start,
        period_end=cmd.period_end,
        questions=questions,
        seed=secrets.token_hex(8),
        created_by=actor,
    )
    campaign.departments.set(departments)
    audit.record(
        actor,
        "supervision.evaluation.create",
        campaign,
        legal_basis=BASIS,
        after={
            "title": cmd.title,
            "departments": sorted(d.pk for d in departments),
            "seed": campaign.seed,
            "period": [cmd.period_start, cmd.period_end],
        },
    )
    return campaign


def _subjects(campaign: EvaluationCampaign, department: Organization) -> list[tuple[str, int, int]]:
    """(kind, id, party id) of what the department did to parties in the period: inspection records
    and penalty decisions, newest first — one per party (a party answers once per campaign)."""
    from zhifa.cases.models import FINED_STATES, Case
    from zhifa.inspections.models import InspectionRecord

    start = timezone.make_aware(dt.datetime.combine(campaign.period_start, dt.time()))
    end = timezone.make_aware(dt.datetime.combine(campaign.period_end + dt.timedelta(days=1), dt.time()))
    cases = (
        Case.objects.filter(
            organization__path__startswith=department.path,
            state__in=FINED_STATES,
            decision_date__gte=campaign.period_start,
            decision_date__lte=campaign.period_end,
        )
        .order_by("-decision_date", "-pk")
        .values_list("pk", "party_id")
    )
    records = (
        InspectionRecord.objects.filter(
            department__path__startswith=department.path, started_at__gte=start, started_at__lt=end
        )
        .order_by("-started_at", "-pk")
        .values_list("pk", "party_id")
    )
    out, seen = [], set()
    for kind, rows in (("case", cases), ("inspection", records)):
        for pk, party_id in rows.iterator(chunk_size=2000):
            if party_id not in seen:
                seen.add(party_id)
                out.append((kind, pk, party_id))
    return out


@transaction.atomic
def invite(actor, cmd: InviteInput) -> list[Invitation]:
    """Questionnaires to parties each department inspected or penalised in the period: a random,
    reproducible choice (the campaign's seed) of at most ``per_department`` parties each; a party
    already invited in the campaign is not invited again."""
    import random

    access.require(actor, "supervision.evaluate")
    campaign = _campaign(actor, cmd.campaign, lock=True)
    if campaign.state != EvaluationCampaign.State.OPEN:
        raise DomainError("campaign_closed", "执法评议已结束", "campaign")
    invited = set(campaign.invitations.values_list("party_id", flat=True))
    now, rows = timezone.now(), []
    for department in campaign.departments.order_by("path"):
        pool = [s for s in _subjects(campaign, department) if s[2] not in invited]
        rng = random.Random(f"{campaign.seed}:{department.pk}")
        chosen = rng.sample(pool, min(cmd.per_department, len(pool)))
        for kind, pk, party_id in chosen:
            invited.add(party_id)
            rows.append(
                Invitation(
                    campaign=campaign,
                    organization=department,
                    party_id=party_id,
                    subject_type=kind,
                    subject_id=pk,
                    token=secrets.token_urlsafe(24),
                    channel=cmd.channel,
                    sent_at=now,
                )
            )
    Invitation.objects.bulk_create(rows)
    audit.record(
        actor,
        "supervision.evaluation.invite",
        campaign,
        legal_basis=BASIS,
        after={"invitations": len(rows), "channel": cmd.channel, "per_department": cmd.per_department},
    )
    return rows


def _answer(invitation: Invitation, cmd: AnswerInput, channel: str, actor) -> Answer:
    scores, problem = rules.check_answers(invitation.campaign.questions, cmd.scores)
    if problem:
        raise ValidationError({"scores": ValidationError(problem, code="scores_invalid")})
    mean = (Decimal(sum(scores.values())) / Decimal(len(scores))).quantize(Decimal("0.01"))
    try:
        with transaction.atomic():
            answer = Answer.objects.create(
                invitation=invitation,
                scores=scores,
                mean=mean,
                comment=cmd.comment,
                channel=channel,
                recorded_by=actor,
                answered_at=timezone.now(),
            )
    except IntegrityError:
        raise DomainError("already_answered", "该问卷已答复，每份问卷只能答复一次", "invitation") from None
    audit.record(
        actor,
        "supervision.evaluation.answer",
        invitation,
        organization=invitation.organization,
        after={"channel": channel, "mean": mean, "scores": scores},
    )
    return answer


@transaction.atomic
def answer_by_link(token: str, cmd: AnswerInput) -> Answer:
    """The party answers through its link (no account): once."""
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("campaign", "organization")
        .filter(token=token or "")
        .first()
    )
    if invitation is None:
        raise NotFound("问卷不存在或链接有误")
    if invitation.campaign.state != EvaluationCampaign.State.OPEN:
        raise DomainError("campaign_closed", "本次执法评议已结束")
    if Answer.objects.filter(invitation=invitation).exists():
        raise DomainError("already_answered", "该问卷已答复，每份问卷只能答复一次", "invitation")
    return _answer(invitation, cmd, invitation.channel, None)


@transaction.atomic
def answer_by_phone(actor, invitation_id: int, cmd: AnswerInput) -> Answer:
    """Staff record the party's answers given on the phone (电话回访): once per invitation."""
    access.require(actor, "supervision.evaluate")
    invitation = access.get_visible(
        actor,
        Invitation.objects.select_for_update(of=("self",)).select_related("campaign", "organization"),
        invitation_id,
    )
    if Answer.objects.filter(invitation=invitation).exists():
        raise DomainError("already_answered", "该问卷已答复，每份问卷只能答复一次", "invitation")
    return _answer(invitation, cmd, Invitation.Channel.PHONE, actor)


@transaction.atomic
def sample_case_files(actor, cmd: SampleInput) -> list[ExpertReview]:
    """A random, reproducible sample (the campaign's seed) of each department's case files closed
    in the period, for expert review (``rules.stratified_sample``)."""
    from zhifa.cases.models import Case

    access.require(actor, "supervision.evaluate")
    campaign = _campaign(actor, cmd.campaign, lock=True)
    taken = set(campaign.expert_reviews.values_list("case_id", flat=True))
    population: dict[int, list[int]] = {}
    for department in campaign.departments.order_by("path"):
        population[department.pk] = list(
            Case.objects.filter(
                organization__path__startswith=department.path,
                state__in=("closed", "archived"),
                decision_date__gte=campaign.period_start,
                decision_date__lte=campaign.period_end,
            )
            .exclude(pk__in=taken)
            .values_list("pk", flat=True)
        )
    chosen = rules.stratified_sample(population, campaign.seed, per_body=cmd.per_department)
    rows = ExpertReview.objects.bulk_create(
        [
            ExpertReview(campaign=campaign, case_id=pk, organization_id=org)
            for org, ids in chosen.items()
            for pk in ids
        ]
    )
    audit.record(
        actor,
        "supervision.evaluation.sample",
        campaign,
        legal_basis=BASIS,
        after={"chosen": {str(k): v for k, v in chosen.items()}, "seed": campaign.seed},
    )
    return rows


@transaction.atomic
def score_expert_review(actor, cmd: ExpertScoreInput) -> ExpertReview:
    access.require(actor, "supervision.evaluate")
    review = access.get_visible(actor, ExpertReview.objects.select_for_update(), cmd.review)
    before = {"score": review.score}
    review.expert, review.score, review.opinion = cmd.expert, cmd.score, cmd.opinion
    review.reviewed_at, review.recorded_by = timezone.now(), actor
    review.save()
    audit.record(
        actor,
        "supervision.evaluation.expert",
        review,
        organization=review.organization,
        before=before,
        after={"expert": cmd.expert, "score": cmd.score, "case": review.case_id},
    )
    return review


@transaction.atomic
def add_finding(actor, cmd: FindingInput) -> Finding:
    access.require(actor, "supervision.evaluate")
    campaign = _campaign(actor, cmd.campaign)
    department = campaign.departments.filter(pk=cmd.organization).first()
    if department is None:
        raise ValidationError(
            {"organization": ValidationError("责任单位须为本次评议的被评议单位", code="not_reviewed")}
        )
    if cmd.due_on < timezone.localdate():
        raise ValidationError({"due_on": ValidationError("整改期限不能早于今天", code="due_in_past")})
    finding = Finding.objects.create(
        campaign=campaign,
        organization=department,
        source=cmd.source,
        text=cmd.text,
        due_on=cmd.due_on,
        created_by=actor,
    )
    audit.record(
        actor,
        "supervision.evaluation.finding",
        finding,
        organization=department,
        legal_basis=BASIS,
        after={"text": cmd.text, "due_on": cmd.due_on, "source": cmd.source},
    )
    return finding


@transaction.atomic
def rectify(actor, cmd: RectifyInput) -> Finding:
    """The department reports its rectification (its leader or administrator)."""
    finding = access.get_visible(
        actor, Finding.objects.select_for_update(of=("self",)).select_related("organization"), cmd.finding
    )
    access.require(actor, "supervision.rectify", finding)
    if finding.state == Finding.State.VERIFIED:
        raise DomainError("already_verified", "该问题已核实销号")
    finding.state, finding.rectification = Finding.State.RECTIFIED, cmd.rectification
    finding.rectified_at, finding.rectified_by = timezone.now(), actor
    finding.save()
    audit.record(
        actor,
        "supervision.evaluation.rectify",
        finding,
        organization=finding.organization,
        after={"state": finding.state, "rectification": cmd.rectification},
    )
    return finding


@transaction.atomic
def verify(actor, finding_id: int, accepted: bool, remark: str = "") -> Finding:
    """A supervisor verifies a reported rectification (销号), or sends it back to be rectified."""
    access.require(actor, "supervision.evaluate")
    finding = access.get_visible(actor, Finding.objects.select_for_update(of=("self",)), finding_id)
    if finding.state != Finding.State.RECTIFIED:
        raise DomainError("not_rectified", "单位尚未报告整改情况")
    finding.state = Finding.State.VERIFIED if accepted else Finding.State.OPEN
    if accepted:
        finding.verified_at, finding.verified_by = timezone.now(), actor
    finding.save()
    audit.record(
        actor,
        "supervision.evaluation." + ("verify" if accepted else "reopen"),
        finding,
        organization=finding.organization,
        after={"state": finding.state, "remark": remark.strip()[:500]},
    )
    return finding
