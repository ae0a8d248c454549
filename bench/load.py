#!/usr/bin/env python
"""Load test of the API's main list, detail and write endpoints against a real server.

    DATABASE_URL=postgres://... python bench/load.py [--users 50] [--think 1.0] [--seconds 20]
        [--workers CORES+1] [--worker-class sync|gthread] [--threads 4] [--modes single,users,saturation]
        [--only cases] [--proxy nginx|none]

Starts gunicorn (``--workers`` sync workers, DEBUG off, as deployed; ``--worker-class gthread``
with ``--threads`` to compare) serving zhifa on a loopback port over the database at DATABASE_URL
(fill it first with ``bench/generate.py``), creates an API key for the command centre, and
measures every endpoint with ``wrk`` (Debian package ``wrk``) in three ways. Sync workers do not
keep connections alive: facing wrk directly, a sync worker waits on each idle new connection
through the user's think time (measured: p95 650 ms at 40 req/s), and a gthread worker likewise
hands a *new* connection to a thread that waits for its first request. So, as deployed
(``deploy/nginx.conf``), the load goes through nginx (``--proxy nginx``, Debian package
``nginx-light``), which accepts the clients and passes only complete requests to gunicorn.

* **1 user** – one connection, no think time: the latency of a request on its own (service time);
* **50 users** – ``--users`` connections, each a simulated officer who sends a request, waits for
  the answer and then thinks ``--think`` seconds (uniformly 0.5–1.5 × that, so users do not click
  in step) before the next one — a closed loop like a busy office clicking through lists. wrk's
  latency is measured from sending the request, so the think time is not in it. This is the
  target measurement: list and detail p95 < 100 ms (DESIGN.md / issue 10);
* **saturation** – the same connections with no think time: the highest throughput the server
  reaches and the latency at that throughput (by Little's law, latency = users / throughput).

Beside each endpoint: the time of the same SQL run directly with psycopg (the statements are
captured once with Django's CaptureQueriesContext), and the ratio of the 1-user latency to it, so
the framework's share is visible. The load average before and after is printed: numbers taken
while other jobs run on the same cores are lower bounds.

The supervision rules' event runs happen in the request after its commit (``inline``, the
default); ``--event-runs queued`` sends them to a Celery worker started beside gunicorn (needs a
broker, CELERY_BROKER_URL): the worker shares the cores, so its work is in the measurement even
though it is not in the request.
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
#: p95 at 50 concurrent writers of the incident intake (issue 19).
WRITE_TARGET_P95_MS = 50

WRK_SCRIPT = r"""
local method, body, path_base = os.getenv("WRK_METHOD") or "GET", os.getenv("WRK_BODY"), os.getenv("WRK_PATH")
local think_ms = tonumber(os.getenv("WRK_THINK_MS") or "0")
local counter = 0
init = function(args)
  math.randomseed(os.time() + math.floor(os.clock() * 1e6) + tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 100000)
end
if think_ms > 0 then
  -- wrk calls delay() before every request of a connection, the first included (so users start
  -- staggered); latency is timed from the moment the request is sent, after the think time.
  delay = function()
    return math.floor(think_ms * (0.5 + math.random()))
  end
end
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
    intake = json.dumps(
        {
            "source": "hotline",
            "text": "小区门口餐馆油烟直排，噪音扰民",
            "address": "樟潭街道江滨路",
            "lat": "28.958000",
            "lng": "118.930000",
        },
        ensure_ascii=False,
    )
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
    statements = [
        q["sql"]
        for q in ctx.captured_queries
        if not q["sql"].startswith(("SAVEPOINT", "RELEASE", 'UPDATE "api_apikey"'))
    ]
    settings = connection.settings_dict
    dsn = f"host={settings['HOST']} port={settings['PORT']} dbname={settings['NAME']} user={settings['USER']}"
    if settings.get("PASSWORD"):
        dsn += f" password={settings['PASSWORD']}"
    timings = []
    with psycopg.connect(dsn, autocommit=True) as conn:
        for _ in range(repeat):
            started = time.perf_counter()
            for statement in statements:
                conn.execute(
                    statement.replace("%", "%%")
                ).fetchall() if statement.lstrip().upper().startswith("SELECT") else None
            timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings), len(statements)


def server_env(event_runs: str) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT / "src"),
        "DJANGO_DEBUG": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "ZHIFA_SUPERVISION_EVENT_RUNS": event_runs,
    }


def start_worker() -> subprocess.Popen:
    """One Celery worker process, as deployed (deploy/systemd/zhifa-worker.service), for the
    event runs the web sends it."""
    celery = shutil.which("celery") or str(Path(sys.executable).with_name("celery"))
    command = [celery, "-A", "zhifa", "worker", "--concurrency", "1", "--loglevel", "WARNING"]
    command += ["--without-gossip", "--without-mingle"]
    return subprocess.Popen(command, env=server_env("queued"), start_new_session=True)


def start_server(
    port: int, workers: int, worker_class: str, threads: int, event_runs: str
) -> subprocess.Popen:
    gunicorn = shutil.which("gunicorn") or str(Path(sys.executable).with_name("gunicorn"))
    env = server_env(event_runs)
    command = [
        gunicorn,
        "zhifa.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        worker_class,
        "--log-level",
        "warning",
        "--backlog",
        "2048",
    ]
    if worker_class == "gthread":
        command += ["--threads", str(threads)]
    return _answering(subprocess.Popen(command, env=env, start_new_session=True), port, "gunicorn")


def _answering(process: subprocess.Popen, port: int, name: str, tries: int = 300) -> subprocess.Popen:
    """``process`` once it answers on ``port`` (within ``tries`` tenths of a second)."""
    for _ in range(tries):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/openapi.json", timeout=2)
            return process
        except Exception:
            time.sleep(0.1)
    process.kill()
    raise SystemExit(f"{name} did not start")


NGINX_CONF = """
daemon off;
worker_processes 1;
pid {dir}/nginx.pid;
error_log stderr warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    upstream zhifa_web {{ server 127.0.0.1:{upstream}; keepalive 32; }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://zhifa_web;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        }}
    }}
}}
"""


def start_nginx(port: int, upstream: int, directory: str) -> subprocess.Popen:
    """nginx in front of gunicorn on ``port``, proxying as deploy/nginx.conf does (no TLS on loopback)."""
    conf = Path(directory) / "nginx.conf"
    conf.write_text(NGINX_CONF.format(dir=directory, port=port, upstream=upstream))
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    proxy = subprocess.Popen(
        [nginx, "-p", directory, "-c", str(conf), "-e", "stderr"], start_new_session=True
    )
    return _answering(proxy, port, "nginx", tries=100)


def run_wrk(
    port: int, path: str, key: str, users: int, seconds: int, body: str | None, script: str, think_ms: int = 0
) -> dict:
    env = {
        **os.environ,
        "WRK_KEY": key,
        "WRK_PATH": path,
        "WRK_METHOD": "POST" if body else "GET",
        "WRK_BODY": body or "",
        "WRK_THINK_MS": str(think_ms),
    }
    threads = min(2, users)
    out = subprocess.run(
        [
            "wrk",
            "-t",
            str(threads),
            "-c",
            str(users),
            "-d",
            f"{seconds}s",
            "--timeout",
            "10s",
            "-s",
            script,
            f"http://127.0.0.1:{port}{path}",
        ],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    ).stdout
    line = next(line for line in out.splitlines() if line.startswith("RESULT "))
    return json.loads(line.removeprefix("RESULT "))


def warm(port: int, path: str, key: str, users: int, body: str | None, script: str, tries: int = 10) -> None:
    """Send requests until every worker answers within a second (workers boot one after another
    and load the routing model at start): the runs measure serving, not booting."""
    for _ in range(tries):
        result = run_wrk(port, path, key, users, 2, body, script)
        if result["requests"] and result["p99"] < 1000:
            return


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _cols(r: dict | None) -> str:
    if r is None or not r["requests"]:  # not measured, or no request finished within the run
        return f"{'-':>7}{'-':>7}{'-':>7}{'-':>6}"
    return f"{r['p50']:>7.1f}{r['p95']:>7.1f}{r['p99']:>7.1f}{r['requests'] / r['seconds']:>6.0f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument(
        "--think", type=float, default=1.0, help="mean think time of a simulated user, seconds"
    )
    parser.add_argument("--seconds", type=int, default=20, help="length of the 50-users and saturation runs")
    parser.add_argument("--single-seconds", type=int, default=5, help="length of the 1-user run")
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) + 1)
    parser.add_argument(
        "--worker-class",
        choices=["sync", "gthread"],
        default="sync",
        help="sync as deployed (deploy/systemd/zhifa-web.service); sync workers need nginx in front",
    )
    parser.add_argument(
        "--threads", type=int, default=4, help="threads per worker with --worker-class gthread"
    )
    parser.add_argument("--modes", default="single,users,saturation")
    parser.add_argument("--only", default="", help="run endpoints whose name contains this text")
    parser.add_argument(
        "--proxy",
        choices=["nginx", "none"],
        default="nginx",
        help="send the load through nginx as deployed, or straight to gunicorn",
    )
    parser.add_argument(
        "--event-runs",
        choices=["queued", "inline"],
        default="inline",
        help="supervision event runs in the request after its commit, or in a Celery worker (needs a broker)",
    )
    args = parser.parse_args(argv)
    modes = {m.strip() for m in args.modes.split(",") if m.strip()}
    if connection.vendor != "postgresql":
        print(
            "load.py needs PostgreSQL (DATABASE_URL=postgres://…) filled by bench/generate.py",
            file=sys.stderr,
        )
        return 2
    if not shutil.which("wrk"):
        print("load.py needs wrk: apt-get install wrk", file=sys.stderr)
        return 2
    if args.proxy == "nginx" and not (shutil.which("nginx") or Path("/usr/sbin/nginx").exists()):
        print("load.py needs nginx (apt-get install nginx-light) or --proxy none", file=sys.stderr)
        return 2
    key = api_key()
    port = free_port()
    chosen = [e for e in endpoints() if args.only in e[0]]
    sizes = {
        "cases": Case.objects.count(),
        "incidents": Incident.objects.count(),
        "inspection records": InspectionRecord.objects.count(),
        "parties": Party.objects.count(),
    }
    workers = f"{args.workers} {args.worker_class} workers" + (
        f" × {args.threads} threads" if args.worker_class == "gthread" else ""
    )
    front = "nginx → " if args.proxy == "nginx" else ""
    behind = ", 1 Celery worker (event runs queued)" if args.event_runs == "queued" else ""
    print(
        f"load: {front}gunicorn {workers} (DEBUG off){behind}, {os.cpu_count()} cores; "
        + ", ".join(f"{k} {v:,}" for k, v in sizes.items())
    )
    print(
        f"1 user: {args.single_seconds}s; {args.users} users: think {args.think:g}s (0.5–1.5×), {args.seconds}s; "
        f"saturation: {args.users} connections, no think time, {args.seconds}s"
    )
    print(f"load average before: {load_average()}", flush=True)
    raw = {name: raw_sql_ms(path, key) for name, kind, path, body in chosen if kind != "write"}
    connection.close()
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(WRK_SCRIPT)
        script = f.name
    upstream = free_port() if args.proxy == "nginx" else port
    server = start_server(upstream, args.workers, args.worker_class, args.threads, args.event_runs)
    worker = start_worker() if args.event_runs == "queued" else None
    proxy_dir = tempfile.mkdtemp(prefix="zhifa-nginx-")
    proxy = start_nginx(port, upstream, proxy_dir) if args.proxy == "nginx" else None
    results = []
    try:
        for name, kind, path, body in chosen:
            warm(port, path, key, min(args.users, 10), body, script)
            single = (
                run_wrk(port, path, key, 1, args.single_seconds, body, script) if "single" in modes else None
            )
            users = (
                run_wrk(port, path, key, args.users, args.seconds, body, script, int(args.think * 1000))
                if "users" in modes
                else None
            )
            saturation = (
                run_wrk(port, path, key, args.users, args.seconds, body, script)
                if "saturation" in modes
                else None
            )
            results.append((name, kind, single, users, saturation))
            print(f"  measured {name}", file=sys.stderr, flush=True)
    finally:
        for process in (proxy, server, worker):
            if process is not None:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=30)
        shutil.rmtree(proxy_dir, ignore_errors=True)
        os.unlink(script)
    print(f"load average after: {load_average()}")
    print(
        f"\n{'':<30}{'1 user':>7}{'| ' + str(args.users) + ' users, think ' + format(args.think, 'g') + ' s':^27}"
        f"{'| saturation (no think)':^27}"
    )
    print(
        f"{'endpoint':<30}{'p50':>7}{'p50':>7}{'p95':>7}{'p99':>7}{'req/s':>6}{'p50':>7}{'p95':>7}{'p99':>7}{'req/s':>6}"
        f"{'errors':>7}{'SQL ms':>7}{'queries':>8}{'1u/SQL':>7}  target (50 users)"
    )
    missed = []
    for name, kind, single, users, saturation in results:
        sql_ms, n = raw.get(name, (None, 0))
        ratio = f"{single['p50'] / sql_ms:.1f}" if sql_ms and single and single["requests"] else "-"
        errors = sum(r["errors"] for r in (single, users, saturation) if r)
        target = TARGET_P95_MS if kind in ("list", "detail") else WRITE_TARGET_P95_MS
        verdict = ""
        if users is not None:
            verdict = "ok" if users["p95"] < target else "MISSED"
        if verdict == "MISSED":
            missed.append(name)
        print(
            f"{name:<30}{(format(single['p50'], '.1f') if single and single['requests'] else '-'):>7}"
            f"{_cols(users)}{_cols(saturation)}"
            f"{errors:>7}{(f'{sql_ms:.1f}' if sql_ms else '-'):>7}{n or '-':>8}{ratio:>7}  "
            f"{'p95<' + str(target) + ' ' + verdict if verdict else ''}"
        )
    print(
        "\nlatencies in ms. SQL ms: the endpoint's captured statements run once, in order, straight through psycopg "
        "(median of 5); 1u/SQL: 1-user p50 over that."
    )
    if missed:
        print("missed the p95 target at " + f"{args.users} users: " + ", ".join(missed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
