"""Data of the dispatch app: incidents through the closed loop, their timeline, idempotency keys
for pushes, referrals (线索移送) and jurisdiction disputes (推诿扯皮)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhifa.catalog.models import EnforcementItem
from zhifa.organizations.models import Organization, Region

from . import rules


def _choices(labels: dict[str, str]) -> list[tuple[str, str]]:
    return list(labels.items())


class Incident(models.Model):
    """事件: a problem reported or discovered, worked through the closed loop."""

    source = models.CharField("来源", max_length=30, choices=_choices(rules.SOURCE_LABELS))
    external_id = models.CharField("来源平台编号", max_length=64, blank=True)
    tracking_code = models.CharField("查询码", max_length=16, unique=True)
    title = models.CharField("标题", max_length=200, blank=True)
    text = models.TextField("诉求内容", blank=True)
    lat = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    lng = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    address = models.CharField("地址", max_length=300, blank=True)
    township = models.ForeignKey(
        Region,
        verbose_name="所属乡镇（街道）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incidents",
    )
    reporter_name = models.CharField("报告人", max_length=50, blank=True)
    reporter_phone = models.CharField("报告人电话", max_length=30, blank=True)
    reporter_email = models.CharField("报告人邮箱", max_length=100, blank=True)
    priority = models.CharField(
        "紧急程度", max_length=10, choices=_choices(rules.PRIORITY_LABELS), default=rules.NORMAL
    )
    suggestions = models.JSONField(
        "推荐事项", default=list, blank=True, help_text="[{item_id, code, name, score}]，前三"
    )
    item = models.ForeignKey(
        EnforcementItem,
        verbose_name="执法事项",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incidents",
    )
    responsible_org = models.ForeignKey(
        Organization,
        verbose_name="承办单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incidents",
    )
    suggested_org = models.ForeignKey(
        Organization,
        verbose_name="建议承办单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    routing_note = models.CharField("承办依据", max_length=200, blank=True)
    state = models.CharField(
        "状态", max_length=20, choices=_choices(rules.STATE_LABELS), default=rules.REPORTED
    )
    reported_at = models.DateTimeField("登记时间")
    assigned_at = models.DateTimeField("交办时间", null=True, blank=True)
    replied_at = models.DateTimeField("反馈时间", null=True, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    due_at = models.DateTimeField("办理期限", null=True, blank=True)
    escalate_at = models.DateTimeField("升级督办时间", null=True, blank=True)
    overdue = models.BooleanField("超期", default=False)
    escalated = models.BooleanField("已升级督办", default=False)
    reply = models.TextField("处置结果", blank=True)
    satisfaction = models.PositiveSmallIntegerField("满意度", null=True, blank=True)
    merged_into = models.ForeignKey(
        "self", verbose_name="合并到", null=True, blank=True, on_delete=models.PROTECT, related_name="merged"
    )
    created_by = models.CharField("登记人", max_length=150, blank=True)
    #: Who pushed it (``apikey:<id>`` or ``user:<id>``): the only caller a duplicate push is
    #: answered with this incident, and the one its status feedback goes back to.
    caller = models.CharField("推送方", max_length=40, blank=True)
    routing_model = models.CharField("推荐模型版本", max_length=40, blank=True)
    routing_confidence = models.FloatField("推荐置信度", null=True, blank=True)
    needs_triage = models.BooleanField("待人工分拣", default=False)
    triage_reason = models.CharField("人工分拣原因", max_length=200, blank=True)
    rated_at = models.DateTimeField("群众评价时间", null=True, blank=True)
    rating_comment = models.CharField("群众评价意见", max_length=500, blank=True)
    citizen_reopened_at = models.DateTimeField("群众申请重办时间", null=True, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        ordering = ["-reported_at", "-pk"]
        verbose_name = "事件"
        verbose_name_plural = "事件"
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"],
                condition=~Q(external_id=""),
                name="incident_unique_external_id",
            ),
            models.CheckConstraint(
                condition=Q(satisfaction__isnull=True) | Q(satisfaction__gte=1, satisfaction__lte=5),
                name="incident_satisfaction_range",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "reported_at"], name="incident_state"),
            models.Index(fields=["township", "state"], name="incident_township"),
            models.Index(fields=["responsible_org", "state"], name="incident_org"),
            models.Index(fields=["source", "reported_at"], name="incident_source"),
            models.Index(
                fields=["due_at"],
                condition=Q(state__in=sorted(rules.WORKING_STATES)),
                name="incident_working_due",
            ),
            models.Index(fields=["overdue", "state"], name="incident_overdue"),
            models.Index(fields=["-reported_at", "-id"], name="incident_recent"),  # the list's order
            # ?overdue=true in list order (overdue incidents are older: 54,000 rows skipped otherwise)
            models.Index(
                fields=["-reported_at", "-id"], condition=Q(overdue=True), name="incident_overdue_recent"
            ),
            # the command centre's triage queue: abstained incidents still waiting
            models.Index(
                fields=["reported_at"],
                condition=Q(needs_triage=True, state="reported"),
                name="incident_triage",
            ),
            models.Index(fields=["caller", "-id"], condition=~Q(caller=""), name="incident_caller"),
            models.Index(fields=["updated_at", "id"], name="incident_updated"),  # incremental exports
        ]

    def __str__(self) -> str:
        return f"{self.tracking_code} {self.title or self.text[:20]}"

    @property
    def masked_phone(self) -> str:
        return rules.mask_phone(self.reporter_phone)

    @property
    def is_open(self) -> bool:
        return self.state in rules.OPEN_STATES

    @property
    def state_level(self) -> str:
        if self.state in (rules.CLOSED, rules.EVALUATED):
            return "good"
        if self.state in (rules.RETURNED,) or self.escalated:
            return "bad"
        if self.overdue:
            return "warn"
        return "info"


class IncidentEvent(models.Model):
    """One step of an incident's timeline (the audit log holds the tamper-evident record)."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField("时间")
    action = models.CharField("操作", max_length=30)
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20, blank=True)
    actor_name = models.CharField("操作人", max_length=150, blank=True)
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField("说明", blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["incident", "at"], name="incident_event_time")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.label}"

    @property
    def label(self) -> str:
        return rules.ACTION_LABELS.get(self.action, self.action)


class IdempotencyKey(models.Model):
    """A claim on a push: an ``Idempotency-Key`` header from one caller (``caller`` =
    ``apikey:<id>`` / ``user:<id>``), or a source platform's own id (``caller`` =
    ``source:<source>``, ``key`` = external id). The row is inserted first with ON CONFLICT DO
    NOTHING, so of two identical pushes at the same instant one wins the row and creates the
    incident, and the other waits for it and answers with the winner's incident. A replayed key
    with another body is refused (409)."""

    key = models.CharField(max_length=200)
    caller = models.CharField(max_length=200, help_text="apikey:<id>、user:<id> 或 source:<来源>")
    body_hash = models.CharField(max_length=64)
    claim = models.CharField(max_length=32, default="", help_text="写入本行的请求的随机标识")
    incident = models.ForeignKey(Incident, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["caller", "key"], name="idempotency_unique_caller_key")
        ]

    def __str__(self) -> str:
        return f"{self.caller} {self.key}"


class Referral(models.Model):
    """线索移送: a lead passed to the body that holds the power."""

    class State(models.TextChoices):
        SENT = "sent", "已移送"
        RECEIVED = "received", "已接收"

    from_org = models.ForeignKey(
        Organization, verbose_name="移送单位", on_delete=models.PROTECT, related_name="referrals_sent"
    )
    to_org = models.ForeignKey(
        Organization, verbose_name="接收单位", on_delete=models.PROTECT, related_name="referrals_received"
    )
    incident = models.ForeignKey(
        Incident,
        verbose_name="事件",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    case_ref = models.CharField("案件编号", max_length=100, blank=True)
    reason = models.TextField("移送理由")
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.SENT)
    sent_at = models.DateTimeField("移送时间")
    due_on = models.DateField("接收期限")
    received_at = models.DateTimeField("接收时间", null=True, blank=True)
    receipt = models.TextField("回执", blank=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = "线索移送"
        verbose_name_plural = "线索移送"
        indexes = [models.Index(fields=["to_org", "state"], name="referral_to_state")]

    def __str__(self) -> str:
        return f"{self.from_org} → {self.to_org}"


class JurisdictionDispute(models.Model):
    """推诿扯皮: two bodies disagree who must act; the guidance office decides, and the decision binds."""

    class State(models.TextChoices):
        OPEN = "open", "待裁定"
        DECIDED = "decided", "已裁定"

    incident = models.ForeignKey(
        Incident, verbose_name="事件", on_delete=models.PROTECT, related_name="disputes"
    )
    raised_by = models.ForeignKey(
        Organization, verbose_name="提出单位", on_delete=models.PROTECT, related_name="+"
    )
    other_org = models.ForeignKey(
        Organization, verbose_name="对方单位", on_delete=models.PROTECT, related_name="+"
    )
    raised_reason = models.TextField("提出方理由")
    other_reason = models.TextField("对方理由", blank=True)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.OPEN)
    raised_at = models.DateTimeField("提出时间")
    deadline = models.DateField("裁定期限")
    decided_org = models.ForeignKey(
        Organization,
        verbose_name="裁定承办单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision = models.TextField("裁定意见", blank=True)
    decided_at = models.DateTimeField("裁定时间", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-raised_at"]
        verbose_name = "执法争议"
        verbose_name_plural = "执法争议"
        constraints = [
            models.UniqueConstraint(
                fields=["incident"], condition=Q(state="open"), name="dispute_one_open_per_incident"
            )
        ]

    def __str__(self) -> str:
        return f"{self.raised_by} / {self.other_org}"


def incident_photo_path(instance, filename: str) -> str:
    suffix = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp", "GIF": ".gif"}.get(
        instance.image_format, ".jpg"
    )
    return f"dispatch/photos/{instance.incident_id}/{instance.stage}-{instance.sha256[:16]}{suffix}"


class IncidentPhoto(models.Model):
    """A photo of an incident: taken by the officer who found the problem (发现上报) or with the
    handling body's feedback (反馈). Fixed by its SHA-256; stored only once the incident is saved."""

    class Stage(models.TextChoices):
        REPORT = "report", "上报照片"
        FEEDBACK = "feedback", "处置照片"

    incident = models.ForeignKey(
        Incident, verbose_name="事件", on_delete=models.CASCADE, related_name="photos"
    )
    stage = models.CharField("环节", max_length=10, choices=Stage.choices)
    file = models.FileField("照片", upload_to=incident_photo_path)
    sha256 = models.CharField("SHA-256", max_length=64)
    image_format = models.CharField("格式", max_length=10)
    size = models.PositiveIntegerField("字节数")
    uploaded_by = models.CharField("上传人", max_length=150)
    created_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "事件照片"
        verbose_name_plural = "事件照片"
        constraints = [
            models.UniqueConstraint(fields=["incident", "stage", "sha256"], name="incident_photo_once")
        ]

    def __str__(self) -> str:
        return f"{self.incident_id} {self.get_stage_display()}"


class HandlingCheck(models.Model):
    """办理情况核查: a reporter rated the handling 1–2 of 5; the command centre checks how the
    incident was handled and either confirms it or reopens it."""

    class State(models.TextChoices):
        OPEN = "open", "待核查"
        CONFIRMED = "confirmed", "核查属实，办理无误"
        REOPENED = "reopened", "已重新交办"

    incident = models.ForeignKey(
        Incident, verbose_name="事件", on_delete=models.CASCADE, related_name="checks"
    )
    rating = models.PositiveSmallIntegerField("群众评分")
    comment = models.CharField("群众意见", max_length=500, blank=True)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.OPEN)
    created_at = models.DateTimeField("提出时间")
    finished_at = models.DateTimeField("核查完成时间", null=True, blank=True)
    finished_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    result = models.TextField("核查结论", blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "办理情况核查"
        verbose_name_plural = "办理情况核查"
        indexes = [models.Index(fields=["state", "created_at"], name="handling_check_state")]
        constraints = [
            models.UniqueConstraint(
                fields=["incident"], condition=Q(state="open"), name="handling_check_one_open"
            )
        ]

    def __str__(self) -> str:
        return f"{self.incident_id} {self.rating} 分"


class RoutingModelVersion(models.Model):
    """One trained routing model (``routing_model.RoutingModel``), its figures on the fixed test
    split, and whether it is the one in use. Kept after it is replaced: the figures over time."""

    version = models.CharField("版本", max_length=40, unique=True)
    created_at = models.DateTimeField("训练时间")
    active = models.BooleanField("在用", default=False)
    adopted = models.BooleanField("已采用", default=False, help_text="测试集上不差于当时在用的模型")
    trained_on = models.PositiveIntegerField("训练样本数", default=0)
    examples = models.PositiveIntegerField("其中指挥中心纠正样本", default=0)
    threshold = models.FloatField("自动派单置信度阈值", default=0.5)
    metrics = models.JSONField("测试集指标", default=dict, blank=True)
    note = models.CharField("说明", max_length=300, blank=True)
    blob = models.BinaryField("模型", null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "事项推荐模型"
        verbose_name_plural = "事项推荐模型"
        constraints = [
            models.UniqueConstraint(
                fields=["active"], condition=Q(active=True), name="routing_model_one_active"
            )
        ]

    def __str__(self) -> str:
        return self.version


class RoutingExample(models.Model):
    """A labelled example from the command centre: the text of an incident and the item (and
    body) a dispatcher gave it — a confirmation, a correction of the suggestion, a triage of an
    incident the router was unsure of, or a reassignment. The router retrains on these."""

    class Kind(models.TextChoices):
        CONFIRMATION = "confirmation", "确认推荐"
        CORRECTION = "correction", "纠正推荐"
        TRIAGE = "triage", "人工分拣"
        REASSIGNMENT = "reassignment", "转办改派"

    incident = models.ForeignKey(
        Incident,
        verbose_name="事件",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="routing_examples",
    )
    text = models.TextField("诉求内容")
    item = models.ForeignKey(
        EnforcementItem, verbose_name="执法事项", on_delete=models.PROTECT, related_name="+"
    )
    suggested_code = models.CharField("原推荐事项编码", max_length=60, blank=True)
    organization = models.ForeignKey(
        Organization,
        verbose_name="承办单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    suggested_org = models.ForeignKey(
        Organization,
        verbose_name="原建议承办单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField("类型", max_length=15, choices=Kind.choices)
    model_version = models.CharField("推荐模型版本", max_length=40, blank=True)
    created_at = models.DateTimeField("时间")
    created_by = models.CharField("操作人", max_length=150)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "事项推荐样本"
        verbose_name_plural = "事项推荐样本"
        indexes = [models.Index(fields=["created_at"], name="routing_example_time")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.item_id}"

    @property
    def suggestion_right(self) -> bool:
        return self.suggested_code == self.item.code
