"""Training's part of the access policy (``zhifa.core.access``): who sees which plans, courses and
supports, and who keeps them — the body's own administrators for their subtree, the guidance
office for the district."""

from __future__ import annotations

from zhifa.core import access
from zhifa.core.scopes import Scope
from zhifa.organizations.access import in_scope
from zhifa.organizations.models import User

from .models import Attendance, Course, Exam, ExamScore, LegalExamCandidate, Support, TrainingPlan

R = User.Role
#: The bodies' administrators keep their own training records; the guidance office the district's.
TRAINING_KEEPERS = (R.DEPARTMENT_ADMIN, R.TOWNSHIP_LEADER, R.GUIDANCE_OFFICE, access.ADMIN)


@access.register_visibility(TrainingPlan)
def _plans(actor, queryset):
    return Scope.for_user(actor).filter(queryset, "organization")


@access.register_visibility(Course)
def _courses(actor, queryset):
    return Scope.for_user(actor).filter(queryset, "plan__organization")


@access.register_visibility(Exam)
def _exams(actor, queryset):
    return Scope.for_user(actor).filter(queryset, "course__plan__organization")


@access.register_visibility(Attendance)
def _attendance(actor, queryset):
    return Scope.for_user(actor).filter(queryset, "officer__organization", "officer__posted_to")


@access.register_visibility(ExamScore)
def _scores(actor, queryset):
    return Scope.for_user(actor).filter(queryset, "officer__organization", "officer__posted_to")


@access.register_visibility(LegalExamCandidate)
def _candidates(actor, queryset):
    return Scope.for_user(actor).filter(queryset, "officer__organization", "officer__posted_to")


@access.register_visibility(Support)
def _supports(actor, queryset):
    return Scope.for_user(actor).filter(queryset, "supported")


access.permission(
    "training.manage",
    "制定培训方案、登记培训和考试",
    TRAINING_KEEPERS,
    in_scope,
    refusal="只能管理本单位的培训",
    basis="方案 三（五）2：编制年度培训工作方案和培训大纲",
)
access.permission(
    "training.manage_support",
    "登记“六支队伍”支撑",
    (R.GUIDANCE_OFFICE, R.TOWNSHIP_LEADER, R.DEPARTMENT_ADMIN, access.ADMIN),
    in_scope,
    refusal="只能登记对本单位的支撑",
    basis="方案 三（五）2：发挥“六支队伍”的支撑作用",
)
