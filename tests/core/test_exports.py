import datetime as dt
import io
from decimal import Decimal

from openpyxl import load_workbook

from zhifa.core.exports import workbook_bytes, xlsx_response


def _rows(data: bytes):
    return [list(r) for r in load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True)]


def test_workbook_has_title_header_and_rows():
    rows = _rows(
        workbook_bytes("案件", ["编号", "罚款", "日期"], [["A1", Decimal("200.50"), dt.date(2026, 3, 1)]])
    )
    assert rows[0][0] == "案件"
    assert rows[1] == ["编号", "罚款", "日期"]
    assert rows[2][0] == "A1" and rows[2][1] == "200.50"
    assert rows[2][2].date() == dt.date(2026, 3, 1)


def test_formula_like_text_is_not_a_formula():
    rows = _rows(workbook_bytes("t", ["x"], [["=1+1"], ["-"]]))
    assert rows[2][0] == "'=1+1"
    assert rows[3][0] == "-"


def test_export_is_cut_at_the_limit_and_says_so():
    rows = _rows(workbook_bytes("t", ["n"], ([i] for i in range(10)), max_rows=3))
    assert [r[0] for r in rows[2:5]] == [0, 1, 2]
    assert "仅导出前3行" in rows[5][0]


def test_response_names_the_file_in_utf8():
    response = xlsx_response("案件清单", "案件", ["编号"], [["A1"]])
    assert response["Content-Disposition"].endswith("%E6%A1%88%E4%BB%B6%E6%B8%85%E5%8D%95.xlsx")
    assert response.content[:2] == b"PK"
