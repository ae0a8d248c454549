"""The cockpit page, drill-downs, exports, the PDF and the JSON endpoint; the figures against the
demo district."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.cockpit.conftest import add_case, add_incident
from tests.cockpit.test_selectors import _all_counts_agree
from zhifa.cockpit import selectors
from zhifa.core.scopes import Scope
from zhifa.organizations.models import User

#: The keys the browser journey reads (issue 9 contract).
CONTRACT = (
    "incidents_total",
    "incidents_closed",
    "incidents_on_time",
    "cases_total",
    "cases_decided",
    "alerts_raised",
    "alerts_closed",
)


def figures_of(html: str) -> dict[str, str]:
    return dict(re.findall(r'data-figure="([a-z_0-9]+)" data-value="([^"]*)"', html))


@pytest.fixture
def command(world):
    return User.objects.create_user(
        "cockpit_command", password="x", organization=world.root, role="command_center"
    )


def test_page_shows_every_figure_with_its_value(client, world, command):
    add_incident(world.shangfang, world.team_a, state="closed")
    client.force_login(command)
    response = client.get(reverse("cockpit:index"))
    assert response.status_code == 200
    html = response.content.decode()
    shown = figures_of(html)
    assert set(CONTRACT) <= set(shown)
    counts = selectors.counts(Scope(everything=True))
    for key in CONTRACT:
        assert int(shown[key]) == counts[key], key
    assert shown["incidents_total"] == "1" and shown["incidents_closed"] == "1"
    # no case decided yet: the online share is "—", neither met nor missed
    assert (
        shown["cases_online_share"] == ""
        and selectors.indicators(Scope(everything=True)).figures["cases_online_share"].meets_goal is None
    )
    assert "zhifa/vendor/echarts.min.js" in html and "cdn" not in html.lower()
    assert 'id="cockpit-data"' in html


def test_figures_change_after_a_write_once_refreshed(client, world, command):
    """The page shows its scope's snapshot, stamped with its time; 刷新 recomputes it at once."""
    client.force_login(command)
    html = client.get("/cockpit/").content.decode()
    assert "数据时间" in html and "每60秒自动刷新" in html and 'action="/cockpit/refresh/"' in html
    before = figures_of(html)
    add_incident(world.xiachuan, world.team_b)
    add_case(world.team_b, world.xiachuan, state="decided")
    assert figures_of(client.get("/cockpit/").content.decode()) == before  # a snapshot, not live
    response = client.post("/cockpit/refresh/")
    assert response.status_code == 302 and response["Location"] == "/cockpit/"
    page = client.get("/cockpit/").content.decode()
    assert "驾驶舱数据已更新" in page
    after = figures_of(page)
    assert int(after["incidents_total"]) == int(before["incidents_total"]) + 1
    assert int(after["cases_decided"]) == int(before["cases_decided"]) + 1


def test_drilldown_page_lists_exactly_the_counted_records_and_exports_them(client, world, command):
    mine = add_incident(world.shangfang, world.team_a)
    other = add_incident(world.xiachuan, world.team_b)
    client.force_login(world.leader_a)
    html = client.get("/cockpit/d/incidents_total/").content.decode()
    assert mine.tracking_code in html and other.tracking_code not in html
    assert 'data-total="1"' in html
    # the page of the other township's leader does not show township A's record
    client.force_login(world.leader_b)
    html = client.get(f"/cockpit/d/incidents_total/?township={world.shangfang.pk}").content.decode()
    assert mine.tracking_code not in html and 'data-total="0"' in html
    client.force_login(command)
    response = client.get("/cockpit/d/incidents_total/?format=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.content)).active
    codes = {row[0] for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert codes == {mine.tracking_code, other.tracking_code}
    assert client.get("/cockpit/d/no_such_key/").status_code == 404


def test_drilldown_pages_through_results(client, world, command):
    for _ in range(55):
        add_incident(world.shangfang, world.team_a)
    client.force_login(command)
    first = client.get("/cockpit/d/incidents_total/").content.decode()
    second = client.get("/cockpit/d/incidents_total/?page=2").content.decode()
    assert first.count('class="drilldown-row"') == 50 and second.count('class="drilldown-row"') == 5


def test_login_required(client, world):
    assert client.get("/cockpit/").status_code == 302
    assert client.get("/cockpit/indicators.pdf").status_code == 302


def test_indicators_pdf_names_every_indicator(client, world, command):
    from pypdf import PdfReader

    client.force_login(command)
    response = client.get(reverse("cockpit:indicators_pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join(page.extract_text() for page in reader.pages)
    text = re.sub(r"\s+", "", text)
    cockpit = selectors.indicators(Scope(everything=True))
    for figure in cockpit.figures.values():
        assert re.sub(r"\s+", "", figure.label) in text, figure.label
    assert "按乡镇（街道）" in text
    fonts = {
        str(font.get("/BaseFont"))
        for page in reader.pages
        for font in (page["/Resources"].get("/Font") or {}).values()
    }
    assert any("CJK" in f for f in fonts)


def test_api_returns_the_same_indicators(client, world, command):
    add_incident(world.shangfang, world.team_a, state="closed")
    client.force_login(world.leader_a)
    data = client.get("/api/v1/cockpit/indicators").json()
    figures = {f["key"]: f for g in data["groups"] for f in g["figures"]}
    page = figures_of(client.get("/cockpit/").content.decode())
    for key, value in page.items():
        expected = figures[key]["value"]
        assert (value == "" and expected is None) or float(value) == float(expected), key
    assert data["scoped"] is True
    counts = client.get("/api/v1/cockpit/counts").json()
    assert counts == selectors.counts(Scope.for_user(world.leader_a))
    client.logout()
    assert client.get("/api/v1/cockpit/indicators").status_code == 401


def test_demo_district_every_figure_equals_its_drilldown(db):
    """On the demo district (load_demo) plus a few cases: every figure, breakdown cell and trend
    cell equals the count of its drill-down; a township leader's cockpit holds only records of
    their township or their own bodies."""
    call_command("load_demo", stdout=io.StringIO())
    leader = User.objects.get(username="shangfang_leader")
    town = leader.organization.region
    command = User.objects.get(username="command")
    add_case(
        leader.organization,
        town,
        state="decided",
        filing_date=timezone.localdate().replace(day=1),
        decision_date=timezone.localdate(),
    )
    add_case(command.organization, town, state="no_penalty")
    district = _all_counts_agree(Scope.for_user(command))
    assert district.figures["incidents_total"].value > 0 and district.figures["visits_saved"].value > 0
    scope = Scope.for_user(leader)
    township = _all_counts_agree(scope)
    assert 0 < township.figures["incidents_total"].value < district.figures["incidents_total"].value
    for incident in selectors.drilldown("incidents_total", scope):
        assert incident.township_id == town.pk or incident.responsible_org.path.startswith(
            leader.organization.path
        )
    assert {name for _, name, _ in township.townships.rows} <= {town.name}
