"""Cross-cutting data: the hash-chained audit log and the holiday override table."""

from __future__ import annotations

from django.db import models


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):  # noqa: D102
        raise PermissionError("审计日志只能追加，不能修改")

    def delete(self):  # noqa: D102
        raise PermissionError("审计日志只能追加，不能删除")


class AuditEvent(models.Model):
    """One recorded action (全程留痕). Append-only; each row's hash covers the previous row's hash.

    Actor and organisation are copied as plain values, not foreign keys, so that the record
    outlives any change to the people and bodies it names.
    """

    chain = models.PositiveSmallIntegerField("链", default=0)
    seq = models.BigIntegerField("序号")
    at = models.DateTimeField("时间")
    actor_id = models.BigIntegerField("操作人ID", null=True, blank=True)
    actor_name = models.CharField("操作人", max_length=150, blank=True)
    organization_id = models.BigIntegerField("机构ID", null=True, blank=True, db_index=True)
    organization_name = models.CharField("机构", max_length=200, blank=True)
    action = models.CharField("动作", max_length=100)
    object_type = models.CharField("对象类型", max_length=100)
    object_id = models.CharField("对象ID", max_length=64, blank=True)
    before = models.JSONField("修改前", null=True, blank=True)
    after = models.JSONField("修改后", null=True, blank=True)
    legal_basis = models.CharField("依据", max_length=300, blank=True)
    request_id = models.CharField("请求ID", max_length=64, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["chain", "seq"]
        verbose_name = "审计事件"
        verbose_name_plural = "审计事件"
        indexes = [models.Index(fields=["object_type", "object_id"]), models.Index(fields=["at"])]
        constraints = [models.UniqueConstraint(fields=["chain", "seq"], name="core_auditevent_chain_seq")]

    def __str__(self) -> str:
        chain = f"{self.chain}/" if self.chain else ""
        return f"#{chain}{self.seq} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("审计日志只能追加，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("审计日志只能追加，不能删除")


class HolidayOverride(models.Model):
    """A day whose status differs from the chinese-calendar data (a new State Council notice,
    a local make-up day, or a year the package does not know yet)."""

    date = models.DateField("日期", unique=True)
    is_workday = models.BooleanField("是否工作日")
    name = models.CharField("说明", max_length=100, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = "节假日调整"
        verbose_name_plural = "节假日调整"

    def __str__(self) -> str:
        return f"{self.date} {'上班' if self.is_workday else '休息'} {self.name}"


class OutboxMessage(models.Model):
    """A side effect (a Celery task to send) written in the same transaction as the change that
    causes it, so neither is lost without the other: sent after commit, and again by the periodic
    ``core.deliver_outbox`` while the broker was unreachable (zhifa.core.outbox)."""

    task = models.CharField("任务", max_length=100)
    kwargs = models.JSONField("参数", default=dict)
    created_at = models.DateTimeField("写入时间", auto_now_add=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True, db_index=True)
    attempts = models.PositiveIntegerField("发送次数", default=0)
    last_error = models.CharField("最近错误", max_length=300, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "待发送任务"
        verbose_name_plural = "待发送任务"

    def __str__(self) -> str:
        return f"{self.task} #{self.pk}"
