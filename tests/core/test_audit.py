"""The audit chain (全程留痕): every service write appends a linked event; tampering is caught."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from zhifa.core import audit
from zhifa.core.models import AuditEvent
from zhifa.organizations import services


def _write_events(world, n=3):
    for i in range(n):
        services.update_officer(world.leader_a, world.officer_a.pk, {"phone": f"1380000000{i}"})


def test_every_service_write_appends_a_linked_event(world):
    _write_events(world, 3)
    events = list(AuditEvent.objects.order_by("seq"))
    assert [e.seq for e in events] == [1, 2, 3]
    assert events[0].prev_hash == audit.GENESIS_HASH
    assert all(later.prev_hash == earlier.hash for earlier, later in zip(events, events[1:], strict=False))
    assert events[-1].action == "officer.update"
    assert events[-1].actor_name == "leader_a"
    assert events[-1].before["phone"] == "13800000001" and events[-1].after["phone"] == "13800000002"
    assert audit.verify_chain() == (3, None)


def test_failed_write_leaves_no_audit_row(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.update_officer(world.leader_a, world.officer_a.pk, {"id_number": "330803198501010001"})
    assert AuditEvent.objects.count() == 0


def test_orm_refuses_to_change_or_delete_audit_rows(world):
    _write_events(world, 1)
    event = AuditEvent.objects.get()
    event.action = "forged"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().update(action="x")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()


def _raw_sql(sql, params=()):
    """Tamper as a database superuser would: switch off the append-only trigger first."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = origin")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL")
def test_database_refuses_update_of_audit_rows(world):
    _write_events(world, 1)
    with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET action = 'x'")


def test_tampered_content_is_caught_at_that_row(world):
    _write_events(world, 4)
    _raw_sql("UPDATE core_auditevent SET after = %s WHERE seq = 3", ['{"phone": "13999999999"}'])
    checked, broken = audit.verify_chain()
    assert checked == 2
    assert broken.seq == 3 and "篡改" in broken.reason


def test_deleted_row_is_caught(world):
    _write_events(world, 4)
    _raw_sql("DELETE FROM core_auditevent WHERE seq = 2")
    checked, broken = audit.verify_chain()
    assert (checked, broken.seq) == (1, 2)


def test_rewritten_chain_tail_is_caught(world):
    """Re-hashing one row is not enough: the next row's prev_hash no longer matches."""
    _write_events(world, 3)
    first = AuditEvent.objects.get(seq=1)
    fields = {name: getattr(first, name) for name in audit.CHAINED_FIELDS}
    fields["action"] = "forged"
    forged_hash = audit.event_hash(first.prev_hash, fields)
    _raw_sql("UPDATE core_auditevent SET action = 'forged', hash = %s WHERE seq = 1", [forged_hash])
    checked, broken = audit.verify_chain()
    assert (checked, broken.seq) == (1, 2)
    assert "前一条" in broken.reason


def test_verify_audit_command_reports_first_broken_link(world, capsys):
    _write_events(world, 3)
    call_command("verify_audit")
    assert "审计链完好：共 3 条" in capsys.readouterr().out
    _raw_sql("UPDATE core_auditevent SET actor_name = 'someone' WHERE seq = 2")
    with pytest.raises(CommandError, match="第 2 条"):
        call_command("verify_audit")


def test_canonical_json_is_stable_and_keeps_chinese():
    assert audit.canonical_json({"b": 1, "a": "衢江"}) == '{"a":"衢江","b":1}'


def test_record_many_chains_each_event_under_one_lock(world):
    _write_events(world, 1)
    events = audit.record_many(
        None,
        [
            {
                "action": "item.create",
                "object_type": "catalog.EnforcementItem",
                "object_id": n,
                "after": {"n": n},
            }
            for n in range(5)
        ],
    )
    assert [e.seq for e in events] == [2, 3, 4, 5, 6]
    assert audit.verify_chain() == (6, None)
    assert AuditEvent.objects.get(seq=6).actor_name == "system"
