#!/usr/bin/env python
"""Load test of the API's main list, detail and write endpoints against a real server.

    DATABASE_URL=postgres://... python bench/load.py [--users 50] [--seconds 15] [--workers 5] [--only cases]

Starts gunicorn (``--workers`` sync workers) serving zhifa on a loopback port over the database
at DATABASE_URL (fill it first with ``bench/generate.py``), creates an API key for the command
centre, and for each endpoint runs ``wrk`` (Debian package ``wrk``) with ``--users`` connections.
It prints p50 / p95 / p99 latency and throughput per endpoint and, beside them, the time of the
same SQL run directly with psycopg (the statements are captured once with Django's
CaptureQueriesContext), so the framework's share is visible as a ratio.

Targets (DESIGN.md / issue 10): list and detail p95 < 100 ms at 50 users on a 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")

import django  # noqa: E402

django.setup()

import psycopg  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from zhifa.api.models import ApiKey  # noqa: E402
from zhifa.cases.models import Case  # noqa: E402
from zhifa.dispatch.models import Incident  # noqa: E402
from zhifa.inspections.models import InspectionRecord  # noqa: E402
from zhifa.organizations.models import Officer, Organization, User  # noqa: E402
from zhifa.parties.models import Party  # noqa: E402

TARGET_P95_MS = 100

WRK_SCRIPT = r"""
local method, body, path_base = os.getenv("WRK_METHOD") or "GET", os.getenv("WRK_BODY"), os.getenv("WRK_PATH")
local counter = 0
request = function()
  counter = counter + 1
  local headers = {["X-API-Key"] = os.getenv("WRK_KEY"), ["Content-Type"] = "application/json"}
  if method == "POST" then
    headers["Idempotency-Key"] = "load-" .. os.time() .. "-" .. math.random(1, 1e9) .. "-" .. counter
    return wrk.format("POST", path_base, headers, body)
  end
  return wrk.format("GET", path_base, headers)
end
done = function(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format('RESULT {"requests": %d, "seconds": %f, "p50": %f, "p95": %f, "p99": %f, "errors": %d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, errors))
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def endpoints() -> list[tuple[str, str, str, str | None]]:
    """(name, kind, path, JSON body for writes) of the endpoints under test, with real ids."""
    case = Case.objects.order_by("-pk").values_list("pk", flat=True).first()
    incident = Incident.objects.order_by("-pk").values_list("pk", flat=True).first()
    record = InspectionRecord.objects.order_by("-pk").values_list("pk", flat=True).first()
    party = Party.objects.order_by("-pk").values_list("pk", flat=True).first()
    officer = Officer.objects.order_by("-pk").values_list("pk", flat=True).first()
    intake = json.dumps({"source": "hotline", "text": "小区门口餐馆油烟直排，噪音扰民", "address": "樟潭街道江滨路",
                         "lat": "28.958000", "lng": "118.930000"}, ensure_ascii=False)
    return [
        ("cases list", "list", "/api/v1/cases", None),
        ("cases list ?state=closed", "list", "/api/v1/cases?state=closed", None),
        ("case detail", "detail", f"/api/v1/cases/{case}", None),
        ("incidents list", "list", "/api/v1/dispatch/incidents", None),
        ("incidents list ?overdue", "list", "/api/v1/dispatch/incidents?overdue=true", None),
        ("incident detail", "detail", f"/api/v1/dispatch/incidents/{incident}", None),
        ("inspection records list", "list", "/api/v1/inspections/records", None),
        ("inspection record detail", "detail", f"/api/v1/inspections/records/{record}", None),
        ("officers list", "list", "/api/v1/officers", None),
        ("officer detail", "detail", f"/api/v1/officers/{officer}", None),
        ("parties list", "list", "/api/v1/parties", None),
        ("parties list ?risk_color=red", "list", "/api/v1/parties?risk_color=red", None),
        ("party detail", "detail", f"/api/v1/parties/{party}", None),
        ("incident intake (write)", "write", "/api/v1/dispatch/incidents", intake),
    ]


def api_key() -> str:
    org = Organization.objects.filter(kind=Organization.Kind.COMMAND_CENTER).order_by("pk").first()
    _key, secret = ApiKey.generate(f"load test {time.time():.0f}", org, role=User.Role.COMMAND_CENTER)
    return secret


def raw_sql_ms(path: str, key: str, repeat: int = 5) -> tuple[float, int]:
    """Capture the endpoint's SQL once through Django, then time those statements directly."""
    client = Client(HTTP_X_API_KEY=key)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code, response.content[:200])
    statements = [q["sql"] for q in ctx.captured_queries
                  if not q["sql"].startswith(("SAVEPOINT", "RELEASE", "UPDATE \"api_apikey\""))]
    settings = connection.settings_dict
    dsn = f"host={settings['HOST']} port={settings['PORT']} dbname={settings['NAME']} user={settings['USER']}"
    if settings.get("PASSWORD"):
        dsn += f" password={settings['PASSWORD']}"
    timings = []
    with psycopg.connect(dsn, autocommit=True) as conn:
        for _ in range(repeat):
            started = time.perf_counter()
            for statement in statements:
                conn.execute(statement.replace("%", "%%")).fetchall() if statement.lstrip().upper().startswith("SELECT") else None
            timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings), len(statements)


def start_server(port: int, workers: int) -> subprocess.Popen:
    gunicorn = shutil.which("gunicorn") or str(Path(sys.executable).with_name("gunicorn"))
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "DJANGO_DEBUG": "0",
           "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost"}
    server = subprocess.Popen([gunicorn, "zhifa.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers",
                               str(workers), "--log-level", "warning", "--backlog", "2048"], env=env,
                              start_new_session=True)
    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/openapi.json", timeout=2)
            return server
        except Exception:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("gunicorn did not start")


def run_wrk(port: int, path: str, key: str, users: int, seconds: int, body: str | None, script: str) -> dict:
    env = {**os.environ, "WRK_KEY": key, "WRK_PATH": path, "WRK_METHOD": "POST" if body else "GET",
           "WRK_BODY": body or ""}
    threads = min(2, users)
    out = subprocess.run(["wrk", "-t", str(threads), "-c", str(users), "-d", f"{seconds}s", "--timeout", "10s", "-s",
                          script, f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, env=env,
                         check=True).stdout
    line = next(line for line in out.splitlines() if line.startswith("RESULT "))
    return json.loads(line.removeprefix("RESULT "))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--workers", type=int, default=5)
    parser.add_argument("--only", default="", help="run endpoints whose name contains this text")
    args = parser.parse_args(argv)
    if connection.vendor != "postgresql":
        print("load.py needs PostgreSQL (DATABASE_URL=postgres://…) filled by bench/generate.py", file=sys.stderr)
        return 2
    if not shutil.which("wrk"):
        print("load.py needs wrk: apt-get install wrk", file=sys.stderr)
        return 2
    key = api_key()
    port = free_port()
    chosen = [e for e in endpoints() if args.only in e[0]]
    sizes = {"cases": Case.objects.count(), "incidents": Incident.objects.count(),
             "inspection records": InspectionRecord.objects.count(), "parties": Party.objects.count()}
    print(f"load: {args.users} users, {args.seconds}s per endpoint, gunicorn {args.workers} sync workers, "
          + ", ".join(f"{k} {v:,}" for k, v in sizes.items()))
    raw = {name: raw_sql_ms(path, key) for name, kind, path, body in chosen if kind != "write"}
    connection.close()
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(WRK_SCRIPT)
        script = f.name
    server = start_server(port, args.workers)
    results = []
    try:
        for name, kind, path, body in chosen:
            run_wrk(port, path, key, min(args.users, 10), 2, body, script)  # warm every worker
            results.append((name, kind, run_wrk(port, path, key, args.users, args.seconds, body, script)))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        os.unlink(script)
    print(f"\n{'endpoint':<30}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}{'req/s':>8}{'errors':>7}"
          f"{'SQL ms':>8}{'queries':>8}{'p50/SQL':>8}  target")
    missed = []
    for name, kind, r in results:
        sql_ms, n = raw.get(name, (None, 0))
        ratio = f"{r['p50'] / sql_ms:.1f}" if sql_ms else "-"
        target = TARGET_P95_MS if kind in ("list", "detail") else None
        verdict = "" if target is None else ("ok" if r["p95"] < target else "MISSED")
        if verdict == "MISSED":
            missed.append(name)
        print(f"{name:<30}{r['p50']:>8.1f}{r['p95']:>8.1f}{r['p99']:>8.1f}{r['requests'] / r['seconds']:>8.0f}"
              f"{r['errors']:>7}{(f'{sql_ms:.1f}' if sql_ms else '-'):>8}{n or '-':>8}{ratio:>8}  "
              f"{'p95<' + str(target) + ' ' + verdict if target else ''}")
    print("\nSQL ms: the endpoint's captured statements run once, in order, straight through psycopg (median of 5).")
    if missed:
        print("missed the p95 target: " + ", ".join(missed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
