"""Domain events: one app tells others that something happened, without importing them
(DESIGN.md, "Layers"). Handlers run synchronously inside the publisher's transaction, so a
reaction that fails rolls the whole act back; a handler that must not block the act schedules its
own work with ``transaction.on_commit``. Apps subscribe in their ``AppConfig.ready``."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

_handlers: dict[str, list[Callable[..., Any]]] = defaultdict(list)

#: Events published by the cases app.
DECISION_CHANGED = "case.decision_changed"  # case, revoked: bool, reason: str, on: date


def subscribe(name: str, handler: Callable[..., Any]) -> None:
    if handler not in _handlers[name]:
        _handlers[name].append(handler)


def publish(name: str, **payload: Any) -> None:
    for handler in list(_handlers[name]):
        handler(**payload)
