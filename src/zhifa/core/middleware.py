"""Request-wide middleware: the request id the audit log and the logs carry, and the API's guard
that keeps every API answer JSON — oversize bodies, NUL characters, 405s and 404s included."""

from __future__ import annotations

import json
import logging
import uuid

from django.conf import settings
from django.core.signals import request_finished
from django.dispatch import receiver
from django.http import JsonResponse, QueryDict

from .context import current_request_id, set_request_id

log = logging.getLogger(__name__)


class RequestIdMiddleware:
    """Gives each request an id (or keeps the caller's X-Request-ID) for the audit log and logs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = "".join(
            ch for ch in (request.headers.get("X-Request-ID") or "")[:64] if ch.isalnum() or ch in "-_."
        )
        request_id = given or uuid.uuid4().hex
        request.request_id = request_id
        # Kept until the response is finished (request_finished clears it), so that Django's own
        # log line of a 4xx/5xx, written after the middleware returned, carries it too.
        set_request_id(request_id)
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response


@receiver(request_finished, dispatch_uid="zhifa.core.clear_request_id")
def _clear_request_id(sender, **kwargs):
    set_request_id(None)


#: Default messages of the error statuses the guard turns into JSON.
STATUS_ERRORS = {
    400: ("bad_request", "请求格式有误"),
    401: ("unauthenticated", "未认证：请提供有效的 X-API-Key 或先登录"),
    403: ("forbidden", "无权执行此操作"),
    404: ("not_found", "接口或记录不存在"),
    405: ("method_not_allowed", "该接口不支持此请求方法"),
    413: ("body_too_large", "请求体过大"),
    429: ("rate_limited", "请求过于频繁，请稍后再试"),
    500: ("server_error", "服务器内部错误，请稍后再试或联系管理员"),
}


def json_error(
    status: int, code: str | None = None, message: str | None = None, field: str | None = None, **extra
) -> JsonResponse:
    default_code, default_message = STATUS_ERRORS.get(status, ("error", "请求失败"))
    body = {"code": code or default_code, "message": message or default_message, "field": field}
    body.update({key: value for key, value in extra.items() if value is not None})
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


def _nul_path(value, path: str = "") -> str | None:
    """The dotted path of the first string (or key) in ``value`` that contains a NUL character."""
    if isinstance(value, str):
        return path if "\x00" in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            if "\x00" in str(key):
                return where
            found = _nul_path(item, where)
            if found is not None:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = _nul_path(item, f"{path}.{index}" if path else str(index))
            if found is not None:
                return found
    return None


class ApiGuardMiddleware:
    """For paths under ``/api/``: refuse an oversize body (413) before anything reads it, refuse
    NUL characters (which no text column can hold) naming the field, and turn any error answer
    that is not JSON — Django's 404 and 500 pages, ninja's plain 405 — into ``{code, message,
    field}``."""

    prefix = "/api/"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(self.prefix):
            return self.get_response(request)
        refusal = self._refusal(request)
        response = refusal or self.get_response(request)
        if response.status_code >= 400 and not response.get("Content-Type", "").startswith(
            "application/json"
        ):
            if response.status_code >= 500:
                log.error("API %s %s answered %s", request.method, request.path, response.status_code)
            replacement = json_error(
                response.status_code, request_id=current_request_id() if response.status_code >= 500 else None
            )
            if response.has_header("Allow"):
                replacement["Allow"] = response["Allow"]
            response = replacement
        return response

    def _refusal(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return json_error(400, "bad_content_length", "Content-Length 无效")
        limit = settings.ZHIFA_API_MAX_BODY_BYTES
        if length > limit:
            return json_error(413, message=f"请求体过大：最多 {limit // 1024} KB")
        if "\x00" in request.path_info:
            return json_error(400, "nul_character", "路径中不能含空字符（\\x00）")
        query = QueryDict(request.META.get("QUERY_STRING", ""), encoding=request.encoding)
        for key, values in query.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                return json_error(
                    400, "nul_character", "参数中不能含空字符（\\x00）", field=key.replace("\x00", "")
                )
        content_type = request.META.get("CONTENT_TYPE", "")
        if length and content_type.startswith("application/json"):
            body = request.body
            if b"\x00" in body or b"\\u0000" in body:
                try:
                    field = _nul_path(json.loads(body))
                except ValueError:
                    field = None
                return json_error(400, "nul_character", "文本中不能含空字符（\\x00）", field=field or None)
        elif length and content_type.startswith("application/x-www-form-urlencoded"):
            if b"\x00" in request.body or b"%00" in request.body:
                return json_error(400, "nul_character", "文本中不能含空字符（\\x00）")
        return None
