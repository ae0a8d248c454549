"""Numbers that are data rather than law (hearing thresholds of 行政处罚法第六十三条, the statement
period of 第四十五条…), with the statutory defaults where the law fixes them (第五十一条、第六十七条、第八十五条)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from zhifa.core.workdays import WorkdayCalendar, default_calendar

from .citations import Ref
from .vocabulary import PenaltyKind


def _money(value: Any) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


@dataclass(frozen=True)
class HearingThresholds:
    """ "较大数额" for art. 63 para 1 items 1–2, set by each province or department.

    Amounts are inclusive ("…元以上" includes the amount). Confiscation thresholds default to the
    fine thresholds, as most provincial rules do ("等值").
    """

    citizen_fine: Decimal
    organization_fine: Decimal
    citizen_confiscation: Decimal | None = None
    organization_confiscation: Decimal | None = None
    source: str = ""

    def __post_init__(self) -> None:
        for name in (
            "citizen_fine",
            "organization_fine",
            "citizen_confiscation",
            "organization_confiscation",
        ):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, _money(value))


@dataclass(frozen=True)
class SummaryLimits:
    """Art. 51: a fine of 200 yuan *or less* (二百元以下) for a citizen, 3,000 yuan or less for a
    legal person or other organisation, or a warning. "以下" includes the amount itself, so 200
    and 3,000 are allowed. "法律另有规定的，从其规定" — override per law."""

    citizen: Decimal = Decimal("200")
    organization: Decimal = Decimal("3000")


# Art. 63 para 1 items 3–4: types that always give the right to a hearing. 限制开展生产经营活动 is not
# named in art. 63 but is a 行为罚 between 降低资质 and 责令停产停业; listed here as "其他较重的行政
# 处罚" (item 5) on the safe side. 暂扣许可证件 is not listed (a caller may add it).
DEFAULT_HEARING_KINDS = frozenset(
    {
        PenaltyKind.LOWER_QUALIFICATION,
        PenaltyKind.REVOKE_LICENCE,
        PenaltyKind.RESTRICT_BUSINESS,
        PenaltyKind.SUSPEND_PRODUCTION,
        PenaltyKind.ORDER_CLOSURE,
        PenaltyKind.RESTRICT_PRACTICE,
    }
)


@dataclass(frozen=True)
class CaseConfig:
    """Numbers that are data rather than law, with the statutory defaults where the law fixes them."""

    #: None → every fine or confiscation counts as "较大数额" (safe side: never denies a hearing).
    hearing_thresholds: HearingThresholds | None = None
    hearing_kinds: frozenset[PenaltyKind] = DEFAULT_HEARING_KINDS
    summary_limits: SummaryLimits = SummaryLimits()
    individual_business_as_citizen: bool = True
    #: Art. 42: "执法人员不得少于两人，法律另有规定的除外".
    min_officers: int = 2
    #: Summary procedure: art. 42 applies too; some laws allow one officer (override here).
    min_officers_summary: int = 2
    #: Art. 45 fixes no period for statement and defence; 3 working days is common practice
    #: (some department rules use 5). Configurable; the notice may grant longer (defence_deadline).
    defence_period_working_days: int = 3
    #: Art. 64 item 1 + art. 85: within 5 (working) days after the notice.
    hearing_request_working_days: int = 5
    #: Art. 64 item 2 + art. 85: the party is told 7 (working) days before the hearing.
    hearing_notice_working_days: int = 7
    #: Art. 61 + art. 85: service within 7 (working) days when the party was absent.
    service_working_days: int = 7
    #: Art. 67: pay within 15 days of receiving the decision — calendar days (art. 85 lists only 2/3/5/7).
    payment_days: int = 15
    #: Art. 68 item 1: on-the-spot collection of fines of 100 yuan or less (一百元以下, inclusive).
    on_spot_collection_limit: Decimal = Decimal("100")
    #: Art. 71 + art. 85: fines collected on the spot are handed in within 2 (working) days.
    hand_in_working_days: int = 2
    #: Art. 60: decision within 90 days of filing (calendar days), extensions as the law allows.
    decision_days: int = 90
    #: Art. 36: 2 years; 5 years where life, health or financial security are involved with harm.
    limitation_years: int = 2
    limitation_years_serious: int = 5
    #: Art. 72 item 1: 3% of the fine per day; art. 72 says the authority "可以" impose it.
    late_surcharge_rate: Decimal = Decimal("0.03")
    impose_late_surcharge: bool = True
    #: 行政强制法 art. 54 + art. 69: the demand must have been served 10 (working) days.
    demand_wait_working_days: int = 10
    #: 行政强制法 art. 53: apply to the court within 3 months after the remedy periods expire.
    court_application_months: int = 3
    #: 行政复议法 (2023) art. 20: 60 days; 行政诉讼法 art. 46: 6 months.
    reconsideration_days: int = 60
    litigation_months: int = 6
    #: Not in 行政处罚法. 市场监督管理行政处罚程序规定 第十八条: 15 working days from discovering
    #: the lead, +15 with approval. Data — a late filing is flagged, never refused.
    filing_period_working_days: int = 15
    filing_period_basis: Ref = Ref(18, law="市场监督管理行政处罚程序规定")
    #: Deadlines turn to "warning" this many calendar days before they fall due.
    warning_days: int = 3
    #: Art. 30, 32 ("应当从轻或者减轻"): a lighter fine lies in the lower part of the statutory range.
    #: The law does not say how low; Zhejiang's discretion rules place 从轻 below the middle of the
    #: range (中间值以下). The share of the range above the minimum a lighter fine may reach.
    lighter_share: Decimal = Decimal("0.5")
    #: Dates of acts are never after ``today`` (the district's date) nor before ``earliest_date``
    #: (the platform's first day of records). None disables the check (pure scenarios).
    today: Any = None
    earliest_date: Any = None
    calendar: WorkdayCalendar = field(default=default_calendar, compare=False)


DEFAULT_CONFIG = CaseConfig()
