"""Benchmark of the catalog's Excel import: 5,000 items from an .xlsx into the database.

    DATABASE_URL=postgres://postgres@127.0.0.1:55432/zhifa DJANGO_SETTINGS_MODULE=zhifa.settings \\
        PYTHONPATH=src .venv/bin/python bench/catalog_import.py [--rows 5000] [--in-place]

Generates ``--rows`` items by varying the demo catalog (new codes and names), writes them to an
.xlsx in a temporary directory with ``excel.export_workbook``, then times the three steps of an
import as a user runs it — parse the file, validate every row against the database (the dry
run), write everything in one transaction (the commit, which validates again) — and once more
for re-importing the same file (every row unchanged). Target: parse + write under 10 s.

The database: by default a throwaway database is created next to the one in DATABASE_URL
(PostgreSQL: ``<name>_catalog_bench``; SQLite: a temporary file), migrated, and dropped at the
end. ``--in-place`` instead migrates the DATABASE_URL database if needed and runs everything in
one transaction that is rolled back, so nothing stays behind either.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from contextlib import nullcontext
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ARGS = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
ARGS.add_argument("--rows", type=int, default=5000)
ARGS.add_argument(
    "--in-place", action="store_true", help="use the DATABASE_URL database, rolled back at the end"
)
ARGS.add_argument("--sql", action="store_true", help="also print where the commit spends its SQL time")
OPTIONS = ARGS.parse_args()

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
ORIGINAL_URL = os.environ.get("DATABASE_URL", "")
if not ORIGINAL_URL:
    sys.exit("set DATABASE_URL (e.g. postgres://postgres@127.0.0.1:55432/zhifa)")
THROWAWAY: dict[str, str] = {}


def _make_throwaway_database() -> None:
    """Point DATABASE_URL at a new, empty database before Django reads its settings."""
    parts = urlsplit(ORIGINAL_URL)
    if parts.scheme.startswith("postgres"):
        import psycopg

        name = (parts.path.lstrip("/") or "zhifa") + "_catalog_bench"
        admin_url = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        THROWAWAY.update(kind="postgres", name=name, admin_url=admin_url)
        os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path="/" + name))
    elif parts.scheme == "sqlite":
        path = Path(tempfile.mkdtemp(prefix="catalog_bench_")) / "bench.sqlite3"
        THROWAWAY.update(kind="sqlite", path=str(path))
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    else:
        sys.exit(f"unsupported database URL scheme: {parts.scheme}")


def _drop_throwaway_database() -> None:
    from django.db import connections

    connections.close_all()
    if THROWAWAY.get("kind") == "postgres":
        import psycopg

        with psycopg.connect(THROWAWAY["admin_url"], autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{THROWAWAY["name"]}"')
    elif THROWAWAY.get("kind") == "sqlite":
        Path(THROWAWAY["path"]).unlink(missing_ok=True)


if not OPTIONS.in_place:
    _make_throwaway_database()

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.migrations.executor import MigrationExecutor  # noqa: E402

from zhifa.catalog import excel, services  # noqa: E402
from zhifa.catalog.demo_items import DOMAINS, ITEMS, REGULATORS  # noqa: E402
from zhifa.catalog.models import Domain  # noqa: E402
from zhifa.organizations.models import Organization, Region, User  # noqa: E402


class Rollback(Exception):
    """Raised at the end of an --in-place run to undo everything."""


def migrate_if_needed() -> None:
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        started = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        print(f"migrated {connection.settings_dict['NAME']} in {time.perf_counter() - started:.1f} s")


def generate_items(n: int) -> list[dict]:
    """``n`` items: the demo items over and over, each copy with a new code and name."""
    items = []
    for i in range(n):
        base = ITEMS[i % len(ITEMS)]
        round_no = i // len(ITEMS) + 1
        code = base["code"][:6] + f"{i:06d}"  # 12 digits, unique
        items.append({**base, "code": code, "name": f"{base['name']}（批次{round_no}）"})
    return items


def setup_district() -> User:
    """What the import checks rows against: the domains, the regulators, a catalog manager."""
    district, _ = Region.objects.get_or_create(
        code="330803", defaults={"name": "衢江区", "level": Region.Level.DISTRICT}
    )
    root, _ = Organization.objects.get_or_create(
        name="衢江区人民政府（基准测试）",
        parent=None,
        defaults={"kind": Organization.Kind.GOVERNMENT, "region": district},
    )
    known = {d.name for d in Domain.objects.all()}
    for n, (code, name) in enumerate(DOMAINS, 1):
        if name not in known:
            Domain.objects.create(code=f"B{code}", name=name, sort_order=100 + n)
    existing = set(Organization.objects.filter(name__in=REGULATORS).values_list("name", flat=True))
    for name in REGULATORS:
        if name not in existing:
            Organization.objects.create(
                name=name, kind=Organization.Kind.REGULATOR_DEPARTMENT, region=district, parent=root
            )
    user = User(username="catalog_bench_manager", role=User.Role.GUIDANCE_OFFICE, organization=root)
    user.set_unusable_password()
    user.save()
    return user


class SqlTimes:
    """Total time and count of each kind of statement (its first words), for --sql."""

    def __init__(self) -> None:
        self.totals: dict[str, list[float]] = {}

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            key = " ".join(sql.split()[:6])[:90]
            entry = self.totals.setdefault(key, [0.0, 0])
            entry[0] += time.perf_counter() - started
            entry[1] += 1

    def report(self, label: str, top: int = 10) -> None:
        print(f"\nSQL of the commit, {label} (top statements by time; the rest of the write time is Python):")
        for key, (seconds, count) in sorted(self.totals.items(), key=lambda kv: -kv[1][0])[:top]:
            print(f"{seconds:8.2f} s {count:>7,} × {key}")


def timed(fn, *args, **kwargs):
    started = time.perf_counter()
    value = fn(*args, **kwargs)
    return value, time.perf_counter() - started


def run(n_rows: int) -> list[tuple]:
    actor = setup_district()
    items = generate_items(n_rows)
    with tempfile.TemporaryDirectory(prefix="catalog_import_") as tmp:
        path = Path(tmp) / "执法事项.xlsx"
        data, seconds = timed(excel.export_workbook, items)
        path.write_bytes(data)
        print(
            f"generated {n_rows:,} items; export_workbook wrote {len(data) / 1024:,.0f} KiB in {seconds:.2f} s\n"
        )

        table = []
        for label in ("new items", "re-import (unchanged)"):
            domains = {d.name for d in services.Lookups.load().domains.values()}
            parsed, parse_s = timed(excel.parse_sheet, path, domains=domains)
            assert not parsed.errors, parsed.errors[:3]
            preview, validate_s = timed(excel.import_parsed, actor, parsed, dry_run=True)
            assert preview.ok, preview.errors[:3]
            sql_times = SqlTimes()
            with connection.execute_wrapper(sql_times) if OPTIONS.sql else nullcontext():
                result, write_s = timed(excel.import_parsed, actor, parsed, dry_run=False)
            if OPTIONS.sql:
                sql_times.report(label)
            assert result.ok, result.errors[:3]
            table.append((label, len(parsed.rows), parse_s, validate_s, write_s, result))
    return table


def main() -> None:
    try:
        migrate_if_needed()
        if OPTIONS.in_place:
            try:
                with transaction.atomic():
                    table = run(OPTIONS.rows)
                    raise Rollback
            except Rollback:
                pass
        else:
            table = run(OPTIONS.rows)
    finally:
        if not OPTIONS.in_place:
            _drop_throwaway_database()

    vendor = connection.vendor
    print(
        f"{'run':<24}{'rows':>7}{'parse s':>10}{'validate s':>12}{'write s':>10}{'total s':>10}"
        f"{'created':>9}{'updated':>9}{'unchanged':>11}"
    )
    for label, rows, parse_s, validate_s, write_s, result in table:
        total = parse_s + validate_s + write_s
        print(
            f"{label:<24}{rows:>7,}{parse_s:>10.2f}{validate_s:>12.2f}{write_s:>10.2f}{total:>10.2f}"
            f"{result.created:>9,}{result.updated:>9,}{result.unchanged:>11,}"
        )
    print(
        f"\n{vendor}; validate = dry run (every row checked against the database); write = the commit, which "
        "validates again and writes all rows in one transaction; total = parse + dry run + commit."
    )
    first = table[0]
    commit_path = first[2] + first[4]
    print(
        f"parse + commit for {first[1]:,} new rows: {commit_path:.2f} s (target < 10 s: "
        f"{'met' if commit_path < 10 else 'NOT met'})"
    )


if __name__ == "__main__":
    main()
