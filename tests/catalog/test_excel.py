"""Excel import/export of the catalog: round trip, row errors named by row and column, and the
database import (dry run writes nothing; a bad file writes nothing; a good file writes all).

The database tests run against PostgreSQL::

    DATABASE_URL=postgres://postgres@127.0.0.1:55432/zhifa_excel .venv/bin/python -m pytest tests/catalog/test_excel.py -q
"""

from __future__ import annotations

import copy
import io
from types import SimpleNamespace

import pytest
from openpyxl import Workbook, load_workbook

from tests.conftest import new_user
from zhifa.catalog import excel, services
from zhifa.catalog.demo_items import DOMAINS, ITEMS, REGULATORS
from zhifa.catalog.models import ChecklistEntry, Domain, EnforcementItem, ItemHistory, LegalBasis
from zhifa.core.errors import PermissionDenied
from zhifa.core.models import AuditEvent
from zhifa.organizations.models import Organization, User

GOOD = ITEMS[0]  # 330201001000, a township (base library) penalty of 城乡规划


def _sheet(rows: list[list], header: list[str] | None = None, title: str = excel.SHEET_NAME) -> bytes:
    """An .xlsx with ``header`` (default: the template's) and raw rows, as a user might type it."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    sheet.append(header if header is not None else excel.HEADERS)
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _row(item: dict = GOOD, **cells) -> list:
    """The template row of ``item`` with some cells (named by header) replaced."""
    values = excel.export_row(item)[: len(excel.HEADERS)]
    for header, value in cells.items():
        values[excel.HEADERS.index(header)] = value
    return values


def _codes(errors: list[dict]) -> set[tuple]:
    return {(e["row"], e["column"], e["code"]) for e in errors}


# ---------------------------------------------------------------------------------------------
# Without a database
# ---------------------------------------------------------------------------------------------


def test_round_trip_of_the_demo_catalog_gives_the_same_data():
    data = excel.export_workbook(ITEMS)
    rows, errors = excel.parse_workbook(data)
    assert errors == []
    assert rows == ITEMS


def test_export_is_the_provincial_layout():
    workbook = load_workbook(io.BytesIO(excel.export_workbook(ITEMS[:3])), read_only=True)
    assert workbook.sheetnames == ["执法事项"]
    header, first = list(workbook["执法事项"].iter_rows(values_only=True, max_row=2))
    assert list(header[:17]) == [
        "事项编码",
        "事项名称",
        "事项类型",
        "执法领域",
        "实施依据",
        "处罚种类",
        "罚款下限",
        "罚款上限",
        "罚款说明",
        "监管主体",
        "执法主体类别",
        "高频",
        "高需求",
        "高综合",
        "重点监管",
        "乡镇库",
        "关键词",
    ]
    assert first[:6] == (
        "330201001000",
        GOOD["name"],
        "行政处罚",
        "城乡规划",
        "《中华人民共和国城乡规划法》第六十四条",
        "罚款、没收非法财物、没收违法所得、其他行政处罚",
    )
    assert first[10:16] == ("乡镇执法", "是", "是", "是", "否", "基础库")


def test_the_template_columns_alone_are_enough():
    """A file with only the 17 template columns imports; texts and checklists are then empty."""
    inspection = next(i for i in ITEMS if i["kind"] == "inspection")
    rows, errors = excel.parse_workbook(_sheet([_row(GOOD), _row(inspection)]))
    assert errors == []
    assert rows[0] == {**GOOD, "legal_bases": [{**b, "text": ""} for b in GOOD["legal_bases"]]}
    assert rows[1]["checklist"] == []


def test_several_bases_clauses_and_labels_are_read():
    rows, errors = excel.parse_workbook(
        _sheet(
            [
                _row(
                    实施依据="《城市道路管理条例》第二十七条第一项；《城市道路管理条例》第四十二条",
                    处罚种类="警告、罚款、法律、行政法规规定的其他行政处罚",
                    罚款下限="1,000",
                    罚款上限=20000.0,
                    执法主体类别="乡镇（街道）",
                    乡镇库="基础库",
                    高频="否",
                )
            ]
        )
    )
    assert errors == []
    row = rows[0]
    assert [(b["law"], b["article"], b["clause"]) for b in row["legal_bases"]] == [
        ("城市道路管理条例", "第二十七条", "第一项"),
        ("城市道路管理条例", "第四十二条", ""),
    ]
    assert row["penalty_types"] == ["warning", "fine", "other"]
    assert (row["fine_min"], row["fine_max"]) == ("1000", "20000")
    assert (row["enforcing_body"], row["township_library"], row["high_frequency"]) == (
        "township",
        "base",
        False,
    )


def test_bad_rows_are_reported_by_row_and_column():
    data = _sheet(
        [
            _row(),  # 2 good
            _row(事项编码="330201001001", 事项名称=None),  # 3 missing name
            _row(事项编码="330201001002", 事项类型="行政许可"),  # 4 unknown kind
            _row(事项编码="330201001003", 执法领域="外太空管理"),  # 5 unknown domain
            _row(事项编码="330201001004", 实施依据="城乡规划法64条"),  # 6 unparseable basis
            _row(事项编码="330201001005", 罚款下限="五百元"),  # 7 not a number
            _row(事项编码="330201001006", 罚款下限=-100),  # 8 negative
            _row(事项编码="330201001007", 罚款下限=5000, 罚款上限=500),  # 9 min > max
            _row(),  # 10 duplicate of row 2
            [None] * len(excel.HEADERS),  # 11 blank: skipped
            _row(事项编码="330201001008", 高频="可能"),  # 12 not 是/否
            _row(事项编码="330201001009", 执法主体类别="外包"),  # 13 unknown body
        ]
    )
    rows, errors = excel.parse_workbook(data)
    assert [r["code"] for r in rows] == ["330201001000"]
    assert _codes(errors) == {
        (3, "事项名称", "required"),
        (4, "事项类型", "unknown_kind"),
        (5, "执法领域", "unknown_domain"),
        (6, "实施依据", "bad_legal_basis"),
        (7, "罚款下限", "not_a_number"),
        (8, "罚款下限", "negative_amount"),
        (9, "罚款上限", "min_greater_than_max"),
        (10, "事项编码", "duplicate_code"),
        (12, "高频", "bad_flag"),
        (13, "执法主体类别", "unknown_body"),
    }
    assert all(e["message"] for e in errors)
    assert "第 2 行" in next(e for e in errors if e["code"] == "duplicate_code")["message"]


def test_a_row_with_several_errors_reports_each():
    _, errors = excel.parse_workbook(_sheet([_row(事项名称="", 执法领域="", 罚款上限="很多", 乡镇库="全部")]))
    assert _codes(errors) == {
        (2, "事项名称", "required"),
        (2, "执法领域", "required"),
        (2, "罚款上限", "not_a_number"),
        (2, "乡镇库", "unknown_library"),
    }


def test_township_items_must_be_in_a_township_library():
    _, errors = excel.parse_workbook(_sheet([_row(执法主体类别="乡镇执法", 乡镇库="无")]))
    assert _codes(errors) == {(2, "乡镇库", "township_library_required")}


def test_a_wrong_header_is_reported_on_row_1():
    header = [h for h in excel.HEADERS if h != "实施依据"] + ["备注"]
    rows, errors = excel.parse_workbook(_sheet([_row()[:16]], header=header))
    assert rows == []
    assert _codes(errors) == {(1, "实施依据", "missing_header"), (1, "备注", "unknown_header")}


def test_a_file_that_is_not_xlsx_is_reported():
    rows, errors = excel.parse_workbook(b"name,code\n")
    assert rows == [] and [e["code"] for e in errors] == ["not_xlsx"]


def test_a_workbook_without_the_sheet_is_reported():
    workbook = Workbook()
    workbook.active.title = "Sheet1"
    workbook.create_sheet("说明")
    buffer = io.BytesIO()
    workbook.save(buffer)
    _, errors = excel.parse_workbook(buffer.getvalue())
    assert [e["code"] for e in errors] == ["missing_sheet"]


# ---------------------------------------------------------------------------------------------
# Into the database
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def district(world):
    """The demo domains, one organisation per demo regulator name, and a catalog manager."""
    for n, (code, name) in enumerate(DOMAINS, 1):
        Domain.objects.create(code=code, name=name, sort_order=n)
    for name in REGULATORS:
        Organization.objects.create(
            name=name, kind=Organization.Kind.REGULATOR_DEPARTMENT, region=world.district, parent=world.root
        )
    return SimpleNamespace(
        manager=world.guidance_user, officer=new_user("plain", world.bureau, User.Role.OFFICER)
    )


def _nothing_written(audit_before: int) -> bool:
    return (
        not EnforcementItem.objects.exists()
        and not LegalBasis.objects.exists()
        and not ItemHistory.objects.exists()
        and AuditEvent.objects.count() == audit_before
    )


@pytest.mark.django_db
def test_dry_run_lists_what_would_happen_and_writes_nothing(district):
    audit_before = AuditEvent.objects.count()
    result = excel.import_items(district.manager, excel.export_workbook(ITEMS), dry_run=True)
    assert result.ok and result.dry_run
    assert (result.created, result.updated) == (len(ITEMS), 0)
    assert _nothing_written(audit_before)


@pytest.mark.django_db
def test_a_good_file_creates_every_row(district):
    result = excel.import_items(district.manager, excel.export_workbook(ITEMS), dry_run=False)
    assert result.ok, result.errors[:3]
    assert (result.created, result.updated) == (len(ITEMS), 0)
    assert EnforcementItem.objects.count() == len(ITEMS)
    assert LegalBasis.objects.count() == sum(len(i["legal_bases"]) for i in ITEMS)
    assert ChecklistEntry.objects.count() == sum(len(i.get("checklist", [])) for i in ITEMS)
    item = EnforcementItem.objects.select_related("domain", "regulator").get(code=GOOD["code"])
    assert item.domain.name == "城乡规划" and item.regulator.name == GOOD["regulator"]
    assert item.legal_bases.get().text == GOOD["legal_bases"][0]["text"]
    # The same file again changes nothing.
    again = excel.import_items(district.manager, excel.export_workbook(ITEMS), dry_run=False)
    assert (again.created, again.updated, again.unchanged) == (0, 0, len(ITEMS))


@pytest.mark.django_db
def test_what_the_database_holds_exports_back_to_the_same_rows(district):
    assert excel.import_items(district.manager, excel.export_workbook(ITEMS), dry_run=False).ok
    items = (
        EnforcementItem.objects.select_related("domain", "regulator")
        .prefetch_related("legal_bases", "checklist")
        .order_by("code")
    )
    rows, errors = excel.parse_workbook(excel.export_workbook(services.item_content(i) for i in items))
    assert errors == []
    assert rows == sorted(ITEMS, key=lambda i: i["code"])


@pytest.mark.django_db
def test_a_bad_file_writes_nothing_and_lists_every_error(district):
    unknown_regulator = {**copy.deepcopy(ITEMS[1]), "regulator": "衢江区不存在局"}
    data = _sheet(
        [
            _row(ITEMS[0]),  # 2 good
            [None] * len(excel.HEADERS),  # 3 blank
            _row(unknown_regulator),  # 4 regulator not in the database
            _row(ITEMS[2], 实施依据="见城乡规划法"),  # 5 unparseable basis
            _row(ITEMS[3]),  # 6 good
        ]
    )
    audit_before = AuditEvent.objects.count()
    for dry_run in (True, False):
        result = excel.import_items(district.manager, data, dry_run=dry_run)
        assert not result.ok
        assert _codes(result.errors) == {
            (4, "监管主体", "regulator_not_found"),
            (5, "实施依据", "bad_legal_basis"),
        }
        assert (result.created, result.updated) == (0, 0)
        assert _nothing_written(audit_before)


@pytest.mark.django_db
def test_a_domain_known_only_to_the_database_is_accepted(district):
    Domain.objects.create(code="99", name="气象")
    rows = [{**copy.deepcopy(GOOD), "domain": "气象"}]
    result = excel.import_items(district.manager, excel.export_workbook(rows), dry_run=False)
    assert result.ok and result.created == 1


@pytest.mark.django_db
def test_the_commit_is_all_or_nothing(district, monkeypatch):
    """A failure at the last step of the write (after the items, bases and history rows are in)
    leaves nothing behind."""
    from zhifa.core import audit

    def failing_audit(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(audit, "record_many", failing_audit)
    audit_before = AuditEvent.objects.count()
    with pytest.raises(RuntimeError):
        excel.import_items(district.manager, excel.export_workbook(ITEMS[:5]), dry_run=False)
    assert _nothing_written(audit_before)


@pytest.mark.django_db
def test_an_update_failing_midway_leaves_nothing(district, monkeypatch):
    """Updates are written item by item; a failure on the 3rd undoes the first two."""
    assert excel.import_items(district.manager, excel.export_workbook(ITEMS[:5]), dry_run=False).ok
    real_write, calls = services._write_item, []

    def failing_write(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return real_write(*args, **kwargs)

    monkeypatch.setattr(services, "_write_item", failing_write)
    audit_before = AuditEvent.objects.count()
    changed = [dict(item, fine_note="新的说明") for item in ITEMS[:5]]
    with pytest.raises(RuntimeError):
        excel.import_items(district.manager, excel.export_workbook(changed), dry_run=False)
    assert AuditEvent.objects.count() == audit_before
    assert not EnforcementItem.objects.filter(fine_note="新的说明").exists()


@pytest.mark.django_db
def test_updates_are_counted(district):
    assert excel.import_items(district.manager, excel.export_workbook(ITEMS[:3]), dry_run=False).ok
    changed = [dict(ITEMS[0], fine_note="新的说明"), *ITEMS[1:3], ITEMS[3]]
    preview = excel.import_items(district.manager, excel.export_workbook(changed), dry_run=True)
    assert preview.ok and preview.created == 1
    result = excel.import_items(district.manager, excel.export_workbook(changed), dry_run=False)
    assert (result.created, result.updated, result.unchanged) == (1, 1, 2)
    assert EnforcementItem.objects.get(code=ITEMS[0]["code"]).fine_note == "新的说明"


@pytest.mark.django_db
def test_only_catalog_managers_import(district):
    with pytest.raises(PermissionDenied):
        excel.import_items(district.officer, excel.export_workbook(ITEMS[:2]), dry_run=True)
    assert not EnforcementItem.objects.exists()
