"""Data of the public portal: published penalty decisions (行政处罚法第四十八条) and the
extras of reports made by the public on the portal (the incident itself lives in dispatch)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhifa.cases.models import Case
from zhifa.dispatch.models import Incident


class PublishedDecisionQuerySet(models.QuerySet):
    def visible(self):
        """What the public sees: published and not withdrawn."""
        return self.filter(withdrawn_at__isnull=True)


class PublishedDecision(models.Model):
    """A penalty decision published under 行政处罚法第四十八条第一款. ``snapshot`` is the text as
    published — personal data already masked — so later edits of the case never change what was
    published; a withdrawal (第四十八条第二款) hides it and keeps the reason."""

    case = models.OneToOneField(
        Case, verbose_name="案件", on_delete=models.PROTECT, related_name="publication"
    )
    organization_name = models.CharField("作出决定的机关", max_length=100)
    document_number = models.CharField("决定书文号", max_length=80)
    party_label = models.CharField("当事人（公开）", max_length=100, help_text="自然人姓名已隐去")
    party_kind = models.CharField("当事人类型", max_length=30)
    item_code = models.CharField("事项编码", max_length=60)
    item_name = models.CharField("执法事项", max_length=300)
    decision_date = models.DateField("决定日期")
    snapshot = models.JSONField("公开内容", default=dict)
    published_at = models.DateTimeField("公开时间")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="公开人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="撤回人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    withdrawal_reason = models.TextField("撤回理由", blank=True)

    objects = PublishedDecisionQuerySet.as_manager()

    class Meta:
        ordering = ["-decision_date", "-pk"]
        verbose_name = "公开的行政处罚决定"
        verbose_name_plural = "公开的行政处罚决定"
        indexes = [
            models.Index(
                fields=["decision_date"],
                condition=Q(withdrawn_at__isnull=True),
                name="published_decision_date",
            ),
            models.Index(fields=["item_code"], name="published_decision_item"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | ~Q(withdrawal_reason=""),
                name="published_decision_withdrawal_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.document_number

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


def report_photo_path(instance, filename: str) -> str:
    return f"portal/reports/{instance.incident_id}/{instance.sha256[:16]}{_suffix(filename)}"


def _suffix(filename: str) -> str:
    dot = filename.rfind(".")
    suffix = filename[dot:].lower() if dot >= 0 else ""
    return suffix if suffix in (".jpg", ".jpeg", ".png", ".webp", ".gif", ".heic") else ".jpg"


class PublicReport(models.Model):
    """What a citizen sent with a report on the portal beyond the incident's own fields: the
    photo (fixed by its SHA-256) and a hash of the sending address (for abuse review, not shown)."""

    incident = models.OneToOneField(
        Incident, verbose_name="事件", on_delete=models.PROTECT, related_name="public_report"
    )
    photo = models.FileField("现场照片", upload_to=report_photo_path, blank=True)
    sha256 = models.CharField("照片 SHA-256", max_length=64, blank=True)
    client_hash = models.CharField("来源地址摘要", max_length=64, blank=True)
    created_at = models.DateTimeField("提交时间", auto_now_add=True)

    class Meta:
        verbose_name = "公众上报"
        verbose_name_plural = "公众上报"

    def __str__(self) -> str:
        return f"公众上报 {self.incident_id}"
