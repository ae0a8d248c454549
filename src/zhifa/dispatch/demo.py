"""Demo incidents: a few months of the district's incidents, in every state of the loop, across
the townships, worked through the real services (so timelines, deadlines and audit rows are real).

``load_demo_incidents(seed)`` runs after the demo roster and catalog exist (``load_demo``,
``load_demo_catalog``). It acts as the demo's command-centre user and, for the handling steps,
as the demo superuser.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from zhifa.organizations.models import Region, User

from . import routing, rules, services
from .past_incidents import PAST_INCIDENTS

DEFAULT_COUNT = 160
DAYS_BACK = 90
STREETS = (
    "老街",
    "新街",
    "菜场路",
    "中学门口",
    "文化广场",
    "村委会旁",
    "江滨路",
    "工业园区",
    "汽车站附近",
    "卫生院对面",
)
#: How far along the loop each demo incident gets, and how often.
PATHS: list[tuple[list[str], int]] = [
    ([], 8),
    (["assign"], 14),
    (["assign", "accept"], 10),
    (["assign", "accept", "handle"], 12),
    (["assign", "accept", "handle", "reply"], 10),
    (["assign", "accept", "handle", "reply", "evaluate"], 8),
    (["assign", "accept", "handle", "reply", "evaluate", "close"], 30),
    (["assign", "return"], 5),
    (["assign", "transfer"], 3),
]
#: Calls the router should not place with confidence (they wait in the command centre's triage queue).
OFF_CATALOG = (
    "小区门口的路灯坏了一个多月没人修",
    "想咨询一下医保异地报销怎么办",
    "楼上邻居家漏水到我家，协商不成",
    "公交车站离小区太远，希望增设站点",
    "老板拖欠两个月工资不给",
)
SOURCES = (
    [rules.HOTLINE] * 5
    + [rules.GRASSROOTS] * 3
    + [rules.PATROL] * 2
    + [rules.COMPLAINT, rules.NON_SITE, rules.INSPECTION]
)


def load_demo_incidents(
    seed: int = 2026, count: int = DEFAULT_COUNT, today: dt.datetime | None = None
) -> int:
    """Create ``count`` incidents (deterministic content for a seed). Returns how many were created."""
    now = today or timezone.now()
    dispatcher = User.objects.filter(role=User.Role.COMMAND_CENTER, is_active=True).order_by("pk").first()
    worker = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    if dispatcher is None or worker is None:
        raise RuntimeError("先载入演示人员（load_demo），需要指挥中心账号和超级管理员")
    townships = list(Region.objects.filter(level__in=Region.TOWNSHIP_LEVELS).order_by("code"))
    paths = [p for p, weight in PATHS for _ in range(weight)]
    created = 0
    for n in range(count):
        rng = random.Random(f"{seed}-{n}")  # one stream per incident: a re-run recreates nothing
        township = rng.choice(townships)
        _, text = rng.choice(PAST_INCIDENTS)
        if rng.random() < 0.05:  # calls about things no enforcement item covers: the triage queue
            text = rng.choice(OFF_CATALOG)
        centre = rules.TOWNSHIP_CENTRES.get(township.name, (28.97, 118.95))
        lat, lng = centre[0] + rng.uniform(-0.01, 0.01), centre[1] + rng.uniform(-0.01, 0.01)
        at = now - dt.timedelta(days=rng.uniform(0, DAYS_BACK))
        data = {
            "source": rng.choice(SOURCES),
            "external_id": f"DEMO-{seed}-{n:05d}",
            "text": text,
            "address": f"{township.name}{rng.choice(STREETS)}",
            "lat": f"{lat:.6f}",
            "lng": f"{lng:.6f}",
            "priority": rules.URGENT if rng.random() < 0.15 else rules.NORMAL,
            "reporter_name": rng.choice("王李张刘陈杨赵黄周吴") + rng.choice(("先生", "女士")),
            "reporter_phone": f"13{rng.randint(0, 9)}{rng.randint(10_000_000, 99_999_999)}",
        }
        incident, was_created = services.report_incident(dispatcher, data, now=at)
        created += was_created
        if not was_created:
            continue
        for action in rng.choice(paths):
            at += dt.timedelta(hours=rng.uniform(1, 60))
            if at > now:
                break
            actor = dispatcher if rules.ACTION_ROLES[action] == "dispatcher" else worker
            kwargs: dict = {"now": at}
            if action == "assign" and incident.suggested_org is None:
                break
            if action in ("return", "transfer"):
                kwargs["reason"] = "经核实不属于本单位职责" if action == "return" else "按属地转办"
            if action == "transfer":
                others = [t for t in townships if t.pk != township.pk]
                target = routing.township_team(rng.choice(others))
                if target is None:
                    break
                kwargs["organization"] = target
            if action == "reply":
                kwargs["reply"] = "已到现场核实处置，责令当事人立即整改，已整改到位"
            incident = services.transition(actor, incident.pk, action, **kwargs)
            if (
                action == "close" and rng.random() < 0.8
            ):  # most reporters rate the handling on the tracking page
                at += dt.timedelta(hours=rng.uniform(1, 48))
                if at < now:
                    incident = services.rate(
                        incident.tracking_code,
                        rng.choices([5, 4, 3, 2, 1], weights=[6, 3, 1, 1, 1])[0],
                        now=at,
                    )
    services.sweep_deadlines(now)
    routing.invalidate()
    return created
