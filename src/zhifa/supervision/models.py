"""Data of the supervision app: alerts raised by the rules of ``rules_registry``, the
recommendations / circulars (执法建议 / 执法通报) the guidance office sends, case file review
(案卷评查) and the appraisal of township staff (四维考评)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhifa.organizations.models import Officer, Organization

from . import rules

OPEN_STATES = sorted(rules.OPEN_STATES)


class Alert(models.Model):
    """监督预警: one anomaly found by one rule on one subject. At most one open alert per rule and
    subject, so sweeps are idempotent. A sweep that no longer finds the condition sets
    ``cleared_at`` but never closes the alert: only a supervisor closes, with an explanation."""

    rule_code = models.CharField("预警规则", max_length=60)
    subject_type = models.CharField("对象类型", max_length=60)
    subject_id = models.BigIntegerField("对象编号")
    organization = models.ForeignKey(Organization, verbose_name="责任单位", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="alerts")
    severity = models.CharField("等级", max_length=10, choices=list(rules.SEVERITY_LABELS.items()))
    message = models.CharField("预警内容", max_length=500)
    details = models.JSONField("详情", default=dict, blank=True)
    state = models.CharField("状态", max_length=20, choices=list(rules.STATE_LABELS.items()), default=rules.RAISED)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="承办监督人员", null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    explanation = models.TextField("情况说明", blank=True)
    raised_at = models.DateTimeField("预警时间")
    last_seen_at = models.DateTimeField("最近发现时间")
    cleared_at = models.DateTimeField("条件消除时间", null=True, blank=True,
                                      help_text="最近一次巡查未再发现该情形的时间；再次发现时清空")
    previous = models.ForeignKey("self", verbose_name="此前同类预警", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="recurrences")
    closed_at = models.DateTimeField("关闭时间", null=True, blank=True)

    class Meta:
        ordering = ["-raised_at", "-id"]
        verbose_name = "监督预警"
        verbose_name_plural = "监督预警"
        indexes = [models.Index(fields=["rule_code", "state"]), models.Index(fields=["organization", "state"]),
                   models.Index(fields=["state", "raised_at"]), models.Index(fields=["subject_type", "subject_id"])]
        constraints = [models.UniqueConstraint(fields=["rule_code", "subject_type", "subject_id"],
                                               condition=Q(state__in=OPEN_STATES), name="alert_open_once")]

    def __str__(self) -> str:
        return f"{self.rule_code}:{self.subject_type}#{self.subject_id}"

    @property
    def is_open(self) -> bool:
        return self.state in rules.OPEN_STATES


class Notice(models.Model):
    """执法建议 / 执法通报 from the guidance office to a body, which acknowledges and replies
    within ``reply_due`` (working days from sending)."""

    class Kind(models.TextChoices):
        RECOMMENDATION = "recommendation", "执法建议"
        CIRCULAR = "circular", "执法通报"

    class State(models.TextChoices):
        SENT = "sent", "已发送"
        ACKNOWLEDGED = "acknowledged", "已签收"
        REPLIED = "replied", "已回复"

    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    to_org = models.ForeignKey(Organization, verbose_name="接收单位", on_delete=models.PROTECT, related_name="supervision_notices")
    title = models.CharField("标题", max_length=200)
    body = models.TextField("正文")
    alert = models.ForeignKey(Alert, verbose_name="相关预警", null=True, blank=True, on_delete=models.PROTECT, related_name="notices")
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.SENT)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    sent_at = models.DateTimeField("发送时间")
    reply_due = models.DateField("回复期限", null=True, blank=True)
    acknowledged_at = models.DateTimeField("签收时间", null=True, blank=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reply = models.TextField("回复内容", blank=True)
    replied_at = models.DateTimeField("回复时间", null=True, blank=True)
    replied_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = "执法建议/通报"
        verbose_name_plural = "执法建议/通报"
        indexes = [models.Index(fields=["to_org", "state"])]

    def __str__(self) -> str:
        return self.title


# ---- 案卷评查 ----

class ScoreSheet(models.Model):
    """A scoring sheet for case file review: items with maximum points. Frozen once a review
    batch uses it; a change is a new version."""

    name = models.CharField("评查表名称", max_length=100)
    version = models.PositiveIntegerField("版本", default=1)
    is_active = models.BooleanField("在用", default=True)
    frozen = models.BooleanField("已使用（锁定）", default=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        ordering = ["name", "-version"]
        verbose_name = "案卷评查表"
        verbose_name_plural = "案卷评查表"
        constraints = [models.UniqueConstraint(fields=["name", "version"], name="scoresheet_name_version")]

    def __str__(self) -> str:
        return f"{self.name}（第{self.version}版）"


class ScoreItem(models.Model):
    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveIntegerField("序号", default=0)
    category = models.CharField("类别", max_length=50, blank=True, help_text="如 主体合法、事实证据、程序、适用法律、文书")
    text = models.CharField("评查内容", max_length=300)
    max_points = models.DecimalField("分值", max_digits=5, decimal_places=1)
    basis = models.CharField("依据", max_length=200, blank=True)

    class Meta:
        ordering = ["sheet", "order", "id"]
        verbose_name = "评查项目"
        verbose_name_plural = "评查项目"

    def __str__(self) -> str:
        return self.text


class ReviewBatch(models.Model):
    """One random selection of closed/archived cases for review (reproducible from ``seed``)."""

    title = models.CharField("评查批次", max_length=100)
    sheet = models.ForeignKey(ScoreSheet, verbose_name="评查表", on_delete=models.PROTECT, related_name="batches")
    seed = models.CharField("随机种子", max_length=64)
    period_start = models.DateField("结案起")
    period_end = models.DateField("结案止")
    share = models.DecimalField("抽取比例", max_digits=4, decimal_places=3, null=True, blank=True)
    per_body = models.PositiveIntegerField("每单位至少抽取", default=1)
    population = models.PositiveIntegerField("可抽案件数", default=0)
    strata = models.JSONField("分层抽取结果", default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "评查批次"
        verbose_name_plural = "评查批次"

    def __str__(self) -> str:
        return self.title


class Review(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", "待评查"
        SCORED = "scored", "已评分"

    batch = models.ForeignKey(ReviewBatch, verbose_name="评查批次", on_delete=models.CASCADE, related_name="reviews")
    case = models.ForeignKey("cases.Case", verbose_name="案件", on_delete=models.PROTECT, related_name="file_reviews")
    organization = models.ForeignKey(Organization, verbose_name="办案机关", on_delete=models.PROTECT, related_name="+")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="评查人", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.PENDING)
    total = models.DecimalField("得分", max_digits=6, decimal_places=1, null=True, blank=True)
    max_total = models.DecimalField("满分", max_digits=6, decimal_places=1, default=0)
    comments = models.TextField("评查意见", blank=True)
    scored_at = models.DateTimeField("评分时间", null=True, blank=True)

    class Meta:
        ordering = ["batch", "organization", "id"]
        verbose_name = "案卷评查"
        verbose_name_plural = "案卷评查"
        constraints = [models.UniqueConstraint(fields=["batch", "case"], name="review_case_once")]
        indexes = [models.Index(fields=["state", "reviewer"])]

    def __str__(self) -> str:
        return f"{self.batch}：{self.case_id}"


class ReviewScore(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    item = models.ForeignKey(ScoreItem, on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField("得分", max_digits=5, decimal_places=1)
    note = models.CharField("扣分理由", max_length=300, blank=True)

    class Meta:
        verbose_name = "评查得分"
        verbose_name_plural = "评查得分"
        constraints = [models.UniqueConstraint(fields=["review", "item"], name="reviewscore_once")]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.points}"


# ---- 四维考评 ----

class AppraisalScheme(models.Model):
    """A configurable appraisal of township staff: weighted dimensions, each fed by metrics of
    the platform's own data. The enforcement post dimensions weigh at least 50%."""

    name = models.CharField("考评方案", max_length=100)
    is_active = models.BooleanField("在用", default=True)
    targets = models.JSONField("计分标准", default=dict, blank=True,
                               help_text="数量类指标满分所需数量，如 {\"cases\": 6, \"inspections\": 20}")
    neutral_score = models.DecimalField("无数据时基准分", max_digits=5, decimal_places=1, default=80)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "考评方案"
        verbose_name_plural = "考评方案"

    def __str__(self) -> str:
        return self.name


class AppraisalDimension(models.Model):
    scheme = models.ForeignKey(AppraisalScheme, on_delete=models.CASCADE, related_name="dimensions")
    order = models.PositiveIntegerField("序号", default=0)
    name = models.CharField("维度", max_length=50)
    weight = models.PositiveSmallIntegerField("权重（%）")
    enforcement_post = models.BooleanField("执法岗位维度", default=False)
    metrics = models.JSONField("数据指标", default=list, help_text="cases / incidents_on_time / inspections / review_score / satisfaction")

    class Meta:
        ordering = ["scheme", "order", "id"]
        verbose_name = "考评维度"
        verbose_name_plural = "考评维度"

    def __str__(self) -> str:
        return f"{self.name}（{self.weight}%）"


class AppraisalResult(models.Model):
    scheme = models.ForeignKey(AppraisalScheme, verbose_name="考评方案", on_delete=models.CASCADE, related_name="results")
    officer = models.ForeignKey(Officer, verbose_name="执法人员", on_delete=models.PROTECT, related_name="appraisals")
    organization = models.ForeignKey(Organization, verbose_name="考评单位", on_delete=models.PROTECT, related_name="+")
    period_start = models.DateField("考评期起")
    period_end = models.DateField("考评期止")
    total = models.DecimalField("总分", max_digits=6, decimal_places=2)
    dimensions = models.JSONField("各维度得分及理由", default=list)
    computed_at = models.DateTimeField("计算时间")

    class Meta:
        ordering = ["-period_end", "-total", "id"]
        verbose_name = "考评结果"
        verbose_name_plural = "考评结果"
        constraints = [models.UniqueConstraint(fields=["scheme", "officer", "period_start", "period_end"],
                                               name="appraisal_once_per_period")]
        indexes = [models.Index(fields=["organization", "period_end"])]

    def __str__(self) -> str:
        return f"{self.officer_id} {self.period_start}~{self.period_end}"
