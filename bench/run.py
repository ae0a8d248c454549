#!/usr/bin/env python
"""Run the benchmarks in order (``./dev bench`` calls this).

    ./dev bench [--scale tiny|district|province] [--only load,alert_sweep,...] [--skip-generate]

Without DATABASE_URL it starts a throwaway PostgreSQL + Redis (``./dev pg``), migrates it and
fills it with ``bench/generate.py --scale``; with DATABASE_URL it uses that (already filled)
database. Benchmarks whose file does not exist yet are skipped.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCHES = [
    "generate",
    "load",
    "audit_append",
    "alert_sweep",
    "pages",
    "planning",
    "routing_eval",
    "catalog_import",
]
NEEDS_DB = {"generate", "load", "audit_append", "alert_sweep", "pages", "routing_eval", "catalog_import"}


def start_services() -> tuple[subprocess.Popen, dict[str, str]]:
    server = subprocess.Popen(
        [str(ROOT / "dev"), "pg"], stdout=subprocess.PIPE, text=True, start_new_session=True
    )
    env = {}
    for line in server.stdout:
        match = re.match(r"export (\w+)=(.*)", line.strip())
        if match:
            env[match[1]] = match[2]
        if "psql:" in line:
            break
    return server, env


def stop_services(server: subprocess.Popen) -> None:
    """Stop ``./dev pg`` and everything it started, within seconds. Only ``dev`` gets the signal:
    its exit trap stops PostgreSQL at once (immediate mode) and Redis; a signal to the whole group
    would start PostgreSQL's own fast shutdown, whose checkpoint takes minutes on a large database.
    Whatever is still running after 30 s is killed."""
    import signal

    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        print("--- ./dev pg did not stop within 30 s; killing its processes", flush=True)
    try:
        os.killpg(server.pid, signal.SIGKILL)  # leftovers of the session, if any
    except ProcessLookupError:
        pass
    server.wait(timeout=10)
    if server.stdout is not None:
        server.stdout.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="district", choices=["tiny", "district", "province"])
    parser.add_argument("--only", default="", help="comma-separated names: " + ", ".join(BENCHES))
    parser.add_argument("--skip-generate", action="store_true")
    args, rest = parser.parse_known_args(argv)
    chosen = [b for b in BENCHES if not args.only or b in args.only.split(",")]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "DJANGO_SETTINGS_MODULE": "zhifa.settings"}
    server = None
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        server, services = start_services()
        env.update(services)
        subprocess.run([sys.executable, "-m", "django", "migrate", "-v0"], env=env, check=True)
    elif "generate" in chosen and not args.skip_generate and not args.only:
        chosen.remove("generate")  # an existing database is assumed filled already
    timings = []
    try:
        for name in chosen:
            if name == "generate" and args.skip_generate:
                continue
            script = ROOT / "bench" / f"{name}.py"
            if not script.exists():
                print(f"--- {name}: bench/{name}.py does not exist yet, skipped")
                continue
            if name in NEEDS_DB and not env.get("DATABASE_URL"):
                continue
            command = (
                [sys.executable, str(script)]
                + (["--scale", args.scale] if name == "generate" else [])
                + rest * (name == "load")
            )
            print(f"\n=== {name} ===", flush=True)
            started = time.perf_counter()
            rc = subprocess.run(command, env=env).returncode
            timings.append((name, rc, time.perf_counter() - started))
    finally:
        if server is not None:
            stop_services(server)
    print("\nbenchmark           status   seconds")
    for name, rc, seconds in timings:
        print(f"{name:<20}{'ok' if rc == 0 else f'rc={rc}':<9}{seconds:>7.1f}")
    return max((rc for _, rc, _ in timings), default=0)


if __name__ == "__main__":
    sys.exit(main())
