"""Typed commands at the service boundary (DESIGN.md, "Inputs").

A write service takes one command: a pydantic model that lists exactly the fields its action
accepts. The form, the API and imports build the same command with :func:`parse`, which turns
every validation problem into a Django ``ValidationError`` naming the field and the rule — unknown
fields included — so that pages show it in Chinese and the API answers 422 ``{code, message,
field}``.
"""

from __future__ import annotations

from typing import Any, TypeVar

import pydantic
from django.core.exceptions import ValidationError

T = TypeVar("T", bound="Command")

#: Chinese messages for pydantic's error types (the code stays machine-readable).
_MESSAGES = {
    "extra_forbidden": "不接受此字段",
    "missing": "必须填写",
    "date_from_datetime_parsing": "日期格式不正确（应为 YYYY-MM-DD）",
    "date_parsing": "日期格式不正确（应为 YYYY-MM-DD）",
    "date_type": "日期格式不正确（应为 YYYY-MM-DD）",
    "decimal_parsing": "金额格式不正确",
    "decimal_type": "金额格式不正确",
    "decimal_max_places": "金额最多两位小数",
    "decimal_max_digits": "金额位数过多",
    "decimal_whole_digits": "金额位数过多",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "bool_parsing": "应为是或否",
    "bool_type": "应为是或否",
    "string_type": "应为文字",
    "string_too_short": "不能为空",
    "string_too_long": "内容过长",
    "list_type": "应为列表",
    "too_short": "至少填写一项",
    "too_long": "项目过多",
    "enum": "不是可选的值",
    "literal_error": "不是可选的值",
    "greater_than": "数值过小",
    "greater_than_equal": "数值过小",
    "less_than": "数值过大",
    "less_than_equal": "数值过大",
    "dict_type": "格式不正确",
    "model_type": "格式不正确",
    "value_error": "格式不正确",
}


def _no_nul(value: Any) -> Any:
    if isinstance(value, str) and "\x00" in value:
        raise ValueError("文字中不能含有空字符")
    return value.strip() if isinstance(value, str) else value


class Command(pydantic.BaseModel):
    """Base of every command: unknown fields are errors, text is trimmed and may not hold NUL."""

    model_config = pydantic.ConfigDict(extra="forbid", frozen=True, str_max_length=10_000)

    @pydantic.field_validator("*", mode="before")
    @classmethod
    def _clean_text(cls, value: Any) -> Any:
        return _no_nul(value)


def parse(command: type[T], data: dict[str, Any] | None) -> T:
    """Build ``command`` from plain data, or raise ``ValidationError`` with one entry per field."""
    if isinstance(data, command):
        return data
    try:
        return command.model_validate(dict(data or {}))
    except pydantic.ValidationError as exc:
        raise to_validation_error(exc) from None


def to_validation_error(exc: pydantic.ValidationError) -> ValidationError:
    errors: dict[str, list[ValidationError]] = {}
    for error in exc.errors():
        field = ".".join(str(part) for part in error.get("loc", ())) or "__all__"
        kind = error.get("type", "invalid")
        message = _MESSAGES.get(kind)
        if kind == "value_error" and error.get("ctx", {}).get("error"):
            message = str(error["ctx"]["error"])
        errors.setdefault(field, []).append(ValidationError(message or error.get("msg", "输入有误"), code=kind))
    return ValidationError(errors)
