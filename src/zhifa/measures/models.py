"""Data of compulsory measures and criminal referral. Each record belongs to a penalty case; the
head's approvals are the cases app's ``Approval`` rows (kinds ``preservation``, ``seizure``,
``seizure_extension``, ``criminal_referral``), linked here and read for their outcome. Items are
lists of ``{"name", "quantity", "unit", "note"}`` (quantities as decimal strings). The dates that
the statutory periods run from are columns, so that overdue measures are found in SQL."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhifa.cases.models import Approval, Case, Evidence
from zhifa.organizations.models import Officer, Organization


class MeasureDocument(models.Model):
    """文书 of a measure: numbered gap-free per organisation, kind and year (衢江综执扣字〔2026〕第3号),
    rendered to PDF and kept with its SHA-256 (行政处罚法第四十七条)."""

    class Kind(models.TextChoices):
        PRESERVATION_NOTICE = "preservation_notice", "先行登记保存通知书"
        PRESERVATION_DECISION = "preservation_decision", "先行登记保存物品处理决定书"
        SEAL_DECISION = "seal_decision", "查封决定书"
        SEIZE_DECISION = "seize_decision", "扣押决定书"
        SEIZURE_EXTENSION = "seizure_extension_notice", "延长查封（扣押）期限通知书"
        SEIZURE_RELEASE = "seizure_release", "解除查封（扣押）决定书"
        SEIZURE_TRANSFER = "seizure_transfer", "查封（扣押）财物移送告知书"
        CRIMINAL_REFERRAL = "criminal_referral_letter", "涉嫌犯罪案件移送书"

    case = models.ForeignKey(
        Case, verbose_name="案件", on_delete=models.CASCADE, related_name="measure_documents"
    )
    kind = models.CharField("文书种类", max_length=30, choices=Kind.choices)
    number = models.CharField("文号", max_length=80, unique=True)
    year = models.PositiveSmallIntegerField("年度")
    seq = models.PositiveIntegerField("序号")
    dated = models.DateField("文书日期")
    file = models.FileField("PDF", upload_to="measures/documents/%Y/")
    sha256 = models.CharField("SHA-256", max_length=64)
    issued_at = models.DateTimeField("出具时间")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["case", "issued_at", "id"]
        verbose_name = "强制措施文书"
        verbose_name_plural = "强制措施文书"

    def __str__(self) -> str:
        return self.number


class EvidencePreservation(models.Model):
    """先行登记保存 (行政处罚法第五十六条): evidence that may be lost or hard to obtain later, preserved
    with the head's approval and dealt with within seven working days (第八十五条)."""

    class Decision(models.TextChoices):
        EVIDENCE_KEPT = "evidence_kept", "采取记录、复制、拍照、录像等证据保全措施后退还"
        INSPECTION = "inspection", "送交检测、检验、检疫、鉴定"
        SEIZURE = "seizure", "依法采取查封、扣押措施"
        CONFISCATION = "confiscation", "违法事实成立，依法予以没收"
        RELEASE = "release", "解除先行登记保存，退还物品"

    case = models.ForeignKey(
        Case, verbose_name="案件", on_delete=models.CASCADE, related_name="preservations"
    )
    items = models.JSONField("物品清单", default=list)
    place = models.CharField("保存地点", max_length=200)
    reason = models.TextField("证据可能灭失或者以后难以取得的情形")
    approval = models.ForeignKey(
        Approval,
        verbose_name="负责人审批",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_on = models.DateField("批准日期", null=True, blank=True)
    preserved_on = models.DateField("登记保存日期", null=True, blank=True)
    officers = models.ManyToManyField(Officer, verbose_name="实施的执法人员", blank=True, related_name="+")
    party_present = models.BooleanField("当事人到场", default=True)
    witness = models.CharField("见证人", max_length=100, blank=True)
    site_note = models.TextField("现场情况", blank=True)
    due_on = models.DateField("处理决定期限", null=True, blank=True)
    decided_on = models.DateField("处理决定日期", null=True, blank=True)
    decision = models.CharField("处理决定", max_length=20, choices=Decision.choices, blank=True)
    decision_note = models.TextField("处理说明", blank=True)
    notice = models.ForeignKey(
        MeasureDocument,
        verbose_name="先行登记保存通知书",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decision_document = models.ForeignKey(
        MeasureDocument,
        verbose_name="处理决定书",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case", "created_at", "id"]
        verbose_name = "先行登记保存"
        verbose_name_plural = "先行登记保存"
        # Overdue preservations (no decision after the seventh working day) are found in SQL.
        indexes = [
            models.Index(
                fields=["due_on"], condition=Q(decided_on__isnull=True), name="preservation_open_due"
            )
        ]

    def __str__(self) -> str:
        return f"先行登记保存{self.pk}"


class Seizure(models.Model):
    """查封、扣押 (行政强制法第二十二条至第二十八条): a written decision with the list of items, at most
    thirty days, one extension of at most thirty days approved by the head and notified in writing,
    ended by release, confiscation or transfer."""

    class Kind(models.TextChoices):
        SEAL = "seal", "查封"
        SEIZE = "seize", "扣押"

    class EndKind(models.TextChoices):
        RELEASE = "release", "解除"
        CONFISCATE = "confiscate", "没收"
        TRANSFER = "transfer", "移送"

    class Ground(models.TextChoices):
        """行政强制法第二十八条 (and 第十九条 for an emergency measure the head did not approve)."""

        NO_VIOLATION = "no_violation", "当事人没有违法行为"
        UNRELATED = "unrelated", "查封、扣押的场所、设施或者财物与违法行为无关"
        DECIDED = "decided", "对违法行为已经作出处理决定，不再需要查封、扣押"
        EXPIRED = "expired", "查封、扣押期限已经届满"
        OTHER = "other", "其他不再需要采取查封、扣押措施的情形"
        NOT_APPROVED = "not_approved", "紧急情况下当场实施的措施未获负责人批准"

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.CASCADE, related_name="seizures")
    kind = models.CharField("措施", max_length=10, choices=Kind.choices)
    items = models.JSONField("场所、设施或者财物清单", default=list)
    place = models.CharField("地点", max_length=200)
    reason = models.TextField("理由")
    legal_basis = models.CharField("依据（法律、法规）", max_length=300)
    period_days = models.PositiveSmallIntegerField("期限（日）", default=30)
    emergency = models.BooleanField("情况紧急当场实施", default=False)
    emergency_reason = models.TextField("紧急情况", blank=True)
    taken_at = models.DateTimeField("当场实施时间", null=True, blank=True)
    approval = models.ForeignKey(
        Approval,
        verbose_name="负责人审批",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_on = models.DateField("批准日期", null=True, blank=True)
    executed_on = models.DateField("实施日期", null=True, blank=True)
    officers = models.ManyToManyField(Officer, verbose_name="实施的执法人员", blank=True, related_name="+")
    party_present = models.BooleanField("当事人到场", default=True)
    witness = models.CharField("见证人", max_length=100, blank=True)
    statement = models.TextField("当事人陈述、申辩", blank=True)
    record = models.TextField("现场笔录", blank=True)
    expires_on = models.DateField("期限届满日", null=True, blank=True)
    extension_approval = models.ForeignKey(
        Approval, verbose_name="延期审批", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    extension_days = models.PositiveSmallIntegerField("延长（日）", default=0)
    extended_on = models.DateField("批准延期日期", null=True, blank=True)
    extension_notice_on = models.DateField("延期通知送达日期", null=True, blank=True)
    ended_on = models.DateField("终结日期", null=True, blank=True)
    end_kind = models.CharField("终结方式", max_length=20, choices=EndKind.choices, blank=True)
    ground = models.CharField("解除理由", max_length=20, choices=Ground.choices, blank=True)
    transfer_to = models.CharField("移送机关", max_length=200, blank=True)
    end_note = models.TextField("终结说明", blank=True)
    decision_document = models.ForeignKey(
        MeasureDocument,
        verbose_name="查封（扣押）决定书",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    extension_notice = models.ForeignKey(
        MeasureDocument,
        verbose_name="延长期限通知书",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    end_document = models.ForeignKey(
        MeasureDocument,
        verbose_name="终结文书",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case", "created_at", "id"]
        verbose_name = "查封扣押"
        verbose_name_plural = "查封扣押"
        indexes = [
            models.Index(
                fields=["expires_on"], condition=Q(ended_on__isnull=True), name="seizure_open_expiry"
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_days__gte=1, period_days__lte=30), name="seizure_period_30"
            ),
            models.CheckConstraint(condition=Q(extension_days__lte=30), name="seizure_extension_30"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}{self.pk}"


class CriminalReferral(models.Model):
    """移送涉嫌犯罪案件 (行政执法机关移送涉嫌犯罪案件的规定, 2020): the team of two or more at once and its
    report (第五条), the head's decision within three days (the case's ``criminal_referral`` approval),
    the transfer within 24 hours, the receipt (第七条), the answer within three days (第八条), the
    request for reconsideration (第九条), the handover after acceptance (第十二条) or the return to the
    administrative procedure after a refusal (第十条)."""

    class Answer(models.TextChoices):
        ACCEPTED = "accepted", "立案"
        REFUSED = "refused", "不予立案"

    case = models.ForeignKey(
        Case, verbose_name="案件", on_delete=models.CASCADE, related_name="criminal_referrals"
    )
    discovered_on = models.DateField("发现涉嫌犯罪日期")
    team_appointed_on = models.DateField("指定专案组日期")
    team = models.ManyToManyField(Officer, verbose_name="专案组", related_name="+")
    suspected_crime = models.TextField("涉嫌犯罪的事实和罪名")
    report = models.TextField("移送涉嫌犯罪案件的书面报告", blank=True)
    reported_on = models.DateField("报告日期", null=True, blank=True)
    approval = models.ForeignKey(
        Approval,
        verbose_name="负责人审批",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    police_body = models.CharField("公安机关", max_length=200, blank=True)
    transferred_at = models.DateTimeField("移送时间", null=True, blank=True)
    materials = models.JSONField("随案移送材料", default=list, blank=True)
    letter = models.ForeignKey(
        MeasureDocument,
        verbose_name="涉嫌犯罪案件移送书",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    received_on = models.DateField("公安机关签收日期", null=True, blank=True)
    receipt_signed_by = models.CharField("回执签收人", max_length=100, blank=True)
    forwarded_to = models.CharField("转送的有管辖权的机关", max_length=200, blank=True)
    answered_on = models.DateField("公安机关书面答复日期", null=True, blank=True)
    answer = models.CharField("公安机关决定", max_length=10, choices=Answer.choices, blank=True)
    answer_number = models.CharField("立案/不予立案通知书文号", max_length=80, blank=True)
    answer_reasons = models.TextField("不予立案的理由", blank=True)
    reconsideration_requested_on = models.DateField("提请复议日期", null=True, blank=True)
    reconsideration_reasons = models.TextField("提请复议的理由", blank=True)
    reconsideration_answered_on = models.DateField("复议决定日期", null=True, blank=True)
    reconsideration_answer = models.CharField("复议决定", max_length=10, choices=Answer.choices, blank=True)
    reconsideration_number = models.CharField("复议决定通知书文号", max_length=80, blank=True)
    reconsideration_answer_reasons = models.TextField("复议决定理由", blank=True)
    supervision_suggested_on = models.DateField("建议检察院立案监督日期", null=True, blank=True)
    procuratorate = models.CharField("人民检察院", max_length=200, blank=True)
    handed_over_on = models.DateField("移交涉案物品和材料日期", null=True, blank=True)
    handover_note = models.TextField("移交清单", blank=True)
    resumed_on = models.DateField("转回行政处理日期", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case", "created_at", "id"]
        verbose_name = "移送涉嫌犯罪案件"
        verbose_name_plural = "移送涉嫌犯罪案件"
        indexes = [models.Index(fields=["case", "resumed_on"])]

    def __str__(self) -> str:
        return f"移送{self.pk}"


class SharedEvidence(models.Model):
    """证据共享 (浙江省综合行政执法条例第十八条): evidence lawfully gathered by another body, attached to
    a case by reference — its source body, case and SHA-256 — and listed among the case's evidence."""

    case = models.ForeignKey(
        Case, verbose_name="案件", on_delete=models.CASCADE, related_name="shared_evidence"
    )
    evidence = models.OneToOneField(
        Evidence, verbose_name="本案证据", on_delete=models.CASCADE, related_name="shared_source"
    )
    source_organization = models.ForeignKey(
        Organization, verbose_name="收集证据的机关", on_delete=models.PROTECT, related_name="+"
    )
    source_case_number = models.CharField("来源案件编号", max_length=80)
    source_evidence = models.ForeignKey(
        Evidence,
        verbose_name="平台上的来源证据",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sha256 = models.CharField("SHA-256", max_length=64)
    gathered_on = models.DateField("收集日期")
    transfer_letter = models.CharField("调取/移交函", max_length=120, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case", "created_at", "id"]
        verbose_name = "共享证据"
        verbose_name_plural = "共享证据"
        constraints = [models.UniqueConstraint(fields=["case", "sha256"], name="shared_evidence_once")]

    def __str__(self) -> str:
        return f"{self.source_case_number}:{self.sha256[:12]}"

    @property
    def verified(self) -> bool:
        """The platform holds the source evidence with this digest in the named body's case."""
        return self.source_evidence_id is not None
