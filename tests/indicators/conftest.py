"""A small fixed data set for the indicators, on top of the ``world`` district (上方镇 team A,
峡川镇 team B, the bureau). Every expected value in the tests is computed by hand from the rows
below; the period is the first half of 2025 (``PERIOD``), so stock figures are taken on
2025-06-30.

Catalog (in force unless said)            | Officers (enforcement posts unless said)
A  penalty  comprehensive  高频  公示 01-10 | officer_a, a2   team A, certificate valid
B  penalty  township       高需  不公示     | a_expired       team A, certificate ended 2024-12-31
C  penalty  professional   高频  公示 02-01 | a_aux           team A, auxiliary (never counted)
D  penalty  professional         公示 12-31 | officer_b       team B, valid
E  inspection comprehensive 重点 公示 03-01 | bureau_officer  bureau, valid
F  penalty  comprehensive  (repealed)      | posted          bureau, posted to 峡川镇, valid
claims: A, C, E;  baseline in force: A     | uncertified     bureau, no certificate
Bodies (enforcement bodies): bureau, team A, team B, 交通运输局 (no officers).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone

from tests.conftest import new_officer
from tests.parties.conftest import add_party
from zhifa.cases.models import Case, CaseEvent, Document, RemedyOutcome
from zhifa.catalog.models import Claim, Domain, EnforcementItem, LegalBasis
from zhifa.discretion.models import DiscretionBaseline
from zhifa.indicators.definitions import Period
from zhifa.indicators.models import LibraryImport, ProvincialItem
from zhifa.inspections.models import (
    InspectionPlan,
    InspectionRecord,
    InspectionTask,
    JointInspection,
    RandomDraw,
    RectificationOrder,
)
from zhifa.organizations.models import Organization
from zhifa.portal.models import PublishedDecision

PERIOD = Period(dt.date(2025, 1, 1), dt.date(2025, 6, 30))


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def item(domain, code, *, kind="penalty", body="comprehensive", published=None, status="in_force", **flags):
    row = EnforcementItem.objects.create(
        code=code,
        name=f"事项{code}",
        kind=kind,
        domain=domain,
        enforcing_body=body,
        status=status,
        published_on=published,
        **flags,
    )
    LegalBasis.objects.create(item=row, law="测试法", article="第一条")
    return row


@pytest.fixture
def catalog(world):
    domain = Domain.objects.create(code="IX", name="指标测试领域")
    rows = SimpleNamespace(
        A=item(domain, "IXA", published=dt.date(2025, 1, 10), high_frequency=True),
        B=item(domain, "IXB", body="township", high_demand=True),
        C=item(domain, "IXC", body="professional", published=dt.date(2025, 2, 1), high_frequency=True),
        D=item(domain, "IXD", body="professional", published=dt.date(2025, 12, 31)),
        E=item(domain, "IXE", kind="inspection", published=dt.date(2025, 3, 1), key_supervision=True),
        F=item(domain, "IXF", status="repealed"),
    )
    for name in ("A", "C", "E"):
        Claim.objects.create(
            item=getattr(rows, name), organization=world.bureau, level="district", region=world.district
        )
    DiscretionBaseline.objects.create(
        item=rows.A,
        version=1,
        status="in_force",
        effective_from=dt.date(2024, 1, 1),
        statutory_kind="fixed",
        statutory_low=Decimal(100),
        statutory_high=Decimal(1000),
    )
    DiscretionBaseline.objects.create(
        item=rows.C,
        version=1,
        status="draft",
        effective_from=dt.date(2024, 1, 1),
        statutory_kind="fixed",
        statutory_low=Decimal(100),
        statutory_high=Decimal(1000),
    )
    batch = LibraryImport.objects.create(source_name="省库", rows=5, imported_at=timezone.now())
    for code, county in (("IXA", True), ("IXC", True), ("IXX", True), ("IXF", True), ("IXY", False)):
        ProvincialItem.objects.create(code=code, name=f"省库{code}", county_level=county, batch=batch)
    return rows


@pytest.fixture
def staff(world):
    Organization.objects.filter(pk__in=[world.team_a.pk, world.team_b.pk]).update(is_enforcement_body=True)
    transport = Organization.objects.create(
        name="交通运输局",
        kind=Organization.Kind.PROFESSIONAL_DEPARTMENT,
        region=world.district,
        parent=world.root,
        is_enforcement_body=True,
    )
    return SimpleNamespace(
        a2=new_officer(world.team_a, name="甲镇二"),
        a_expired=new_officer(world.team_a, name="甲镇过期", valid_to=dt.date(2024, 12, 31)),
        a_aux=new_officer(world.team_a, name="甲镇辅助", kind="auxiliary"),
        posted=new_officer(world.bureau, name="下沉峡川", posted_to=world.xiachuan),
        uncertified=new_officer(world.bureau, name="局无证员", certified=False),
        transport=transport,
    )


def case(org, party, item_, *, state, procedure="general", filing=None, decision=None, created=None, **extra):
    row = Case.objects.create(
        organization=org,
        state=state,
        procedure=procedure,
        party=party,
        item=item_,
        act_key=Case.make_act_key(item_.pk, party.pk, filing or decision),
        act_date=filing or decision,
        filing_date=filing,
        decision_date=decision,
        **extra,
    )
    if created:
        Case.objects.filter(pk=row.pk).update(created_at=at(created))
    return row


def document(row, kind, n):
    return Document.objects.create(
        case=row,
        kind=kind,
        number=f"指标测试〔2025〕第{n}号",
        year=2025,
        seq=n,
        file="x.pdf",
        sha256="0" * 64,
        issued_at=at(row.decision_date),
    )


def publish(row, on: dt.date):
    return PublishedDecision.objects.create(
        case=row,
        organization_name=row.organization.name,
        document_number="x",
        party_label="某公司",
        party_kind="enterprise",
        item_code=row.item.code,
        item_name=row.item.name,
        decision_date=row.decision_date,
        published_at=at(on, 15),
    )


@pytest.fixture
def cases(world, catalog, staff):
    """K1…K8 of the first half of 2025 (team A unless said):

    K1 general decided   filed 01-10 decided 03-01 (50 days) decision book, legal review on the
       platform, published 03-05 (limit: 7 working days → 03-11); reconsideration changed 05-01,
       litigation revoked 06-15; registered 01-10
    K2 no penalty, 首违不罚   filed 02-01 decided 02-21 (20 days), no-penalty decision book
    K3 no penalty, 轻微免罚   filed 04-01 decided 04-11 (10 days), no decision book
    K4 summary, paid          decided 05-20, on-the-spot decision book, published 06-20 (limit 05-29:
       late); reconsideration upheld 06-01; litigation revoked 08-01 (after the period)
    K5 court enforcement      filed 2024-11-01 decided 2024-12-15, applied to court 2025-04-15;
       litigation upheld 03-01
    K6 general decided        filed 05-01 decided 06-10 (40 days), legal review flagged only;
       reconsideration pending
    K7 general decided        no filing date, decided 06-01; litigation withdrawn 04-01
    K8 bureau, filed          registered 02-01
    """
    p = add_party(world.shangfang)
    A = catalog.A
    k = SimpleNamespace(
        K1=case(
            world.team_a,
            p,
            A,
            state="decided",
            filing=dt.date(2025, 1, 10),
            decision=dt.date(2025, 3, 1),
            created=dt.date(2025, 1, 10),
            legal_review_passed=True,
        ),
        K2=case(
            world.team_a,
            p,
            A,
            state="no_penalty",
            filing=dt.date(2025, 2, 1),
            decision=dt.date(2025, 2, 21),
            extra_facts={"no_penalty_ground": "first_offence"},
        ),
        K3=case(
            world.team_a,
            p,
            A,
            state="no_penalty",
            filing=dt.date(2025, 4, 1),
            decision=dt.date(2025, 4, 11),
            extra_facts={"no_penalty_ground": "minor_corrected_no_harm"},
        ),
        K4=case(world.team_a, p, A, state="paid", procedure="summary", decision=dt.date(2025, 5, 20)),
        K5=case(
            world.team_a,
            p,
            A,
            state="court_enforcement",
            filing=dt.date(2024, 11, 1),
            decision=dt.date(2024, 12, 15),
        ),
        K6=case(
            world.team_a,
            p,
            A,
            state="decided",
            filing=dt.date(2025, 5, 1),
            decision=dt.date(2025, 6, 10),
            legal_review_passed=True,
        ),
        K7=case(world.team_a, p, A, state="decided", decision=dt.date(2025, 6, 1)),
        K8=case(world.bureau, p, A, state="filed", filing=dt.date(2025, 2, 1), created=dt.date(2025, 2, 1)),
    )
    document(k.K1, Document.Kind.DECISION, 1)
    document(k.K2, Document.Kind.NO_PENALTY_DECISION, 2)
    document(k.K4, Document.Kind.SUMMARY_DECISION, 3)
    CaseEvent.objects.create(
        case=k.K1,
        action="submit_legal_review",
        from_state="investigating",
        to_state="legal_review",
        on=dt.date(2025, 2, 20),
    )
    CaseEvent.objects.create(
        case=k.K5,
        action="apply_to_court",
        from_state="compulsory_execution",
        to_state="court_enforcement",
        on=dt.date(2025, 4, 15),
    )
    publish(k.K1, dt.date(2025, 3, 5))
    publish(k.K4, dt.date(2025, 6, 20))
    for row, kind, outcome, decided in (
        (k.K1, "reconsideration", "changed", dt.date(2025, 5, 1)),
        (k.K4, "reconsideration", "upheld", dt.date(2025, 6, 1)),
        (k.K6, "reconsideration", "pending", None),
        (k.K1, "litigation", "revoked", dt.date(2025, 6, 15)),
        (k.K5, "litigation", "upheld", dt.date(2025, 3, 1)),
        (k.K7, "litigation", "withdrawn", dt.date(2025, 4, 1)),
        (k.K4, "litigation", "revoked", dt.date(2025, 8, 1)),
    ):
        RemedyOutcome.objects.create(
            case=row, kind=kind, outcome=outcome, filed_on=dt.date(2025, 1, 1), decided_on=decided
        )
    return k


def _plan(dept, name, drawn: bool):
    plan = InspectionPlan.objects.create(
        department=dept,
        name=name,
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2025, 12, 31),
        ratios={},
        draw_nonce="n",
    )
    if drawn:
        RandomDraw.objects.create(
            plan=plan,
            draw_day=dt.date(2025, 1, 5),
            nonce="n",
            seed="s",
            inputs={},
            inputs_digest="0" * 64,
            result={},
            drawn_at=at(dt.date(2025, 1, 5)),
        )
    return plan


def _task(plan, party, dept, visit=None):
    return InspectionTask.objects.create(
        plan=plan,
        party=party,
        department=dept,
        window_start=dt.date(2025, 1, 1),
        window_end=dt.date(2025, 12, 31),
        visit=visit,
    )


def _record(party, dept, day, outcome, *, visit=None, task=None, by=None):
    return InspectionRecord.objects.create(
        visit=visit,
        task=task,
        party=party,
        department=dept,
        started_at=at(day),
        ended_at=at(day, 11),
        outcome=outcome,
        recorded_by=by,
    )


@pytest.fixture
def inspections(world):
    """Plans: P1 and P3 (team A, drawn: 双随机), P2 (team B, not drawn: 日常).

    V1 p1 03-10: T1 (P1 A, anchor) + T2 (P2 B) — two departments; R1 team A, 责令整改 with an order,
       recorded by an account
    V2 p2 04-02: T3 (P1 A, anchor) + T4 (P3 A) — one department; R2 team A, no problem, recorded
    T5 (P2 B, p4): R3 05-05 team B, 建议立案, no account recorded it
    T6 (P1 A, p3): R4 06-01 team A, 责令整改 without an order, recorded
    V3 p3 08-01 (after the period): T7 (P3 A, anchor) + T8 (P2 B), no record
    """
    a, b = world.team_a, world.team_b
    p1, p2, p3 = (add_party(world.shangfang) for _ in range(3))
    p4 = add_party(world.xiachuan)
    P1, P2, P3 = _plan(a, "甲镇双随机", True), _plan(b, "乙镇日常", False), _plan(a, "甲镇双随机二", True)
    v1 = JointInspection.objects.create(party=p1, day=dt.date(2025, 3, 10))
    v2 = JointInspection.objects.create(party=p2, day=dt.date(2025, 4, 2))
    v3 = JointInspection.objects.create(party=p3, day=dt.date(2025, 8, 1))
    t1, t2 = _task(P1, p1, a, v1), _task(P2, p1, b, v1)
    t3, t4 = _task(P1, p2, a, v2), _task(P3, p2, a, v2)
    t5, t6 = _task(P2, p4, b), _task(P1, p3, a)
    t7, t8 = _task(P3, p3, a, v3), _task(P2, p3, b, v3)
    for visit, anchor in ((v1, t1), (v2, t3), (v3, t7)):
        JointInspection.objects.filter(pk=visit.pk).update(anchor_task=anchor)
    r1 = _record(p1, a, dt.date(2025, 3, 10), "rectification", visit=v1, by=world.user_a)
    RectificationOrder.objects.create(
        record=r1, content="限期整改", working_days=5, deadline=dt.date(2025, 3, 17)
    )
    r2 = _record(p2, a, dt.date(2025, 4, 2), "no_issue", visit=v2, by=world.user_a)
    r3 = _record(p4, b, dt.date(2025, 5, 5), "case_suggested", task=t5)
    r4 = _record(p3, a, dt.date(2025, 6, 1), "rectification", task=t6, by=world.user_a)
    return SimpleNamespace(
        tasks=(t1, t2, t3, t4, t5, t6, t7, t8), records=(r1, r2, r3, r4), visits=(v1, v2, v3)
    )
