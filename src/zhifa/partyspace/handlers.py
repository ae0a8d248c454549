"""Reactions to other apps' domain events."""

from __future__ import annotations

from django.utils import timezone

from .services import notify_party


def tell_party_of_device_event(*, event, case, actor, **_):
    """行政处罚法第四十一条第三款: the party is told of the violation a device recorded, and where to
    see the evidence, state and defend (its space)."""
    occurred = timezone.localtime(event.occurred_at)
    notify_party(
        case.party_id,
        f"device-event:{event.pk}",
        "非现场执法：电子技术监控设备记录了您的违法行为",
        f"{occurred:%Y年%m月%d日 %H:%M}，设置在{event.device.location}的电子技术监控设备（编号{event.device.code}）"
        f"记录到：{event.description}。{case.organization.name}已立案调查（案件编号{case.number}）。"
        "您可以在本空间查看现场照片等证据；收到行政处罚事先告知书后，可以在线陈述、申辩。",
        case=case,
    )
