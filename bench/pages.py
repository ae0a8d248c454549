#!/usr/bin/env python
"""Time the main pages against the database at DATABASE_URL (fill it first with load_demo or
bench/generate.py). A benchmark, not a test: it prints one row per page.

    DATABASE_URL=postgres://... PYTHONPATH=src python bench/pages.py [--runs 20] [--user command]

Each page is loaded ``--runs`` times (after one warm-up load) through Django's test client as a
logged-in user: p50 and p95 of the wall time of the whole request (view, SQL, template), the number
of queries of one load, and the summed time of those queries as the database driver saw them
(``CaptureQueriesContext``), so slow SQL and slow Python can be told apart. The goal is p95 under
300 ms at province scale. The cockpit pages read a stored snapshot; ``--refresh N`` also times the
snapshot refresh (the live computation of every figure) for a few scopes.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from zhifa.organizations.models import Region, User  # noqa: E402

GOAL_MS = 300


def pages(township_id: int | None) -> list[tuple[str, str, bool]]:
    """(name, path, needs login)."""
    town = f"?township={township_id}" if township_id else ""
    return [
        ("驾驶舱 cockpit", "/cockpit/", True),
        ("驾驶舱 JSON", "/api/v1/cockpit/indicators", True),
        ("明细 incidents_total", "/cockpit/d/incidents_total/", True),
        ("明细 incidents_total 乡镇", f"/cockpit/d/incidents_total/{town}", True),
        ("明细 cases_on_time", "/cockpit/d/cases_on_time/", True),
        ("明细 cases_late", "/cockpit/d/cases_late/", True),
        ("明细 staff_townships", "/cockpit/d/staff_townships/", True),
        ("明细 visits_saved", "/cockpit/d/visits_saved/", True),
        ("明细 alerts_raised", "/cockpit/d/alerts_raised/", True),
        ("案件列表 cases", "/cases/", True),
        ("事件队列 dispatch", "/dispatch/", True),
        ("检查记录 records", "/inspections/records/", True),
        ("综合查一次 visits", "/inspections/visits/", True),
        ("执法人员 officers", "/org/officers/", True),
        ("事项清单 catalog", "/catalog/", True),
        ("公开 portal", "/public/", False),
        ("公开 决定", "/public/decisions/", False),
        ("公开 抽查", "/public/draws/", False),
        ("公开 专业执法清单", "/catalog/public/professional/", False),
    ]


def measure(client: Client, path: str, runs: int) -> dict | None:
    response = client.get(path)  # warm-up (template loading, first connection)
    if response.status_code != 200:
        return {"status": response.status_code}
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        client.get(path)
        times.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    sql_ms = sum(float(q["time"]) for q in captured.captured_queries) * 1000
    times.sort()
    p95 = times[min(len(times) - 1, max(0, round(0.95 * len(times)) - 1))]
    return {
        "status": 200,
        "p50": statistics.median(times),
        "p95": p95,
        "queries": len(captured),
        "sql": sql_ms,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument(
        "--user", default="command", help="user name to log in as (default: the command centre)"
    )
    parser.add_argument("--only", default="", help="only pages whose name or path contains this text")
    parser.add_argument(
        "--refresh",
        type=int,
        default=0,
        metavar="N",
        help="also time N refreshes of the cockpit snapshot per scope (writes the snapshots)",
    )
    args = parser.parse_args()

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    user = User.objects.filter(username=args.user).first()
    if user is None:
        print(f"no user {args.user!r}: load the demo (python -m django load_demo) or bench/generate.py first")
        return 2
    township = (
        Region.objects.filter(level__in=Region.TOWNSHIP_LEVELS)
        .order_by("code")
        .values_list("pk", flat=True)
        .first()
    )
    staff, public = Client(), Client()
    staff.force_login(user)
    counts = {
        name: connection.cursor().execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608
        for name, table in (
            ("incidents", "dispatch_incident"),
            ("cases", "cases_case"),
            ("officers", "organizations_officer"),
            ("records", "inspections_inspectionrecord"),
        )
    }
    print(
        f"database {connection.settings_dict['NAME']} on {connection.vendor}; user {user.username} ({user.role}); "
        f"{args.runs} runs per page; " + ", ".join(f"{k} {v:,}" for k, v in counts.items())
    )
    header = f"{'page':<28} {'path':<42} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8} {'SQL ms':>8}"
    print(header)
    print("-" * len(header))
    slow = 0
    for name, path, login in pages(township):
        if args.only and args.only not in name and args.only not in path:
            continue
        try:
            result = measure(staff if login else public, path, args.runs)
        except Exception as exc:  # a page of an app still being built must not stop the others
            print(f"{name:<28} {path:<42} error: {type(exc).__name__}: {str(exc).splitlines()[0][:60]}")
            continue
        if result["status"] != 200:
            print(f"{name:<28} {path:<42} HTTP {result['status']}")
            continue
        mark = "" if result["p95"] < GOAL_MS else "  > 300 ms"
        slow += bool(mark)
        print(
            f"{name:<28} {path:<42} {result['p50']:>8.1f} {result['p95']:>8.1f} {result['queries']:>8} "
            f"{result['sql']:>8.1f}{mark}"
        )
    print(f"\n{slow} page(s) over {GOAL_MS} ms at p95")
    if args.refresh:
        refresh_times(user, args.refresh)
    return 0


def refresh_times(user, runs: int) -> None:
    """How long the snapshot refresh (the live computation the beat task and 刷新 run) takes per
    scope: the district, the user's scope, a township team's and a department's."""
    from zhifa.cockpit import selectors, services
    from zhifa.core.scopes import Scope
    from zhifa.organizations.models import Organization

    scopes = {"district": Scope(everything=True), f"user {user.username}": Scope.for_user(user)}
    team = Organization.objects.filter(kind="township_team").order_by("path").first()
    department = Organization.objects.filter(kind="professional_department").order_by("path").first()
    for label, org in (("township team", team), ("department", department)):
        if org is not None:
            scopes[f"{label} {org.name}"] = Scope(
                org_path=org.path, township_region_id=org.region_id if org.region.is_township else None
            )
    print(f"\n{'snapshot refresh (scope)':<44} {'key':<36} {'best ms':>8} {'p50 ms':>8} {'queries':>8}")
    for label, scope in scopes.items():
        times = []
        for _ in range(runs):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                services.refresh(scope, wait=True)
                times.append((time.perf_counter() - started) * 1000)
        print(
            f"{label:<44} {selectors.scope_key(scope)[:36]:<36} {min(times):>8.0f} {statistics.median(times):>8.0f} "
            f"{len(captured):>8}"
        )


if __name__ == "__main__":
    sys.exit(main())
