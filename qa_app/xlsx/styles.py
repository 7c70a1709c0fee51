"""The workbook's look: fonts, fills and alignments made once and shared by every cell."""

from __future__ import annotations

from typing import TYPE_CHECKING

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from .model import DATE, Kind
from .safety import needs_quoting

if TYPE_CHECKING:
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

HEADER_COLOUR = "1F4E78"
EMPHASIS_COLOURS = {"good": ("006100", "C6EFCE"), "bad": ("9C0006", "FFC7CE")}
# The colour scale of criterion averages: 1 red, 3 yellow, 5 green (Excel's own palette).
SCALE_COLOURS = ("F8696B", "FFEB84", "63BE7B")


class StyledCell(Cell):
    """A formatted cell that a column refills row after row.

    openpyxl looks a styled cell's style up in the workbook's list each time it writes the cell
    (`style_id`: a hash of the style and a dict lookup). The writer never changes a cell's style
    once the cell has been written, so the lookup is done once, at the first write, and kept.
    """

    __slots__ = ("_kept_id",)

    def __init__(self, ws: WriteOnlyWorksheet) -> None:
        super().__init__(ws, row=1, column=1)  # as openpyxl's WriteOnlyCell makes a cell
        self._kept_id: int | None = None

    @property
    def style_id(self) -> int:
        if self._kept_id is None:
            self._kept_id = super().style_id
        return self._kept_id


class Styles:
    """Style objects for one workbook; cells point at them, none is made per row."""

    def __init__(self, date_format: str = "yyyy-mm-dd") -> None:
        self.date_format = date_format  # every date column's format: the reader's short date
        self.header_font = Font(bold=True, color="FFFFFF")
        self.header_fill = PatternFill("solid", fgColor=HEADER_COLOUR)
        self.header_alignment = Alignment(wrap_text=True, vertical="top")
        self.header_border = Border(bottom=Side(style="thin", color="000000"))
        self.title_font = Font(bold=True, size=12, color=HEADER_COLOUR)
        self.wrap = Alignment(wrap_text=True, vertical="top")
        self.fonts = {name: Font(color=font) for name, (font, _) in EMPHASIS_COLOURS.items()}
        self.fills = {
            name: PatternFill("solid", fgColor=fill) for name, (_, fill) in EMPHASIS_COLOURS.items()
        }

    def cell(self, ws: WriteOnlyWorksheet, kind: Kind, quoted: bool = False) -> Cell:
        """An empty cell formatted for the kind; quoted keeps typed-over text as text in Excel."""
        cell = StyledCell(ws)
        if kind.number_format == DATE.number_format:  # a date as the report's reader writes it
            cell.number_format = self.date_format
        elif kind.number_format != "General":
            cell.number_format = kind.number_format
        if kind.wrap:
            cell.alignment = self.wrap
        if kind.emphasis:
            cell.font = self.fonts[kind.emphasis]
            cell.fill = self.fills[kind.emphasis]
        if quoted:
            cell.quotePrefix = True
        return cell

    def header_cell(self, ws: WriteOnlyWorksheet, text: str) -> Cell:
        cell = WriteOnlyCell(ws, text)
        cell.data_type = "s"  # headers hold criterion names: user text
        cell.quotePrefix = needs_quoting(text)
        cell.font, cell.fill = self.header_font, self.header_fill
        cell.alignment, cell.border = self.header_alignment, self.header_border
        return cell

    def title_cell(self, ws: WriteOnlyWorksheet, text: str) -> Cell:
        cell = WriteOnlyCell(ws, text)
        cell.data_type = "s"
        cell.quotePrefix = needs_quoting(text)
        cell.font = self.title_font
        return cell
