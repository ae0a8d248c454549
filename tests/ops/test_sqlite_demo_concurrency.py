"""The embedded demo on SQLite under concurrent writers: WAL, BEGIN IMMEDIATE and a busy
timeout make writers wait their turn instead of answering "database is locked"."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

WRITERS = """
import threading
import django
django.setup()
from django.db import connection, transaction
from zhifa.core import audit

print(connection.cursor().execute("PRAGMA journal_mode").fetchone()[0])
errors = []

def write(n):
    try:
        for i in range(10):
            with transaction.atomic():
                audit.record(None, "demo.write", object_type="demo", object_id=f"{n}-{i}", after={"n": n, "i": i})
    except Exception as exc:
        errors.append(repr(exc))
    finally:
        connection.close()

threads = [threading.Thread(target=write, args=(n,)) for n in range(20)]
for t in threads: t.start()
for t in threads: t.join()
print("errors", errors[:3])
print("chain", audit.verify_chain())
"""


def test_twenty_concurrent_writers_on_sqlite_never_see_database_is_locked(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("REDIS_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND")
    }
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        PYTHONPATH=str(ROOT / "src"),
        DJANGO_SETTINGS_MODULE="zhifa.settings",
        ZHIFA_VAR_DIR=str(tmp_path),
    )
    migrated = subprocess.run(
        [sys.executable, "-m", "django", "migrate", "--noinput", "-v0"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert migrated.returncode == 0, migrated.stderr[-2000:]
    result = subprocess.run(
        [sys.executable, "-c", WRITERS], env=env, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.splitlines()[0] == "wal"
    assert "errors []" in result.stdout, result.stdout
    assert "chain (200, None)" in result.stdout
