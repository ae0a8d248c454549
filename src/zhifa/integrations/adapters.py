"""Outbound adapters: how one status event of an incident is written for one kind of receiver.
Every adapter gives the JSON body; the transport (signed POST, retries, log) is the same for all
(``services.deliver``). Add a receiver format by adding an adapter to ``ADAPTERS``."""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from django.utils import timezone

from zhifa.dispatch import events
from zhifa.dispatch import rules as dispatch_rules

from . import rules

SCHEMA_VERSION = "1"


class Adapter(Protocol):
    name: str
    label: str

    def body(self, incident, event: str, event_id: str, occurred_at: dt.datetime, details: dict) -> dict: ...


def _iso(value):
    return timezone.localtime(value).isoformat() if value else None


class SignedWebhook:
    """Our own format (``docs/api.md``, "Status callbacks")."""

    name, label = "webhook", "通用签名回调"

    def body(self, incident, event, event_id, occurred_at, details):
        status = events.status_of(incident)
        return {
            "schema_version": SCHEMA_VERSION,
            "event_id": event_id,
            "event": event,
            "event_label": events.EVENT_LABELS.get(event, event),
            "occurred_at": _iso(occurred_at),
            "incident": {
                "tracking_code": incident.tracking_code,
                "source": incident.source,
                "external_id": incident.external_id,
                "state": incident.state,
                "state_label": dispatch_rules.STATE_LABELS.get(incident.state, incident.state),
                "open311_status": status["open311_status"],
                "responsible_org": incident.responsible_org.name if incident.responsible_org_id else None,
                "due_at": _iso(incident.due_at),
                "reply": incident.reply or None,
                "satisfaction": incident.satisfaction,
                "note": details.get("note") or None,
            },
        }


class Hotline12345:
    """The 12345 hotline's work-order write-back: its work-order number (our ``external_id``),
    its 办理状态 codes (``rules.HOTLINE_STATES``) and field names."""

    name, label = "hotline_12345", "12345 热线工单回写"

    def body(self, incident, event, event_id, occurred_at, details):
        code, name = rules.HOTLINE_STATES.get(event, ("99", events.EVENT_LABELS.get(event, event)))
        return {
            "xxbh": event_id,  # 消息编号
            "gdbh": incident.external_id or incident.tracking_code,  # 工单编号
            "cxm": incident.tracking_code,  # 查询码
            "blzt": code,  # 办理状态代码
            "blztmc": name,  # 办理状态名称
            "cbdw": incident.responsible_org.name if incident.responsible_org_id else "",  # 承办单位
            "blqx": _iso(incident.due_at) or "",  # 办理期限
            "bljg": incident.reply or "",  # 办理结果
            "myd": incident.satisfaction if incident.satisfaction is not None else "",  # 满意度
            "thyy": details.get("note", "") if event == events.RETURNED else "",  # 退回原因
            "czsj": _iso(occurred_at),  # 操作时间
        }


ADAPTERS: dict[str, Adapter] = {a.name: a for a in (SignedWebhook(), Hotline12345())}
