"""Data of smart enforcement (智慧执法): non-site enforcement devices and the events they push
(行政处罚法第四十一条), special enforcement campaigns and cross-department "一件事" themes with their
plans, tasks and results."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from zhifa.cases.models import Case
from zhifa.catalog.models import Domain, EnforcementItem
from zhifa.organizations.models import Organization, Region
from zhifa.parties.models import Party


class Device(models.Model):
    """电子技术监控设备. Art. 41: before its records may be evidence a device passes a legal review
    (法制审核) and a technical check (检定/校准: conforms to standards), is set up reasonably with a
    clear sign, and its location is published. Only a published device may push events."""

    class Kind(models.TextChoices):
        CAMERA = "camera", "视频监控（摄像头）"
        SENSOR = "sensor", "传感器"
        NOISE = "noise", "噪声监测仪"
        DUST = "dust", "扬尘监测仪"
        WEIGHING = "weighing", "称重检测设备"
        OTHER = "other", "其他"

    class Status(models.TextChoices):
        DRAFT = "draft", "审核中"
        PUBLISHED = "published", "已公布启用"
        RETIRED = "retired", "已停用"

    organization = models.ForeignKey(
        Organization, verbose_name="使用单位", on_delete=models.PROTECT, related_name="devices"
    )
    code = models.CharField("设备编号", max_length=40, unique=True)
    name = models.CharField("设备名称", max_length=100)
    kind = models.CharField("设备类型", max_length=20, choices=Kind.choices)
    location = models.CharField("设置地点", max_length=200)
    township = models.ForeignKey(
        Region, verbose_name="所在乡镇（街道）", on_delete=models.PROTECT, related_name="+"
    )
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    items = models.ManyToManyField(
        EnforcementItem, verbose_name="监控的违法行为（执法事项）", related_name="devices"
    )
    # 技术审核：检定/校准
    check_certificate = models.CharField("检定/校准证书编号", max_length=100, blank=True)
    check_body = models.CharField("检定/校准机构", max_length=100, blank=True)
    checked_on = models.DateField("检定/校准日期", null=True, blank=True)
    check_valid_until = models.DateField("检定/校准有效期至", null=True, blank=True)
    signage = models.BooleanField("已设置明显标志", default=False)
    # 法制审核
    legal_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="法制审核人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    legal_reviewed_on = models.DateField("法制审核日期", null=True, blank=True)
    legal_review_opinion = models.TextField("法制审核意见", blank=True)
    published_on = models.DateField("设置地点公布日期", null=True, blank=True)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.DRAFT)
    #: The device's signing key is derived from SECRET_KEY, the code and this nonce; a new nonce
    #: (rotation) voids the old key. The key itself is never stored.
    key_nonce = models.CharField(max_length=32)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organization", "code"]
        verbose_name = "电子技术监控设备"
        verbose_name_plural = "电子技术监控设备"
        indexes = [models.Index(fields=["status", "township"])]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class DeviceEvent(models.Model):
    """One event a device pushed (非现场执法), with its evidence and the device's check data as sent.
    An officer reviews it (第四十一条第二款: 审核记录内容): accepted as a case source, or discarded."""

    class Status(models.TextChoices):
        PENDING = "pending", "待审核"
        ACCEPTED = "accepted", "已立为案源"
        DISCARDED = "discarded", "不予采用"

    device = models.ForeignKey(Device, verbose_name="设备", on_delete=models.PROTECT, related_name="events")
    external_id = models.CharField("设备事件编号", max_length=100)
    payload_sha256 = models.CharField("推送内容摘要", max_length=64)
    occurred_at = models.DateTimeField("发生时间")
    received_at = models.DateTimeField("接收时间", auto_now_add=True)
    description = models.TextField("违法情形")
    location = models.CharField("地点", max_length=200, blank=True)
    item = models.ForeignKey(
        EnforcementItem,
        verbose_name="执法事项",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    party = models.ForeignKey(
        Party,
        verbose_name="当事人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="device_events",
    )
    party_hint = models.CharField("当事人线索（名称、车牌等）", max_length=100, blank=True)
    device_check = models.JSONField("设备检定信息（推送时）")
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.PENDING)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    review_note = models.TextField("审核意见", blank=True)
    case = models.OneToOneField(
        Case,
        verbose_name="案件",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="device_event",
    )

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = "非现场执法事件"
        verbose_name_plural = "非现场执法事件"
        indexes = [models.Index(fields=["status", "device"]), models.Index(fields=["-occurred_at", "-id"])]
        constraints = [models.UniqueConstraint(fields=["device", "external_id"], name="device_event_once")]

    def __str__(self) -> str:
        return f"{self.device_id}:{self.external_id}"


def evidence_path(instance, filename: str) -> str:
    return f"smart/evidence/{instance.event.device_id}/{instance.sha256[:16]}-{filename}"


class DeviceEvidence(models.Model):
    event = models.ForeignKey(DeviceEvent, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField("文件", upload_to=evidence_path)
    name = models.CharField("文件名", max_length=120)
    content_type = models.CharField("类型", max_length=40)
    size = models.PositiveIntegerField("大小")
    sha256 = models.CharField("SHA-256", max_length=64)

    class Meta:
        ordering = ["event", "id"]
        verbose_name = "非现场执法证据"
        verbose_name_plural = "非现场执法证据"

    def __str__(self) -> str:
        return self.name


class Campaign(models.Model):
    """专项执法行动 (a campaign in key supervision fields) or 监管一件事 (a theme: one matter across
    departments, e.g. a catering shop's fire, food, environment and signboard checks in one visit)."""

    class Kind(models.TextChoices):
        CAMPAIGN = "campaign", "专项执法行动"
        THEME = "theme", "监管一件事"

    class State(models.TextChoices):
        DRAFT = "draft", "筹备中"
        RUNNING = "running", "实施中"
        CLOSED = "closed", "已总结"

    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    name = models.CharField("名称", max_length=200)
    goal = models.TextField("目标与内容", blank=True)
    lead = models.ForeignKey(
        Organization, verbose_name="牵头单位", on_delete=models.PROTECT, related_name="led_campaigns"
    )
    period_start = models.DateField("开始日期")
    period_end = models.DateField("结束日期")
    domains = models.ManyToManyField(Domain, verbose_name="执法领域", related_name="+", blank=True)
    items = models.ManyToManyField(EnforcementItem, verbose_name="检查事项", related_name="campaigns")
    bodies = models.ManyToManyField(Organization, verbose_name="参与部门", related_name="campaigns")
    townships = models.ManyToManyField(Region, verbose_name="乡镇（街道）", related_name="+", blank=True)
    industries = models.JSONField("对象行业", default=list, blank=True)
    targets = models.ManyToManyField(Party, verbose_name="指定检查对象", related_name="+", blank=True)
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    planned_at = models.DateTimeField("生成计划时间", null=True, blank=True)
    closed_at = models.DateTimeField("总结时间", null=True, blank=True)
    conclusion = models.TextField("总结", blank=True)
    report = models.FileField("总结报告", upload_to="smart/reports/%Y/", blank=True)
    report_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-period_start", "-id"]
        verbose_name = "专项行动与一件事"
        verbose_name_plural = "专项行动与一件事"
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="smart_campaign_period_ordered"
            )
        ]

    def __str__(self) -> str:
        return self.name


class CampaignPlan(models.Model):
    """A participating body's share of a campaign: the items it checks (those it claimed) and how
    many targets it visits."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="plans")
    organization = models.ForeignKey(
        Organization, verbose_name="部门", on_delete=models.PROTECT, related_name="+"
    )
    items = models.ManyToManyField(EnforcementItem, verbose_name="检查事项", related_name="+")
    task_count = models.PositiveIntegerField("任务数", default=0)

    class Meta:
        ordering = ["campaign", "organization"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "organization"], name="campaign_plan_once")
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.organization_id}"


class CampaignTask(models.Model):
    """One body's check of one target. In a theme every body's task for a target falls on the same
    day (``visit_day``): one visit, several departments (进一次门、查多项事)."""

    class State(models.TextChoices):
        OPEN = "open", "待检查"
        DONE = "done", "已检查"

    class Outcome(models.TextChoices):
        NO_ISSUE = "no_issue", "未发现问题"
        RECTIFICATION = "rectification", "责令整改"
        CASE_SUGGESTED = "case_suggested", "建议立案"
        NOT_FOUND = "not_found", "对象已停业或未找到"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="tasks")
    party = models.ForeignKey(
        Party, verbose_name="检查对象", on_delete=models.PROTECT, related_name="campaign_tasks"
    )
    township = models.ForeignKey(
        Region, verbose_name="乡镇（街道）", on_delete=models.PROTECT, related_name="+"
    )
    organization = models.ForeignKey(
        Organization, verbose_name="责任部门", on_delete=models.PROTECT, related_name="campaign_tasks"
    )
    visit_day = models.DateField("计划检查日期")
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.OPEN)
    outcome = models.CharField("检查结果", max_length=20, choices=Outcome.choices, blank=True)
    findings = models.TextField("检查情况", blank=True)
    checked_on = models.DateField("检查日期", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["visit_day", "party", "organization"]
        verbose_name = "专项行动任务"
        verbose_name_plural = "专项行动任务"
        indexes = [
            models.Index(fields=["campaign", "state"]),
            models.Index(fields=["organization", "state"]),
            models.Index(fields=["party", "checked_on"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "party", "organization"], name="campaign_task_once")
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}:{self.party_id}@{self.organization_id}"
