"""Interaction writes: the all-or-nothing import and the form's single interaction.

Services flush; the caller commits when the report is clean and rolls back otherwise, and after
committing an import calls after_import for the other features' hooks on its rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import IO, Any

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy.dialects import postgresql, sqlite

from ..accounts.models import User
from ..bulk import analyze, changes_much
from ..database import utcnow
from ..extensions import db
from ..results.interaction_aggregates import count_new_interactions
from ..results.models import AgentDayInteractionStats
from ..results.sql import unindexed
from ..ui.filters import format_number
from .helpdesk_records import read_import
from .hooks import run_import_hooks
from .models import FileFormat, ImportBatch, Interaction
from .parsing import ImportFileError, Record
from .validation import Person, Problem, RowChecker, make_row_checker
from .writer import Writer

MAX_LISTED = 1000
PROGRESS_ROWS = 500  # how often a long import reports progress (and may be cancelled)
# An import this big, or a tenth of this and a tenth of the table, refreshes the statistics.
ANALYZE_ROWS = 10_000


Progress = Callable[[int], None]


@dataclass(frozen=True, slots=True)
class RowProblem:
    row: int
    column: str | None
    reason: str

    def __str__(self) -> str:
        if self.column:
            return _(
                "row %(row)d, %(column)s: %(reason)s",
                row=self.row,
                column=self.column,
                reason=self.reason,
            )
        return _("row %(row)d: %(reason)s", row=self.row, reason=self.reason)


@dataclass
class ImportReport:
    """What an import stored, or every reason why it stored nothing."""

    source_name: str
    file_errors: list[str] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    problems_not_listed: int = 0
    rows_total: int = 0
    rows_added: int = 0
    rows_skipped: int = 0
    batch_id: int | None = None  # the import batch, for the hooks after the commit

    @property
    def ok(self) -> bool:
        return not (self.file_errors or self.problems)

    @property
    def summary(self) -> str:
        """What was stored, the counts in the reader's notation ("1,234" / "1 234")."""
        return ngettext(
            "%(file)s: %(added)s new interaction added, %(skipped)s already imported before.",
            "%(file)s: %(added)s new interactions added, %(skipped)s already imported before.",
            self.rows_added,
            file=self.source_name,
            added=format_number(self.rows_added, 0),
            skipped=format_number(self.rows_skipped, 0),
        )

    def add(self, row: int, problems: Iterable[Problem]) -> None:
        for column, reason in problems:
            if len(self.problems) < MAX_LISTED:
                self.problems.append(RowProblem(row, column, reason))
            else:
                self.problems_not_listed += 1

    def lines(self) -> list[str]:
        """The problems as text lines, for the command line."""
        lines = [*self.file_errors, *map(str, self.problems)]
        if self.problems_not_listed:
            lines.append(
                ngettext(
                    "... and %(num)d more problem not listed.",
                    "... and %(num)d more problems not listed.",
                    self.problems_not_listed,
                )
            )
        return lines


def display_name(file_name: str | None) -> str:
    """The last part of the name the user gave a file: shown on pages, never used as a path."""
    name = (file_name or "").replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(char for char in name if char.isprintable()).strip()[:255] or "upload"


def insert_ignoring_taken() -> Any:
    """An INSERT into interactions that skips each row whose external_id is already taken."""
    # The unique index decides, so a transaction running at the same time cannot duplicate a row.
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return insert(Interaction.__table__).on_conflict_do_nothing(index_elements=["external_id"])


def _people() -> dict[str, Person]:
    rows = db.session.execute(sa.select(User.email, User.id, User.role))
    return {email: (user_id, role) for email, user_id, role in rows}


def _find_person(email: str) -> Person | None:
    row = db.session.execute(sa.select(User.id, User.role).where(User.email == email)).first()
    return (row.id, row.role) if row else None


def _store(
    records: Iterator[Record], writer: Writer, check: RowChecker, progress: Progress | None
) -> None:
    report = writer.report
    for record in records:
        report.rows_total += 1
        if progress is not None and report.rows_total % PROGRESS_ROWS == 0:
            progress(report.rows_total)
        if record.values is None:
            report.add(record.row, record.problems)
            continue
        values, problems = check(record.values)
        if problems:
            report.add(record.row, problems)
        else:
            writer.add(record.row, values, record.size)
    writer.write()
    writer.count()


def count_records(stream: IO[bytes], file_format: str | None = None) -> int:
    """How many records a file holds, read without checking them (0 for an unreadable file)."""
    try:
        return sum(1 for _record in read_import(stream, file_format)[1])
    except ImportFileError:
        return 0


def _new_batch(source_name: str, file_format: FileFormat, created_by: User | None) -> ImportBatch:
    batch = ImportBatch(
        created_by_id=created_by.id if created_by else None,
        created_at=utcnow(),
        source_name=source_name,
        file_format=file_format,
    )
    db.session.add(batch)
    db.session.flush()
    return batch


def import_interactions(
    stream: IO[bytes],
    *,
    source_name: str | None,
    created_by: User | None,
    progress: Progress | None = None,
    file_format: str | None = None,
) -> ImportReport:
    """Check a file and store its interactions; all or nothing (see above).

    The file is CSV, JSON Lines or a helpdesk export (``file_format`` names the helpdesk; left
    out, it is recognised). `progress` is called with the rows read so far every PROGRESS_ROWS
    rows; an exception it raises stops the import, and the caller rolls back.
    """
    try:
        found_format, records = read_import(stream, file_format)
    except ImportFileError as exc:
        return ImportReport(display_name(source_name), file_errors=list(exc.messages))
    return import_records(
        found_format, records, source_name=source_name, created_by=created_by, progress=progress
    )


def import_records(
    file_format: FileFormat,
    records: Iterator[Record],
    *,
    source_name: str | None,
    created_by: User | None,
    progress: Progress | None = None,
) -> ImportReport:
    """Check records already read (from a file or a helpdesk pull) and store them, all or none."""
    report = ImportReport(display_name(source_name))
    try:
        batch = _new_batch(report.source_name, file_format, created_by)
        floor = _highest_id()
        _store(records, Writer(batch, report), make_row_checker(_people().get), progress)
    except ImportFileError as exc:
        report.file_errors.extend(exc.messages)
        return report
    _close(batch, report)
    report.batch_id = batch.id
    much = report.ok and changes_much(Interaction.id, report.rows_added, ANALYZE_ROWS)
    if much:
        analyze([Interaction.__table__])  # for the counting's and the hooks' reads of the rows
    # Bulk inserts pass the session hooks by: the customer metrics are counted here, once, and
    # last. Counting takes the locks every writer of these agents' and teams' results takes
    # (evaluation submissions among them) and holds them until the commit, so it comes last:
    # submissions wait for the counting, not for the whole import (docs/performance.md, "The
    # import's locks"). The other features' hooks run after the commit (after_import).
    count_new_interactions(
        db.session.connection(), _batch_rows(batch.id, floor), rows=report.rows_added
    )
    if much:
        analyze([AgentDayInteractionStats.__table__])
    return report


def after_import(report: ImportReport) -> None:
    """Once the caller committed a clean import: the other features' hooks on its new rows
    (Auto QA scores them, then their signals are computed), each committing batch by batch, so
    that other writers are not held off for their whole length (hooks.py)."""
    if report.ok and report.rows_added and report.batch_id is not None:
        run_import_hooks(report.batch_id)


def _highest_id() -> int:
    return db.session.scalar(sa.select(sa.func.max(Interaction.id))) or 0


def _batch_rows(batch_id: int, floor: int) -> sa.ColumnElement[bool]:
    """The rows a batch added, read by their ids (all above `floor`, the highest id before it).

    Not through the index on the batch: after one large import the planner's statistics say a
    batch holds every row, and SQLite would then read the whole table for each count.
    """
    return sa.and_(Interaction.id > floor, unindexed(Interaction.import_batch_id) == batch_id)


def _close(batch: ImportBatch, report: ImportReport) -> None:
    """Finish the report (an empty file is an error, problems in row order) and count the batch."""
    if report.ok and report.rows_total == 0:
        report.file_errors.append(_("The file has no interactions in it."))
    report.problems.sort(key=lambda problem: problem.row)
    batch.rows_total, batch.rows_added = report.rows_total, report.rows_added
    batch.rows_skipped = report.rows_skipped
    db.session.flush()


def add_interaction(values: Mapping[str, Any]) -> tuple[int | None, list[Problem]]:
    """Check and store one interaction typed into the form; returns its id or the problems."""
    clean, problems = make_row_checker(_find_person)(values)
    if problems:
        return None, problems
    clean["created_at"] = utcnow()
    table = Interaction.__table__
    new_id = db.session.scalar(insert_ignoring_taken().returning(table.c.id), clean)
    if new_id is None:
        return None, [("external_id", _("another interaction already has this external_id"))]
    count_new_interactions(db.session.connection(), Interaction.id == new_id)
    return new_id, []
