from django.apps import AppConfig

from zhifa.core.nav import Entry


class WebConfig(AppConfig):
    """The staff web shell: the landing page (待办), the account pages, the error pages and the
    menu. Each app's ``todo.py`` registers its to-do providers; they are imported here."""

    name = "zhifa.web"
    label = "web"
    verbose_name = "工作台"
    nav_group = "home"
    nav = [Entry("待办", "home", "home", order=0, phone=1)]
    audit_labels = {
        "account.password_change": "修改密码",
        "account.sign_out_others": "退出其他设备的登录",
        "account.sign_out_session": "退出一处登录",
    }

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        from . import sessions

        autodiscover_modules("todo")  # each app's to-do providers (zhifa.core.todo)
        sessions.connect()
