"""The typed input of every act on a measure or a referral (DESIGN.md, "Inputs"): the page, the API
and the demo build the same command; anything else is refused with 422 naming the field."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field, field_validator

from zhifa.core.commands import Command


def aware(value: dt.datetime) -> dt.datetime:
    """A time typed without a zone is the district's local time (Asia/Shanghai)."""
    from django.utils import timezone

    return timezone.make_aware(value) if timezone.is_naive(value) else value


Id = Annotated[int, Field(ge=1, le=2**63 - 1)]
Text = Annotated[str, Field(max_length=2000)]
Required = Annotated[str, Field(min_length=1, max_length=2000)]
LongRequired = Annotated[str, Field(min_length=1, max_length=20000)]
Short = Annotated[str, Field(min_length=1, max_length=200)]
Number = Annotated[str, Field(min_length=1, max_length=80)]
Officers = Annotated[list[Id], Field(min_length=1, max_length=10)]


class MeasureItemIn(Command):
    """One line of a list of items (清单): name, quantity, unit."""

    name: Annotated[str, Field(min_length=1, max_length=100)]
    quantity: Annotated[Decimal, Field(gt=0, le=Decimal("1000000000"), max_digits=14, decimal_places=3)]
    unit: Annotated[str, Field(min_length=1, max_length=20)]
    note: Annotated[str, Field(max_length=200)] = ""


Items = Annotated[list[MeasureItemIn], Field(min_length=1, max_length=200)]


class OnSite(Command):
    """行政强制法第十八条 (行政处罚法第五十五条): two officers, the party present or a witness."""

    officer_ids: Officers
    party_present: bool = True
    witness: Annotated[str, Field(max_length=100)] = ""


# ---- 先行登记保存 -----------------------------------------------------------------------------


class ProposePreservation(Command):
    """提请先行登记保存 (行政处罚法第五十六条): what, where, and why the evidence may be lost."""

    items: Items
    place: Short
    reason: Required


class ExecutePreservation(OnSite):
    preserved_on: dt.date
    site_note: Text = ""


class PreservationDecisionIn(Command):
    decided_on: dt.date
    decision: Literal["evidence_kept", "inspection", "seizure", "confiscation", "release"]
    note: Required


# ---- 查封、扣押 --------------------------------------------------------------------------------


class ProposeSeizure(Command):
    """提请查封、扣押 (行政强制法第十八条第一项、第二十四条)."""

    kind: Literal["seal", "seize"]
    items: Items
    place: Short
    reason: Required
    legal_basis: Annotated[str, Field(min_length=1, max_length=300)]
    period_days: Annotated[int, Field(ge=1, le=30)] = 30


class ExecuteSeizure(OnSite):
    """实施 (第十八条第二项至第九项): the record signed on the spot, the party's statement heard."""

    executed_on: dt.date
    statement: Text = ""
    record: Required


class EmergencySeizure(ProposeSeizure, OnSite):
    """情况紧急当场实施 (第十九条): carried out, then reported to the head within 24 hours."""

    taken_at: dt.datetime
    emergency_reason: Required
    statement: Text = ""
    record: Required

    _aware = field_validator("taken_at")(classmethod(lambda cls, value: aware(value)))


class RequestExtension(Command):
    """延长查封、扣押期限 (第二十五条第一款): the complex circumstances that need more time."""

    days: Annotated[int, Field(ge=1, le=30)]
    reason: Required
    requested_on: dt.date | None = None  # today when not given


class ExtensionNotice(Command):
    served_on: dt.date


class EndSeizure(Command):
    """解除、没收或者移送 (第二十一条、第二十七条、第二十八条)."""

    ended_on: dt.date
    end_kind: Literal["release", "confiscate", "transfer"]
    ground: Literal["no_violation", "unrelated", "decided", "expired", "other", "not_approved"] | None = None
    transfer_to: Annotated[str, Field(max_length=200)] = ""
    note: Text = ""


# ---- approvals the head gives in the cases inbox ------------------------------------------------


class MeasureApproval(Command):
    """The proposal of a preservation or a seizure: its basis (the record itself is linked)."""

    basis: Required


class ExtensionApproval(Command):
    days: Annotated[int, Field(ge=1, le=30)]
    reason: Required


# ---- 移送涉嫌犯罪案件 ---------------------------------------------------------------------------


class OpenReferral(Command):
    """专案组 (移送规定第五条第一款): at once, two or more officers."""

    discovered_on: dt.date
    team_appointed_on: dt.date
    team_ids: Annotated[list[Id], Field(min_length=1, max_length=10)]
    suspected_crime: Required


class ReportReferral(Command):
    reported_on: dt.date
    report: LongRequired


MATERIALS = {
    "items_list": "涉案物品清单",
    "inspection_reports": "有关检验报告或者鉴定结论",
    "other": "其他有关涉嫌犯罪的材料",
}


class TransferReferral(Command):
    """移送 (第五条第二款、第六条): the letter and the report go with it, plus the listed materials."""

    transferred_at: dt.datetime
    police_body: Short
    materials: list[Literal["items_list", "inspection_reports", "other"]] = []

    _aware = field_validator("transferred_at")(classmethod(lambda cls, value: aware(value)))


class MeasureReceiptIn(Command):
    received_on: dt.date
    receipt_signed_by: Annotated[str, Field(min_length=1, max_length=100)]
    forwarded_to: Annotated[str, Field(max_length=200)] = ""


class MeasureAnswerIn(Command):
    answered_on: dt.date
    accepted: bool
    answer_number: Number
    reasons: Text = ""


class ReconsiderationIn(Command):
    requested_on: dt.date
    reasons: Required


class SupervisionIn(Command):
    suggested_on: dt.date
    procuratorate: Short


class HandoverIn(Command):
    handed_over_on: dt.date
    materials: Required


class ResumeIn(Command):
    resumed_on: dt.date


# ---- 证据共享 ------------------------------------------------------------------------------------

EVIDENCE_KINDS = (
    "documentary",
    "physical",
    "audiovisual",
    "electronic",
    "witness",
    "party_statement",
    "expert_opinion",
    "inspection_record",
)


class ShareEvidenceIn(Command):
    """Evidence another body gathered (浙江省综合行政执法条例第十八条), by reference."""

    source_organization_id: Id
    source_case_number: Number
    kind: Literal[EVIDENCE_KINDS]  # type: ignore[valid-type]
    description: Required
    sha256: Annotated[str, Field(min_length=64, max_length=64)]
    gathered_on: dt.date
    transfer_letter: Annotated[str, Field(max_length=120)] = ""

    @field_validator("sha256")
    @classmethod
    def _lower(cls, value: str) -> str:
        return value.lower()
