"""Server-side charts as SVG: matplotlib's object API (Figure + Agg), never pyplot.

Text stays text (`svg.fonttype` "none"): the browser draws every script with its own fonts. The
callers pass titles and labels already in the reader's language; dates and numbers on the axes
are formatted here in the reader's locale (Babel), never with matplotlib's English names.

A point of the trend or a bar of the bands may carry a `Link` to the evaluations behind it; the
pages put the chart inside their HTML (`page_svg`) so those links can be followed (an SVG shown
as an image cannot be clicked). Sizes: every text is FONT_SIZE units on a figure WIDTH inches
wide, so a chart shrunk to a phone's width still draws text of at least 11 CSS pixels.
"""

from __future__ import annotations

import io
import re
import textwrap
import threading
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from types import SimpleNamespace
from typing import Any
from xml.etree import ElementTree as ET

from babel import Locale
from babel.dates import format_skeleton
from babel.numbers import format_decimal
from markupsafe import Markup

from ..i18n import current_locale
from ..textinput import strip_controls

BRAND = "#1f4e79"
TEAM = "#c9822b"
BAND_COLOURS = ["#1b7a3a", "#5a9a2c", "#c9a227", "#d9822b", "#a4262c"]
MARKERS = ("o", "s")  # the second line differs by its marker too, not by colour alone
# An SVG unit is a point: WIDTH inches are WIDTH * 72 units, drawn 96 px per inch at full size.
# On a phone the chart has ~320 CSS px, so a unit is ~1 px there: FONT_SIZE keeps text >= 11 px.
WIDTH = 4.4
FONT_SIZE = 11.5
# Set once for the process. The SVG names these fonts and ends with the generic sans-serif, so a
# browser without them (or a script they lack) still finds a font of its own.
SVG_TEXT = {
    "svg.fonttype": "none",
    "font.family": ["sans-serif"],
    "font.sans-serif": ["DejaVu Sans", "Noto Sans", "Arial", "Helvetica"],
    "svg.hashsalt": "qa-scorecard",  # ids from the content, not random: the same chart, same text
    "font.size": FONT_SIZE,
    "axes.titlesize": FONT_SIZE + 0.5,
    "axes.labelsize": FONT_SIZE,
    "xtick.labelsize": FONT_SIZE,
    "ytick.labelsize": FONT_SIZE,
    "legend.fontsize": FONT_SIZE,
}


@dataclass(frozen=True)
class Link:
    """Where a point or bar leads (a relative URL of this site) and what it says when focused."""

    url: str
    text: str

    def __post_init__(self) -> None:
        if not self.url.startswith("/") or self.url.startswith("//"):
            raise ValueError("a chart links only to this site's own pages")


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


def new_figure(width: float = WIDTH, height: float = 3.0) -> Any:
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
    # matplotlib opens every link in a new tab; ours stay in the same one.
    return buffer.getvalue().replace(b' target="_blank"', b"")


SVG_NS, XLINK_NS = "http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"
HREF = f"{{{XLINK_NS}}}href"
ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", XLINK_NS)
PX_PER_UNIT = 4 / 3  # matplotlib writes points; CSS pixels are 96 to the inch
_LOCAL_REF = re.compile(r"url\(#([^)]+)\)")
_DECLARATION = re.compile(r"\s*([a-z-]+)\s*:\s*([^;]+?)\s*(?:;|$)")


def page_svg(data: bytes, prefix: str, label: str, links: Sequence[Link] = ()) -> Markup:
    """The chart as markup to put inside a page, where its links can be followed.

    The page's Content-Security-Policy refuses inline styles, so each `style` becomes the
    equivalent SVG attributes; ids get `prefix` so two charts on a page never share one; a link
    to anywhere but this site's own relative URLs loses its target.
    """
    root = ET.fromstring(data)  # noqa: S314  (our own matplotlib output: no entities, no DTD)
    for parent in list(root.iter()):
        for child in list(parent):
            if child.tag in (f"{{{SVG_NS}}}metadata", f"{{{SVG_NS}}}style"):
                parent.remove(child)
    texts = {link.url: link.text for link in links}
    for element in root.iter():
        _inline_element(element, prefix, texts)
    root.attrib.update({"stroke-linejoin": "round", "stroke-linecap": "butt"})
    for side in ("width", "height"):  # "316.8pt" -> CSS pixels; CSS shrinks it to fit
        root.set(side, f"{float(root.get(side, '0').removesuffix('pt')) * PX_PER_UNIT:.0f}")
    root.attrib.update({"role": "group", "aria-label": label, "class": "chart"})
    return Markup(ET.tostring(root, encoding="unicode"))  # noqa: S704  (escaped by ElementTree)


def _inline_element(element: ET.Element, prefix: str, texts: dict[str, str]) -> None:
    for name, value in _DECLARATION.findall(element.attrib.pop("style", "")):
        element.set(name, value)
    if "id" in element.attrib:
        element.set("id", f"{prefix}-{element.get('id')}")
    if "clip-path" in element.attrib:
        element.set(
            "clip-path", _LOCAL_REF.sub(rf"url(#{prefix}-\1)", element.get("clip-path", ""))
        )
    element.attrib.pop("target", None)  # links stay in the page's own tab
    href = element.get(HREF)
    if href is None:
        return
    if href.startswith("#"):
        element.set(HREF, f"#{prefix}-{href[1:]}")
    elif element.tag == f"{{{SVG_NS}}}a" and href.startswith("/") and not href.startswith("//"):
        element.set("href", href)  # SVG 2's own attribute: what assistive technology reads
        if href in texts:
            element.set("aria-label", texts[href])
    else:
        del element.attrib[HREF]


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


Series = tuple[str, list[tuple[date, float | None]]]  # a line's name and its weekly points


def wrap(text: str, width: int = 28) -> str:
    """A long label on two or three lines, so the plot keeps its room at the large font."""
    return "\n".join(textwrap.wrap(plain(text), width)[:3]) or plain(text)


def _linked_markers(
    axes: Any, points: list[tuple[date, float]], links: dict[date, Link], **style: Any
) -> None:
    """The points as markers; each one with a link leads to the evaluations behind it."""
    marks = axes.scatter([x for x, _ in points], [y for _, y in points], zorder=3, **style)
    marks.set_urls([links[x].url if x in links else None for x, _ in points])


def trend_chart(
    series: list[Series], title: str, y_label: str, links: list[dict[date, Link]] | None = None
) -> bytes:
    """Weekly quality score lines (0-100), e.g. an agent and their team; `links` per line."""
    locale = current_locale()
    figure = new_figure()
    axes = figure.add_subplot()
    weeks: set[date] = set()
    for index, (label, points) in enumerate(series[:2]):
        colour, marker = (BRAND, TEAM)[index], MARKERS[index]
        shown = [(week, value) for week, value in points if value is not None]
        weeks.update(week for week, _ in shown)
        axes.plot([x for x, _ in shown], [y for _, y in shown], color=colour, linewidth=2)
        line_links = links[index] if links and index < len(links) else {}
        _linked_markers(axes, shown, line_links, color=colour, marker=marker, label=plain(label))
    axes.set_ylim(0, 100)
    axes.set_ylabel(y_label)
    axes.set_title(title)
    axes.grid(axis="y", alpha=0.3)
    number_ticks(axes.yaxis, locale)
    if weeks:
        _date_ticks(axes, sorted(weeks), locale)
    if any(points for _, points in series):
        axes.legend(loc="lower left")
    figure.autofmt_xdate()
    return to_svg(figure)


def criteria_chart(
    rows: list[tuple[str, float | None, float | None]], labels: tuple[str, str]
) -> bytes:
    """Horizontal bars per criterion (average on 1-5): the agent against the team."""
    figure = new_figure(WIDTH, max(2.4, 0.7 * len(rows) + 1.2))
    axes = figure.add_subplot()
    positions = range(len(rows))
    locale = current_locale()
    for index, offset, colour, hatch in ((1, 0.2, BRAND, ""), (2, -0.2, TEAM, "//")):
        values = [r[index] for r in rows]
        bars = axes.barh(
            [p + offset for p in positions],
            [v or 0 for v in values],
            height=0.4,
            color=colour,
            hatch=hatch,  # the team's bars differ by their hatching too, not by colour alone
            label=plain(labels[index - 1]),
        )
        texts = ["" if v is None else format_decimal(v, "#,##0.00", locale=locale) for v in values]
        axes.bar_label(bars, texts, padding=2)
    axes.set_yticks(list(positions), [wrap(r[0], 20) for r in rows])
    axes.set_xlim(1, 5.6)  # room for the value beside a full bar
    axes.set_xticks([1, 2, 3, 4, 5])
    number_ticks(axes.xaxis, locale)
    axes.invert_yaxis()
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08))  # one name a line: fits a phone
    axes.grid(axis="x", alpha=0.3)
    return to_svg(figure)


def distribution_chart(
    bands: dict[str, int], title: str, y_label: str, links: list[Link | None] | None = None
) -> bytes:
    """How many evaluation scores fell in each band (the band names as the reader reads them)."""
    figure = new_figure(WIDTH, 3.2)
    axes = figure.add_subplot()  # bars across: the band names stay level and readable
    bars = axes.barh([plain(name) for name in bands], list(bands.values()), color=BAND_COLOURS)
    for bar, link in zip(bars, links or [], strict=False):
        if link is not None:
            bar.set_url(link.url)
    axes.invert_yaxis()
    axes.set_xlabel(y_label)
    axes.set_title(title)
    axes.xaxis.set_major_locator(_matplotlib().MaxNLocator(integer=True))
    number_ticks(axes.xaxis, current_locale(), "#,##0")
    return to_svg(figure)
