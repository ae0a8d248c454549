"""法制审核 (行政处罚法第五十八条; 浙江省综合行政执法条例第二十四条): the district legal review centre,
each body's list of decisions that need review (重大执法决定法制审核目录), and the reviews themselves —
each a reviewer's recorded opinion."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhifa.organizations.models import Organization

from .case import Case


class ReviewCentre(models.Model):
    """区级合法性审查中心: reviewers pooled across bodies (条例第二十四条). Its reviewers are the users
    with the legal-reviewer role in ``organization`` (and below); it reviews the cases the bodies
    in ``bodies`` submit — all of them when a body has no reviewer of its own, otherwise the
    major ones (区乡案件分类分级审核)."""

    name = models.CharField("名称", max_length=100)
    organization = models.OneToOneField(
        Organization, verbose_name="所在机构", on_delete=models.PROTECT, related_name="review_centre"
    )
    bodies = models.ManyToManyField(
        Organization, verbose_name="服务的执法主体", related_name="review_centres", blank=True
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="中心负责人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    time_limit_working_days = models.PositiveSmallIntegerField(
        "审核时限（工作日）", default=5, help_text="自提交审核之日起计算的审核期限（本机关规定，非法定期限）"
    )
    is_active = models.BooleanField("在用", default=True)

    class Meta:
        verbose_name = "合法性审查中心"
        verbose_name_plural = "合法性审查中心"

    def __str__(self) -> str:
        return self.name


class ReviewCatalogueEntry(models.Model):
    """One line of a body's 重大执法决定法制审核目录 (三项制度: each body lists the decisions that need
    legal review). The rules apply the list automatically to the intended penalty."""

    class Kind(models.TextChoices):
        PENALTY_KIND = "penalty_kind", "处罚种类"
        FINE_AT_LEAST = "fine_at_least", "罚款达到数额"
        CONFISCATION_AT_LEAST = "confiscation_at_least", "没收违法所得、非法财物达到数额"
        HEARING_HELD = "hearing_held", "经过听证程序"
        ALL_GENERAL = "all_general", "全部普通程序案件"

    organization = models.ForeignKey(
        Organization, verbose_name="执法主体", on_delete=models.CASCADE, related_name="review_catalogue"
    )
    kind = models.CharField("情形", max_length=30, choices=Kind.choices)
    penalty_kind = models.CharField("处罚种类", max_length=30, blank=True)
    amount = models.DecimalField("数额（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    district_level = models.BooleanField("由区级合法性审查中心审核", default=False)
    description = models.CharField("说明", max_length=200, blank=True)
    basis = models.CharField("依据", max_length=200, blank=True)
    is_active = models.BooleanField("在用", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organization", "kind", "id"]
        verbose_name = "法制审核目录"
        verbose_name_plural = "法制审核目录"

    def __str__(self) -> str:
        return self.description or self.get_kind_display()


class LegalReview(models.Model):
    """One legal review of a case: submitted by an investigator, claimed or assigned, and answered
    by a reviewer who did not investigate the case, with a checklist and a written opinion."""

    class Status(models.TextChoices):
        WAITING = "waiting", "待审核"
        IN_REVIEW = "in_review", "审核中"
        DONE = "done", "已审核"
        WITHDRAWN = "withdrawn", "已撤回"

    class Result(models.TextChoices):
        PASSED = "passed", "通过"
        NOT_PASSED = "not_passed", "不通过"
        RETURNED = "returned", "退回补充调查"
        CHANGES = "changes", "建议修改"

    #: The checklist of a review (条例第二十四条; 三项制度 法制审核内容).
    CHECKLIST = (
        ("authority", "执法主体与职权"),
        ("officers", "执法人员资格"),
        ("facts", "事实"),
        ("evidence", "证据"),
        ("procedure", "程序"),
        ("basis", "法律依据与裁量基准"),
        ("documents", "文书"),
        ("crime", "是否涉嫌犯罪应当移送"),
    )

    case = models.ForeignKey(
        Case, verbose_name="案件", on_delete=models.CASCADE, related_name="legal_reviews"
    )
    centre = models.ForeignKey(
        ReviewCentre,
        verbose_name="审查中心",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reviews",
    )
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.WAITING)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="提交人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField("提交时间", auto_now_add=True)
    submitted_on = models.DateField("提交日期")
    due_on = models.DateField("审核期限")
    #: What was submitted: the intended penalty and the notice date it was told in.
    proposal = models.JSONField("审核内容", default=dict, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="legal_reviews",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="分配人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    assigned_at = models.DateTimeField("分配时间", null=True, blank=True)
    result = models.CharField("审核结果", max_length=20, choices=Result.choices, blank=True)
    checklist = models.JSONField("审核要点", default=dict, blank=True)
    opinion = models.TextField("审核意见", blank=True)
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    reviewed_on = models.DateField("审核日期", null=True, blank=True)

    class Meta:
        ordering = ["case", "submitted_at", "id"]
        verbose_name = "法制审核"
        verbose_name_plural = "法制审核"
        indexes = [models.Index(fields=["status", "due_on"]), models.Index(fields=["reviewer", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(status__in=["waiting", "in_review"]),
                name="legal_review_one_open_per_case",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.get_status_display()}"
