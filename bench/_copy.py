"""Bulk-loading helpers of the data generator: COPY through psycopg 3 with the column list taken
from the Django model, so a column added later with a default (or nullable) needs no change here.

``Table(Model, given)``: the caller supplies values for the ``given`` attribute names, in that
order; every other concrete column gets its model default (or NULL / "" / now) once, appended
to each row. JSON values are passed as JSON text.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
from collections.abc import Iterable

from django.db import connection, models
from psycopg import sql

NOW = dt.datetime.now(dt.UTC)


class Progress:
    """A one-line progress bar on stderr (updated at most five times a second)."""

    def __init__(self, label: str, total: int, stream=None):
        # Looked up now, not at import: the stream may have been replaced since (pytest's capture).
        self.label, self.total, self.done, self.stream = label, max(total, 1), 0, stream or sys.stderr
        self.started = self.shown = time.perf_counter()
        self.interactive = self.stream.isatty()

    def update(self, n: int = 1) -> None:
        self.done += n
        now = time.perf_counter()
        if self.interactive and now - self.shown > 0.2:
            self.shown = now
            self._show(now)

    def _show(self, now: float, end: str = "") -> None:
        share = min(self.done / self.total, 1.0)
        bar = "#" * int(share * 30)
        rate = self.done / max(now - self.started, 1e-9)
        self.stream.write(
            f"\r  {self.label:<28} [{bar:<30}] {share:6.1%} {self.done:>11,} rows {rate:>10,.0f}/s{end}"
        )
        self.stream.flush()

    def close(self) -> float:
        now = time.perf_counter()
        self._show(now, end="\n")
        return now - self.started


def _column_default(field: models.Field):
    if field.has_default():
        value = field.get_default()
    elif field.null:
        value = None
    elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        value = NOW
    elif isinstance(field, models.CharField | models.TextField | models.FileField):
        value = ""
    else:
        raise ValueError(f"{field.model.__name__}.{field.name}: no default; the generator must give it")
    if isinstance(field, models.JSONField) and value is not None:
        value = json.dumps(value, ensure_ascii=False)
    return value


class Table:
    def __init__(self, model: type[models.Model], given: list[str]):
        self.model = model
        self.name = model._meta.db_table
        fields = {f.attname: f for f in model._meta.concrete_fields}
        unknown = [g for g in given if g not in fields]
        if unknown:
            raise ValueError(f"{model.__name__}: unknown columns {unknown}")
        rest = [f for name, f in fields.items() if name not in given]
        self.columns = [fields[g].column for g in given] + [f.column for f in rest]
        self.defaults = tuple(_column_default(f) for f in rest)

    def next_id(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                sql.SQL("SELECT COALESCE(MAX(id), 0) + 1 FROM {}")
                .format(sql.Identifier(self.name))
                .as_string()
            )
            return cursor.fetchone()[0]

    def copy(self, rows: Iterable[tuple], progress: Progress | None = None) -> int:
        """COPY ``rows`` (tuples of the given columns) into the table; returns the row count."""
        statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
            sql.Identifier(self.name), sql.SQL(", ").join(map(sql.Identifier, self.columns))
        )
        defaults, count = self.defaults, 0
        with connection.cursor() as wrapper:
            raw = wrapper.cursor  # the psycopg cursor under Django's wrapper
            with raw.copy(statement) as copy:
                for row in rows:
                    copy.write_row(row + defaults)
                    count += 1
                    if progress is not None and count % 5000 == 0:
                        progress.update(5000)
        if progress is not None:
            progress.update(count % 5000)
        self.reset_sequence()
        return count

    def reset_sequence(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                sql.SQL(
                    "SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT COALESCE(MAX(id), 1) FROM {}))"
                )
                .format(sql.Identifier(self.name))
                .as_string(),
                [self.name],
            )


def through(model: type[models.Model], field: str) -> type[models.Model]:
    return model._meta.get_field(field).remote_field.through
