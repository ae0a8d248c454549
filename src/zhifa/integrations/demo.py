"""Demo 审管联动: the approval system as a registered client and licences it granted to demo
enterprises over the last two months, each with its post-approval check — some done, some due,
some overdue (the supervision sweep turns those into alerts)."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from zhifa.catalog.models import EnforcementItem
from zhifa.parties.models import Party

from . import services
from .api import ApprovalIn
from .models import InboundClient

#: (licence, the catalog item whose department supervises it)
LICENCES = [
    ("食品经营许可（新办）", "330209001000"),
    ("公共场所卫生许可", "330215003000"),
    ("烟花爆竹经营（零售）许可", "330216012000"),
    ("网络文化经营许可", "330217001000"),
    ("燃气经营许可", "330204001000"),
    ("排污许可", "330208001000"),
]


def load_demo_approvals(seed: int = 2026, count: int = 12) -> int:
    client, _ = InboundClient.objects.get_or_create(
        code="zwfw-approval", defaults={"name": "浙江政务服务网审批系统", "secret": services.new_secret()}
    )
    parties = list(Party.objects.exclude(uscc="").order_by("pk")[:200])
    known = set(
        EnforcementItem.objects.filter(code__in=[c for _, c in LICENCES]).values_list("code", flat=True)
    )
    if not parties or not known:
        return 0
    today = timezone.localdate()
    made = 0
    for n in range(count):
        rng = random.Random(f"{seed}-approval-{n}")
        licence, code = rng.choice([(lic, c) for lic, c in LICENCES if c in known])
        party = rng.choice(parties)
        data = ApprovalIn(
            approval_id=f"SP{today.year}-{seed % 1000:03d}{n:04d}",
            licence_no=f"XK3308{rng.randint(10**9, 10**10 - 1)}",
            licence_name=licence,
            item_code=code,
            party_name=party.name,
            uscc=party.uscc,
            address=party.address,
            approved_on=today - dt.timedelta(days=rng.randint(1, 60)),
        )
        try:
            _, created = services.record_approval(client, data)
        except Exception:  # noqa: BLE001 (an item without a supervising body in this demo: skip it)
            continue
        made += created
    return made
