"""Work waiting in the demo logins' own queues (DESIGN.md, "Demo data": every role's queue holds
something), so that each landing page (待办) shows real work the moment one signs in.

Runs in ``load_demo`` after the apps' own loaders (and before the supervision sweep, which then
looks at this work too): the demo officers are put on planned
visits and rectification re-checks of their township, get incidents assigned to their team, and
open a case of their own — through the apps' services, so timelines, deadlines and audit rows are
real. Cases in every later state, the heads' approvals and the review queue come from
``zhifa.cases.demo``.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

from django.db.models import Q
from django.utils import timezone

from zhifa.cases import services as case_services
from zhifa.catalog.models import EnforcementItem
from zhifa.dispatch import rules as dispatch_rules
from zhifa.dispatch import services as dispatch_services
from zhifa.dispatch.past_incidents import PAST_INCIDENTS
from zhifa.inspections.models import JointInspection, RectificationOrder
from zhifa.organizations.demo import USERS
from zhifa.organizations.models import Officer, User
from zhifa.parties.models import Party

VISITS_PER_OFFICER = 3
INCIDENTS_PER_OFFICER = 3
CASE_FACTS = ("在店门外占道经营，经劝导仍未改正", "擅自在门店外墙设置户外广告", "未按规定分类投放生活垃圾")


def load_demo_queues(seed: int = 2026, today: dt.date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    dispatcher = User.objects.filter(role=User.Role.COMMAND_CENTER, is_active=True).order_by("pk").first()
    counts: Counter[str] = Counter()
    officers = [s.username for s in USERS if s.role == User.Role.OFFICER]
    for user in (
        User.objects.filter(username__in=officers, officer__isnull=False)
        .select_related("organization__region", "officer")
        .order_by("username")
    ):
        rng = random.Random(f"{seed}-queue-{user.username}")
        counts["visits"] += _join_visits(user, today)
        counts["rectifications"] += _join_rectifications(user)
        if dispatcher is not None:
            counts["incidents"] += _assign_incidents(dispatcher, user, rng)
        counts["cases"] += _open_cases(user, rng, today)
    return dict(counts)


def _township(user):
    region = user.organization.region
    return region if region.is_township else None


def _join_visits(user, today: dt.date) -> int:
    """The officer joins the planned visits of his township (and their tasks), and the district's
    next ones when his township has too few."""
    township = _township(user)
    if township is None:
        return 0
    planned = JointInspection.objects.filter(state=JointInspection.State.PLANNED)
    visits = list(planned.filter(party__township=township).order_by("day", "pk")[:VISITS_PER_OFFICER])
    if len(visits) < VISITS_PER_OFFICER:
        visits += list(
            planned.filter(day__gte=today)
            .exclude(pk__in=[v.pk for v in visits])
            .order_by("day", "pk")[: VISITS_PER_OFFICER - len(visits)]
        )
    for visit in visits:
        visit.officers.add(user.officer)
        for task in visit.tasks.all():
            task.officers.add(user.officer)
    return len(visits)


def _join_rectifications(user) -> int:
    """The officer re-checks the open rectification orders of his township's records."""
    township = _township(user)
    if township is None:
        return 0
    orders = list(
        RectificationOrder.objects.filter(
            state=RectificationOrder.State.OPEN, record__party__township=township
        ).select_related("record")
    )
    for order in orders:
        order.record.officers.add(user.officer)
    return len(orders)


def _assign_incidents(dispatcher, user, rng: random.Random) -> int:
    """Incidents reported in his township and assigned to his team; he has accepted the first."""
    township = _township(user)
    if township is None:
        return 0
    centre = dispatch_rules.TOWNSHIP_CENTRES.get(township.name, (28.97, 118.95))
    made = 0
    for n in range(INCIDENTS_PER_OFFICER):
        _, text = rng.choice(PAST_INCIDENTS)
        incident, created = dispatch_services.report_incident(
            dispatcher,
            {
                "source": rng.choice(
                    (dispatch_rules.HOTLINE, dispatch_rules.GRASSROOTS, dispatch_rules.PATROL)
                ),
                "external_id": f"DEMO-QUEUE-{user.username}-{n}",
                "text": text,
                "address": f"{township.name}{rng.choice(('老街', '新街', '菜场路', '文化广场'))}",
                "lat": f"{centre[0] + rng.uniform(-0.005, 0.005):.6f}",
                "lng": f"{centre[1] + rng.uniform(-0.005, 0.005):.6f}",
                "reporter_name": rng.choice("王李张刘陈") + "先生",
                "reporter_phone": f"138{rng.randrange(10**8):08d}",
            },
        )
        if not created:
            continue
        dispatch_services.transition(dispatcher, incident.pk, "assign", organization=user.organization)
        if n == 0:
            dispatch_services.transition(user, incident.pk, "accept")
        made += 1
    return made


def _covering(officers, item, today: dt.date) -> list:
    """The officers holding a certificate valid today that covers the item's domain (art. 42)."""
    domain = item.domain.name
    return [
        o for o in officers if any(c.is_valid_on(today) and domain in c.domains for c in o.certificates.all())
    ]


def _items(today: dt.date, **kind) -> list[EnforcementItem]:
    return list(
        EnforcementItem.objects.filter(kind="penalty", status="in_force", **kind)
        .filter(Q(effective_from__isnull=True) | Q(effective_from__lte=today))
        .select_related("domain")
        .order_by("code")[:20]
    )


def _open(actor, officers, item, party, rng, today) -> None:
    case_services.open_case(
        actor,
        {
            "party": party,
            "item": item,
            "act_date": today,
            "discovery_date": today,
            "summary": rng.choice(CASE_FACTS),
            "officers": officers,
        },
    )


def _open_cases(user, rng: random.Random, today: dt.date) -> int:
    """Two cases of the officer with a certified colleague, registered and waiting for him to ask the
    head to file it (the cases in every later state come from ``zhifa.cases.demo``)."""
    township = _township(user)
    team = list(
        Officer.objects.filter(organization=user.organization, kind=Officer.Kind.ENFORCEMENT, is_active=True)
        .prefetch_related("certificates")
        .order_by("pk")
    )
    me = next((o for o in team if o.pk == user.officer_id), None)
    parties = list(Party.objects.filter(township=township).order_by("pk")[:20]) if township else []
    made = 0
    for _ in range(2):
        for item in _items(today, township_library="base"):
            colleagues = [o for o in _covering(team, item, today) if o.pk != user.officer_id]
            if me is not None and _covering([me], item, today) and colleagues and parties:
                _open(user, [me, colleagues[0]], item, rng.choice(parties), rng, today)
                made += 1
                break
    return made
