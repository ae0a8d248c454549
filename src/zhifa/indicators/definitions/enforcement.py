"""Indicators of case handling (办案): 处罚决定按时公开率 (三项制度), 行政复议纠错率 and 行政诉讼败诉率,
首违不罚 and 轻微免罚 shares (行政处罚法 art. 33), 非诉执行 (行政强制法 art. 53), 平均办案时效
(art. 60), 办案全程网办率 and 线上法制审核率 (art. 58; 浙江省综合行政执法条例 art. 23, 24).

A case is *concluded* in a period when its decision (penalty or no penalty) is dated in it.
Remedies are read in one place, ``remedy_outcomes``: today the cases app records them as
``RemedyOutcome`` rows; when it records reconsideration and litigation as records of their own,
only that function changes.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Case as When_
from django.db.models import DateTimeField, Exists, F, OuterRef, Q, Value, When
from django.urls import reverse
from django.utils import timezone

from zhifa.cases.models import FINED_STATES, Case, CaseEvent, Document, RemedyOutcome
from zhifa.cases.rules import NoPenaltyGround, Procedure, State
from zhifa.core.calendars import district_calendar

from ..models import PublicationLimit
from .base import AVERAGE, COUNT, RATE, Column, DaysBetween, Indicator

GROUP_CASES = "规范办案"
GROUP_ONLINE = "平台运行"
PLAN_ONLINE = "实现行政检查和处罚办案全程网办、 自动留痕"
PLAN_LEGAL_REVIEW = "形成全覆盖全流程在线审核指导服务体系"
PLAN_FLEXIBLE = "推广轻微违法行为首违免罚、告知承诺制等柔性执法方式"
PLAN_REMEDIES = "集成行政检查、行政处罚、行刑衔接、行政复议、行政诉讼、执法监督等执法全流程要素"
PLAN_PUBLIC = "监管执法工作执行和结果公开"
#: 国办发〔2018〕118号: penalty decisions are published within 7 working days of the decision,
#: unless the department set its own limit (``PublicationLimit``; LAW.md, 三项制度).
NATIONAL_PUBLICATION_WORKING_DAYS = 7
CONCLUDED_STATES = (*FINED_STATES, State.NO_PENALTY.value)
DECISION_DOCUMENTS = (
    Document.Kind.DECISION,
    Document.Kind.SUMMARY_DECISION,
    Document.Kind.NO_PENALTY_DECISION,
)
#: Remedy results that correct the body (撤销、变更、确认违法).
CORRECTED = (
    RemedyOutcome.Outcome.CHANGED,
    RemedyOutcome.Outcome.REVOKED,
    RemedyOutcome.Outcome.CONFIRMED_ILLEGAL,
)


def _case_link(case) -> str:
    return reverse("cases:detail", args=[case.pk])


CASE_COLUMNS = (
    Column("案件编号", lambda r: r.number or f"案件{r.pk}"),
    Column("办案机关", lambda r: r.organization.name),
    Column("当事人", lambda r: r.party.name),
    Column("事项", lambda r: r.item.name),
    Column("状态", lambda r: r.state_label),
    Column("立案日期", lambda r: r.filing_date or ""),
    Column("决定日期", lambda r: r.decision_date or ""),
)


def cases(scope):
    return (
        scope.filter(Case.objects.all(), "organization")
        .select_related("organization", "party", "item")
        .order_by("-decision_date", "-pk")
    )


def concluded_cases(scope, period):
    """Cases whose decision — a penalty or no penalty — is dated in the period."""
    return cases(scope).filter(period.dates("decision_date"), state__in=CONCLUDED_STATES)


def penalty_decisions(scope, period):
    """Penalty decisions dated in the period."""
    return cases(scope).filter(period.dates("decision_date"), state__in=FINED_STATES)


def publication_deadline(scope, period):
    """Per decision, the first instant after its publication time limit — 7 working days from the
    decision (国办发〔2018〕118号), or its department's own limit (``PublicationLimit``, the deepest
    one over the deciding body) — as a SQL ``CASE`` over the decision dates of the period."""
    days = sorted(
        set(penalty_decisions(scope, period).order_by().values_list("decision_date", flat=True).distinct())
    )
    limits = sorted(
        PublicationLimit.objects.values_list("organization__path", "working_days"),
        key=lambda row: -len(row[0]),
    )
    calendar = district_calendar()

    def before(day: dt.date, n: int) -> dt.datetime:
        last = calendar.add_working_days(day, n)
        return timezone.make_aware(dt.datetime.combine(last + dt.timedelta(days=1), dt.time()))

    whens = [
        When(decision_date=day, organization__path__startswith=path, then=Value(before(day, n)))
        for path, n in limits
        for day in days
    ]
    whens += [
        When(decision_date=day, then=Value(before(day, NATIONAL_PUBLICATION_WORKING_DAYS))) for day in days
    ]
    return When_(*whens, default=Value(None), output_field=DateTimeField())


def published_in_time(scope, period) -> Q:
    """Published on the portal before the decision's time limit ran out (a later withdrawal under
    art. 48 para 2 does not undo a publication made in time)."""
    return Q(publication__published_at__lt=publication_deadline(scope, period))


def remedy_outcomes(scope, period, kind: str):
    """The decided remedies of ``kind`` (reconsideration / litigation) dated in the period: the
    one place remedies are read (today ``cases.RemedyOutcome``). 审结 = any result but pending."""
    qs = RemedyOutcome.objects.filter(
        kind=kind, decided_on__gte=period.start, decided_on__lte=period.end
    ).exclude(outcome=RemedyOutcome.Outcome.PENDING)
    return (
        scope.filter(qs, "case__organization")
        .select_related("case__organization")
        .order_by("-decided_on", "-pk")
    )


REMEDY_COLUMNS = (
    Column("案件编号", lambda r: r.case.number or f"案件{r.case_id}"),
    Column("办案机关", lambda r: r.case.organization.name),
    Column("救济途径", lambda r: r.get_kind_display()),
    Column("申请/起诉日期", lambda r: r.filed_on),
    Column("结果", lambda r: r.get_outcome_display()),
    Column("决定/裁判日期", lambda r: r.decided_on or ""),
)


def decided_online() -> Q:
    """The decision document (处罚、当场处罚或不予处罚决定书) was issued on the platform."""
    return Q(Exists(Document.objects.filter(case=OuterRef("pk"), kind__in=DECISION_DOCUMENTS)))


def general_concluded(scope, period):
    return concluded_cases(scope, period).filter(procedure=Procedure.GENERAL.value)


def reviewed_cases(scope, period):
    """Concluded cases that went through legal review (art. 58): flagged as passed, or submitted on
    the platform."""
    submitted = CaseEvent.objects.filter(case=OuterRef("pk"), action="submit_legal_review")
    return concluded_cases(scope, period).filter(Q(legal_review_passed=True) | Q(Exists(submitted)))


def ground(value: NoPenaltyGround) -> Q:
    """Not penalised on this ground. An ``EXISTS`` (never NULL), so that its negation — the rows not
    counted — keeps the cases whose facts have no ground at all."""
    return Q(
        Exists(
            Case.objects.filter(
                pk=OuterRef("pk"), state__in=CONCLUDED_STATES, extra_facts__no_penalty_ground=value.value
            )
        )
    )


def decided_cases_by(scope, period):
    """Cases with a penalty decided on or before the period's end (those a court could enforce)."""
    return cases(scope).filter(state__in=FINED_STATES, decision_date__lte=period.end)


def applied_to_court(scope, period) -> Q:
    return Q(
        Exists(
            CaseEvent.objects.filter(
                case=OuterRef("pk"), action="apply_to_court", on__gte=period.start, on__lte=period.end
            )
        )
    )


INDICATORS = (
    Indicator(
        key="decision_publication_rate",
        name="处罚决定按时公开率",
        group=GROUP_CASES,
        kind=RATE,
        unit="%",
        source="方案 三（六）2；国办发〔2018〕118号",
        quote=PLAN_PUBLIC,
        definition="期内作出的行政处罚决定中，在法定时限内（自决定之日起7个工作日；部门另有规定的从其规定）"
        "在公众门户公开的比例。",
        numerator="公开时间不晚于时限最后一日的处罚决定",
        denominator="决定日期在期内的行政处罚决定",
        population=penalty_decisions,
        counted=published_in_time,
        columns=CASE_COLUMNS,
        counted_title="按时公开的处罚决定",
        missed_title="未公开或逾期公开的处罚决定",
        target=None,
        link=_case_link,
        note="《行政处罚法》第四十八条只要求公开“具有一定社会影响”的决定；平台尚未记录哪些决定不具社会影响，"
        "故全部处罚决定计入分母。",
    ),
    Indicator(
        key="reconsideration_correction_rate",
        name="行政复议纠错率",
        group=GROUP_CASES,
        kind=RATE,
        unit="%",
        source="方案 三（三）2",
        quote=PLAN_REMEDIES,
        definition="期内审结的行政复议中，复议机关撤销、变更或确认违法（纠错）的比例。",
        numerator="结果为撤销、变更或确认违法的行政复议",
        denominator="期内有结果（审理中除外）的行政复议",
        population=lambda s, p: remedy_outcomes(s, p, RemedyOutcome.Kind.RECONSIDERATION),
        counted=lambda s, p: Q(outcome__in=CORRECTED),
        columns=REMEDY_COLUMNS,
        counted_title="被纠错的行政复议",
        missed_title="维持或驳回、撤回的行政复议",
        note="读取案件模块当前记录的救济结果（RemedyOutcome）；案件模块另建复议、诉讼记录后只需改 remedy_outcomes。",
    ),
    Indicator(
        key="litigation_loss_rate",
        name="行政诉讼败诉率",
        group=GROUP_CASES,
        kind=RATE,
        unit="%",
        source="方案 三（三）2",
        quote=PLAN_REMEDIES,
        definition="期内审结的行政诉讼中，法院判决撤销、变更或确认违法（行政机关败诉）的比例。",
        numerator="结果为撤销、变更或确认违法的行政诉讼",
        denominator="期内有结果（审理中除外）的行政诉讼",
        population=lambda s, p: remedy_outcomes(s, p, RemedyOutcome.Kind.LITIGATION),
        counted=lambda s, p: Q(outcome__in=CORRECTED),
        columns=REMEDY_COLUMNS,
        counted_title="败诉的行政诉讼",
        missed_title="胜诉或撤诉、驳回的行政诉讼",
        note="同上：读取 RemedyOutcome。",
    ),
    Indicator(
        key="first_offence_share",
        name="首违不罚占比",
        group=GROUP_CASES,
        kind=RATE,
        unit="%",
        source="方案 三（四）2；《行政处罚法》第三十三条第一款",
        quote=PLAN_FLEXIBLE,
        definition="期内办结（作出处罚或不予处罚决定）的案件中，以“初次违法且危害后果轻微并及时改正”不予处罚的比例。",
        numerator="不予处罚情形为首违不罚的案件",
        denominator="期内作出决定（含不予处罚）的案件",
        population=concluded_cases,
        counted=lambda s, p: ground(NoPenaltyGround.FIRST_OFFENCE),
        columns=CASE_COLUMNS,
        counted_title="首违不罚的案件",
        missed_title="其他案件",
        link=_case_link,
    ),
    Indicator(
        key="minor_exempt_share",
        name="轻微免罚占比",
        group=GROUP_CASES,
        kind=RATE,
        unit="%",
        source="方案 三（四）2；《行政处罚法》第三十三条第一款",
        quote=PLAN_FLEXIBLE,
        definition="期内办结的案件中，以“违法行为轻微并及时改正，没有造成危害后果”不予处罚的比例。",
        numerator="不予处罚情形为轻微免罚的案件",
        denominator="期内作出决定（含不予处罚）的案件",
        population=concluded_cases,
        counted=lambda s, p: ground(NoPenaltyGround.MINOR_CORRECTED_NO_HARM),
        columns=CASE_COLUMNS,
        counted_title="轻微免罚的案件",
        missed_title="其他案件",
        link=_case_link,
    ),
    Indicator(
        key="court_enforcement_count",
        name="非诉执行案件数",
        group=GROUP_CASES,
        kind=COUNT,
        unit="件",
        source="《行政强制法》第五十三条",
        quote="",
        definition="期内向人民法院申请强制执行（非诉执行）的案件数。",
        numerator="期内有“申请人民法院强制执行”办理记录的案件",
        denominator="截至期末已作出处罚决定的案件",
        population=decided_cases_by,
        counted=applied_to_court,
        columns=CASE_COLUMNS,
        counted_title="期内申请法院强制执行的案件",
        missed_title="期内未申请法院强制执行的已决定案件",
        link=_case_link,
    ),
    Indicator(
        key="average_handling_days",
        name="平均办案时效",
        group=GROUP_CASES,
        kind=AVERAGE,
        unit="天",
        source="《行政处罚法》第六十条",
        quote="",
        definition="期内作出决定的普通程序案件，自立案至作出决定的平均自然日数（法定期限为九十日，依法延长的除外）。",
        numerator="有立案日期的普通程序办结案件：决定日期 − 立案日期 的平均值",
        denominator="期内作出决定的普通程序案件",
        population=general_concluded,
        counted=lambda s, p: Q(filing_date__isnull=False),
        columns=CASE_COLUMNS,
        counted_title="计入平均办案时效的案件",
        missed_title="缺立案日期、未计入的案件",
        average=lambda: DaysBetween(F("filing_date"), F("decision_date")),
        link=_case_link,
    ),
    Indicator(
        key="online_cases_rate",
        name="处罚办案全程网办率",
        group=GROUP_ONLINE,
        kind=RATE,
        unit="%",
        source="方案 二（一）三",
        quote=PLAN_ONLINE,
        definition="期内作出决定（含不予处罚）的案件中，决定书在平台出具的比例。平台的办案流程拒绝未经立案、调查、告知等"
        "在线环节作出决定，故决定书在平台出具即表明办案各环节均在平台完成。",
        numerator="决定书（处罚、当场处罚或不予处罚决定书）由平台出具的案件",
        denominator="期内作出决定（含不予处罚）的案件",
        population=concluded_cases,
        counted=lambda s, p: decided_online(),
        columns=CASE_COLUMNS,
        counted_title="全程网办的案件",
        missed_title="决定书未在平台出具的案件",
        target=Decimal("1"),
        link=_case_link,
    ),
    Indicator(
        key="online_legal_review_rate",
        name="线上法制审核率",
        group=GROUP_ONLINE,
        kind=RATE,
        unit="%",
        source="方案 三（五）2；《行政处罚法》第五十八条",
        quote=PLAN_LEGAL_REVIEW,
        definition="期内办结且经过法制审核的案件中，法制审核环节在平台办理（有“提交法制审核”办理记录）的比例。",
        numerator="有平台法制审核办理记录的案件",
        denominator="期内办结、标记法制审核通过或在平台提交过法制审核的案件",
        population=reviewed_cases,
        counted=lambda s, p: Q(
            Exists(CaseEvent.objects.filter(case=OuterRef("pk"), action="submit_legal_review"))
        ),
        columns=CASE_COLUMNS,
        counted_title="在线法制审核的案件",
        missed_title="法制审核未在平台留痕的案件",
        target=Decimal("1"),
        link=_case_link,
        note="案件模块尚未单独记录审核意见；目前以“提交法制审核”办理记录判断审核在线进行，审核记录上线后改读审核记录。",
    ),
)
