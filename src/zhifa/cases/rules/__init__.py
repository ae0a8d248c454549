"""Penalty case handling by the statute — the pure core (no Django), one module per subject:

* ``citations`` — laws, ``Ref`` and ``cite``;
* ``vocabulary`` — procedures, penalty kinds (art. 9), states, actions, labels;
* ``config`` — configuration data (hearing thresholds, periods);
* ``case_facts`` — ``CaseFacts`` and its values;
* ``transitions`` — refusals, results and the transition table;
* ``periods`` — amounts, comparisons and every deadline;
* ``guards_decision`` / ``guards_execution`` — one guard per legal rule, before and after the decision;
* ``check`` — the guards of each action and ``check``.

Everything is re-exported here, so callers write ``from zhifa.cases import rules; rules.check(...)``.

Articles refer to 《中华人民共和国行政处罚法》(2021 revision) unless another law is named. Every
rule below cites its article in a comment and in the refusal it produces.

The model
---------
* :class:`State` and :class:`Action` (English identifiers, Chinese labels in ``STATE_LABELS`` /
  ``ACTION_LABELS``) and the table ``TRANSITIONS[(state, action)] -> state``.
* :class:`CaseFacts` — a frozen snapshot of everything the guards need. The service layer builds
  it from the database; tests and the statute scenarios build it from plain dicts
  (:meth:`CaseFacts.from_dict`).
* Guards — one function per legal rule, ``guard(facts, config, on) -> Refusal | None`` where ``on``
  is the date the action is taken. ``GUARDS[action]`` lists the guards of each action; ``FLAGS``
  lists non-blocking checks (e.g. late service, art. 61) that are reported but do not refuse.
* :func:`check` runs the table and every guard of the action and collects *all* refusals.

Counting days
-------------
All day arithmetic goes through :class:`zhifa.core.workdays.WorkdayCalendar`: the "二日 三日 五日
七日" of this law are working days (art. 85); periods of ten days or less in 行政强制法 are working
days (行政强制法 art. 69); every other period counts calendar days with the roll-forward of
民事诉讼法 art. 85 (``calendar_deadline`` / ``month_deadline``).

Where the law is unclear, the value is configuration (:class:`CaseConfig`), not a guess:
* hearing thresholds for "较大数额" (art. 63) are set by each province/department — ``HearingThresholds``;
  without them every fine/confiscation is treated as hearing-eligible (the safe side);
* the statement-and-defence period is not fixed by the law (art. 45) — ``defence_period_working_days``;
* the filing period is not in the law (art. 54 only says "及时立案"); 市场监督管理行政处罚程序规定
  第十八条 sets 15 working days (+15 with approval) — ``filing_period_working_days``, a flag, never a refusal;
* the ranking of penalty *types* used for "heavier" (art. 45 para 2) is the platform's reading of
  art. 9 — ``SEVERITY``.
"""

from __future__ import annotations

from .case_facts import (  # noqa: F401
    _HINTS,
    CaseFacts,
    Extension,
    FineRange,
    OfficerOnCase,
    Penalty,
    SpecialLimitation,
    _convert,
    _facts_hints,
)
from .check import (  # noqa: F401
    _MANDATORY_NO_PENALTY,
    _OFFICERS,
    _ORDER_EXEMPT,
    ACTION_DATE_FIELD,
    ALL_FLAGS,
    ALL_GUARDS,
    FLAGS,
    GUARDS,
    action_date,
    available_actions,
    check,
    common_guards,
)
from .citations import (  # noqa: F401
    _A,
    _C,
    _DIGITS,
    COMPULSION_LAW,
    LITIGATION_INTERPRETATION,
    LITIGATION_LAW,
    PENALTY_LAW,
    RECONSIDERATION_LAW,
    Ref,
    _cn,
    cite,
    ref_matches,
)
from .config import (  # noqa: F401
    DEFAULT_CONFIG,
    DEFAULT_HEARING_KINDS,
    CaseConfig,
    HearingThresholds,
    SummaryLimits,
    _money,
)
from .guards_decision import (  # noqa: F401
    _NOTICE_CONTENT,
    Guard,
    _handlers,
    _min_officers,
    _minor_on_act,
    _timely_request_pending,
    guard_after_last_step,
    guard_certificates_valid,
    guard_collective_deliberation,
    guard_date_not_future,
    guard_decision_within_period,
    guard_decline_reason,
    guard_defence_period_over,
    guard_defence_reviewed,
    guard_facts_clear,
    guard_filed,
    guard_filing_after_discovery,
    guard_fine_in_range,
    guard_hearing_free,
    guard_hearing_host,
    guard_hearing_notice,
    guard_hearing_request_timely,
    guard_hearing_right,
    guard_hearing_window_over,
    guard_intended_penalty,
    guard_legal_basis,
    guard_legal_review,
    guard_limitation,
    guard_mandatory_mitigation,
    guard_no_auxiliary_officer,
    guard_no_double_fine,
    guard_no_pending_hearing,
    guard_not_heavier,
    guard_not_mentally_incapable,
    guard_not_minor_corrected,
    guard_not_under_14,
    guard_not_without_fault,
    guard_notice_after_filing,
    guard_notice_before_decision,
    guard_notice_content,
    guard_revocation_reason,
    guard_summary_limits,
    guard_summary_procedure,
    guard_two_officers,
)
from .guards_execution import (  # noqa: F401
    _fine_outstanding,
    flag_education,
    flag_filing_late,
    flag_hand_in_late,
    flag_minor_14_to_18,
    flag_payment_late,
    flag_service_late,
    guard_court_window,
    guard_deferral_approved,
    guard_demand_served,
    guard_electronic_consent,
    guard_execution_outstanding,
    guard_no_own_execution_power,
    guard_no_penalty_ground,
    guard_no_pending_referral,
    guard_no_remedy_pending,
    guard_nothing_outstanding,
    guard_on_spot_collection,
    guard_paid_in_full,
    guard_payment_after_service,
    guard_payment_overdue,
    guard_receipt,
    guard_referral_declined,
    guard_service_after_decision,
    guard_suspected_crime,
    guard_transfer_target,
)
from .periods import (  # noqa: F401
    _CENT,
    _aggregate,
    _is_citizen,
    _sum,
    age_on,
    amount_due,
    court_application_window,
    decision_deadline,
    defence_end,
    filing_due,
    fine_total,
    hand_in_due,
    hearing_eligible,
    hearing_request_end,
    is_heavier,
    late_surcharge,
    limitation_end,
    litigation_end,
    paused_days,
    payment_due,
    reconsideration_end,
    served_on,
    service_due,
)
from .transitions import (  # noqa: F401
    _BEFORE_DECISION,
    _READY_TO_DECIDE,
    ACTION_BASIS,
    TRANSITIONS,
    Refusal,
    Result,
    _refuse,
)
from .vocabulary import (  # noqa: F401
    _CONFISCATIONS,
    ACTION_LABELS,
    NO_PENALTY_LABELS,
    PENALTY_LABELS,
    SEVERITY,
    STATE_LABELS,
    Action,
    NoPenaltyGround,
    PartyKind,
    PenaltyKind,
    Procedure,
    State,
)
