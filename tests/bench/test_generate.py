"""The data generator (bench/generate.py) at its tiny scale: it fills a migrated PostgreSQL
database from the demo district, keeps every model constraint and validator, leaves a valid
audit chain and gives the supervision rules something to find."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from zhifa.cases.models import Case, CaseEvent, CaseOfficer
from zhifa.core.audit import verify_chain
from zhifa.core.models import AuditEvent
from zhifa.dispatch.models import Incident
from zhifa.inspections.models import InspectionRecord
from zhifa.organizations.models import Certificate, Officer, Organization, Region
from zhifa.parties.models import Party

ROOT = Path(__file__).resolve().parents[2]


def _generator():
    sys.path.insert(0, str(ROOT / "bench"))
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.mark.django_db
def test_tiny_scale_fills_every_table_with_valid_rows(capsys):
    generate = _generator()
    assert generate.main(["--scale", "tiny", "--seed", "7"]) == 0
    out = capsys.readouterr().out
    assert "audit events" in out and "total" in out

    tiny = generate.SCALES["tiny"]
    assert Region.objects.filter(level=Region.Level.DISTRICT).count() == tiny.districts
    new_district = Region.objects.filter(level=Region.Level.DISTRICT).exclude(code="330803").get()
    assert new_district.children.count() >= tiny.townships[0]
    # The "1+5" organisations of the new district, and its township teams.
    root = Organization.objects.get(parent=None, region=new_district)
    kinds = list(Organization.objects.filter(path__startswith=root.path).values_list("kind", flat=True))
    assert kinds.count("professional_department") == 5 and kinds.count("comprehensive_bureau") == 1
    assert kinds.count("township_team") == new_district.children.count()

    demo_parties = 400
    assert Party.objects.count() == demo_parties + tiny.parties
    assert InspectionRecord.objects.count() >= tiny.inspections
    # The cases the generator wrote; the demo district's own cases were opened through the services
    # by its logins and name their author.
    assert Case.objects.filter(created_by__isnull=True).count() == tiny.cases
    assert Incident.objects.count() >= tiny.incidents

    # Every state of the penalty procedure and of the closed loop is represented.
    case_states = set(Case.objects.values_list("state", flat=True))
    assert {
        "registered",
        "investigating",
        "decided",
        "served",
        "paid",
        "closed",
        "archived",
        "no_penalty",
    } <= case_states
    assert len(case_states) >= 18
    assert set(Incident.objects.values_list("state", flat=True)) == {
        "reported",
        "assigned",
        "accepted",
        "handling",
        "replied",
        "evaluated",
        "closed",
        "returned",
        "merged",
    }
    assert Incident.objects.filter(overdue=True, state__in=["assigned", "accepted", "handling"]).exists()
    # Timelines and officers exist for the cases; a decided case has a fine and a decision date.
    assert CaseEvent.objects.count() > Case.objects.count()
    assert CaseOfficer.objects.count() >= 2 * Case.objects.count() - 50
    decided = Case.objects.filter(state="paid").first()
    assert decided.decided_fine > 0 and decided.decision_date and decided.amount_paid == decided.decided_fine

    # Generated identifiers pass the model validators (GB 32100 / GB 11643 checksums).
    for party in Party.objects.order_by("-pk")[:60]:
        party.full_clean()
    for officer in Officer.objects.order_by("-pk")[:30]:
        officer.full_clean()
    assert Certificate.objects.filter(valid_to__lt=generate.timezone.localdate()).exists()  # some expired

    # The chain continues the demo's events and verifies end to end.
    assert AuditEvent.objects.count() >= tiny.audit
    checked, broken = verify_chain()
    assert broken is None and checked == AuditEvent.objects.count()

    # New rows can still be inserted after COPY: the sequences were moved past the generated ids.
    Party.objects.create(
        kind="person", name="新登记", id_number="330803199001011239", township=new_district.children.first()
    )


@pytest.mark.django_db
def test_generated_party_with_a_broken_id_number_would_be_caught():
    """The validator test above can fail: a wrong check digit is refused."""
    party = Party(
        kind="person",
        name="校验",
        id_number="330803199001011238",
        township=Region.objects.create(code="330803999", name="测试镇", level=Region.Level.TOWN),
    )
    with pytest.raises(ValidationError):
        party.full_clean()


def test_refuses_sqlite(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"}
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "generate.py"), "--scale", "tiny"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 2
    assert "PostgreSQL" in result.stderr
