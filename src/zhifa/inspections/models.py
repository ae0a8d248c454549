"""Data of the inspections app: plans, random draws (双随机) with their commitments and re-draws,
tasks, visits (综合查一次), records (planned or with a recorded cause), attachments, rectification
orders and action codes (行政行为码).

Articles: 国办发〔2015〕58号 (双随机、一公开); 行政处罚法第四十二条、第五十五条 (inspecting officers).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from zhifa.catalog.models import ChecklistEntry, EnforcementItem
from zhifa.organizations.models import Officer, Organization
from zhifa.parties.models import Party

from . import rules


class InspectionPlan(models.Model):
    """监管执法计划: a department's plan of random inspections of the items it claimed."""

    class State(models.TextChoices):
        DRAFT = "draft", "待抽取"
        DRAWN = "drawn", "已抽取"
        PUBLISHED = "published", "已公示"

    department = models.ForeignKey(
        Organization, verbose_name="执法部门", on_delete=models.PROTECT, related_name="inspection_plans"
    )
    name = models.CharField("计划名称", max_length=200)
    kind = models.CharField(
        "计划类型", max_length=20, choices=list(rules.PLAN_KIND_LABELS.items()), default=rules.SPECIAL
    )
    partners = models.ManyToManyField(
        Organization,
        verbose_name="联合检查部门",
        blank=True,
        related_name="joint_plans",
        help_text="综合查一次：同一对象由各部门一次上门检查各自认领的事项",
    )
    frequencies = models.JSONField(
        "检查频次",
        default=dict,
        blank=True,
        help_text="按风险颜色：每个抽中对象在计划期内的检查次数，如 {red: 4}",
    )
    pool = models.JSONField(
        "抽查对象范围",
        default=dict,
        blank=True,
        help_text="{industries: [...], townships: [...], include_light_touch: false}",
    )
    period_start = models.DateField("计划开始")
    period_end = models.DateField("计划结束")
    ratios = models.JSONField(
        "抽查比例", default=dict, help_text="按风险颜色：{green: 0.05, blue: 0.1, yellow: 0.2, red: 0.5}"
    )
    items = models.ManyToManyField(EnforcementItem, verbose_name="检查事项", related_name="inspection_plans")
    draw_nonce = models.CharField(
        "抽取密钥", max_length=32, help_text="计划创建时生成，只公布其哈希；抽取结果公示时公开"
    )
    draw_commitment = models.CharField(
        "密钥承诺（SHA-256）",
        max_length=64,
        blank=True,
        help_text="计划创建时公布：抽取密钥的 SHA-256，公示后任何人可核对",
    )
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period_start", "-pk"]
        verbose_name = "监管执法计划"
        verbose_name_plural = "监管执法计划"
        indexes = [models.Index(fields=["department", "state"]), models.Index(fields=["period_start"])]
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="plan_period_ordered")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def draw(self):
        """The draw in force (the latest, not superseded by a re-draw), or None."""
        return self.draws.filter(superseded_at__isnull=True).order_by("-round").first()


class RandomDraw(models.Model):
    """双随机: the draw of one plan with every input needed to recompute it (``inputs``, whose
    SHA-256 is ``inputs_digest``) and its result."""

    plan = models.ForeignKey(InspectionPlan, on_delete=models.PROTECT, related_name="draws")
    round = models.PositiveSmallIntegerField("轮次", default=1)
    draw_day = models.DateField("抽取日期", help_text="由服务器在抽取时确定")
    nonce = models.CharField("抽取密钥", max_length=32)
    commitment = models.CharField("密钥承诺（SHA-256）", max_length=64, blank=True)
    seed = models.CharField("种子", max_length=200)
    inputs = models.JSONField("抽取输入")
    inputs_digest = models.CharField("输入摘要", max_length=64)
    parties = models.ManyToManyField(Party, verbose_name="抽中对象", related_name="+")
    officers = models.ManyToManyField(Officer, verbose_name="抽中人员", related_name="+")
    result = models.JSONField(
        "抽取结果", help_text="{parties: [...], officers: {party_id: [officer_id, ...]}}"
    )
    drawn_at = models.DateTimeField("抽取时间")
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField("公示时间", null=True, blank=True)
    superseded_at = models.DateTimeField("被重新抽取时间", null=True, blank=True)
    superseded_by = models.ForeignKey(
        "self", verbose_name="重新抽取", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    redraw_reason = models.TextField(
        "重新抽取理由", blank=True, help_text="本次为重新抽取时，写明为何替代上一次"
    )

    class Meta:
        ordering = ["-drawn_at"]
        verbose_name = "随机抽取"
        verbose_name_plural = "随机抽取"
        constraints = [
            models.UniqueConstraint(
                fields=["plan"], condition=Q(superseded_at__isnull=True), name="draw_one_in_force"
            ),
            models.UniqueConstraint(fields=["plan", "round"], name="draw_unique_round"),
        ]

    def __str__(self) -> str:
        return f"{self.plan} · {self.seed}"


class JointInspection(models.Model):
    """One visit to a party (综合查一次, "进一次门、查多项事"): the tasks done on one day.
    ``anchor_task`` is the task whose window closes first (``rules.Visit``)."""

    class State(models.TextChoices):
        PLANNED = "planned", "待检查"
        DONE = "done", "已检查"
        CANCELLED = "cancelled", "已取消（重新抽取）"

    party = models.ForeignKey(Party, verbose_name="检查对象", on_delete=models.PROTECT, related_name="visits")
    day = models.DateField("检查日期")
    anchor_task = models.ForeignKey(
        "InspectionTask", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    officers = models.ManyToManyField(Officer, verbose_name="检查人员", related_name="visits")
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.PLANNED)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-day", "-pk"]
        verbose_name = "综合查一次"
        verbose_name_plural = "综合查一次"
        indexes = [models.Index(fields=["party", "day"]), models.Index(fields=["day"])]

    def __str__(self) -> str:
        return f"{self.party} · {self.day}"


class InspectionTask(models.Model):
    """One department's inspection of one party within a window (from a draw)."""

    class State(models.TextChoices):
        OPEN = "open", "待安排"
        SCHEDULED = "scheduled", "已安排"
        DONE = "done", "已检查"
        CANCELLED = "cancelled", "已取消（重新抽取）"

    plan = models.ForeignKey(InspectionPlan, on_delete=models.PROTECT, related_name="tasks")
    draw = models.ForeignKey(
        RandomDraw, null=True, blank=True, on_delete=models.PROTECT, related_name="tasks"
    )
    round = models.PositiveSmallIntegerField(
        "第几次检查", default=1, help_text="按风险颜色的检查频次，计划期内的第几次"
    )
    party = models.ForeignKey(
        Party, verbose_name="检查对象", on_delete=models.PROTECT, related_name="inspection_tasks"
    )
    department = models.ForeignKey(
        Organization, verbose_name="执法部门", on_delete=models.PROTECT, related_name="inspection_tasks"
    )
    window_start = models.DateField("窗口开始")
    window_end = models.DateField("窗口结束")
    officers = models.ManyToManyField(Officer, verbose_name="检查人员", related_name="inspection_tasks")
    visit = models.ForeignKey(
        JointInspection, null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks"
    )
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.OPEN)

    class Meta:
        ordering = ["window_end", "pk"]
        verbose_name = "检查任务"
        verbose_name_plural = "检查任务"
        indexes = [models.Index(fields=["state", "department"]), models.Index(fields=["party", "state"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(window_end__gte=F("window_start")), name="task_window_ordered"
            ),
            models.UniqueConstraint(
                fields=["plan", "party", "department", "round"],
                condition=~Q(state="cancelled"),
                name="task_one_per_plan_party_round",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.department} · {self.party}"


class InspectionRecord(models.Model):
    """检查记录: what was checked and found on a visit or a task."""

    class Outcome(models.TextChoices):
        NO_ISSUE = "no_issue", "未发现问题"
        RECTIFICATION = "rectification", "责令整改"
        CASE_SUGGESTED = "case_suggested", "建议立案"
        INCIDENT_SUGGESTED = "incident_suggested", "建议转事件"

    visit = models.OneToOneField(
        JointInspection, null=True, blank=True, on_delete=models.PROTECT, related_name="record"
    )
    task = models.OneToOneField(
        InspectionTask, null=True, blank=True, on_delete=models.PROTECT, related_name="record"
    )
    party = models.ForeignKey(
        Party, verbose_name="检查对象", on_delete=models.PROTECT, related_name="inspection_records"
    )
    department = models.ForeignKey(
        Organization, verbose_name="检查部门", on_delete=models.PROTECT, related_name="inspection_records"
    )
    officers = models.ManyToManyField(Officer, verbose_name="检查人员", related_name="inspection_records")
    started_at = models.DateTimeField("开始时间")
    ended_at = models.DateTimeField("结束时间")
    findings = models.TextField("检查情况", blank=True)
    outcome = models.CharField("处理结果", max_length=30, choices=Outcome.choices, default=Outcome.NO_ISSUE)
    warnings = models.JSONField("提示", default=list, blank=True)
    cause_kind = models.CharField(
        "检查事由",
        max_length=20,
        blank=True,
        choices=list(rules.CAUSE_LABELS.items()),
        help_text="不在计划任务中的检查须有事由（无事不扰）",
    )
    cause_ref = models.CharField("事由编号或来源", max_length=100, blank=True)
    cause_note = models.TextField("事由说明", blank=True)
    items = models.ManyToManyField(
        EnforcementItem, verbose_name="检查事项", blank=True, related_name="cause_records"
    )
    substitutes = models.JSONField(
        "替补人员", default=list, blank=True, help_text="未经抽取而参加检查的人员编号"
    )
    handoff_kind = models.CharField("移交类型", max_length=30, blank=True)
    handoff_ref = models.CharField("移交编号", max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = "检查记录"
        verbose_name_plural = "检查记录"
        indexes = [
            models.Index(fields=["party", "started_at"]),
            models.Index(fields=["department", "started_at"]),
            models.Index(fields=["-started_at", "-id"], name="record_recent"),
        ]  # the list's order
        constraints = [
            models.CheckConstraint(condition=Q(ended_at__gt=F("started_at")), name="record_times_ordered"),
            models.CheckConstraint(
                condition=Q(visit__isnull=False) | Q(task__isnull=False) | ~Q(cause_kind=""),
                name="record_planned_or_caused",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.party} · {self.started_at:%Y-%m-%d}"


class ChecklistResult(models.Model):
    """The result of one checklist line (行政检查清单) in a record."""

    RESULTS = {rules.PASS: "符合", rules.FAIL: "不符合", rules.NOT_APPLICABLE: "不适用"}

    record = models.ForeignKey(InspectionRecord, on_delete=models.CASCADE, related_name="checklist_results")
    entry = models.ForeignKey(ChecklistEntry, on_delete=models.PROTECT, related_name="+")
    result = models.CharField("结果", max_length=10, choices=list(RESULTS.items()))
    note = models.CharField("说明", max_length=500, blank=True)

    class Meta:
        ordering = ["record", "entry__item", "entry__order"]
        verbose_name = "检查要点结果"
        verbose_name_plural = "检查要点结果"
        constraints = [models.UniqueConstraint(fields=["record", "entry"], name="checklist_result_once")]

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.result}"


def attachment_path(instance, filename: str) -> str:
    return f"inspections/{instance.record_id}/{filename}"


class Attachment(models.Model):
    """A photo or document of a record; ``sha256`` fixes its content at upload (全过程记录)."""

    record = models.ForeignKey(InspectionRecord, on_delete=models.PROTECT, related_name="attachments")
    rectification = models.ForeignKey(
        "RectificationOrder",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="photos",
        help_text="复查时拍摄的照片",
    )
    file = models.FileField("文件", upload_to=attachment_path)
    name = models.CharField("文件名", max_length=200)
    size = models.PositiveBigIntegerField("大小")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = "检查附件"
        verbose_name_plural = "检查附件"

    def __str__(self) -> str:
        return self.name


class RectificationOrder(models.Model):
    """责令整改: what the party must correct, by when (working days); the party's report and the
    officer's verification (复查) with photos."""

    class State(models.TextChoices):
        OPEN = "open", "整改中"
        VERIFIED = "verified", "已复查通过"

    record = models.ForeignKey(InspectionRecord, on_delete=models.PROTECT, related_name="rectifications")
    content = models.TextField("整改内容")
    working_days = models.PositiveSmallIntegerField("整改期限（工作日）")
    deadline = models.DateField("整改期限")
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.OPEN)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued_at = models.DateTimeField(auto_now_add=True)
    party_report = models.TextField("当事人整改报告", blank=True)
    reported_at = models.DateTimeField("报告时间", null=True, blank=True)
    verified_at = models.DateTimeField("复查时间", null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="复查人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verification_note = models.TextField("复查情况", blank=True)

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = "责令整改"
        verbose_name_plural = "责令整改"
        indexes = [models.Index(fields=["state", "deadline"])]

    def __str__(self) -> str:
        return f"整改 {self.deadline}"


class ActionCode(models.Model):
    """行政行为码: a code shown to the party for a visit or a record. Scanning it shows who
    inspects and for what; after the inspection the party may rate it once."""

    visit = models.OneToOneField(
        JointInspection, null=True, blank=True, on_delete=models.PROTECT, related_name="action_code"
    )
    record = models.OneToOneField(
        InspectionRecord, null=True, blank=True, on_delete=models.PROTECT, related_name="action_code"
    )
    nonce = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    rating = models.PositiveSmallIntegerField("评价", null=True, blank=True)
    comment = models.CharField("评价意见", max_length=500, blank=True)
    rated_at = models.DateTimeField("评价时间", null=True, blank=True)

    class Meta:
        verbose_name = "行政行为码"
        verbose_name_plural = "行政行为码"
        constraints = [
            models.CheckConstraint(
                condition=Q(visit__isnull=False) | Q(record__isnull=False), name="action_code_target"
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="action_code_rating_range",
            ),
        ]

    def __str__(self) -> str:
        return f"行政行为码 #{self.pk}"


class InspectorChange(models.Model):
    """调整检查人员: a drawn inspector who cannot come, replaced before the inspection, with the
    reason. The draw stays as it was drawn and published; the change is recorded beside it."""

    visit = models.ForeignKey(
        JointInspection, null=True, blank=True, on_delete=models.PROTECT, related_name="changes"
    )
    task = models.ForeignKey(
        InspectionTask, null=True, blank=True, on_delete=models.PROTECT, related_name="changes"
    )
    replaced = models.ForeignKey(
        Officer, verbose_name="被替换人员", on_delete=models.PROTECT, related_name="+"
    )
    officer = models.ForeignKey(Officer, verbose_name="替补人员", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField("理由", max_length=300)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["changed_at", "pk"]
        verbose_name = "检查人员调整"
        verbose_name_plural = "检查人员调整"
        constraints = [
            models.CheckConstraint(
                condition=Q(visit__isnull=False) | Q(task__isnull=False), name="inspector_change_target"
            )
        ]

    def __str__(self) -> str:
        return f"{self.replaced_id}→{self.officer_id}"


def assigned_officer_ids(target) -> set[int]:
    """The inspectors of a visit or task now: the drawn ones, with the recorded changes applied."""
    ids = set(target.officers.values_list("pk", flat=True))
    for change in target.changes.order_by("changed_at", "pk"):
        ids.discard(change.replaced_id)
        ids.add(change.officer_id)
    return ids
