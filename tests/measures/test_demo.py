"""The demo: after ``load_demo`` the officer of 上方镇 and the bureau find measures in every stage the
journeys need, taken through the services (so the demo cannot hold what the law refuses)."""

from __future__ import annotations

import pytest

from zhifa.cases.demo import load_demo_cases
from zhifa.cases.facts import build_facts
from zhifa.catalog.demo import load_demo_catalog
from zhifa.core.audit import verify_chain
from zhifa.measures import selectors
from zhifa.measures.demo import load_demo_measures
from zhifa.measures.models import CriminalReferral, EvidencePreservation, Seizure
from zhifa.organizations import demo
from zhifa.organizations.models import User
from zhifa.parties.demo import load_demo_parties


@pytest.mark.django_db
def test_demo_adds_measures_on_the_demo_cases():
    # load_demo's steps that the cases need (the command runs them all, with this one after the cases)
    demo.load_demo(seed=demo.DEFAULT_SEED)
    load_demo_catalog()
    load_demo_parties(demo.DEFAULT_SEED)
    load_demo_cases(demo.DEFAULT_SEED)
    assert load_demo_measures() == {
        "preservation": 1,
        "seizure_extended_released": 1,
        "referral_refused_resumed": 1,
        "seizure_running": 1,
        "referral_accepted": 1,
    }
    township = User.objects.get(username="shangfang_officer")
    bureau = User.objects.get(username="zfj_deputy")
    preservation = EvidencePreservation.objects.get()
    assert preservation.preserved_on and preservation.decided_on is None and preservation.notice
    released = Seizure.objects.get(ended_on__isnull=False)
    assert released.extension_days == 20 and released.extension_notice_on and released.end_kind == "release"
    running = Seizure.objects.get(ended_on__isnull=True)
    assert running.kind == "seal" and running.expires_on > running.executed_on
    accepted = CriminalReferral.objects.get(answer="accepted")
    refused = CriminalReferral.objects.get(answer="refused")
    assert accepted.handed_over_on and accepted.case.state == "referred"
    assert refused.resumed_on and refused.case.state == "investigating"
    assert (
        build_facts(accepted.case).criminal_referral_pending
        and not build_facts(refused.case).criminal_referral_pending
    )
    # 上方镇's officer sees its own (preservation, released seizure, refused referral), the bureau's its own
    mine = {(e.kind, e.record.pk) for e in selectors.under_way(township)}
    assert ("preservation", preservation.pk) in mine and ("seizure", running.pk) not in mine
    theirs = {(e.kind, e.record.pk) for e in selectors.under_way(bureau)}
    assert ("seizure", running.pk) in theirs
    assert verify_chain()[1] is None
