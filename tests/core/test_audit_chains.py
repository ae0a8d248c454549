"""Several audit chains (ZHIFA_AUDIT_CHAINS): organisations append in parallel, each chain stays
whole and verifiable, and the anchor signs the heads of all of them."""

import pytest
from django.db import connection

from zhifa.core import anchor, audit
from zhifa.core.models import AuditEvent


@pytest.fixture
def chains(settings, tmp_path):
    settings.ZHIFA_AUDIT_CHAINS = 4
    settings.ZHIFA_AUDIT_ANCHOR_KEY = "c" * 64
    settings.ZHIFA_AUDIT_ANCHOR_PATH = tmp_path / "a.jsonl"


def _record(org, n):
    for i in range(n):
        audit.record(None, "test.write", object_type="test", object_id=f"{org.pk}-{i}", organization=org)


def _tamper(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)
        cursor.execute("SET LOCAL session_replication_role = origin")


def test_each_organisation_appends_to_its_chain_gap_free(world, chains):
    _record(world.team_a, 3)
    _record(world.team_b, 2)
    a, b = audit.chain_of(world.team_a.pk), audit.chain_of(world.team_b.pk)
    assert a != b or world.team_a.pk % 4 == world.team_b.pk % 4
    assert list(
        AuditEvent.objects.filter(chain=a, organization_id=world.team_a.pk).values_list("seq", flat=True)
    ) == [1, 2, 3]
    assert audit.verify_chain() == (5, None)
    assert len(audit.heads()) == len({a, b})


def test_tampering_in_one_chain_is_found_with_its_chain(world, chains):
    _record(world.team_a, 3)
    _record(world.team_b, 3)
    chain = audit.chain_of(world.team_b.pk)
    _tamper("UPDATE core_auditevent SET object_id = 'x' WHERE chain = %s AND seq = 2", [chain])
    checked, broken = audit.verify_chain()
    assert (broken.chain, broken.seq) == (chain, 2)


def test_anchor_signs_every_chain_head_and_finds_a_deleted_tail_in_any(world, chains):
    _record(world.team_a, 2)
    _record(world.team_b, 2)
    record = anchor.export()
    assert len(record["heads"]) == len(audit.heads()) and record["head"] == audit.district_head(audit.heads())
    assert anchor.verify()[1] == []
    chain = audit.chain_of(world.team_b.pk)
    _tamper("DELETE FROM core_auditevent WHERE chain = %s AND seq = 2", [chain])
    problems = anchor.verify()[1]
    assert len(problems) == 1 and "链尾被删除" in problems[0].reason


def test_one_chain_by_default_keeps_the_old_hashes(world):
    _record(world.team_a, 1)
    event = AuditEvent.objects.get()
    assert event.chain == 0 and "chain" not in audit._fields_of(event)
