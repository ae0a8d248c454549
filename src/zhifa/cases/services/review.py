"""法制审核 (行政处罚法第五十八条; 浙江省综合行政执法条例第二十四条): routing a submitted case to the
district review centre or the body's own legal staff, claiming and assigning reviews, the
reviewer's opinion, and the bodies' lists of decisions that need review."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from zhifa.core import access, audit
from zhifa.core.commands import parse
from zhifa.core.errors import DomainError
from zhifa.organizations.models import Organization, User

from .. import commands, rules
from ..models import Case, LegalReview, ReviewCatalogueEntry, ReviewCentre
from .common import bump, event, locked_case, today, user_of

#: Review time limit when no centre sets one (a body's own rule, not a statutory period).
DEFAULT_LIMIT_WORKING_DAYS = 5


def _major(case: Case) -> bool:
    """区乡案件分类分级审核: major cases go to the district centre."""
    from ..facts import catalogue_district_level

    return bool(
        case.complex_case
        or case.serious_violation
        or case.major_public_interest
        or case.hearing_held_on is not None
        or catalogue_district_level(case)
    )


def own_reviewers(body: Organization):
    return User.objects.filter(
        Q(role=User.Role.LEGAL_REVIEWER)
        | Q(role_grants__role=User.Role.LEGAL_REVIEWER, role_grants__revoked_at__isnull=True),
        is_active=True,
        organization__path__startswith=body.path,
    ).distinct()


def route_review(case: Case) -> tuple[ReviewCentre | None, int]:
    body = case.organization.body()
    centre = ReviewCentre.objects.filter(bodies=body, is_active=True).first()
    if centre is not None and (_major(case) or not own_reviewers(body).exists()):
        return centre, centre.time_limit_working_days
    return None, DEFAULT_LIMIT_WORKING_DAYS


def _locked_review(actor, review_id: int) -> tuple[LegalReview, Case]:
    review = access.get_visible(actor, LegalReview.objects.select_related("case", "centre"), review_id)
    case = locked_case(actor, review.case_id, permission=None)
    review = LegalReview.objects.select_for_update(of=("self",)).select_related("centre").get(pk=review.pk)
    if review.status not in (LegalReview.Status.WAITING, LegalReview.Status.IN_REVIEW):
        raise DomainError("review_closed", f"该审核{review.get_status_display()}", "review")
    return review, case


@transaction.atomic
def claim_review(actor, review_id: int) -> LegalReview:
    """A reviewer takes a waiting review."""
    review, case = _locked_review(actor, review_id)
    access.require(actor, "cases.review", case)
    if review.reviewer_id and review.reviewer_id != actor.pk:
        raise DomainError("review_taken", f"该审核已由{review.reviewer}承办", "review")
    review.reviewer = actor
    review.status = LegalReview.Status.IN_REVIEW
    review.assigned_at = timezone.now()
    review.save()
    audit.record(
        actor, "case.claim_review", case, after={"review": review.pk}, legal_basis="《行政处罚法》第五十八条"
    )
    return review


class AssignIn(commands.Command):
    reviewer_id: commands.Id


@transaction.atomic
def assign_review(actor, review_id: int, data: dict[str, Any]) -> LegalReview:
    """The centre's lead (or the body's head) assigns a review to a reviewer who did not investigate."""
    command = parse(AssignIn, data)
    review, case = _locked_review(actor, review_id)
    access.require(actor, "cases.assign_review", review)
    reviewer = User.objects.filter(pk=command.reviewer_id, is_active=True).first()
    if reviewer is None or not access.can(reviewer, "cases.review", case):
        raise ValidationError(
            {
                "reviewer_id": ValidationError(
                    "该人员不是可审核本案的法制审核人员（须属本审查中心或本机关，且未参与本案调查）",
                    code="not_a_reviewer",
                )
            }
        )
    review.reviewer = reviewer
    review.assigned_by = user_of(actor)
    review.assigned_at = timezone.now()
    review.status = LegalReview.Status.IN_REVIEW
    review.save()
    audit.record(
        actor,
        "case.assign_review",
        case,
        after={"review": review.pk, "reviewer": reviewer.pk},
        legal_basis="《浙江省综合行政执法条例》第二十四条",
    )
    return review


def qualification_problem(reviewer) -> str | None:
    """行政处罚法第五十八条第二款: staff doing legal review for the first time hold the national legal
    professional qualification (a property of the reviewer, not of the case)."""
    if getattr(reviewer, "legal_qualification_number", ""):
        return None
    done_before = LegalReview.objects.filter(reviewer=reviewer, status=LegalReview.Status.DONE).exists()
    if done_before:
        return None
    return "初次从事行政处罚决定法制审核的人员，应当通过国家统一法律职业资格考试取得法律职业资格（行政处罚法第五十八条第二款）"


@transaction.atomic
def record_review(actor, review_id: int, data: dict[str, Any]) -> LegalReview:
    """The reviewer's opinion with the checklist. 退回补充调查 sends the case back to the officers;
    通过 lets the head decide; 不通过 / 建议修改 keep it from being decided until it is resubmitted."""
    command = parse(commands.ReviewResult, data)
    review, case = _locked_review(actor, review_id)
    access.require(actor, "cases.review", case)
    if review.reviewer_id and review.reviewer_id != actor.pk:
        raise DomainError("review_taken", f"该审核由{review.reviewer}承办", "review")
    if (problem := qualification_problem(actor)) is not None:
        raise DomainError("reviewer_not_qualified", problem, "reviewer")
    if case.state != rules.State.LEGAL_REVIEW:
        raise DomainError("case_not_in_review", f"案件处于“{case.state_label}”，不在法制审核环节", "review")
    on = command.as_of or today()
    if on > today() or on < review.submitted_on:
        raise ValidationError(
            {"as_of": ValidationError("审核日期不能晚于今天或早于提交日期", code="date_out_of_order")}
        )
    missing = [label for key, label in LegalReview.CHECKLIST if key not in command.checklist]
    if command.result == "passed" and (missing or not all(command.checklist.values())):
        raise ValidationError(
            {
                "checklist": ValidationError(
                    "审核通过须逐项核对审核要点："
                    + "、".join(
                        missing or [lbl for k, lbl in LegalReview.CHECKLIST if not command.checklist.get(k)]
                    ),
                    code="checklist_incomplete",
                )
            }
        )
    review.reviewer = actor
    review.result = command.result
    review.opinion = command.opinion
    review.checklist = command.checklist
    review.status = LegalReview.Status.DONE
    review.reviewed_at = timezone.now()
    review.reviewed_on = on
    review.save()
    audit.record(
        actor,
        "case.legal_review",
        case,
        after={
            "review": review.pk,
            "result": command.result,
            "opinion": command.opinion,
            "checklist": command.checklist,
        },
        legal_basis="《行政处罚法》第五十八条",
    )
    if command.result == "returned":
        from .procedure import perform

        perform(
            actor,
            case,
            rules.Action.RETURN_FOR_INVESTIGATION,
            commands.ReturnForInvestigation(as_of=on, reason=command.opinion),
            note="法制审核退回补充调查",
        )
    else:
        event(
            case,
            actor,
            "legal_review",
            on=on,
            note=f"法制审核{review.get_result_display()}：{command.opinion}",
            article="《行政处罚法》第五十八条",
        )
        bump(case)
    return review


# ---- the review catalogue of a body -----------------------------------------------------------


class CatalogueEntryIn(commands.Command):
    organization_id: commands.Id
    kind: str
    penalty_kind: str = ""
    amount: commands.Money | None = None
    district_level: bool = False
    description: commands.Text = ""
    basis: commands.Text = ""


@transaction.atomic
def add_catalogue_entry(actor, data: dict[str, Any]) -> ReviewCatalogueEntry:
    """A line of the body's 重大执法决定法制审核目录; applied by the rules from then on."""
    command = parse(CatalogueEntryIn, data)
    body = access.get_visible(actor, Organization, command.organization_id, input_field="organization_id")
    access.require(actor, "cases.manage_review_catalogue", body)
    if command.kind not in ReviewCatalogueEntry.Kind.values:
        raise ValidationError({"kind": ValidationError("未知的情形", code="invalid_choice")})
    if command.kind == "penalty_kind" and command.penalty_kind not in rules.PenaltyKind.__members__.values():
        raise ValidationError({"penalty_kind": ValidationError("请选择处罚种类", code="required")})
    if command.kind in ("fine_at_least", "confiscation_at_least") and not command.amount:
        raise ValidationError({"amount": ValidationError("请填写数额", code="required")})
    entry = ReviewCatalogueEntry.objects.create(
        organization=body.body(),
        kind=command.kind,
        penalty_kind=command.penalty_kind,
        amount=command.amount,
        district_level=command.district_level,
        description=command.description,
        basis=command.basis,
    )
    audit.record(
        actor,
        "review_catalogue.add",
        entry,
        after=command.model_dump(mode="json"),
        legal_basis="国办发〔2018〕118号",
    )
    return entry


@transaction.atomic
def retire_catalogue_entry(actor, entry_id: int) -> ReviewCatalogueEntry:
    entry = access.get_visible(actor, ReviewCatalogueEntry.objects.select_for_update(), entry_id)
    access.require(actor, "cases.manage_review_catalogue", entry.organization)
    entry.is_active = False
    entry.save(update_fields=["is_active"])
    audit.record(
        actor, "review_catalogue.retire", entry, before={"is_active": True}, after={"is_active": False}
    )
    return entry


class CentreIn(commands.Command):
    name: commands.Required
    organization_id: commands.Id
    body_ids: list[commands.Id] = []
    lead_id: commands.Id | None = None
    time_limit_working_days: int = DEFAULT_LIMIT_WORKING_DAYS


@transaction.atomic
def save_centre(actor, data: dict[str, Any]) -> ReviewCentre:
    """Set up the district legal review centre and the bodies it reviews for (条例第二十四条)."""
    access.require(actor, "cases.manage_review_centre")
    command = parse(CentreIn, data)
    org = access.get_visible(actor, Organization, command.organization_id, input_field="organization_id")
    bodies = [access.get_visible(actor, Organization, pk, input_field="body_ids") for pk in command.body_ids]
    lead = User.objects.filter(pk=command.lead_id).first() if command.lead_id else None
    centre, _ = ReviewCentre.objects.update_or_create(
        organization=org,
        defaults={
            "name": command.name,
            "lead": lead,
            "time_limit_working_days": command.time_limit_working_days,
        },
    )
    centre.bodies.set(bodies)
    audit.record(
        actor,
        "review_centre.save",
        centre,
        after=command.model_dump(mode="json"),
        legal_basis="《浙江省综合行政执法条例》第二十四条",
    )
    return centre
