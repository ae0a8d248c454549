"""Data of the supervision app: alerts raised by the rules of ``rules_registry`` (closing a
high-severity one takes two supervisors), the recommendations / circulars (执法建议 / 执法通报) the
guidance office sends, case file review (案卷评查), the appraisal of officers (四维考评) and of
bodies (the comprehensive enforcement work as its own line, with manual items backed by evidence),
the enforcement review of departments (执法评议) and the two-way case consultation with public
security and the procuratorate (双向案件咨询)."""

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
    organization = models.ForeignKey(
        Organization,
        verbose_name="责任单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="alerts",
    )
    severity = models.CharField("等级", max_length=10, choices=list(rules.SEVERITY_LABELS.items()))
    message = models.CharField("预警内容", max_length=500)
    details = models.JSONField("详情", default=dict, blank=True)
    state = models.CharField(
        "状态", max_length=20, choices=list(rules.STATE_LABELS.items()), default=rules.RAISED
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="承办监督人员",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    explanation = models.TextField("情况说明", blank=True)
    raised_at = models.DateTimeField("预警时间")
    last_seen_at = models.DateTimeField("最近发现时间")
    cleared_at = models.DateTimeField(
        "条件消除时间", null=True, blank=True, help_text="最近一次巡查未再发现该情形的时间；再次发现时清空"
    )
    previous = models.ForeignKey(
        "self",
        verbose_name="此前同类预警",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recurrences",
    )
    closed_at = models.DateTimeField("关闭时间", null=True, blank=True)
    #: Four eyes: closing a high-severity alert is asked by one supervisor and confirmed by another.
    close_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="申请关闭人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    close_requested_at = models.DateTimeField("申请关闭时间", null=True, blank=True)
    close_remark = models.CharField("关闭意见", max_length=500, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="关闭人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-raised_at", "-id"]
        verbose_name = "监督预警"
        verbose_name_plural = "监督预警"
        indexes = [
            models.Index(fields=["rule_code", "state"]),
            models.Index(fields=["organization", "state"]),
            models.Index(fields=["state", "raised_at"]),
            models.Index(fields=["subject_type", "subject_id"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["rule_code", "subject_type", "subject_id"],
                condition=Q(state__in=OPEN_STATES),
                name="alert_open_once",
            )
        ]

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
    to_org = models.ForeignKey(
        Organization, verbose_name="接收单位", on_delete=models.PROTECT, related_name="supervision_notices"
    )
    title = models.CharField("标题", max_length=200)
    body = models.TextField("正文")
    alert = models.ForeignKey(
        Alert,
        verbose_name="相关预警",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notices",
    )
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.SENT)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField("发送时间")
    reply_due = models.DateField("回复期限", null=True, blank=True)
    acknowledged_at = models.DateTimeField("签收时间", null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reply = models.TextField("回复内容", blank=True)
    replied_at = models.DateTimeField("回复时间", null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

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
    category = models.CharField(
        "类别", max_length=50, blank=True, help_text="如 主体合法、事实证据、程序、适用法律、文书"
    )
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
    sheet = models.ForeignKey(
        ScoreSheet, verbose_name="评查表", on_delete=models.PROTECT, related_name="batches"
    )
    seed = models.CharField("随机种子", max_length=64)
    period_start = models.DateField("结案起")
    period_end = models.DateField("结案止")
    share = models.DecimalField("抽取比例", max_digits=4, decimal_places=3, null=True, blank=True)
    per_body = models.PositiveIntegerField("每单位至少抽取", default=1)
    population = models.PositiveIntegerField("可抽案件数", default=0)
    strata = models.JSONField("分层抽取结果", default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
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

    batch = models.ForeignKey(
        ReviewBatch, verbose_name="评查批次", on_delete=models.CASCADE, related_name="reviews"
    )
    case = models.ForeignKey(
        "cases.Case", verbose_name="案件", on_delete=models.PROTECT, related_name="file_reviews"
    )
    organization = models.ForeignKey(
        Organization, verbose_name="办案机关", on_delete=models.PROTECT, related_name="+"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="评查人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
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

    class Level(models.TextChoices):
        OFFICER = "officer", "执法人员（四维考评）"
        BODY = "body", "部门、乡镇（综合行政执法工作单列）"

    name = models.CharField("考评方案", max_length=100)
    level = models.CharField("考评对象", max_length=10, choices=Level.choices, default=Level.OFFICER)
    is_active = models.BooleanField("在用", default=True)
    targets = models.JSONField(
        "计分标准",
        default=dict,
        blank=True,
        help_text='数量类指标满分所需数量，如 {"cases": 6, "inspections": 20}',
    )
    neutral_score = models.DecimalField("无数据时基准分", max_digits=5, decimal_places=1, default=80)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
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
    metrics = models.JSONField(
        "数据指标",
        default=list,
        help_text="cases / incidents_on_time / inspections / review_score / satisfaction",
    )

    class Meta:
        ordering = ["scheme", "order", "id"]
        verbose_name = "考评维度"
        verbose_name_plural = "考评维度"

    def __str__(self) -> str:
        return f"{self.name}（{self.weight}%）"


class AppraisalResult(models.Model):
    scheme = models.ForeignKey(
        AppraisalScheme, verbose_name="考评方案", on_delete=models.CASCADE, related_name="results"
    )
    officer = models.ForeignKey(
        Officer, verbose_name="执法人员", on_delete=models.PROTECT, related_name="appraisals"
    )
    organization = models.ForeignKey(
        Organization, verbose_name="考评单位", on_delete=models.PROTECT, related_name="+"
    )
    period_start = models.DateField("考评期起")
    period_end = models.DateField("考评期止")
    total = models.DecimalField("总分", max_digits=6, decimal_places=2)
    dimensions = models.JSONField("各维度得分及理由", default=list)
    computed_at = models.DateTimeField("计算时间")

    class Meta:
        ordering = ["-period_end", "-total", "id"]
        verbose_name = "考评结果"
        verbose_name_plural = "考评结果"
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "officer", "period_start", "period_end"], name="appraisal_once_per_period"
            )
        ]
        indexes = [models.Index(fields=["organization", "period_end"])]

    def __str__(self) -> str:
        return f"{self.officer_id} {self.period_start}~{self.period_end}"


# ---- 单位考评: the comprehensive enforcement work of a department or township, its own line ----


def evidence_path(instance, filename: str) -> str:
    return f"supervision/evidence/{instance.appraisal_id}/{instance.evidence_sha256[:16]}{rules.evidence_suffix(filename)}"


class BodyAppraisal(models.Model):
    """The comprehensive enforcement work of one body in one year, appraised as its own line of
    the district's annual target-responsibility appraisal (方案 三（五）3: 单列考核): the scheme's
    dimensions scored from platform data (with reasons), plus manual items, each with evidence."""

    scheme = models.ForeignKey(
        AppraisalScheme, verbose_name="考评方案", on_delete=models.PROTECT, related_name="body_results"
    )
    organization = models.ForeignKey(
        Organization, verbose_name="被考评单位", on_delete=models.PROTECT, related_name="body_appraisals"
    )
    year = models.PositiveSmallIntegerField("年度")
    platform_score = models.DecimalField("平台数据得分", max_digits=6, decimal_places=2)
    manual_score = models.DecimalField("人工加减分", max_digits=6, decimal_places=2, default=0)
    total = models.DecimalField("总分", max_digits=6, decimal_places=2)
    dimensions = models.JSONField("各维度得分及理由", default=list)
    data = models.JSONField("平台数据", default=dict)
    computed_at = models.DateTimeField("计算时间")
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-year", "organization__path"]
        verbose_name = "单位综合行政执法工作考评"
        verbose_name_plural = "单位综合行政执法工作考评"
        constraints = [
            models.UniqueConstraint(fields=["scheme", "organization", "year"], name="body_appraisal_once")
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.year}"


class ManualScore(models.Model):
    """A manual item of a body's appraisal (加分、扣分) — only with its evidence attached."""

    appraisal = models.ForeignKey(
        BodyAppraisal, verbose_name="考评", on_delete=models.CASCADE, related_name="manual_items"
    )
    title = models.CharField("事项", max_length=200)
    points = models.DecimalField("加减分", max_digits=5, decimal_places=1)
    evidence = models.FileField("佐证材料", upload_to=evidence_path)
    evidence_name = models.CharField("佐证材料名称", max_length=200)
    evidence_sha256 = models.CharField("佐证材料 SHA-256", max_length=64)
    note = models.CharField("说明", max_length=500, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField("录入时间")

    class Meta:
        ordering = ["appraisal", "entered_at", "pk"]
        verbose_name = "人工考评项"
        verbose_name_plural = "人工考评项"
        constraints = [
            models.CheckConstraint(
                condition=~Q(evidence="") & ~Q(evidence_sha256=""), name="manual_score_has_evidence"
            ),
            models.CheckConstraint(
                condition=Q(points__gte=-rules.MANUAL_POINTS_LIMIT, points__lte=rules.MANUAL_POINTS_LIMIT),
                name="manual_score_points_bounded",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.points}"


# ---- 执法评议: campaigns that review each department ----


class EvaluationCampaign(models.Model):
    """执法评议 (方案 三（六）2): one campaign reviewing the departments listed — questionnaires to
    the parties they inspected or penalised, expert review of sampled case files, findings and
    their rectification."""

    class State(models.TextChoices):
        OPEN = "open", "进行中"
        CLOSED = "closed", "已结束"

    title = models.CharField("评议名称", max_length=200)
    year = models.PositiveSmallIntegerField("年度")
    period_start = models.DateField("评议期起")
    period_end = models.DateField("评议期止")
    departments = models.ManyToManyField(
        Organization, verbose_name="被评议单位", related_name="evaluation_campaigns"
    )
    questions = models.JSONField("问卷题目", default=list)
    seed = models.CharField("抽样种子", max_length=64)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        ordering = ["-year", "-created_at"]
        verbose_name = "执法评议"
        verbose_name_plural = "执法评议"
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="campaign_period_ordered"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Invitation(models.Model):
    """A questionnaire sent to a party a department inspected or penalised: by link (SMS carries
    the link) or answered on the phone. One answer per invitation (``Answer`` is one-to-one)."""

    class Channel(models.TextChoices):
        LINK = "link", "链接"
        SMS = "sms", "短信"
        PHONE = "phone", "电话回访"

    campaign = models.ForeignKey(
        EvaluationCampaign, verbose_name="执法评议", on_delete=models.CASCADE, related_name="invitations"
    )
    organization = models.ForeignKey(
        Organization, verbose_name="被评议单位", on_delete=models.PROTECT, related_name="+"
    )
    party = models.ForeignKey(
        "parties.Party", verbose_name="当事人", on_delete=models.PROTECT, related_name="+"
    )
    subject_type = models.CharField("评议对象", max_length=20, choices=list(rules.SUBJECT_LABELS.items()))
    subject_id = models.BigIntegerField("对象编号")
    token = models.CharField("问卷口令", max_length=40, unique=True)
    channel = models.CharField("发送方式", max_length=10, choices=Channel.choices, default=Channel.LINK)
    sent_at = models.DateTimeField("发送时间")

    class Meta:
        ordering = ["campaign", "organization", "pk"]
        verbose_name = "评议问卷"
        verbose_name_plural = "评议问卷"
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "subject_type", "subject_id"], name="invitation_once_per_subject"
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}:{self.subject_type}#{self.subject_id}"


class Answer(models.Model):
    invitation = models.OneToOneField(
        Invitation, verbose_name="问卷", on_delete=models.CASCADE, related_name="answer"
    )
    scores = models.JSONField("各题评分（1–5）")
    mean = models.DecimalField("平均分", max_digits=3, decimal_places=2)
    comment = models.TextField("意见建议", blank=True)
    channel = models.CharField("答复方式", max_length=10, choices=Invitation.Channel.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="电话记录人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answered_at = models.DateTimeField("答复时间")

    class Meta:
        verbose_name = "评议答复"
        verbose_name_plural = "评议答复"
        constraints = [
            models.CheckConstraint(condition=Q(mean__gte=1, mean__lte=5), name="answer_mean_1_to_5")
        ]

    def __str__(self) -> str:
        return f"{self.invitation_id}: {self.mean}"


class ExpertReview(models.Model):
    """An expert's review of a case file sampled for the campaign (score 0–100 and findings)."""

    campaign = models.ForeignKey(
        EvaluationCampaign, verbose_name="执法评议", on_delete=models.CASCADE, related_name="expert_reviews"
    )
    case = models.ForeignKey("cases.Case", verbose_name="案卷", on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(
        Organization, verbose_name="办案单位", on_delete=models.PROTECT, related_name="+"
    )
    expert = models.CharField("评议专家", max_length=100, blank=True)
    score = models.DecimalField("得分", max_digits=5, decimal_places=1, null=True, blank=True)
    opinion = models.TextField("评议意见", blank=True)
    reviewed_at = models.DateTimeField("评议时间", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["campaign", "organization", "pk"]
        verbose_name = "专家评议案卷"
        verbose_name_plural = "专家评议案卷"
        constraints = [
            models.UniqueConstraint(fields=["campaign", "case"], name="expert_review_once"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=100), name="expert_score_0_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}:{self.case_id}"


class Finding(models.Model):
    """A problem the campaign found in a department, and its rectification: the department reports
    what it did, a supervisor verifies (or sends it back)."""

    class State(models.TextChoices):
        OPEN = "open", "待整改"
        RECTIFIED = "rectified", "已报整改"
        VERIFIED = "verified", "已核实销号"

    campaign = models.ForeignKey(
        EvaluationCampaign, verbose_name="执法评议", on_delete=models.CASCADE, related_name="findings"
    )
    organization = models.ForeignKey(
        Organization, verbose_name="责任单位", on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField("来源", max_length=20, choices=list(rules.FINDING_SOURCE_LABELS.items()))
    text = models.TextField("问题")
    due_on = models.DateField("整改期限")
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.OPEN)
    rectification = models.TextField("整改情况", blank=True)
    rectified_at = models.DateTimeField("报整改时间", null=True, blank=True)
    rectified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField("核实时间", null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("发现时间", auto_now_add=True)

    class Meta:
        ordering = ["campaign", "state", "due_on", "pk"]
        verbose_name = "评议发现问题"
        verbose_name_plural = "评议发现问题"
        indexes = [models.Index(fields=["organization", "state"])]

    def __str__(self) -> str:
        return self.text[:30]


# ---- 双向案件咨询 ----


class Consultation(models.Model):
    """双向案件咨询 (方案 三（六）2): a body asks the public security or procuratorate contact
    whether a case may be a crime, or they ask the body; the answer is recorded and linked to the
    case (and so to its criminal referral, which is found by the case)."""

    class Direction(models.TextChoices):
        OUTGOING = "outgoing", "本单位咨询司法机关"
        INCOMING = "incoming", "司法机关咨询本单位"

    class Counterpart(models.TextChoices):
        PUBLIC_SECURITY = "public_security", "公安机关"
        PROCURATORATE = "procuratorate", "人民检察院"

    class State(models.TextChoices):
        ASKED = "asked", "待答复"
        ANSWERED = "answered", "已答复"

    direction = models.CharField("方向", max_length=10, choices=Direction.choices)
    organization = models.ForeignKey(
        Organization, verbose_name="行政执法单位", on_delete=models.PROTECT, related_name="consultations"
    )
    counterpart = models.CharField("司法机关", max_length=20, choices=Counterpart.choices)
    counterpart_name = models.CharField("司法机关名称", max_length=100)
    counterpart_contact = models.CharField("联系人", max_length=100, blank=True)
    case = models.ForeignKey(
        "cases.Case",
        verbose_name="关联案件",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consultations",
    )
    question = models.TextField("咨询事项")
    asked_at = models.DateTimeField("咨询时间")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.ASKED)
    conclusion = models.CharField(
        "答复结论", max_length=20, choices=list(rules.CONCLUSION_LABELS.items()), blank=True
    )
    answer = models.TextField("答复意见", blank=True)
    answered_by = models.CharField("答复人", max_length=100, blank=True)
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)
    answer_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-asked_at", "-pk"]
        verbose_name = "双向案件咨询"
        verbose_name_plural = "双向案件咨询"
        indexes = [models.Index(fields=["organization", "state"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(state="asked") | ~Q(answer=""), name="consultation_answer_text"
            )
        ]

    def __str__(self) -> str:
        return self.question[:30]
