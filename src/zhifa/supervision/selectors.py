"""Reads of the supervision app, filtered through a ``Scope``; indicators as SQL aggregates."""

import datetime as dt

from django.db.models import Avg, Count, F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from zhifa.core import access
from zhifa.core.errors import NotFound
from zhifa.core.scopes import Scope
from zhifa.organizations.models import Officer, Organization, User

from . import access as supervision_access
from .models import (
    Alert,
    AppraisalResult,
    AppraisalScheme,
    BodyAppraisal,
    Consultation,
    EvaluationCampaign,
    ExpertReview,
    Finding,
    Invitation,
    Notice,
    Review,
    ReviewBatch,
)


def visible_alerts(scope: Scope) -> QuerySet[Alert]:
    return scope.filter(Alert.objects.select_related("organization", "assignee"))


def alert_list(
    scope: Scope,
    *,
    rule_code: str = "",
    state: str = "",
    severity: str = "",
    organization_id=None,
    open_only: bool = False,
) -> QuerySet[Alert]:
    qs = visible_alerts(scope)
    if rule_code:
        qs = qs.filter(rule_code=rule_code)
    if state:
        qs = qs.filter(state=state)
    elif open_only:
        qs = qs.exclude(state="closed")
    if severity:
        qs = qs.filter(severity=severity)
    if organization_id:
        qs = qs.filter(organization_id=organization_id)
    return qs


def alert_counts(qs: QuerySet[Alert]) -> list[dict]:
    """Counts by rule and state in one aggregate query."""
    return list(
        qs.order_by().values("rule_code", "state").annotate(n=Count("pk")).order_by("rule_code", "state")
    )


def get_alert(scope: Scope, alert_id: int) -> Alert:
    alert = (
        visible_alerts(scope)
        .select_related("previous", "close_requested_by", "closed_by")
        .filter(pk=alert_id)
        .first()
    )
    if alert is None:
        raise NotFound()
    return alert


def subject_link(alert: Alert) -> tuple[str, str] | None:
    """(label, url) of the alert's subject page, where one exists."""
    from django.urls import NoReverseMatch, reverse

    targets = {
        "cases.Case": ("cases:detail", alert.subject_id, "案件"),
        "cases.CaseOfficer": ("cases:detail", (alert.details or {}).get("case_id"), "案件"),
        "dispatch.Incident": ("dispatch:detail", alert.subject_id, "事件"),
        "organizations.Officer": ("organizations:officer_detail", alert.subject_id, "执法人员"),
        "parties.Party": ("parties:detail", alert.subject_id, "监管对象"),
    }
    if alert.subject_type not in targets:
        return None
    name, pk, label = targets[alert.subject_type]
    try:
        return label, reverse(name, args=[pk])
    except NoReverseMatch:
        return None


def notices(scope: Scope) -> QuerySet[Notice]:
    return scope.filter(Notice.objects.select_related("to_org", "alert", "sent_by"), org_field="to_org")


def get_notice(scope: Scope, notice_id: int) -> Notice:
    notice = notices(scope).filter(pk=notice_id).first()
    if notice is None:
        raise NotFound()
    return notice


# ---- case file review ----


def review_batches() -> QuerySet[ReviewBatch]:
    return ReviewBatch.objects.select_related("sheet").annotate(
        reviews_total=Count("reviews"),
        reviews_scored=Count("reviews", filter=Q(reviews__state=Review.State.SCORED)),
    )


def reviews(scope: Scope, batch_id: int | None = None) -> QuerySet[Review]:
    qs = scope.filter(Review.objects.select_related("case", "organization", "reviewer", "batch"))
    return qs.filter(batch_id=batch_id) if batch_id else qs


def get_review(scope: Scope, review_id: int) -> Review:
    review = reviews(scope).select_related("batch__sheet").filter(pk=review_id).first()
    if review is None:
        raise NotFound()
    return review


def review_results_by_body(scope: Scope, batch_id: int | None = None) -> list[dict]:
    """Per body: files reviewed, points and the score rate (one aggregate query)."""
    qs = reviews(scope, batch_id).filter(state=Review.State.SCORED).order_by()
    rows = (
        qs.values("organization_id", "organization__name")
        .annotate(files=Count("pk"), points=Sum("total"), full=Sum("max_total"))
        .order_by("organization__name")
    )
    return [{**r, "rate": (r["points"] / r["full"] * 100) if r["full"] else None} for r in rows]


def review_results_by_officer(scope: Scope, batch_id: int | None = None) -> list[dict]:
    """Per officer who handled the reviewed files (lead or assisting): the same aggregate."""
    qs = reviews(scope, batch_id).filter(state=Review.State.SCORED).order_by()
    rows = (
        qs.values(
            officer_id=F("case__case_officers__officer_id"),
            officer_name=F("case__case_officers__officer__name"),
            org_name=F("organization__name"),
        )
        .annotate(files=Count("pk", distinct=True), points=Sum("total"), full=Sum("max_total"))
        .order_by("org_name", "officer_name")
    )
    return [{**r, "rate": (r["points"] / r["full"] * 100) if r["full"] else None} for r in rows]


def reviewers() -> QuerySet[User]:
    """Who may be assigned a case file to score."""
    return supervision_access.holders("supervision.score_file")


def supervisors() -> QuerySet[User]:
    """Who may be assigned an alert."""
    return supervision_access.holders("supervision.handle_alert")


# ---- appraisal ----


def township_staff() -> list[Officer]:
    """Township staff (乡镇执法人员): enforcement officers of township teams and officers posted to a
    township (下沉), each with the township team that appraises them (``appraising_org_id``)."""
    team_of_region = (
        Organization.objects.filter(
            kind=Organization.Kind.TOWNSHIP_TEAM, region=OuterRef("posted_to"), is_active=True
        )
        .order_by("pk")
        .values("pk")[:1]
    )
    qs = (
        Officer.objects.filter(is_active=True, kind=Officer.Kind.ENFORCEMENT)
        .filter(Q(organization__kind=Organization.Kind.TOWNSHIP_TEAM) | Q(posted_to__isnull=False))
        .annotate(posted_team=Subquery(team_of_region))
        .annotate(appraising_org_id=Coalesce("posted_team", "organization_id"))
        .order_by("pk")
    )
    return list(qs.select_related("organization"))


def body_staff(body: Organization) -> list[Officer]:
    """The officers a body appraises (方案 三（五）3: 部门、乡镇（街道）对执法队员): a township team its
    township staff (its own and those posted to its township); a department its own enforcement
    officers who are not posted to a township (those are appraised there)."""
    if body.kind == Organization.Kind.TOWNSHIP_TEAM:
        return [o for o in township_staff() if o.appraising_org_id == body.pk]
    qs = (
        Officer.objects.filter(
            is_active=True,
            kind=Officer.Kind.ENFORCEMENT,
            posted_to__isnull=True,
            organization__path__startswith=body.path,
        )
        .annotate(appraising_org_id=Value(body.pk))
        .select_related("organization")
        .order_by("pk")
    )
    return list(qs)


def appraisal_data(officer_ids: list[int], start: dt.date, end: dt.date) -> dict[int, dict]:
    """The platform's numbers per officer for the period: one aggregate query per source."""
    from zhifa.cases.models import CaseOfficer
    from zhifa.dispatch.models import IncidentEvent
    from zhifa.inspections.models import InspectionRecord

    out: dict[int, dict] = {pk: {} for pk in officer_ids}
    if not officer_ids:
        return out
    for r in (
        CaseOfficer.objects.filter(
            officer_id__in=officer_ids,
            assisting=False,
            case__filing_date__gte=start,
            case__filing_date__lte=end,
        )
        .values("officer_id")
        .annotate(n=Count("case_id", distinct=True))
        .order_by()
    ):
        out[r["officer_id"]]["cases"] = r["n"]
    through = InspectionRecord.officers.through
    for r in (
        through.objects.filter(
            officer_id__in=officer_ids,
            inspectionrecord__started_at__date__gte=start,
            inspectionrecord__started_at__date__lte=end,
        )
        .values("officer_id")
        .annotate(n=Count("inspectionrecord_id", distinct=True))
        .order_by()
    ):
        out[r["officer_id"]]["inspections"] = r["n"]
    for r in (
        Review.objects.filter(
            state=Review.State.SCORED,
            scored_at__date__gte=start,
            scored_at__date__lte=end,
            case__case_officers__officer_id__in=officer_ids,
        )
        .values(officer_id=F("case__case_officers__officer_id"))
        .annotate(points=Sum("total"), full=Sum("max_total"), n=Count("pk", distinct=True))
        .order_by()
    ):
        out[r["officer_id"]].update(review_points=r["points"], review_max=r["full"], reviews=r["n"])
    users = dict(User.objects.filter(officer_id__in=officer_ids).values_list("username", "officer_id"))
    if users:
        replied = (
            IncidentEvent.objects.filter(
                action="reply", at__date__gte=start, at__date__lte=end, actor_name__in=list(users)
            )
            .values("actor_name")
            .annotate(
                n=Count("incident_id", distinct=True),
                on_time=Count(
                    "incident_id",
                    distinct=True,
                    filter=Q(incident__due_at__isnull=True) | Q(at__lte=F("incident__due_at")),
                ),
                rated=Count("incident_id", distinct=True, filter=Q(incident__satisfaction__isnull=False)),
                avg=Avg("incident__satisfaction"),
            )
            .order_by()
        )
        for r in replied:
            out[users[r["actor_name"]]].update(
                incidents=r["n"], incidents_on_time=r["on_time"], rated=r["rated"], satisfaction_avg=r["avg"]
            )
    return out


def schemes() -> QuerySet[AppraisalScheme]:
    return AppraisalScheme.objects.prefetch_related("dimensions")


def appraisal_results(
    scope: Scope, scheme_id: int | None = None, period_end: dt.date | None = None
) -> QuerySet[AppraisalResult]:
    qs = scope.filter(AppraisalResult.objects.select_related("officer", "organization", "scheme"))
    if scheme_id:
        qs = qs.filter(scheme_id=scheme_id)
    if period_end:
        qs = qs.filter(period_end=period_end)
    return qs.order_by("-period_end", "organization__name", "-total")


def get_result(scope: Scope, result_id: int) -> AppraisalResult:
    result = appraisal_results(scope).filter(pk=result_id).first()
    if result is None:
        raise NotFound()
    return result


# ---- 单位考评 ----


def body_schemes() -> QuerySet[AppraisalScheme]:
    return AppraisalScheme.objects.filter(level=AppraisalScheme.Level.BODY, is_active=True).prefetch_related(
        "dimensions"
    )


def officer_schemes() -> QuerySet[AppraisalScheme]:
    return AppraisalScheme.objects.filter(
        level=AppraisalScheme.Level.OFFICER, is_active=True
    ).prefetch_related("dimensions")


def body_appraisals(actor, year: int | None = None) -> QuerySet[BodyAppraisal]:
    qs = access.visible_to(actor, BodyAppraisal).select_related("organization", "scheme")
    return (qs.filter(year=year) if year else qs).order_by("-year", "-total", "organization__path")


def get_body_appraisal(actor, appraisal_id) -> BodyAppraisal:
    return access.get_visible(
        actor, BodyAppraisal.objects.select_related("organization", "scheme"), appraisal_id
    )


# ---- 执法评议 ----


def campaigns(actor) -> QuerySet[EvaluationCampaign]:
    return access.visible_to(actor, EvaluationCampaign).annotate(
        invited=Count("invitations", distinct=True), answered=Count("invitations__answer", distinct=True)
    )


def get_campaign(actor, campaign_id) -> EvaluationCampaign:
    return access.get_visible(actor, EvaluationCampaign.objects.prefetch_related("departments"), campaign_id)


def campaign_results(actor, campaign: EvaluationCampaign) -> list[dict]:
    """Per department: questionnaires sent and answered, the mean answer (1–5, and 0–100), expert
    reviews done and their mean score, findings open and verified — aggregates, one query each."""
    visible = access.visible_to(actor, Invitation).filter(campaign=campaign)
    answers = {
        r["organization_id"]: r
        for r in visible.order_by()
        .values("organization_id")
        .annotate(invited=Count("pk"), answered=Count("answer"), mean=Avg("answer__mean"))
    }
    experts = {
        r["organization_id"]: r
        for r in access.visible_to(actor, ExpertReview)
        .filter(campaign=campaign)
        .order_by()
        .values("organization_id")
        .annotate(sampled=Count("pk"), reviewed=Count("score"), score=Avg("score"))
    }
    findings = {
        r["organization_id"]: r
        for r in access.visible_to(actor, Finding)
        .filter(campaign=campaign)
        .order_by()
        .values("organization_id")
        .annotate(
            total=Count("pk"),
            open=Count("pk", filter=~Q(state=Finding.State.VERIFIED)),
            overdue=Count("pk", filter=Q(state=Finding.State.OPEN, due_on__lt=timezone.localdate())),
        )
    }
    scope = Scope.for_user(actor)
    rows = []
    for department in campaign.departments.order_by("path"):
        if not scope.covers_organization(department):
            continue
        a, e, f = (
            answers.get(department.pk, {}),
            experts.get(department.pk, {}),
            findings.get(department.pk, {}),
        )
        mean = a.get("mean")
        rows.append(
            {
                "organization": department,
                "invited": a.get("invited", 0),
                "answered": a.get("answered", 0),
                "mean": mean,
                "satisfaction": None if mean is None else round((float(mean) - 1) / 4 * 100, 1),
                "sampled": e.get("sampled", 0),
                "reviewed": e.get("reviewed", 0),
                "expert_score": e.get("score"),
                "findings": f.get("total", 0),
                "open": f.get("open", 0),
                "overdue": f.get("overdue", 0),
            }
        )
    return rows


def invitations(actor, campaign: EvaluationCampaign) -> QuerySet[Invitation]:
    return (
        access.visible_to(actor, Invitation)
        .filter(campaign=campaign)
        .select_related("organization", "party", "answer")
        .order_by("organization__path", "pk")
    )


def expert_reviews(actor, campaign: EvaluationCampaign) -> QuerySet[ExpertReview]:
    return (
        access.visible_to(actor, ExpertReview)
        .filter(campaign=campaign)
        .select_related("organization", "case")
        .order_by("organization__path", "pk")
    )


def findings(actor, campaign: EvaluationCampaign | None = None) -> QuerySet[Finding]:
    qs = access.visible_to(actor, Finding).select_related("organization", "campaign")
    return qs.filter(campaign=campaign) if campaign is not None else qs


def invitation_by_token(token: str) -> Invitation | None:
    """The public's questionnaire page: the invitation its link names (no account)."""
    return (
        Invitation.objects.select_related("campaign", "organization").filter(token=token or "").first()
        if token
        else None
    )


# ---- 双向案件咨询 ----


def consultations(actor) -> QuerySet[Consultation]:
    return access.visible_to(actor, Consultation).select_related("organization", "case", "recorded_by")


def get_consultation(actor, consultation_id) -> Consultation:
    return access.get_visible(
        actor, Consultation.objects.select_related("organization", "case", "recorded_by"), consultation_id
    )
