"""Data of the reports app: one generation of the monthly or annual report of the reform — its
period, its progress while a worker builds it, and the PDF and Excel it produced."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class ReportRun(models.Model):
    class Kind(models.TextChoices):
        MONTHLY = "monthly", "月度报告"
        ANNUAL = "annual", "年度报告"

    class State(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "生成中"
        DONE = "done", "已完成"
        FAILED = "failed", "生成失败"

    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    period_start = models.DateField("期间起")
    period_end = models.DateField("期间止")
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.QUEUED)
    progress = models.PositiveSmallIntegerField("进度（%）", default=0)
    step = models.CharField("当前步骤", max_length=100, blank=True)
    pdf = models.FileField("PDF", upload_to="reports/%Y/", blank=True)
    xlsx = models.FileField("Excel", upload_to="reports/%Y/", blank=True)
    error = models.TextField("错误", blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="申请人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField("申请时间")
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = "改革报告"
        verbose_name_plural = "改革报告"
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="report_progress_percent"),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="report_period_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period_start:%Y-%m}"

    @property
    def title(self) -> str:
        if self.kind == self.Kind.MONTHLY:
            return f"{self.period_start:%Y年%m月}“大综合一体化”行政执法改革月度报告"
        return f"{self.period_start.year}年度“大综合一体化”行政执法改革报告"
