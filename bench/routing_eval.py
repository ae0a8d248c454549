"""Routing evaluation: top-1 / top-3 accuracy of the incident router on ``routing_eval_set.py``
(309 citizen complaints labelled with their catalog item), overall and per domain, the
responsible body the routing picks, and the routing time per incident.

    DATABASE_URL=postgres://postgres@127.0.0.1:55432/zhifa PYTHONPATH=src .venv/bin/python bench/routing_eval.py

A throwaway database ``<name>_routing_eval`` is created next to the DATABASE_URL one, migrated,
filled with the demo district and catalog, and dropped at the end. The router's index holds only
the catalog items and ``zhifa/dispatch/past_incidents.py`` — never the evaluation texts.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
ORIGINAL_URL = os.environ.get("DATABASE_URL", "")
if not ORIGINAL_URL.startswith("postgres"):
    sys.exit("set DATABASE_URL to a PostgreSQL server (e.g. postgres://postgres@127.0.0.1:55432/zhifa)")
PARTS = urlsplit(ORIGINAL_URL)
NAME = (PARTS.path.lstrip("/") or "zhifa") + "_routing_eval"
ADMIN_URL = urlunsplit(PARTS._replace(scheme="postgresql", path="/postgres"))


def _admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(sql)


_admin(f'DROP DATABASE IF EXISTS "{NAME}"')
_admin(f'CREATE DATABASE "{NAME}"')
os.environ["DATABASE_URL"] = urlunsplit(PARTS._replace(path="/" + NAME))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402
from routing_eval_set import EVAL_SET  # noqa: E402

from zhifa.catalog.demo import load_demo_catalog  # noqa: E402
from zhifa.catalog.models import EnforcementItem  # noqa: E402
from zhifa.dispatch import routing  # noqa: E402
from zhifa.organizations import demo  # noqa: E402


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main() -> None:
    try:
        started = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        demo.load_demo(officers=120)
        load_demo_catalog()
        print(f"database {NAME} ready in {time.perf_counter() - started:.1f} s")
        built = time.perf_counter()
        router = routing.router()
        print(f"router built in {(time.perf_counter() - built) * 1000:.0f} ms over {len(router.index)} documents\n")

        per_domain: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
        in_memory_ms, full_ms, misses = [], [], []
        for domain, code, text in EVAL_SET:
            t0 = time.perf_counter()
            suggestions = router.suggest(text)
            in_memory_ms.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            routing.suggest(text)  # as the service calls it: cache check (one query) + search
            full_ms.append((time.perf_counter() - t0) * 1000)
            codes = [s.code for s in suggestions]
            row = per_domain[domain]
            row[0] += 1
            row[1] += bool(codes) and codes[0] == code
            row[2] += code in codes
            if not codes or codes[0] != code:
                misses.append((domain, code, codes[:1], text))

        total = [sum(r[i] for r in per_domain.values()) for i in range(3)]
        print(f"{'domain':<14}{'n':>5}{'top-1':>9}{'top-3':>9}")
        for domain, (n, top1, top3) in sorted(per_domain.items(), key=lambda kv: -kv[1][0]):
            print(f"{domain:<14}{n:>5}{top1 / n:>9.0%}{top3 / n:>9.0%}")
        print(f"{'ALL':<14}{total[0]:>5}{total[1] / total[0]:>9.1%}{total[2] / total[0]:>9.1%}\n")

        print(f"routing time per incident (ms): in memory p50 {statistics.median(in_memory_ms):.2f}  "
              f"p95 {percentile(in_memory_ms, 95):.2f}  max {max(in_memory_ms):.2f}")
        print(f"with the cache check query:      p50 {statistics.median(full_ms):.2f}  p95 {percentile(full_ms, 95):.2f}"
              f"  (target < 20 ms: {'met' if percentile(full_ms, 95) < 20 else 'NOT met'})\n")

        # The whole intake as the API runs it (validate, locate, route, pick the body, save, audit),
        # for the first 100 texts, rolled back afterwards.
        from django.db import transaction

        from zhifa.dispatch import services
        from zhifa.organizations.models import User
        actor = User.objects.filter(role=User.Role.COMMAND_CENTER).first()
        intake_ms = []
        with transaction.atomic():
            for n, (_, _, text) in enumerate(EVAL_SET[:100]):
                t0 = time.perf_counter()
                services.report_incident(actor, {"source": "hotline", "external_id": f"bench-{n}", "text": text,
                                                 "address": "上方镇新街", "lat": "28.805", "lng": "119.03"})
                intake_ms.append((time.perf_counter() - t0) * 1000)
            transaction.set_rollback(True)
        print(f"whole intake (report_incident, 100 pushes): p50 {statistics.median(intake_ms):.1f} ms  "
              f"p95 {percentile(intake_ms, 95):.1f} ms\n")

        # Who the router sends the top suggestion to, in 上方镇 (a township with its team).
        from zhifa.organizations.models import Region
        township = Region.objects.get(name="上方镇")
        bodies: dict[str, int] = defaultdict(int)
        items = EnforcementItem.objects.in_bulk(field_name="code")
        for _, code, _ in EVAL_SET:
            org, _ = routing.responsible_for(items[code], township)
            bodies[org.name if org else "（无认领单位）"] += 1
        print("responsible body for the labelled items, located in 上方镇:")
        for name, n in sorted(bodies.items(), key=lambda kv: -kv[1]):
            print(f"  {n:>4}  {name}")
        if "-v" in sys.argv:
            print("\nmisses (domain, expected, got, text):")
            for miss in misses:
                print("  ", *miss)
    finally:
        connections.close_all()
        _admin(f'DROP DATABASE IF EXISTS "{NAME}"')


if __name__ == "__main__":
    main()
