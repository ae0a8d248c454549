"""Discretion baselines (行政裁量权基准) with their circumstance levels, and the flexible
enforcement lists (不予处罚 / 减轻 / 从轻 / 免予强制 / 告知承诺, with 首违不罚 entries).

A baseline is versioned per item: draft → in force → superseded. A case keeps the version in
force on the day it was filed (``selectors.baseline_in_force``). A list entry is drafted, reviewed
and published (draft → published), and revised by a new version that supersedes it from its date;
only published entries (and superseded ones, for the days they were in force) apply to cases.

Articles: 行政处罚法第三十二条、第三十三条、第三十四条; 行政强制法第十六条; 国办发〔2022〕27号.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from zhifa.catalog.models import EnforcementItem

from . import rules

DRAFT, IN_FORCE, SUPERSEDED = "draft", "in_force", "superseded"
STATUS_LABELS = {DRAFT: "草稿", IN_FORCE: "施行中", SUPERSEDED: "已被替代"}
PUBLISHED, WITHDRAWN = "published", "withdrawn"
ENTRY_STATUS_LABELS = {
    DRAFT: "待审核",
    PUBLISHED: "已公布",
    SUPERSEDED: "已被新版本替代",
    WITHDRAWN: "已撤回",
}


class DiscretionBaseline(models.Model):
    item = models.ForeignKey(
        EnforcementItem, verbose_name="执法事项", on_delete=models.PROTECT, related_name="baselines"
    )
    version = models.PositiveIntegerField("版本号")
    status = models.CharField("状态", max_length=12, choices=list(STATUS_LABELS.items()), default=DRAFT)
    effective_from = models.DateField("施行日期")
    effective_to = models.DateField("失效日期", null=True, blank=True, help_text="最后有效的一天")
    statutory_kind = models.CharField(
        "法定幅度计算方式", max_length=20, choices=list(rules.RANGE_KIND_LABELS.items())
    )
    statutory_low = models.DecimalField("法定下限", max_digits=14, decimal_places=2)
    statutory_high = models.DecimalField("法定上限", max_digits=14, decimal_places=2)
    statutory_note = models.CharField("法定幅度依据", max_length=300, blank=True)
    document_number = models.CharField("发布文号", max_length=100, blank=True)
    published_on = models.DateField(
        "公布日期", null=True, blank=True, help_text="行政处罚法第三十四条：裁量基准应当向社会公布"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="批准人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField("批准时间", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item__code", "-version"]
        verbose_name = "行政裁量权基准"
        verbose_name_plural = "行政裁量权基准"
        constraints = [
            models.UniqueConstraint(fields=["item", "version"], name="baseline_unique_version"),
            models.UniqueConstraint(
                fields=["item"],
                condition=Q(status=IN_FORCE, effective_to__isnull=True),
                name="baseline_one_open_in_force",
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=F("effective_from")),
                name="baseline_dates_ordered",
            ),
        ]
        indexes = [models.Index(fields=["item", "status", "effective_from"], name="baseline_in_force")]

    def __str__(self) -> str:
        return f"{self.item.code} 第{self.version}版"

    @property
    def statutory(self) -> rules.PenaltyRange:
        return rules.PenaltyRange(self.statutory_kind, self.statutory_low, self.statutory_high)

    def to_rule(self, levels=None) -> rules.Baseline:
        levels = list(self.levels.all()) if levels is None else levels
        return rules.Baseline(tuple(level.to_rule() for level in levels), self.statutory, str(self.version))


class CircumstanceLevel(models.Model):
    baseline = models.ForeignKey(DiscretionBaseline, on_delete=models.CASCADE, related_name="levels")
    order = models.PositiveSmallIntegerField("序号")
    name = models.CharField("情节", max_length=10, choices=list(rules.LEVEL_LABELS.items()))
    description = models.CharField("情节描述", max_length=500, blank=True)
    conditions = models.JSONField("认定条件", default=dict, blank=True)
    range_kind = models.CharField(
        "罚款计算方式", max_length=20, choices=list(rules.RANGE_KIND_LABELS.items())
    )
    range_low = models.DecimalField("幅度下限", max_digits=14, decimal_places=2, default=Decimal("0"))
    range_high = models.DecimalField("幅度上限", max_digits=14, decimal_places=2, default=Decimal("0"))
    other_penalties = models.CharField(
        "其他处罚", max_length=200, blank=True, help_text="如警告、没收违法所得"
    )
    mitigated = models.BooleanField("减轻处罚（低于法定下限）", default=False)

    class Meta:
        ordering = ["baseline", "order"]
        verbose_name = "情节档次"
        verbose_name_plural = "情节档次"
        constraints = [models.UniqueConstraint(fields=["baseline", "order"], name="level_unique_order")]

    def __str__(self) -> str:
        return self.get_name_display()

    @property
    def range(self) -> rules.PenaltyRange:
        return rules.PenaltyRange(self.range_kind, self.range_low, self.range_high)

    @property
    def conditions_text(self) -> str:
        return rules.describe_conditions(self.conditions)

    def to_rule(self) -> rules.Level:
        return rules.Level(self.name, dict(self.conditions), self.range, self.mitigated, self.description)


class FlexibleListEntry(models.Model):
    kind = models.CharField("清单", max_length=20, choices=list(rules.LIST_KIND_LABELS.items()))
    item = models.ForeignKey(
        EnforcementItem, verbose_name="执法事项", on_delete=models.PROTECT, related_name="flexible_entries"
    )
    title = models.CharField("情形", max_length=300)
    conditions_text = models.TextField("适用条件")
    conditions = models.JSONField("结构化条件", default=dict, blank=True)
    legal_basis = models.CharField("法律依据", max_length=300)
    first_offence_waiver = models.BooleanField("首违不罚", default=False)
    version = models.PositiveIntegerField("版本号", default=1)
    effective_from = models.DateField("施行日期")
    effective_to = models.DateField("失效日期", null=True, blank=True)
    published_on = models.DateField("公布日期", null=True, blank=True)
    status = models.CharField("状态", max_length=12, choices=list(ENTRY_STATUS_LABELS.items()), default=DRAFT)
    supersedes = models.ForeignKey(
        "self", verbose_name="修订的条目", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField("审核时间", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "item__code", "pk"]
        verbose_name = "包容审慎监管清单条目"
        verbose_name_plural = "包容审慎监管清单条目"
        indexes = [
            models.Index(fields=["kind", "effective_from"], name="flex_kind_from"),
            models.Index(fields=["item", "effective_from"], name="flex_item_from"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=F("effective_from")),
                name="flex_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def to_rule(self) -> rules.Entry:
        return rules.Entry(
            self.kind, dict(self.conditions), self.legal_basis, self.first_offence_waiver, self.title, self.pk
        )
