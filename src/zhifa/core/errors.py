"""Errors a service raises when a rule refuses an action. Views show ``message`` (Chinese);
the API returns ``{code, message, field}``."""

from __future__ import annotations

from django.core.exceptions import ValidationError


class DomainError(Exception):
    """A business rule refused the action. ``code`` is machine-readable; ``message`` is for people."""

    status = 400

    def __init__(self, code: str, message: str, field: str | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field


class PermissionDenied(DomainError):
    """403. ``roles`` names the roles that hold the refused permission (the API returns them)."""

    status = 403

    def __init__(
        self, message: str = "无权执行此操作", code: str = "permission_denied", roles: list[str] | None = None
    ):
        super().__init__(code, message)
        self.roles = roles or []


class NotFound(DomainError):
    """Also raised for records outside the user's data scope, so their existence does not leak."""

    status = 404

    def __init__(self, message: str = "记录不存在或无权查看", code: str = "not_found"):
        super().__init__(code, message)


def validation_error_items(exc) -> list[dict]:
    """Flatten a Django ValidationError into ``[{code, message, field}]``."""
    items = []
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for error in errors:
                items.append(
                    {
                        "code": error.code or "invalid",
                        "message": _message(error),
                        "field": None if field == "__all__" else field,
                    }
                )
    else:
        for error in exc.error_list:
            items.append({"code": error.code or "invalid", "message": _message(error), "field": None})
    return items


def field_error(field: str, message: str, code: str) -> ValidationError:
    """A service's refusal of one field's value: shown beside the field on a page, ``{code,
    message, field}`` in the API."""
    return ValidationError({field: ValidationError(message, code=code)})


def user_message(exc: DomainError | ValidationError) -> str:
    """One line for a page's message: a refused act's reason, or a form's errors joined. A 404 or
    403 is raised on, so that the view answers with its page."""
    if isinstance(exc, NotFound | PermissionDenied):
        raise exc
    return "；".join(exc.messages) if isinstance(exc, ValidationError) else exc.message


def _message(error) -> str:
    return str(error.message % error.params if error.params else error.message)
