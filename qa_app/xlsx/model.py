"""What a workbook is: sheets of plain tables with column kinds, a chart, colour scales.

Producers return these; only the writer (writer.py, cells.py, styles.py, finish.py) knows
openpyxl. Rows are any iterable, so a large table can stream from its source into the file.
Every word the workbook shows comes in here from the producer, already in the reader's language.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Kind:
    """How a column's values look: number format, scale (percent -> fraction), wrapping, colour."""

    name: str
    number_format: str = "General"
    scale: float = 1.0
    wrap: bool = False
    max_width: int = 40
    emphasis: str | None = None  # "good" or "bad": a green or red cell

    @property
    def is_plain(self) -> bool:
        """No format of its own: values go to the sheet as they are."""
        return self.number_format == "General" and not self.wrap and self.emphasis is None


TEXT = Kind("text")
LONG_TEXT = Kind("long text", wrap=True, max_width=60)
# Whole numbers read the same in General, and plain cells are the writer's fast path.
COUNT = Kind("count", max_width=12)
POINTS = Kind("points", max_width=12)  # a 1-5 value, or "N/A"
SCORE = Kind("score", "0.00", max_width=12)
AVERAGE = Kind("average", "0.00", max_width=12)
CHANGE = Kind("change", "+0.00;-0.00;0.00", max_width=12)
# Rates are stored as fractions 0..1; the report builders give percentages, as the pages do.
PERCENT = Kind("percent", "0.0%", scale=0.01, max_width=12)
NPS = Kind("nps", "0", max_width=12)
CES = Kind("ces", "0.00", max_width=12)
DATE = Kind("date", "yyyy-mm-dd", max_width=16)  # openpyxl's own format; 16: "2026. szept. 30."
# Handle times are given in seconds and stored as Excel durations (days).
DURATION = Kind("duration", "[h]:mm:ss", scale=1 / 86_400, max_width=12)
GOOD = Kind("good", emphasis="good")
BAD = Kind("bad", emphasis="bad")


@dataclass(frozen=True, slots=True)
class Typed:
    """One value with its own kind, for key/value tables whose rows differ in format."""

    value: Any
    kind: Kind


@dataclass(frozen=True)
class Column:
    header: str
    kind: Kind = TEXT


@dataclass
class Table:
    """A header row and its rows; `color_scale` names the columns shaded from 1 (red) to 5."""

    columns: Sequence[Column]
    rows: Iterable[Sequence[Any]]
    title: str | None = None
    color_scale: Sequence[str] = ()


@dataclass(frozen=True)
class LineChart:
    """A native line chart over the first table: one line per series column, by category."""

    title: str
    category: str
    series: Sequence[str]
    y_title: str | None = None
    y_min: float | None = 0
    y_max: float | None = 100


@dataclass
class Sheet:
    title: str
    tables: Sequence[Table]
    chart: LineChart | None = None
    freeze_columns: int = 0  # leading columns kept in view beside the frozen header
    autofilter: bool = True  # on the first table (Excel allows one filter per sheet)


@dataclass
class Report:
    """A workbook: its title, the period it covers, who made it and its sheets (may stream)."""

    title: str
    period: str
    creator: str
    sheets: Iterable[Sheet]
    subject: str = ""
    date_format: str = "yyyy-mm-dd"  # how the reader writes a date (formats.excel_date_format)
    paper_size: int = 9  # Excel's code: A4 (9) or US Letter (1), by the reader (formats.paper_size)
    # The printed footer beside the sheet's name; &P and &N are Excel's page and page count.
    page_footer: str = "Page &P of &N"
