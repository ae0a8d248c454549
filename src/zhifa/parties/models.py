"""Parties (监管对象 / 当事人) and the credit rules that colour them (企业四色管理).

Articles: GB 32100-2015 (USCC), GB 11643-1999 (ID numbers); 国发〔2019〕5号 (risk colours, 无感监管).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from zhifa.core.django_validators import id_number_validator, uscc_validator
from zhifa.organizations.models import Region

from . import rules


class Party(models.Model):
    """An enterprise, an individual business or a person that enforcement deals with. District-wide
    master data: not owned by one organisation; township users see the parties of their township."""

    class Kind(models.TextChoices):
        ENTERPRISE = "enterprise", "企业"
        INDIVIDUAL_BUSINESS = "individual_business", "个体工商户"
        PERSON = "person", "自然人"

    class Industry(models.TextChoices):
        CATERING = "catering", "餐饮服务"
        RETAIL = "retail", "批发零售"
        FOOD_PRODUCTION = "food_production", "食品生产"
        ACCOMMODATION = "accommodation", "住宿"
        CONSTRUCTION = "construction", "建筑施工"
        MANUFACTURING = "manufacturing", "制造业"
        HAZARDOUS_CHEMICALS = "hazardous_chemicals", "危险化学品"
        TRANSPORT = "transport", "道路运输"
        HEALTHCARE = "healthcare", "医疗卫生"
        ENTERTAINMENT = "entertainment", "文化娱乐"
        AGRICULTURE = "agriculture", "农业"
        RESIDENT = "resident", "居民个人"
        OTHER = "other", "其他"

    class RiskColor(models.TextChoices):
        GREEN = rules.GREEN, rules.COLOR_LABELS[rules.GREEN]
        BLUE = rules.BLUE, rules.COLOR_LABELS[rules.BLUE]
        YELLOW = rules.YELLOW, rules.COLOR_LABELS[rules.YELLOW]
        RED = rules.RED, rules.COLOR_LABELS[rules.RED]

    kind = models.CharField("类型", max_length=30, choices=Kind.choices)
    name = models.CharField("名称/姓名", max_length=100)
    uscc = models.CharField(
        "统一社会信用代码",
        max_length=18,
        blank=True,
        validators=[uscc_validator],
        help_text="企业、个体工商户必填",
    )
    id_number = models.CharField(
        "公民身份号码",
        max_length=18,
        blank=True,
        validators=[id_number_validator],
        help_text="自然人必填；个体工商户可填写经营者的公民身份号码",
    )
    representative = models.CharField("法定代表人/经营者", max_length=50, blank=True)
    phone = models.CharField("联系电话", max_length=20, blank=True)
    address = models.CharField("住所/经营场所", max_length=200, blank=True)
    township = models.ForeignKey(
        Region, verbose_name="所属乡镇（街道）", on_delete=models.PROTECT, related_name="parties"
    )
    industry = models.CharField("行业", max_length=30, choices=Industry.choices, default=Industry.OTHER)

    risk_color = models.CharField(
        "风险等级", max_length=10, choices=RiskColor.choices, default=RiskColor.GREEN
    )
    risk_reasons = models.JSONField("评定理由", default=list, blank=True)
    risk_updated_at = models.DateTimeField("评定时间", null=True, blank=True)
    risk_score = models.PositiveIntegerField("风险积分", default=0)
    #: 无感监管: low-risk parties with a clean record, checked remotely instead of routine visits,
    #: by the published rule of the credit rules in force (``RiskConfig.light_touch``); the reason is
    #: shown to the party.
    light_touch = models.BooleanField("列入无感监管名单", default=False)
    light_touch_reason = models.CharField("无感监管说明", max_length=300, blank=True)

    # Facts behind the colour as recorded here, within RiskConfig.window_months (12 by default).
    # Providers registered in services.FACTS_PROVIDERS (cases, complaints, inspections) override
    # them once those apps count the facts themselves.
    violation_count_12m = models.PositiveIntegerField("近期行政处罚次数", default=0)
    complaint_count_12m = models.PositiveIntegerField("近期投诉举报次数", default=0)
    failed_inspection_count_12m = models.PositiveIntegerField("近期检查发现问题次数", default=0)
    serious_violation = models.BooleanField("列入严重违法失信名单", default=False)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = "监管对象"
        verbose_name_plural = "监管对象"
        constraints = [
            models.UniqueConstraint(
                fields=["uscc"],
                condition=~Q(uscc=""),
                name="party_unique_uscc",
                violation_error_code="unique",
                violation_error_message="该统一社会信用代码已登记",
            ),
            models.UniqueConstraint(
                fields=["id_number"],
                condition=Q(kind="person"),
                name="party_unique_person_id_number",
                violation_error_code="unique",
                violation_error_message="该公民身份号码已登记为自然人",
            ),
            models.CheckConstraint(condition=Q(risk_color__in=rules.COLORS), name="party_risk_color_valid"),
        ]
        indexes = [
            models.Index(fields=["township", "risk_color"]),
            models.Index(fields=["risk_color"]),
            models.Index(fields=["kind", "township"]),
            models.Index(fields=["industry", "township"]),
            models.Index(fields=["name"]),
            models.Index(fields=["light_touch"], condition=Q(light_touch=True), name="party_light_touch"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def needs_uscc(self) -> bool:
        return self.kind in (self.Kind.ENTERPRISE, self.Kind.INDIVIDUAL_BUSINESS)

    def clean(self):
        errors = {}
        if self.needs_uscc and not self.uscc:
            errors["uscc"] = ValidationError(
                f"{self.get_kind_display()}须填写统一社会信用代码", code="required"
            )
        if self.kind == self.Kind.PERSON:
            if not self.id_number:
                errors["id_number"] = ValidationError("自然人须填写公民身份号码", code="required")
            if self.uscc:
                errors["uscc"] = ValidationError("自然人没有统一社会信用代码", code="uscc_not_applicable")
        if self.kind == self.Kind.ENTERPRISE and self.id_number:
            errors["id_number"] = ValidationError(
                "企业不登记公民身份号码（个人信息保护法第六条：收集个人信息限于实现处理目的的最小范围）",
                code="id_number_not_applicable",
            )
        # GB 32100-2015: 第1位 9 = 市场监管登记; 第2位 1 企业, 2 个体工商户, 3 农民专业合作社.
        if self.uscc and len(self.uscc) == 18 and "uscc" not in errors:
            is_individual = self.uscc[:2] == "92"
            if self.kind == self.Kind.INDIVIDUAL_BUSINESS and not is_individual:
                errors["uscc"] = ValidationError(
                    "个体工商户的统一社会信用代码应以“92”开头", code="uscc_kind_mismatch"
                )
            elif self.kind == self.Kind.ENTERPRISE and is_individual:
                errors["uscc"] = ValidationError(
                    "以“92”开头的统一社会信用代码属于个体工商户，请将类型选为个体工商户",
                    code="uscc_kind_mismatch",
                )
        if self.township_id and not self.township.is_township:
            errors["township"] = ValidationError(
                f"“{self.township.name}”不是乡镇（街道），请选择所属乡镇（街道）",
                code="township_not_township",
            )
        if errors:
            raise ValidationError(errors)


def default_key_industries() -> list[str]:
    return list(rules.RiskConfig().key_industries)


class RiskConfig(models.Model):
    """The credit rules in force (one active row; earlier rows are kept as history). The defaults
    are those of ``rules.RiskConfig``; the guidance office edits them through ``services``."""

    _defaults = rules.RiskConfig()

    window_months = models.PositiveSmallIntegerField("统计期间（月）", default=_defaults.window_months)
    weight_violation = models.PositiveSmallIntegerField(
        "每次行政处罚积分", default=_defaults.weight_violation
    )
    weight_complaint = models.PositiveSmallIntegerField(
        "每次投诉举报积分", default=_defaults.weight_complaint
    )
    weight_failed_inspection = models.PositiveSmallIntegerField(
        "每次检查发现问题积分", default=_defaults.weight_failed_inspection
    )
    weight_key_industry = models.PositiveSmallIntegerField(
        "重点监管行业积分", default=_defaults.weight_key_industry
    )
    blue_threshold = models.PositiveSmallIntegerField("蓝色阈值", default=_defaults.blue_threshold)
    yellow_threshold = models.PositiveSmallIntegerField("黄色阈值", default=_defaults.yellow_threshold)
    red_threshold = models.PositiveSmallIntegerField("红色阈值", default=_defaults.red_threshold)
    key_industries = models.JSONField("重点监管行业", default=default_key_industries, blank=True)
    light_touch = models.BooleanField(
        "启用无感监管名单",
        default=_defaults.light_touch,
        help_text="绿色、近期无行政处罚、投诉举报和检查发现问题、非重点监管行业的对象，以远程核查代替例行上门检查",
    )
    effective_from = models.DateField(
        "施行日期", null=True, blank=True, help_text="到期由每晚的任务启用并重新评定"
    )
    note = models.CharField("调整说明", max_length=300, blank=True)
    is_active = models.BooleanField("现行", default=True)
    activated_at = models.DateTimeField(
        "启用时间", null=True, blank=True, help_text="为空且未启用的为待施行规则"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="设置人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    FIELDS = (
        "window_months",
        "weight_violation",
        "weight_complaint",
        "weight_failed_inspection",
        "weight_key_industry",
        "blue_threshold",
        "yellow_threshold",
        "red_threshold",
        "key_industries",
        "light_touch",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "信用风险评定规则"
        verbose_name_plural = "信用风险评定规则"
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"], condition=Q(is_active=True), name="risk_config_one_active"
            )
        ]

    def __str__(self) -> str:
        return f"信用风险评定规则 #{self.pk}"

    def as_rules(self) -> rules.RiskConfig:
        data = {name: getattr(self, name) for name in self.FIELDS}
        data["key_industries"] = tuple(self.key_industries)
        return rules.RiskConfig(**data)

    def clean(self):
        errors = {}
        industries = self.key_industries
        if not isinstance(industries, list) or any(i not in Party.Industry.values for i in industries):
            errors["key_industries"] = ValidationError(
                "重点监管行业应从行业列表中选择", code="invalid_choice"
            )
        values = {
            name: getattr(self, name) for name in self.FIELDS if name not in ("key_industries", "light_touch")
        }
        if all(isinstance(v, int) for v in values.values()):
            for name, message in rules.config_errors(values).items():
                errors[name] = ValidationError(message, code="risk_config_invalid")
        if errors:
            raise ValidationError(errors)
