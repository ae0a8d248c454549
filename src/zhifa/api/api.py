"""The API under /api/v1/, assembled from each app's router. Errors always have the shape
``{code, message, field}`` (plus ``errors`` listing every field error of a validation failure)."""

from __future__ import annotations

from importlib import import_module

from django.apps import apps
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaValidationError
from ninja.security import SessionAuth

from zhifa.core.audit import record_refusal
from zhifa.core.errors import DomainError, PermissionDenied, validation_error_items

from .security import ApiKeyAuth

api = NinjaAPI(
    title="zhifa 大综合一体化行政执法平台 API",
    version="1",
    description="集成接口：事项、人员、事件推送等。认证：请求头 X-API-Key，或浏览器登录会话。"
    "错误统一为 {code, message, field}。",
    auth=[ApiKeyAuth(), SessionAuth()],
    urls_namespace="api-v1",
)


def error_response(request, status: int, code: str, message: str, field: str | None = None, errors=None):
    body = {"code": code, "message": message, "field": field}
    if errors is not None:
        body["errors"] = errors
    return api.create_response(request, body, status=status)


@api.exception_handler(DomainError)
def _domain_error(request, exc: DomainError):
    body = {"code": exc.code, "message": exc.message, "field": exc.field}
    if isinstance(exc, PermissionDenied):
        body["roles"] = exc.roles
        record_refusal(getattr(request, "auth", None), request.path, exc)
    refusals = getattr(exc, "refusals", None)
    if refusals:
        body["refusals"] = [{"code": r.code, "message": r.message, "article": r.article} for r in refusals]
    return api.create_response(request, body, status=exc.status)


@api.exception_handler(DjangoValidationError)
def _validation_error(request, exc: DjangoValidationError):
    items = validation_error_items(exc)
    first = items[0] if items else {"code": "invalid", "message": "输入有误", "field": None}
    return error_response(request, 422, first["code"], first["message"], first["field"], items)


@api.exception_handler(SchemaValidationError)
def _schema_error(request, exc: SchemaValidationError):
    items = []
    for error in exc.errors:
        loc = [str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path", "payload")]
        items.append({"code": error.get("type", "invalid"), "message": error.get("msg", "输入有误"),
                      "field": ".".join(loc) or None})
    first = items[0] if items else {"code": "invalid", "message": "输入有误", "field": None}
    return error_response(request, 422, first["code"], first["message"], first["field"], items)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return error_response(request, 401, "unauthenticated", "未认证：请提供有效的 X-API-Key 或先登录")


@api.exception_handler(Http404)
def _not_found(request, exc):
    return error_response(request, 404, "not_found", "记录不存在或无权查看")


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    return error_response(request, exc.status_code, "http_error", str(exc))


def _mount_app_routers() -> None:
    """Each app with ``api_prefix`` on its AppConfig contributes the ``router`` of its api.py."""
    for config in apps.get_app_configs():
        prefix = getattr(config, "api_prefix", None)
        if prefix is not None:
            api.add_router(prefix, import_module(f"{config.name}.api").router)


_mount_app_routers()
