"""Refusals, results and the transition table ``TRANSITIONS[(state, action)] -> state`` of the
penalty procedure (行政处罚法第五十一条至第七十二条, 行政强制法第五十三条、第五十四条), with the provision behind
each action (``ACTION_BASIS``)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from .citations import _A, _C, Ref, cite, ref_matches
from .vocabulary import Action, State


@dataclass(frozen=True)
class Refusal:
    """Why an action is not allowed (or, in ``Result.flags``, what must be looked at)."""

    code: str
    article: str  # display citation, e.g. 《行政处罚法》第四十二条、第五十五条
    message: str  # Chinese, ends with the citation
    refs: tuple[str, ...] = ()  # machine form, e.g. ("行政处罚法:42", "行政处罚法:55")

    def cites(self, expected: str) -> bool:
        return any(ref_matches(key, expected) for key in self.refs)


def _refuse(code: str, refs: Iterable[Ref], message: str) -> Refusal:
    refs = tuple(refs)
    article = cite(refs)
    return Refusal(
        code=code, article=article, message=f"{message}（{article}）", refs=tuple(r.key for r in refs)
    )


@dataclass(frozen=True)
class Result:
    allowed: bool
    next_state: State | None  # the state after the action; None when refused
    refusals: list[Refusal] = field(default_factory=list)
    flags: list[Refusal] = field(default_factory=list)  # non-blocking findings

    def cites(self, expected: str) -> bool:
        return any(r.cites(expected) for r in (*self.refusals, *self.flags))


# --------------------------------------------------------------------------------------------
# Transition table
# --------------------------------------------------------------------------------------------

S, A = State, Action
_BEFORE_DECISION = (
    S.REGISTERED,
    S.FILED,
    S.INVESTIGATING,
    S.NOTIFIED,
    S.HEARING,
    S.HEARD,
    S.LEGAL_REVIEW,
    S.DELIBERATION,
)
_READY_TO_DECIDE = (S.NOTIFIED, S.HEARD, S.LEGAL_REVIEW, S.DELIBERATION)

TRANSITIONS: dict[tuple[State, Action], State] = {
    # filing (art. 54) or not — filing puts the case in the general procedure (the service sets
    # procedure=general); the summary procedure decides on the spot instead (art. 51, 52)
    (S.REGISTERED, A.FILE): S.FILED,
    (S.REGISTERED, A.DECLINE_FILING): S.CLOSED,
    (S.REGISTERED, A.DECIDE_ON_SPOT): S.SERVED,  # art. 52: the decision is handed over on the spot
    (S.FILED, A.START_INVESTIGATION): S.INVESTIGATING,
    (S.FILED, A.DECIDE_NO_PENALTY): S.NO_PENALTY,
    (S.FILED, A.REVOKE_FILING): S.FILING_REVOKED,
    (S.INVESTIGATING, A.NOTIFY): S.NOTIFIED,  # art. 44
    (S.INVESTIGATING, A.DECIDE_NO_PENALTY): S.NO_PENALTY,
    (S.INVESTIGATING, A.REVOKE_FILING): S.FILING_REVOKED,
    # statement, defence and hearing (art. 45, 63–65)
    (S.NOTIFIED, A.REQUEST_HEARING): S.HEARING,
    (S.HEARING, A.WITHDRAW_HEARING_REQUEST): S.NOTIFIED,
    (S.HEARING, A.HOLD_HEARING): S.HEARD,
    (S.HEARING, A.DECIDE_NO_PENALTY): S.NO_PENALTY,
    # review, deliberation, decision (art. 57, 58)
    **{(s, A.NOTIFY): S.NOTIFIED for s in _READY_TO_DECIDE},  # a new notice (e.g. a changed penalty)
    **{(s, A.RETURN_FOR_INVESTIGATION): S.INVESTIGATING for s in _READY_TO_DECIDE},
    **{(s, A.SUBMIT_LEGAL_REVIEW): S.LEGAL_REVIEW for s in (S.NOTIFIED, S.HEARD, S.DELIBERATION)},
    **{(s, A.DELIBERATE): S.DELIBERATION for s in (S.NOTIFIED, S.HEARD, S.LEGAL_REVIEW)},
    **{(s, A.DECIDE): S.DECIDED for s in _READY_TO_DECIDE},
    **{(s, A.DECIDE_NO_PENALTY): S.NO_PENALTY for s in _READY_TO_DECIDE},
    # criminal referral at any stage before the decision (art. 27); jurisdiction (art. 22–25)
    **{(s, A.REFER_CRIMINAL): S.REFERRED for s in _BEFORE_DECISION},
    **{(s, A.TRANSFER): S.TRANSFERRED for s in (S.REGISTERED, S.FILED, S.INVESTIGATING)},
    (S.REFERRED, A.RESUME): S.INVESTIGATING,
    # service (art. 61) and payment (art. 66–72)
    (S.DECIDED, A.SERVE): S.SERVED,
    (S.SERVED, A.PAY): S.PAID,
    (S.SERVED, A.PAY_PART): S.PARTLY_PAID,
    (S.SERVED, A.DEFER): S.DEFERRED,
    (S.SERVED, A.COLLECT_ON_SPOT): S.PAID,
    (S.SERVED, A.DEMAND_PAYMENT): S.COMPULSORY_EXECUTION,
    (S.PARTLY_PAID, A.PAY): S.PAID,
    (S.PARTLY_PAID, A.PAY_PART): S.PARTLY_PAID,
    (S.PARTLY_PAID, A.DEFER): S.DEFERRED,
    (S.PARTLY_PAID, A.DEMAND_PAYMENT): S.COMPULSORY_EXECUTION,
    (S.DEFERRED, A.PAY): S.PAID,
    (S.DEFERRED, A.PAY_PART): S.DEFERRED,
    (S.DEFERRED, A.DEMAND_PAYMENT): S.COMPULSORY_EXECUTION,
    # compulsory execution (行政强制法 art. 53, 54; 行政处罚法 art. 72)
    (S.COMPULSORY_EXECUTION, A.PAY): S.PAID,
    (S.COMPULSORY_EXECUTION, A.PAY_PART): S.COMPULSORY_EXECUTION,
    (S.COMPULSORY_EXECUTION, A.APPLY_TO_COURT): S.COURT_ENFORCEMENT,
    (S.COURT_ENFORCEMENT, A.PAY): S.PAID,
    # closing and archiving (art. 47: 全过程记录，归档保存)
    **{
        (s, A.CLOSE): S.CLOSED
        for s in (
            S.SERVED,
            S.PAID,
            S.COURT_ENFORCEMENT,
            S.NO_PENALTY,
            S.REFERRED,
            S.TRANSFERRED,
            S.FILING_REVOKED,
        )
    },
    (S.CLOSED, A.ARCHIVE): S.ARCHIVED,
}

#: The provision behind each action, cited when the action is not possible in a state.
ACTION_BASIS: dict[Action, tuple[Ref, ...]] = {
    A.FILE: (_A(54),),
    A.DECLINE_FILING: (_A(54),),
    A.START_INVESTIGATION: (_A(54), _A(55)),
    A.NOTIFY: (_A(44),),
    A.REQUEST_HEARING: (_A(63), _A(64, item=1)),
    A.WITHDRAW_HEARING_REQUEST: (_A(64),),
    A.HOLD_HEARING: (_A(64),),
    A.SUBMIT_LEGAL_REVIEW: (_A(58),),
    A.DELIBERATE: (_A(57, 2),),
    A.RETURN_FOR_INVESTIGATION: (_A(54), _A(57)),
    A.DECIDE: (_A(44), _A(57), _A(62)),
    A.DECIDE_NO_PENALTY: (_A(57, 1),),
    A.DECIDE_ON_SPOT: (_A(51), _A(52)),
    A.SERVE: (_A(61),),
    A.PAY: (_A(66), _A(67)),
    A.PAY_PART: (_A(66), _A(67)),
    A.DEFER: (_A(66, 2),),
    A.COLLECT_ON_SPOT: (_A(68), _A(69)),
    A.DEMAND_PAYMENT: (_A(72), _C(54)),
    A.APPLY_TO_COURT: (_A(72), _C(53), _C(54)),
    A.REFER_CRIMINAL: (_A(27),),
    A.RESUME: (_A(27),),
    A.TRANSFER: (_A(22), _A(23), _A(24), _A(25)),
    A.REVOKE_FILING: (_A(54),),
    A.CLOSE: (_A(47),),
    A.ARCHIVE: (_A(47),),
}
