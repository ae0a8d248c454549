"""On the demo district (``load_demo``): the indicators page shows every indicator, each figure's
two drill-downs list exactly the rows it counts and leaves out, and the demo has work for the
assurance pages of each role."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command

from zhifa.indicators.definitions import INDICATORS
from zhifa.organizations.models import User

pytestmark = pytest.mark.django_db


def test_demo_indicators_page_every_indicator_with_its_drilldowns(client):
    call_command("load_demo", stdout=io.StringIO())
    client.force_login(User.objects.get(username="guidance"))
    html = client.get("/indicators/").content.decode()
    rows = {
        key: (int(c), int(p))
        for key, c, p in re.findall(
            r'data-indicator="([a-z_]+)" data-value="[^"]*" data-counted="(\d+)" data-population="(\d+)"',
            html,
        )
    }
    assert set(rows) == {i.key for i in INDICATORS}
    links = html.replace("&amp;", "&")
    for key, (counted, population) in rows.items():
        for part, expected in (("counted", counted), ("missed", population - counted)):
            url = re.search(rf'href="(/indicators/{key}/{part}/\?[^"]+)"', links).group(1)
            page = client.get(url).content.decode()
            assert f'data-total="{expected}"' in page, (key, part)
    # the demo measures the reform: the catalog, the roster, the library, the inspections
    assert rows["comprehensive_share"][1] > 0 and rows["item_coverage"][1] > rows["item_coverage"][0] > 0
    assert rows["staff_township_share"][0] > 0 and rows["joint_visits"][0] > 0
    # and every assurance page has something to show
    for username, url, text in (
        ("shangfang_leader", "/training/", "执法人员培训工作方案"),
        ("shangfang_leader", "/supervision/evaluation/findings/", "待整改"),
        ("supervisor", "/supervision/appraisals/bodies/", "上方镇综合行政执法队"),
        ("supervisor", "/supervision/evaluation/", "年度行政执法评议"),
        ("supervisor", "/supervision/consultations/", "非法采砂"),
        ("guidance", "/training/hours/", "未达应训学时"),
        ("guidance", "/training/support/", "人民法院"),
    ):
        client.force_login(User.objects.get(username=username))
        assert text in client.get(url).content.decode(), (username, url)
