"""Data of the indicators app: the provincial power-item library (省权力事项库/监管库) imported as
data — what 事项覆盖率 is measured against — and the time limits departments set for publishing
their penalty decisions (LAW.md, 三项制度: "configuration per department").

The indicators themselves are code (``definitions``), never rows: a user cannot bend them."""

from django.conf import settings
from django.db import models


class LibraryImport(models.Model):
    """One import of the provincial library (a file the province publishes)."""

    source_name = models.CharField("来源文件", max_length=200)
    version = models.CharField("版本/发布日期", max_length=60, blank=True)
    rows = models.PositiveIntegerField("条目数", default=0)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="导入人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    imported_at = models.DateTimeField("导入时间")

    class Meta:
        ordering = ["-imported_at", "-pk"]
        verbose_name = "省事项库导入"
        verbose_name_plural = "省事项库导入"

    def __str__(self) -> str:
        return f"{self.source_name} ({self.rows})"


class ProvincialItem(models.Model):
    """One power item of the provincial library. ``county_level``: the province assigns it to the
    county (district) level, so the district's master catalog must carry it (事项覆盖率)."""

    code = models.CharField("省库事项编码", max_length=40, unique=True)
    name = models.CharField("事项名称", max_length=300)
    kind = models.CharField("事项类别", max_length=30, blank=True)
    domain = models.CharField("执法领域", max_length=50, blank=True)
    county_level = models.BooleanField("县级行使", default=True)
    batch = models.ForeignKey(
        LibraryImport, verbose_name="导入批次", on_delete=models.PROTECT, related_name="items"
    )

    class Meta:
        ordering = ["code"]
        verbose_name = "省权力事项库条目"
        verbose_name_plural = "省权力事项库"

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class PublicationLimit(models.Model):
    """A department's own time limit for publishing penalty decisions, in working days (三项制度:
    the national rule is 7 working days; departments may set theirs, e.g. market regulation 20).
    Applies to the organisation and its subtree; without a row the national 7 working days apply."""

    organization = models.OneToOneField(
        "organizations.Organization", verbose_name="部门", on_delete=models.PROTECT, related_name="+"
    )
    working_days = models.PositiveSmallIntegerField("公开时限（工作日）")
    basis = models.CharField("依据", max_length=200)

    class Meta:
        verbose_name = "处罚决定公开时限"
        verbose_name_plural = "处罚决定公开时限"

    def __str__(self) -> str:
        return f"{self.organization_id}: {self.working_days}"
