"""Data of training (执法保障·培训, plan 三（五）2): each body's annual training plan and syllabus,
its courses (business and legal), attendance, exams and scores; officers preparing for the national
legal professional qualification exam; and the "六支队伍" that support township enforcement,
recorded as who supports whom."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from zhifa.organizations.models import Officer, Organization

from . import rules


class TrainingPlan(models.Model):
    """年度培训工作方案和培训大纲 of one body for one year. ``required_hours``: the hours each of its
    officers must attend in the year (国办发〔2018〕118号: 每人每年不少于60学时)."""

    organization = models.ForeignKey(
        Organization, verbose_name="单位", on_delete=models.PROTECT, related_name="training_plans"
    )
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("方案名称", max_length=200)
    syllabus = models.TextField("培训大纲")
    required_hours = models.DecimalField(
        "每人年度应训学时", max_digits=5, decimal_places=1, default=Decimal(rules.REQUIRED_HOURS)
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("制定时间", auto_now_add=True)

    class Meta:
        ordering = ["-year", "organization__path"]
        verbose_name = "年度培训方案"
        verbose_name_plural = "年度培训方案"
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="training_plan_once_a_year"),
            models.CheckConstraint(condition=Q(required_hours__gt=0), name="training_plan_hours_positive"),
        ]

    def __str__(self) -> str:
        return self.title


class Course(models.Model):
    plan = models.ForeignKey(
        TrainingPlan, verbose_name="培训方案", on_delete=models.PROTECT, related_name="courses"
    )
    title = models.CharField("课程名称", max_length=200)
    kind = models.CharField("类别", max_length=20, choices=list(rules.COURSE_KIND_LABELS.items()))
    starts_at = models.DateTimeField("开课时间")
    hours = models.DecimalField("学时", max_digits=5, decimal_places=1)
    teacher = models.CharField("授课人", max_length=100, blank=True)
    location = models.CharField("地点", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = "培训课程"
        verbose_name_plural = "培训课程"
        constraints = [models.CheckConstraint(condition=Q(hours__gt=0), name="course_hours_positive")]

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    """An officer attended a course for ``hours`` (at most the course's hours)."""

    course = models.ForeignKey(
        Course, verbose_name="课程", on_delete=models.PROTECT, related_name="attendance"
    )
    officer = models.ForeignKey(
        Officer, verbose_name="执法人员", on_delete=models.PROTECT, related_name="training_attendance"
    )
    hours = models.DecimalField("参训学时", max_digits=5, decimal_places=1)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        ordering = ["course", "officer__employee_no"]
        verbose_name = "参训记录"
        verbose_name_plural = "参训记录"
        constraints = [
            models.UniqueConstraint(fields=["course", "officer"], name="attendance_once"),
            models.CheckConstraint(condition=Q(hours__gt=0), name="attendance_hours_positive"),
        ]
        indexes = [models.Index(fields=["officer", "course"])]

    def __str__(self) -> str:
        return f"{self.officer_id}@{self.course_id}"


class Exam(models.Model):
    course = models.ForeignKey(Course, verbose_name="课程", on_delete=models.PROTECT, related_name="exams")
    title = models.CharField("考试名称", max_length=200)
    held_on = models.DateField("考试日期")
    full_marks = models.DecimalField("满分", max_digits=5, decimal_places=1, default=Decimal(100))
    pass_mark = models.DecimalField("及格分", max_digits=5, decimal_places=1, default=Decimal(60))

    class Meta:
        ordering = ["held_on", "pk"]
        verbose_name = "考试"
        verbose_name_plural = "考试"
        constraints = [
            models.CheckConstraint(
                condition=Q(pass_mark__lte=F("full_marks"), pass_mark__gt=0), name="exam_pass_mark_in_range"
            )
        ]

    def __str__(self) -> str:
        return self.title


class ExamScore(models.Model):
    exam = models.ForeignKey(Exam, verbose_name="考试", on_delete=models.PROTECT, related_name="scores")
    officer = models.ForeignKey(
        Officer, verbose_name="执法人员", on_delete=models.PROTECT, related_name="exam_scores"
    )
    score = models.DecimalField("成绩", max_digits=5, decimal_places=1)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["exam", "-score"]
        verbose_name = "考试成绩"
        verbose_name_plural = "考试成绩"
        constraints = [
            models.UniqueConstraint(fields=["exam", "officer"], name="exam_score_once"),
            models.CheckConstraint(condition=Q(score__gte=0), name="exam_score_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.officer_id}: {self.score}"

    @property
    def passed(self) -> bool:
        return self.score >= self.exam.pass_mark


class LegalExamCandidate(models.Model):
    """An officer preparing for the national unified legal professional qualification exam in a
    year (plan 三（五）2: 鼓励、支持…参加国家统一法律职业资格考试). Holders are ``Officer.legal_qualified``."""

    officer = models.ForeignKey(
        Officer, verbose_name="执法人员", on_delete=models.PROTECT, related_name="legal_exam"
    )
    year = models.PositiveSmallIntegerField("考试年度")
    status = models.CharField(
        "状态", max_length=20, choices=list(rules.CANDIDATE_STATUS_LABELS.items()), default=rules.PREPARING
    )
    note = models.CharField("说明", max_length=200, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        ordering = ["-year", "officer__employee_no"]
        verbose_name = "法律职业资格备考"
        verbose_name_plural = "法律职业资格备考"
        constraints = [models.UniqueConstraint(fields=["officer", "year"], name="legal_exam_once_a_year")]

    def __str__(self) -> str:
        return f"{self.officer_id} {self.year}"


class Support(models.Model):
    """One of the "六支队伍" supporting a body (plan 三（五）2): who (an officer, a body, or a named
    court or lawyer) supports whom, in which role, since when."""

    role = models.CharField("支撑队伍", max_length=30, choices=list(rules.SUPPORT_ROLE_LABELS.items()))
    supported = models.ForeignKey(
        Organization, verbose_name="被支撑单位", on_delete=models.PROTECT, related_name="supported_by"
    )
    supporter_org = models.ForeignKey(
        Organization,
        verbose_name="支撑单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supports",
    )
    supporter_officer = models.ForeignKey(
        Officer,
        verbose_name="支撑人员",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supports",
    )
    supporter_name = models.CharField(
        "支撑方名称", max_length=100, blank=True, help_text="如人民法院、律师事务所"
    )
    since = models.DateField("起始日期")
    until = models.DateField("终止日期", null=True, blank=True)
    note = models.CharField("支撑内容", max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["supported__path", "role", "pk"]
        verbose_name = "六支队伍支撑"
        verbose_name_plural = "六支队伍支撑"
        constraints = [
            models.CheckConstraint(
                condition=Q(supporter_org__isnull=False)
                | Q(supporter_officer__isnull=False)
                | ~Q(supporter_name=""),
                name="support_has_supporter",
            ),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=F("since")), name="support_dates_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} → {self.supported_id}"

    @property
    def supporter_label(self) -> str:
        if self.supporter_officer_id:
            return f"{self.supporter_officer.name}（{self.supporter_officer.organization.name}）"
        if self.supporter_org_id:
            return self.supporter_org.name
        return self.supporter_name
