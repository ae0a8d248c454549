"""Finding → penalty case / incident: a registry of converters other apps register.

The cases and dispatch apps own their records; inspections does not import them. Each registers
a converter in its ``AppConfig.ready``::

    from zhifa.inspections.handoffs import register_handoff
    register_handoff("case", create_case_from_inspection, label="转立案")

A converter takes ``(actor, record)`` inside the inspection service's transaction and returns
the reference of what it created (a case number, an incident id) as a string.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

Converter = Callable[..., str]


@dataclass(frozen=True)
class Handoff:
    kind: str
    label: str
    convert: Converter


DEFAULT_LABELS = {"case": "转立案", "incident": "转事件"}
HANDOFFS: dict[str, Handoff] = {}


def register_handoff(kind: str, convert: Converter, label: str | None = None) -> Converter:
    """Register (or replace) the converter of ``kind``."""
    HANDOFFS[kind] = Handoff(kind, label or DEFAULT_LABELS.get(kind, kind), convert)
    return convert


def unregister_handoff(kind: str) -> None:
    HANDOFFS.pop(kind, None)


def registered() -> list[Handoff]:
    return sorted(HANDOFFS.values(), key=lambda h: h.kind)


def get(kind: str) -> Handoff | None:
    return HANDOFFS.get(kind)
