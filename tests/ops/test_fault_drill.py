"""deploy/fault-drill.py: a worker killed during its tasks, Redis restarted, PostgreSQL restarted —
no audit entry lost or written twice (acks late, redelivery, retries, the outbox)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_fault_drill_loses_nothing():
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL")}
    result = subprocess.run(
        [sys.executable, str(ROOT / "deploy" / "fault-drill.py")],
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "DRILL PASSED" in result.stdout
    for phase in ("A worker killed", "B Redis restarted", "C PostgreSQL restarted"):
        assert phase in result.stdout
