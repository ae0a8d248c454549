"""Data of the party's own space (当事人空间): documents served to it and the proof of service, its
online acts (statement and defence, waiver, hearing request, deferral, rectification report, credit
repair) with their files, the online hearing, payments through a payment channel, and notices.

The acts of authority themselves stay in the cases app (``Waiver``, ``EServiceConsent``, the
case's timeline); these rows record what the party did in its space and how an officer took it up."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhifa.cases.models import Case, Document, EServiceConsent, Evidence, Payment
from zhifa.inspections.models import RectificationOrder
from zhifa.organizations.models import Organization
from zhifa.parties.models import Party


class Delivery(models.Model):
    """送达 of one case document (行政处罚法第六十一条). Electronic service into the party's space
    needs its signed consent (第六十一条第二款); the time the document reached the space is the time
    of service (民事诉讼法第九十条), the time of first reading is kept with it as the proof. Without a
    consent the document is served on paper with a 送达回证."""

    class Method(models.TextChoices):
        ELECTRONIC = "electronic", "电子送达（当事人空间）"
        PAPER = "paper", "纸质送达（送达回证）"

    document = models.OneToOneField(
        Document, verbose_name="文书", on_delete=models.PROTECT, related_name="party_delivery"
    )
    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.PROTECT, related_name="+")
    party = models.ForeignKey(
        Party, verbose_name="当事人", on_delete=models.PROTECT, related_name="deliveries"
    )
    organization = models.ForeignKey(
        Organization, verbose_name="执法机关", on_delete=models.PROTECT, related_name="+"
    )
    method = models.CharField("送达方式", max_length=20, choices=Method.choices)
    consent = models.ForeignKey(
        EServiceConsent,
        verbose_name="电子送达确认书",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    delivered_at = models.DateTimeField("送达时间")
    first_read_at = models.DateTimeField("首次阅读时间", null=True, blank=True)
    receipt = models.ForeignKey(
        Document, verbose_name="送达回证", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    receipt_file = models.FileField("送达回证（打印）", upload_to="partyspace/receipts/%Y/%m/", blank=True)
    delivered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="送达人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-delivered_at", "-id"]
        verbose_name = "文书送达"
        verbose_name_plural = "文书送达"
        indexes = [models.Index(fields=["party", "-delivered_at"]), models.Index(fields=["case"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(method="paper") | Q(consent__isnull=False),
                name="delivery_electronic_needs_consent",
            )
        ]

    def __str__(self) -> str:
        return f"{self.document_id}→{self.party_id}"


class PartyRequest(models.Model):
    """Something the party did in its space. Statements and waivers are recorded in the case at
    once (``RECORDED``); the other requests wait for an officer, who takes them up (登记、转报审批、
    复查) or answers them with a reason."""

    class Kind(models.TextChoices):
        STATEMENT = "statement", "陈述、申辩"
        WAIVER = "waiver", "放弃陈述、申辩"
        HEARING = "hearing", "听证申请"
        DEFERRAL = "deferral", "暂缓或分期缴纳罚款申请"
        RECTIFICATION = "rectification", "整改情况报告"
        CREDIT_REPAIR = "credit_repair", "信用修复申请"

    class Status(models.TextChoices):
        RECORDED = "recorded", "已记入案件"
        PENDING = "pending", "待办理"
        ACCEPTED = "accepted", "已受理"
        FORWARDED = "forwarded", "已报机关负责人审批"
        REFUSED = "refused", "未予受理"

    party = models.ForeignKey(
        Party, verbose_name="当事人", on_delete=models.PROTECT, related_name="space_requests"
    )
    kind = models.CharField("事项", max_length=20, choices=Kind.choices)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.PENDING)
    case = models.ForeignKey(
        Case, verbose_name="案件", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rectification = models.ForeignKey(
        RectificationOrder,
        verbose_name="责令整改",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.TextField("内容", blank=True)
    data = models.JSONField("申请事项", default=dict, blank=True)
    filed_at = models.DateTimeField("提交时间")
    filed_on = models.DateField("提交日期")
    signature = models.CharField("电子签名", max_length=100)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="办理人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    handled_at = models.DateTimeField("办理时间", null=True, blank=True)
    reply = models.TextField("答复", blank=True)
    reference = models.CharField("关联记录", max_length=60, blank=True)

    class Meta:
        ordering = ["-filed_at", "-id"]
        verbose_name = "当事人在线申请"
        verbose_name_plural = "当事人在线申请"
        indexes = [
            models.Index(fields=["status", "kind"]),
            models.Index(fields=["party", "-filed_at"]),
            models.Index(fields=["case", "kind"]),
        ]
        constraints = [
            # One open request of a kind per case (a second hearing request while one waits is a double click).
            models.UniqueConstraint(
                fields=["case", "kind"],
                condition=Q(status="pending", case__isnull=False),
                name="party_request_one_pending_per_case",
            ),
            models.UniqueConstraint(
                fields=["rectification"],
                condition=Q(status="pending", rectification__isnull=False),
                name="party_request_one_pending_per_rectification",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}（{self.get_status_display()}）"


def party_file_path(instance, filename: str) -> str:
    return f"partyspace/files/{instance.request.party_id}/{instance.sha256[:16]}-{filename}"


class PartyFile(models.Model):
    """A file the party uploaded with a request (evidence, rectification photos); its SHA-256 fixes
    the content received (行政处罚法第四十七条). An officer may take it into the case as evidence."""

    request = models.ForeignKey(PartyRequest, on_delete=models.CASCADE, related_name="files")
    file = models.FileField("文件", upload_to=party_file_path)
    name = models.CharField("文件名", max_length=120)
    content_type = models.CharField("类型", max_length=40)
    size = models.PositiveIntegerField("大小")
    sha256 = models.CharField("SHA-256", max_length=64)
    evidence = models.OneToOneField(
        Evidence,
        verbose_name="已纳入的证据",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["request", "id"]
        verbose_name = "当事人上传的文件"
        verbose_name_plural = "当事人上传的文件"

    def __str__(self) -> str:
        return self.name


class HearingSession(models.Model):
    """The online hearing of a case (行政处罚法第六十四条): the meeting link and time given with the
    notice, the party's attendance, and the record the party signs or refuses to sign (第八项)."""

    class Signature(models.TextChoices):
        PENDING = "pending", "待当事人核对"
        SIGNED = "signed", "当事人已签名"
        REFUSED = "refused", "当事人拒绝签名"

    case = models.OneToOneField(
        Case, verbose_name="案件", on_delete=models.PROTECT, related_name="hearing_session"
    )
    meeting_url = models.URLField("在线听证会议链接", max_length=300)
    starts_at = models.DateTimeField("听证开始时间")
    place = models.CharField("地点", max_length=200)
    party_joined_at = models.DateTimeField("当事人进入时间", null=True, blank=True)
    held_on = models.DateField("举行日期", null=True, blank=True)
    party_absent = models.BooleanField("当事人无正当理由未出席", default=False)
    record_text = models.TextField("听证笔录", blank=True)
    record_published_at = models.DateTimeField("笔录送交当事人核对时间", null=True, blank=True)
    signature_state = models.CharField("笔录签名", max_length=20, choices=Signature.choices, blank=True)
    signed_at = models.DateTimeField("签名或拒签时间", null=True, blank=True)
    signature = models.CharField("电子签名", max_length=100, blank=True)
    refusal_reason = models.TextField("拒签理由", blank=True)
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "在线听证"
        verbose_name_plural = "在线听证"

    def __str__(self) -> str:
        return f"听证 {self.case_id}"


class PaymentOrder(models.Model):
    """One online payment of a fine through a payment channel (行政处罚法第六十七条第三款): created
    when the party starts paying, completed once by the channel's confirmation."""

    class Status(models.TextChoices):
        CREATED = "created", "待支付"
        PAID = "paid", "已支付"
        FAILED = "failed", "支付失败"

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.PROTECT, related_name="+")
    party = models.ForeignKey(Party, verbose_name="当事人", on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField("金额（元）", max_digits=14, decimal_places=2)
    channel = models.CharField("支付渠道", max_length=40)
    reference = models.CharField("缴款单号", max_length=40, unique=True)
    external_ref = models.CharField("渠道交易号", max_length=80, blank=True)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.CREATED)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    paid_at = models.DateTimeField("支付时间", null=True, blank=True)
    payment = models.OneToOneField(
        Payment, verbose_name="缴款记录", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "在线缴款"
        verbose_name_plural = "在线缴款"
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_order_amount_positive")
        ]

    def __str__(self) -> str:
        return self.reference


class Notice(models.Model):
    """A message in the party's space (e.g. 非现场执法 evidence recorded against it). ``key`` makes
    the same message once."""

    party = models.ForeignKey(
        Party, verbose_name="当事人", on_delete=models.CASCADE, related_name="space_notices"
    )
    key = models.CharField(max_length=80)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容")
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "当事人消息"
        verbose_name_plural = "当事人消息"
        constraints = [models.UniqueConstraint(fields=["party", "key"], name="party_notice_once")]

    def __str__(self) -> str:
        return self.title
