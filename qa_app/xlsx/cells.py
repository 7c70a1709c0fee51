"""A table's values as the cells openpyxl writes: made once per column, safe, cheap to hand over.

openpyxl's write-only `append` turns each value of a row into a cell in
WriteOnlyWorksheet._values_to_row, where a ready-made Cell gets through only after a caught
ValueError, and a new spare cell is made after every styled one. On the fast path (fastpath.py)
`hand_cells_over` replaces that one step on our sheets and cells are refilled through
`Cell._value`; the cell's XML, its style id and everything else stay openpyxl's own. Off it,
cells are filled through the public `cell.value` and `append` runs as openpyxl ships it.
Each column's cells are made once and filled again row after row, which is safe because openpyxl
writes a row before the next one is appended. Every value of a row is handed over as a cell, so
openpyxl's own `_values_to_row` never writes a value into a cell of ours.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles.numbers import is_date_format
from openpyxl.utils.datetime import to_excel

if TYPE_CHECKING:
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from .model import TEXT, Kind, Typed
from .safety import cell_text
from .styles import Styles

Convert = Callable[[Any], Any]
Put = Callable[[Cell, Any, str], None]


def hand_cells_over(ws: WriteOnlyWorksheet) -> None:
    """Let `ws.append` take ready cells as they are; other values still go in as openpyxl's."""
    setattr(ws, "_values_to_row", _RowCells(ws))  # noqa: B010  (a private name: fastpath.py)


def _put_private(cell: Cell, value: Any, data_type: str) -> None:
    """The fast path: the value as it is, without openpyxl's inference (done by the caller)."""
    cell._value, cell.data_type = value, data_type  # type: ignore[attr-defined]  # a slot


def _put_public(cell: Cell, value: Any, data_type: str) -> None:
    """The fallback: openpyxl's public setter, then the type the caller already knows."""
    cell.value = value  # "=..." becomes a formula here, and is made text again below
    cell.data_type = data_type


class _RowCells:
    """WriteOnlyWorksheet._values_to_row for rows of cells and values, without the exceptions."""

    def __init__(self, ws: WriteOnlyWorksheet) -> None:
        self.ws = ws
        self.spare = WriteOnlyCell(ws)

    def __call__(self, values: Sequence[Any], row_idx: int) -> Iterator[Cell]:
        for column, value in enumerate(values, 1):
            if value is None:
                continue
            if isinstance(value, Cell):
                cell = value
            else:
                cell = self.spare
                cell.value = value  # openpyxl's own inference: a date gets a date format
            cell.column, cell.row = column, row_idx
            yield cell
            if cell is self.spare and cell.has_style:
                self.spare = WriteOnlyCell(self.ws)


class _DaySerials(dict[date, float]):
    """Excel's serial number of each day, worked out once: a date cell is then a number cell."""

    def __init__(self, epoch: datetime) -> None:
        super().__init__()
        self.epoch = epoch

    def __missing__(self, day: date) -> float:
        serial: float = to_excel(day, self.epoch)  # type: ignore[no-untyped-call]  # untyped stub
        self[day] = serial
        return serial


def _plain(value: Any) -> Any:
    """A number or date as openpyxl takes it: Excel has no time zones, so UTC without one."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    return value


def _scaled(value: Any, scale: float) -> Any:
    if scale == 1 or isinstance(value, date | bool):
        return _plain(value)
    return float(value) * scale


class TableCells:
    """Turns a table's rows into what `ws.append` takes, column by column, never a formula."""

    def __init__(
        self,
        ws: WriteOnlyWorksheet,
        styles: Styles,
        kinds: Sequence[Kind],
        widths: list[float],
        fast: bool = True,
    ) -> None:
        self.ws, self.styles = ws, styles
        self.put: Put = _put_private if fast else _put_public
        workbook = ws.parent
        if workbook is None:
            raise ValueError("The sheet belongs to no workbook.")
        self.serials = None if workbook.iso_dates else _DaySerials(workbook.epoch)
        self.converts = [
            self._column(kind, width) for kind, width in zip(kinds, widths, strict=True)
        ]

    def row(self, values: Sequence[Any]) -> list[Any]:
        return [
            None if value is None else convert(value)
            for convert, value in zip(self.converts, values, strict=False)
        ]

    def _column(self, kind: Kind, width: float) -> Convert:
        plain_text = self._texts(TEXT, WriteOnlyCell(self.ws))
        if kind.is_plain:
            return self._unformatted(kind, plain_text)
        styled = self._styled(kind)
        if not kind.wrap:
            return styled
        fits = int(width) - 2

        def wrapped(value: Any) -> Any:
            # A line that fits needs no wrapping: a plain cell.
            if type(value) is str and len(value) <= fits and "\n" not in value:
                return plain_text(value)
            return styled(value)

        return wrapped

    def _unformatted(self, kind: Kind, plain_text: Convert) -> Convert:
        """A column without a format: text and numbers in its two cells, as openpyxl would."""
        number, put = WriteOnlyCell(self.ws), self.put

        def plain(value: Any) -> Any:
            of = type(value)
            if of is str:
                return plain_text(value)
            if of is int or of is float:  # not bool
                put(number, value, "n")  # what openpyxl's inference would make of it
                return number
            return self._other(value, kind)

        return plain

    def _styled(self, kind: Kind) -> Convert:
        """The column's values in one cell formatted as the kind (dates as serial numbers)."""
        cell = self.styles.cell(self.ws, kind)
        text = self._texts(kind, cell)
        scale, put = kind.scale, self.put
        serials = self.serials if is_date_format(kind.number_format) else None

        def styled(value: Any) -> Any:
            of = type(value)
            if of is float or of is int:
                put(cell, value if scale == 1 else value * scale, "n")
                return cell
            if of is date and serials is not None:
                put(cell, serials[value], "n")
                return cell
            if of is str:
                return text(value)
            return self._other(value, kind)

        return styled

    def _texts(self, kind: Kind, cell: Cell) -> Convert:
        """User text in the column's cell, or in its quoted cell when it looks like a formula."""
        quoted: list[Cell] = []
        put = self.put

        def text(value: str) -> Cell:
            cleaned, needs_quote = cell_text(value)
            target = cell
            if needs_quote:
                if not quoted:
                    quoted.append(self.styles.cell(self.ws, kind, quoted=True))
                target = quoted[0]
            # Set as it is: cell_text did all that openpyxl's check of a str value does (and more),
            # and openpyxl would still take "=..." for a formula and "#N/A" for an error.
            put(target, cleaned, "s")
            return target

        return text

    def _other(self, value: Any, kind: Kind) -> Any:
        """Anything rarer, in a cell of its own: typed values, dates with times, Decimals."""
        if type(value) is Typed:
            return self._other(value.value, value.kind) if value.value is not None else None
        if isinstance(value, str):
            return self._texts(kind, self.styles.cell(self.ws, kind))(str(value))
        cell = self.styles.cell(self.ws, kind)  # a bare cell for a plain kind
        cell.value = _scaled(value, kind.scale)
        return cell
