"""Statute scenarios for penalty cases — data only.

Each scenario is a plain dict, independent of how ``zhifa.cases`` is implemented, so that the same
fixture can run against the pure rules now (``test_statute_scenarios.py``) and against the
database through the service layer later.

Format
------
``kind`` — one of

* ``"check"``: take ``action`` on a case in ``state`` with ``facts``.
  ``expected`` is ``"allowed"`` (allowed, nothing flagged), ``"refused"`` (not allowed) or
  ``"flagged"`` (allowed, with a non-blocking finding). For refused and flagged, ``article`` names
  a provision the refusal/finding must cite, as ``law:article[.paragraph][(item)]`` — a finding
  citing ``行政处罚法:64(1)`` satisfies ``行政处罚法:64``. ``next_state`` (optional) is the state
  after an allowed action.
* ``"surcharge"``: the late-payment surcharge on ``fine`` due ``due`` and paid ``paid`` is
  ``expected_amount`` (yuan, 2 decimals).
* ``"deadline"``: among the deadlines of ``facts`` (as of ``today``), the one named ``deadline``
  falls due on ``expected_due`` (and has ``expected_status`` if given).

``facts`` use the field names of the case facts: ISO dates, amounts as strings, penalties as
``{"kind", "amount"}``, officers as dicts with certificate data. ``CONFIG`` is the configuration
every scenario runs under (``config`` in a scenario overrides keys of it).

All dates are in 2026 (holidays from the State Council notice: Spring Festival 15–23 Feb,
Qingming 4–6 Apr, Labour Day 1–5 May, National Day 1–7 Oct; make-up working days 14 and 28 Feb,
20 Sep, 10 Oct).
"""

from __future__ import annotations

from typing import Any

#: Hearing thresholds are provincial/departmental data (art. 63). These are example values in the
#: common "1万 / 10万" form used by several departmental rules — not a statement of Zhejiang law.
CONFIG: dict[str, Any] = {
    "hearing_thresholds": {
        "citizen_fine": "10000",
        "organization_fine": "100000",
        "source": "example thresholds for the scenarios",
    },
    "defence_period_working_days": 3,
}

O1 = {
    "id": "O1",
    "name": "王敏",
    "kind": "enforcement",
    "certificate_number": "浙QJ0001",
    "certificate_valid_from": "2024-01-01",
    "certificate_valid_to": "2029-12-31",
}
O2 = {
    "id": "O2",
    "name": "陈立",
    "kind": "enforcement",
    "certificate_number": "浙QJ0002",
    "certificate_valid_from": "2024-01-01",
    "certificate_valid_to": "2029-12-31",
}
AUX = {"id": "X1", "name": "李辅", "kind": "auxiliary"}
EXPIRED = {
    "id": "O3",
    "name": "赵过",
    "kind": "enforcement",
    "certificate_number": "浙QJ0003",
    "certificate_valid_from": "2021-01-01",
    "certificate_valid_to": "2025-12-31",
}

NOTICE_CONTENTS = ["penalty", "facts", "reasons", "basis", "rights"]
BASIS = "示例条款：处一千元以上一万元以下罚款"


def fine(amount: str) -> dict[str, str]:
    return {"kind": "fine", "amount": amount}


def summary(**overrides: Any) -> dict[str, Any]:
    """An on-the-spot case: two certified officers, facts established, a legal basis."""
    facts: dict[str, Any] = {
        "procedure": "summary",
        "party_kind": "citizen",
        "officers": [O1, O2],
        "act_date": "2026-03-10",
        "discovery_date": "2026-03-10",
        "decision_date": "2026-03-10",
        "facts_clear": True,
        "legal_basis": BASIS,
        "penalties_decided": [fine("200")],
    }
    facts.update(overrides)
    return facts


def general(**overrides: Any) -> dict[str, Any]:
    """A general-procedure case of a citizen: filed 5 Feb, notified Mon 2 Mar (defence period ends
    Thu 5 Mar, hearing requests until Mon 9 Mar), a fine of 5,000 yuan intended and decided on
    Tue 10 Mar (within 90 days of filing: until 6 May)."""
    facts: dict[str, Any] = {
        "procedure": "general",
        "party_kind": "citizen",
        "officers": [O1, O2],
        "act_date": "2026-01-20",
        "discovery_date": "2026-02-02",
        "filing_date": "2026-02-05",
        "facts_clear": True,
        "legal_basis": BASIS,
        "fine_range": {"minimum": "1000", "maximum": "10000", "basis": BASIS},
        "notice_date": "2026-03-02",
        "notice_contents": NOTICE_CONTENTS,
        "penalties_intended": [fine("5000")],
        "penalties_decided": [fine("5000")],
        "decision_date": "2026-03-10",
    }
    facts.update(overrides)
    return facts


def hearing_case(**overrides: Any) -> dict[str, Any]:
    """A general case whose intended fine (20,000 yuan for a citizen) gives a hearing right."""
    base = general(
        penalties_intended=[fine("20000")],
        penalties_decided=[fine("20000")],
        fine_range={"minimum": "10000", "maximum": "50000", "basis": BASIS},
        notice_contents=[*NOTICE_CONTENTS, "hearing_right"],
    )
    base.update(overrides)
    return base


def served(**overrides: Any) -> dict[str, Any]:
    """A decided fine served on Thu 12 Mar: pay by 27 Mar; reconsideration until 11 May;
    litigation until Mon 14 Sep (12 Sep is a Saturday); court application 15 Sep – 14 Dec."""
    base = general(service_date="2026-03-12")
    base.update(overrides)
    return base


def check(
    name: str,
    state: str,
    action: str,
    facts: dict[str, Any],
    expected: str,
    article: str | None = None,
    next_state: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    scenario = {
        "kind": "check",
        "name": name,
        "state": state,
        "action": action,
        "facts": facts,
        "expected": expected,
        "article": article,
        "next_state": next_state,
    }
    scenario.update(extra)
    return scenario


SCENARIOS: list[dict[str, Any]] = [
    # --- summary procedure, art. 51–53 -------------------------------------------------------
    check(
        "summary: 200 yuan fine for a citizen on the spot (二百元以下 includes 200)",
        "registered",
        "decide_on_spot",
        summary(),
        "allowed",
        next_state="served",
    ),
    check(
        "summary: 201 yuan fine for a citizen needs the general procedure",
        "registered",
        "decide_on_spot",
        summary(penalties_decided=[fine("201")]),
        "refused",
        "行政处罚法:51",
    ),
    check(
        "summary: 3,000 yuan fine for a legal person on the spot (三千元以下 includes 3,000)",
        "registered",
        "decide_on_spot",
        summary(party_kind="legal_person", penalties_decided=[fine("3000")]),
        "allowed",
        next_state="served",
    ),
    check(
        "summary: 3,001 yuan fine for an organisation needs the general procedure",
        "registered",
        "decide_on_spot",
        summary(party_kind="other_organization", penalties_decided=[fine("3001")]),
        "refused",
        "行政处罚法:51",
    ),
    check(
        "summary: a warning on the spot",
        "registered",
        "decide_on_spot",
        summary(penalties_decided=[{"kind": "warning"}]),
        "allowed",
        next_state="served",
    ),
    check(
        "summary: revoking a licence is never on the spot",
        "registered",
        "decide_on_spot",
        summary(penalties_decided=[{"kind": "revoke_licence"}]),
        "refused",
        "行政处罚法:51",
    ),
    check(
        "summary: an individual business takes the citizen limit (民法典 art. 54)",
        "registered",
        "decide_on_spot",
        summary(party_kind="individual_business", penalties_decided=[fine("300")]),
        "refused",
        "行政处罚法:51",
    ),
    # --- officers, art. 42, 55 ---------------------------------------------------------------
    check(
        "officers: one officer cannot investigate",
        "filed",
        "start_investigation",
        general(officers=[O1], as_of="2026-02-06"),
        "refused",
        "行政处罚法:42",
    ),
    check(
        "officers: an auxiliary cannot be the second officer",
        "filed",
        "start_investigation",
        general(officers=[O1, AUX], as_of="2026-02-06"),
        "refused",
        "行政处罚法:55",
    ),
    check(
        "officers: an expired certificate does not count",
        "filed",
        "start_investigation",
        general(officers=[O1, EXPIRED], as_of="2026-02-06"),
        "refused",
        "行政处罚法:42",
    ),
    check(
        "officers: two certified officers with an auxiliary assisting",
        "filed",
        "start_investigation",
        general(officers=[O1, O2, {**AUX, "assisting": True}], as_of="2026-02-06"),
        "allowed",
        next_state="investigating",
    ),
    check(
        "officers: an on-the-spot decision by one officer is refused",
        "registered",
        "decide_on_spot",
        summary(officers=[O1]),
        "refused",
        "行政处罚法:42",
    ),
    # --- notice, statement and defence, art. 44, 45, 62 --------------------------------------
    check(
        "decision before any notice",
        "investigating",
        "decide",
        general(notice_date=None),
        "refused",
        "行政处罚法:44",
    ),
    check(
        "decision on the last day of the defence period",
        "notified",
        "decide",
        general(decision_date="2026-03-05"),
        "refused",
        "行政处罚法:45",
    ),
    check(
        "decision the day after the defence period",
        "notified",
        "decide",
        general(decision_date="2026-03-06"),
        "allowed",
        next_state="decided",
    ),
    check(
        "decision right after an express, recorded waiver of statement and defence",
        "notified",
        "decide",
        general(
            decision_date="2026-03-03", rights_waived_on="2026-03-03", waiver_record="放弃陈述申辩确认书"
        ),
        "allowed",
        next_state="decided",
    ),
    check(
        "a waiver that was not recorded does not count",
        "notified",
        "decide",
        general(decision_date="2026-03-03", rights_waived_on="2026-03-03"),
        "refused",
        "行政处罚法:62",
    ),
    check(
        "the party's defence was not checked",
        "notified",
        "decide",
        general(defence_submitted=True),
        "refused",
        "行政处罚法:45.1",
    ),
    check(
        "heavier fine after the defence than notified",
        "notified",
        "decide",
        general(penalties_decided=[fine("6000")]),
        "refused",
        "行政处罚法:45.2",
    ),
    check(
        "lighter fine after the defence",
        "notified",
        "decide",
        general(penalties_decided=[fine("4000")]),
        "allowed",
        next_state="decided",
    ),
    check(
        "adding a licence suspension not in the notice",
        "notified",
        "decide",
        general(penalties_decided=[fine("5000"), {"kind": "suspend_licence"}]),
        "refused",
        "行政处罚法:45.2",
    ),
    # --- hearing, art. 63–65, 85 -------------------------------------------------------------
    check(
        "hearing: the notice of a 20,000 yuan fine must state the hearing right",
        "investigating",
        "notify",
        hearing_case(notice_contents=NOTICE_CONTENTS),
        "refused",
        "行政处罚法:44",
    ),
    check(
        "hearing: request on the 5th working day after notice is timely",
        "notified",
        "request_hearing",
        hearing_case(hearing_requested_on="2026-03-09"),
        "allowed",
        next_state="hearing",
    ),
    check(
        "hearing: request on the 6th working day is late",
        "notified",
        "request_hearing",
        hearing_case(hearing_requested_on="2026-03-10"),
        "refused",
        "行政处罚法:64(1)",
    ),
    check(
        "hearing: no hearing right for a 5,000 yuan fine of a citizen (threshold 10,000)",
        "notified",
        "request_hearing",
        general(hearing_requested_on="2026-03-03"),
        "refused",
        "行政处罚法:63",
    ),
    check(
        "hearing: no decision while a timely request is pending",
        "hearing",
        "decide",
        hearing_case(hearing_requested_on="2026-03-04", decision_date="2026-03-20"),
        "refused",
        "行政处罚法:65",
    ),
    check(
        "hearing: no decision before the hearing request period has run",
        "notified",
        "decide",
        hearing_case(decision_date="2026-03-09"),
        "refused",
        "行政处罚法:64",
    ),
    check(
        "hearing: decision after the request period passed without a request",
        "notified",
        "decide",
        hearing_case(decision_date="2026-03-10"),
        "allowed",
        next_state="decided",
    ),
    check(
        "hearing: notified 6 working days before is too late",
        "hearing",
        "hold_hearing",
        hearing_case(
            hearing_requested_on="2026-03-04",
            hearing_notice_date="2026-03-10",
            hearing_date="2026-03-18",
            hearing_host="H1",
        ),
        "refused",
        "行政处罚法:64(2)",
    ),
    check(
        "hearing: notified 7 working days before",
        "hearing",
        "hold_hearing",
        hearing_case(
            hearing_requested_on="2026-03-04",
            hearing_notice_date="2026-03-10",
            hearing_date="2026-03-19",
            hearing_host="H1",
        ),
        "allowed",
        next_state="heard",
    ),
    check(
        "hearing: the investigator cannot preside",
        "hearing",
        "hold_hearing",
        hearing_case(
            hearing_requested_on="2026-03-04",
            hearing_notice_date="2026-03-10",
            hearing_date="2026-03-19",
            hearing_host="O1",
        ),
        "refused",
        "行政处罚法:64(4)",
    ),
    check(
        "hearing: the party bears no cost",
        "hearing",
        "hold_hearing",
        hearing_case(
            hearing_requested_on="2026-03-04",
            hearing_notice_date="2026-03-10",
            hearing_date="2026-03-19",
            hearing_host="H1",
            hearing_fee_charged="500",
        ),
        "refused",
        "行政处罚法:63.2",
    ),
    check(
        "hearing held: decision without legal review is refused",
        "heard",
        "decide",
        hearing_case(
            hearing_requested_on="2026-03-04", hearing_held_on="2026-03-19", decision_date="2026-03-25"
        ),
        "refused",
        "行政处罚法:58",
    ),
    check(
        "hearing held and legal review passed",
        "legal_review",
        "decide",
        hearing_case(
            hearing_requested_on="2026-03-04",
            hearing_held_on="2026-03-19",
            decision_date="2026-03-25",
            legal_review_passed=True,
        ),
        "allowed",
        next_state="decided",
    ),
    # --- no double fine, amounts, review, deliberation ----------------------------------------
    check(
        "a second fine for the same act of the same party",
        "notified",
        "decide",
        general(existing_fines_same_act=["衢江综执罚决字〔2025〕第3号"]),
        "refused",
        "行政处罚法:29",
    ),
    check(
        "a fine above the item's maximum",
        "notified",
        "decide",
        general(penalties_intended=[fine("12000")], penalties_decided=[fine("12000")]),
        "refused",
        "行政处罚法:4",
    ),
    check(
        "a mitigated fine below the minimum without a legal basis",
        "notified",
        "decide",
        general(penalties_intended=[fine("500")], penalties_decided=[fine("500")]),
        "refused",
        "行政处罚法:32",
    ),
    check(
        "a mitigated fine below the minimum with an art. 32 basis",
        "notified",
        "decide",
        general(
            penalties_intended=[fine("500")],
            penalties_decided=[fine("500")],
            mitigation_basis="《行政处罚法》第三十二条第一项：主动消除违法行为危害后果",
        ),
        "allowed",
        next_state="decided",
    ),
    check(
        "major public interest without legal review",
        "notified",
        "decide",
        general(major_public_interest=True),
        "refused",
        "行政处罚法:58",
    ),
    check(
        "major public interest with legal review passed",
        "legal_review",
        "decide",
        general(major_public_interest=True, legal_review_passed=True),
        "allowed",
        next_state="decided",
    ),
    check(
        "a serious violation without collective deliberation",
        "legal_review",
        "decide",
        general(serious_violation=True),
        "refused",
        "行政处罚法:57.2",
    ),
    # --- 90 days, art. 60 --------------------------------------------------------------------
    check(
        "decision on day 91 after filing",
        "notified",
        "decide",
        general(filing_date="2026-03-04", notice_date="2026-05-20", decision_date="2026-06-03"),
        "refused",
        "行政处罚法:60",
    ),
    check(
        "decision on day 90 after filing",
        "notified",
        "decide",
        general(filing_date="2026-03-04", notice_date="2026-05-20", decision_date="2026-06-02"),
        "allowed",
        next_state="decided",
    ),
    check(
        "decision on day 91 with an approved 30-day extension",
        "notified",
        "decide",
        general(
            filing_date="2026-03-04",
            notice_date="2026-05-20",
            decision_date="2026-06-03",
            extensions=[{"days": 30, "basis": "经负责人批准延长三十日", "approved_on": "2026-05-28"}],
        ),
        "allowed",
        next_state="decided",
    ),
    # --- limitation, art. 36 -----------------------------------------------------------------
    check(
        "limitation: discovered after 2 years",
        "registered",
        "file",
        general(act_date="2023-11-01", discovery_date="2026-02-02"),
        "refused",
        "行政处罚法:36",
    ),
    check(
        "limitation: 5 years where health is involved with harmful consequences",
        "registered",
        "file",
        general(act_date="2023-11-01", discovery_date="2026-02-02", life_health_financial_harm=True),
        "allowed",
        next_state="filed",
    ),
    check(
        "limitation: a continuing act counts from its end",
        "registered",
        "file",
        general(act_date="2022-05-01", act_end_date="2025-03-01", discovery_date="2026-02-02"),
        "allowed",
        next_state="filed",
    ),
    check(
        "limitation: an expired case cannot be decided either",
        "notified",
        "decide",
        general(act_date="2023-11-01", discovery_date="2026-02-02"),
        "refused",
        "行政处罚法:36",
    ),
    check(
        "filing later than the department rule's period is flagged, not refused",
        "registered",
        "file",
        general(filing_date="2026-03-02"),
        "flagged",
        "市场监督管理行政处罚程序规定:18",
        next_state="filed",
    ),
    # --- no penalty --------------------------------------------------------------------------
    check(
        "first-offence waiver (首违不罚) as no penalty",
        "investigating",
        "decide_no_penalty",
        general(
            no_penalty_ground="first_offence",
            first_offence=True,
            harm_minor=True,
            corrected_in_time=True,
            education_given=True,
        ),
        "allowed",
        next_state="no_penalty",
    ),
    check(
        "first-offence waiver without correction is not available",
        "investigating",
        "decide_no_penalty",
        general(no_penalty_ground="first_offence", first_offence=True, harm_minor=True, education_given=True),
        "refused",
        "行政处罚法:33.1",
    ),
    check(
        "first-offence waiver without education is flagged",
        "investigating",
        "decide_no_penalty",
        general(
            no_penalty_ground="first_offence", first_offence=True, harm_minor=True, corrected_in_time=True
        ),
        "flagged",
        "行政处罚法:33.3",
        next_state="no_penalty",
    ),
    check(
        "under 14: no penalty",
        "investigating",
        "decide_no_penalty",
        general(no_penalty_ground="under_14", party_birth_date="2013-06-01"),
        "allowed",
        next_state="no_penalty",
    ),
    check(
        "under 14: a penalty is refused",
        "notified",
        "decide",
        general(party_birth_date="2013-06-01"),
        "refused",
        "行政处罚法:30",
    ),
    check(
        "aged 16: the penalty must be lighter or mitigated (flag)",
        "notified",
        "decide",
        general(party_birth_date="2009-06-01"),
        "flagged",
        "行政处罚法:30",
        next_state="decided",
    ),
    check(
        "no subjective fault proven: a penalty is refused",
        "notified",
        "decide",
        general(no_fault_proven=True),
        "refused",
        "行政处罚法:33.2",
    ),
    check(
        "facts unclear: a penalty is refused",
        "notified",
        "decide",
        general(facts_clear=False),
        "refused",
        "行政处罚法:40",
    ),
    # --- referral, transfer, closing, archiving ------------------------------------------------
    check(
        "criminal referral during investigation",
        "investigating",
        "refer_criminal",
        general(suspected_crime="涉嫌生产、销售伪劣产品罪", as_of="2026-02-20"),
        "allowed",
        next_state="referred",
    ),
    check(
        "criminal referral after the notice, before the decision",
        "notified",
        "refer_criminal",
        general(suspected_crime="涉嫌生产、销售伪劣产品罪", as_of="2026-03-04"),
        "allowed",
        next_state="referred",
    ),
    check(
        "criminal referral during legal review",
        "legal_review",
        "refer_criminal",
        general(suspected_crime="涉嫌污染环境罪", as_of="2026-03-06"),
        "allowed",
        next_state="referred",
    ),
    check(
        "criminal referral without stating the suspected crime",
        "investigating",
        "refer_criminal",
        general(as_of="2026-02-20"),
        "refused",
        "行政处罚法:27",
    ),
    check(
        "transfer to the competent body",
        "filed",
        "transfer",
        general(transfer_to="衢州市衢江区市场监督管理局", as_of="2026-02-06"),
        "allowed",
        next_state="transferred",
    ),
    check(
        "archive before the case is closed",
        "served",
        "archive",
        served(as_of="2026-04-01"),
        "refused",
        "行政处罚法:47",
    ),
    check(
        "archive a closed case",
        "closed",
        "archive",
        served(as_of="2026-04-01"),
        "allowed",
        next_state="archived",
    ),
    check(
        "close while the fine is unpaid",
        "served",
        "close",
        served(as_of="2026-03-20"),
        "refused",
        "行政处罚法:67",
    ),
    # --- service, art. 61 --------------------------------------------------------------------
    check(
        "service on the 7th working day after the decision",
        "decided",
        "serve",
        general(service_date="2026-03-19"),
        "allowed",
        next_state="served",
    ),
    check(
        "service on the 8th working day after the decision is flagged",
        "decided",
        "serve",
        general(service_date="2026-03-20"),
        "flagged",
        "行政处罚法:61",
        next_state="served",
    ),
    check(
        "electronic service without the party's consent",
        "decided",
        "serve",
        general(service_date="2026-03-12", service_method="electronic"),
        "refused",
        "行政处罚法:61.2",
    ),
    # --- payment and execution, art. 66–72; 行政强制法 ----------------------------------------
    check(
        "payment in full within 15 days",
        "served",
        "pay",
        served(payment_date="2026-03-27", amount_paid="5000"),
        "allowed",
        next_state="paid",
    ),
    check(
        "paying only the fine after the deadline leaves the surcharge unpaid",
        "served",
        "pay",
        served(payment_date="2026-03-30", amount_paid="5000"),
        "refused",
        "行政处罚法:72",
    ),
    check(
        "late payment including the surcharge is flagged",
        "served",
        "pay",
        served(payment_date="2026-03-30", amount_paid="5450"),
        "flagged",
        "行政处罚法:67",
        next_state="paid",
    ),
    check(
        "deferral without approval",
        "served",
        "defer",
        served(as_of="2026-03-20"),
        "refused",
        "行政处罚法:66.2",
    ),
    check(
        "on-the-spot collection of a 100 yuan summary fine",
        "served",
        "collect_on_spot",
        summary(
            penalties_decided=[fine("100")], collected_on_spot_on="2026-03-10", receipt_number="浙财0001"
        ),
        "allowed",
        next_state="paid",
    ),
    check(
        "on-the-spot collection of a 150 yuan fine that is easy to pay later",
        "served",
        "collect_on_spot",
        summary(
            penalties_decided=[fine("150")], collected_on_spot_on="2026-03-10", receipt_number="浙财0002"
        ),
        "refused",
        "行政处罚法:68",
    ),
    check(
        "on-the-spot collection without an official receipt",
        "served",
        "collect_on_spot",
        summary(penalties_decided=[fine("50")], collected_on_spot_on="2026-03-10"),
        "refused",
        "行政处罚法:70",
    ),
    check(
        "closing with on-the-spot fines handed in late is flagged",
        "paid",
        "close",
        summary(
            penalties_decided=[fine("50")],
            collected_on_spot_on="2026-03-10",
            receipt_number="浙财0003",
            amount_paid="50",
            payment_date="2026-03-10",
            handed_in_on="2026-03-13",
            as_of="2026-03-20",
        ),
        "flagged",
        "行政处罚法:71",
        next_state="closed",
    ),
    check(
        "demand (催告) before the payment deadline",
        "served",
        "demand_payment",
        served(demand_served_on="2026-03-27"),
        "refused",
        "行政强制法:54",
    ),
    check(
        "demand after the payment deadline",
        "served",
        "demand_payment",
        served(demand_served_on="2026-04-01"),
        "allowed",
        next_state="compulsory_execution",
    ),
    check(
        "court application before the litigation period has run",
        "compulsory_execution",
        "apply_to_court",
        served(demand_served_on="2026-04-01", court_applied_on="2026-09-14"),
        "refused",
        "行政强制法:53",
    ),
    check(
        "court application within 3 months after the remedy periods",
        "compulsory_execution",
        "apply_to_court",
        served(demand_served_on="2026-04-01", court_applied_on="2026-09-15"),
        "allowed",
        next_state="court_enforcement",
    ),
    check(
        "court application less than 10 working days after the demand",
        "compulsory_execution",
        "apply_to_court",
        served(demand_served_on="2026-09-10", court_applied_on="2026-09-16"),
        "refused",
        "行政强制法:54",
    ),
    check(
        "court application more than 3 months after the remedy periods",
        "compulsory_execution",
        "apply_to_court",
        served(demand_served_on="2026-04-01", court_applied_on="2026-12-15"),
        "refused",
        "行政强制法:53",
    ),
    check(
        "court application while the party is suing",
        "compulsory_execution",
        "apply_to_court",
        served(
            demand_served_on="2026-04-01", court_applied_on="2026-09-15", review_or_litigation_pending=True
        ),
        "refused",
        "行政强制法:53",
    ),
    # --- surcharge and deadlines ---------------------------------------------------------------
    {
        "kind": "surcharge",
        "name": "surcharge: 10 days late is 30% of the fine",
        "fine": "1000",
        "due": "2026-03-27",
        "paid": "2026-04-06",
        "expected_amount": "300.00",
        "article": "行政处罚法:72",
    },
    {
        "kind": "surcharge",
        "name": "surcharge: capped at the fine after 34 days",
        "fine": "1000",
        "due": "2026-03-27",
        "paid": "2026-04-30",
        "expected_amount": "1000.00",
        "article": "行政处罚法:72",
    },
    {
        "kind": "surcharge",
        "name": "surcharge: nothing when paid on the last day",
        "fine": "1000",
        "due": "2026-03-27",
        "paid": "2026-03-27",
        "expected_amount": "0.00",
        "article": "行政处罚法:72",
    },
    {
        "kind": "deadline",
        "name": "payment deadline across National Day rolls to 8 Oct",
        "facts": general(
            decision_date="2026-09-15",
            service_date="2026-09-16",
            filing_date="2026-07-01",
            notice_date="2026-09-01",
        ),
        "today": "2026-09-30",
        "deadline": "payment",
        "expected_due": "2026-10-08",
        "expected_status": "ok",
        "article": "行政处罚法:67",
    },
    {
        "kind": "deadline",
        "name": "decision deadline 90 days after filing, with a warning 3 days before",
        "facts": general(
            filing_date="2026-03-04", notice_date=None, decision_date=None, penalties_decided=[]
        ),
        "today": "2026-05-30",
        "deadline": "decision",
        "expected_due": "2026-06-02",
        "expected_status": "warning",
        "article": "行政处罚法:60",
    },
    {
        "kind": "deadline",
        "name": "service deadline is the 7th working day after the decision",
        "facts": general(),
        "today": "2026-03-20",
        "deadline": "service",
        "expected_due": "2026-03-19",
        "expected_status": "overdue",
        "article": "行政处罚法:61",
    },
    {
        "kind": "deadline",
        "name": "litigation window: 6 months, rolled off a Saturday",
        "facts": served(),
        "today": "2026-04-01",
        "deadline": "litigation",
        "expected_due": "2026-09-14",
        "article": "行政诉讼法:46",
    },
    {
        "kind": "deadline",
        "name": "reconsideration window: 60 days",
        "facts": served(),
        "today": "2026-04-01",
        "deadline": "reconsideration",
        "expected_due": "2026-05-11",
        "article": "行政复议法:20",
    },
    {
        "kind": "deadline",
        "name": "court application: 3 months after the litigation period",
        "facts": served(),
        "today": "2026-10-01",
        "deadline": "court_application",
        "expected_due": "2026-12-14",
        "article": "行政强制法:53",
    },
    {
        "kind": "deadline",
        "name": "limitation 2 years from the end of a continuing act",
        "facts": general(
            act_date="2022-05-01", act_end_date="2025-03-01", discovery_date=None, filing_date=None
        ),
        "today": "2026-02-01",
        "deadline": "limitation",
        "expected_due": "2027-03-01",
        "article": "行政处罚法:36",
    },
]
