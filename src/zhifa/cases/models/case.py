"""Data of the cases app: one penalty case file (案卷) with its officers, timeline, evidence,
documents, payments and remedies. The procedure itself lives in ``rules.py``; the service layer
builds ``rules.CaseFacts`` from these rows (``facts.py``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhifa.catalog.models import EnforcementItem
from zhifa.organizations.models import Officer, Organization
from zhifa.parties.models import Party

from .. import rules


def _choices(labels: dict) -> list[tuple[str, str]]:
    return [(str(k), v) for k, v in labels.items()]


STATE_CHOICES = _choices(rules.STATE_LABELS)
ACTION_CHOICES = _choices(rules.ACTION_LABELS)
PROCEDURE_CHOICES = [(rules.Procedure.SUMMARY.value, "简易程序"), (rules.Procedure.GENERAL.value, "普通程序")]

#: States in which a case is still being handled (an item referenced by one cannot be retired).
OPEN_STATES = tuple(s.value for s in rules.State if s not in (rules.State.CLOSED, rules.State.ARCHIVED))
#: States in which a decided fine exists (art. 29: no second fine for the same act).
FINED_STATES = tuple(
    s.value
    for s in (
        rules.State.DECIDED,
        rules.State.SERVED,
        rules.State.PARTLY_PAID,
        rules.State.DEFERRED,
        rules.State.PAID,
        rules.State.COMPULSORY_EXECUTION,
        rules.State.COURT_ENFORCEMENT,
        rules.State.CLOSED,
        rules.State.ARCHIVED,
    )
)


class CaseQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state__in=OPEN_STATES)


class Case(models.Model):
    """案件: one administrative penalty case.

    Facts the guards of ``rules`` need are columns named exactly like the ``rules.CaseFacts``
    field they feed; the rarer facts (waivers, referral, deferral…) are kept in ``extra_facts``
    under their ``CaseFacts`` names. Penalties are lists of ``{"kind", "amount", "duration_days"}``
    with amounts as decimal strings; ``decided_fine`` repeats the decided fine as a Decimal column
    for sums in SQL."""

    organization = models.ForeignKey(
        Organization, verbose_name="办案机关", on_delete=models.PROTECT, related_name="cases"
    )
    number = models.CharField("案件编号", max_length=60, blank=True, db_index=True)
    procedure = models.CharField(
        "程序", max_length=10, choices=PROCEDURE_CHOICES, default=rules.Procedure.GENERAL.value
    )
    state = models.CharField(
        "状态", max_length=30, choices=STATE_CHOICES, default=rules.State.REGISTERED.value
    )
    party = models.ForeignKey(Party, verbose_name="当事人", on_delete=models.PROTECT, related_name="cases")
    item = models.ForeignKey(
        EnforcementItem,
        verbose_name="执法事项",
        on_delete=models.PROTECT,
        related_name="cases",
        help_text="违法行为发生时有效的事项（行政处罚法第三十七条）",
    )
    #: 一事不再罚 (art. 29): the same illegal act = same item, same party, same act date.
    act_key = models.CharField("违法行为标识", max_length=100, db_index=True, editable=False)
    summary = models.TextField("违法事实", blank=True)

    class Source(models.TextChoices):
        """案源 (行政处罚法第五十四条): where the case came from."""

        PATROL = "patrol", "巡查发现"
        INCIDENT = "incident", "指挥中心交办事件"
        INSPECTION = "inspection", "检查发现"
        COMPLAINT = "complaint", "投诉举报"
        REFERRAL = "referral", "其他机关移送"
        NON_SITE = "non_site", "非现场执法（电子技术监控）"
        OTHER = "other", "其他"

    source = models.CharField("案件来源", max_length=20, choices=Source.choices, default=Source.PATROL)
    source_ref = models.CharField(
        "来源编号", max_length=80, blank=True, help_text="事件、检查记录、移送函或设备事件的编号"
    )

    act_date = models.DateField("违法行为发生日期", null=True, blank=True)
    act_end_date = models.DateField("违法行为终了日期", null=True, blank=True)
    discovery_date = models.DateField("发现日期", null=True, blank=True)
    filing_date = models.DateField("立案日期", null=True, blank=True)
    facts_clear = models.BooleanField("事实清楚、证据确凿", default=False)
    legal_basis = models.TextField("处罚依据", blank=True)
    life_health_financial_harm = models.BooleanField("涉及生命健康、金融安全且有危害后果", default=False)

    penalties_intended = models.JSONField("拟作出的处罚", default=list, blank=True)
    penalties_decided = models.JSONField("决定的处罚", default=list, blank=True)
    decided_fine = models.DecimalField("罚款金额（元）", max_digits=14, decimal_places=2, default=0)

    notice_date = models.DateField("告知日期", null=True, blank=True)
    notice_contents = models.JSONField("告知内容", default=list, blank=True)
    defence_submitted = models.BooleanField("已陈述申辩", default=False)
    defence_reviewed = models.BooleanField("陈述申辩已复核", default=False)
    hearing_requested_on = models.DateField("申请听证日期", null=True, blank=True)
    hearing_notice_date = models.DateField("听证通知日期", null=True, blank=True)
    hearing_date = models.DateField("听证日期", null=True, blank=True)
    hearing_held_on = models.DateField("举行听证日期", null=True, blank=True)

    major_public_interest = models.BooleanField("涉及重大公共利益", default=False)
    complex_case = models.BooleanField("案情疑难复杂", default=False)
    serious_violation = models.BooleanField("重大违法行为", default=False)
    legal_review_passed = models.BooleanField("法制审核通过", default=False)
    collective_deliberation_done = models.BooleanField("已集体讨论", default=False)
    extensions = models.JSONField("延长办案期限", default=list, blank=True)

    decision_date = models.DateField("决定日期", null=True, blank=True)
    service_date = models.DateField("送达日期", null=True, blank=True)
    service_method = models.CharField("送达方式", max_length=20, default="direct")
    amount_paid = models.DecimalField("已缴金额（元）", max_digits=14, decimal_places=2, default=0)
    payment_date = models.DateField("最近缴款日期", null=True, blank=True)

    extra_facts = models.JSONField("其他事实", default=dict, blank=True)
    version = models.PositiveIntegerField("版本", default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "案件"
        verbose_name_plural = "案件"
        indexes = [
            models.Index(fields=["organization", "state"]),
            models.Index(fields=["item", "state"]),
            models.Index(fields=["party", "act_key"]),
            # The list's order (newest first): a page is read from the index, no sort of the table.
            models.Index(fields=["-created_at", "-id"], name="case_recent"),
            # The list filtered by state, in list order: closed cases are old, so walking case_recent
            # for them skipped 35,000 newer rows at province scale (100 ms → under 1 ms).
            models.Index(fields=["state", "-created_at", "-id"], name="case_state_recent"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(decided_fine__gte=0), name="case_fine_not_negative")
        ]

    def __str__(self) -> str:
        return self.number or f"案件{self.pk}"

    @staticmethod
    def make_act_key(item_id: int, party_id: int, act_date) -> str:
        return f"{item_id}:{party_id}:{act_date.isoformat() if act_date else '-'}"

    @property
    def court_applied_on(self):
        """行政强制法第五十三条: when the body applied to the court (kept among the extra facts)."""
        import datetime as dt

        value = self.extra_facts.get("court_applied_on")
        return dt.date.fromisoformat(value) if value else None

    @property
    def state_label(self) -> str:
        return rules.STATE_LABELS[rules.State(self.state)]


class CaseOfficer(models.Model):
    class Role(models.TextChoices):
        LEAD = "lead", "主办"
        ASSIST = "assist", "协办"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="case_officers")
    officer = models.ForeignKey(
        Officer, verbose_name="执法人员", on_delete=models.PROTECT, related_name="case_roles"
    )
    role = models.CharField("角色", max_length=10, choices=Role.choices, default=Role.ASSIST)
    assisting = models.BooleanField("仅辅助（不计入两名执法人员）", default=False)

    class Meta:
        ordering = ["case", "-role", "id"]  # 主办 (lead) first
        constraints = [models.UniqueConstraint(fields=["case", "officer"], name="case_officer_once")]

    def __str__(self) -> str:
        return f"{self.officer_id}@{self.case_id}"


#: Labels of timeline events that record without changing the state.
RECORD_LABELS = {
    "": "案源登记",
    "assign_officer": "指派执法人员",
    "remove_officer": "调整执法人员（回避）",
    "request_approval": "提请审批",
    "return_approval": "审批退回",
    "approve_remission": "批准减免加处罚款",
    "approve_extension": "批准延长办案期限",
    "legal_review": "法制审核",
    "record_findings": "登记调查结论",
    "record_defence": "当事人陈述申辩",
    "review_defence": "复核陈述申辩",
    "schedule_hearing": "通知听证",
    "record_waiver": "当事人放弃陈述申辩",
    "record_consent": "电子送达确认",
    "court_ruling": "人民法院裁定",
    "record_remedy": "行政复议/诉讼",
    "remedy_result": "复议/诉讼结果",
    "revoke_decision": "撤销处罚决定",
    "change_decision": "变更处罚决定",
}


class CaseEvent(models.Model):
    """The timeline of a case: one row per step (a transition or a record)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    action = models.CharField("操作", max_length=30, choices=ACTION_CHOICES)
    from_state = models.CharField("原状态", max_length=30, choices=STATE_CHOICES)
    to_state = models.CharField("新状态", max_length=30, choices=STATE_CHOICES)
    on = models.DateField("办理日期", null=True, blank=True)
    at = models.DateTimeField("记录时间", auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField("说明", blank=True)
    article = models.CharField("法律依据", max_length=300, blank=True)
    flags = models.JSONField("提示", default=list, blank=True)

    class Meta:
        ordering = ["case", "at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.action}"

    @property
    def label(self) -> str:
        try:
            return rules.ACTION_LABELS[rules.Action(self.action)]
        except ValueError:
            return RECORD_LABELS.get(self.action, self.action)


class Evidence(models.Model):
    """证据, by the types of 行政处罚法第四十六条."""

    class Kind(models.TextChoices):
        DOCUMENTARY = "documentary", "书证"
        PHYSICAL = "physical", "物证"
        AUDIOVISUAL = "audiovisual", "视听资料"
        ELECTRONIC = "electronic", "电子数据"
        WITNESS = "witness", "证人证言"
        PARTY_STATEMENT = "party_statement", "当事人的陈述"
        EXPERT_OPINION = "expert_opinion", "鉴定意见"
        INSPECTION_RECORD = "inspection_record", "勘验笔录、现场笔录"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField("证据种类", max_length=30, choices=Kind.choices)
    description = models.TextField("证据说明")
    file = models.FileField("文件", upload_to="cases/evidence/%Y/%m/", blank=True)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    collected_by = models.ForeignKey(
        Officer, verbose_name="收集人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    collected_at = models.DateTimeField("收集时间")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["case", "collected_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.description[:20]}"


class Document(models.Model):
    """文书 with its number (文号) and the generated PDF."""

    class Kind(models.TextChoices):
        FILING_APPROVAL = "filing_approval", "立案审批表"
        NOTICE = "notice", "行政处罚事先告知书"
        HEARING_NOTICE = "hearing_notice", "听证通知书"
        DECISION = "decision", "行政处罚决定书"
        SUMMARY_DECISION = "summary_decision", "当场行政处罚决定书"
        NO_PENALTY_DECISION = "no_penalty_decision", "不予行政处罚决定书"
        SERVICE_RECEIPT = "service_receipt", "送达回证"
        PAYMENT_DEMAND = "payment_demand", "催告书"
        INSPECTION_RECORD = "inspection_record", "现场检查（勘验）笔录"
        INQUIRY_RECORD = "inquiry_record", "询问笔录"
        HEARING_RECORD = "hearing_record", "听证笔录"
        CHANGE_DECISION = "change_decision", "变更行政处罚决定书"
        REVOCATION_DECISION = "revocation_decision", "撤销行政处罚决定书"
        CASE_FILE = "case_file", "案卷"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField("文书种类", max_length=30, choices=Kind.choices)
    number = models.CharField("文号", max_length=80, unique=True)
    year = models.PositiveSmallIntegerField("年度")
    seq = models.PositiveIntegerField("序号")
    file = models.FileField("PDF", upload_to="cases/documents/%Y/")
    sha256 = models.CharField("SHA-256", max_length=64)
    #: What a record (笔录) says: filled in a form, printed for signature (第四十七条、第五十五条).
    content = models.JSONField("内容", default=dict, blank=True)
    issued_at = models.DateTimeField("出具时间")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["case", "issued_at", "id"]

    def __str__(self) -> str:
        return self.number


class DocumentCounter(models.Model):
    """The last number used per organisation, document kind and year; locked with
    ``select_for_update`` when a number is taken, so numbers are gap-free."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=30)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "kind", "year"], name="document_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.organization_id}/{self.kind}/{self.year}:{self.last}"


class Payment(models.Model):
    class Channel(models.TextChoices):
        BANK = "bank", "指定银行"
        ELECTRONIC = "electronic", "电子支付"
        ON_SPOT = "on_spot", "当场收缴"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="payments")
    amount = models.DecimalField("金额（元）", max_digits=14, decimal_places=2)
    surcharge = models.DecimalField("其中加处罚款（元）", max_digits=14, decimal_places=2, default=0)
    paid_on = models.DateField("缴纳日期")
    channel = models.CharField("缴纳方式", max_length=20, choices=Channel.choices, default=Channel.BANK)
    receipt_number = models.CharField("票据号", max_length=60, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["case", "paid_on", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive")]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.amount}"


class RemedyOutcome(models.Model):
    class Kind(models.TextChoices):
        RECONSIDERATION = "reconsideration", "行政复议"
        LITIGATION = "litigation", "行政诉讼"

    class Outcome(models.TextChoices):
        PENDING = "pending", "审理中"
        UPHELD = "upheld", "维持"
        CHANGED = "changed", "变更"
        REVOKED = "revoked", "撤销"
        CONFIRMED_ILLEGAL = "confirmed_illegal", "确认违法"
        ORDERED = "ordered", "责令履行"
        WITHDRAWN = "withdrawn", "撤回/驳回"

    class Instance(models.TextChoices):
        RECONSIDERATION = "reconsideration", "复议"
        FIRST = "first", "一审"
        SECOND = "second", "二审"
        RETRIAL = "retrial", "再审"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="remedies")
    kind = models.CharField("救济途径", max_length=20, choices=Kind.choices)
    filed_on = models.DateField("申请/起诉日期")
    authority = models.CharField("复议机关/人民法院", max_length=100, blank=True)
    instance = models.CharField("审级", max_length=20, choices=Instance.choices, blank=True)
    document_number = models.CharField("决定书/判决书文号", max_length=80, blank=True)
    outcome = models.CharField("结果", max_length=20, choices=Outcome.choices, default=Outcome.PENDING)
    decided_on = models.DateField("决定/裁判日期", null=True, blank=True)
    note = models.TextField("说明", blank=True)

    class Meta:
        ordering = ["case", "filed_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}（{self.get_outcome_display()}）"
