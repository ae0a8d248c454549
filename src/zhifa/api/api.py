"""The API under /api/v1/, assembled from each app's router. Errors always have the shape
``{code, message, field}`` (plus ``errors`` listing every field error of a validation failure),
every operation documents them, and no input makes the API answer 5xx: what a rule refuses is
4xx, what the database would refuse is caught before it (``zhifa.core.fieldguard``) and, as a last
line, mapped to 4xx here; anything else is a JSON 500 with the request id, logged."""

from __future__ import annotations

import logging
from importlib import import_module
from typing import Any

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError, InterfaceError, OperationalError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaValidationError
from ninja.security import SessionAuth
from pydantic import BaseModel

from zhifa.core.audit import record_refusal
from zhifa.core.context import current_request_id
from zhifa.core.errors import DomainError, PermissionDenied, validation_error_items
from zhifa.core.schema import Schema

from .security import ApiKeyAuth

log = logging.getLogger(__name__)


class ErrorItem(Schema):
    code: str
    message: str
    field: str | None


class Error(Schema):
    """Every API error: a machine-readable ``code``, a Chinese ``message`` and the ``field`` at fault."""

    code: str
    message: str
    field: str | None
    errors: list[ErrorItem] | None = None
    roles: list[str] | None = None
    request_id: str | None = None


#: The error answers every operation may give (documented on each operation of the schema).
ERROR_RESPONSES = {
    400: "请求有误（格式、空字符）",
    401: "未认证",
    403: "无权执行",
    404: "记录不存在或无权查看",
    405: "不支持该请求方法",
    409: "与现有记录冲突",
    413: "请求体过大",
    422: "输入不符合规则（field 指明字段）",
    429: "请求过于频繁",
}


class ZhifaAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: dict | None = None):
        _refuse_schema_name_collisions(self)
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        error_json = Error.model_json_schema(ref_template="#/components/schemas/{model}")
        for name, definition in error_json.pop("$defs", {}).items():
            components.setdefault(name, definition)
        components["Error"] = error_json
        for methods in schema.get("paths", {}).values():
            for operation in methods.values():
                responses = operation.setdefault("responses", {})
                for status, description in ERROR_RESPONSES.items():
                    responses.setdefault(
                        status,
                        {
                            "description": description,
                            "content": {
                                "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                            },
                        },
                    )
        return schema


def _models_of(annotation: Any, seen: set) -> None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in seen:
            return
        seen.add(annotation)
        for field in annotation.model_fields.values():
            _models_of(field.annotation, seen)
    for arg in getattr(annotation, "__args__", ()) or ():
        _models_of(arg, seen)


def _refuse_schema_name_collisions(api: NinjaAPI) -> None:
    """Two schemas with one class name would silently share one entry of the OpenAPI components
    (the second overwriting the first): refuse to publish such a document."""
    seen: set = set()
    routers = [router for _prefix, router in api._routers]
    while routers:
        router = routers.pop()
        routers.extend(child for _prefix, child, *_rest in getattr(router, "_routers", []))
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in operation.models:
                    _models_of(model, seen)
                for response in operation.response_models.values():
                    _models_of(response, seen)
    by_name: dict[str, set] = {}
    for model in seen:
        if model.__module__.startswith("ninja."):
            continue
        by_name.setdefault(model.__name__, set()).add(f"{model.__module__}.{model.__qualname__}")
    clashes = {name: sorted(paths) for name, paths in by_name.items() if len(paths) > 1}
    if clashes:
        raise ImproperlyConfigured(f"API schema names used by several classes: {clashes}")


api = ZhifaAPI(
    title="zhifa 大综合一体化行政执法平台 API",
    version="1",
    description="集成接口：事项、人员、事件推送等。认证：请求头 X-API-Key，或浏览器登录会话。"
    "错误统一为 JSON {code, message, field}（见 Error），4xx 表示请求的问题；任何输入都不会得到 5xx。",
    auth=[ApiKeyAuth(), SessionAuth()],
    urls_namespace="api-v1",
)


def error_response(
    request, status: int, code: str, message: str, field: str | None = None, errors=None, **extra
):
    body = {"code": code, "message": message, "field": field}
    if errors is not None:
        body["errors"] = errors
    body.update({key: value for key, value in extra.items() if value})
    return api.create_response(request, body, status=status)


@api.exception_handler(DomainError)
def _domain_error(request, exc: DomainError):
    if isinstance(exc, PermissionDenied):
        record_refusal(getattr(request, "auth", None), request.path, exc)
    refusals = [
        {"code": r.code, "message": r.message, "article": r.article}
        for r in getattr(exc, "refusals", None) or ()
    ]
    return error_response(
        request,
        exc.status,
        exc.code,
        exc.message,
        exc.field,
        roles=getattr(exc, "roles", None),
        refusals=refusals,
    )


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
        items.append(
            {
                "code": error.get("type", "invalid"),
                "message": error.get("msg", "输入有误"),
                "field": ".".join(loc) or None,
            }
        )
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


@api.exception_handler(DataError)
def _data_error(request, exc: DataError):
    # A value the database cannot hold got past the field guard (a raw query, a bulk write).
    log.warning("API input refused by the database: %s", exc)
    return error_response(request, 422, "invalid_value", "输入的值超出允许的范围或格式")


@api.exception_handler(IntegrityError)
def _integrity_error(request, exc: IntegrityError):
    log.warning("API write conflicts with a stored record: %s", exc)
    return error_response(request, 409, "conflict", "与现有记录冲突（重复或仍被引用）")


@api.exception_handler(OperationalError)
@api.exception_handler(InterfaceError)
def _database_unavailable(request, exc):
    # The database is restarting or failing over: nothing was stored; the caller should retry
    # (with the same Idempotency-Key, so a push that did arrive is not stored twice).
    log.warning("API request met an unavailable database: %s", exc)
    response = error_response(
        request,
        503,
        "service_unavailable",
        "数据库暂时不可用，请稍后重试（未保存）",
        request_id=current_request_id(),
    )
    response["Retry-After"] = "5"
    return response


@api.exception_handler(Exception)
def _server_error(request, exc: Exception):
    log.exception("API request failed: %s %s", request.method, request.path)
    return error_response(
        request,
        500,
        "server_error",
        "服务器内部错误，请稍后再试或联系管理员",
        request_id=current_request_id(),
    )


def _mount_app_routers() -> None:
    """Each app with ``api_prefix`` on its AppConfig contributes the ``router`` of its api.py."""
    for config in apps.get_app_configs():
        prefix = getattr(config, "api_prefix", None)
        if prefix is not None:
            api.add_router(prefix, import_module(f"{config.name}.api").router)


_mount_app_routers()
