"""The pagination of every API list: 50 a page, ``{"items": [...], "count": N, "count_exact": true}``."""

from typing import Any

from django.db.models import QuerySet
from ninja import Field
from ninja.pagination import PageNumberPagination

from zhifa.core.schema import Schema
from zhifa.core.sql import capped_count

#: Pages beyond this are refused (422) rather than asked of the database: no list is that long, and
#: an offset past PostgreSQL's bigint range would be an error, not an empty page.
MAX_PAGE = 1_000_000
MAX_PAGE_SIZE = 100  # a larger page_size is served as this many rows


class Pagination(PageNumberPagination):
    """Page-number pagination whose count is exact up to ``core.sql.COUNT_CAP`` rows and an
    estimate beyond (``count_exact`` false), so a province-wide list does not count 500,000 rows
    for every page."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1)

    class Output(Schema):
        items: list[Any]
        count: int = Field(description="rows in the list; an estimate when count_exact is false")
        count_exact: bool = Field(
            description="false when the list has over 10,000 rows and count is estimated"
        )

    def __init__(self, page_size: int = 50, max_page_size: int = MAX_PAGE_SIZE, **kwargs: Any) -> None:
        super().__init__(page_size=page_size, max_page_size=max_page_size, **kwargs)

    def paginate_queryset(self, queryset: QuerySet, pagination: "Pagination.Input", request, **params: Any):
        page_size = self._get_page_size(pagination.page_size)
        offset = (pagination.page - 1) * page_size
        count, exact = capped_count(queryset) if isinstance(queryset, QuerySet) else (len(queryset), True)
        return {"items": queryset[offset : offset + page_size], "count": count, "count_exact": exact}
