from django.apps import AppConfig

from zhifa.core.nav import Entry

AUDIT_LABELS = {
    "access.refused": "拒绝越权操作",
    "auth.lockout": "登录锁定",
    "auth.login": "登录",
    "auth.login_failed": "登录失败",
    "auth.logout": "退出登录",
    "auth.password_change": "修改密码",
    "calendar.import_announcement": "导入节假日安排通知",
    "calendar.import_day": "导入节假日安排",
    "calendar.remove_day": "删除节假日安排",
    "calendar.set_day": "设置节假日安排",
    "drill.write": "故障演练写入",
    "personal_data.view": "查看个人信息",
}


class CoreConfig(AppConfig):
    audit_labels = AUDIT_LABELS
    name = "zhifa.core"
    label = "core"
    verbose_name = "基础"
    nav = [Entry("节假日与期限", "calendar:year_now", "home", order=90)]  # everyone reads the calendar

    def ready(self) -> None:
        from django.db.models.signals import pre_save

        from . import access_rules, checks, fieldguard, metrics, security_events  # noqa: F401  (permissions, checks, receivers)

        pre_save.connect(fieldguard.guard_before_save, dispatch_uid="zhifa.core.fieldguard")
        metrics.register_live_collector()
