"""List pages share one set of tools through base.html and the shared includes: page numbers,
total, page size, sorting by column, filters kept in the address — without touching the views."""

from __future__ import annotations

import json
import re
from pathlib import Path

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import new_officer

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
SRC = Path(__file__).resolve().parents[2] / "src" / "zhifa"


def _names(html: str) -> list[str]:
    return re.findall(r'<a href="/org/officers/\d+/">([^<]+)</a>', html)


def _get(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def _crowd(world, n=7):
    for i in range(n):
        new_officer(world.team_a, name=f"队员{chr(0x4E00 + i)}")


def test_page_numbers_total_and_page_size(client, world):
    _crowd(world, 25)
    client.force_login(world.guidance_user, backend=MODEL_BACKEND)
    html = _get(client, "/org/officers/", per_page=20, certificate="valid")
    assert "共 <strong>28</strong> 条，第 1 / 2 页" in html
    assert len(_names(html)) == 20
    assert 'href="?per_page=20&amp;certificate=valid&amp;page=2"' in html  # the filters stay in the address
    assert re.search(r'<option value="20" selected>20</option>', html)
    html = _get(client, "/org/officers/", per_page=20, certificate="valid", page=2)
    assert len(_names(html)) == 8


def test_an_unknown_page_size_falls_back_to_the_views(client, world):
    _crowd(world, 3)
    client.force_login(world.guidance_user, backend=MODEL_BACKEND)
    assert len(_names(_get(client, "/org/officers/", per_page=7))) == 6
    assert len(_names(_get(client, "/org/officers/", per_page="lots"))) == 6


def test_sorting_by_a_column(client, world):
    _crowd(world, 3)
    client.force_login(world.guidance_user, backend=MODEL_BACKEND)
    ascending = _names(_get(client, "/org/officers/", sort="name"))
    assert ascending == sorted(ascending)
    descending = _names(_get(client, "/org/officers/", sort="-name"))
    assert descending == list(reversed(ascending))
    html = _get(client, "/org/officers/", sort="name")
    spec = json.loads(
        re.search(r'<script id="zhifa-sortable" type="application/json">(.*?)</script>', html).group(1)
    )
    assert (
        spec["sort"] == "name"
        and spec["columns"]["姓名"] == "name"
        and spec["columns"]["工号"] == "employee_no"
    )


def test_an_unknown_sort_is_ignored(client, world):
    client.force_login(world.guidance_user, backend=MODEL_BACKEND)
    default = _names(_get(client, "/org/officers/"))
    assert _names(_get(client, "/org/officers/", sort="password")) == default
    assert _names(_get(client, "/org/officers/", sort="organization__users__password")) == default


def test_the_filter_card_keeps_the_sort_and_page_size(client, world):
    client.force_login(world.guidance_user, backend=MODEL_BACKEND)
    html = _get(client, "/org/officers/", sort="-name", per_page=100, q="甲")
    card = re.search(r'<form method="get" class="card filters">.*?</form>', html, re.S).group(0)
    assert '<input type="hidden" name="sort" value="-name">' in card
    assert '<input type="hidden" name="per_page" value="100">' in card
    assert 'name="q"' in card
    assert (
        'href="?sort=-name&amp;per_page=100&amp;q=%E7%94%B2&amp;format=xlsx"' in html
    )  # the export keeps them too


def test_the_view_page_is_untouched_without_sort_or_page_size(client, world):
    """No extra query for a list opened as the view made it, nor for a sorted one."""
    _crowd(world, 3)
    client.force_login(world.guidance_user, backend=MODEL_BACKEND)
    _get(client, "/org/officers/")

    def count(**params):
        with CaptureQueriesContext(connection) as ctx:
            _get(client, "/org/officers/", **params)
        return len(ctx.captured_queries)

    plain = count()
    assert count(sort="name") == plain and count(per_page=20) == plain


def test_no_template_comment_spans_lines():
    """Django's {# #} comment ends at the line end: a comment over several lines is printed on the
    page (it showed on every list page). Use {% comment %} for those."""
    offenders = []
    for path in SRC.rglob("*.html"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if "{#" in line and "#}" not in line[line.index("{#") :]:
                offenders.append(f"{path.relative_to(SRC)}:{number}")
    assert offenders == []


def test_list_pages_show_no_template_text(client, world):
    client.force_login(world.guidance_user, backend=MODEL_BACKEND)
    for url in (
        "/org/officers/",
        "/cases/",
        "/dispatch/",
        "/parties/",
        "/catalog/",
        "/supervision/alerts/",
        "/inspections/records/",
        "/inspections/plans/",
        "/inspections/visits/",
        "/discretion/",
    ):
        html = _get(client, url)
        assert "{#" not in html and "{%" not in html and "{{" not in html, url
