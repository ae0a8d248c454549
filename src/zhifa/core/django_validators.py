"""Django field validators wrapping the pure identifier checks in ``validators``."""

from django.core.exceptions import ValidationError


def uscc_validator(value: str) -> None:
    from .validators import IdentifierError, validate_uscc

    try:
        validate_uscc(value)
    except IdentifierError as exc:
        raise ValidationError(exc.message, code=exc.code) from None


def id_number_validator(value: str) -> None:
    from .validators import IdentifierError, validate_id_number

    try:
        validate_id_number(value)
    except IdentifierError as exc:
        raise ValidationError(exc.message, code=exc.code) from None
