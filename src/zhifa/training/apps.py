"""The training app's configuration: menu entry, API prefix, permissions."""

from django.apps import AppConfig

from zhifa.core.nav import DEPARTMENT_ADMIN, GUIDANCE_OFFICE, HEAD, OFFICER, TOWNSHIP_LEADER, Entry

AUDIT_LABELS = {
    "training.attendance.record": "登记培训出勤",
    "training.course.create": "新增培训课程",
    "training.exam.create": "新增考试",
    "training.plan.create": "制定培训方案",
    "training.scores.record": "登记考试成绩",
    "training.support.assign": "登记“六支队伍”支撑",
}


class TrainingConfig(AppConfig):
    audit_labels = AUDIT_LABELS
    name = "zhifa.training"
    label = "training"
    verbose_name = "执法保障·培训"
    api_prefix = "/training"
    nav = [
        Entry(
            "培训",
            "training:plans",
            "roster",
            order=60,
            roles=(DEPARTMENT_ADMIN, TOWNSHIP_LEADER, GUIDANCE_OFFICE, OFFICER, HEAD),
        )
    ]

    def ready(self) -> None:
        from . import access  # noqa: F401  (registers the permissions of training)
