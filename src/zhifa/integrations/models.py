"""Data of the integrations: the platforms we feed back to (status webhooks), each delivery and
its attempts (the outbox and the dead-letter list), the systems that push to us (the approval
system of 审管联动), licence approvals and the post-approval checks they create."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhifa.catalog.models import EnforcementItem
from zhifa.dispatch.models import Incident
from zhifa.organizations.models import Organization

from . import rules


class Subscriber(models.Model):
    """A platform that sent us incidents and wants to hear what became of them (基层治理四平台,
    12345, an Open311 client): incidents pushed with any API key of ``organization`` are its own.
    Deliveries are signed with ``secret`` (HMAC-SHA256)."""

    class Adapter(models.TextChoices):
        WEBHOOK = "webhook", "通用签名回调"
        HOTLINE_12345 = "hotline_12345", "12345 热线工单回写"

    name = models.CharField("名称", max_length=100)
    organization = models.ForeignKey(
        Organization, verbose_name="推送事件所用密钥的机构", on_delete=models.PROTECT, related_name="+"
    )
    url = models.URLField("回调地址", max_length=500)
    secret = models.CharField("签名密钥", max_length=100, editable=False)
    adapter = models.CharField("格式", max_length=20, choices=Adapter.choices, default=Adapter.WEBHOOK)
    events = models.JSONField(
        "订阅的状态",
        default=list,
        blank=True,
        help_text="空：全部（accepted, assigned, handled, closed, rated, returned, reopened）",
    )
    is_active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "状态回调对象"
        verbose_name_plural = "状态回调对象"

    def __str__(self) -> str:
        return self.name

    def wants(self, event: str) -> bool:
        return self.is_active and (not self.events or event in self.events)


class Delivery(models.Model):
    """One status message to one subscriber (the outbox row, written in the transaction of the
    change it reports). ``event_id`` stays the same over retries and replays, so the receiver
    can drop what it already has."""

    class State(models.TextChoices):
        PENDING = "pending", "待发送"
        SENDING = "sending", "发送中"
        RETRYING = "retrying", "等待重试"
        DELIVERED = "delivered", "已送达"
        DEAD = "dead", "失败（死信）"

    subscriber = models.ForeignKey(
        Subscriber, verbose_name="回调对象", on_delete=models.PROTECT, related_name="deliveries"
    )
    incident = models.ForeignKey(
        Incident, verbose_name="事件", on_delete=models.PROTECT, related_name="deliveries"
    )
    event_id = models.UUIDField("消息编号", default=uuid.uuid4, unique=True, editable=False)
    event = models.CharField("状态", max_length=20)
    payload = models.JSONField("内容")
    state = models.CharField("发送状态", max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField("已尝试次数", default=0)
    next_attempt_at = models.DateTimeField("下次尝试时间")
    lease_until = models.DateTimeField("发送占用至", null=True, blank=True)
    last_status = models.PositiveSmallIntegerField("最近响应码", null=True, blank=True)
    last_error = models.CharField("最近错误", max_length=500, blank=True)
    created_at = models.DateTimeField("生成时间")
    delivered_at = models.DateTimeField("送达时间", null=True, blank=True)
    replayed_at = models.DateTimeField("人工重放时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "状态回调"
        verbose_name_plural = "状态回调"
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(state__in=["pending", "retrying", "sending"]),
                name="delivery_due",
            ),
            models.Index(fields=["state", "-created_at"], name="delivery_state"),
        ]

    def __str__(self) -> str:
        return f"{self.subscriber} {self.event} {self.incident_id}"


class DeliveryAttempt(models.Model):
    """One HTTP attempt of a delivery and what came back."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="log")
    at = models.DateTimeField("时间")
    status_code = models.PositiveSmallIntegerField("响应码", null=True, blank=True)
    response = models.CharField("响应内容（截取）", max_length=2000, blank=True)
    error = models.CharField("错误", max_length=500, blank=True)
    duration_ms = models.PositiveIntegerField("耗时（毫秒）", default=0)
    replay = models.BooleanField("人工重放", default=False)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = "回调尝试"
        verbose_name_plural = "回调尝试"

    def __str__(self) -> str:
        return f"{self.delivery_id} {self.status_code or self.error}"


class InboundClient(models.Model):
    """A system that pushes to us with signed requests (the approval system for 审管联动)."""

    code = models.SlugField("标识（X-Zhifa-Client）", max_length=50, unique=True)
    name = models.CharField("名称", max_length=100)
    secret = models.CharField("签名密钥", max_length=100, editable=False)
    is_active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "接入系统"
        verbose_name_plural = "接入系统"

    def __str__(self) -> str:
        return self.name


class SeenSignature(models.Model):
    """Signatures already accepted inside the replay window: a second request carrying one is a replay."""

    client = models.ForeignKey(InboundClient, on_delete=models.CASCADE, related_name="+")
    signature = models.CharField(max_length=64)
    at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["client", "signature"], name="seen_signature_once")]
        indexes = [models.Index(fields=["at"], name="seen_signature_at")]

    def __str__(self) -> str:
        return self.signature[:12]


class LicenceApproval(models.Model):
    """审管联动: a licence the approval system granted, pushed to us. ``approval_id`` is the
    approval system's own id: the same push twice is one approval."""

    client = models.ForeignKey(
        InboundClient, verbose_name="来源系统", on_delete=models.PROTECT, related_name="approvals"
    )
    approval_id = models.CharField("审批编号", max_length=64)
    licence_no = models.CharField("许可证号", max_length=64, blank=True)
    licence_name = models.CharField("审批事项", max_length=200)
    item = models.ForeignKey(
        EnforcementItem,
        verbose_name="批后监管对应的执法事项",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    party = models.ForeignKey(
        "parties.Party",
        verbose_name="被许可人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="licence_approvals",
    )
    party_name = models.CharField("被许可人名称", max_length=100)
    uscc = models.CharField("统一社会信用代码", max_length=18, blank=True)
    address = models.CharField("经营场所", max_length=200, blank=True)
    approved_on = models.DateField("审批日期")
    valid_to = models.DateField("有效期至", null=True, blank=True)
    supervising_org = models.ForeignKey(
        Organization, verbose_name="监管部门", on_delete=models.PROTECT, related_name="+"
    )
    payload = models.JSONField("原始推送")
    received_at = models.DateTimeField("接收时间")

    class Meta:
        ordering = ["-approved_on", "-pk"]
        verbose_name = "审批信息"
        verbose_name_plural = "审批信息"
        constraints = [
            models.UniqueConstraint(fields=["client", "approval_id"], name="approval_once_per_client")
        ]

    def __str__(self) -> str:
        return f"{self.licence_name} {self.party_name}"


class PostApprovalCheck(models.Model):
    """批后监管: the inspection the supervising department owes after an approval, by a deadline."""

    class State(models.TextChoices):
        OPEN = "open", "待检查"
        DONE = "done", "已检查"

    approval = models.OneToOneField(
        LicenceApproval, verbose_name="审批", on_delete=models.PROTECT, related_name="post_check"
    )
    organization = models.ForeignKey(
        Organization, verbose_name="监管部门", on_delete=models.PROTECT, related_name="post_approval_checks"
    )
    deadline = models.DateField("检查期限")
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.OPEN)
    done_at = models.DateTimeField("完成时间", null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    result = models.TextField("检查情况", blank=True)
    outcome = models.CharField(
        "检查结论", max_length=20, choices=list(rules.CHECK_OUTCOMES.items()), blank=True
    )
    created_at = models.DateTimeField("生成时间")

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = "批后监管任务"
        verbose_name_plural = "批后监管任务"
        indexes = [
            models.Index(fields=["organization", "state", "deadline"], name="post_check_queue"),
            models.Index(fields=["deadline"], condition=Q(state="open"), name="post_check_open_due"),
        ]

    def __str__(self) -> str:
        return f"{self.organization} · {self.approval}"
