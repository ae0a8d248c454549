"""Compulsory measures and criminal referral — the pure rules (no Django).

Each rule returns a ``Refusal`` (code, Chinese message ending with its article, machine refs) or
None; stages and deadlines are computed from plain snapshots (``PreservationFacts``,
``SeizureFacts``, ``ReferralFacts``) that the services build from the rows.

Counting the periods
--------------------
* 先行登记保存: "七日内及时作出处理决定" (行政处罚法第五十六条) — 七日 is among the periods of
  第八十五条 that are working days.
* 查封、扣押: at most 30 days, one extension of at most 30 days (行政强制法第二十五条). Periods above
  ten days are not working days (第六十九条), so these are calendar days. The day the measure is
  taken is not counted; the period is a maximum duration of a restraint on the party's property, so
  its last day is *not* moved onto the next working day (moving it would keep the property longer
  than the law allows).
* 24 hours: the emergency report (行政强制法第十九条) and the transfer after approval (移送规定第五条)
  are counted in hours.
* The three-day periods of the referral rules (移送规定第五条、第八条、第九条、第十二条): the rules do
  not say working days, so they are calendar days counted by the general rule on periods
  (民法典第二百零一条、第二百零三条): the first day is not counted, and a period ending on a rest day
  ends on the next working day (``WorkdayCalendar.calendar_deadline``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from zhifa.cases.rules.citations import COMPULSION_LAW, PENALTY_LAW, Ref, cite, ref_matches
from zhifa.core.workdays import WorkdayCalendar, day_of, default_calendar

REFERRAL_RULES = "行政执法机关移送涉嫌犯罪案件的规定"
ZHEJIANG_RULES = "浙江省综合行政执法条例"
CIVIL_CODE = "民法典"

#: 行政处罚法第五十六条 + 第八十五条: seven working days to deal with preserved evidence.
PRESERVATION_WORKING_DAYS = 7
#: 行政强制法第二十五条: at most thirty days, one extension of at most thirty days.
SEIZURE_MAX_DAYS = 30
EXTENSION_MAX_DAYS = 30
#: 行政强制法第十九条: an emergency measure is reported to the head within 24 hours.
EMERGENCY_REPORT = dt.timedelta(hours=24)
#: 移送规定第五条: the head decides within three days of the report; transfer within 24 hours.
REFERRAL_DECISION_DAYS = 3
TRANSFER_WITHIN = dt.timedelta(hours=24)
#: 移送规定第八条、第九条、第十二条.
POLICE_REVIEW_DAYS = 3
RECONSIDERATION_REQUEST_DAYS = 3
POLICE_RECONSIDERATION_DAYS = 3
SUPERVISION_SUGGESTION_DAYS = 3
HANDOVER_DAYS = 3
#: Deadlines turn to "warning" this many calendar days before they fall due; a seizure's end sooner
#: (from day 25), so that an extension can still be asked and approved before day 30.
WARNING_DAYS = 3
SEIZURE_WARNING_DAYS = 5


def P(article: int, paragraph: int | None = None, item: int | None = None) -> Ref:
    return Ref(article, paragraph, item, PENALTY_LAW)


def C(article: int, paragraph: int | None = None, item: int | None = None) -> Ref:
    return Ref(article, paragraph, item, COMPULSION_LAW)


def M(article: int, paragraph: int | None = None, item: int | None = None) -> Ref:
    return Ref(article, paragraph, item, REFERRAL_RULES)


def Z(article: int, paragraph: int | None = None, item: int | None = None) -> Ref:
    return Ref(article, paragraph, item, ZHEJIANG_RULES)


# --------------------------------------------------------------------------------------------
# Refusals
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Refusal:
    code: str
    message: str  # Chinese, ends with the citation
    article: str
    refs: tuple[str, ...] = ()
    field: str | None = None

    def cites(self, expected: str) -> bool:
        return any(ref_matches(key, expected) for key in self.refs)


def refuse(code: str, refs: Iterable[Ref], message: str, field: str | None = None) -> Refusal:
    refs = tuple(refs)
    article = cite(refs)
    return Refusal(
        code, f"{message}（{article}）" if article else message, article, tuple(r.key for r in refs), field
    )


def first(*refusals: Refusal | None) -> Refusal | None:
    return next((r for r in refusals if r is not None), None)


def date_refusal(
    on: dt.date | dt.datetime,
    *,
    today: dt.date | dt.datetime,
    field: str,
    label: str,
    after: dt.date | dt.datetime | None = None,
    after_label: str = "",
    refs: Iterable[Ref] = (),
) -> Refusal | None:
    """DESIGN.md, "Inputs": the date of an act is never in the future and never before the step it
    follows (``after``). Dates and datetimes compare as dates unless both are datetimes."""
    refs = tuple(refs)
    if day_of(on) > day_of(today) or (
        isinstance(on, dt.datetime) and isinstance(today, dt.datetime) and on > today
    ):
        return refuse("future_date", refs, f"{label}不能晚于现在", field)
    if after is not None:
        both_times = isinstance(on, dt.datetime) and isinstance(after, dt.datetime)
        if (on < after) if both_times else (day_of(on) < day_of(after)):
            shown = after.strftime("%Y-%m-%d %H:%M") if both_times else day_of(after).isoformat()
            return refuse("date_out_of_order", refs, f"{label}不能早于{after_label}（{shown}）", field)
    return None


# --------------------------------------------------------------------------------------------
# Officers on site
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OfficerOnSite:
    name: str
    kind: str = "enforcement"  # enforcement | auxiliary
    certificate_number: str | None = None
    certificate_valid_from: dt.date | None = None
    certificate_valid_to: dt.date | None = None
    certificate_status: str = "active"

    def certified_on(self, on: dt.date) -> bool:
        return bool(
            self.certificate_number
            and self.certificate_status == "active"
            and self.certificate_valid_from
            and self.certificate_valid_to
            and self.certificate_valid_from <= on <= self.certificate_valid_to
        )


def officers_refusal(
    officers: Iterable[OfficerOnSite],
    on: dt.date,
    field: str = "officer_ids",
    refs: Iterable[Ref] = (C(17, 3), C(18, item=2), C(18, item=3)),
) -> Refusal | None:
    """行政强制法第十七条第三款、第十八条第二项、第三项 (行政处罚法第五十五条 for preservation): two or more
    qualified officers, holding certificates valid on the day, carry the measure out; auxiliary
    staff may not."""
    officers = list(officers)
    auxiliary = [o.name for o in officers if o.kind != "enforcement"]
    if auxiliary:
        return refuse("auxiliary_officer", refs, f"执法辅助人员{'、'.join(auxiliary)}不能实施", field)
    uncertified = [o.name for o in officers if not o.certified_on(on)]
    if uncertified:
        return refuse("certificate_invalid", refs, f"{'、'.join(uncertified)}在{on}没有有效的执法证", field)
    if len(officers) < 2:
        return refuse("two_officers", refs, "须由两名以上持有执法证的执法人员实施", field)
    return None


# --------------------------------------------------------------------------------------------
# Deadlines
# --------------------------------------------------------------------------------------------


class Status(enum.StrEnum):
    OK = "ok"  # met on time, or not yet near
    WARNING = "warning"  # not met, due soon
    OVERDUE = "overdue"  # not met and past due, or met late
    LAPSED = "lapsed"  # an option of the body (reconsideration, supervision) not used in time


@dataclass(frozen=True)
class Deadline:
    name: str
    label: str
    due: dt.date | dt.datetime
    article: str
    status: Status
    met: dt.date | dt.datetime | None = None
    optional: bool = False  # a right of the body, not a duty
    refs: tuple[str, ...] = ()

    def cites(self, expected: str) -> bool:
        return any(ref_matches(key, expected) for key in self.refs)

    @property
    def open(self) -> bool:
        return self.met is None and self.status in (Status.OK, Status.WARNING, Status.OVERDUE)


def deadline(
    name: str,
    label: str,
    due,
    refs: Iterable[Ref],
    *,
    now: dt.datetime,
    met=None,
    optional: bool = False,
    warning_days: int = WARNING_DAYS,
) -> Deadline:
    """The status of a duty (or option) due at ``due`` (a day: met by the end of it; a moment)."""
    refs = tuple(refs)
    hours = isinstance(due, dt.datetime)
    if met is not None:
        late = (met > due) if hours and isinstance(met, dt.datetime) else day_of(met) > day_of(due)
        status = Status.OVERDUE if late else Status.OK
    else:
        past = now > due if hours else day_of(now) > due
        if past:
            status = Status.LAPSED if optional else Status.OVERDUE
        elif (day_of(due) - day_of(now)).days <= warning_days:
            status = Status.WARNING
        else:
            status = Status.OK
    return Deadline(name, label, due, cite(refs), status, met, optional, tuple(r.key for r in refs))


# --------------------------------------------------------------------------------------------
# 先行登记保存 (行政处罚法第五十六条)
# --------------------------------------------------------------------------------------------


class Stage(enum.StrEnum):
    AWAITING_APPROVAL = "awaiting_approval"
    NOT_APPROVED = "not_approved"
    WITHDRAWN = "withdrawn"
    APPROVED = "approved"
    IN_FORCE = "in_force"
    EXPIRED = "expired"
    DECIDED = "decided"
    ENDED = "ended"


STAGE_LABELS = {
    Stage.AWAITING_APPROVAL: "待负责人审批",
    Stage.NOT_APPROVED: "负责人不予批准",
    Stage.WITHDRAWN: "已撤回审批",
    Stage.APPROVED: "已批准，待实施",
    Stage.IN_FORCE: "实施中",
    Stage.EXPIRED: "期限届满未处理",
    Stage.DECIDED: "已作出处理决定",
    Stage.ENDED: "已终结",
}


def approval_stage(status: str | None) -> Stage | None:
    """The stage an approval's outcome gives a measure not yet carried out."""
    return {
        None: Stage.WITHDRAWN,
        "pending": Stage.AWAITING_APPROVAL,
        "returned": Stage.NOT_APPROVED,
        "withdrawn": Stage.WITHDRAWN,
        "approved": Stage.APPROVED,
    }[status]


@dataclass(frozen=True)
class PreservationFacts:
    approval_status: str | None = None
    approved_on: dt.date | None = None
    preserved_on: dt.date | None = None
    decided_on: dt.date | None = None


def preservation_due(preserved_on: dt.date, calendar: WorkdayCalendar = default_calendar) -> dt.date:
    # 行政处罚法第五十六条 "七日内及时作出处理决定"; 第八十五条: 七日 are working days.
    return calendar.add_working_days(preserved_on, PRESERVATION_WORKING_DAYS)


def preservation_stage(f: PreservationFacts) -> Stage:
    if f.decided_on is not None:
        return Stage.DECIDED
    if f.preserved_on is not None:
        return Stage.IN_FORCE
    return approval_stage(f.approval_status)


def preservation_deadlines(
    f: PreservationFacts, now: dt.datetime, calendar: WorkdayCalendar = default_calendar
) -> list[Deadline]:
    if f.preserved_on is None:
        return []
    return [
        deadline(
            "preservation_decision",
            "对先行登记保存的物品作出处理决定",
            preservation_due(f.preserved_on, calendar),
            (P(56), P(85)),
            now=now,
            met=f.decided_on,
        )
    ]


def preservation_execute_refusal(f: PreservationFacts, on: dt.date, today: dt.date) -> Refusal | None:
    # 行政处罚法第五十六条: only "经行政机关负责人批准" — after the head's approval, on or after its date.
    stage = preservation_stage(f)
    if stage != Stage.APPROVED:
        return refuse(
            "not_approved", (P(56),), f"先行登记保存{STAGE_LABELS[stage]}，不能实施", "preserved_on"
        )
    return date_refusal(
        on,
        today=today,
        field="preserved_on",
        label="登记保存日期",
        after=f.approved_on,
        after_label="负责人批准日期",
        refs=(P(56),),
    )


def preservation_decision_refusal(f: PreservationFacts, on: dt.date, today: dt.date) -> Refusal | None:
    # 行政处罚法第五十六条: the decision deals with evidence preserved (a late decision is still
    # recorded — and shown late); only once.
    stage = preservation_stage(f)
    if stage != Stage.IN_FORCE:
        return refuse(
            "not_in_force", (P(56),), f"先行登记保存{STAGE_LABELS[stage]}，不能作出处理决定", "decided_on"
        )
    return date_refusal(
        on,
        today=today,
        field="decided_on",
        label="处理决定日期",
        after=f.preserved_on,
        after_label="登记保存日期",
        refs=(P(56),),
    )


# --------------------------------------------------------------------------------------------
# 查封、扣押 (行政强制法第十八条、第十九条、第二十二条至第二十八条)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SeizureFacts:
    emergency: bool = False
    period_days: int = SEIZURE_MAX_DAYS
    approval_status: str | None = None
    approved_on: dt.date | None = None
    approval_decided_on: dt.date | None = None  # the head's answer, also when he returned it
    taken_at: dt.datetime | None = None  # emergency: when it was carried out on the spot
    reported_at: dt.datetime | None = None  # emergency: when it was reported to the head
    executed_on: dt.date | None = None
    extension_status: str | None = None
    extension_days: int = 0  # approved extension
    extended_on: dt.date | None = None
    extension_notice_on: dt.date | None = None
    ended_on: dt.date | None = None
    end_kind: str = ""


def period_refusal(days: int, field: str = "period_days") -> Refusal | None:
    # 行政强制法第二十五条第一款: "查封、扣押的期限不得超过三十日".
    if not 1 <= days <= SEIZURE_MAX_DAYS:
        return refuse("period_too_long", (C(25, 1),), f"查封、扣押的期限为1至{SEIZURE_MAX_DAYS}日", field)
    return None


def seizure_expiry(f: SeizureFacts) -> dt.date | None:
    """The last day of the measure: the day taken not counted, calendar days, no roll-forward."""
    if f.executed_on is None:
        return None
    return f.executed_on + dt.timedelta(days=f.period_days + (f.extension_days if f.extended_on else 0))


def seizure_stage(f: SeizureFacts, today: dt.date) -> Stage:
    if f.ended_on is not None:
        return Stage.ENDED
    if f.executed_on is None:
        return approval_stage(f.approval_status)
    if f.emergency and f.approval_status == "returned":
        return Stage.NOT_APPROVED  # 第十九条: release at once
    expiry = seizure_expiry(f)
    return Stage.EXPIRED if expiry is not None and today > expiry else Stage.IN_FORCE


def seizure_deadlines(f: SeizureFacts, now: dt.datetime) -> list[Deadline]:
    out: list[Deadline] = []
    if f.emergency and f.taken_at is not None:
        # 行政强制法第十九条: report to the head within 24 hours and obtain approval.
        out.append(
            deadline(
                "emergency_report",
                "向负责人报告并补办批准手续",
                f.taken_at + EMERGENCY_REPORT,
                (C(19),),
                now=now,
                met=f.reported_at,
            )
        )
        if f.approval_status == "returned" and f.approval_decided_on is not None:
            out.append(
                deadline(
                    "release_at_once",
                    "负责人不予批准，立即解除",
                    f.approval_decided_on,
                    (C(19),),
                    now=now,
                    met=f.ended_on,
                    warning_days=0,
                )
            )
    expiry = seizure_expiry(f)
    if expiry is not None:
        if f.extended_on is not None:
            original = f.executed_on + dt.timedelta(days=f.period_days)
            # 第二十五条第二款: the extension is notified to the party in writing, with its reasons.
            out.append(
                deadline(
                    "extension_notice",
                    "书面告知当事人延长期限",
                    original,
                    (C(25, 2),),
                    now=now,
                    met=f.extension_notice_on,
                )
            )
        label = f"查封、扣押期限届满（{'延长后共' + str(f.period_days + f.extension_days) if f.extended_on else f.period_days}日）"
        # 第二十五条、第二十七条: within the period the body deals with the property.
        out.append(
            deadline(
                "seizure_end",
                label,
                expiry,
                (C(25), C(27)),
                now=now,
                met=f.ended_on,
                warning_days=SEIZURE_WARNING_DAYS,
            )
        )
    return out


def seizure_execute_refusal(f: SeizureFacts, on: dt.date, today: dt.date) -> Refusal | None:
    # 行政强制法第十八条第一项: reported to the head and approved before it is carried out.
    stage = seizure_stage(f, today)
    if stage != Stage.APPROVED:
        return refuse(
            "not_approved", (C(18, item=1),), f"查封、扣押{STAGE_LABELS[stage]}，不能实施", "executed_on"
        )
    return date_refusal(
        on,
        today=today,
        field="executed_on",
        label="实施日期",
        after=f.approved_on,
        after_label="负责人批准日期",
        refs=(C(18, item=1),),
    )


def emergency_refusal(taken_at: dt.datetime, now: dt.datetime, not_before: dt.date | None) -> Refusal | None:
    # 行政强制法第十九条: an emergency measure is taken on the spot, then reported; it cannot lie in
    # the future, nor before the case's source was found.
    return date_refusal(
        taken_at,
        today=now,
        field="taken_at",
        label="当场实施时间",
        after=not_before,
        after_label="发现违法行为日期",
        refs=(C(19),),
    )


def _in_force(f: SeizureFacts, on: dt.date, what: str, field: str, refs: tuple[Ref, ...]) -> Refusal | None:
    """An act other than release needs a measure in force on the act's date: after the last day
    (day 30, or day 60 with the extension) the measure has expired and only its release remains
    (第二十五条、第二十八条第一款第四项)."""
    if f.ended_on is not None:
        return refuse("measure_ended", refs, f"查封、扣押已于{f.ended_on}终结，不能{what}", field)
    if f.executed_on is None:
        return refuse("measure_not_taken", refs, f"查封、扣押尚未实施，不能{what}", field)
    if f.emergency and f.approval_status == "returned":
        return refuse("emergency_not_approved", (C(19),), f"负责人不予批准，应当立即解除，不能{what}", field)
    expiry = seizure_expiry(f)
    if expiry is not None and on > expiry:
        return refuse(
            "measure_expired",
            (C(25), C(28, 1, 4)),
            f"查封、扣押期限已于{expiry}届满，只能解除，不能{what}",
            field,
        )
    return None


def extension_request_refusal(f: SeizureFacts, days: int, on: dt.date) -> Refusal | None:
    # 行政强制法第二十五条第一款: "情况复杂的，经行政机关负责人批准，可以延长，但是延长期限不得超过三十日" —
    # one extension, asked and approved while the measure is in force.
    if f.extended_on is not None or f.extension_status == "approved":
        return refuse("already_extended", (C(25, 1),), "查封、扣押只能延长一次", "days")
    if not 1 <= days <= EXTENSION_MAX_DAYS:
        return refuse("extension_too_long", (C(25, 1),), f"延长期限为1至{EXTENSION_MAX_DAYS}日", "days")
    return _in_force(f, on, "延长期限", "days", (C(25, 1),))


def extension_approval_refusal(f: SeizureFacts, days: int, on: dt.date) -> Refusal | None:
    # 第二十五条第一款: the head's approval, before the period has run out, of one extension (the
    # approval being given is not counted as an earlier one).
    f = dataclasses.replace(f, extension_status=None)
    return first(
        extension_request_refusal(f, days, on),
        date_refusal(
            on,
            today=on,
            field="as_of",
            label="批准延期日期",
            after=f.executed_on,
            after_label="实施日期",
            refs=(C(25, 1),),
        ),
    )


def extension_notice_refusal(f: SeizureFacts, on: dt.date, today: dt.date) -> Refusal | None:
    # 行政强制法第二十五条第二款: "延长查封、扣押的决定应当及时书面告知当事人，并说明理由".
    if f.extended_on is None:
        return refuse("not_extended", (C(25, 2),), "尚未批准延长期限，不能送达延期通知", "served_on")
    if f.extension_notice_on is not None:
        return refuse("notice_served", (C(25, 2),), f"延期通知已于{f.extension_notice_on}送达", "served_on")
    return first(
        _in_force(f, on, "送达延期通知", "served_on", (C(25, 2),)),
        date_refusal(
            on,
            today=today,
            field="served_on",
            label="延期通知送达日期",
            after=f.extended_on,
            after_label="批准延期日期",
            refs=(C(25, 2),),
        ),
    )


def end_refusal(
    f: SeizureFacts,
    kind: str,
    on: dt.date,
    today: dt.date,
    *,
    confiscation_decided: bool = False,
    referral_transferred: bool = False,
) -> Refusal | None:
    """行政强制法第二十七条、第二十八条: release is always possible (and due at once after expiry or a
    refused emergency approval, 第十九条); confiscation only when the penalty decision confiscates
    (行政处罚法第九条第二项) and transfer only with the criminal referral (行政强制法第二十一条), each
    within the period."""
    if f.ended_on is not None:
        return refuse("measure_ended", (C(27),), f"查封、扣押已于{f.ended_on}终结", "ended_on")
    if f.executed_on is None:
        return refuse("measure_not_taken", (C(27),), "查封、扣押尚未实施", "ended_on")
    dated = date_refusal(
        on,
        today=today,
        field="ended_on",
        label="终结日期",
        after=f.executed_on,
        after_label="实施日期",
        refs=(C(27),),
    )
    if dated is not None:
        return dated
    if kind == "release":
        return None
    if kind == "confiscate":
        if not confiscation_decided:
            return refuse(
                "no_confiscation_decided",
                (C(27), P(9, item=2)),
                "本案尚未作出没收非法财物的行政处罚决定，不能没收",
                "end_kind",
            )
        return _in_force(f, on, "没收", "ended_on", (C(27),))
    if kind == "transfer":
        if not referral_transferred:
            return refuse(
                "no_referral",
                (C(21),),
                "本案尚未向公安机关移送涉嫌犯罪案件，不能移送查封、扣押的财物",
                "end_kind",
            )
        return _in_force(f, on, "移送", "ended_on", (C(21),))
    return refuse("unknown_end", (C(27),), "终结方式只能是解除、没收或者移送", "end_kind")


# --------------------------------------------------------------------------------------------
# 移送涉嫌犯罪案件 (行政执法机关移送涉嫌犯罪案件的规定)
# --------------------------------------------------------------------------------------------


class ReferralStage(enum.StrEnum):
    TEAM = "team"
    REPORTED = "reported"
    NOT_APPROVED = "not_approved"
    APPROVED = "approved"
    TRANSFERRED = "transferred"
    RECEIVED = "received"
    ACCEPTED = "accepted"
    HANDED_OVER = "handed_over"
    REFUSED = "refused"
    RECONSIDERATION = "reconsideration"
    REFUSED_FINAL = "refused_final"
    RESUMED = "resumed"


REFERRAL_LABELS = {
    ReferralStage.TEAM: "专案组核查中",
    ReferralStage.REPORTED: "待负责人决定",
    ReferralStage.NOT_APPROVED: "负责人不批准移送",
    ReferralStage.APPROVED: "已批准，待移送",
    ReferralStage.TRANSFERRED: "已移送，待公安机关签收",
    ReferralStage.RECEIVED: "公安机关审查中",
    ReferralStage.ACCEPTED: "公安机关已立案，待移交涉案物品",
    ReferralStage.HANDED_OVER: "公安机关已立案，已移交",
    ReferralStage.REFUSED: "公安机关不予立案",
    ReferralStage.RECONSIDERATION: "提请复议中",
    ReferralStage.REFUSED_FINAL: "复议维持不予立案",
    ReferralStage.RESUMED: "已转回行政处理",
}
#: Stages in which the referral is under way: no decision may replace it (第十一条).
PENDING_STAGES = frozenset(
    {
        ReferralStage.TEAM,
        ReferralStage.REPORTED,
        ReferralStage.APPROVED,
        ReferralStage.TRANSFERRED,
        ReferralStage.RECEIVED,
        ReferralStage.ACCEPTED,
        ReferralStage.HANDED_OVER,
        ReferralStage.RECONSIDERATION,
    }
)


@dataclass(frozen=True)
class ReferralFacts:
    discovered_on: dt.date
    team_appointed_on: dt.date
    team_size: int = 2
    reported_on: dt.date | None = None
    approval_status: str | None = None
    decided_on: dt.date | None = None  # the head's decision (approved or returned)
    decided_at: dt.datetime | None = None  # the moment of the decision (for the 24 hours)
    transferred_at: dt.datetime | None = None
    received_on: dt.date | None = None
    answer: str = ""
    answered_on: dt.date | None = None
    reconsideration_requested_on: dt.date | None = None
    reconsideration_answer: str = ""
    reconsideration_answered_on: dt.date | None = None
    supervision_suggested_on: dt.date | None = None
    handed_over_on: dt.date | None = None
    resumed_on: dt.date | None = None
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def accepted_on(self) -> dt.date | None:
        if self.answer == "accepted":
            return self.answered_on
        if self.reconsideration_answer == "accepted":
            return self.reconsideration_answered_on
        return None

    @property
    def refused_on(self) -> dt.date | None:
        """The final refusal the administrative procedure continues from (第十条)."""
        if self.reconsideration_answer == "refused":
            return self.reconsideration_answered_on
        if self.answer == "refused" and self.reconsideration_requested_on is None:
            return self.answered_on
        return None


def referral_stage(f: ReferralFacts) -> ReferralStage:
    if f.resumed_on is not None:
        return ReferralStage.RESUMED
    if f.accepted_on is not None:
        return ReferralStage.HANDED_OVER if f.handed_over_on else ReferralStage.ACCEPTED
    if f.answer == "refused":
        if f.reconsideration_requested_on is None:
            return ReferralStage.REFUSED
        return (
            ReferralStage.REFUSED_FINAL
            if f.reconsideration_answer == "refused"
            else ReferralStage.RECONSIDERATION
        )
    if f.received_on is not None:
        return ReferralStage.RECEIVED
    if f.transferred_at is not None:
        return ReferralStage.TRANSFERRED
    if f.reported_on is None or f.approval_status in (None, "withdrawn"):
        return ReferralStage.TEAM
    return {
        "pending": ReferralStage.REPORTED,
        "returned": ReferralStage.NOT_APPROVED,
        "approved": ReferralStage.APPROVED,
    }[f.approval_status]


def referral_pending(f: ReferralFacts) -> str:
    """What of the referral is still under way, in words, or '' (移送规定第十一条)."""
    stage = referral_stage(f)
    return f"涉嫌犯罪案件移送{REFERRAL_LABELS[stage]}" if stage in PENDING_STAGES else ""


def three_days(start: dt.date, calendar: WorkdayCalendar) -> dt.date:
    # 移送规定 "3日": calendar days (the rules do not say working days), first day not counted, a
    # last day on a rest day moves to the next working day (民法典第二百零一条、第二百零三条).
    return calendar.calendar_deadline(start, 3)


def referral_deadlines(
    f: ReferralFacts, now: dt.datetime, calendar: WorkdayCalendar = default_calendar
) -> list[Deadline]:
    out = [
        deadline(
            "team",
            "立即指定专案组",
            f.discovered_on,
            (M(5, 1),),
            now=now,
            met=f.team_appointed_on,
            warning_days=0,
        )
    ]
    if f.reported_on is not None:
        out.append(
            deadline(
                "head_decision",
                "负责人作出批准或者不批准移送的决定",
                three_days(f.reported_on, calendar),
                (M(5, 2),),
                now=now,
                met=f.decided_on if f.approval_status in ("approved", "returned") else None,
            )
        )
    if f.approval_status == "approved" and f.decided_at is not None:
        out.append(
            deadline(
                "transfer",
                "向同级公安机关移送",
                f.decided_at + TRANSFER_WITHIN,
                (M(5, 2),),
                now=now,
                met=f.transferred_at,
                warning_days=1,
            )
        )
    if f.received_on is not None:
        out.append(
            deadline(
                "police_review",
                "公安机关审查并书面通知",
                three_days(f.received_on, calendar),
                (M(8),),
                now=now,
                met=f.answered_on,
            )
        )
    if f.answer == "refused" and f.answered_on is not None:
        out.append(
            deadline(
                "reconsideration_request",
                "提请公安机关复议（可选）",
                three_days(f.answered_on, calendar),
                (M(9, 1),),
                now=now,
                met=f.reconsideration_requested_on,
                optional=True,
            )
        )
    if f.reconsideration_requested_on is not None:
        out.append(
            deadline(
                "police_reconsideration",
                "公安机关作出复议决定",
                three_days(f.reconsideration_requested_on, calendar),
                (M(9, 2),),
                now=now,
                met=f.reconsideration_answered_on,
            )
        )
    if f.reconsideration_answer == "refused" and f.reconsideration_answered_on is not None:
        out.append(
            deadline(
                "supervision",
                "建议人民检察院立案监督（有异议时）",
                three_days(f.reconsideration_answered_on, calendar),
                (M(9, 2),),
                now=now,
                met=f.supervision_suggested_on,
                optional=True,
            )
        )
    if f.accepted_on is not None:
        out.append(
            deadline(
                "handover",
                "移交涉案物品和有关材料",
                three_days(f.accepted_on, calendar),
                (M(12),),
                now=now,
                met=f.handed_over_on,
            )
        )
    return out


def open_referral_refusal(
    discovered_on: dt.date, appointed_on: dt.date, team_size: int, today: dt.date, not_before: dt.date | None
) -> Refusal | None:
    # 移送规定第五条第一款: "应当立即指定2名或者2名以上行政执法人员组成专案组".
    if team_size < 2:
        return refuse("team_too_small", (M(5, 1),), "专案组须由2名或者2名以上行政执法人员组成", "team_ids")
    return first(
        date_refusal(
            discovered_on,
            today=today,
            field="discovered_on",
            label="发现涉嫌犯罪日期",
            after=not_before,
            after_label="发现违法行为日期",
            refs=(M(3),),
        ),
        date_refusal(
            appointed_on,
            today=today,
            field="team_appointed_on",
            label="指定专案组日期",
            after=discovered_on,
            after_label="发现涉嫌犯罪日期",
            refs=(M(5, 1),),
        ),
    )


def report_refusal(f: ReferralFacts, on: dt.date, today: dt.date) -> Refusal | None:
    # 移送规定第五条第一款: the team verifies and reports in writing to the head.
    stage = referral_stage(f)
    if stage != ReferralStage.TEAM:
        return refuse(
            "already_reported", (M(5, 1),), f"移送{REFERRAL_LABELS[stage]}，不能再次报告", "reported_on"
        )
    return date_refusal(
        on,
        today=today,
        field="reported_on",
        label="报告日期",
        after=f.team_appointed_on,
        after_label="指定专案组日期",
        refs=(M(5, 1),),
    )


def transfer_refusal(f: ReferralFacts, at: dt.datetime, now: dt.datetime) -> Refusal | None:
    # 移送规定第五条第二款: "决定批准的，应当在24小时内向同级公安机关移送" (a late transfer is recorded, and
    # shown late); never before the head's decision.
    stage = referral_stage(f)
    if stage != ReferralStage.APPROVED:
        return refuse("not_approved", (M(5, 2),), f"移送{REFERRAL_LABELS[stage]}，不能移送", "transferred_at")
    return date_refusal(
        at,
        today=now,
        field="transferred_at",
        label="移送时间",
        after=f.decided_on,
        after_label="负责人批准日期",
        refs=(M(5, 2),),
    )


def receipt_refusal(f: ReferralFacts, on: dt.date, today: dt.date) -> Refusal | None:
    # 移送规定第七条: the public security body signs the receipt of the referral letter.
    if referral_stage(f) != ReferralStage.TRANSFERRED:
        return refuse("not_transferred", (M(7),), "尚未移送或者已经签收", "received_on")
    return date_refusal(
        on,
        today=today,
        field="received_on",
        label="签收日期",
        after=f.transferred_at,
        after_label="移送时间",
        refs=(M(7),),
    )


def answer_refusal(
    f: ReferralFacts, on: dt.date, today: dt.date, accepted: bool, reasons: str
) -> Refusal | None:
    # 移送规定第八条: the written answer; a refusal states its reasons.
    if referral_stage(f) != ReferralStage.RECEIVED:
        return refuse("not_received", (M(8),), "公安机关尚未签收或者已经答复", "answered_on")
    if not accepted and not reasons.strip():
        return refuse("reasons_missing", (M(8),), "不予立案的，应当登记公安机关说明的理由", "reasons")
    return date_refusal(
        on,
        today=today,
        field="answered_on",
        label="书面通知日期",
        after=f.received_on,
        after_label="签收日期",
        refs=(M(8),),
    )


def reconsideration_refusal(
    f: ReferralFacts, on: dt.date, today: dt.date, calendar: WorkdayCalendar = default_calendar
) -> Refusal | None:
    # 移送规定第九条第一款: within three days of receiving the refusal, the body may ask the public
    # security body that refused to reconsider.
    if referral_stage(f) != ReferralStage.REFUSED:
        return refuse(
            "not_refused", (M(9, 1),), "只有公安机关不予立案后才能提请复议，且只能提请一次", "requested_on"
        )
    dated = date_refusal(
        on,
        today=today,
        field="requested_on",
        label="提请复议日期",
        after=f.answered_on,
        after_label="不予立案通知日期",
        refs=(M(9, 1),),
    )
    if dated is not None:
        return dated
    last = three_days(f.answered_on, calendar)
    if on > last:
        return refuse(
            "reconsideration_late",
            (M(9, 1),),
            f"提请复议应当自接到不予立案通知书之日起3日内（至{last}）",
            "requested_on",
        )
    return None


def reconsideration_answer_refusal(f: ReferralFacts, on: dt.date, today: dt.date) -> Refusal | None:
    # 移送规定第九条第二款: the public security body decides on the request within three days.
    if referral_stage(f) != ReferralStage.RECONSIDERATION:
        return refuse("no_reconsideration", (M(9, 2),), "没有待答复的复议请求", "answered_on")
    return date_refusal(
        on,
        today=today,
        field="answered_on",
        label="复议决定日期",
        after=f.reconsideration_requested_on,
        after_label="提请复议日期",
        refs=(M(9, 2),),
    )


def supervision_refusal(f: ReferralFacts, on: dt.date, today: dt.date) -> Refusal | None:
    # 移送规定第九条: the body may suggest that the procuratorate supervise the refusal.
    if (
        referral_stage(f) not in (ReferralStage.REFUSED, ReferralStage.REFUSED_FINAL)
        or f.supervision_suggested_on
    ):
        return refuse(
            "not_refused",
            (M(9),),
            "只有公安机关不予立案后才能建议人民检察院立案监督，且只登记一次",
            "suggested_on",
        )
    return date_refusal(
        on,
        today=today,
        field="suggested_on",
        label="建议立案监督日期",
        after=f.reconsideration_answered_on or f.answered_on,
        after_label="不予立案通知日期",
        refs=(M(9),),
    )


def handover_refusal(f: ReferralFacts, on: dt.date, today: dt.date) -> Refusal | None:
    # 移送规定第十二条: after acceptance, the items and files are handed over (within three days).
    if referral_stage(f) != ReferralStage.ACCEPTED:
        return refuse("not_accepted", (M(12),), "公安机关尚未立案或者已经移交", "handed_over_on")
    return date_refusal(
        on,
        today=today,
        field="handed_over_on",
        label="移交日期",
        after=f.accepted_on,
        after_label="立案通知日期",
        refs=(M(12),),
    )


def resume_refusal(f: ReferralFacts, on: dt.date, today: dt.date) -> Refusal | None:
    # 移送规定第十条: a case the public security body refused is dealt with administratively — not
    # while the body's request for reconsideration is pending (第九条).
    stage = referral_stage(f)
    if stage not in (ReferralStage.REFUSED, ReferralStage.REFUSED_FINAL):
        return refuse(
            "not_refused", (M(10),), f"移送{REFERRAL_LABELS[stage]}，不能转回行政处理", "resumed_on"
        )
    return date_refusal(
        on,
        today=today,
        field="resumed_on",
        label="转回行政处理日期",
        after=f.refused_on,
        after_label="不予立案（复议）决定日期",
        refs=(M(10),),
    )


# --------------------------------------------------------------------------------------------
# 证据共享 (浙江省综合行政执法条例第十八条)
# --------------------------------------------------------------------------------------------

SHA256 = re.compile(r"[0-9a-f]{64}")


def shared_evidence_refusal(
    *, same_body: bool, sha256: str, gathered_on: dt.date, today: dt.date
) -> Refusal | None:
    # 浙江省综合行政执法条例第十八条: evidence lawfully gathered by *another* body may be used; it is
    # identified by its digest, so that its integrity can be checked (行政处罚法第四十七条).
    if same_body:
        return refuse(
            "same_body",
            (Z(18),),
            "本机关收集的证据请直接登记，共享证据须来自其他行政执法机关",
            "source_organization_id",
        )
    if not SHA256.fullmatch(sha256):
        return refuse("bad_sha256", (Z(18), P(47)), "SHA-256 摘要应为64位十六进制字符", "sha256")
    return date_refusal(gathered_on, today=today, field="gathered_on", label="收集日期", refs=(Z(18),))
