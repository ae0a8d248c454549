"""Demo of the party's space: an enterprise of 上方镇 that can sign in (its USCC is printed; the code
appears in the terminal of ``./dev demo``), with a case just notified (statement and hearing open),
a case decided and served into its space (payment due), its consent to electronic service, and a
non-site case from the demo camera; plus the camera's other events waiting for review and a running
"一件事" theme (``zhifa.smart.demo``). Everything is made through the services by the holders of
each act. Called by ``load_demo`` after the demo cases."""

from __future__ import annotations

import datetime as dt
import random

from django.db.models import Count, Q
from django.utils import timezone

from zhifa.cases.demo import Cast, Flow
from zhifa.cases.models import Case, Document
from zhifa.core import access
from zhifa.inspections.models import RectificationOrder
from zhifa.organizations.models import RoleGrant, User
from zhifa.parties.models import Party
from zhifa.smart import services as smart_services
from zhifa.smart.demo import load_demo_smart

from . import services
from .session import actor_for


def _head_of(case: Case) -> User | None:
    """The head who decides the body's cases (the township leader holds the head role of his team)."""
    heads = User.objects.filter(
        Q(role=User.Role.HEAD)
        | Q(pk__in=RoleGrant.objects.filter(role=User.Role.HEAD, revoked_at__isnull=True).values("user_id")),
        is_active=True,
    ).order_by("pk")
    return next((u for u in heads if access.can(u, "cases.decide", case)), None)


def _party(township) -> Party | None:
    """A catering enterprise of the township with a phone, preferably one with an open rectification."""
    candidates = (
        Party.objects.filter(township=township, kind="enterprise", uscc__gt="", phone__gt="")
        .annotate(
            open_orders=Count(
                "inspection_records__rectifications",
                filter=Q(inspection_records__rectifications__state="open"),
            )
        )
        .order_by("-open_orders", "pk")
    )
    return candidates.filter(industry="catering").first() or candidates.first()


def load_demo_party_space(seed: int, out=None, today: dt.date | None = None) -> dict:
    today = today or timezone.localdate()
    officer = User.objects.filter(username="shangfang_officer").select_related("organization").first()
    if officer is None or officer.officer is None:
        return {}
    body = officer.organization.body()
    township = body.region
    model = (
        Case.objects.filter(
            organization=body,
            procedure="general",
            party__kind="enterprise",
            item__fine_min__isnull=False,
            item__fine_max__isnull=False,
        )
        .prefetch_related("case_officers__officer")
        .order_by("pk")
        .first()
    )
    head = _head_of(model) if model else None
    party = _party(township)
    if head is None or model is None or party is None:
        return {}
    officers = [row.officer for row in model.case_officers.all()][:2]
    cast = Cast(body, officer, head, officers, [model.item], [party], [party])
    rng = random.Random(f"partyspace|{seed}")
    notified = Flow(cast, rng, today - dt.timedelta(days=25)).file(2).investigate(3).notify(24).case
    decided = Flow(cast, rng, today - dt.timedelta(days=60)).file().investigate().notify(30).decide(55).case
    services.accept_eservice(
        actor_for(party),
        {"organization_id": body.pk, "signer": party.representative or "经办人", "confirm": True},
    )
    services.issue_and_deliver(officer, notified.pk, Document.Kind.NOTICE)
    services.issue_and_deliver(officer, decided.pk, Document.Kind.DECISION)  # served into the space
    smart = load_demo_smart(seed, body, township, model.item, party, today)
    if smart.events:
        smart_services.accept_event(
            officer,
            smart.events[0].pk,
            {"officer_ids": [o.pk for o in officers], "note": "记录真实、清晰、完整、准确"},
        )
    orders = RectificationOrder.objects.filter(record__party=party, state="open").count()
    lines = [
        "",
        "当事人空间演示（http://127.0.0.1:8000/party/）：",
        f"  企业 {party.name}  统一社会信用代码 {party.uscc}",
        "  登录验证码显示在运行 ./dev demo 的终端；已同意电子送达，",
        f"  案件 {notified.number} 待陈述申辩、可申请听证，案件 {decided.number} 待缴纳罚款（测试支付渠道），"
        f"待整改 {orders} 项",
    ]
    if smart.device is not None:
        lines += [
            f"非现场执法：设备 {smart.device.code}，待审核记录 {max(len(smart.events) - 1, 0)} 条；"
            f"设备签名密钥（只显示这一次）：{smart.device_key}"
        ]
    if smart.campaign is not None:
        lines += [f"专项行动：{smart.campaign.name}（实施中）"]
    if out is not None:
        out.write("\n".join(lines))
    return {"party": party, "cases": [notified, decided], "smart": smart}
