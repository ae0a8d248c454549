"""A test receiver (a tiny HTTP server in a thread) and the subscribers that send to it."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.cases.conftest import cw  # noqa: F401  (shared fixtures)
from tests.dispatch.conftest import catalog, command  # noqa: F401  (shared fixtures)
from zhifa.integrations.models import Subscriber

SECRET = "test-secret-不可外泄"


class Receiver:
    """Records every request; answers with the next status of ``statuses`` (then 200)."""

    def __init__(self):
        self.requests: list[dict] = []
        self.statuses: list[int] = []
        self.delay = 0.0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                time.sleep(receiver.delay)
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                receiver.requests.append({"headers": dict(self.headers), "body": body, "status": status})
                answer = json.dumps({"ok": status < 300}).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/callback"

    def bodies(self) -> list[dict]:
        return [json.loads(r["body"]) for r in self.requests]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.close()


@pytest.fixture
def manual(settings):
    """Deliveries are sent only when the test says so."""
    settings.ZHIFA_WEBHOOK_MODE = "manual"


@pytest.fixture
def subscriber(command, receiver):  # noqa: F811 (the fixture imported above)
    """The 12345 hotline (its API key belongs to the command centre) wants status callbacks."""
    return Subscriber.objects.create(
        name="12345 热线", organization=command.centre, url=receiver.url, secret=SECRET
    )
