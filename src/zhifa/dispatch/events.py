"""What happened to an incident, for whoever listens (the integrations app pushes status
feedback to the platform that sent the incident). Listeners are called inside the service's
transaction — they write their own rows there (an outbox) and must not do network work; that
runs after commit, in tasks, so a receiver that is down delays nothing here.

Events: ``accepted`` (registered), ``assigned``, ``handled`` (the body replied), ``closed``,
``rated`` (the reporter rated the handling), ``returned`` (the body returned it), ``reopened``;
an incident merged into another one is ``closed`` for its sender.
"""

from __future__ import annotations

from collections.abc import Callable

ACCEPTED, ASSIGNED, HANDLED, CLOSED, RATED, RETURNED, REOPENED = (
    "accepted", "assigned", "handled", "closed", "rated", "returned", "reopened")
EVENT_LABELS = {ACCEPTED: "已受理", ASSIGNED: "已交办", HANDLED: "已处置反馈", CLOSED: "已办结", RATED: "已评价",
                RETURNED: "已退回", REOPENED: "重新办理"}
#: Loop actions that make an event (``services.transition``'s action → event).
ACTION_EVENTS = {"assign": ASSIGNED, "transfer": ASSIGNED, "dispute_decided": ASSIGNED, "reply": HANDLED,
                 "close": CLOSED, "return": RETURNED, "merge": CLOSED, "reopen": REOPENED}

Listener = Callable[[object, str, dict], None]
_listeners: list[Listener] = []


def listen(listener: Listener) -> Listener:
    """Register ``listener(incident, event, details)`` (from an app's ``ready``)."""
    if listener not in _listeners:
        _listeners.append(listener)
    return listener


def emit(incident, event: str, **details) -> None:
    for listener in list(_listeners):
        listener(incident, event, details)
