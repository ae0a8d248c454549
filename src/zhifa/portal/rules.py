"""Pure rules of the public portal: what of a penalty decision may be published, when a
published decision must be withdrawn, and how many reports one address may send.

No Django here.

* 行政处罚法第四十八条第一款: 具有一定社会影响的行政处罚决定应当依法公开.
* 行政处罚法第四十八条第二款: a published decision that is changed, revoked, confirmed illegal
  or confirmed invalid is withdrawn within three days, with the reason published.
* 行政处罚法第八十五条: the "三日" of this law are working days.
* 个人信息保护法第二十八条, 政府信息公开条例第十五条: a natural person's name and ID number are
  personal information; published decisions show them masked. An enterprise's name and its
  统一社会信用代码 are registration data and are shown in full.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from zhifa.core.validators import mask_id_number, mask_name
from zhifa.core.workdays import WorkdayCalendar

#: 行政处罚法第四十八条 — the article cited on every publication and withdrawal.
PUBLICATION_BASIS = "《行政处罚法》第四十八条第一款"
WITHDRAWAL_BASIS = "《行政处罚法》第四十八条第二款、第八十五条"
#: 行政处罚法第四十八条第二款 ("三日内撤回"), counted in working days (第八十五条).
WITHDRAWAL_WORKING_DAYS = 3
#: RemedyOutcome.outcome values that oblige a withdrawal (变更、撤销、确认违法; 确认无效 is a
#: court's 确认违法 variant in this platform's remedy outcomes).
WITHDRAW_OUTCOMES = frozenset({"changed", "revoked", "confirmed_illegal"})
#: Who publishes a decision of their own body: the legal reviewer (法制审核) or the department admin.
PUBLISHER_ROLES = frozenset({"legal_reviewer", "department_admin"})

PERSON = "person"
INDIVIDUAL_BUSINESS = "individual_business"

#: Reports one address may send on the portal per window (abuse protection, not law).
REPORT_LIMIT = 5
REPORT_WINDOW_SECONDS = 3600
#: Largest photo accepted with a public report.
PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_TYPES = frozenset({"JPEG", "PNG", "WEBP", "GIF"})


@dataclass(frozen=True)
class PublicParty:
    """The party as published."""

    label: str
    kind: str
    uscc: str
    id_number: str
    representative: str


def public_party(
    kind: str, name: str, *, uscc: str = "", id_number: str = "", representative: str = ""
) -> PublicParty:
    """Mask what identifies a natural person; keep what identifies an enterprise.

    * a person (自然人): name ``张**`` style, ID number masked, no USCC;
    * an individual business (个体工商户): its business name and USCC in full, the operator (a
      natural person) masked, the operator's ID number masked;
    * an enterprise or other organisation: name, USCC and legal representative in full.
    """
    if kind == PERSON:
        return PublicParty(mask_name(name), kind, "", mask_id_number(id_number) if id_number else "", "")
    if kind == INDIVIDUAL_BUSINESS:
        return PublicParty(
            name,
            kind,
            uscc,
            mask_id_number(id_number) if id_number else "",
            mask_name(representative) if representative else "",
        )
    return PublicParty(name, kind, uscc, "", representative)


def mask_text(text: str, secrets: Iterable[tuple[str, str]]) -> str:
    """Replace each (plain, masked) pair in free text (违法事实 often repeats the person's name)."""
    for plain, masked in sorted(secrets, key=lambda pair: -len(pair[0])):
        if plain and len(plain) > 1:
            text = text.replace(plain, masked)
    return text


def withdrawal_due(outcome_on: dt.date, calendar: WorkdayCalendar) -> dt.date:
    """Last day to withdraw a published decision after it was changed, revoked or confirmed
    illegal on ``outcome_on``: three working days (行政处罚法第四十八条第二款、第八十五条)."""
    return calendar.add_working_days(outcome_on, WITHDRAWAL_WORKING_DAYS)


def must_withdraw(outcomes: Iterable[str]) -> bool:
    return any(outcome in WITHDRAW_OUTCOMES for outcome in outcomes)


def over_limit(count: int, limit: int = REPORT_LIMIT) -> bool:
    """Whether one more report from an address that sent ``count`` in the window is refused."""
    return count >= limit
