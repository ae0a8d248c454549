#!/usr/bin/env python
"""Benchmark of concurrent audit appends: how long a write waits for the audit chain.

    DATABASE_URL=postgres://... python bench/audit_append.py [--writers 50] [--seconds 15] [--chains 1,16]

``--writers`` threads, each with its own database connection, append one audit event per
transaction (as a service write does at its end) for organisations drawn at random from the
database, for ``--seconds``, once per value of ``--chains`` (ZHIFA_AUDIT_CHAINS). Prints p50, p95,
p99 latency per append-and-commit and the appends per second. The events are real rows of the
chains; ``--verify`` walks them afterwards.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from zhifa.core import audit  # noqa: E402
from zhifa.organizations.models import Organization  # noqa: E402


def run(writers: int, seconds: float, organizations: list) -> tuple[list[float], int]:
    latencies: list[float] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def writer(n: int) -> None:
        rng = random.Random(n)
        mine = []
        try:
            while time.monotonic() < stop:
                org = rng.choice(organizations)
                started = time.perf_counter()
                with transaction.atomic():
                    audit.record(
                        None,
                        "bench.append",
                        object_type="bench",
                        object_id=str(n),
                        organization=org,
                        after={"writer": n},
                    )
                mine.append((time.perf_counter() - started) * 1000)
        finally:
            connection.close()
            with lock:
                latencies.extend(mine)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, len(latencies)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writers", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--chains", default="1,16")
    parser.add_argument(
        "--verify", action="store_true", help="walk every chain afterwards (minutes on a province)"
    )
    args = parser.parse_args()
    organizations = list(Organization.objects.only("id", "name"))
    connection.close()
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    print(f"{'chains':>6} {'writers':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'appends/s':>10}")
    for chains in [int(c) for c in args.chains.split(",")]:
        settings.ZHIFA_AUDIT_CHAINS = chains
        latencies, count = run(args.writers, args.seconds, organizations)
        q = statistics.quantiles(latencies, n=100)
        print(
            f"{chains:>6} {args.writers:>7} {q[49]:>8.1f} {q[94]:>8.1f} {q[98]:>8.1f} {count / args.seconds:>10.0f}",
            flush=True,
        )
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    if args.verify:
        checked, broken = audit.verify_chain()
        print(f"chains verify: {checked} events, {'intact' if broken is None else broken}")
        return 0 if broken is None else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
