"""``./dev pg`` and ``./dev bench`` stop every process they started, within seconds, and the
bench exits 0 when its benchmarks ran."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _listening(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def _start_dev_pg():
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    server = subprocess.Popen(
        [str(ROOT / "dev"), "pg"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
        env=env,
        # As from a terminal: a runner started in the background (``cmd &``) ignores SIGINT, and a
        # shell cannot trap a signal that was ignored when it started.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    ports = {}
    for line in server.stdout:
        match = re.search(r"export (DATABASE_URL|REDIS_URL)=\w+://[^:]*?:?[^@]*@?127\.0\.0\.1:(\d+)", line)
        if match:
            ports[match[1]] = int(match[2])
        if "psql:" in line:
            break
    return server, ports


def _gone(ports: dict[str, int], within: float) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if not any(_listening(p) for p in ports.values()):
            return True
        time.sleep(0.2)
    return False


def _kill(server) -> None:
    """After a failed assertion: leave nothing running."""
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=10)


def test_ctrl_c_stops_dev_pg_and_its_servers_within_seconds():
    server, ports = _start_dev_pg()
    try:
        assert set(ports) == {"DATABASE_URL", "REDIS_URL"} and all(_listening(p) for p in ports.values())
        started = time.monotonic()
        os.killpg(server.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
        server.wait(timeout=15)
        assert time.monotonic() - started < 15
        assert _gone(ports, 5)
    finally:
        _kill(server)


def test_bench_teardown_stops_dev_pg_within_seconds():
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import run
    finally:
        sys.path.pop(0)
    server, ports = _start_dev_pg()
    try:
        started = time.monotonic()
        run.stop_services(server)
        assert time.monotonic() - started < 15
        assert _gone(ports, 5)
    finally:
        _kill(server)


def test_bench_exits_zero_when_its_benchmarks_ran():
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--only", "planning"],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert re.search(r"planning\s+ok", result.stdout)
    assert "Traceback" not in result.stderr
