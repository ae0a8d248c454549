"""Demo cases: the district's heads, its legal review centre and cases in every state, each taken
through the services by the role that holds each act, on dates in the past — so that after
``./dev demo`` the officer sees cases to handle, the head approvals to give, the reviewers a queue,
and the supervisors real timelines.

Deterministic for a seed and a ``today``. Needs the roster, the catalog (with claims) and the
parties of the demo district."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db.models import Q

from zhifa.catalog.models import EnforcementItem
from zhifa.organizations.models import Delegation, Officer, Organization, RoleGrant, User
from zhifa.parties.models import Party

from . import services
from .models import Case, LegalReview, ReviewCatalogueEntry, ReviewCentre

CHECKS = dict.fromkeys(
    ("authority", "officers", "facts", "evidence", "procedure", "basis", "documents", "crime"), True
)


@dataclass
class Cast:
    """Who acts in the demo cases of one body."""

    body: Organization
    officer: User  # the officer's login (his linked officer is the lead)
    head: User
    officers: list[Officer]
    items: list[EnforcementItem]
    parties: list[Party]
    persons: list[Party]


@dataclass
class DemoCases:
    created: dict[str, int] = field(default_factory=dict)
    heads: list[str] = field(default_factory=list)


def _ensure_heads(password_hash: str) -> dict[int, User]:
    """A head (机关负责人) for every enforcement body without one; the township leader of 上方镇
    is granted the head role of his township; the bureau's deputy gets a delegation."""
    heads: dict[int, User] = {}
    for user in User.objects.filter(Q(role=User.Role.HEAD) | Q(role_grants__role=User.Role.HEAD)).distinct():
        heads[user.organization.body().pk] = user
    for leader in User.objects.filter(role=User.Role.TOWNSHIP_LEADER).select_related("organization"):
        team = Organization.objects.filter(parent=leader.organization, is_enforcement_body=True).first()
        if team is not None and team.pk not in heads:
            RoleGrant.objects.get_or_create(user=leader, role=User.Role.HEAD, revoked_at=None)
            heads[team.pk] = leader
    for body in Organization.objects.filter(is_enforcement_body=True, is_active=True).order_by("path"):
        if body.pk in heads:
            continue
        name = f"head{body.pk}"
        user, _ = User.objects.get_or_create(
            username=name,
            defaults={
                "password": password_hash,
                "organization": body,
                "role": User.Role.HEAD,
                "display_name": f"{(body.short_name or body.name)[:10]}负责人",
            },
        )
        heads[body.pk] = user
    bureau = Organization.objects.filter(
        kind=Organization.Kind.COMPREHENSIVE_BUREAU, is_enforcement_body=True
    ).first()
    deputy = User.objects.filter(username="zfj_deputy").first()
    if bureau and deputy and bureau.pk in heads and not Delegation.objects.filter(deputy=deputy).exists():
        Delegation.objects.create(
            organization=bureau,
            deputy=deputy,
            granted_by=heads[bureau.pk],
            permissions=["cases.approve_filing", "cases.approve_payment"],
            valid_from=dt.date(2026, 1, 1),
        )
    return heads


def _ensure_centre(today: dt.date) -> ReviewCentre | None:
    org = Organization.objects.filter(name="衢江区行政执法合法性审查中心").first()
    if org is None:
        return None
    lead = User.objects.filter(username="review_lead").first()
    centre, _ = ReviewCentre.objects.get_or_create(
        organization=org, defaults={"name": org.name, "lead": lead, "time_limit_working_days": 5}
    )
    bodies = Organization.objects.filter(
        Q(kind=Organization.Kind.TOWNSHIP_TEAM) | Q(kind=Organization.Kind.COMPREHENSIVE_BUREAU),
        is_enforcement_body=True,
    )
    centre.bodies.set(bodies)
    for n, username in enumerate(("review_lead", "reviewer", "legal"), 1):
        User.objects.filter(username=username, legal_qualification_number="").update(
            legal_qualification_number=f"A2019{330803 + n:06d}{n:04d}"
        )
    bureau = bodies.filter(kind=Organization.Kind.COMPREHENSIVE_BUREAU).first()
    if bureau is not None and not ReviewCatalogueEntry.objects.filter(organization=bureau).exists():
        for kind, extra, desc in (
            ("fine_at_least", {"amount": Decimal("10000")}, "罚款一万元以上"),
            ("penalty_kind", {"penalty_kind": "revoke_licence", "district_level": True}, "吊销许可证件"),
            ("penalty_kind", {"penalty_kind": "order_closure", "district_level": True}, "责令关闭"),
            ("hearing_held", {"district_level": True}, "经过听证的案件"),
        ):
            ReviewCatalogueEntry.objects.create(
                organization=bureau,
                kind=kind,
                description=desc,
                basis="国办发〔2018〕118号；衢江区重大执法决定法制审核目录",
                **extra,
            )
    return centre


def _valid_officers(body: Organization, since: dt.date, today: dt.date) -> list[Officer]:
    officers = Officer.objects.filter(
        organization__path__startswith=body.path,
        kind=Officer.Kind.ENFORCEMENT,
        is_active=True,
        certificates__status="active",
        certificates__valid_from__lte=since,
        certificates__valid_to__gte=today,
    )
    return list(officers.distinct().order_by("employee_no"))


def _cast(body: Organization, officer_user: User, head: User, since: dt.date, today: dt.date) -> Cast | None:
    officers = _valid_officers(body, since, today)
    lead = officer_user.officer
    if lead is not None and lead in officers:
        officers.remove(lead)
        officers.insert(0, lead)
    if len(officers) < 2:
        return None
    # 行政处罚法第四十二条、第五十五条: the two officers' certificates cover the item's domain.
    domains = (
        set.intersection(
            *(
                set(c.domains)
                for o in officers[:2]
                for c in o.certificates.all()
                if c.status == "active" and c.valid_to >= today
            )
        )
        if officers
        else set()
    )
    items = list(
        EnforcementItem.objects.filter(
            kind="penalty",
            status="in_force",
            fine_max__isnull=False,
            fine_min__isnull=False,
            fine_max__gte=2000,
            domain__name__in=domains,
            claims__organization_id__in=body.ancestor_ids(),
        )
        .exclude(baselines__isnull=False)
        .distinct()
        .order_by("code")[:30]
    )
    region = body.region
    parties = Party.objects.filter(kind="enterprise", uscc__gt="")
    persons = Party.objects.filter(kind="person", id_number__gt="")
    if region.is_township:
        parties, persons = parties.filter(township=region), persons.filter(township=region)
    parties, persons = list(parties.order_by("pk")[:40]), list(persons.order_by("pk")[:20])
    if len(officers) < 2 or not items or not parties or not persons:
        return None
    # Demo items are valid over the past years, so that acts of those years can be handled.
    EnforcementItem.objects.filter(pk__in=[i.pk for i in items], effective_from__gt=since).update(
        effective_from=dt.date(since.year - 1, 1, 1)
    )
    for item in items:
        item.refresh_from_db()
    return Cast(body, officer_user, head, officers, items, parties, persons)


class Flow:
    """One demo case driven step by step; ``day(n)`` is the n-th calendar day after discovery."""

    def __init__(
        self,
        cast: Cast,
        rng: random.Random,
        start: dt.date,
        *,
        person: bool = False,
        procedure: str = "general",
        fine_share: float = 0.3,
    ):
        self.cast, self.rng, self.start = cast, rng, start
        self.item = rng.choice(cast.items)
        self.party = rng.choice(cast.persons if person else cast.parties)
        low, high = self.item.fine_min, self.item.fine_max
        self.fine = (low + (high - low) * Decimal(str(fine_share))).quantize(Decimal("1"))
        act = start - dt.timedelta(days=rng.randint(1, 10))
        self.case = services.open_case(
            cast.officer,
            {
                "party": self.party,
                "item": self.item,
                "act_date": act,
                "discovery_date": start,
                "summary": f"{self.party.name}{self.item.name.replace('对', '').replace('的行政处罚', '')}",
                "procedure": procedure,
                "officers": cast.officers[:2],
            },
        )

    def day(self, n: int) -> dt.date:
        return self.start + dt.timedelta(days=n)

    def act(self, actor, action: str, **data):
        services.transition(actor, self.case.pk, action, data)
        return self

    def approve(self, kind: str, on: dt.date, **data):
        approval = services.request_approval(self.cast.officer, self.case.pk, kind, data, reason="请审批")
        services.decide_approval(
            self.cast.head, approval.pk, {"approve": True, "opinion": "同意", "as_of": on}
        )
        return self

    def ask(self, kind: str, **data):
        services.request_approval(self.cast.officer, self.case.pk, kind, data, reason="请审批")
        return self

    def file(self, n: int = 2):
        return self.approve("filing", self.day(n))

    def investigate(self, n: int = 3):
        return self.act(self.cast.officer, "start_investigation", as_of=self.day(n))

    def notify(self, n: int = 20):
        return self.act(
            self.cast.officer,
            "notify",
            notice_date=self.day(n),
            facts_clear=True,
            penalties_intended=[{"kind": "fine", "amount": str(self.fine)}],
        )

    def review(self, n: int, result: str = "passed"):
        self.act(self.cast.officer, "submit_legal_review", as_of=self.day(n))
        review = LegalReview.objects.get(case=self.case, status__in=("waiting", "in_review"))
        reviewer = _reviewer_for(review)
        services.record_review(
            reviewer,
            review.pk,
            {
                "result": result,
                "opinion": "事实清楚，证据确凿，程序合法，适用依据正确",
                "checklist": CHECKS,
                "as_of": self.day(n + 1),
            },
        )
        return self

    def decide(self, n: int = 45):
        """The head decides after a passed legal review (the demo reviews every general case)."""
        if not LegalReview.objects.filter(case=self.case, result="passed").exists():
            self.review(n - 5)
        return self.approve("decision", self.day(n))

    def serve(self, n: int = 31):
        return self.act(self.cast.officer, "serve", service_date=self.day(n), service_method="direct")

    def pay(self, n: int, amount: Decimal | None = None):
        services.record_payment(self.cast.officer, self.case.pk, amount or self.fine, self.day(n))
        return self


def _reviewer_for(review: LegalReview) -> User:
    from .access import reviewable_cases

    for user in User.objects.filter(
        role=User.Role.LEGAL_REVIEWER, legal_qualification_number__gt=""
    ).order_by("pk"):
        if reviewable_cases(user).filter(pk=review.case_id).exists():
            return user
    raise LookupError("no reviewer for the demo review")


#: Each demo case: a name (the state it ends in) and how to get there from a start date.
Script = Callable[[Flow], object]
SCRIPTS: list[tuple[str, int, Script]] = [
    ("registered", 3, lambda f: f),
    ("filing_requested", 5, lambda f: f.ask("filing")),
    (
        "declined",
        60,
        lambda f: f.approve("decline_filing", f.day(3), decline_reason="经核查，不符合立案条件"),
    ),
    ("filed", 8, lambda f: f.file(1)),
    ("investigating", 25, lambda f: f.file().investigate()),
    ("notified", 21, lambda f: f.file().investigate().notify(19)),
    (
        "hearing_requested",
        40,
        lambda f: (
            f.file()
            .investigate()
            .notify(30)
            .act(f.cast.officer, "request_hearing", hearing_requested_on=f.day(31))
        ),
    ),
    ("decision_requested", 50, lambda f: f.file().investigate().notify(30).ask("decision")),
    (
        "in_review",
        45,
        lambda f: (
            f.file().investigate().notify(30).act(f.cast.officer, "submit_legal_review", as_of=f.day(40))
        ),
    ),
    ("reviewed_waiting_decision", 50, lambda f: f.file().investigate().notify(30).review(40).ask("decision")),
    ("decided", 50, lambda f: f.file().investigate().notify(30).decide(45)),
    ("served", 60, lambda f: f.file().investigate().notify(30).decide(45).serve(46)),
    ("paid", 80, lambda f: f.file().investigate().notify(30).decide(45).serve(46).pay(55)),
    ("partly_paid", 70, lambda f: f.file().investigate().notify(30).decide(45).serve(46).pay(55, f.fine / 2)),
    (
        "deferred",
        90,
        lambda f: (
            f.file()
            .investigate()
            .notify(30)
            .decide(45)
            .serve(46)
            .approve("deferral", f.day(50), deferred_until=f.day(150), application_on=f.day(49))
        ),
    ),
    (
        "closed",
        120,
        lambda f: (
            f.file().investigate().notify(30).decide(45).serve(46).pay(55).approve("closing", f.day(60))
        ),
    ),
    (
        "archived",
        150,
        lambda f: (
            f.file()
            .investigate()
            .notify(30)
            .decide(45)
            .serve(46)
            .pay(55)
            .approve("closing", f.day(60))
            .act(f.cast.officer, "archive", as_of=f.day(62))
        ),
    ),
    (
        "compulsory_execution",
        110,
        lambda f: (
            f.file()
            .investigate()
            .notify(30)
            .decide(45)
            .serve(46)
            .act(f.cast.officer, "demand_payment", demand_served_on=f.day(80))
        ),
    ),
    (
        "no_penalty",
        60,
        lambda f: (
            f.file()
            .investigate()
            .approve("no_penalty", f.day(20), no_penalty_ground="facts_unclear", education_given=True)
        ),
    ),
    (
        "transferred",
        30,
        lambda f: f.file().approve("transfer", f.day(5), transfer_to="衢州市生态环境局衢江分局"),
    ),
    (
        "referred",
        40,
        lambda f: (
            f.file()
            .investigate()
            .approve(
                "criminal_referral", f.day(10), suspected_crime="涉嫌非法经营罪，经营数额达到立案追诉标准"
            )
        ),
    ),
    (
        "filing_revoked",
        50,
        lambda f: f.file().approve("revoke_filing", f.day(10), filing_revocation_reason="当事人非违法行为人"),
    ),
    (
        "reconsideration_revoked",
        170,
        lambda f: _revoked(f.file().investigate().notify(30).decide(45).serve(46)),
    ),
]


def _revoked(flow: Flow) -> Flow:
    services.record_remedy(
        flow.cast.officer,
        flow.case.pk,
        {
            "kind": "reconsideration",
            "filed_on": flow.day(60),
            "authority": "衢州市衢江区人民政府",
            "instance": "reconsideration",
            "outcome": "revoked",
            "decided_on": flow.day(100),
            "document_number": "衢江政复决字〔2026〕第7号",
            "note": "认定事实不清，撤销原处罚决定",
        },
    )
    return flow


def _summary(cast: Cast, rng: random.Random, today: dt.date, count: int) -> int:
    made = 0
    for n in range(count):
        day = today - dt.timedelta(days=5 + 9 * n)
        item = next((i for i in cast.items if i.fine_min is not None and i.fine_min <= 200), None)
        if item is None:
            return made
        party = cast.persons[n % len(cast.persons)]
        case = services.open_case(
            cast.officer,
            {
                "party": party,
                "item": item,
                "act_date": day,
                "discovery_date": day,
                "procedure": "summary",
                "summary": f"{party.name}现场违法",
                "officers": cast.officers[:2],
            },
        )
        services.transition(
            cast.officer,
            case.pk,
            "decide_on_spot",
            {"decision_date": day, "penalties_decided": [{"kind": "fine", "amount": "100"}]},
        )
        if n % 2 == 0:
            services.record_payment(
                cast.officer,
                case.pk,
                Decimal("100"),
                day,
                channel="on_spot",
                receipt_number=f"浙财收{day:%Y%m%d}{n:03d}",
            )
        made += 1
    return made


def load_demo_cases(
    seed: int = 2026, today: dt.date | None = None, password: str = "zhifa-demo-2026"
) -> DemoCases:
    """Heads, the review centre, and ≥ 40 cases over every state (see ``SCRIPTS``)."""
    from django.utils import timezone

    today = today or timezone.localdate()
    result = DemoCases()
    heads = _ensure_heads(make_password(password))
    _ensure_centre(today)
    rng = random.Random(f"cases|{seed}")
    since = today - dt.timedelta(days=400)
    casts = []
    for username in ("shangfang_officer", "zfj_deputy"):
        user = User.objects.filter(username=username).select_related("organization").first()
        if user is None:
            continue
        body = user.organization.body()
        if username == "zfj_deputy" and user.officer is None:
            officer = next(iter(_valid_officers(body, since, today)), None)
            if officer is not None and not hasattr(officer, "user"):
                user.officer = officer
                user.save(update_fields=["officer"])
        cast = _cast(body, user, heads.get(body.pk), since, today)
        if cast is not None and cast.head is not None:
            casts.append(cast)
    for cast in casts:
        for name, age, script in SCRIPTS:
            start = today - dt.timedelta(days=age)
            flow = Flow(cast, rng, start, person=rng.random() < 0.3)
            script(flow)
            result.created[name] = result.created.get(name, 0) + 1
        result.created["summary"] = result.created.get("summary", 0) + _summary(cast, rng, today, 3)
    result.heads = [u.username for u in heads.values()]
    return result


def demo_case_count() -> int:
    return Case.objects.count()
