"""Alias so that ``django-admin verify-audit`` works as well as ``verify_audit``."""

from .verify_audit import Command  # noqa: F401
