"""The one generic writer: a Report of plain tables becomes an .xlsx in openpyxl's write-only mode.

Rows go to the file one by one as they come, so memory stays flat however long a table is; only
the first SAMPLE_ROWS rows of each table are held, to size the columns before any row is written
(write-only sheets write their column widths first). Styles are made once per workbook, and each
column reuses its cells (cells.py), so no style object or cell is created per row. Whether the
cells go to openpyxl through its private names or its public ones is fastpath.py's to say.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import chain, islice
from typing import IO, TYPE_CHECKING, Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from . import fastpath
from .cells import TableCells, hand_cells_over
from .finish import Placed, add_line_chart, finish_sheet, layout, set_print_setup, set_properties
from .model import Report, Sheet, Table, Typed
from .safety import clean_text, sheet_title
from .styles import Styles

if TYPE_CHECKING:
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

SAMPLE_ROWS = 200
HEADER_WRAP = 24  # a longer header wraps instead of widening its column
MIN_WIDTH = 6
DATE_WIDTH = 16  # the longest date as the pages write it: "2026. szept. 30."
EXCEL_MAX_ROWS = 1_048_576


class ReportTooLarge(ValueError):
    """More rows than an Excel sheet can hold."""


@dataclass(frozen=True)
class SheetShape:
    title: str
    rows: int
    columns: int


class _Sampled:
    """A table whose first rows are read ahead to size the columns."""

    def __init__(self, table: Table, opened: ExitStack) -> None:
        self.table = table
        self._rest = iter(table.rows)
        close = getattr(self._rest, "close", None)
        if close is not None:  # a generator, maybe reading a database cursor
            opened.callback(close)
        self.sample = list(islice(self._rest, SAMPLE_ROWS))

    def rows(self) -> Iterator[Sequence[Any]]:
        return chain(self.sample, self._rest)


def write_report(report: Report, target: str | IO[bytes]) -> list[SheetShape]:
    """Write the report to a path or binary file; returns each sheet's size."""
    workbook = Workbook(write_only=True)
    set_properties(workbook, report)
    styles = Styles(report.date_format)
    taken: set[str] = set()
    shapes = []
    try:
        for sheet in report.sheets:
            worksheet = workbook.create_sheet(sheet_title(sheet.title, taken))
            if fastpath.ENABLED:
                hand_cells_over(worksheet)
            shapes.append(_write_sheet(worksheet, sheet, report, styles))
    except BaseException:
        _discard(workbook)
        raise
    if not shapes:  # a workbook needs a sheet
        workbook.create_sheet("Report")
    workbook.save(target)
    return shapes


def _discard(workbook: Workbook) -> None:
    """After a failure, close the write-only sheets and delete their temporary files."""
    for ws in workbook.worksheets:
        writer = getattr(ws, "_writer", None)  # private: without it, nothing to clean up
        if writer is not None and not ws.closed:
            ws.close()
            writer.cleanup()


def _write_sheet(
    ws: WriteOnlyWorksheet, sheet: Sheet, report: Report, styles: Styles
) -> SheetShape:
    with ExitStack() as opened:  # closed at the end, or after a failure
        tables = [_Sampled(table, opened) for table in sheet.tables]
        last_row = _write_tables(ws, sheet, report, styles, tables)
    return SheetShape(ws.title, last_row, max((len(t.table.columns) for t in tables), default=0))


def _write_tables(
    ws: WriteOnlyWorksheet, sheet: Sheet, report: Report, styles: Styles, tables: list[_Sampled]
) -> int:
    """The sheet's tables one below the other, then its finish; returns the last row."""
    widths = _widths(tables)
    for index, width in widths.items():
        layout(ws).column_dimensions[get_column_letter(index)].width = width
    first_header = 2 if tables and tables[0].table.title else 1
    ws.freeze_panes = f"{get_column_letter(sheet.freeze_columns + 1)}{first_header + 1}"
    set_print_setup(ws, report, first_header)
    placed: list[Placed] = []
    row = 0
    for sampled in tables:
        if placed:
            ws.append([])  # one empty row between tables
            row += 1
        placed.append(_write_table(ws, sampled, styles, row, widths))
        row = placed[-1].last_row
    finish_sheet(ws, sheet, placed)
    if sheet.chart is not None and placed and placed[0].has_rows:
        add_line_chart(ws, sheet.chart, placed[0], report.date_format)
    return row


def _write_table(
    ws: WriteOnlyWorksheet, sampled: _Sampled, styles: Styles, row: int, widths: dict[int, float]
) -> Placed:
    table = sampled.table
    if table.title:
        ws.append([styles.title_cell(ws, clean_text(table.title))])
        row += 1
    header_row = row + 1
    layout(ws).row_dimensions[header_row].height = _header_height(table, widths)
    ws.append([styles.header_cell(ws, clean_text(c.header)) for c in table.columns])
    kinds = [c.kind for c in table.columns]
    sizes = [widths[i + 1] for i in range(len(kinds))]
    convert = TableCells(ws, styles, kinds, sizes, fast=fastpath.ENABLED)
    last = header_row
    for values in sampled.rows():
        last += 1
        if last > EXCEL_MAX_ROWS:
            raise ReportTooLarge(f"More than {EXCEL_MAX_ROWS:,} rows; choose a shorter period.")
        ws.append(convert.row(values))
    return Placed(table, header_row, last)


def _text_width(value: Any) -> int:
    if type(value) is Typed:
        value = value.value
    if value is None:
        return 0
    if isinstance(value, str):
        return max(len(line) for line in value.split("\n"))
    if isinstance(value, date):
        return DATE_WIDTH
    if isinstance(value, float | Decimal):
        return len(f"{value:.2f}")
    return len(str(value))


def _widths(tables: list[_Sampled]) -> dict[int, float]:
    """Column widths that fit the header (up to HEADER_WRAP) and the sampled values, capped."""
    widths: dict[int, float] = {}
    for sampled in tables:
        for index, column in enumerate(sampled.table.columns):
            needed = min(len(column.header), HEADER_WRAP)
            for values in sampled.sample:
                if index < len(values):
                    needed = max(needed, _text_width(values[index]))
            width = max(MIN_WIDTH, min(needed, column.kind.max_width)) + 2
            widths[index + 1] = max(widths.get(index + 1, 0), width)
    return widths


def _header_height(table: Table, widths: dict[int, float]) -> float:
    lines = max(
        (math.ceil(len(c.header) / max(widths[i + 1] - 2, 1)) for i, c in enumerate(table.columns)),
        default=1,
    )
    return 15.0 * min(max(lines, 1), 4) + 3
