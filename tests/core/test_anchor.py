"""The audit anchor: the signed chain head outside the database finds a deleted or recomputed tail."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from zhifa.core import anchor, audit
from zhifa.core.models import AuditEvent
from zhifa.organizations import services

KEY = "k" * 64


@pytest.fixture
def anchored(settings, tmp_path):
    settings.ZHIFA_AUDIT_ANCHOR_KEY = KEY
    settings.ZHIFA_AUDIT_ANCHOR_OLD_KEYS = []
    settings.ZHIFA_AUDIT_ANCHOR_PATH = tmp_path / "anchors" / "audit.jsonl"
    return settings.ZHIFA_AUDIT_ANCHOR_PATH


def _write(world, n):
    for i in range(n):
        services.update_officer(world.leader_a, world.officer_a.pk, {"phone": f"1390000000{i}"})


def _superuser_sql(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)
        cursor.execute("SET LOCAL session_replication_role = origin")


def test_export_appends_one_signed_line_per_anchor(world, anchored):
    _write(world, 2)
    first = anchor.export("test")
    _write(world, 1)
    anchor.export("test")
    lines = anchored.read_text().splitlines()
    assert len(lines) == 2 and json.loads(lines[0])["seq"] == first["seq"] == 2
    assert json.loads(lines[1])["seq"] == 3 and len(json.loads(lines[1])["signature"]) == 64
    assert anchor.verify() == (3, [])


def test_deleted_tail_is_found_by_the_anchor(world, anchored):
    _write(world, 4)
    anchor.export()
    _superuser_sql("DELETE FROM core_auditevent WHERE seq >= 3")
    assert audit.verify_chain() == (2, None)  # the chain alone cannot tell
    checked, problems = anchor.verify()
    assert [p.seq for p in problems] == [4] and "链尾被删除" in problems[0].reason


def test_recomputed_tail_is_found_by_the_anchor(world, anchored):
    _write(world, 3)
    anchor.export()
    last = AuditEvent.objects.get(seq=3)
    fields = {name: getattr(last, name) for name in audit.CHAINED_FIELDS}
    fields["after"] = {"phone": "forged"}
    forged = audit.event_hash(last.prev_hash, fields)
    _superuser_sql(
        "UPDATE core_auditevent SET after = %s, hash = %s WHERE seq = 3", ['{"phone": "forged"}', forged]
    )
    assert audit.verify_chain() == (3, None)  # consistently re-hashed: the chain alone cannot tell
    _, problems = anchor.verify()
    assert [p.seq for p in problems] == [3] and "重算" in problems[0].reason


def test_forged_anchor_line_is_reported(world, anchored):
    _write(world, 1)
    anchor.export()
    record = json.loads(anchored.read_text())
    record["seq"] = 99
    anchored.write_text(json.dumps(record) + "\n")
    _, problems = anchor.verify()
    assert "签名不符" in problems[0].reason


def test_anchors_signed_with_a_rotated_key_still_verify(world, anchored, settings):
    _write(world, 1)
    anchor.export()
    settings.ZHIFA_AUDIT_ANCHOR_KEY = "n" * 64
    settings.ZHIFA_AUDIT_ANCHOR_OLD_KEYS = [KEY]
    anchor.export()
    assert anchor.verify() == (1, [])
    settings.ZHIFA_AUDIT_ANCHOR_OLD_KEYS = []
    assert "未配置" in anchor.verify()[1][0].reason


def test_export_without_a_key_refuses(world, settings):
    settings.ZHIFA_AUDIT_ANCHOR_KEY = ""
    with pytest.raises(anchor.AnchorKeyMissing):
        anchor.export()


def test_commands_anchor_and_verify(world, anchored, capsys):
    _write(world, 2)
    call_command("anchor_audit", reason="test")
    call_command("verify_audit")
    assert "与 1 个锚点一致" in capsys.readouterr().out
    _superuser_sql("DELETE FROM core_auditevent WHERE seq = 2")
    with pytest.raises(CommandError, match="链尾被删除"):
        call_command("verify_audit")


def test_scheduled_anchor_task_is_in_beat(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"core.anchor_audit_chain", "core.remove_orphan_uploads"} <= tasks


def test_database_refuses_truncate_for_non_superusers(world):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgname = 'core_auditevent_no_truncate'"
        )
        assert "BEFORE TRUNCATE" in cursor.fetchone()[0]
