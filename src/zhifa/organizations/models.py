"""Regions, enforcement bodies, officers, certificates, postings, the stations covering each
township (1+X) and the people who log in.

Articles: 行政处罚法第四十二条、第五十五条 (certificates), plan 三.(二) (postings, 1+X, 智造新城).
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, Value
from django.utils import timezone

from zhifa.core.django_validators import id_number_validator
from zhifa.core.nav import DEPUTY


class Region(models.Model):
    """行政区划: the district and its townships / sub-districts (codes per GB/T 2260 and its
    township extension: 001–099 街道, 100–199 镇, 200–299 乡)."""

    class Level(models.TextChoices):
        PROVINCE = "province", "省"
        CITY = "city", "市"
        DISTRICT = "district", "区（县）"
        SUBDISTRICT = "subdistrict", "街道"
        TOWN = "town", "镇"
        TOWNSHIP = "township", "乡"

    TOWNSHIP_LEVELS = (Level.SUBDISTRICT, Level.TOWN, Level.TOWNSHIP)

    code = models.CharField("区划代码", max_length=12, unique=True)
    name = models.CharField("名称", max_length=50)
    level = models.CharField("层级", max_length=20, choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        ordering = ["code"]
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"

    def __str__(self) -> str:
        return self.name

    @property
    def is_township(self) -> bool:
        """乡镇（街道）: the level enforcement power is pushed down to."""
        return self.level in self.TOWNSHIP_LEVELS


class Organization(models.Model):
    """执法主体 / 机构, in one tree. ``path`` is the chain of ids from the root ("/00000001/00000004/"),
    so a subtree is one indexed prefix match (data scopes)."""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", "人民政府"
        COMMAND_CENTER = "command_center", "行政执法统一指挥中心"
        GUIDANCE_OFFICE = "guidance_office", "综合行政执法指导办公室"
        COMPREHENSIVE_BUREAU = "comprehensive_bureau", "综合行政执法局"
        PROFESSIONAL_DEPARTMENT = "professional_department", "专业执法队伍"
        REGULATOR_DEPARTMENT = "regulator_department", "业务主管部门"
        TOWNSHIP_TEAM = "township_team", "乡镇（街道）综合执法队"
        DISPATCHED_STATION = "dispatched_station", "派驻站所"

    name = models.CharField("名称", max_length=100)
    short_name = models.CharField("简称", max_length=30, blank=True, help_text="用于文书文号，如“衢江综执”")
    kind = models.CharField("类型", max_length=40, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    region = models.ForeignKey(
        Region, verbose_name="所在区划", on_delete=models.PROTECT, related_name="organizations"
    )
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")
    headcount = models.PositiveIntegerField("编制数", default=0)
    is_enforcement_body = models.BooleanField(
        "是否执法主体", default=False, help_text="可以自己的名义作出行政处罚"
    )
    #: 行政强制法第十三条、第五十三条: a body with its own power of compulsory execution executes its
    #: decisions itself; only bodies without it apply to a court.
    compulsory_execution_power = models.BooleanField(
        "具有行政强制执行权",
        default=False,
        help_text="法律授权本机关自行强制执行；否则申请人民法院强制执行（行政强制法第五十三条）",
    )
    is_active = models.BooleanField("在用", default=True)

    class Meta:
        ordering = ["path"]
        verbose_name = "机构"
        verbose_name_plural = "机构"
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="org_unique_name_under_parent")
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # Zero-padded ids keep siblings in creation order when sorted by path.
        path = (self.parent.path if self.parent_id else "/") + f"{self.pk:08d}/"
        if path != self.path:
            self.path = path
            type(self).objects.filter(pk=self.pk).update(path=path)

    @property
    def depth(self) -> int:
        return self.path.count("/") - 1

    def ancestor_ids(self) -> list[int]:
        """Ids from the root down to this organisation, read from ``path``."""
        return [int(part) for part in self.path.strip("/").split("/") if part]

    def body(self) -> Organization:
        """The enforcement body (执法主体) this organisation acts for: itself or its nearest ancestor
        that may decide in its own name (an internal unit such as 法制科 acts for its bureau)."""
        if self.is_enforcement_body:
            return self
        ancestors = {
            o.pk: o for o in Organization.objects.filter(pk__in=self.ancestor_ids(), is_enforcement_body=True)
        }
        for pk in reversed(self.ancestor_ids()):
            if pk in ancestors:
                return ancestors[pk]
        return self


class Officer(models.Model):
    """执法人员. Auxiliary staff (执法辅助人员) may assist but never decide or sign."""

    class Kind(models.TextChoices):
        ENFORCEMENT = "enforcement", "执法岗"
        AUXILIARY = "auxiliary", "执法辅助人员"

    class Gender(models.TextChoices):
        MALE = "M", "男"
        FEMALE = "F", "女"

    name = models.CharField("姓名", max_length=50)
    gender = models.CharField("性别", max_length=1, choices=Gender.choices, blank=True)
    id_number = models.CharField("公民身份号码", max_length=18, unique=True, validators=[id_number_validator])
    employee_no = models.CharField("工号", max_length=30, unique=True)
    phone = models.CharField("手机号", max_length=20, blank=True)
    kind = models.CharField("岗位类别", max_length=20, choices=Kind.choices, default=Kind.ENFORCEMENT)
    organization = models.ForeignKey(
        Organization, verbose_name="所属机构", on_delete=models.PROTECT, related_name="officers"
    )
    posted_to = models.ForeignKey(
        Region,
        verbose_name="下沉乡镇",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="posted_officers",
        help_text="由区级部门派驻、在乡镇（街道）工作",
    )
    posted_since = models.DateField("下沉日期", null=True, blank=True)
    legal_qualified = models.BooleanField("通过国家统一法律职业资格考试", default=False)
    is_active = models.BooleanField("在岗", default=True)
    credential_nonce = models.PositiveIntegerField(
        default=0, editable=False, help_text="递增即作废已签发的亮证二维码"
    )

    class Meta:
        ordering = ["organization__path", "employee_no"]
        verbose_name = "执法人员"
        verbose_name_plural = "执法人员"
        indexes = [
            models.Index(fields=["organization", "kind", "is_active"]),
            models.Index(fields=["posted_to"]),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_auxiliary(self) -> bool:
        return self.kind == self.Kind.AUXILIARY


class CertificateQuerySet(models.QuerySet):
    def valid_on(self, day: dt.date):
        """Certificates an officer may act under on ``day``."""
        return self.filter(status=Certificate.Status.ACTIVE, valid_from__lte=day, valid_to__gte=day)


class Certificate(models.Model):
    """执法证: the number, the domains it covers and its validity."""

    class Status(models.TextChoices):
        ACTIVE = "active", "有效"
        SUSPENDED = "suspended", "暂扣"
        REVOKED = "revoked", "注销"

    officer = models.ForeignKey(
        Officer, verbose_name="持证人", on_delete=models.PROTECT, related_name="certificates"
    )
    number = models.CharField("证件号", max_length=40, unique=True)
    domains = models.JSONField("执法领域", default=list)
    issuer = models.CharField("发证机关", max_length=100, default="浙江省人民政府")
    valid_from = models.DateField("有效期起")
    valid_to = models.DateField("有效期止")
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.ACTIVE)
    status_reason = models.CharField("状态变更理由", max_length=300, blank=True)
    status_changed_on = models.DateField("状态变更日期", null=True, blank=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        ordering = ["-valid_to"]
        verbose_name = "执法证"
        verbose_name_plural = "执法证"
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__gt=models.F("valid_from")),
                name="certificate_dates_ordered",
                violation_error_code="certificate_dates_reversed",
                violation_error_message="有效期止必须晚于有效期起",
            ),
        ]
        indexes = [models.Index(fields=["officer", "status", "valid_to"])]

    def __str__(self) -> str:
        return self.number

    def clean(self):
        if self.valid_from and self.valid_to and self.valid_to <= self.valid_from:
            raise ValidationError(
                {"valid_to": ValidationError("有效期止必须晚于有效期起", code="certificate_dates_reversed")}
            )

    def is_valid_on(self, day: dt.date) -> bool:
        return self.status == self.Status.ACTIVE and self.valid_from <= day <= self.valid_to


class User(AbstractUser):
    """A person who logs in and acts for one organisation. ``role`` is his main role (it chooses
    his landing page); further roles in the same organisation come from ``RoleGrant`` rows (a
    bureau head is also a certified officer). ``roles`` is the set he holds."""

    class Role(models.TextChoices):
        COMMAND_CENTER = "command_center", "指挥中心"
        GUIDANCE_OFFICE = "guidance_office", "执法指导办"
        DEPARTMENT_ADMIN = "department_admin", "部门管理员"
        TOWNSHIP_LEADER = "township_leader", "乡镇（街道）领导"
        OFFICER = "officer", "执法人员"
        HEAD = "head", "机关负责人"
        LEGAL_REVIEWER = "legal_reviewer", "法制审核人员"
        SUPERVISOR = "supervisor", "监督人员"

    organization = models.ForeignKey(
        Organization,
        verbose_name="所属机构",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    role = models.CharField("角色", max_length=30, choices=Role.choices, default=Role.OFFICER)
    officer = models.OneToOneField(
        Officer,
        verbose_name="对应执法人员",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="user",
    )
    display_name = models.CharField("显示名", max_length=50, blank=True)
    #: 行政处罚法第五十八条第二款: staff doing legal review for the first time hold this certificate.
    legal_qualification_number = models.CharField("法律职业资格证书编号", max_length=40, blank=True)
    #: Set when an administrator issues or resets the password: the person chooses his own at once.
    password_must_change = models.BooleanField("须修改初始密码", default=False)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def roles(self) -> frozenset[str]:
        """The main role, every role granted and not revoked, and ``deputy`` while a head's
        delegation in force names the user (read once per request, in one query)."""
        cached = getattr(self, "_roles", None)
        if cached is None:
            granted = ()
            if self.pk:
                today = timezone.localdate()
                deputy = (
                    Delegation.objects.filter(
                        deputy_id=self.pk, revoked_at__isnull=True, valid_from__lte=today
                    )
                    .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
                    .annotate(derived=Value(DEPUTY))
                    .order_by()
                    .values_list("derived", flat=True)
                )
                granted = (
                    RoleGrant.objects.filter(user_id=self.pk, revoked_at__isnull=True)
                    .order_by()
                    .values_list("role", flat=True)
                    .union(deputy)
                )
            cached = self._roles = frozenset({self.role, *granted})
        return cached

    def forget_roles(self) -> None:
        self.__dict__.pop("_roles", None)


class RoleGrant(models.Model):
    """A further role of a user in his organisation, granted and revoked by an administrator and
    audited (a bureau head who is also a certified officer holds ``officer`` and ``head``)."""

    user = models.ForeignKey(User, verbose_name="用户", on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField("角色", max_length=30, choices=User.Role.choices)
    granted_by = models.ForeignKey(
        User, verbose_name="授予人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField("授予时间", auto_now_add=True)
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, verbose_name="撤销人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "角色授予"
        verbose_name_plural = "角色授予"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role"], condition=Q(revoked_at__isnull=True), name="role_grant_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.role}"


class Delegation(models.Model):
    """The head of a body delegates named approvals to a deputy (分管负责人). A deputy acts only
    for the approvals named here, only for the body, and only in the period."""

    organization = models.ForeignKey(
        Organization, verbose_name="机关", on_delete=models.PROTECT, related_name="delegations"
    )
    deputy = models.ForeignKey(
        User, verbose_name="受委托的负责人", on_delete=models.PROTECT, related_name="delegations"
    )
    permissions = models.JSONField(
        "委托的审批事项", default=list, help_text="权限名称，如 cases.approve_filing"
    )
    granted_by = models.ForeignKey(User, verbose_name="委托人", on_delete=models.PROTECT, related_name="+")
    valid_from = models.DateField("起始日期")
    valid_to = models.DateField("截止日期", null=True, blank=True)
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "审批委托"
        verbose_name_plural = "审批委托"
        ordering = ["organization", "-valid_from"]

    def __str__(self) -> str:
        return f"{self.organization_id}→{self.deputy_id}"

    def active_on(self, day: dt.date) -> bool:
        return (
            self.revoked_at is None
            and self.valid_from <= day
            and (self.valid_to is None or day <= self.valid_to)
        )


class StationCoverage(models.Model):
    """1+X: a dispatched station (综合执法中队, 市场监管所, 自然资源所, 司法所 …) covers a township. The
    plan (三.(二)3) unifies the stations' areas so that they share each township's jurisdiction
    and act together under the township's lead; a station may cover several townships."""

    station = models.ForeignKey(
        Organization, verbose_name="派驻站所", on_delete=models.PROTECT, related_name="coverages"
    )
    region = models.ForeignKey(
        Region, verbose_name="覆盖乡镇（街道）", on_delete=models.PROTECT, related_name="station_coverages"
    )
    since = models.DateField("起始日期")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "派驻站所覆盖"
        verbose_name_plural = "派驻站所覆盖"
        ordering = ["region", "station__path"]
        constraints = [
            models.UniqueConstraint(fields=["station", "region"], name="station_covers_region_once")
        ]

    def __str__(self) -> str:
        return f"{self.station_id}→{self.region_id}"


class JurisdictionArea(models.Model):
    """The boundary of jurisdiction between the district and a development zone inside it (衢江区 /
    智造新城, plan 三.(二)1: 厘清衢江区和智造新城管辖范围及职责边界), as data: an area of a township whose
    enforcement, in the listed domains (all when empty), belongs to ``holder`` from ``since``."""

    zone = models.CharField("功能区", max_length=50, help_text="如“衢州智造新城”")
    name = models.CharField("区块", max_length=100)
    township = models.ForeignKey(
        Region, verbose_name="所在乡镇（街道）", on_delete=models.PROTECT, related_name="jurisdiction_areas"
    )
    holder = models.ForeignKey(
        Organization, verbose_name="执法管辖单位", on_delete=models.PROTECT, related_name="+"
    )
    domains = models.JSONField("执法领域", default=list, blank=True, help_text="为空表示全部领域")
    basis = models.CharField("依据", max_length=200)
    since = models.DateField("起始日期")

    class Meta:
        verbose_name = "管辖区块"
        verbose_name_plural = "管辖区块"
        ordering = ["zone", "township", "name"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "township", "name"], name="jurisdiction_area_once")
        ]

    def __str__(self) -> str:
        return f"{self.zone} {self.name}"

    def covers(self, domain: str) -> bool:
        return not self.domains or domain in self.domains
