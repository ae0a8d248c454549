"""Guards up to the decision — officers (行政处罚法第四十二条、第五十五条), limitation (第三十六条), filing
(第五十四条), notice (第四十四条), statement and defence (第四十五条、第六十二条), hearing (第六十三条至第六十五条),
no double fine (第二十九条), fine range (第四条、第三十二条), legal review (第五十八条), collective deliberation
(第五十七条第二款), decision period (第六十条), mandatory no-penalty grounds (第三十条、第三十一条、第三十三条、
第四十条) and the summary procedure (第五十一条). Each guard returns a ``Refusal`` or None; ``on`` is the date
of the action."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from .case_facts import CaseFacts, OfficerOnCase
from .citations import _A
from .config import CaseConfig
from .periods import (
    _is_citizen,
    age_on,
    decision_deadline,
    defence_end,
    fine_total,
    hearing_eligible,
    hearing_request_end,
    is_heavier,
    limitation_end,
)
from .transitions import Refusal, _refuse
from .vocabulary import PENALTY_LABELS, PartyKind, PenaltyKind, Procedure

# --------------------------------------------------------------------------------------------
# Guards — each returns a Refusal or None. ``on`` is the date of the action.
# --------------------------------------------------------------------------------------------

Guard = Callable[[CaseFacts, CaseConfig, dt.date], Refusal | None]


def _handlers(facts: CaseFacts) -> list[OfficerOnCase]:
    return [o for o in facts.officers if not o.assisting]


def _min_officers(facts: CaseFacts, config: CaseConfig) -> int:
    return config.min_officers_summary if facts.procedure == Procedure.SUMMARY else config.min_officers


def guard_no_auxiliary_officer(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 42, 55: penalties are imposed by officers qualified for enforcement; auxiliary staff
    # (执法辅助人员) may assist but cannot be one of the enforcing officers.
    aux = [o.label for o in _handlers(facts) if o.kind == "auxiliary"]
    if aux:
        return _refuse(
            "auxiliary_officer", (_A(42), _A(55)), f"执法辅助人员{'、'.join(aux)}不能作为办案执法人员"
        )
    return None


def guard_certificates_valid(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 42 (执法资格), 55 (出示执法证件): each enforcing officer holds a certificate valid that day.
    problems = [
        f"{o.label}{o.certificate_problem(on, facts.domain)}"
        for o in _handlers(facts)
        if o.kind != "auxiliary" and o.certificate_problem(on, facts.domain)
    ]
    if problems:
        return _refuse("certificate_invalid", (_A(42), _A(55)), "；".join(problems))
    return None


def guard_two_officers(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 42: 执法人员不得少于两人 (unless a law provides otherwise — config.min_officers*);
    # art. 55: investigation and inspection by officers who show their certificates.
    needed = _min_officers(facts, config)
    valid = sum(1 for o in _handlers(facts) if o.may_enforce(on, facts.domain))
    if valid < needed:
        return _refuse(
            "too_few_officers", (_A(42), _A(55)), f"持有效执法证的执法人员{valid}名，不得少于{needed}名"
        )
    return None


def guard_limitation(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 36: not discovered within 2 (5) years → no penalty; from the end of a continuing act.
    end = limitation_end(facts, config)
    if end is None:
        return _refuse("limitation_unknown", (_A(36),), "缺少违法行为发生（终了）日期，无法核对追责时效")
    discovered = facts.discovery_date or on
    if discovered > end:
        basis = facts.special_limitation.basis if facts.special_limitation else ""
        return _refuse(
            "limitation_expired",
            (_A(36),),
            f"违法行为于{facts.act_start_of_limitation}发生（终了），至{end}未被发现，"
            f"{discovered}方发现，超过追责时效{basis}，不再给予行政处罚",
        )
    return None


def guard_decline_reason(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 54: a case meeting the filing standard must be filed; declining needs a recorded reason.
    if not facts.decline_reason.strip():
        return _refuse(
            "decline_reason_missing", (_A(54),), "不予立案须载明理由（符合立案标准的应当及时立案）"
        )
    return None


def guard_revocation_reason(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 54: filing follows the filing standard; revoking a filing needs a recorded reason.
    if not facts.filing_revocation_reason.strip():
        return _refuse("revocation_reason_missing", (_A(54),), "撤销立案须载明理由")
    return None


def guard_filed(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 54: investigation in the general procedure follows filing (立案).
    if facts.filing_date is None or facts.filing_date > on:
        return _refuse("not_filed", (_A(54),), "普通程序案件须先立案再调查取证")
    return None


def guard_intended_penalty(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 44: the notice states the intended penalty (拟作出的行政处罚内容).
    if not facts.penalties_intended:
        return _refuse("intended_penalty_missing", (_A(44),), "告知书须载明拟作出的行政处罚内容")
    return None


_NOTICE_CONTENT = {
    "penalty": "拟作出的行政处罚内容",
    "facts": "事实",
    "reasons": "理由",
    "basis": "依据",
    "rights": "陈述、申辩等权利",
}


def guard_notice_content(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 44: content, facts, reasons, basis, and the rights to state, defend and (art. 63)
    # request a hearing.
    missing = [label for key, label in _NOTICE_CONTENT.items() if key not in facts.notice_contents]
    if hearing_eligible(facts, config) and "hearing_right" not in facts.notice_contents:
        missing.append("要求听证的权利")
    if missing:
        return _refuse("notice_incomplete", (_A(44), _A(63)), f"告知书缺少：{'、'.join(missing)}")
    return None


def guard_notice_after_filing(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 44, 54: the notice follows filing and investigation.
    if facts.filing_date is not None and on < facts.filing_date:
        return _refuse(
            "notice_before_filing", (_A(44), _A(54)), f"告知日期{on}早于立案日期{facts.filing_date}"
        )
    return None


def guard_hearing_right(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 63 para 1: a hearing is for larger fines/confiscations (thresholds are data), lowering a
    # qualification, revoking a licence, suspension/closure, restricting practice, and others.
    if not hearing_eligible(facts, config):
        return _refuse("hearing_not_available", (_A(63),), "拟作出的行政处罚不属于应当告知听证权利的情形")
    return None


def guard_hearing_request_timely(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 64 item 1 + art. 85: request within 5 working days after the notice.
    end = hearing_request_end(facts, config)
    if end is None:
        return _refuse("no_notice", (_A(44), _A(64, item=1)), "尚未告知，不能申请听证")
    if on > end:
        return _refuse(
            "hearing_request_late",
            (_A(64, item=1), _A(85)),
            f"听证申请应在告知后五个工作日内（至{end}）提出，{on}提出已逾期",
        )
    return None


def guard_hearing_notice(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 64 item 2 + art. 85: the party is told the time and place 7 working days before the
    # hearing. Read as: the hearing is on or after the 7th working day after the notice day.
    if facts.hearing_notice_date is None:
        return _refuse("hearing_notice_missing", (_A(64, item=2),), "未通知当事人举行听证的时间、地点")
    earliest = config.calendar.add_working_days(facts.hearing_notice_date, config.hearing_notice_working_days)
    if on < earliest:
        return _refuse(
            "hearing_notice_late",
            (_A(64, item=2), _A(85)),
            f"听证通知于{facts.hearing_notice_date}发出，听证最早应在{earliest}举行（七个工作日前通知）",
        )
    return None


def guard_hearing_host(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 64 item 4: presided by a person designated by the authority who did not investigate the case.
    investigators = {o.id for o in facts.officers}
    if not facts.hearing_host:
        return _refuse("hearing_host_missing", (_A(64, item=4),), "未指定听证主持人")
    if facts.hearing_host in investigators:
        return _refuse("hearing_host_investigator", (_A(64, item=4),), "听证主持人不得是本案调查人员")
    return None


def guard_hearing_free(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 63 para 2: 当事人不承担行政机关组织听证的费用.
    if facts.hearing_fee_charged > 0:
        return _refuse("hearing_fee", (_A(63, 2),), "当事人不承担组织听证的费用")
    return None


def guard_notice_before_decision(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 44, 62: no decision without first telling the party the intended penalty, facts,
    # reasons, basis and rights.
    if facts.notice_date is None or facts.notice_date > on:
        return _refuse(
            "no_notice", (_A(44), _A(62)), "作出行政处罚决定前未告知当事人拟作出的行政处罚及其权利"
        )
    return None


def guard_defence_period_over(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 45, 62: the party's statement and defence must be heard before the decision; the
    # decision waits for the end of the period unless the party expressly waived (recorded, art. 62).
    if facts.notice_date is None:
        return None  # guard_notice_before_decision refuses
    if facts.rights_waived_on is not None:
        if not facts.waiver_record.strip():
            return _refuse("waiver_not_recorded", (_A(62),), "当事人明确放弃陈述、申辩权利须有书面记录")
        if facts.rights_waived_on > on:
            return _refuse("waiver_after_decision", (_A(62),), "放弃陈述、申辩的记录晚于决定日期")
        return None
    end = defence_end(facts, config)
    assert end is not None
    if on <= end:
        return _refuse(
            "defence_period_running",
            (_A(45), _A(62)),
            f"陈述、申辩期限至{end}届满，届满前不得作出行政处罚决定",
        )
    return None


def guard_defence_reviewed(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 45 para 1: facts, reasons and evidence put forward by the party must be checked (复核).
    if facts.defence_submitted and not facts.defence_reviewed:
        return _refuse("defence_not_reviewed", (_A(45, 1),), "当事人提出的事实、理由和证据尚未复核")
    return None


def guard_hearing_window_over(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 63, 64 item 1: where a hearing is available, the decision waits for the 5-working-day
    # request period, unless the party expressly waived the hearing (recorded, art. 62).
    if facts.notice_date is None or not hearing_eligible(facts, config):
        return None
    if facts.hearing_requested_on is not None:
        return None  # guard_no_pending_hearing
    if facts.hearing_waived and facts.rights_waived_on is not None and facts.waiver_record.strip():
        return None
    end = hearing_request_end(facts, config)
    assert end is not None
    if on <= end:
        return _refuse(
            "hearing_period_running",
            (_A(63), _A(64, item=1)),
            f"听证申请期限至{end}届满，届满前不得作出行政处罚决定",
        )
    return None


def _timely_request_pending(facts: CaseFacts, config: CaseConfig) -> bool:
    end = hearing_request_end(facts, config)
    return (
        facts.hearing_requested_on is not None
        and end is not None
        and facts.hearing_requested_on <= end
        and not facts.hearing_request_withdrawn
        and facts.hearing_held_on is None
        and hearing_eligible(facts, config)
    )


def guard_no_pending_hearing(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 63, 64, 65: a timely hearing request must be heard; the decision follows the hearing record.
    if _timely_request_pending(facts, config):
        return _refuse(
            "hearing_pending",
            (_A(63), _A(64), _A(65)),
            f"当事人已于{facts.hearing_requested_on}依法要求听证，听证结束前不得作出行政处罚决定",
        )
    return None


def guard_not_heavier(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 45 para 2: 不得因当事人陈述、申辩而给予更重的处罚; art. 44: the party was told the intended
    # penalty. A heavier penalty needs a new notice with its own periods.
    if is_heavier(facts.penalties_decided, facts.penalties_intended):
        return _refuse(
            "heavier_than_notified",
            (_A(44), _A(45, 2)),
            "决定的行政处罚重于告知的拟处罚，不得因陈述、申辩加重处罚；如需加重应重新告知",
        )
    return None


def guard_no_double_fine(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 29: one illegal act of the same party gets at most one fine.
    if fine_total(facts.penalties_decided) > 0 and facts.existing_fines_same_act:
        return _refuse(
            "double_fine",
            (_A(29),),
            f"同一违法行为已被罚款（{'、'.join(facts.existing_fines_same_act)}），不得再次罚款",
        )
    return None


def guard_fine_in_range(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 4: penalties as the law, regulation or rule provides — never above the item's maximum;
    # art. 32: below the minimum (减轻处罚) only with a legal basis for mitigation.
    fine = fine_total(facts.penalties_decided)
    rng = facts.fine_range
    if fine <= 0 or rng is None:
        return None
    basis = f"（{rng.basis}）" if rng.basis else ""
    if rng.maximum is not None and fine > rng.maximum:
        return _refuse("fine_above_maximum", (_A(4),), f"罚款{fine}元超过法定最高额{rng.maximum}元{basis}")
    if rng.minimum is not None and fine < rng.minimum and not facts.mitigation_basis.strip():
        return _refuse(
            "fine_below_minimum",
            (_A(32),),
            f"罚款{fine}元低于法定最低额{rng.minimum}元{basis}，减轻处罚须有法定依据",
        )
    return None


def guard_legal_review(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 58: legal review before the decision where (1) major public interest, (2) major rights
    # and a hearing was held (a held hearing is taken to suffice — hearing penalties are major by
    # nature), (3) difficult or complex cases, (4) required by law; not reviewed or not passed → no decision.
    required = (
        facts.major_public_interest
        or facts.hearing_held_on is not None
        or facts.complex_case
        or facts.review_required_by_law
    )
    if required and not facts.legal_review_passed:
        return _refuse(
            "legal_review_missing", (_A(58),), "本案应当进行法制审核，未经审核或审核未通过不得作出决定"
        )
    return None


def guard_collective_deliberation(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 57 para 2: complex cases and serious violations are decided by collective deliberation.
    if (facts.serious_violation or facts.complex_case) and not facts.collective_deliberation_done:
        return _refuse(
            "deliberation_missing", (_A(57, 2),), "情节复杂或者重大违法行为应当由行政机关负责人集体讨论决定"
        )
    return None


def guard_decision_within_period(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 60: decision within 90 days of filing; extensions only as laws/regulations/rules provide.
    due = decision_deadline(facts, config)
    if due is None:
        return _refuse("not_filed", (_A(54), _A(60)), "缺少立案日期，无法核对办案期限")
    if on > due:
        extra = sum(e.days for e in facts.extensions)
        ext = f"（含延长{extra}日）" if extra else ""
        return _refuse(
            "decision_overdue",
            (_A(60),),
            f"应自立案之日起九十日内作出决定{ext}，期限至{due}，{on}已超期且无延长批准",
        )
    return None


def guard_facts_clear(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 40: facts unclear or evidence insufficient → no penalty (also art. 51: "违法事实确凿").
    if not facts.facts_clear:
        return _refuse("facts_unclear", (_A(40),), "违法事实不清、证据不足的，不得给予行政处罚")
    return None


def guard_legal_basis(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 59 items 2–3 (and art. 51 "有法定依据"): the decision names the penalty and its legal basis.
    if not facts.legal_basis.strip() or not facts.penalties_decided:
        return _refuse("basis_missing", (_A(59),), "处罚决定须载明行政处罚的种类和依据")
    return None


def guard_not_under_14(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 30: a person under 14 is not punished. The age at the end of a continuing act counts.
    act = facts.act_start_of_limitation
    if (
        facts.party_kind == PartyKind.CITIZEN
        and facts.party_birth_date
        and act
        and age_on(facts.party_birth_date, act) < 14
    ):
        return _refuse("under_14", (_A(30),), "不满十四周岁的未成年人有违法行为的，不予行政处罚")
    return None


def guard_not_mentally_incapable(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 31: not punished when unable to recognise or control their conduct.
    if facts.mental_incapacity:
        return _refuse(
            "mental_incapacity",
            (_A(31),),
            "精神病人、智力残疾人在不能辨认或者不能控制自己行为时有违法行为的，不予行政处罚",
        )
    return None


def guard_not_minor_corrected(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 33 para 1, first sentence: minor, corrected in time, no harm → no penalty ("不予", mandatory).
    if facts.minor_violation and facts.corrected_in_time and facts.no_harmful_consequence:
        return _refuse(
            "minor_corrected_no_harm",
            (_A(33, 1),),
            "违法行为轻微并及时改正，没有造成危害后果的，不予行政处罚",
        )
    return None


def guard_not_without_fault(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 33 para 2: proof of no subjective fault → no penalty, unless a law or administrative
    # regulation provides otherwise.
    if facts.no_fault_proven and not facts.fault_presumed_by_law:
        return _refuse("no_fault", (_A(33, 2),), "当事人有证据足以证明没有主观过错的，不予行政处罚")
    return None


def guard_summary_procedure(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 51: on-the-spot decisions belong to the summary procedure.
    if facts.procedure != Procedure.SUMMARY:
        return _refuse("not_summary", (_A(51),), "普通程序案件不得当场作出行政处罚决定")
    return None


def guard_summary_limits(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 51: only a warning, or a fine of 200 yuan or less (citizen) / 3,000 yuan or less (legal
    # person, other organisation). "以下" includes the amount. Otherwise: the general procedure.
    other = [
        PENALTY_LABELS[p.kind]
        for p in facts.penalties_decided
        if p.kind not in (PenaltyKind.WARNING, PenaltyKind.FINE)
    ]
    if other:
        return _refuse(
            "summary_penalty_type",
            (_A(51),),
            f"简易程序只能给予警告或者限额以下罚款，{'、'.join(other)}应适用普通程序",
        )
    fine = fine_total(facts.penalties_decided)
    citizen = _is_citizen(facts, config)
    limit = config.summary_limits.citizen if citizen else config.summary_limits.organization
    if fine > limit:
        who = "公民" if citizen else "法人或者其他组织"
        return _refuse(
            "summary_limit_exceeded", (_A(51),), f"对{who}当场罚款以{limit}元以下为限，{fine}元应适用普通程序"
        )
    return None


def _minor_on_act(facts: CaseFacts) -> bool:
    act = facts.act_start_of_limitation
    return bool(
        facts.party_kind == PartyKind.CITIZEN
        and facts.party_birth_date
        and act
        and 14 <= age_on(facts.party_birth_date, act) < 18
    )


def guard_mandatory_mitigation(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 30 (aged 14 to 18 on the act) and art. 32 (harm removed on own initiative, coerced,
    # confessed, meritorious): the penalty "应当" be lighter or mitigated. A fine above the lower
    # part of the statutory range (config.lighter_share; the maximum always) is refused.
    reasons = []
    refs = []
    if _minor_on_act(facts):
        reasons.append("当事人违法时已满十四周岁不满十八周岁")
        refs.append(_A(30))
    if facts.mandatory_mitigation.strip():
        reasons.append(f"当事人有{facts.mandatory_mitigation.strip()}的情形")
        refs.append(_A(32))
    fine = fine_total(facts.penalties_decided)
    rng = facts.fine_range
    if not reasons or fine <= 0 or rng is None or rng.maximum is None:
        return None
    minimum = rng.minimum or 0
    ceiling = minimum + (rng.maximum - minimum) * config.lighter_share
    if fine > ceiling or fine >= rng.maximum:
        return _refuse(
            "mitigation_required",
            refs,
            f"{'；'.join(reasons)}，应当从轻或者减轻处罚：罚款不得高于{ceiling.quantize(Decimal('0.01'))}元"
            f"（法定幅度{minimum}–{rng.maximum}元的较低部分），拟决定{fine}元",
        )
    return None


def guard_date_not_future(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 47: the record states what happened when; an act cannot be dated after today (the
    # district's date) nor before the platform's first records.
    if config.today is not None and on > config.today:
        return _refuse("date_in_future", (_A(47),), f"办理日期{on}晚于今天（{config.today}）")
    if config.earliest_date is not None and on < config.earliest_date:
        return _refuse("date_too_early", (_A(47),), f"办理日期{on}早于可登记的最早日期{config.earliest_date}")
    return None


def guard_after_last_step(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 54–62: the procedure runs in order — no step is dated before the step it follows.
    if facts.last_step_on is not None and on < facts.last_step_on:
        return _refuse(
            "date_before_previous_step",
            (_A(47), _A(54)),
            f"办理日期{on}早于上一办案环节的日期{facts.last_step_on}",
        )
    return None


def guard_filing_after_discovery(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 54: filing follows discovery of the lead, which follows the act (filing ≥ discovery ≥ act).
    if facts.discovery_date is not None and on < facts.discovery_date:
        return _refuse(
            "filing_before_discovery", (_A(54),), f"立案日期{on}早于发现日期{facts.discovery_date}"
        )
    if (
        facts.act_date is not None
        and facts.discovery_date is not None
        and facts.discovery_date < facts.act_date
    ):
        return _refuse(
            "discovery_before_act",
            (_A(36), _A(54)),
            f"发现日期{facts.discovery_date}早于违法行为发生日期{facts.act_date}",
        )
    return None
