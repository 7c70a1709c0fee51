"""The professional finish of a sheet: print setup, filter, colour scales, chart, properties."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, cast

from openpyxl import Workbook
from openpyxl.chart import LineChart, Reference
from openpyxl.formatting.rule import ColorScaleRule, Rule
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from . import model
from .safety import clean_text, header_footer_text
from .styles import SCALE_COLOURS

if TYPE_CHECKING:
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet
    from openpyxl.worksheet.header_footer import HeaderFooterItem
    from openpyxl.worksheet.worksheet import Worksheet


@dataclass(frozen=True)
class Placed:
    """Where a table landed: its header row and last row (equal when it has no rows)."""

    table: model.Table
    header_row: int
    last_row: int

    @property
    def has_rows(self) -> bool:
        return self.last_row > self.header_row


def layout(ws: WriteOnlyWorksheet) -> Worksheet:
    """The sheet's print, filter, formatting and size settings, typed as a normal sheet's.

    openpyxl gives a write-only sheet these attributes of a normal sheet when it makes one; its
    type stubs leave them out.
    """
    return cast("Worksheet", ws)


def _item(item: HeaderFooterItem | None) -> HeaderFooterItem:
    if item is None:  # openpyxl makes each one with the sheet
        raise ValueError("The sheet has no page header or footer to fill.")
    return item


def colour_scale() -> Rule:
    """Red at 1, yellow at 3, green at 5: fixed points, so every sheet reads the same."""
    low, mid, high = SCALE_COLOURS
    rule: Rule = ColorScaleRule(  # type: ignore[no-untyped-call]  # untyped in the stubs
        start_type="num",
        start_value=1,
        start_color=low,
        mid_type="num",
        mid_value=3,
        mid_color=mid,
        end_type="num",
        end_value=5,
        end_color=high,
    )
    return rule


def set_properties(workbook: Workbook, report: model.Report) -> None:
    """Title, subject, creator (the user who exported) and the time it was made, in UTC."""
    properties = workbook.properties
    properties.title = clean_text(report.title)
    properties.subject = clean_text(report.subject)
    properties.description = clean_text(report.period)
    properties.creator = properties.lastModifiedBy = clean_text(report.creator)
    properties.created = properties.modified = datetime.now(UTC).replace(tzinfo=None)


def set_print_setup(ws: WriteOnlyWorksheet, report: model.Report, header_row: int) -> None:
    """Landscape, one page wide, the header row on every page, report and period in the margins."""
    page = layout(ws).page_setup
    page.orientation = "landscape"
    page.paperSize = report.paper_size
    page.fitToWidth = 1
    page.fitToHeight = 0  # as many pages down as it takes
    layout(ws).sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_title_rows = f"{header_row}:{header_row}"
    header, footer = _item(ws.oddHeader), _item(ws.oddFooter)
    header.left.text = header_footer_text(report.title)
    header.left.font = "Calibri,Bold"
    header.right.text = header_footer_text(report.period)
    footer.left.text = "&A"  # the sheet's name
    footer.right.text = report.page_footer  # the producer's words, with Excel's codes


def _column(table: model.Table, header: str) -> int:
    return [c.header for c in table.columns].index(header) + 1


def finish_sheet(ws: WriteOnlyWorksheet, sheet: model.Sheet, placed: list[Placed]) -> None:
    """The filter on the first table and the 1-5 colour scales, once the row counts are known."""
    if sheet.autofilter and placed:
        first = placed[0]
        last_column = get_column_letter(len(first.table.columns))
        layout(ws).auto_filter.ref = f"A{first.header_row}:{last_column}{first.last_row}"
    for table in placed:
        if not table.has_rows or not table.table.color_scale:
            continue
        ranges = []
        for header in table.table.color_scale:
            letter = get_column_letter(_column(table.table, header))
            ranges.append(f"{letter}{table.header_row + 1}:{letter}{table.last_row}")
        layout(ws).conditional_formatting.add(" ".join(ranges), colour_scale())


def add_line_chart(
    ws: WriteOnlyWorksheet, spec: model.LineChart, placed: Placed, date_format: str
) -> None:
    """A native Excel line chart whose series point at the table's cells, so it stays live."""
    chart = LineChart()
    chart.title = clean_text(spec.title)
    chart.y_axis.title, chart.x_axis.title = spec.y_title, spec.category
    first, last = placed.header_row, placed.last_row
    for header in spec.series:
        column = _column(placed.table, header)
        values = Reference(ws, min_col=column, min_row=first, max_row=last)
        chart.add_data(values, titles_from_data=True)
    category = _column(placed.table, spec.category)
    chart.set_categories(Reference(ws, min_col=category, min_row=first + 1, max_row=last))
    chart.x_axis.number_format = date_format
    chart.y_axis.scaling.min, chart.y_axis.scaling.max = spec.y_min, spec.y_max
    chart.x_axis.delete = chart.y_axis.delete = False  # openpyxl 3.1 hides axes otherwise
    for series in chart.series:
        series.marker.symbol = "circle"
        series.smooth = False
    chart.width, chart.height = 22, 11
    anchor = f"{get_column_letter(len(placed.table.columns) + 2)}{first}"
    layout(ws).add_chart(chart, anchor)
