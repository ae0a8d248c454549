"""Alert rules as code (监督预警规则). Each rule: code, Chinese name, severity, what it looks at,
the article or policy behind it, and ``find(now, ids=None) -> list[Finding]`` — set-based SQL over
the other apps' models (read only). ``watches`` names the model whose changes can change the rule's
findings ("case", "incident" or "" for sweep-only rules); an event run passes the changed ids of
that model as ``ids`` so that only those subjects are examined. Register with ``@register``;
``RULES`` maps code → rule."""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Case as When_
from django.db.models import (
    CharField,
    Count,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Value,
    When,
)
from django.db.models.functions import Cast
from django.utils import timezone

from zhifa.cases.models import FINED_STATES, Case, CaseEvent, CaseOfficer
from zhifa.cases.rules import Action, State
from zhifa.core.models import AuditEvent
from zhifa.dispatch import rules as dispatch_rules
from zhifa.dispatch.models import Incident
from zhifa.inspections.models import InspectionRecord
from zhifa.organizations.models import Certificate, Officer

from . import rules
from .rules import Finding, Severity

Ids = Iterable[int] | None


@dataclass(frozen=True)
class AlertRule:
    code: str
    name: str
    severity: str
    looks_at: str
    basis: str
    find: Callable[..., list[Finding]]
    watches: str = ""


RULES: dict[str, AlertRule] = {}


def register(code: str, name: str, severity: str, looks_at: str, basis: str, watches: str = ""):
    def wrap(fn):
        RULES[code] = AlertRule(code, name, severity, looks_at, basis, fn, watches)
        return fn

    return wrap


def rules_watching(model: str) -> list[AlertRule]:
    return [r for r in RULES.values() if r.watches == model]


def _today(now: dt.datetime) -> dt.date:
    return timezone.localtime(now).date() if timezone.is_aware(now) else now.date()


def _only(qs, ids: Ids, field: str = "pk"):
    return qs if ids is None else qs.filter(**{f"{field}__in": list(ids)})


def _rows(qs, ids: Ids):
    """A full sweep streams its rows in chunks; an event run over a few changed ids reads them at
    once (a server-side cursor held past the commit costs more than the rows themselves)."""
    return qs.iterator(chunk_size=CHUNK) if ids is None else qs


#: Before the decision: the art. 60 clock runs.
PRE_DECISION_STATES = tuple(
    s.value
    for s in (
        State.FILED,
        State.INVESTIGATING,
        State.NOTIFIED,
        State.HEARING,
        State.HEARD,
        State.LEGAL_REVIEW,
        State.DELIBERATION,
    )
)
#: States in which officers have acted on the case (filed onwards).
ACTED_STATES = tuple(s.value for s in State if s not in (State.REGISTERED,))
CHUNK = 5000


# ---------------------------------------------------------------------------------------------
# incidents
# ---------------------------------------------------------------------------------------------


@register(
    "incident_overdue",
    "事件超期未办结",
    Severity.MEDIUM,
    "指挥事件（Incident）",
    "事件闭环处置时限（发现→交办→处置→反馈→考核评价）；超期升级督办",
    watches="incident",
)
def incident_overdue(now: dt.datetime, ids: Ids = None) -> list[Finding]:
    qs = Incident.objects.filter(state__in=sorted(dispatch_rules.OPEN_STATES)).filter(
        Q(overdue=True)
        | Q(escalated=True)
        | Q(state__in=sorted(dispatch_rules.WORKING_STATES), due_at__lt=now)
    )
    qs = _only(qs, ids).values_list("pk", "responsible_org_id", "tracking_code", "due_at", "escalated")
    return [
        Finding(
            "dispatch.Incident",
            pk,
            org_id,
            f"事件{code}已超过办理期限{'并已升级督办' if escalated else ''}",
            {"tracking_code": code, "due_at": due.isoformat() if due else None, "escalated": escalated},
        )
        for pk, org_id, code, due, escalated in _rows(qs, ids)
    ]


#: Incidents due before the end of this many working days from today are "about to pass".
INCIDENT_WARNING_WORKING_DAYS = 1


@register(
    "incident_due_soon",
    "事件即将超期",
    Severity.LOW,
    "办理中且期限将至的指挥事件",
    "事件闭环处置时限：期限届满前提醒承办单位（治未病）",
    watches="incident",
)
def incident_due_soon(now: dt.datetime, ids: Ids = None) -> list[Finding]:
    from zhifa.core.calendars import district_calendar

    qs = Incident.objects.filter(
        state__in=sorted(dispatch_rules.WORKING_STATES), overdue=False, escalated=False, due_at__gte=now
    )
    qs = _only(qs, ids).values_list("pk", "responsible_org_id", "tracking_code", "due_at")
    # An event run reads its few changed rows first and the calendar only if one is running (a
    # new incident is not); a sweep bounds the query by the horizon.
    rows = list(qs) if ids is not None else None
    if rows is not None and not rows:
        return []
    last_day = district_calendar().add_working_days(_today(now), INCIDENT_WARNING_WORKING_DAYS)
    horizon = timezone.make_aware(dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time()))
    if rows is None:
        rows = _rows(qs.filter(due_at__lt=horizon), ids)
    return [
        Finding(
            "dispatch.Incident",
            pk,
            org_id,
            f"事件{code}将于{timezone.localtime(due):%m月%d日 %H:%M}到期，请抓紧办理",
            {
                "tracking_code": code,
                "due_at": due.isoformat(),
                "hours_left": round((due - now).total_seconds() / 3600, 1),
            },
        )
        for pk, org_id, code, due in rows
        if due < horizon
    ]


# ---------------------------------------------------------------------------------------------
# cases: deadlines
# ---------------------------------------------------------------------------------------------


@register(
    "decision_deadline",
    "案件临近或超过决定期限",
    Severity.HIGH,
    "立案后尚未作出决定的案件（Case）",
    "行政处罚法第六十条：自立案之日起九十日内作出行政处罚决定",
    watches="case",
)
def decision_deadline(
    now: dt.datetime, ids: Ids = None, warning_days: int = rules.DECISION_WARNING_DAYS
) -> list[Finding]:
    today = _today(now)
    horizon = today - dt.timedelta(days=rules.DECISION_DAYS - warning_days)
    qs = Case.objects.filter(
        state__in=PRE_DECISION_STATES,
        decision_date__isnull=True,
        filing_date__isnull=False,
        filing_date__lte=horizon,
    )
    qs = _only(qs, ids).values_list("pk", "organization_id", "number", "filing_date", "extensions")
    found = []
    for pk, org_id, number, filed, extensions in _rows(qs, ids):
        due = rules.decision_due(filed, rules.extension_days(extensions))
        left = (due - today).days
        if left > warning_days:
            continue  # an approved extension moved the deadline
        text = f"已超过决定期限{-left}日" if left < 0 else f"距决定期限还有{left}日"
        found.append(
            Finding(
                "cases.Case",
                pk,
                org_id,
                f"案件{number or pk}{text}（期限{due.isoformat()}）",
                {"filing_date": filed.isoformat(), "due": due.isoformat(), "days_left": left},
            )
        )
    return found


#: Case states in which each duty of the authority is still owed (``zhifa.cases.rules``).
_DEADLINE_STATES = {
    "service": (State.DECIDED.value,),
    "hearing_notice": (State.HEARING.value,),
    "payment": (State.SERVED.value, State.PARTLY_PAID.value, State.DEFERRED.value),
}


@register(
    "case_deadline",
    "案件程序期限将至或已过",
    Severity.MEDIUM,
    "已决定未送达、待听证、待缴款的案件",
    "行政处罚法第六十一条（七个工作日内送达）、第六十四条（听证七日前通知）、第六十七条和第七十二条"
    "（十五日内缴纳，逾期加处罚款并依法强制执行）",
    watches="case",
)
def case_deadline(now: dt.datetime, ids: Ids = None) -> list[Finding]:
    """Deadlines of the authority computed by the cases app's own period arithmetic
    (``zhifa.cases.rules``), so this rule and the case page can never disagree."""
    from zhifa.cases import rules as case_rules
    from zhifa.cases.services import case_config

    config = case_config()
    today = _today(now)
    states = sorted({s for group in _DEADLINE_STATES.values() for s in group})
    qs = Case.objects.filter(state__in=states, procedure=case_rules.Procedure.GENERAL.value)
    qs = _only(qs, ids).values_list(
        "pk",
        "organization_id",
        "number",
        "state",
        "decision_date",
        "service_date",
        "hearing_date",
        "hearing_notice_date",
        "decided_fine",
        "amount_paid",
        "extra_facts",
    )
    found = []
    for pk, org_id, number, state, decided, served, hearing, notified, fine, paid, extra in _rows(qs, ids):
        facts = case_rules.CaseFacts(
            decision_date=decided,
            service_date=served,
            deferral_approved=bool((extra or {}).get("deferral_approved")),
            deferred_until=_date((extra or {}).get("deferred_until")),
        )
        due = label = None
        if state in _DEADLINE_STATES["service"] and served is None:
            due, label = case_rules.service_due(facts, config), "送达处罚决定书"
        elif state in _DEADLINE_STATES["hearing_notice"] and hearing and notified is None:
            due, label = (
                config.calendar.add_working_days(hearing, -config.hearing_notice_working_days),
                "通知听证时间地点",
            )
        elif state in _DEADLINE_STATES["payment"] and fine > paid:
            due, label = case_rules.payment_due(facts, config), "缴纳罚款"
        if due is None:
            continue
        left = (due - today).days
        if left > config.warning_days:
            continue
        text = f"{label}已逾期{-left}日" if left < 0 else f"{label}期限还有{left}日"
        found.append(
            Finding(
                "cases.Case",
                pk,
                org_id,
                f"案件{number or pk}{text}（期限{due.isoformat()}）",
                {"deadline": label, "due": due.isoformat(), "days_left": left},
            )
        )
    return found


def _date(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


# ---------------------------------------------------------------------------------------------
# cases: decisions
# ---------------------------------------------------------------------------------------------


@register(
    "fine_below_minimum",
    "罚款低于法定下限且无减轻依据",
    Severity.HIGH,
    "已决定罚款的案件与执法事项罚款下限",
    "行政处罚法第三十二条：减轻处罚须有法定情形",
    watches="case",
)
def fine_below_minimum(now: dt.datetime, ids: Ids = None) -> list[Finding]:
    qs = Case.objects.filter(
        state__in=FINED_STATES,
        decided_fine__gt=0,
        item__fine_min__isnull=False,
        decided_fine__lt=F("item__fine_min"),
    ).filter(Q(extra_facts__mitigation_basis__isnull=True) | Q(extra_facts__mitigation_basis=""))
    qs = _only(qs, ids).values_list("pk", "organization_id", "number", "decided_fine", "item__fine_min")
    return [
        Finding(
            "cases.Case",
            pk,
            org_id,
            f"案件{number or pk}罚款{fine}元低于法定下限{minimum}元，未记录减轻处罚依据",
            {"decided_fine": str(fine), "fine_min": str(minimum)},
        )
        for pk, org_id, number, fine, minimum in _rows(qs, ids)
    ]


#: What the cases app writes into the decision's event note when a fine leaves the recommended range.
DEVIATION_REASON_MARK = "偏离理由"


@register(
    "discretion_deviation",
    "处罚决定偏离裁量基准且无书面理由",
    Severity.HIGH,
    "已决定罚款的案件与立案时施行的裁量基准（各情节的固定金额幅度）",
    "行政处罚法第三十四条；国办发〔2022〕27号：偏离裁量基准须书面说明理由，并经法制审核（行政处罚法第五十八条）",
    watches="case",
)
def discretion_deviation(now: dt.datetime, ids: Ids = None) -> list[Finding]:
    """The fine lies in no circumstance level of the baseline in force at filing, and the decision
    carries no written reason or no passed legal review. Only baselines whose levels are all fixed
    amounts are judged here (multiples of illegal gains need the case's figures)."""
    from zhifa.discretion.models import IN_FORCE, SUPERSEDED, CircumstanceLevel, DiscretionBaseline
    from zhifa.discretion.rules import FIXED, NO_FINE

    in_force = (
        DiscretionBaseline.objects.filter(
            item=OuterRef("item"),
            status__in=(IN_FORCE, SUPERSEDED),
            effective_from__lte=OuterRef("filing_date"),
        )
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=OuterRef("filing_date")))
        .order_by("-effective_from", "-version")
        .values("pk")[:1]
    )
    levels = CircumstanceLevel.objects.filter(baseline=OuterRef("baseline_id"))
    fits = levels.filter(
        range_kind=FIXED, range_low__lte=OuterRef("decided_fine"), range_high__gte=OuterRef("decided_fine")
    )
    not_fixed = levels.exclude(range_kind__in=(FIXED, NO_FINE))
    reasoned = CaseEvent.objects.filter(
        case=OuterRef("pk"),
        action__in=(Action.DECIDE.value, Action.DECIDE_ON_SPOT.value),
        note__contains=DEVIATION_REASON_MARK,
    )
    qs = (
        Case.objects.filter(state__in=FINED_STATES, decided_fine__gt=0, filing_date__isnull=False)
        .annotate(baseline_id=in_force)
        .filter(baseline_id__isnull=False)
        .filter(~Exists(fits), ~Exists(not_fixed))
        .annotate(reasoned=Exists(reasoned))
        .filter(Q(reasoned=False) | Q(legal_review_passed=False))
    )
    qs = _only(qs, ids).values_list(
        "pk", "organization_id", "number", "decided_fine", "baseline_id", "reasoned"
    )
    return [
        Finding(
            "cases.Case",
            pk,
            org_id,
            f"案件{number or pk}罚款{fine}元不在裁量基准任一情节幅度内，"
            + ("虽有书面理由但未经法制审核" if reasoned else "且无书面偏离理由"),
            {"decided_fine": str(fine), "baseline_id": baseline, "reasoned": reasoned},
        )
        for pk, org_id, number, fine, baseline, reasoned in _rows(qs, ids)
    ]


@register(
    "duplicate_fine",
    "同一违法行为重复罚款",
    Severity.HIGH,
    "违法行为标识（act_key）相同的已罚款案件",
    "行政处罚法第二十九条：同一个违法行为不得给予两次以上罚款",
    watches="case",
)
def duplicate_fine(now: dt.datetime, ids: Ids = None) -> list[Finding]:
    earlier = Case.objects.filter(
        act_key=OuterRef("act_key"), state__in=FINED_STATES, decided_fine__gt=0, pk__lt=OuterRef("pk")
    )
    qs = Case.objects.filter(state__in=FINED_STATES, decided_fine__gt=0).filter(Exists(earlier))
    qs = _only(qs, ids).values_list("pk", "organization_id", "number", "act_key")
    return [
        Finding(
            "cases.Case",
            pk,
            org_id,
            f"案件{number or pk}与先前案件为同一违法行为，重复罚款",
            {"act_key": key},
        )
        for pk, org_id, number, key in _rows(qs, ids)
    ]


# ---------------------------------------------------------------------------------------------
# cases: officers
# ---------------------------------------------------------------------------------------------


@register(
    "officer_uncertified",
    "执法人员办案时无有效执法证",
    Severity.HIGH,
    "案件承办人员（CaseOfficer）与执法证",
    "行政处罚法第四十二条、第五十五条：执法人员应当持有执法证件",
    watches="case",
)
def officer_uncertified(now: dt.datetime, ids: Ids = None) -> list[Finding]:
    # Valid when the case was filed and when it was decided (or today, while undecided): a
    # renewal in between is two certificates and still counts as certified.
    end = When_(
        When(case__decision_date__isnull=False, then=F("case__decision_date")),
        When(case__state__in=PRE_DECISION_STATES, then=Value(_today(now))),
        default=F("case__filing_date"),
    )
    active = Certificate.objects.filter(officer=OuterRef("officer"), status=Certificate.Status.ACTIVE)
    valid_at_start = active.filter(
        valid_from__lte=OuterRef("case__filing_date"), valid_to__gte=OuterRef("case__filing_date")
    )
    valid_at_end = active.filter(valid_from__lte=OuterRef("end"), valid_to__gte=OuterRef("end"))
    qs = (
        CaseOfficer.objects.filter(
            assisting=False,
            officer__kind=Officer.Kind.ENFORCEMENT,
            case__state__in=ACTED_STATES,
            case__filing_date__isnull=False,
        )
        .annotate(end=end)
        .filter(~Exists(valid_at_start) | ~Exists(valid_at_end))
    )
    qs = _only(qs, ids, "case_id").values_list(
        "pk", "case_id", "case__organization_id", "case__number", "officer_id", "officer__name"
    )
    return [
        Finding(
            "cases.CaseOfficer",
            pk,
            org_id,
            f"案件{number or case_id}的执法人员{name}在办案期间无有效执法证",
            {"case_id": case_id, "officer_id": officer_id},
        )
        for pk, case_id, org_id, number, officer_id, name in _rows(qs, ids)
    ]


@register(
    "officer_alone",
    "执法人员少于两人",
    Severity.HIGH,
    "案件承办人员人数",
    "行政处罚法第四十二条：执法人员不得少于两人",
    watches="case",
)
def officer_alone(now: dt.datetime, ids: Ids = None) -> list[Finding]:
    counted = Q(case_officers__assisting=False, case_officers__officer__kind=Officer.Kind.ENFORCEMENT)
    qs = (
        Case.objects.filter(state__in=ACTED_STATES)
        .annotate(n=Count("case_officers", filter=counted))
        .filter(n__lt=rules.MIN_OFFICERS)
    )
    qs = _only(qs, ids).values_list("pk", "organization_id", "number", "n")
    return [
        Finding("cases.Case", pk, org_id, f"案件{number or pk}仅有{n}名执法人员", {"officers": n})
        for pk, org_id, number, n in _rows(qs, ids)
    ]


OUTLIER_CONFIG = rules.OutlierConfig()


@register(
    "no_penalty_outlier",
    "执法人员不予处罚比例明显高于同单位",
    Severity.MEDIUM,
    "近一年主办案件中不予处罚的比例（与同一执法主体的其他执法人员比较）",
    "行政处罚法第三十三条（不予处罚限于法定情形）；国办发〔2022〕27号（防止裁量畸轻畸重）",
)
def no_penalty_outlier(
    now: dt.datetime, ids: Ids = None, config: rules.OutlierConfig = OUTLIER_CONFIG
) -> list[Finding]:
    """One aggregate query (lead officer × body: concluded cases, no-penalty outcomes), then a
    leave-one-out comparison in ``rules.share_outliers``."""
    since = _today(now) - dt.timedelta(days=config.lookback_days)
    concluded = [
        s.value
        for s in State
        if s
        not in (
            State.REGISTERED,
            *(State(x) for x in PRE_DECISION_STATES),
            State.FILING_REVOKED,
            State.TRANSFERRED,
            State.REFERRED,
        )
    ]
    no_penalty_event = CaseEvent.objects.filter(
        case=OuterRef("case_id"), action=Action.DECIDE_NO_PENALTY.value
    )
    rows = (
        CaseOfficer.objects.filter(
            role=CaseOfficer.Role.LEAD, case__state__in=concluded, case__filing_date__gte=since
        )
        .annotate(np=Exists(no_penalty_event))
        .values("officer_id", "case__organization_id")
        .annotate(
            total=Count("case_id", distinct=True),
            no_penalty=Count(
                "case_id", distinct=True, filter=Q(np=True) | Q(case__state=State.NO_PENALTY.value)
            ),
        )
    )
    data = [
        rules.OutlierRow(r["officer_id"], r["case__organization_id"], r["total"], r["no_penalty"])
        for r in rows
    ]
    flagged = rules.share_outliers(data, config)
    if ids is not None:
        wanted = set(ids)
        flagged = [(row, d) for row, d in flagged if row.key in wanted]
    names = dict(Officer.objects.filter(pk__in=[row.key for row, _ in flagged]).values_list("pk", "name"))
    return [
        Finding(
            "organizations.Officer",
            row.key,
            row.group,
            f"执法人员{names.get(row.key, row.key)}近一年主办{row.total}件中不予处罚{row.no_penalty}件"
            f"（{d['share']:.0%}），同单位其他人员为{d['peer_share']:.0%}",
            d,
        )
        for row, d in flagged
    ]


# ---------------------------------------------------------------------------------------------
# cases: after the decision
# ---------------------------------------------------------------------------------------------

#: What may still happen to a case after its decision: service, payment, execution, remedies,
#: documents, closing and archiving. Anything else recorded on the case is an edit after the fact.
POST_DECISION_ACTIONS = frozenset(
    {
        f"case.{a.value}"
        for a in (
            Action.SERVE,
            Action.PAY,
            Action.PAY_PART,
            Action.DEFER,
            Action.COLLECT_ON_SPOT,
            Action.DEMAND_PAYMENT,
            Action.APPLY_TO_COURT,
            Action.REFER_CRIMINAL,
            Action.CLOSE,
            Action.ARCHIVE,
            Action.DECIDE,
            Action.DECIDE_ON_SPOT,
            Action.DECIDE_NO_PENALTY,
        )
    }
    | {"case.record_remedy", "case.issue_document", "case.record_payment"}
)


@register(
    "edited_after_decision",
    "决定作出后修改案件",
    Severity.HIGH,
    "案件的留痕记录（AuditEvent）",
    "行政处罚法第四十七条（全过程记录）、第五十九条（决定书载明的事实和证据）：决定作出后不得补证、改动案卷",
    watches="case",
)
def edited_after_decision(now: dt.datetime, ids: Ids = None) -> list[Finding]:
    """Audit events on a decided case, dated after the decision day (Asia/Shanghai), whose action
    is not one of ``POST_DECISION_ACTIONS`` — e.g. evidence added or officers changed afterwards.
    One indexed lookup per decided case (``AuditEvent(object_type, object_id)``)."""
    late = AuditEvent.objects.filter(
        object_type="cases.Case",
        object_id=Cast(OuterRef("pk"), CharField()),
        at__date__gt=OuterRef("decision_date"),
    ).exclude(action__in=sorted(POST_DECISION_ACTIONS))
    qs = _only(Case.objects.filter(decision_date__isnull=False), ids).filter(Exists(late))
    cases = {
        pk: (org, number, decided)
        for pk, org, number, decided in _rows(
            qs.values_list("pk", "organization_id", "number", "decision_date"), ids
        )
    }
    edits: dict[int, list[tuple[str, dt.datetime]]] = {}
    keys = [str(pk) for pk in cases]
    for i in range(0, len(keys), CHUNK):
        rows = (
            AuditEvent.objects.filter(object_type="cases.Case", object_id__in=keys[i : i + CHUNK])
            .exclude(action__in=sorted(POST_DECISION_ACTIONS))
            .values_list("object_id", "action", "at")
        )
        for object_id, action, at in rows:
            pk = int(object_id)
            if timezone.localtime(at).date() > cases[pk][2]:
                edits.setdefault(pk, []).append((action, at))
    out = []
    for pk, found in edits.items():
        org, number, decided = cases[pk]
        actions = sorted({a for a, _ in found})
        out.append(
            Finding(
                "cases.Case",
                pk,
                org,
                f"案件{number or pk}在{decided.isoformat()}作出决定后仍有{len(found)}次修改（{'、'.join(actions)}）",
                {
                    "decision_date": decided.isoformat(),
                    "actions": actions,
                    "last_at": max(at for _, at in found).isoformat(),
                },
            )
        )
    return out


@register(
    "closed_unpaid",
    "罚款未缴清即结案",
    Severity.MEDIUM,
    "已结案/归档且罚款未缴清的案件",
    "行政处罚法第六十七条、第七十二条：罚款应当缴纳，逾期不缴纳的依法强制执行",
    watches="case",
)
def closed_unpaid(now: dt.datetime, ids: Ids = None) -> list[Finding]:
    executed = CaseEvent.objects.filter(
        case=OuterRef("pk"), action__in=(Action.DEMAND_PAYMENT, Action.APPLY_TO_COURT)
    )
    qs = Case.objects.filter(
        state__in=[State.CLOSED.value, State.ARCHIVED.value],
        decided_fine__gt=0,
        amount_paid__lt=F("decided_fine"),
    ).filter(~Exists(executed))
    qs = _only(qs, ids).values_list("pk", "organization_id", "number", "decided_fine", "amount_paid")
    return [
        Finding(
            "cases.Case",
            pk,
            org_id,
            f"案件{number or pk}罚款{fine}元仅缴纳{paid}元即结案，且无强制执行记录",
            {"decided_fine": str(fine), "amount_paid": str(paid)},
        )
        for pk, org_id, number, fine, paid in _rows(qs, ids)
    ]


# ---------------------------------------------------------------------------------------------
# inspections
# ---------------------------------------------------------------------------------------------

REPEATED_INSPECTION_DAYS = 30


@register(
    "repeated_inspection",
    "多部门重复检查",
    Severity.MEDIUM,
    "同一监管对象30日内不同部门的检查记录",
    "“综合查一次”（进一次门、查多项事）：多部门30日内分别入企检查应纳入联合检查",
)
def repeated_inspection(
    now: dt.datetime, ids: Ids = None, days: int = REPEATED_INSPECTION_DAYS
) -> list[Finding]:
    """Parties with an inspection record in the last ``days`` days and another record by a different
    department within ``days`` of it. A joint inspection holds one record, so two records are two
    trips. ``ids`` restricts to parties."""
    window = dt.timedelta(days=days)
    recent = InspectionRecord.objects.filter(started_at__gte=now - window, started_at__lte=now)
    other = InspectionRecord.objects.filter(
        party=OuterRef("party"),
        started_at__gte=ExpressionWrapper(
            OuterRef("started_at") - Value(window), output_field=DateTimeField()
        ),
        started_at__lte=ExpressionWrapper(
            OuterRef("started_at") + Value(window), output_field=DateTimeField()
        ),
    ).exclude(department=OuterRef("department"))
    qs = (
        _only(recent, ids, "party_id")
        .filter(Exists(other))
        .values("party_id", "party__name", "party__township_id")
        .annotate(departments=Count("department", distinct=True), records=Count("pk"))
        .order_by("party_id")
    )
    return [
        Finding(
            "parties.Party",
            r["party_id"],
            None,
            f"{r['party__name']}近{days}日内被{r['departments']}个以上部门分别入企检查，未纳入“综合查一次”",
            {
                "departments": r["departments"],
                "records": r["records"],
                "township_id": r["party__township_id"],
            },
        )
        for r in _rows(qs, ids)
    ]
