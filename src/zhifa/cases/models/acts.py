"""Acts of authority on a case, each a row made by the person who holds the authority: the head's
approvals (行政处罚法第五十四条、第五十七条、第六十六条, 行政强制法第十八条、第四十二条、第五十三条),
the heads' collective deliberation (第五十七条第二款), the party's express waiver of statement and
defence (第六十二条), the party's consent to electronic service (第六十一条第二款) and the court's
ruling that concludes execution. The procedure rules read these rows; no request can set them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhifa.organizations.models import Organization
from zhifa.parties.models import Party

from .case import Case


class Approval(models.Model):
    """审批: an officer asks, the head (or a deputy with that delegation) approves or returns with
    an opinion. ``proposal`` holds the typed input of the action the approval performs."""

    class Kind(models.TextChoices):
        FILING = "filing", "立案审批"
        DECLINE_FILING = "decline_filing", "不予立案审批"
        DECISION = "decision", "行政处罚决定审批"
        NO_PENALTY = "no_penalty", "不予行政处罚决定审批"
        REVOKE_FILING = "revoke_filing", "撤销立案审批"
        TRANSFER = "transfer", "移送管辖审批"
        CRIMINAL_REFERRAL = "criminal_referral", "移送涉嫌犯罪案件审批"
        EXTENSION = "extension", "延长办案期限审批"
        DEFERRAL = "deferral", "暂缓或分期缴纳罚款审批"
        REMISSION = "remission", "减免加处罚款审批"
        COURT_APPLICATION = "court_application", "申请人民法院强制执行审批"
        CHANGE_DECISION = "change_decision", "变更或撤销处罚决定审批"
        CLOSING = "closing", "结案审批"
        PRESERVATION = "preservation", "先行登记保存审批"
        SEIZURE = "seizure", "查封扣押审批"
        SEIZURE_EXTENSION = "seizure_extension", "查封扣押延期审批"

    class Status(models.TextChoices):
        PENDING = "pending", "待审批"
        APPROVED = "approved", "已批准"
        RETURNED = "returned", "已退回"
        WITHDRAWN = "withdrawn", "已撤回"

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.CASCADE, related_name="approvals")
    kind = models.CharField("审批事项", max_length=30, choices=Kind.choices)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.PENDING)
    proposal = models.JSONField("提请内容", default=dict, blank=True)
    reason = models.TextField("提请理由", blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="提请人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField("提请时间", auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审批人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decided_on = models.DateField("审批日期", null=True, blank=True)
    opinion = models.TextField("审批意见", blank=True)
    attachment = models.FileField("附件", upload_to="cases/approvals/%Y/%m/", blank=True)
    attachment_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["case", "requested_at", "id"]
        verbose_name = "审批"
        verbose_name_plural = "审批"
        indexes = [models.Index(fields=["status", "kind"])]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind"], condition=Q(status="pending"), name="approval_one_pending_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}（{self.get_status_display()}）"


class Deliberation(models.Model):
    """集体讨论 (第五十七条第二款): the heads' meeting on one case, its minutes and its conclusion.
    A decision must follow the conclusion."""

    class Conclusion(models.TextChoices):
        PENALTY = "penalty", "给予行政处罚"
        NO_PENALTY = "no_penalty", "不予行政处罚"
        FURTHER_INVESTIGATION = "further_investigation", "补充调查"

    case = models.ForeignKey(
        Case, verbose_name="案件", on_delete=models.CASCADE, related_name="deliberations"
    )
    held_on = models.DateField("讨论日期")
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="主持人", on_delete=models.PROTECT, related_name="+"
    )
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="参加的负责人", related_name="+"
    )
    others_present = models.CharField("列席人员", max_length=300, blank=True)
    minutes = models.TextField("讨论记录")
    conclusion = models.CharField("结论", max_length=30, choices=Conclusion.choices)
    penalties = models.JSONField("决定的处罚", default=list, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="记录人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)
    attachment = models.FileField("会议纪要", upload_to="cases/deliberations/%Y/%m/", blank=True)
    attachment_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["case", "held_on", "id"]
        verbose_name = "集体讨论"
        verbose_name_plural = "集体讨论"

    def __str__(self) -> str:
        return f"{self.case_id}@{self.held_on}"


class Waiver(models.Model):
    """放弃陈述、申辩（听证）权利 (第六十二条): the party's own express statement — a signed statement
    uploaded by an officer, or the party's electronic confirmation in its own space."""

    class Method(models.TextChoices):
        SIGNED_STATEMENT = "signed_statement", "当事人签名的书面声明"
        ELECTRONIC = "electronic", "当事人电子确认"

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.CASCADE, related_name="waivers")
    waives_statement = models.BooleanField("放弃陈述、申辩", default=True)
    waives_hearing = models.BooleanField("放弃听证", default=False)
    signed_on = models.DateField("签署日期")
    method = models.CharField("方式", max_length=20, choices=Method.choices)
    statement = models.TextField("声明内容", blank=True)
    document = models.FileField("签名声明", upload_to="cases/waivers/%Y/%m/", blank=True)
    document_sha256 = models.CharField(max_length=64, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        ordering = ["case", "signed_on", "id"]
        verbose_name = "放弃陈述申辩"
        verbose_name_plural = "放弃陈述申辩"

    def __str__(self) -> str:
        return f"{self.case_id}:{self.signed_on}"


class EServiceConsent(models.Model):
    """电子送达确认书 (第六十一条第二款): the party agrees, in a signed confirmation, that one body may
    serve its documents electronically. Revocable."""

    party = models.ForeignKey(
        Party, verbose_name="当事人", on_delete=models.CASCADE, related_name="eservice_consents"
    )
    organization = models.ForeignKey(
        Organization, verbose_name="执法机关", on_delete=models.PROTECT, related_name="+"
    )
    address = models.CharField("送达地址（电子）", max_length=200, help_text="当事人空间、电子邮箱或传真号码")
    signed_on = models.DateField("签署日期")
    document = models.FileField("签名的确认书", upload_to="cases/consents/%Y/%m/", blank=True)
    document_sha256 = models.CharField(max_length=64, blank=True)
    electronic_signature = models.CharField("电子确认标识", max_length=100, blank=True)
    revoked_on = models.DateField("撤回日期", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        ordering = ["party", "-signed_on", "id"]
        verbose_name = "电子送达确认书"
        verbose_name_plural = "电子送达确认书"

    def __str__(self) -> str:
        return f"{self.party_id}→{self.organization_id}"

    def covers(self, day) -> bool:
        return self.signed_on <= day and (self.revoked_on is None or day < self.revoked_on)


class CourtRuling(models.Model):
    """人民法院裁定: the court's ruling on the body's application for execution (行政强制法第五十七条、
    第五十八条) — accepted, refused, execution concluded or terminated. Recorded with its number and
    date; "enforcement concluded" exists only through such a ruling."""

    class Result(models.TextChoices):
        ENFORCE = "enforce", "准予执行"
        REFUSE = "refuse", "不予执行"
        CONCLUDED = "concluded", "执行完毕（结案）"
        TERMINATED = "terminated", "终结执行"

    case = models.ForeignKey(
        Case, verbose_name="案件", on_delete=models.CASCADE, related_name="court_rulings"
    )
    court = models.CharField("人民法院", max_length=100)
    ruling_number = models.CharField("裁定书文号", max_length=80)
    ruling_date = models.DateField("裁定日期")
    result = models.CharField("结果", max_length=20, choices=Result.choices)
    document = models.FileField("裁定书", upload_to="cases/rulings/%Y/%m/", blank=True)
    document_sha256 = models.CharField(max_length=64, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        ordering = ["case", "ruling_date", "id"]
        verbose_name = "法院裁定"
        verbose_name_plural = "法院裁定"
        constraints = [models.UniqueConstraint(fields=["case", "ruling_number"], name="court_ruling_once")]

    def __str__(self) -> str:
        return self.ruling_number
