"""The sign-ins of a user, so that he can see where he is signed in and sign out elsewhere."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class UserSession(models.Model):
    """One signed-in session: written at sign-in, removed at sign-out. The session itself lives in
    Django's session store; this row says whose it is, when and from where it began."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        on_delete=models.CASCADE,
        related_name="signed_in_sessions",
    )
    session_key = models.CharField("会话标识", max_length=40, unique=True)
    signed_in_at = models.DateTimeField("登录时间", auto_now_add=True)
    address = models.GenericIPAddressField("登录地址", null=True, blank=True)
    user_agent = models.CharField("浏览器", max_length=300, blank=True)

    class Meta:
        ordering = ["-signed_in_at", "-pk"]
        verbose_name = "登录会话"
        verbose_name_plural = "登录会话"
        indexes = [models.Index(fields=["user", "-signed_in_at"], name="user_session_recent")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.signed_in_at:%Y-%m-%d %H:%M}"
