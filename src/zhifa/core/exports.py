"""Every list page can be downloaded as .xlsx (``?format=xlsx``). One place builds the workbook and
the response, so headers, file names and streaming behave the same on every page."""

import io
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

#: A download larger than this is cut (and says so in its last row) rather than exhausting memory.
MAX_EXPORT_ROWS = 100_000


def wants_xlsx(request) -> bool:
    return request.GET.get("format") == "xlsx"


def _cell(value: Any) -> Any:
    """openpyxl takes numbers, dates and text; anything else (enums, Decimals as-is, None) is made safe."""
    if value is None:
        return ""
    if isinstance(value, (int, float, str)):
        # A leading "=" would be read as a formula by spreadsheet programs (CSV/formula injection).
        return (
            "'" + value
            if isinstance(value, str) and value[:1] in ("=", "+", "-", "@") and len(value) > 1
            else value
        )
    if hasattr(value, "tzinfo") and getattr(value, "tzinfo", None) is not None:
        from django.utils import timezone

        return timezone.localtime(value).replace(tzinfo=None)
    if hasattr(value, "isoformat"):
        return value
    return str(value)


def workbook_bytes(
    title: str, header: Sequence[str], rows: Iterable[Sequence[Any]], *, max_rows: int = MAX_EXPORT_ROWS
) -> bytes:
    """A one-sheet workbook: the title on the first row, the header on the second, then the rows."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=(title or "sheet")[:31].replace("/", "-"))
    sheet.append([title])
    sheet.append(list(header))
    for count, row in enumerate(rows, start=1):
        if count > max_rows:
            sheet.append([f"仅导出前{max_rows}行，请缩小筛选范围"])
            break
        sheet.append([_cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(
    filename: str, title: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> HttpResponse:
    """``filename`` without extension, may be Chinese (sent RFC 5987-encoded)."""
    response = HttpResponse(workbook_bytes(title, header, rows), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename + '.xlsx')}"
    return response
