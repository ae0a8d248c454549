"""The last check before a row reaches the database: every value must fit its column.

A text longer than its column, a NUL character, a decimal with more places than the column keeps
(0.001 元), a NaN or infinite number, an integer beyond the column's range: each would make the
database raise and the request answer 500. Connected to ``pre_save`` of every model, this raises
a ``ValidationError`` naming the field instead, which forms show beside the field and the API
answers as 422 ``{code, message, field}``. Services still validate their own rules first; this
only guarantees that what slips past them is refused cleanly.
"""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import connection, models

NUL = "\x00"


def _has_nul(value) -> bool:
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_has_nul(v) for v in value)
    return False


def _non_finite(value) -> bool:
    if isinstance(value, float):
        return not math.isfinite(value)
    if isinstance(value, Decimal):
        return not value.is_finite()
    if isinstance(value, dict):
        return any(_non_finite(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(_non_finite(v) for v in value)
    return False


def field_errors(instance) -> dict[str, ValidationError]:
    """What of ``instance`` its table could not store, by field name."""
    errors: dict[str, ValidationError] = {}
    for field in instance._meta.concrete_fields:
        value = getattr(instance, field.attname, None)
        if value is None:
            continue
        label = field.verbose_name  # lazy: translated only when it names an error
        if isinstance(field, models.FileField):
            value = getattr(value, "name", value) or ""
        if _has_nul(value):
            errors[field.name] = ValidationError(f"{label}不能含空字符（\\x00）", code="nul_character")
        elif isinstance(value, str) and field.max_length and len(value) > field.max_length:
            errors[field.name] = ValidationError(
                f"{label}最多 {field.max_length} 个字符（现有 {len(value)} 个）", code="max_length"
            )
        elif isinstance(field, models.DecimalField):
            message = _decimal_problem(field, value)
            if message:
                errors[field.name] = ValidationError(f"{label}{message}", code="invalid_decimal")
        elif isinstance(field, models.FloatField | models.JSONField) and _non_finite(value):
            errors[field.name] = ValidationError(f"{label}必须是有限的数", code="not_finite")
        elif (
            isinstance(field, models.IntegerField) and isinstance(value, int) and not isinstance(value, bool)
        ):
            low, high = connection.ops.integer_field_range(field.get_internal_type())
            if (low is not None and value < low) or (high is not None and value > high):
                errors[field.name] = ValidationError(f"{label}超出允许的范围", code="out_of_range")
    return errors


def _decimal_problem(field: models.DecimalField, value) -> str | None:
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return "不是有效的数"
    if not number.is_finite():
        return "必须是有限的数"
    whole_digits = field.max_digits - field.decimal_places
    if number != 0 and number.adjusted() + 1 > whole_digits:
        return f"整数部分最多 {whole_digits} 位"
    try:
        exact = number == number.quantize(Decimal(1).scaleb(-field.decimal_places))
    except InvalidOperation:
        exact = False
    if not exact:
        return f"最多保留 {field.decimal_places} 位小数"
    return None


def guard_before_save(sender, instance, raw=False, **kwargs) -> None:
    """``pre_save`` receiver: refuse a row its table could not store, naming the field."""
    if raw:  # fixtures
        return
    errors = field_errors(instance)
    if errors:
        raise ValidationError(errors)
