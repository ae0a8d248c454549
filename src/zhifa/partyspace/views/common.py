"""What the party's pages and the officers' desk share: running one service from a form and
turning its refusal into a Chinese message next to the fields."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError

from zhifa.core.errors import DomainError, NotFound, PermissionDenied, validation_error_items

FIELD_LABELS = {
    "statement": "陈述、申辩内容",
    "files": "证据文件",
    "photos": "整改照片",
    "confirm": "确认",
    "reason": "理由",
    "deferred_until": "暂缓缴纳至",
    "text": "内容",
    "signer": "签署人",
    "organization_id": "执法机关",
    "hearing_date": "听证日期",
    "start_time": "开始时间",
    "place": "地点",
    "host_officer_id": "听证主持人",
    "meeting_url": "会议链接",
    "record": "听证笔录",
    "reply": "答复",
    "case_id": "案件",
    "hearing_notice_date": "通知日期",
    "officer_ids": "执法人员",
    "party_id": "当事人",
    "item_id": "执法事项",
    "outcome": "检查结果",
    "findings": "检查情况",
    "checked_on": "检查日期",
    "conclusion": "总结",
    "opinion": "审核意见",
    "as_of": "日期",
}


def errors_of(exc) -> dict[str, list[str]]:
    """Field → messages of a refusal (``__all__`` for those without a field)."""
    out: dict[str, list[str]] = {}
    if isinstance(exc, ValidationError):
        for item in validation_error_items(exc):
            out.setdefault(item["field"] or "__all__", []).append(item["message"])
    else:
        out.setdefault(exc.field or "__all__", []).append(exc.message)
    return out


def explain(request, exc) -> dict[str, list[str]]:
    """Show a refusal as one message; return the field errors for the form. ``NotFound`` and
    ``PermissionDenied`` are re-raised (404 / 403)."""
    if isinstance(exc, (NotFound, PermissionDenied)):
        raise exc
    errors = errors_of(exc)
    parts = []
    for field, items in errors.items():
        label = FIELD_LABELS.get(field.split(".")[0], "") if field != "__all__" else ""
        parts += [f"{label}：{m}" if label else m for m in items]
    messages.error(request, "；".join(parts))
    return errors


def attempt(request, action, *args, success: str = "", **kwargs):
    """Run ``action``; on success show ``success``; on a refusal show why. Returns (result, errors)."""
    try:
        result = action(*args, **kwargs)
    except (DomainError, ValidationError) as exc:
        return None, explain(request, exc)
    if success:
        messages.success(request, success)
    return result, {}


def checked(request, name: str) -> bool:
    return request.POST.get(name) in ("on", "true", "1", "yes")
