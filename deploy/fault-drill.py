#!/usr/bin/env python
"""Fault drill: a Celery worker killed during its tasks, Redis restarted, PostgreSQL restarted —
and no audit entry lost or written twice.

    .venv/bin/python deploy/fault-drill.py            # starts its own throwaway PostgreSQL + Redis

It starts ``./dev pg`` (a throwaway PostgreSQL + Redis, never the production servers), migrates,
runs a Celery worker, and in three phases sends tasks that each append one named audit event
(``core.fault_drill_write``: idempotent under the chain lock):

A. worker killed: a pool process is killed with SIGKILL during its task (the task goes back to
   the queue: acks_late + reject_on_worker_lost), then the whole worker is killed with SIGKILL and
   a new one started (unacknowledged tasks are delivered again after the visibility timeout);
B. Redis restarted: tasks are put in the outbox while Redis is down (the request still answers:
   the cache answers as empty), then Redis comes back and the outbox delivers them;
C. PostgreSQL restarted while tasks run: they fail with OperationalError and retry with backoff.

At the end every expected event must be there exactly once and the chain must verify. Output:
one line per phase and a summary; exit status 0 only when nothing was lost. docs/operations.md
shows a run.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S', time.gmtime())} UTC] {message}", flush=True)


def start_dev_pg() -> tuple[subprocess.Popen, dict[str, str]]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL")}
    server = subprocess.Popen(
        [str(ROOT / "dev"), "pg"], stdout=subprocess.PIPE, text=True, start_new_session=True, env=env
    )
    found = {}
    for line in server.stdout:
        match = re.match(r"export (\w+)=(.*)", line.strip())
        if match:
            found[match[1]] = match[2]
        if "psql:" in line:
            break
    return server, found


def start_worker(env) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "zhifa",
            "worker",
            "-c",
            "2",
            "-l",
            "warning",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def wait_ready(app, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not app.control.ping(timeout=1):
        if time.monotonic() > deadline:
            raise SystemExit("the Celery worker did not start")


def wait_count(n: int, seconds: float) -> None:
    from zhifa.core.models import AuditEvent

    deadline = time.monotonic() + seconds
    while AuditEvent.objects.filter(action="drill.write").count() < n and time.monotonic() < deadline:
        time.sleep(0.1)


def wait_for(keys: set[str], seconds: float) -> set[str]:
    from zhifa.core.models import AuditEvent

    deadline = time.monotonic() + seconds
    while True:
        have = set(
            AuditEvent.objects.filter(action="drill.write", object_id__in=keys).values_list(
                "object_id", flat=True
            )
        )
        if have >= keys or time.monotonic() > deadline:
            return have
        time.sleep(0.5)


def main() -> int:
    server, services = start_dev_pg()
    env = {
        **os.environ,
        **services,
        "PYTHONPATH": str(ROOT / "src"),
        "DJANGO_SETTINGS_MODULE": "zhifa.settings",
        "CELERY_RESULT_BACKEND": "",
        "ZHIFA_CELERY_VISIBILITY_TIMEOUT": "10",
        "ZHIFA_CELERY_RESTORE_INTERVAL": "5",
        "ZHIFA_LOG_LEVEL": "ERROR",
    }
    os.environ.update(
        {
            k: env[k]
            for k in (
                "DATABASE_URL",
                "REDIS_URL",
                "CELERY_BROKER_URL",
                "DJANGO_SETTINGS_MODULE",
                "CELERY_RESULT_BACKEND",
                "ZHIFA_CELERY_VISIBILITY_TIMEOUT",
                "ZHIFA_LOG_LEVEL",
            )
        }
    )
    worker = None
    results: list[tuple[str, int, int, int]] = []
    try:
        log("migrating the drill database")
        subprocess.run([sys.executable, "-m", "django", "migrate", "-v0"], env=env, check=True)
        import django

        django.setup()
        import redis
        from django.db import connection, transaction

        from zhifa.celery import app
        from zhifa.core import audit, outbox
        from zhifa.core.models import AuditEvent

        worker = start_worker(env)
        wait_ready(app)

        # A. worker killed ------------------------------------------------------------------
        keys_a = {f"A{n:02d}" for n in range(20)}
        for key in sorted(keys_a):
            app.send_task("core.fault_drill_write", kwargs={"key": key, "seconds": 1.0})
        wait_count(1, 60)
        time.sleep(0.5)  # the pool processes are now inside their next tasks
        pool = children(worker.pid)
        if pool:
            os.kill(pool[0], signal.SIGKILL)
            log(f"A: killed pool process {pool[0]} during its task")
        wait_count(6, 60)
        time.sleep(0.5)
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()
        log(
            f"A: killed the whole worker ({worker.pid}) with SIGKILL; "
            f"{AuditEvent.objects.filter(action='drill.write').count()} of 20 written so far"
        )
        worker = start_worker(env)
        wait_ready(app)
        have = wait_for(keys_a, 90)
        results.append(("A worker killed", len(keys_a), len(have), 0))
        log(f"A: {len(have)} of {len(keys_a)} events after restart")

        # B. Redis restarted ----------------------------------------------------------------
        client = redis.Redis.from_url(env["REDIS_URL"])
        config = {k: client.config_get(k)[k] for k in ("port", "pidfile", "dir", "logfile")}
        try:
            client.shutdown(nosave=True)
        except redis.exceptions.ConnectionError:
            pass
        log("B: Redis stopped")
        from django.core.cache import cache

        cache_ok = cache.get("anything", "empty") == "empty" and cache.add("k", 1) is True
        keys_b = {f"B{n:02d}" for n in range(10)}
        with transaction.atomic():
            for key in sorted(keys_b):
                outbox.enqueue("core.fault_drill_write", {"key": key})
        log(
            f"B: 10 tasks committed to the outbox while Redis is down; pending {outbox.pending_count()}; "
            f"cache answered as empty: {cache_ok}"
        )
        subprocess.run(
            [
                "redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                str(config["port"]),
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "yes",
                "--pidfile",
                config["pidfile"],
                "--logfile",
                config["logfile"],
                "--dir",
                config["dir"],
            ],
            check=True,
        )
        time.sleep(1)
        delivered = outbox.deliver()
        log(f"B: Redis back; outbox delivered {delivered}")
        have = wait_for(keys_b, 90)
        results.append(("B Redis restarted", len(keys_b), len(have), 0))
        log(f"B: {len(have)} of {len(keys_b)} events")

        # C. PostgreSQL restarted -----------------------------------------------------------
        with connection.cursor() as cursor:
            cursor.execute("SHOW data_directory")
            data_dir = cursor.fetchone()[0]
        connection.close()
        keys_c = {f"C{n:02d}" for n in range(20)}
        for key in sorted(keys_c):
            app.send_task("core.fault_drill_write", kwargs={"key": key, "seconds": 0.3})
        time.sleep(1.5)
        owner = Path(data_dir).owner()
        pg_ctl = Path(services["ZHIFA_TEST_PG_BIN"]) / "pg_ctl"
        command = [
            str(pg_ctl),
            "-D",
            data_dir,
            "-m",
            "fast",
            "-w",
            "restart",
            "-l",
            str(Path(data_dir).parent / "postgres.log"),
        ]
        if os.geteuid() == 0 and owner != "root":
            command = ["runuser", "-u", owner, "--", *command]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, cwd=str(Path(data_dir).parent))
        log("C: PostgreSQL restarted (fast) while tasks ran")
        have = wait_for(keys_c, 180)
        results.append(("C PostgreSQL restarted", len(keys_c), len(have), 0))
        log(f"C: {len(have)} of {len(keys_c)} events")

        # Summary ---------------------------------------------------------------------------
        rows = list(AuditEvent.objects.filter(action="drill.write").values_list("object_id", flat=True))
        duplicates = len(rows) - len(set(rows))
        checked, broken = audit.verify_chain()
        print("\nphase                     expected  written  lost")
        lost_total = 0
        for name, expected, written, _ in results:
            lost_total += expected - written
            print(f"{name:<26}{expected:>8}{written:>9}{expected - written:>6}")
        print(
            f"duplicates: {duplicates}; audit chain: {checked} events, "
            f"{'intact' if broken is None else f'broken at {broken.seq}'}"
        )
        ok = lost_total == 0 and duplicates == 0 and broken is None
        print("DRILL PASSED" if ok else "DRILL FAILED")
        return 0 if ok else 1
    finally:
        if worker is not None and worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()
        import run

        run.stop_services(server)


if __name__ == "__main__":
    sys.exit(main())
