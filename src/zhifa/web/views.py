"""The landing page (待办) and the account pages: password, sessions, API keys."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhifa.core import access, todo
from zhifa.core.web import service_view

from . import sessions


@login_required
def home(request):
    """Each role's to-do list: the sections of every role the user holds, the nearest deadlines
    on top, each item one click from where it is done."""
    today = timezone.localdate()
    desks = todo.desks_for(request.user, today)
    return render(
        request,
        "web/home.html",
        {
            "desks": desks,
            "today": today,
            "nearest": todo.nearest(desks, today),
            "total": sum(d.count for d in desks),
        },
    )


@login_required
def account(request):
    user = request.user
    return render(
        request,
        "web/account/overview.html",
        {
            "roles": [access.role_label(r) for r in sorted(access.roles_of(user))],
            "sessions": sessions.sessions_of(user, request.session.session_key),
            "api_keys": _api_keys(user),
        },
    )


def _api_keys(user):
    """The API keys of the user's organisation (integrations act for it); only their prefixes."""
    from zhifa.api.models import ApiKey

    org = getattr(user, "organization", None)
    if org is None:
        return []
    return list(ApiKey.objects.filter(organization=org).order_by("-is_active", "name"))


class ChinesePasswordChangeForm(PasswordChangeForm):
    """Django's form, labels in the platform's words."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "当前密码"
        self.fields["new_password1"].label = "新密码"
        self.fields["new_password2"].label = "再次输入新密码"
        self.fields[
            "new_password1"
        ].help_text = "至少 10 位，不能全是数字，不能与账号信息相近，不能是常见密码。"


@login_required
def password_change(request):
    form = ChinesePasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.user.password_must_change = False  # saved with the new password
        user = form.save()
        update_session_auth_hash(request, user)  # this session stays signed in; the others end
        sessions.password_changed(user, request.session.session_key)
        messages.success(request, "密码已修改，其他设备上的登录已失效")
        return redirect("web:account")
    return render(request, "web/account/password.html", {"form": form})


@service_view
@require_POST
def sign_out_session(request, session_id: int):
    sessions.sign_out(request.user, session_id, request.session.session_key)
    messages.success(request, "已退出该设备上的登录")
    return redirect("web:account")


@login_required
@require_POST
def sign_out_others(request):
    count = sessions.sign_out_others(request.user, request.session.session_key)
    messages.success(request, f"已退出其他 {count} 处登录" if count else "没有其他设备上的登录")
    return redirect("web:account")
