"""Server-side charts as SVG: matplotlib's object API (Figure + Agg), never pyplot.

Text stays text (`svg.fonttype` "none"): the browser draws every script with its own fonts. The
callers pass titles and labels already in the reader's language; dates and numbers on the axes
are formatted here in the reader's locale (Babel), never with matplotlib's English names.
"""

from __future__ import annotations

import io
import threading
import warnings
from collections.abc import Callable
from datetime import date
from functools import cache
from types import SimpleNamespace
from typing import Any

from babel import Locale
from babel.dates import format_skeleton
from babel.numbers import format_decimal

from ..i18n import current_locale
from ..textinput import strip_controls

BRAND = "#1f4e79"
TEAM = "#c9822b"
BAND_COLOURS = ["#1b7a3a", "#5a9a2c", "#c9a227", "#d9822b", "#a4262c"]
# Set once for the process. The SVG names these fonts and ends with the generic sans-serif, so a
# browser without them (or a script they lack) still finds a font of its own.
SVG_TEXT = {
    "svg.fonttype": "none",
    "font.family": ["sans-serif"],
    "font.sans-serif": ["DejaVu Sans", "Noto Sans", "Arial", "Helvetica"],
}
# matplotlib measures text with its own font, which lacks e.g. Telugu; the browser draws it anyway.
MISSING_GLYPH = r"Glyph \d+ .* missing from font"
MAX_WEEK_TICKS = 12


_FIRST_IMPORT = threading.Lock()


@cache
def _matplotlib() -> SimpleNamespace:
    """Every piece of matplotlib the charts use, imported on the first chart, not at start-up.

    Two first charts served at once by two threads must not import matplotlib side by side (that
    leaves a partially initialised module behind), so every import happens here, under a lock.
    """
    with _FIRST_IMPORT:
        import matplotlib

        matplotlib.rcParams.update(SVG_TEXT)
        from matplotlib.dates import num2date
        from matplotlib.figure import Figure
        from matplotlib.ticker import FuncFormatter, MaxNLocator

    return SimpleNamespace(
        Figure=Figure, FuncFormatter=FuncFormatter, MaxNLocator=MaxNLocator, num2date=num2date
    )


def new_figure(width: float = 7.0, height: float = 3.0) -> Any:
    """An empty figure with constrained layout, text kept as SVG text."""
    figure = _matplotlib().Figure(figsize=(width, height), dpi=100)
    figure.set_layout_engine("constrained")
    return figure


def to_svg(figure: Any) -> bytes:
    """The figure as SVG bytes; no date inside, so the same chart gives the same bytes."""
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=MISSING_GLYPH, category=UserWarning)
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def plain(text: str) -> str:
    """User text shown as written: a $ would otherwise start matplotlib's math mode.

    Control characters are dropped: XML (so SVG) cannot hold them.
    """
    return strip_controls(text).replace("$", r"\$")


def _formatter(function: Callable[[float], str]) -> Any:
    return _matplotlib().FuncFormatter(lambda value, _position: function(value))


def number_ticks(axis: Any, locale: Locale, pattern: str = "#,##0.##") -> None:
    """Tick labels in the locale's notation (a decimal comma in Hungarian)."""
    axis.set_major_formatter(
        _formatter(lambda value: format_decimal(value, pattern, locale=locale))
    )


def _date_ticks(axes: Any, weeks: list[date], locale: Locale) -> None:
    num2date = _matplotlib().num2date
    if len(weeks) <= MAX_WEEK_TICKS:
        axes.set_xticks(weeks)
    axes.xaxis.set_major_formatter(
        _formatter(lambda value: format_skeleton("MMMd", num2date(value).date(), locale=locale))
    )


def trend_chart(
    series: list[tuple[str, list[tuple[date, float | None]]]], title: str, y_label: str
) -> bytes:
    """Weekly quality score lines (0-100), e.g. an agent and their team."""
    locale = current_locale()
    figure = new_figure()
    axes = figure.add_subplot()
    weeks: set[date] = set()
    for (label, points), colour in zip(series, (BRAND, TEAM), strict=False):
        xs = [week for week, value in points if value is not None]
        ys = [value for _, value in points if value is not None]
        weeks.update(xs)
        axes.plot(xs, ys, marker="o", label=plain(label), color=colour, linewidth=2)
    axes.set_ylim(0, 100)
    axes.set_ylabel(y_label)
    axes.set_title(title, fontsize=11)
    axes.grid(axis="y", alpha=0.3)
    number_ticks(axes.yaxis, locale)
    if weeks:
        _date_ticks(axes, sorted(weeks), locale)
    if any(points for _, points in series):
        axes.legend(loc="lower left", fontsize=8)
    figure.autofmt_xdate()
    return to_svg(figure)


def criteria_chart(
    rows: list[tuple[str, float | None, float | None]], labels: tuple[str, str]
) -> bytes:
    """Horizontal bars per criterion (average on 1-5): the agent against the team."""
    figure = new_figure(7.0, max(2.0, 0.45 * len(rows) + 1))
    axes = figure.add_subplot()
    positions = range(len(rows))
    axes.barh(
        [p + 0.2 for p in positions],
        [r[1] or 0 for r in rows],
        height=0.4,
        color=BRAND,
        label=plain(labels[0]),
    )
    axes.barh(
        [p - 0.2 for p in positions],
        [r[2] or 0 for r in rows],
        height=0.4,
        color=TEAM,
        label=plain(labels[1]),
    )
    axes.set_yticks(list(positions), [plain(r[0]) for r in rows], fontsize=8)
    axes.set_xlim(1, 5)
    number_ticks(axes.xaxis, current_locale())
    axes.invert_yaxis()
    axes.legend(loc="lower right", fontsize=8)
    axes.grid(axis="x", alpha=0.3)
    return to_svg(figure)


def distribution_chart(bands: dict[str, int], title: str, y_label: str) -> bytes:
    """How many evaluation scores fell in each band (the band names as the reader reads them)."""
    figure = new_figure(6.0, 2.8)
    axes = figure.add_subplot()
    axes.bar(list(bands), list(bands.values()), color=BAND_COLOURS)
    axes.set_ylabel(y_label)
    axes.set_title(title, fontsize=11)
    axes.tick_params(axis="x", labelsize=8)
    axes.yaxis.set_major_locator(_matplotlib().MaxNLocator(integer=True))
    number_ticks(axes.yaxis, current_locale(), "#,##0")
    return to_svg(figure)
