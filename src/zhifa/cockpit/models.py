"""Data of the cockpit app: precomputed snapshots of the indicators, one per data scope
(docs/decisions/0003-cockpit-snapshots.md)."""

from django.db import models


class Snapshot(models.Model):
    """The cockpit of one data scope as computed at ``computed_at``: every figure, breakdown and
    trend the page, the PDF and the JSON API show. Derived data, recomputed by the
    ``cockpit.refresh_snapshots`` task and the page's 刷新 button; one row per scope, the newest
    computation wins. The drill-downs stay live."""

    #: ``district`` for the whole district, else ``org:<path>|town:<region id>`` (see ``scope_key``).
    scope_key = models.CharField("数据范围", max_length=320, unique=True)
    everything = models.BooleanField("全区", default=False)
    org_path = models.CharField("机构路径", max_length=255, blank=True, default="")
    township_region_id = models.IntegerField("乡镇（街道）", null=True, blank=True)
    computed_at = models.DateTimeField("计算时间")
    duration_ms = models.PositiveIntegerField("计算耗时（毫秒）", default=0)
    data = models.JSONField("数据", default=dict)
    #: Last time somebody looked at it (kept to the hour): the task refreshes recently viewed scopes.
    viewed_at = models.DateTimeField("最近查看", null=True, blank=True, db_index=True)
    #: Last press of the 刷新 button: at most one recomputation by hand per scope every few seconds.
    requested_at = models.DateTimeField("最近手动刷新", null=True, blank=True)

    class Meta:
        verbose_name = "驾驶舱快照"
        verbose_name_plural = "驾驶舱快照"

    def __str__(self) -> str:
        return f"{self.scope_key} @ {self.computed_at:%Y-%m-%d %H:%M}"
