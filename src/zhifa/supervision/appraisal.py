"""The appraisal of bodies (方案 三（五）3): the district appraises its departments and townships
with the comprehensive enforcement work as its own line (单列考核); each department or township
appraises its officers (四维考评, ``services.compute_appraisal``).

A body's line is the weighted dimensions of a body scheme, each scored from the platform's data
of the year — cases and their timeliness (行政处罚法 art. 60), case file review results, complaints
and their handling, the reporters' satisfaction, training hours (国办发〔2018〕118号), the
执法评议 questionnaires — with the reasons stored; plus manual items (加分、扣分), each only with
its evidence. Writes here are transactional, permission-checked and audited; the yearly report of
a body is built by ``appraisal_report``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Avg, Count, F, Q, Sum
from django.utils import timezone
from pydantic import Field

from zhifa.core import access, audit
from zhifa.core.commands import Command
from zhifa.core.errors import DomainError
from zhifa.core.scopes import Scope
from zhifa.organizations.models import Organization

from . import rules, selectors
from .models import AppraisalDimension, AppraisalScheme, BodyAppraisal, ManualScore, Review

BASIS = "方案 三（五）3：将综合行政执法工作单列考核，纳入区对部门、区对乡镇（街道）的年度目标责任制考核"
#: Incident sources that are the public's complaints and reports (投诉举报).
COMPLAINT_SOURCES = ("hotline", "complaint", "grassroots")


class DimensionInput(Command):
    name: str = Field(title="维度", min_length=1, max_length=50)
    weight: int = Field(title="权重（%）", gt=0, le=100)
    metrics: list[str] = Field(title="数据指标", min_length=1)
    enforcement_post: bool = Field(title="执法岗位维度", default=False)


class BodySchemeInput(Command):
    name: str = Field(title="方案名称", min_length=1, max_length=100)
    dimensions: list[DimensionInput] = Field(title="考评维度", min_length=1)
    targets: dict[str, int] = Field(title="计分标准", default_factory=dict)
    neutral_score: Decimal = Field(title="无数据时基准分", default=Decimal(80), ge=0, le=100)


class BodyAppraisalInput(Command):
    scheme: int = Field(title="单位考评方案")
    organization: int = Field(title="被考评单位")
    year: int = Field(title="年度", ge=2000, le=2100)
    officer_scheme: int | None = Field(title="执法人员四维考评方案", default=None)


class ManualScoreInput(Command):
    appraisal: int = Field(title="考评")
    title: str = Field(title="事项", min_length=1, max_length=200)
    points: Decimal = Field(
        title="加减分", ge=-rules.MANUAL_POINTS_LIMIT, le=rules.MANUAL_POINTS_LIMIT, decimal_places=1
    )
    note: str = Field(title="说明", default="", max_length=500)


@transaction.atomic
def create_body_scheme(actor, cmd: BodySchemeInput) -> AppraisalScheme:
    access.require(actor, "supervision.appraise")
    specs = [
        rules.DimensionSpec(d.name, d.weight, d.enforcement_post, tuple(d.metrics)) for d in cmd.dimensions
    ]
    problem = rules.check_body_weights(specs)
    if problem:
        raise DomainError(problem[0], problem[1], "dimensions")
    unknown = [k for k in cmd.targets if k not in rules.BODY_COUNT_METRICS]
    if unknown:
        raise ValidationError(
            {"targets": ValidationError(f"没有这些计数指标：{'、'.join(unknown)}", code="target_unknown")}
        )
    scheme = AppraisalScheme.objects.create(
        name=cmd.name,
        level=AppraisalScheme.Level.BODY,
        targets=cmd.targets or dict(rules.DEFAULT_BODY_TARGETS),
        neutral_score=cmd.neutral_score,
        created_by=actor,
    )
    AppraisalDimension.objects.bulk_create(
        [
            AppraisalDimension(
                scheme=scheme,
                order=i + 1,
                name=s.name,
                weight=s.weight,
                enforcement_post=s.enforcement_post,
                metrics=list(s.metrics),
            )
            for i, s in enumerate(specs)
        ]
    )
    audit.record(
        actor,
        "supervision.body_scheme.create",
        scheme,
        legal_basis=BASIS,
        after={"name": cmd.name, "dimensions": [d.model_dump() for d in cmd.dimensions]},
    )
    return scheme


def body_data(body: Organization, year: int, today: dt.date | None = None) -> dict:
    """The platform's numbers of a body (with its units) for a year: one aggregate query per
    source. Timeliness is the indicators' art. 60 decision period; training is ``zhifa.training``'s."""
    from zhifa.cases.models import Case
    from zhifa.dispatch.models import Incident
    from zhifa.indicators.definitions.decision_period import DecisionPeriod
    from zhifa.indicators.definitions.enforcement import CONCLUDED_STATES
    from zhifa.training.selectors import training_compliance

    from .models import Answer

    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    start_at = timezone.make_aware(dt.datetime(year, 1, 1))
    end_at = timezone.make_aware(dt.datetime(year + 1, 1, 1))
    scope = Scope(org_path=body.path)
    period = DecisionPeriod(scope, today or timezone.localdate())
    out: dict = {}
    cases = Case.objects.filter(organization__path__startswith=body.path)
    out.update(
        cases.aggregate(
            cases=Count("pk", filter=Q(filing_date__gte=start, filing_date__lte=end)),
            cases_decided=Count(
                "pk",
                filter=Q(
                    decision_date__gte=start,
                    decision_date__lte=end,
                    state__in=CONCLUDED_STATES,
                    filing_date__isnull=False,
                ),
            ),
            cases_late=Count(
                "pk", filter=Q(decision_date__gte=start, decision_date__lte=end) & period.late()
            ),
        )
    )
    out["cases_on_time"] = out["cases_decided"] - out["cases_late"]
    reviews = Review.objects.filter(
        state=Review.State.SCORED,
        organization__path__startswith=body.path,
        scored_at__gte=start_at,
        scored_at__lt=end_at,
    )
    row = reviews.aggregate(points=Sum("total"), full=Sum("max_total"), n=Count("pk"))
    out.update(review_points=row["points"] or 0, review_max=row["full"] or 0, reviews=row["n"])
    incidents = Incident.objects.filter(responsible_org__path__startswith=body.path)
    out.update(
        incidents.aggregate(
            incidents_replied=Count(
                "pk", filter=Q(replied_at__gte=start_at, replied_at__lt=end_at, due_at__isnull=False)
            ),
            incidents_on_time=Count(
                "pk",
                filter=Q(
                    replied_at__gte=start_at,
                    replied_at__lt=end_at,
                    due_at__isnull=False,
                    replied_at__lte=F("due_at"),
                ),
            ),
            complaints=Count(
                "pk",
                filter=Q(reported_at__gte=start_at, reported_at__lt=end_at, source__in=COMPLAINT_SOURCES),
            ),
            complaints_closed=Count(
                "pk",
                filter=Q(
                    reported_at__gte=start_at,
                    reported_at__lt=end_at,
                    source__in=COMPLAINT_SOURCES,
                    state__in=("evaluated", "closed"),
                ),
            ),
            rated=Count(
                "pk", filter=Q(replied_at__gte=start_at, replied_at__lt=end_at, satisfaction__isnull=False)
            ),
            satisfaction_avg=Avg("satisfaction", filter=Q(replied_at__gte=start_at, replied_at__lt=end_at)),
        )
    )
    staff = selectors.body_staff(body)
    hours = training_compliance([o.pk for o in staff], year)
    out["officers"] = len(hours)
    out["trained"] = sum(1 for attended, required in hours.values() if attended >= required)
    row = Answer.objects.filter(
        invitation__organization__path__startswith=body.path,
        answered_at__gte=start_at,
        answered_at__lt=end_at,
    ).aggregate(n=Count("pk"), avg=Avg("mean"))
    out.update(answers=row["n"], evaluation_avg=row["avg"])
    return {k: (float(v) if isinstance(v, Decimal) else v) for k, v in out.items()}


def appraisable_bodies():
    """The bodies the district appraises: its enforcement bodies and the township teams."""
    return (
        Organization.objects.filter(
            Q(is_enforcement_body=True) | Q(kind=Organization.Kind.TOWNSHIP_TEAM), is_active=True
        )
        .select_related("region")
        .order_by("path")
    )


@transaction.atomic
def appraise_body(actor, cmd: BodyAppraisalInput) -> BodyAppraisal:
    """Compute a body's comprehensive enforcement line for the year (and, with ``officer_scheme``,
    its officers' 四维考评 for the year). Recomputing keeps the manual items."""
    from . import services

    access.require(actor, "supervision.appraise")
    scheme = (
        AppraisalScheme.objects.filter(pk=cmd.scheme, level=AppraisalScheme.Level.BODY)
        .prefetch_related("dimensions")
        .first()
    )
    if scheme is None:
        raise ValidationError({"scheme": ValidationError("请选择单位考评方案", code="scheme_required")})
    body = access.get_visible(actor, appraisable_bodies(), cmd.organization)
    if cmd.year > timezone.localdate().year:
        raise ValidationError({"year": ValidationError("不能考评尚未开始的年度", code="year_in_future")})
    specs = [
        rules.DimensionSpec(d.name, d.weight, d.enforcement_post, tuple(d.metrics))
        for d in scheme.dimensions.all()
    ]
    data = body_data(body, cmd.year)
    platform, dims = rules.appraise(
        specs, data, scheme.targets, float(scheme.neutral_score), rules.body_metric_score
    )
    existing = (
        BodyAppraisal.objects.select_for_update()
        .filter(scheme=scheme, organization=body, year=cmd.year)
        .first()
    )
    manual = (existing.manual_items.aggregate(s=Sum("points"))["s"] or Decimal(0)) if existing else Decimal(0)
    values = {
        "platform_score": Decimal(str(platform)),
        "manual_score": manual,
        "total": _bounded(Decimal(str(platform)) + manual),
        "dimensions": dims,
        "data": data,
        "computed_at": timezone.now(),
        "computed_by": actor,
    }
    appraisal, _ = BodyAppraisal.objects.update_or_create(
        scheme=scheme, organization=body, year=cmd.year, defaults=values
    )
    audit.record(
        actor,
        "supervision.body_appraisal.compute",
        appraisal,
        organization=body,
        legal_basis=BASIS,
        after={
            "year": cmd.year,
            "platform_score": values["platform_score"],
            "manual_score": manual,
            "total": values["total"],
        },
    )
    if cmd.officer_scheme:
        services.compute_appraisal(
            actor,
            cmd.officer_scheme,
            dt.date(cmd.year, 1, 1),
            dt.date(cmd.year, 12, 31),
            organization_id=body.pk,
        )
    return appraisal


def _bounded(total: Decimal) -> Decimal:
    return max(Decimal(0), min(Decimal(100 + rules.MANUAL_POINTS_LIMIT), total)).quantize(Decimal("0.01"))


@transaction.atomic
def add_manual_score(actor, cmd: ManualScoreInput, evidence) -> ManualScore:
    """A manual item (加分或扣分) of a body's appraisal, refused without its evidence file."""
    access.require(actor, "supervision.appraise")
    appraisal = access.get_visible(
        actor, BodyAppraisal.objects.select_for_update(of=("self",)), cmd.appraisal
    )
    if evidence is None:
        raise ValidationError(
            {"evidence": ValidationError("人工考评项须上传佐证材料", code="evidence_required")}
        )
    problem = rules.check_evidence(evidence.name, evidence.size)
    if problem:
        raise ValidationError({"evidence": ValidationError(problem, code="evidence_invalid")})
    content = evidence.read()
    digest = hashlib.sha256(content).hexdigest()
    item = ManualScore(
        appraisal=appraisal,
        title=cmd.title,
        points=cmd.points,
        note=cmd.note,
        entered_by=actor,
        entered_at=timezone.now(),
        evidence_name=evidence.name[:200],
        evidence_sha256=digest,
    )
    item.evidence.save(evidence.name, ContentFile(content), save=False)
    item.save()
    manual = appraisal.manual_items.aggregate(s=Sum("points"))["s"] or Decimal(0)
    appraisal.manual_score, appraisal.total = manual, _bounded(appraisal.platform_score + manual)
    appraisal.save(update_fields=["manual_score", "total"])
    audit.record(
        actor,
        "supervision.body_appraisal.manual",
        appraisal,
        organization=appraisal.organization,
        legal_basis=BASIS,
        after={
            "title": cmd.title,
            "points": cmd.points,
            "evidence": item.evidence_name,
            "sha256": digest,
            "total": appraisal.total,
        },
    )
    return item


def trend(body: Organization, scheme: AppraisalScheme | None = None) -> list[BodyAppraisal]:
    """The body's line across years, oldest first."""
    qs = BodyAppraisal.objects.filter(organization=body)
    if scheme is not None:
        qs = qs.filter(scheme=scheme)
    return list(qs.order_by("year"))
