"""Writes of the supervision app: sweeps that raise alerts, the alert loop (assign →
explain/correct → close, two supervisors for a high-severity close), recommendations / circulars,
case file review and the officers' appraisal (四维考评). Each one transactional, permission-checked
through the access policy (``supervision/access.py``) and audited. The body appraisal, 执法评议
and 双向案件咨询 have their own modules (``appraisal``, ``evaluation``, ``consultation``).

Sweeps: at most one open alert per rule and subject (a partial unique index). A full sweep that no
longer finds an open alert's condition stamps ``cleared_at`` — it does not close the alert: closing
needs a supervisor and an explanation (监督留痕). When a closed alert's condition recurs, a new alert
is raised and linked to the previous one (``Alert.previous``)."""

import datetime as dt
import logging
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from pydantic import Field

from zhifa.core import access, audit
from zhifa.core.commands import Command, parse
from zhifa.core.errors import DomainError, NotFound, PermissionDenied
from zhifa.organizations.models import Organization, User

from . import rules
from .appraisal import DimensionInput
from .models import (
    Alert,
    AppraisalDimension,
    AppraisalResult,
    AppraisalScheme,
    Notice,
    Review,
    ReviewBatch,
    ReviewScore,
    ScoreItem,
    ScoreSheet,
)
from .rules_registry import RULES, rules_watching

log = logging.getLogger(__name__)

BATCH = 5000


def is_supervisor(user) -> bool:
    """Holds the supervision of alerts (``supervision.handle_alert``)."""
    return user is not None and access.can(user, "supervision.handle_alert")


def _require_supervisor(user, permission: str = "supervision.handle_alert") -> None:
    access.require(user, permission)


# ---------------------------------------------------------------------------------------------
# sweeps
# ---------------------------------------------------------------------------------------------


def _lock_rule(code: str) -> None:
    """Serialise runs of one rule (a beat sweep and an event run at the same time)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"supervision.rule.{code}"])


def _chunks(values: list, size: int = BATCH):
    for i in range(0, len(values), size):
        yield values[i : i + size]


@transaction.atomic
def apply_findings(code: str, findings: list, now: dt.datetime, *, full: bool) -> dict[str, int]:
    """Raise alerts for new findings of one rule, refresh the open ones found again, and (in a full
    sweep) stamp ``cleared_at`` on open alerts no longer found. Returns the counts."""
    rule = RULES[code]
    _lock_rule(code)
    open_alerts = Alert.objects.filter(rule_code=code, state__in=sorted(rules.OPEN_STATES))
    subjects = {(f.subject_type, f.subject_id) for f in findings}
    if full:
        existing = dict(
            ((t, s), pk) for t, s, pk in open_alerts.values_list("subject_type", "subject_id", "pk")
        )
    else:
        ids = sorted({f.subject_id for f in findings})
        existing = {}
        for part in _chunks(ids):
            existing.update(
                ((t, s), pk)
                for t, s, pk in open_alerts.filter(subject_id__in=part).values_list(
                    "subject_type", "subject_id", "pk"
                )
            )
    new_findings = [f for f in findings if (f.subject_type, f.subject_id) not in existing]
    previous = {}
    if new_findings:
        new_ids = sorted({f.subject_id for f in new_findings})
        for part in _chunks(new_ids):
            previous.update(
                ((t, s), pk)
                for t, s, pk in Alert.objects.filter(rule_code=code, state=rules.CLOSED, subject_id__in=part)
                .values("subject_type", "subject_id")
                .annotate(last=Max("pk"))
                .values_list("subject_type", "subject_id", "last")
            )
    fresh, done = [], set()
    for f in new_findings:
        key = (f.subject_type, f.subject_id)
        if key in done:
            continue
        done.add(key)
        fresh.append(
            Alert(
                rule_code=code,
                subject_type=f.subject_type,
                subject_id=f.subject_id,
                organization_id=f.organization_id,
                severity=rule.severity,
                message=f.message[:500],
                details=audit.jsonable(f.details),
                raised_at=now,
                last_seen_at=now,
                previous_id=previous.get(key),
            )
        )
    Alert.objects.bulk_create(fresh, batch_size=2000, ignore_conflicts=True)
    seen = [pk for key, pk in existing.items() if key in subjects]
    for part in _chunks(seen):
        Alert.objects.filter(pk__in=part).update(last_seen_at=now, cleared_at=None)
    cleared = 0
    if full:
        gone = [pk for key, pk in existing.items() if key not in subjects]
        for part in _chunks(gone):
            cleared += Alert.objects.filter(pk__in=part, cleared_at__isnull=True).update(cleared_at=now)
    counts = {"findings": len(subjects), "raised": len(fresh), "seen": len(seen), "cleared": cleared}
    if fresh or cleared:
        audit.record(
            None,
            "supervision.sweep",
            object_type="supervision.AlertRule",
            object_id=code,
            after={**counts, "full": full},
            legal_basis=rule.basis,
        )
    return counts


def sweep(now: dt.datetime | None = None, rule_codes: list[str] | None = None) -> dict[str, int]:
    """Run the rules over all data (the periodic sweep). Idempotent. Returns new alerts per rule;
    each rule commits on its own, so one slow rule does not hold the others."""
    now = now or timezone.now()
    codes = rule_codes or list(RULES)
    unknown = [c for c in codes if c not in RULES]
    if unknown:
        raise DomainError("unknown_rule", f"未知的预警规则：{'、'.join(unknown)}", "rule_codes")
    return {code: apply_findings(code, RULES[code].find(now), now, full=True)["raised"] for code in codes}


def run_for(model: str, ids, now: dt.datetime | None = None) -> dict[str, int]:
    """Event run: the rules watching ``model`` ("case", "incident") over the changed ``ids`` only."""
    now = now or timezone.now()
    ids = sorted(set(ids))
    if not ids:
        return {}
    raised = {}
    for rule in rules_watching(model):
        findings = rule.find(now, ids=ids)
        # Nothing found among the changed rows: nothing to raise or refresh (only a full sweep
        # clears), so the rule's lock and transaction are skipped.
        raised[rule.code] = apply_findings(rule.code, findings, now, full=False)["raised"] if findings else 0
    return raised


# ---------------------------------------------------------------------------------------------
# the alert loop
# ---------------------------------------------------------------------------------------------


def responsible_supervisor(alert: Alert) -> User | None:
    """The supervisor of the responsible body (nearest up its tree), else of the guidance office
    (``access.responsible_supervisor``)."""
    from .access import responsible_supervisor as find

    return find(alert.organization)


def _alert_for(user, alert_id: int) -> Alert:
    return access.get_visible(user, Alert.objects.select_for_update(of=("self",)), alert_id)


def _move(user, alert: Alert, action: str, audit_action: str | None = None, **after) -> Alert:
    target = rules.next_state(alert.state, action)
    if target is None:
        if action == "close":
            raise DomainError("explanation_required", "关闭预警前须先说明情况或完成整改", "explanation")
        raise DomainError(
            "invalid_transition",
            f"当前状态“{rules.STATE_LABELS[alert.state]}”不能{rules.ACTION_LABELS[action]}",
        )
    before = {"state": alert.state}
    alert.state = target
    if target == rules.CLOSED:
        alert.closed_at, alert.closed_by = timezone.now(), user
    alert.save()
    audit.record(
        user,
        audit_action or f"supervision.alert.{action}",
        alert,
        before=before,
        after={"state": target, **after},
        legal_basis=RULES[alert.rule_code].basis if alert.rule_code in RULES else "",
    )
    return alert


@transaction.atomic
def assign(user, alert_id: int, assignee_id: int | None = None) -> Alert:
    """交办 the alert to a supervisor; by default the one responsible for its body."""
    _require_supervisor(user)
    alert = _alert_for(user, alert_id)
    if assignee_id:
        assignee = User.objects.filter(pk=assignee_id, is_active=True).first()
    else:
        assignee = responsible_supervisor(alert)
    if assignee is None or not access.can(assignee, "supervision.handle_alert"):
        raise ValidationError(
            {"assignee": ValidationError("只能交办给执法指导办或监督人员", code="assignee_not_supervisor")}
        )
    alert.assignee = assignee
    return _move(user, alert, "assign", assignee=assignee.pk)


def _may_respond(user, alert: Alert) -> bool:
    return access.can(user, "supervision.respond_alert", alert)


@transaction.atomic
def explain(user, alert_id: int, explanation: str, *, corrected: bool = False) -> Alert:
    """说明情况 (or 整改完毕 with ``corrected``): by a supervisor or the responsible body; the text is
    required either way."""
    alert = _alert_for(user, alert_id)
    access.require(user, "supervision.respond_alert", alert)
    text = (explanation or "").strip()
    if not text:
        raise ValidationError(
            {"explanation": ValidationError("请填写情况说明或整改情况", code="explanation_required")}
        )
    action = "correct" if corrected else "explain"
    if rules.next_state(alert.state, action) is None:
        return _move(user, alert, action)  # raises
    alert.explanation = text
    return _move(user, alert, action, explanation=text)


@transaction.atomic
def send_back(user, alert_id: int, reason: str) -> Alert:
    """退回: the explanation does not satisfy the supervisor; the alert goes back to assigned."""
    _require_supervisor(user)
    alert = _alert_for(user, alert_id)
    if not (reason or "").strip():
        raise ValidationError({"reason": ValidationError("请填写退回理由", code="reason_required")})
    alert.close_requested_by, alert.close_requested_at, alert.close_remark = None, None, ""
    return _move(user, alert, "return", reason=reason.strip())


@transaction.atomic
def close(user, alert_id: int, remark: str = "") -> Alert:
    """关闭: refused unless the alert was explained or corrected. A high-severity alert takes two
    supervisors (four eyes): the first asks to close (the alert stays open, marked as asked), a
    second, different supervisor confirms; the asker cannot confirm his own request."""
    _require_supervisor(user)
    alert = _alert_for(user, alert_id)
    if alert.state in (rules.RAISED, rules.ASSIGNED) or not alert.explanation.strip():
        raise DomainError("explanation_required", "关闭预警前须先说明情况或完成整改", "explanation")
    remark = (remark or "").strip()[:500]
    step = rules.close_step(alert.severity, alert.close_requested_by_id, user.pk)
    if step == "same_person":
        raise DomainError("four_eyes_required", "严重等级预警须由另一名监督人员确认关闭", "closed_by")
    if step == "request":
        alert.close_requested_by, alert.close_requested_at, alert.close_remark = user, timezone.now(), remark
        alert.save(update_fields=["close_requested_by", "close_requested_at", "close_remark"])
        audit.record(
            user,
            "supervision.alert.close_request",
            alert,
            after={"state": alert.state, "remark": remark},
            legal_basis=RULES[alert.rule_code].basis if alert.rule_code in RULES else "",
        )
        return alert
    requested_by = alert.close_requested_by_id
    return _move(
        user, alert, "close", remark=remark, **({"requested_by": requested_by} if requested_by else {})
    )


# ---------------------------------------------------------------------------------------------
# recommendations and circulars
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def send_notice(user, data: dict) -> Notice:
    """执法建议 / 执法通报: only the guidance office sends them, to a body; reply due in working days."""
    from zhifa.core.calendars import district_calendar

    access.require(user, "supervision.send_notice")
    errors = {}
    kind = data.get("kind")
    if kind not in Notice.Kind.values:
        errors["kind"] = ValidationError("请选择执法建议或执法通报", code="invalid_kind")
    to_org = data.get("to_org")
    if not isinstance(to_org, Organization):
        to_org = Organization.objects.filter(pk=to_org).first() if str(to_org or "").isdigit() else None
    if to_org is None:
        errors["to_org"] = ValidationError("请选择接收单位", code="required")
    for name, label in (("title", "标题"), ("body", "正文")):
        if not (data.get(name) or "").strip():
            errors[name] = ValidationError(f"请填写{label}", code="required")
    alert = data.get("alert")
    if alert not in (None, "") and not isinstance(alert, Alert):
        alert = Alert.objects.filter(pk=alert).first() if str(alert).isdigit() else None
        if alert is None:
            errors["alert"] = ValidationError("相关预警不存在", code="alert_not_found")
    days = int(data.get("reply_working_days") or rules.NOTICE_REPLY_WORKING_DAYS)
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    notice = Notice.objects.create(
        kind=kind,
        to_org=to_org,
        title=data["title"].strip(),
        body=data["body"].strip(),
        alert=alert or None,
        sent_by=user,
        sent_at=now,
        reply_due=district_calendar().add_working_days(timezone.localdate(now), days),
    )
    audit.record(
        user,
        "supervision.notice.send",
        notice,
        after={
            "kind": kind,
            "to_org": to_org.pk,
            "title": notice.title,
            "alert": getattr(alert, "pk", None),
            "reply_due": notice.reply_due,
        },
    )
    return notice


def _notice_for_receiver(user, notice_id: int) -> Notice:
    notice = access.get_visible(
        user, Notice.objects.select_for_update(of=("self",)).select_related("to_org"), notice_id
    )
    access.require(user, "supervision.receive_notice", notice)
    return notice


@transaction.atomic
def acknowledge_notice(user, notice_id: int) -> Notice:
    notice = _notice_for_receiver(user, notice_id)
    if notice.state != Notice.State.SENT:
        raise DomainError("already_acknowledged", "该通知已签收")
    notice.state, notice.acknowledged_at, notice.acknowledged_by = (
        Notice.State.ACKNOWLEDGED,
        timezone.now(),
        user,
    )
    notice.save()
    audit.record(user, "supervision.notice.acknowledge", notice, after={"state": notice.state})
    return notice


@transaction.atomic
def reply_notice(user, notice_id: int, reply: str) -> Notice:
    notice = _notice_for_receiver(user, notice_id)
    if notice.state == Notice.State.REPLIED:
        raise DomainError("already_replied", "该通知已回复")
    if not (reply or "").strip():
        raise ValidationError({"reply": ValidationError("请填写回复内容", code="required")})
    now = timezone.now()
    if notice.acknowledged_at is None:
        notice.acknowledged_at, notice.acknowledged_by = now, user
    notice.state, notice.reply, notice.replied_at, notice.replied_by = (
        Notice.State.REPLIED,
        reply.strip(),
        now,
        user,
    )
    notice.save()
    audit.record(
        user,
        "supervision.notice.reply",
        notice,
        after={
            "state": notice.state,
            "reply": notice.reply,
            "late": bool(notice.reply_due and timezone.localdate(now) > notice.reply_due),
        },
    )
    return notice


# ---------------------------------------------------------------------------------------------
# case file review (案卷评查)
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def create_sheet(user, name: str, items: list[dict]) -> ScoreSheet:
    """A new scoring sheet, or the next version of a sheet of that name (a used sheet is frozen)."""
    _require_supervisor(user, "supervision.review_files")
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": ValidationError("请填写评查表名称", code="required")})
    if not items:
        raise ValidationError({"items": ValidationError("请至少设置一个评查项目", code="items_required")})
    for i, item in enumerate(items):
        if not (item.get("text") or "").strip():
            raise ValidationError({"items": ValidationError(f"第{i + 1}项缺少评查内容", code="required")})
        if rules.check_points(item.get("max_points"), 1000) or Decimal(str(item["max_points"])) <= 0:
            raise ValidationError({"items": ValidationError(f"第{i + 1}项分值无效", code="points_invalid")})
    last = ScoreSheet.objects.filter(name=name).order_by("-version").first()
    if last:
        ScoreSheet.objects.filter(name=name).update(is_active=False)
    sheet = ScoreSheet.objects.create(name=name, version=(last.version + 1) if last else 1)
    ScoreItem.objects.bulk_create(
        [
            ScoreItem(
                sheet=sheet,
                order=i + 1,
                category=(it.get("category") or "")[:50],
                text=it["text"].strip()[:300],
                max_points=Decimal(str(it["max_points"])),
                basis=(it.get("basis") or "")[:200],
            )
            for i, it in enumerate(items)
        ]
    )
    audit.record(
        user,
        "supervision.sheet.create",
        sheet,
        after={"name": name, "version": sheet.version, "items": len(items)},
    )
    return sheet


REVIEWABLE_STATES = ("closed", "archived")


@transaction.atomic
def draw_reviews(
    user,
    *,
    sheet_id: int,
    period_start: dt.date,
    period_end: dt.date,
    seed: str = "",
    share: float | None = 0.1,
    per_body: int = 1,
    title: str = "",
    organization_ids: list[int] | None = None,
) -> ReviewBatch:
    """Random selection of closed/archived cases (closing date in the period), stratified by body;
    reproducible from the seed, which is recorded with the population size and the result."""
    import secrets

    from zhifa.cases.models import Case, CaseEvent

    _require_supervisor(user, "supervision.review_files")
    sheet = ScoreSheet.objects.filter(pk=sheet_id).first()
    if sheet is None or not sheet.items.exists():
        raise ValidationError({"sheet": ValidationError("请选择有评查项目的评查表", code="sheet_required")})
    if period_end < period_start:
        raise ValidationError(
            {"period_end": ValidationError("结束日期不能早于开始日期", code="period_invalid")}
        )
    if share is not None and not (0 < share <= 1):
        raise ValidationError({"share": ValidationError("抽取比例须在0到1之间", code="share_invalid")})
    seed = (seed or "").strip() or secrets.token_hex(8)
    closed = CaseEvent.objects.filter(action="close", on__gte=period_start, on__lte=period_end).values(
        "case_id"
    )
    qs = Case.objects.filter(state__in=REVIEWABLE_STATES, pk__in=closed)
    if organization_ids:
        qs = qs.filter(organization_id__in=organization_ids)
    population: dict[int, list[int]] = {}
    for pk, org_id in qs.values_list("pk", "organization_id").iterator(chunk_size=BATCH):
        population.setdefault(org_id, []).append(pk)
    chosen = rules.stratified_sample(population, seed, share=share, per_body=per_body)
    batch = ReviewBatch.objects.create(
        title=(title or f"{period_start:%Y年%m月}—{period_end:%Y年%m月}案卷评查").strip()[:100],
        sheet=sheet,
        seed=seed,
        period_start=period_start,
        period_end=period_end,
        share=Decimal(str(share)) if share else None,
        per_body=per_body,
        population=sum(len(v) for v in population.values()),
        strata={str(org): {"population": len(population[org]), "chosen": ids} for org, ids in chosen.items()},
        created_by=user,
    )
    max_total = sum((i.max_points for i in sheet.items.all()), Decimal(0))
    Review.objects.bulk_create(
        [
            Review(batch=batch, case_id=pk, organization_id=org, max_total=max_total)
            for org, ids in chosen.items()
            for pk in ids
        ]
    )
    if not sheet.frozen:
        sheet.frozen = True
        sheet.save(update_fields=["frozen"])
    audit.record(
        user,
        "supervision.review.draw",
        batch,
        after={
            "seed": seed,
            "population": batch.population,
            "share": share,
            "per_body": per_body,
            "chosen": {str(k): v for k, v in chosen.items()},
            "sheet": sheet.pk,
        },
        legal_basis="行政执法案卷评查：随机抽取已结案案卷",
    )
    return batch


def handled_case(user, case_id: int) -> bool:
    """Whether ``user`` handled the case: their linked officer is one of its officers, or they
    created it or acted on it."""
    from zhifa.cases.models import Case, CaseEvent, CaseOfficer

    if user.officer_id and CaseOfficer.objects.filter(case_id=case_id, officer_id=user.officer_id).exists():
        return True
    return (
        Case.objects.filter(pk=case_id, created_by=user).exists()
        or CaseEvent.objects.filter(case_id=case_id, actor=user).exists()
    )


@transaction.atomic
def assign_reviewer(user, review_id: int, reviewer_id: int) -> Review:
    _require_supervisor(user, "supervision.review_files")
    review = Review.objects.select_for_update().filter(pk=review_id).first()
    if review is None:
        raise NotFound()
    reviewer = User.objects.filter(pk=reviewer_id, is_active=True).first()
    if reviewer is None:
        raise ValidationError({"reviewer": ValidationError("评查人不存在", code="reviewer_not_found")})
    if handled_case(reviewer, review.case_id):
        raise DomainError("reviewer_conflict", "评查人不得评查本人承办的案件", "reviewer")
    review.reviewer = reviewer
    review.save(update_fields=["reviewer"])
    audit.record(
        user, "supervision.review.assign", review, after={"reviewer": reviewer.pk, "case": review.case_id}
    )
    return review


@transaction.atomic
def score_review(user, review_id: int, points: dict, comments: str = "", notes: dict | None = None) -> Review:
    """Score a case file: every item of the sheet within 0..its maximum. Refused for a reviewer
    who handled the case (``reviewer_conflict``) and for anyone but the assigned reviewer."""
    review = (
        Review.objects.select_for_update(of=("self",))
        .select_related("batch__sheet")
        .filter(pk=review_id)
        .first()
    )
    if review is None:
        raise NotFound()
    if handled_case(user, review.case_id):
        raise DomainError("reviewer_conflict", "评查人不得评查本人承办的案件", "reviewer")
    if review.reviewer_id and review.reviewer_id != user.pk:
        raise PermissionDenied("仅指定的评查人可以评分")
    if not review.reviewer_id:
        _require_supervisor(user, "supervision.review_files")
    items = list(review.batch.sheet.items.all())
    notes = notes or {}
    errors, rows, total = {}, [], Decimal(0)
    for item in items:
        value = points.get(item.pk, points.get(str(item.pk)))
        if value in (None, ""):
            errors[f"item_{item.pk}"] = ValidationError(f"请为“{item.text}”评分", code="required")
            continue
        problem = rules.check_points(value, item.max_points)
        if problem:
            errors[f"item_{item.pk}"] = ValidationError(
                f"“{item.text}”得分须在0到{item.max_points}之间", code=problem
            )
            continue
        value = Decimal(str(value))
        total += value
        rows.append(
            ReviewScore(
                review=review,
                item=item,
                points=value,
                note=str(notes.get(item.pk, notes.get(str(item.pk), "")) or "")[:300],
            )
        )
    if errors:
        raise ValidationError(errors)
    before = {"state": review.state, "total": review.total}
    ReviewScore.objects.filter(review=review).delete()
    ReviewScore.objects.bulk_create(rows)
    review.total, review.state, review.scored_at = total, Review.State.SCORED, timezone.now()
    review.comments = (comments or "").strip()
    review.reviewer = review.reviewer or user
    review.save()
    audit.record(
        user,
        "supervision.review.score",
        review,
        before=before,
        after={"state": review.state, "total": total, "points": {str(r.item_id): r.points for r in rows}},
    )
    return review


# ---------------------------------------------------------------------------------------------
# appraisal (四维考评)
# ---------------------------------------------------------------------------------------------


class SchemeInput(Command):
    """A 四维考评 scheme of township staff, as the form, the demo and scripts give it."""

    name: str = Field(title="方案名称", min_length=1, max_length=100)
    dimensions: list[DimensionInput] = Field(title="考评维度", min_length=1, max_length=12)
    targets: dict[str, int] = Field(title="计分标准", default_factory=dict)
    neutral_score: Decimal = Field(
        title="无数据时基准分", default=Decimal(80), ge=0, le=100, decimal_places=1
    )


@transaction.atomic
def create_scheme(user, data: SchemeInput | Mapping[str, Any]) -> AppraisalScheme:
    """A weighted appraisal scheme: weights sum to 100 and the enforcement post weighs ≥ 50%."""
    _require_supervisor(user, "supervision.appraise")
    cmd = parse(SchemeInput, data)
    specs = [
        rules.DimensionSpec(d.name, d.weight, d.enforcement_post, tuple(d.metrics)) for d in cmd.dimensions
    ]
    problem = rules.check_weights(specs)
    if problem:
        raise DomainError(problem[0], problem[1], "dimensions")
    unknown = [k for k in cmd.targets if k not in rules.COUNT_METRICS]
    if unknown:
        raise ValidationError(
            {"targets": ValidationError(f"没有这些计数指标：{'、'.join(unknown)}", code="target_unknown")}
        )
    if any(v <= 0 for v in cmd.targets.values()):
        raise ValidationError({"targets": ValidationError("满分所需数量须大于0", code="target_not_positive")})
    scheme = AppraisalScheme.objects.create(
        name=cmd.name,
        targets=dict(cmd.targets) or dict(rules.DEFAULT_TARGETS),
        neutral_score=cmd.neutral_score,
        created_by=user,
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
        user,
        "supervision.scheme.create",
        scheme,
        after={
            "name": scheme.name,
            "dimensions": [vars(s) | {"metrics": list(s.metrics)} for s in specs],
            "targets": scheme.targets,
            "neutral_score": str(scheme.neutral_score),
        },
        legal_basis="“大综合一体化”乡镇执法人员四维考评：执法岗位考评权重不低于50%",
    )
    return scheme


@transaction.atomic
def compute_appraisal(
    user, scheme_id: int, period_start: dt.date, period_end: dt.date, organization_id: int | None = None
) -> int:
    """Score every township staff member for the period from the platform's data (one aggregate
    query per metric, ``selectors.appraisal_data``) — or, with ``organization_id``, the officers that
    body appraises (a township team its township staff, a department its own officers); replaces
    earlier results of the same period and body."""
    from . import selectors

    if user is not None:
        _require_supervisor(user, "supervision.appraise")
    scheme = (
        AppraisalScheme.objects.filter(pk=scheme_id, level=AppraisalScheme.Level.OFFICER)
        .prefetch_related("dimensions")
        .first()
    )
    if scheme is None:
        raise NotFound()
    if period_end < period_start:
        raise ValidationError(
            {"period_end": ValidationError("结束日期不能早于开始日期", code="period_invalid")}
        )
    specs = [
        rules.DimensionSpec(d.name, d.weight, d.enforcement_post, tuple(d.metrics))
        for d in scheme.dimensions.all()
    ]
    problem = rules.check_weights(specs)
    if problem:
        raise DomainError(problem[0], problem[1], "dimensions")
    body = (
        access.get_visible(user, Organization, organization_id)
        if organization_id and user is not None
        else (Organization.objects.filter(pk=organization_id).first() if organization_id else None)
    )
    staff = selectors.body_staff(body) if body is not None else selectors.township_staff()
    data = selectors.appraisal_data([o.pk for o in staff], period_start, period_end)
    now = timezone.now()
    results = []
    for officer in staff:
        total, dims = rules.appraise(
            specs, data.get(officer.pk, {}), scheme.targets, float(scheme.neutral_score)
        )
        results.append(
            AppraisalResult(
                scheme=scheme,
                officer=officer,
                organization_id=officer.appraising_org_id,
                period_start=period_start,
                period_end=period_end,
                total=Decimal(str(total)),
                dimensions=dims,
                computed_at=now,
            )
        )
    earlier = AppraisalResult.objects.filter(scheme=scheme, period_start=period_start, period_end=period_end)
    if body is not None:
        earlier = earlier.filter(officer_id__in=[o.pk for o in staff])
    earlier.delete()
    AppraisalResult.objects.bulk_create(results, batch_size=2000)
    audit.record(
        user,
        "supervision.appraisal.compute",
        scheme,
        after={
            "period_start": period_start,
            "period_end": period_end,
            "officers": len(results),
            "organization": getattr(body, "pk", None),
        },
    )
    return len(results)
