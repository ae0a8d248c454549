"""No staff list page's query count grows with its rows (DESIGN.md, "Scale"): each main list
page is read with 2 and with 50 rows a page (its view module's ``PAGE_SIZE``) over the demo
district plus the tiny generated dataset, and both must take the same number of queries."""

from __future__ import annotations

import importlib
import sys

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.api.test_query_counts import _load_dataset
from zhifa.organizations.models import User

#: The main staff list pages (cases, the incident queue, inspection records, officers, parties,
#: the catalog) and the view modules whose PAGE_SIZE they page by.
PAGES = [
    ("cases:list", "zhifa.cases.views.pages"),
    ("dispatch:queue", "zhifa.dispatch.views"),
    ("inspections:record_list", "zhifa.inspections.views"),
    ("organizations:officer_list", "zhifa.organizations.views"),
    ("parties:party_list", "zhifa.parties.views"),
    ("catalog:item_list", "zhifa.catalog.views"),
]


def _page(client, url: str):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return (
        len(ctx.captured_queries),
        len(response.context["page"].object_list),
        [q["sql"] for q in ctx.captured_queries],
    )


@pytest.mark.django_db
def test_list_pages_take_as_many_queries_for_50_rows_as_for_2(client, capsys, monkeypatch):
    # bench/_copy binds its progress stream when first imported; another test's import would hand
    # it that test's (closed) captured stderr.
    sys.modules.pop("_copy", None)
    _load_dataset()
    capsys.readouterr()
    user = User.objects.filter(role=User.Role.COMMAND_CENTER).order_by("pk").first()
    client.force_login(user)
    failures = []
    for name, module in PAGES:
        url, views = reverse(name), importlib.import_module(module)
        monkeypatch.setattr(views, "PAGE_SIZE", 2)
        _page(client, url)  # warm caches (content types, navigation…) once
        small, small_rows, _ = _page(client, url)
        monkeypatch.setattr(views, "PAGE_SIZE", 50)
        large, large_rows, sql = _page(client, url)
        # The comparison means something only when the large page really holds more rows.
        assert small_rows == 2 and large_rows > 2, (name, small_rows, large_rows)
        if small != large:
            failures.append(
                f"{name}: {small} queries for {small_rows} rows, {large} for {large_rows}\n  "
                + "\n  ".join(sql[:15])
            )
    assert not failures, "\n".join(failures)
