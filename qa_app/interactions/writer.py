"""Writing an import's checked rows: in batches, as the driver's own tuples, never twice.

An import's time goes per row, so the rows skip what SQLAlchemy does for each row of a
statement: a batch is one ``executemany`` of plain tuples through the driver (sqlite3, or
psycopg, which pipelines it), each value passed once through its column type's own converter.
The unique index on ``external_id`` decides which rows are new (an import running at the same
time cannot double a row); only a batch that did not store every row asks which were there
before, and whether an earlier batch of the same file had them.
"""

from __future__ import annotations

from collections.abc import Iterable
from operator import itemgetter
from typing import Any, Protocol

import sqlalchemy as sa
from flask_babel import gettext as _

from ..bulk import DriverInsert
from ..extensions import db
from .models import ImportBatch, Interaction
from .validation import ROW_KEYS, Problem

BATCH_ROWS = 1000
BATCH_CHARS = 8 * 1024 * 1024  # long transcripts: write the batch early to keep memory flat
# The checked values, then the batch, the row of the file and the time of the import.
KEYS = (*ROW_KEYS, "import_batch_id", "import_row", "created_at")


class Report(Protocol):
    """The part of the import's report the writer fills in."""

    rows_added: int
    rows_skipped: int

    def add(self, row: int, problems: Iterable[Problem]) -> None: ...


def _same_as(first_row: int) -> Problem:
    return ("external_id", _("the same external_id is on row %(row)d", row=first_row))


class Writer:
    """Checked rows, written in batches; those already in the database are not written again."""

    def __init__(self, batch: ImportBatch, report: Report) -> None:
        self.batch, self.report = batch, report
        self.batch_id = batch.id  # read once: an attribute of a mapped object costs per row
        self.pick = itemgetter(*ROW_KEYS)
        self.rows: dict[str, tuple[Any, ...]] = {}  # by external_id, ready for the driver
        self.size = 0
        self.accepted = 0  # checked rows that are not a repeat within the file
        connection = db.session.connection()
        self.connection = connection
        self.insert = DriverInsert(connection, Interaction.__table__, KEYS, "external_id")
        converters = self.insert.converters
        self.converters = [(n, c) for n, c in enumerate(converters[: len(ROW_KEYS)]) if c]
        created = converters[-1]
        self.created_at = created(batch.created_at) if created else batch.created_at
        # Built once: statements made per batch would be garbage that waits for the collector.
        self.existing = sa.select(
            Interaction.external_id, Interaction.import_batch_id, Interaction.import_row
        ).where(Interaction.external_id.in_(sa.bindparam("ids", expanding=True)))

    def add(self, row: int, values: dict[str, Any], size: int) -> None:
        external_id = values["external_id"]
        first = self.rows.get(external_id)
        if first is not None:
            self.report.add(row, [_same_as(first[-2])])
            return
        self.rows[external_id] = self._driver_values(values, row)
        self.accepted += 1
        self.size += size
        if len(self.rows) >= BATCH_ROWS or self.size >= BATCH_CHARS:
            self.write()

    def _driver_values(self, values: dict[str, Any], row: int) -> tuple[Any, ...]:
        """A row's values in the order of KEYS, as the driver takes them (None stays None)."""
        clean = list(self.pick(values))
        for n, convert in self.converters:
            value = clean[n]
            if value is not None:
                clean[n] = convert(value)
        return (*clean, self.batch_id, row, self.created_at)

    def write(self) -> None:
        rows, self.rows, self.size = self.rows, {}, 0
        if not rows:
            return
        stored = self.insert.send(list(rows.values()))
        if stored == len(rows):
            return  # every row new: no lookup (a driver that cannot count gives -1)
        found = self.connection.execute(self.existing, {"ids": list(rows)})
        for external_id, batch_id, first in found:
            row = rows[external_id][-2]
            if batch_id == self.batch_id and first != row:  # an earlier batch of this file
                self.report.add(row, [_same_as(first)])
                self.accepted -= 1

    def count(self) -> None:
        """Count what was added; the other accepted rows were in the database already."""
        stmt = sa.select(sa.func.count()).where(Interaction.import_batch_id == self.batch_id)
        self.report.rows_added = self.connection.scalar(stmt) or 0
        self.report.rows_skipped = self.accepted - self.report.rows_added
