"""Fast choice labels for API schemas.

``Field(alias="get_state_display")`` makes ninja call Django's ``get_FOO_display``, which rebuilds
a hashable copy of the field's choices on every call, and a dotted alias (``"party.name"``) makes
it raise and catch an AttributeError and parse a template ``Variable`` per row and field. A list of
50 rows spends about half of its serialisation there; schemas use resolvers with these lookups
instead, which give the same values.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.encoding import force_str


def choice_label(model, field_name: str) -> Callable[[object], str]:
    """``label(value)``: what ``instance.get_<field_name>_display()`` returns for ``value``."""
    labels: dict | None = None

    def label(value) -> str:
        nonlocal labels
        if labels is None:  # built on first use, when the app registry is certainly ready
            labels = dict(model._meta.get_field(field_name).flatchoices)
        return force_str(labels.get(value, value), strings_only=True)

    return label
