"""No list endpoint's query count grows with its page size (DESIGN.md, "Scale"): each list is
read with ``page_size=2`` and ``page_size=50`` over the demo district plus the tiny generated
dataset, and both must take the same number of SQL queries."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhifa.organizations.models import User

ROOT = Path(__file__).resolve().parents[2]

#: Every paginated list of the API (``/api/v1/...``) with the filters a client typically sends.
LIST_ENDPOINTS = [
    "/api/v1/cases",
    "/api/v1/cases?state=closed",
    "/api/v1/catalog/items",
    "/api/v1/catalog/items?list=inspection",
    "/api/v1/discretion/baselines",
    "/api/v1/discretion/lists",
    "/api/v1/dispatch/incidents",
    "/api/v1/dispatch/incidents?overdue=true",
    "/api/v1/inspections/plans",
    "/api/v1/inspections/visits",
    "/api/v1/inspections/records",
    "/api/v1/officers",
    "/api/v1/officers?certificate=expired",
    "/api/v1/parties",
    "/api/v1/parties?risk_color=red",
]

#: Lists answered whole (no pagination): their query count must stay a small constant while they
#: return far more rows than that.
WHOLE_LISTS = ["/api/v1/regions", "/api/v1/organizations"]
MAX_QUERIES_OF_A_WHOLE_LIST = 6


def _load_dataset():
    sys.path.insert(0, str(ROOT / "bench"))
    spec = importlib.util.spec_from_file_location("bench_generate_qc", ROOT / "bench" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    assert module.main(["--scale", "tiny", "--seed", "11"]) == 0


def _queries(client, url: str, page_size: int) -> tuple[int, int, list[str]]:
    sep = "&" if "?" in url else "?"
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(f"{url}{sep}page_size={page_size}")
    assert response.status_code == 200, (url, response.content[:300])
    body = response.json()
    rows = len(body["items"]) if isinstance(body, dict) else len(body)
    return len(ctx.captured_queries), rows, [q["sql"] for q in ctx.captured_queries]


@pytest.mark.django_db
def test_list_endpoints_take_as_many_queries_for_50_rows_as_for_2(client, capsys):
    _load_dataset()
    capsys.readouterr()
    user = User.objects.filter(role=User.Role.COMMAND_CENTER).order_by("pk").first()
    client.force_login(user)
    failures = []
    for url in LIST_ENDPOINTS:
        _queries(client, url, 2)  # warm caches (content types, routing indexes…) once
        small, small_rows, _ = _queries(client, url, 2)
        large, large_rows, sql = _queries(client, url, 50)
        # The comparison means something only when the large page really holds more rows.
        assert small_rows == 2 and large_rows > 2, (url, small_rows, large_rows)
        if small != large:
            failures.append(
                f"{url}: {small} queries for {small_rows} rows, {large} for {large_rows}\n  "
                + "\n  ".join(sql[:12])
            )
    for url in WHOLE_LISTS:
        count, rows, sql = _queries(client, url, 50)
        assert rows > 3 * MAX_QUERIES_OF_A_WHOLE_LIST, (url, rows)
        if count > MAX_QUERIES_OF_A_WHOLE_LIST:
            failures.append(f"{url}: {count} queries for {rows} rows\n  " + "\n  ".join(sql[:12]))
    assert not failures, "\n".join(failures)
