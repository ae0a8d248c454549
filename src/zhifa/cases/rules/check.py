"""The guards and flags of each action and ``check``: may an action be taken on a case in a state
with these facts (every refusal collected)."""

from __future__ import annotations

import datetime as dt

from .case_facts import CaseFacts
from .config import DEFAULT_CONFIG, CaseConfig
from .guards_decision import (
    Guard,
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
from .guards_execution import (
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
from .transitions import ACTION_BASIS, TRANSITIONS, Refusal, Result, _refuse
from .vocabulary import ACTION_LABELS, STATE_LABELS, Action, State

A = Action

# -- registries ------------------------------------------------------------------------------

_OFFICERS = (guard_no_auxiliary_officer, guard_certificates_valid, guard_two_officers)
_MANDATORY_NO_PENALTY = (
    guard_not_under_14,
    guard_not_mentally_incapable,
    guard_not_minor_corrected,
    guard_not_without_fault,
    guard_facts_clear,
)

GUARDS: dict[Action, tuple[Guard, ...]] = {
    A.FILE: (guard_filing_after_discovery, guard_limitation),
    A.DECLINE_FILING: (guard_decline_reason,),
    A.START_INVESTIGATION: (guard_filed, *_OFFICERS),
    A.NOTIFY: (guard_intended_penalty, guard_notice_content, guard_notice_after_filing, *_OFFICERS),
    A.REQUEST_HEARING: (guard_hearing_right, guard_hearing_request_timely),
    A.WITHDRAW_HEARING_REQUEST: (),
    A.HOLD_HEARING: (guard_hearing_notice, guard_hearing_host, guard_hearing_free),
    A.SUBMIT_LEGAL_REVIEW: (),
    A.DELIBERATE: (),
    A.RETURN_FOR_INVESTIGATION: (),
    A.DECIDE: (
        *_OFFICERS,
        guard_notice_before_decision,
        guard_defence_period_over,
        guard_defence_reviewed,
        guard_hearing_window_over,
        guard_no_pending_hearing,
        guard_not_heavier,
        guard_no_double_fine,
        guard_fine_in_range,
        guard_legal_review,
        guard_collective_deliberation,
        guard_decision_within_period,
        guard_limitation,
        guard_legal_basis,
        guard_mandatory_mitigation,
        *_MANDATORY_NO_PENALTY,
        guard_no_pending_referral,
    ),
    A.DECIDE_NO_PENALTY: (guard_no_penalty_ground, guard_no_pending_referral),
    A.DECIDE_ON_SPOT: (
        guard_summary_procedure,
        guard_summary_limits,
        *_OFFICERS,
        guard_legal_basis,
        guard_no_double_fine,
        guard_fine_in_range,
        guard_limitation,
        guard_mandatory_mitigation,
        *_MANDATORY_NO_PENALTY,
        guard_no_pending_referral,
    ),
    A.SERVE: (guard_service_after_decision, guard_electronic_consent),
    A.PAY: (guard_payment_after_service, guard_paid_in_full),
    A.PAY_PART: (guard_payment_after_service,),
    A.DEFER: (guard_deferral_approved,),
    A.COLLECT_ON_SPOT: (guard_on_spot_collection, guard_receipt),
    A.DEMAND_PAYMENT: (guard_payment_overdue,),
    A.APPLY_TO_COURT: (
        guard_no_own_execution_power,
        guard_demand_served,
        guard_court_window,
        guard_no_remedy_pending,
        guard_execution_outstanding,
    ),
    A.REFER_CRIMINAL: (guard_suspected_crime,),
    A.RESUME: (guard_referral_declined, guard_no_pending_referral),
    A.TRANSFER: (guard_transfer_target,),
    A.REVOKE_FILING: (guard_revocation_reason,),
    A.CLOSE: (guard_nothing_outstanding,),
    A.ARCHIVE: (),
}

FLAGS: dict[Action, tuple[Guard, ...]] = {
    A.FILE: (flag_filing_late,),
    A.DECIDE: (flag_minor_14_to_18,),
    A.DECIDE_ON_SPOT: (flag_minor_14_to_18,),
    A.DECIDE_NO_PENALTY: (flag_education,),
    A.SERVE: (flag_service_late,),
    A.PAY: (flag_payment_late,),
    A.PAY_PART: (flag_payment_late,),
    A.CLOSE: (flag_hand_in_late,),
}

ALL_GUARDS: tuple[Guard, ...] = tuple(dict.fromkeys(g for gs in GUARDS.values() for g in gs))
ALL_FLAGS: tuple[Guard, ...] = tuple(dict.fromkeys(g for gs in FLAGS.values() for g in gs))

#: The facts field holding the date of each action (falls back to ``facts.as_of``).
ACTION_DATE_FIELD: dict[Action, str] = {
    A.FILE: "filing_date",
    A.NOTIFY: "notice_date",
    A.REQUEST_HEARING: "hearing_requested_on",
    A.HOLD_HEARING: "hearing_date",
    A.DECIDE: "decision_date",
    A.DECIDE_NO_PENALTY: "decision_date",
    A.DECIDE_ON_SPOT: "decision_date",
    A.SERVE: "service_date",
    A.PAY: "payment_date",
    A.PAY_PART: "payment_date",
    A.COLLECT_ON_SPOT: "collected_on_spot_on",
    A.DEMAND_PAYMENT: "demand_served_on",
    A.APPLY_TO_COURT: "court_applied_on",
    A.RESUME: "referral_declined_on",
}


def action_date(action: Action | str, facts: CaseFacts) -> dt.date | None:
    name = ACTION_DATE_FIELD.get(Action(action))
    return (getattr(facts, name) if name else None) or facts.as_of


# --------------------------------------------------------------------------------------------
# check
# --------------------------------------------------------------------------------------------


#: Payments follow service (guard_payment_after_service), not the latest step: a payment made
#: before a demand was recorded is still a payment on its date.
_ORDER_EXEMPT = frozenset({A.PAY, A.PAY_PART, A.COLLECT_ON_SPOT})


def common_guards(action: Action) -> tuple[Guard, ...]:
    """Guards of every action: its date is not in the future, and not before the latest step."""
    return (
        (guard_date_not_future,)
        if action in _ORDER_EXEMPT
        else (guard_date_not_future, guard_after_last_step)
    )


def check(
    state: State | str, action: Action | str, facts: CaseFacts, config: CaseConfig | None = None
) -> Result:
    """May ``action`` be taken on a case in ``state`` with ``facts``? Collects every refusal."""
    config = config or DEFAULT_CONFIG
    state, action = State(state), Action(action)
    target = TRANSITIONS.get((state, action))
    refusals: list[Refusal] = []
    flags: list[Refusal] = []
    if target is None:
        refusals.append(
            _refuse(
                "transition_not_allowed",
                ACTION_BASIS[action],
                f"案件处于“{STATE_LABELS[state]}”，不能{ACTION_LABELS[action]}",
            )
        )
    on = action_date(action, facts)
    if on is None:
        refusals.append(_refuse("date_missing", ACTION_BASIS[action], f"缺少{ACTION_LABELS[action]}的日期"))
    else:
        for guard in common_guards(action):
            if (refusal := guard(facts, config, on)) is not None:
                refusals.append(refusal)
        for guard in GUARDS[action]:
            if (refusal := guard(facts, config, on)) is not None:
                refusals.append(refusal)
        for flag in FLAGS.get(action, ()):
            if (finding := flag(facts, config, on)) is not None:
                flags.append(finding)
    allowed = not refusals
    return Result(allowed=allowed, next_state=target if allowed else None, refusals=refusals, flags=flags)


def available_actions(state: State | str, facts: CaseFacts, config: CaseConfig | None = None) -> list[Action]:
    """Actions the table offers from ``state`` whose guards all pass."""
    state = State(state)
    return [a for (s, a) in TRANSITIONS if s == state and check(s, a, facts, config).allowed]
