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
    "accepted",
    "assigned",
    "handled",
    "closed",
    "rated",
    "returned",
    "reopened",
)
EVENT_LABELS = {
    ACCEPTED: "已受理",
    ASSIGNED: "已交办",
    HANDLED: "已处置反馈",
    CLOSED: "已办结",
    RATED: "已评价",
    RETURNED: "已退回",
    REOPENED: "重新办理",
}
#: Loop actions that make an event (``services.transition``'s action → event).
ACTION_EVENTS = {
    "assign": ASSIGNED,
    "transfer": ASSIGNED,
    "dispute_decided": ASSIGNED,
    "reply": HANDLED,
    "close": CLOSED,
    "return": RETURNED,
    "merge": CLOSED,
    "reopen": REOPENED,
}

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


#: The status a sender sees for each state of the loop (webhooks and Open311 answer alike).
STATE_EVENTS = {
    "reported": ACCEPTED,
    "assigned": ASSIGNED,
    "accepted": ASSIGNED,
    "handling": ASSIGNED,
    "replied": HANDLED,
    "evaluated": HANDLED,
    "closed": CLOSED,
    "returned": RETURNED,
    "merged": CLOSED,
}


def status_of(incident) -> dict:
    """What the platforms that sent ``incident`` are told about it now: the status event, its
    label, the Open311 ``open``/``closed``, notes and the time of the last change."""
    event = STATE_EVENTS.get(incident.state, ACCEPTED)
    if event == CLOSED and incident.satisfaction is not None:
        event = RATED
    notes = EVENT_LABELS[event]
    if incident.state in ("replied", "evaluated", "closed") and incident.reply:
        notes += f"：{incident.reply}"
    if incident.state == "merged":
        notes = "与其他同一问题合并办理"
    return {
        "event": event,
        "label": EVENT_LABELS[event],
        "open311_status": "closed" if event in (CLOSED, RATED) else "open",
        "notes": notes,
        "updated_at": getattr(incident, "updated_at", None) or incident.reported_at,
    }
