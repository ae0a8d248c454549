"""The supervision alert of 审管联动: a post-approval check past its deadline (registered with
the supervision app's rule registry, read-only over this app's data)."""

from __future__ import annotations

from django.utils import timezone


def register_rules() -> None:
    from zhifa.supervision import rules_registry
    from zhifa.supervision.rules import Finding, Severity

    if "post_approval_check_overdue" in rules_registry.RULES:
        return

    @rules_registry.register(
        "post_approval_check_overdue",
        "批后监管逾期",
        Severity.MEDIUM,
        "审管联动：审批后监管部门未在期限内完成批后检查",
        "审管联动：谁审批谁负责、谁主管谁监管，批后监管须在期限内完成（区级配置的期限）",
    )
    def find(now, ids=None):
        from .models import PostApprovalCheck

        today = timezone.localtime(now).date() if timezone.is_aware(now) else now.date()
        rows = PostApprovalCheck.objects.filter(
            state=PostApprovalCheck.State.OPEN, deadline__lt=today
        ).select_related("approval")
        if ids is not None:
            rows = rows.filter(pk__in=list(ids))
        return [
            Finding(
                "integrations.PostApprovalCheck",
                check.pk,
                check.organization_id,
                f"批后监管逾期：{check.approval.party_name}（{check.approval.licence_name}），期限 {check.deadline}",
                {"deadline": check.deadline.isoformat(), "approval_id": check.approval.approval_id},
            )
            for check in rows
        ]
