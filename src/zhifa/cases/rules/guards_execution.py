"""Guards from the decision on — service (行政处罚法第六十一条), payment (第六十六条至第七十二条), on-the-spot
collection (第六十八条至第七十条), compulsory execution and court application (行政强制法第五十三条、第五十四条),
referral and transfer (第二十二条至第二十七条), no-penalty grounds (第五十七条) and closing — and the
non-blocking flags."""

from __future__ import annotations

import datetime as dt

from .case_facts import CaseFacts
from .citations import _A, _C, LITIGATION_INTERPRETATION, Ref
from .config import CaseConfig
from .guards_decision import guard_limitation, guard_not_under_14
from .periods import (
    age_on,
    amount_due,
    court_application_window,
    filing_due,
    fine_total,
    hand_in_due,
    limitation_end,
    payment_due,
    served_on,
    service_due,
)
from .transitions import Refusal, _refuse
from .vocabulary import NO_PENALTY_LABELS, NoPenaltyGround, PartyKind, Procedure


def guard_service_after_decision(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 61: the decision is served after it is made.
    if facts.decision_date is None or on < facts.decision_date:
        return _refuse("service_before_decision", (_A(61),), "送达日期早于处罚决定日期或尚未作出决定")
    return None


def guard_electronic_consent(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 61 para 2: electronic service (fax, e-mail…) only with the party's signed consent.
    if facts.service_method == "electronic" and not facts.electronic_service_consent:
        return _refuse(
            "electronic_service_without_consent", (_A(61, 2),), "电子送达须经当事人同意并签订确认书"
        )
    return None


def guard_paid_in_full(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 67 (fine) and art. 72 item 1 (late surcharge): "paid" means fine plus any surcharge.
    due = amount_due(facts, on, config)
    if facts.amount_paid < due:
        return _refuse(
            "not_paid_in_full",
            (_A(67), _A(72, 1, 1)),
            f"应缴{due}元（含加处罚款），已缴{facts.amount_paid}元，尚未缴清",
        )
    return None


def guard_deferral_approved(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 66 para 2: deferral or instalments on the party's application and the authority's approval.
    if not facts.deferral_approved or facts.deferred_until is None:
        return _refuse(
            "deferral_not_approved",
            (_A(66, 2),),
            "暂缓或者分期缴纳罚款须经当事人申请和行政机关批准并明确期限",
        )
    return None


def guard_on_spot_collection(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 67 para 1: the deciding body does not collect fines itself, except art. 68 (summary
    # procedure: 100 yuan or less, or hard to enforce afterwards) and art. 69 (remote, water or
    # poorly connected areas, at the party's request).
    fine = fine_total(facts.penalties_decided)
    art68 = facts.procedure == Procedure.SUMMARY and (
        fine <= config.on_spot_collection_limit or facts.hard_to_enforce_later
    )
    art69 = facts.remote_area and facts.party_requested_on_spot
    if not (art68 or art69):
        return _refuse(
            "on_spot_collection_not_allowed",
            (_A(67), _A(68), _A(69)),
            f"当场收缴罚款仅限简易程序{config.on_spot_collection_limit}元以下或事后难以执行，"
            f"或边远、水上、交通不便地区经当事人提出",
        )
    return None


def guard_receipt(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 70: an official receipt of the provincial finance department is issued.
    if not facts.receipt_number.strip():
        return _refuse("receipt_missing", (_A(70),), "当场收缴罚款须出具省级财政部门统一制发的专用票据")
    return None


def _fine_outstanding(facts: CaseFacts, on: dt.date, config: CaseConfig) -> bool:
    return fine_total(facts.penalties_decided) > 0 and facts.amount_paid < amount_due(facts, on, config)


def guard_payment_overdue(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # 行政处罚法 art. 72; 行政强制法 art. 54: the demand (催告) follows a missed payment deadline.
    due = payment_due(facts, config)
    if due is None or on <= due:
        return _refuse(
            "payment_not_overdue", (_A(67), _A(72), _C(54)), f"缴纳期限{due or '未开始'}尚未届满，不得催告"
        )
    if not _fine_outstanding(facts, on, config):
        return _refuse("nothing_outstanding", (_A(72), _C(54)), "罚款已缴清，无需催告")
    return None


def guard_demand_served(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # 行政强制法 art. 54 + art. 69: demand first; apply when 10 (working) days after its service
    # the party still has not performed.
    if facts.demand_served_on is None:
        return _refuse("demand_missing", (_C(54),), "申请人民法院强制执行前应当催告当事人履行义务")
    ready = config.calendar.add_working_days(facts.demand_served_on, config.demand_wait_working_days)
    if on <= ready:
        return _refuse(
            "demand_period_running", (_C(54), _C(69)), f"催告书送达十个工作日（至{ready}）后方可申请"
        )
    return None


def guard_court_window(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # 行政强制法 art. 53 (and 行政诉讼法解释 art. 156): apply within 3 months after the statutory
    # periods for reconsideration and litigation expire; 行政处罚法 art. 72 para 2: after an approved
    # deferral, from its end. Late applications only with just cause.
    window = court_application_window(facts, config)
    if window is None:
        return _refuse("not_served", (_C(53),), "处罚决定尚未送达，复议、诉讼期限未起算")
    first, last = window
    if on < first:
        return _refuse(
            "court_application_premature",
            (_C(53), _A(72, 2)),
            f"当事人申请复议、提起诉讼的期限尚未届满，{first}起方可申请",
        )
    if on > last and not facts.just_cause_for_delay:
        return _refuse(
            "court_application_late",
            (_C(53), Ref(156, law=LITIGATION_INTERPRETATION)),
            f"申请期限已于{last}届满（期限届满之日起三个月内），无正当理由逾期申请法院不予受理",
        )
    return None


def guard_no_remedy_pending(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # 行政强制法 art. 53: only where the party neither sought reconsideration nor sued.
    if facts.review_or_litigation_pending:
        return _refuse(
            "remedy_pending", (_C(53),), "当事人已申请行政复议或提起行政诉讼，不得申请非诉强制执行"
        )
    return None


def guard_execution_outstanding(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # 行政强制法 art. 53: only where the party has not performed.
    if fine_total(facts.penalties_decided) > 0 and not _fine_outstanding(facts, on, config):
        return _refuse("nothing_outstanding", (_C(53),), "当事人已履行，无需申请强制执行")
    return None


def guard_suspected_crime(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 27: a suspected crime is transferred to the judicial authorities.
    if not facts.suspected_crime.strip():
        return _refuse("suspected_crime_missing", (_A(27),), "移送须载明涉嫌犯罪的事实和罪名")
    return None


def guard_referral_declined(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 27: the administrative case continues only if the judicial authority declined the case
    # (不予立案并退回; the referral rules of the State Council set the details — verify).
    if facts.referral_declined_on is None:
        return _refuse(
            "referral_not_declined", (_A(27),), "司法机关尚未作出不予立案等决定并退回，不得继续办理"
        )
    return None


def guard_no_pending_referral(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # 行政执法机关移送涉嫌犯罪案件的规定 art. 11: a penalty never replaces a referral — no decision
    # and no return to the administrative procedure while a referral of the case is under way.
    if facts.criminal_referral_pending:
        return _refuse(
            "criminal_referral_pending",
            (Ref(11, law="行政执法机关移送涉嫌犯罪案件的规定"),),
            f"{facts.criminal_referral_pending}，不得以行政处罚代替移送",
        )
    return None


def guard_transfer_target(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 22–25: jurisdiction by place, level, township assignment, first filing or designation.
    if not facts.transfer_to.strip():
        return _refuse(
            "transfer_target_missing", (_A(22), _A(23), _A(24), _A(25)), "移送管辖须载明有管辖权的机关"
        )
    return None


def guard_no_penalty_ground(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 30, 31, 33, 36, 40, 57 para 1 item 3: no penalty only on a ground the facts support.
    ground = facts.no_penalty_ground
    if ground is None:
        return _refuse("no_penalty_ground_missing", (_A(57, 1),), "不予行政处罚须载明法定情形")
    supported, refs = {
        NoPenaltyGround.MINOR_CORRECTED_NO_HARM: (
            facts.minor_violation and facts.corrected_in_time and facts.no_harmful_consequence,
            (_A(33, 1),),
        ),
        NoPenaltyGround.FIRST_OFFENCE: (
            facts.first_offence and facts.harm_minor and facts.corrected_in_time,
            (_A(33, 1),),
        ),
        NoPenaltyGround.NO_FAULT: (facts.no_fault_proven and not facts.fault_presumed_by_law, (_A(33, 2),)),
        NoPenaltyGround.UNDER_14: (guard_not_under_14(facts, config, on) is not None, (_A(30),)),
        NoPenaltyGround.MENTAL_INCAPACITY: (facts.mental_incapacity, (_A(31),)),
        NoPenaltyGround.LIMITATION_EXPIRED: (
            limitation_end(facts, config) is not None and guard_limitation(facts, config, on) is not None,
            (_A(36),),
        ),
        NoPenaltyGround.FACTS_UNCLEAR: (not facts.facts_clear, (_A(40), _A(57, 1, 3))),
    }[ground]
    if not supported:
        return _refuse(
            "no_penalty_ground_unsupported",
            refs,
            f"案件事实不符合“{NO_PENALTY_LABELS[ground]}”不予处罚的法定条件",
        )
    return None


def guard_nothing_outstanding(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 66, 67, 72: a case with a fine closes when the fine (and surcharge) is paid, or when
    # the court concluded execution.
    if _fine_outstanding(facts, on, config) and not facts.enforcement_concluded:
        return _refuse("fine_outstanding", (_A(66), _A(67), _A(72)), "罚款尚未缴清，不得结案")
    return None


# -- non-blocking flags ----------------------------------------------------------------------


def flag_filing_late(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Not in 行政处罚法 (art. 54 says "及时立案"); the period of the department rules is data.
    due = filing_due(facts, config)
    if due is not None and on > due:
        return _refuse(
            "filing_late",
            (config.filing_period_basis,),
            f"自发现线索之日起{config.filing_period_working_days}个工作日内（至{due}）应决定是否立案"
            f"，{on}立案已超期",
        )
    return None


def flag_service_late(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 61 + art. 85: served within 7 working days after the decision.
    due = service_due(facts, config)
    if due is not None and on > due:
        return _refuse(
            "service_late",
            (_A(61), _A(85)),
            f"处罚决定书应在决定后七个工作日内（至{due}）送达，{on}送达已超期",
        )
    return None


def flag_payment_late(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 67: 15 days from receipt; art. 72: late → surcharge.
    due = payment_due(facts, config)
    if due is not None and on > due:
        return _refuse(
            "payment_late", (_A(67), _A(72, 1, 1)), f"缴纳期限至{due}，{on}缴纳已逾期，依法加处罚款"
        )
    return None


def flag_minor_14_to_18(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 30: 14 to 18 years old → a lighter or mitigated penalty.
    act = facts.act_start_of_limitation
    if (
        facts.party_kind == PartyKind.CITIZEN
        and facts.party_birth_date
        and act
        and 14 <= age_on(facts.party_birth_date, act) < 18
    ):
        return _refuse(
            "minor_lighter",
            (_A(30),),
            "已满十四周岁不满十八周岁的未成年人有违法行为的，应当从轻或者减轻行政处罚",
        )
    return None


def flag_education(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 33 para 3: where no penalty is given under art. 33, the party is educated.
    if (
        facts.no_penalty_ground
        in (NoPenaltyGround.MINOR_CORRECTED_NO_HARM, NoPenaltyGround.FIRST_OFFENCE, NoPenaltyGround.NO_FAULT)
        and not facts.education_given
    ):
        return _refuse("education_missing", (_A(33, 3),), "依法不予行政处罚的，应当对当事人进行教育")
    return None


def flag_hand_in_late(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 71 + art. 85: fines collected on the spot are handed in within 2 working days.
    due = hand_in_due(facts, config)
    if due is not None and (facts.handed_in_on or on) > due:
        return _refuse("hand_in_late", (_A(71), _A(85)), f"当场收缴的罚款应于{due}前交至行政机关")
    return None


def guard_payment_after_service(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # Art. 67: the fine is paid after the decision was received; a payment cannot predate service.
    received = served_on(facts)
    if received is not None and on < received:
        return _refuse("payment_before_service", (_A(67),), f"缴款日期{on}早于处罚决定书送达日期{received}")
    return None


def guard_no_own_execution_power(facts: CaseFacts, config: CaseConfig, on: dt.date) -> Refusal | None:
    # 行政强制法 art. 13, 53: only a body without its own power of compulsory execution applies to
    # the court; a body with that power executes its decision itself.
    if facts.own_execution_power:
        return _refuse(
            "own_execution_power",
            (_C(13), _C(53)),
            "本机关依法具有行政强制执行权，应当依法自行强制执行，不申请人民法院强制执行",
        )
    return None
