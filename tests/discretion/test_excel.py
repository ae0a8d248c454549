"""Excel import/export of baselines: row/column errors, all-or-nothing, round trip."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from tests.discretion.conftest import DAY, STALL_LEVELS
from zhifa.discretion import excel, services
from zhifa.discretion.models import DiscretionBaseline

pytestmark = pytest.mark.django_db


def _sheet(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = excel.SHEET_NAME
    sheet.append(excel.HEADERS)
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


GOOD = [
    [
        "D1",
        "2026-01-01",
        None,
        None,
        None,
        "轻微",
        "首次违法；及时改正；未造成危害后果",
        "不予罚款",
        None,
        None,
        "否",
        "当场改正",
    ],
    ["D1", "2026-01-01", None, None, None, "一般", "涉案金额0-5000", "固定金额", 50, 200, "否", ""],
    ["D1", "2026-01-01", None, None, None, "较重", "涉案金额5000-", "固定金额", 200, 500, "否", ""],
    ["D1", "2026-01-01", None, None, None, "严重", "再次违法", "固定金额", 500, 1000, "否", ""],
    ["D3", "2026-01-01", "货值倍数", 3, 5, "一般", "", "货值倍数", 3, 5, "否", "滥伐林木"],
]


def test_good_file_creates_drafts(world, items):
    result = excel.import_baselines(world.guidance_user, _sheet(GOOD))
    assert result.ok, result.errors
    stalls = DiscretionBaseline.objects.get(item=items.stalls)
    assert stalls.status == "draft"
    assert [lv.name for lv in stalls.levels.all()] == [lv["name"] for lv in STALL_LEVELS]
    assert stalls.levels.get(order=1).conditions == {
        "first_offence": True,
        "corrected_in_time": True,
        "harm_max": "none",
    }
    assert stalls.levels.get(order=3).conditions == {"amount": {"min": "5000", "max": None}}
    assert DiscretionBaseline.objects.get(item=items.logging).statutory_kind == "value_multiple"


def test_errors_name_row_and_column_and_nothing_is_saved(world, items):
    rows = [list(r) for r in GOOD]
    rows[1][8] = "五十"  # row 3: not a number
    rows[2][6] = "涉案金额6000-"  # row 4: gap 5000–6000
    rows[3][5] = "特别严重"  # row 5: unknown level
    rows.append(["NOPE", "2026-01-01", None, None, None, "一般", "", "固定金额", 0, 10, "否", ""])  # row 7
    result = excel.import_baselines(world.guidance_user, _sheet(rows))
    got = {(e["row"], e["column"], e["code"]) for e in result.errors}
    assert (3, "幅度下限", "not_a_number") in got
    assert (5, "情节", "unknown_level") in got
    assert (7, "事项编码", "item_not_found") in got
    assert all(e["message"] for e in result.errors)
    assert DiscretionBaseline.objects.count() == 0
    # With the parse errors fixed, the validation errors of the rules name their row too.
    rows = [list(r) for r in GOOD]
    rows[2][6] = "涉案金额6000-"
    rows[3][9] = 5000
    result = excel.import_baselines(world.guidance_user, _sheet(rows))
    got = {(e["row"], e["column"], e["code"]) for e in result.errors}
    assert (4, "认定条件", "levels_gap") in got
    assert (5, "幅度上限", "range_above_statute") in got
    assert DiscretionBaseline.objects.count() == 0


def test_not_an_excel_file(world, items):
    result = excel.import_baselines(world.guidance_user, b"not a zip")
    assert [e["code"] for e in result.errors] == ["not_xlsx"]


def test_round_trip(world, items):
    services.create_baseline(
        world.guidance_user, items.stalls, {"effective_from": DAY, "levels": STALL_LEVELS}
    )
    data = excel.export_workbook(DiscretionBaseline.objects.prefetch_related("levels").select_related("item"))
    groups, errors = excel.parse_workbook(data)
    assert errors == []
    assert [g.code for g in groups] == ["D1"]
    assert [lv["name"] for lv in groups[0].data["levels"]] == ["minor", "ordinary", "serious", "grave"]
    assert excel.import_baselines(world.guidance_user, data).ok
    assert DiscretionBaseline.objects.filter(item=items.stalls).count() == 2
