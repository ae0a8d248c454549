"""The base of every API schema: ninja's ``Schema``, reading a row in one pass.

ninja validates an object by wrapping it in a ``DjangoGetter`` that pydantic asks for each field in
turn — a Python call, a resolver lookup and a type check per field per row, about half the time of
a 50-row list. Here each schema class keeps, once, the key and the reader of each of its fields,
and a row (a model instance or a dict) is read into a plain dict that pydantic validates in its own
code. The result is the same as ninja's: ``resolve_<field>`` static methods, managers and
querysets read as lists, files as their URL, a missing attribute as a missing field."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.template import Variable, VariableDoesNotExist
from ninja import Schema as NinjaSchema
from ninja.schema import DjangoGetter
from pydantic import ValidationInfo, model_validator

#: Values passed to pydantic as they are (checked by exact type: no conversion can apply).
_PLAIN = frozenset({str, int, float, bool, type(None), Decimal, dt.datetime, dt.date, dt.time, list, dict})
_MISSING = object()
#: Each schema class's readers, built at its first row.
_READERS: dict[type, Any] = {}


def _converted(value: Any) -> Any:
    """What ninja's getter makes of a value read from a row (managers and querysets as lists,
    methods called, files as their URL), by ninja's own rule; plain values skip it."""
    return value if type(value) in _PLAIN else DjangoGetter._convert_result(None, value)


def _attribute(obj: Any, key: str) -> Any:
    """A field read as ninja's getter reads it (a dict's key; an attribute, else a dotted path)."""
    if isinstance(obj, dict):
        return obj.get(key, _MISSING)
    try:
        return getattr(obj, key)
    except AttributeError:
        try:
            return Variable(key).resolve(obj)
        except VariableDoesNotExist:
            return _MISSING


class Schema(NinjaSchema):
    @model_validator(mode="wrap")
    @classmethod
    def _run_root_validator(cls, values: Any, handler, info: ValidationInfo) -> Any:
        if cls.model_config.get("extra") == "forbid" or cls.model_config.get("validate_assignment"):
            handler(values)  # as ninja: these read the object's own __dict__ first
        readers = _READERS.get(cls)
        if readers is None:
            readers = _READERS[cls] = _readers_of(cls)
        if readers is False:  # a field with an alias path: ninja's own getter
            return handler(DjangoGetter(values, cls, info.context))
        getter = DjangoGetter(values, cls, info.context) if cls._ninja_resolvers else None
        row = {}
        for key, resolver in readers:
            if resolver is None:
                value = _attribute(values, key)
                if value is _MISSING:
                    continue
            else:
                value = resolver(getter)
            row[key] = _converted(value)
        return handler(row)


def _readers_of(cls: type[NinjaSchema]):
    """(key pydantic looks for, the field's resolver or None) for each field; False when a field's
    alias is not a plain name."""
    readers = []
    for name, field in cls.model_fields.items():
        key = field.validation_alias if field.validation_alias is not None else (field.alias or name)
        if not isinstance(key, str):
            return False
        readers.append((key, cls._ninja_resolvers.get(key)))
    return tuple(readers)
