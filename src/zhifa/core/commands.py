"""Typed commands at the service boundary (DESIGN.md, "Inputs"): the one input a write service
takes.

Each write service takes one ``Command`` (a pydantic model, the same type the API takes as its
body): fields typed and bounded once, unknown fields refused. ``parse`` turns a form's POST or an
import row into a command, and every problem into a Django ``ValidationError`` naming the field
and the rule in Chinese — the pages show it beside the field, the API as ``{code, message, field}``.
"""

from __future__ import annotations

import typing
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from pydantic import BaseModel, ConfigDict, field_validator
from pydantic import ValidationError as SchemaError

T = TypeVar("T", bound="Command")

#: Form fields that are not data (the CSRF token, the button pressed).
FORM_NOISE = frozenset({"csrfmiddlewaretoken", "action", "submit"})


class Command(BaseModel):
    """Base of every command: unknown fields are errors, text is trimmed, bounded and may not hold
    NUL."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True, str_max_length=10_000)

    @field_validator("*", mode="before")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        if isinstance(value, str) and "\x00" in value:
            raise ValueError("文字中不能含有空字符")
        return value

    @classmethod
    def parse(cls, data: Any = None, **values):
        """The command from a mapping (a dict, or a form's QueryDict: lists become their values
        where the field is a list) plus ``values``; a ``ValidationError`` naming each bad field."""
        raw: dict[str, Any] = {}
        if data is not None:
            getlist = getattr(data, "getlist", None)
            for key in data:
                if key in FORM_NOISE:
                    continue
                if getlist is not None and _is_list(cls, key):
                    raw[key] = [v for v in getlist(key) if v != ""]
                else:
                    value = data[key]
                    raw[key] = None if value == "" and _nullable(cls, key) else value
        raw.update(values)
        try:
            return cls.model_validate(raw)
        except SchemaError as exc:
            raise to_validation_error(cls, exc) from None

    @classmethod
    def label(cls, name: str) -> str:
        """The field's title; none when it has no title (the message then stands beside the field)."""
        info = cls.model_fields.get(name)
        return info.title if info is not None and info.title else ""


def parse(command: type[T], data: Any = None) -> T:
    """Build ``command`` from plain data or a form, or raise ``ValidationError`` naming each field."""
    if isinstance(data, command):
        return data
    return command.parse(data)


def _is_list(cls, name: str) -> bool:
    info = cls.model_fields.get(name)
    return info is not None and getattr(info.annotation, "__origin__", None) in (list, tuple)


def _nullable(cls, name: str) -> bool:
    """An empty form field means "none" for a field that may be None (an optional number or date)."""
    info = cls.model_fields.get(name)
    return info is not None and type(None) in typing.get_args(info.annotation)


MESSAGES = {
    "missing": "请填写{label}",
    "string_too_short": "请填写{label}",
    "too_short": "请至少填写一项{label}",
    "string_too_long": "{label}不能超过{max_length}个字",
    "int_parsing": "{label}须为整数",
    "int_type": "{label}须为整数",
    "int_from_float": "{label}须为整数",
    "float_parsing": "{label}须为数字",
    "decimal_parsing": "{label}须为数字",
    "decimal_type": "{label}须为数字",
    "decimal_max_places": "{label}最多{decimal_places}位小数",
    "decimal_max_digits": "{label}位数过多",
    "decimal_whole_digits": "{label}位数过多",
    "too_long": "{label}项目过多",
    "bool_type": "{label}须为“是”或“否”",
    "model_type": "{label}格式不正确",
    "greater_than_equal": "{label}不能小于{ge}",
    "less_than_equal": "{label}不能大于{le}",
    "greater_than": "{label}须大于{gt}",
    "less_than": "{label}须小于{lt}",
    "date_parsing": "{label}须为日期（年-月-日）",
    "date_from_datetime_parsing": "{label}须为日期（年-月-日）",
    "date_type": "{label}须为日期（年-月-日）",
    "datetime_parsing": "{label}须为日期时间",
    "datetime_from_date_parsing": "{label}须为日期时间",
    "bool_parsing": "{label}须为“是”或“否”",
    "string_type": "{label}须为文字",
    "dict_type": "{label}格式不正确",
    "string_pattern_mismatch": "{label}的取值无效",
    "literal_error": "{label}的取值无效",
    "enum": "{label}的取值无效",
    "extra_forbidden": "不认识的字段“{field}”",
    "list_type": "{label}须为列表",
}


class _Values(dict):
    """Formatting values of a message; a missing one reads as empty rather than failing."""

    def __missing__(self, key):
        return ""

    def __or__(self, other):
        return _Values({**self, **other})


def to_validation_error(cls, exc: SchemaError) -> ValidationError:
    errors: dict[str, list[ValidationError]] = {}
    for error in exc.errors():
        loc = [str(part) for part in error.get("loc", ())]
        field = ".".join(loc) if loc else "__all__"
        kind = error.get("type", "value_error")
        context = dict(error.get("ctx") or {})
        if kind == "value_error":
            message = str(context.get("error") or error.get("msg", "")).removeprefix("Value error, ")
        else:
            template = MESSAGES.get(kind, "{label}无效")
            values = _Values({k: v for k, v in context.items() if not isinstance(v, BaseException)})
            message = template.format_map(
                values | {"label": cls.label(loc[0] if loc else ""), "field": field}
            )
        errors.setdefault(field, []).append(ValidationError(message, code=kind))
    return ValidationError(errors)


def field_errors(exc: ValidationError) -> dict[str, str]:
    """``{field: message}`` for a form page; errors of no field under ``form`` (templates cannot
    read ``__all__``)."""
    if hasattr(exc, "error_dict"):
        return {
            ("form" if name == "__all__" else name): "；".join(messages)
            for name, messages in exc.message_dict.items()
        }
    return {"form": "；".join(exc.messages)}
