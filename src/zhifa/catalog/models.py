"""The enforcement item catalog: domains, items with their legal bases and checklists, township
choices, claims, revisions, transfers of items between bodies (划转), imports and the item history.

The lists of the reform (master, comprehensive, professional, township, inspection, key
supervision) are never stored: they are queries over these rows (``selectors``).

Articles: 行政处罚法第三十八条 (an item rests on a legal basis), 第二十四条 (township libraries); plan
三.(一) (the master, comprehensive and professional lists, claims, dynamic revision).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from zhifa.organizations.models import Organization, Region

from . import rules


def _choices(labels: dict[str, str]) -> list[tuple[str, str]]:
    return list(labels.items())


class Domain(models.Model):
    """执法领域 (城乡规划, 市容环境卫生, 生态环境 …)."""

    code = models.CharField("领域编码", max_length=20, unique=True)
    name = models.CharField("名称", max_length=50, unique=True)
    sort_order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = "执法领域"
        verbose_name_plural = "执法领域"

    def __str__(self) -> str:
        return self.name


class EnforcementItemQuerySet(models.QuerySet):
    def in_force(self):
        return self.filter(status=rules.IN_FORCE)


class EnforcementItem(models.Model):
    """执法事项: one power of the district, as listed in the provincial power-item library."""

    code = models.CharField("事项编码", max_length=40, unique=True, help_text="省权力事项库编码")
    name = models.CharField("事项名称", max_length=300)
    kind = models.CharField("事项类别", max_length=30, choices=_choices(rules.KIND_LABELS))
    domain = models.ForeignKey(
        Domain, verbose_name="执法领域", on_delete=models.PROTECT, related_name="items"
    )
    penalty_types = models.JSONField("处罚种类", default=list, blank=True, help_text="行政处罚法第九条")
    fine_min = models.DecimalField("罚款下限（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    fine_max = models.DecimalField("罚款上限（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    fine_note = models.CharField(
        "罚款幅度说明", max_length=300, blank=True, help_text="如“建设工程造价5%以上10%以下”"
    )
    regulator = models.ForeignKey(
        Organization,
        verbose_name="监管主体",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="regulated_items",
    )
    enforcing_body = models.CharField(
        "实施主体类别", max_length=20, choices=_choices(rules.ENFORCING_BODY_LABELS)
    )
    high_frequency = models.BooleanField("高频", default=False)
    high_demand = models.BooleanField("高需", default=False)
    high_comprehensiveness = models.BooleanField("高综合", default=False)
    key_supervision = models.BooleanField("重点监管", default=False)
    township_library = models.CharField(
        "乡镇事项库", max_length=10, choices=_choices(rules.TOWNSHIP_LIBRARY_LABELS), default=rules.NONE
    )
    status = models.CharField(
        "状态", max_length=10, choices=_choices(rules.STATUS_LABELS), default=rules.IN_FORCE
    )
    effective_from = models.DateField("生效日期", null=True, blank=True)
    effective_to = models.DateField("失效日期", null=True, blank=True, help_text="最后有效的一天")
    published_on = models.DateField("公示日期", null=True, blank=True)
    keywords = models.TextField("检索关键词", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EnforcementItemQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = "执法事项"
        verbose_name_plural = "执法事项"
        # Every list filter starts from status (in force) and one more column.
        indexes = [
            models.Index(fields=["status", "kind"], name="item_status_kind"),
            models.Index(fields=["status", "domain"], name="item_status_domain"),
            models.Index(fields=["status", "enforcing_body"], name="item_status_body"),
            models.Index(fields=["status", "township_library"], name="item_status_library"),
            models.Index(fields=["status", "regulator"], name="item_status_regulator"),
            models.Index(fields=["status"], condition=Q(key_supervision=True), name="item_key_supervision"),
            models.Index(
                fields=["status"],
                name="item_high_three",
                condition=Q(high_frequency=True) | Q(high_demand=True) | Q(high_comprehensiveness=True),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(fine_min__isnull=True)
                | Q(fine_max__isnull=True)
                | Q(fine_min__lte=F("fine_max")),
                name="item_fine_range_ordered",
            ),
            models.CheckConstraint(
                condition=Q(effective_from__isnull=True)
                | Q(effective_to__isnull=True)
                | Q(effective_to__gte=F("effective_from")),
                name="item_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_high_three(self) -> bool:
        return self.high_frequency or self.high_demand or self.high_comprehensiveness

    @property
    def high_three_labels(self) -> list[str]:
        return [label for flag, label in rules.FLAG_LABELS.items() if getattr(self, flag)]

    @property
    def penalty_type_labels(self) -> list[str]:
        return [rules.PENALTY_TYPE_LABELS.get(t, t) for t in self.penalty_types]


class LegalBasis(models.Model):
    """实施依据: the law, article and clause an item rests on. An item has at least one
    (行政处罚法 art. 38: a penalty without a legal basis is void)."""

    item = models.ForeignKey(EnforcementItem, on_delete=models.CASCADE, related_name="legal_bases")
    order = models.PositiveSmallIntegerField("序号", default=0)
    law = models.CharField("法律法规规章", max_length=200)
    article = models.CharField("条", max_length=50, blank=True)
    clause = models.CharField("款项", max_length=50, blank=True)
    text = models.TextField("条文摘录", blank=True)

    class Meta:
        ordering = ["item", "order", "pk"]
        verbose_name = "实施依据"
        verbose_name_plural = "实施依据"

    def __str__(self) -> str:
        return f"《{self.law}》{self.article}{self.clause}"


class ChecklistEntry(models.Model):
    """One line of an inspection item's checklist (行政检查清单)."""

    item = models.ForeignKey(EnforcementItem, on_delete=models.CASCADE, related_name="checklist")
    order = models.PositiveSmallIntegerField("序号")
    text = models.CharField("检查内容", max_length=500)
    legal_basis = models.CharField("检查依据", max_length=300, blank=True)

    class Meta:
        ordering = ["item", "order"]
        verbose_name = "检查要点"
        verbose_name_plural = "检查要点"
        constraints = [models.UniqueConstraint(fields=["item", "order"], name="checklist_unique_order")]

    def __str__(self) -> str:
        return self.text


class TownshipItemChoice(models.Model):
    """An optional item (自选库) a township chose to exercise."""

    region = models.ForeignKey(
        Region, verbose_name="乡镇（街道）", on_delete=models.PROTECT, related_name="item_choices"
    )
    item = models.ForeignKey(
        EnforcementItem, verbose_name="事项", on_delete=models.PROTECT, related_name="township_choices"
    )
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    chosen_at = models.DateTimeField("选择时间", auto_now_add=True)

    class Meta:
        verbose_name = "乡镇自选事项"
        verbose_name_plural = "乡镇自选事项"
        constraints = [models.UniqueConstraint(fields=["region", "item"], name="choice_unique_region_item")]
        indexes = [models.Index(fields=["item", "region"], name="choice_item_region")]

    def __str__(self) -> str:
        return f"{self.region} · {self.item.code}"


class Claim(models.Model):
    """认领: an enforcement body accepts responsibility for an item. One claim per item at
    district level; one per item and township at township level. The database enforces it."""

    item = models.ForeignKey(
        EnforcementItem, verbose_name="事项", on_delete=models.PROTECT, related_name="claims"
    )
    organization = models.ForeignKey(
        Organization, verbose_name="认领单位", on_delete=models.PROTECT, related_name="claims"
    )
    level = models.CharField("层级", max_length=10, choices=_choices(rules.CLAIM_LEVEL_LABELS))
    region = models.ForeignKey(
        Region,
        verbose_name="区划",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="认领单位所在区划（区或乡镇）",
    )
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    claimed_at = models.DateTimeField("认领时间", auto_now_add=True)

    class Meta:
        ordering = ["item", "level", "region"]
        verbose_name = "认领"
        verbose_name_plural = "认领"
        constraints = [
            models.UniqueConstraint(
                fields=["item"],
                condition=Q(level=rules.DISTRICT_LEVEL),
                name="claim_one_per_item_district",
                violation_error_code="already_claimed",
            ),
            models.UniqueConstraint(
                fields=["item", "region"],
                condition=Q(level=rules.TOWNSHIP_LEVEL),
                name="claim_one_per_item_township",
                violation_error_code="already_claimed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item.code} · {self.organization}"


class CatalogRevision(models.Model):
    """动态调整: one change set of the catalog after a law was made, amended or repealed.
    draft → approved → applied (on its effective date)."""

    title = models.CharField("标题", max_length=200)
    reason = models.CharField("调整原因", max_length=20, choices=_choices(rules.REVISION_REASON_LABELS))
    law = models.CharField("相关法律法规", max_length=200, blank=True)
    document_number = models.CharField("文号", max_length=100, blank=True)
    effective_on = models.DateField("生效日期")
    note = models.TextField("说明", blank=True)
    state = models.CharField(
        "状态", max_length=10, choices=_choices(rules.REVISION_STATE_LABELS), default=rules.DRAFT
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="提出人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField("提出时间", auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审批人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField("审批时间", null=True, blank=True)
    applied_at = models.DateTimeField("生效处理时间", null=True, blank=True)
    apply_error = models.TextField("未能生效的原因", blank=True)
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="退回人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    rejected_at = models.DateTimeField("退回时间", null=True, blank=True)
    reject_reason = models.TextField("退回理由", blank=True)
    #: 划转: when set, applying the revision also moves the district claims of its changed items from
    #: their current holder to this body, recorded as ``ItemTransfer`` rows with the effective date.
    transfer_to = models.ForeignKey(
        Organization, verbose_name="划转至", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-effective_on", "-pk"]
        verbose_name = "清单动态调整"
        verbose_name_plural = "清单动态调整"
        indexes = [models.Index(fields=["state", "effective_on"], name="revision_state_due")]

    def __str__(self) -> str:
        return self.title

    @property
    def legal_basis(self) -> str:
        return (
            "".join(
                part
                for part in (
                    f"《{self.law}》" if self.law else "",
                    f"（{self.document_number}）" if self.document_number else "",
                )
            )
            or self.get_reason_display()
        )


class RevisionChange(models.Model):
    """One change of a revision: add, change or retire an item. ``content`` is the item's full new
    content in the import row format (``services.item_content``); empty for a retirement."""

    revision = models.ForeignKey(CatalogRevision, on_delete=models.CASCADE, related_name="changes")
    order = models.PositiveSmallIntegerField("序号", default=0)
    action = models.CharField("调整方式", max_length=10, choices=_choices(rules.CHANGE_ACTION_LABELS))
    item_code = models.CharField("事项编码", max_length=40)
    content = models.JSONField("调整后内容", default=dict, blank=True)

    class Meta:
        ordering = ["revision", "order", "pk"]
        verbose_name = "调整明细"
        verbose_name_plural = "调整明细"
        indexes = [models.Index(fields=["item_code"], name="revision_change_code")]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.item_code}"


class ItemHistory(models.Model):
    """One version of an item: its content, in force from ``valid_from`` to ``valid_to``
    (both inclusive; open-ended while current). "The catalog as of a date" reads these rows."""

    item = models.ForeignKey(EnforcementItem, on_delete=models.PROTECT, related_name="history")
    code = models.CharField("事项编码", max_length=40)
    content = models.JSONField("内容")
    valid_from = models.DateField("有效期起")
    valid_to = models.DateField("有效期止", null=True, blank=True)
    retired = models.BooleanField("因取消而结束", default=False)
    revision = models.ForeignKey(
        CatalogRevision, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code", "valid_from", "pk"]
        verbose_name = "事项历史版本"
        verbose_name_plural = "事项历史版本"
        indexes = [
            models.Index(fields=["valid_from", "valid_to"], name="history_validity"),
            models.Index(fields=["item", "valid_to"], name="history_item_current"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.valid_from}–{self.valid_to or ''}"


class CatalogVersion(models.Model):
    """A counter bumped by every write to the catalog, so per-process caches (the search index)
    know when to rebuild. One row. The random ``token`` changes with it: a counter alone can
    repeat after a rolled-back write and leave a cache built inside that transaction looking current."""

    version = models.PositiveBigIntegerField(default=0)
    token = models.CharField(max_length=32, default="")

    class Meta:
        verbose_name = "清单版本"
        verbose_name_plural = "清单版本"

    def __str__(self) -> str:
        return f"v{self.version}"


class ItemTransfer(models.Model):
    """划转: from ``effective_on`` the item is exercised by ``to_organization`` instead of
    ``from_organization`` (e.g. the agriculture items that went to the comprehensive bureau in the
    "1+5" reform). Cases and indicators on either side of the date are attributed through these
    rows (``selectors.holder_on``)."""

    item = models.ForeignKey(
        EnforcementItem, verbose_name="事项", on_delete=models.PROTECT, related_name="transfers"
    )
    from_organization = models.ForeignKey(
        Organization,
        verbose_name="原实施单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_organization = models.ForeignKey(
        Organization, verbose_name="划入单位", on_delete=models.PROTECT, related_name="+"
    )
    effective_on = models.DateField("划转生效日期")
    previous_enforcing_body = models.CharField(
        "原实施主体类别", max_length=20, blank=True, choices=_choices(rules.ENFORCING_BODY_LABELS)
    )
    new_enforcing_body = models.CharField(
        "划转后实施主体类别", max_length=20, blank=True, choices=_choices(rules.ENFORCING_BODY_LABELS)
    )
    revision = models.ForeignKey(
        CatalogRevision,
        verbose_name="依据的调整",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transfers",
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item", "effective_on", "pk"]
        verbose_name = "事项划转"
        verbose_name_plural = "事项划转"
        indexes = [models.Index(fields=["item", "effective_on"], name="transfer_item_day")]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.from_organization_id}→{self.to_organization_id} {self.effective_on}"


class CatalogImport(models.Model):
    """One uploaded Excel file: its checked rows and every row error. A clean file is committed in
    one step, all rows or none, either straight into the catalog (执法指导办) or as a revision for
    review (部门管理员)."""

    PREVIEWED, COMMITTED, DISCARDED = "previewed", "committed", "discarded"
    STATE_LABELS = {PREVIEWED: "待确认", COMMITTED: "已导入", DISCARDED: "已放弃"}

    file_name = models.CharField("文件名", max_length=200)
    sha256 = models.CharField("SHA-256", max_length=64)
    rows = models.JSONField("通过检查的行", default=list)
    errors = models.JSONField("错误", default=list)
    row_count = models.PositiveIntegerField("数据行数", default=0)
    new_codes = models.JSONField("新增事项编码", default=list)
    changed_codes = models.JSONField("调整事项编码", default=list)
    state = models.CharField("状态", max_length=12, choices=_choices(STATE_LABELS), default=PREVIEWED)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name="上传单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    revision = models.ForeignKey(
        CatalogRevision,
        verbose_name="生成的调整",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    committed_at = models.DateTimeField("确认时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "清单导入"
        verbose_name_plural = "清单导入"

    def __str__(self) -> str:
        return self.file_name

    @property
    def ok(self) -> bool:
        return not self.errors
