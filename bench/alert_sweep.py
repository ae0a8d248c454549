#!/usr/bin/env python
"""Run every supervision alert rule over the database at DATABASE_URL and time it.

    DATABASE_URL=postgres://... python bench/alert_sweep.py [--rules a,b] [--find-only] [--repeat 2]

Fill the database first (``load_demo``, or ``bench/generate.py --scale district|province``). For
each rule: the findings, the seconds of ``find`` (the SQL and the per-finding Python), and — unless
``--find-only`` — the seconds of writing the alerts (``services.apply_findings``: new alerts raised,
open ones refreshed, vanished ones stamped cleared). ``--repeat 2`` runs the sweep again to show
that a second run raises nothing (idempotent) and what a routine hourly sweep costs. The target is
the whole sweep under 5 minutes at province scale on a 2-core machine.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from zhifa.supervision import services  # noqa: E402
from zhifa.supervision.rules_registry import RULES  # noqa: E402


def table_sizes() -> dict[str, int]:
    names = [
        "cases_case",
        "cases_caseofficer",
        "cases_caseevent",
        "dispatch_incident",
        "inspections_inspectionrecord",
        "core_auditevent",
        "organizations_officer",
        "organizations_certificate",
        "parties_party",
        "supervision_alert",
    ]
    out = {}
    with connection.cursor() as cursor:
        for name in names:
            cursor.execute(f"SELECT count(*) FROM {name}")  # noqa: S608 - fixed table names
            out[name] = cursor.fetchone()[0]
    return out


def run(codes: list[str], find_only: bool) -> float:
    now = timezone.now()
    print(f"\n{'rule':<24} {'findings':>9} {'find s':>8} {'raised':>8} {'cleared':>8} {'write s':>8}")
    total = 0.0
    for code in codes:
        t0 = time.perf_counter()
        findings = RULES[code].find(now)
        t1 = time.perf_counter()
        counts = {"raised": "-", "cleared": "-"}
        if not find_only:
            counts = services.apply_findings(code, findings, now, full=True)
        t2 = time.perf_counter()
        total += t2 - t0
        print(
            f"{code:<24} {len(findings):>9} {t1 - t0:>8.2f} {counts['raised']!s:>8} {counts['cleared']!s:>8} "
            f"{t2 - t1:>8.2f}",
            flush=True,
        )
    print(f"{'total':<24} {'':>9} {'':>8} {'':>8} {'':>8} {total:>8.2f}  seconds")
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rules", default="", help="comma-separated rule codes (default: all)")
    parser.add_argument("--find-only", action="store_true", help="time the rules without writing alerts")
    parser.add_argument("--repeat", type=int, default=1, help="run the sweep this many times")
    args = parser.parse_args()
    codes = [c for c in args.rules.split(",") if c] or list(RULES)
    unknown = [c for c in codes if c not in RULES]
    if unknown:
        parser.error(f"unknown rules: {', '.join(unknown)}")
    print("rows:", ", ".join(f"{k}={v}" for k, v in table_sizes().items()))
    for i in range(args.repeat):
        print(f"\nsweep {i + 1} of {args.repeat}")
        run(codes, args.find_only)


if __name__ == "__main__":
    main()
