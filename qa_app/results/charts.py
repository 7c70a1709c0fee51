"""Server-side charts as SVG: matplotlib's object API (Figure + Agg), never pyplot."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

BRAND = "#1f4e79"
TEAM = "#c9822b"
BAND_COLOURS = ["#1b7a3a", "#5a9a2c", "#c9a227", "#d9822b", "#a4262c"]


def _figure(width: float = 7.0, height: float = 3.0) -> Any:
    from matplotlib.figure import Figure  # imported on first chart, not at start-up

    figure = Figure(figsize=(width, height), dpi=100)
    figure.set_layout_engine("constrained")
    return figure


def _svg(figure: Any) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})  # no date: same chart, same bytes
    return buffer.getvalue()


def trend_chart(series: list[tuple[str, list[tuple[date, float | None]]]], title: str) -> bytes:
    """Weekly quality score lines (0-100), e.g. an agent and their team."""
    figure = _figure()
    axes = figure.add_subplot()
    for (label, points), colour in zip(series, (BRAND, TEAM), strict=False):
        xs = [week for week, value in points if value is not None]
        ys = [value for _, value in points if value is not None]
        axes.plot(xs, ys, marker="o", label=label, color=colour, linewidth=2)
    axes.set_ylim(0, 100)
    axes.set_ylabel("Quality score")
    axes.set_title(title, fontsize=11)
    axes.grid(axis="y", alpha=0.3)
    if any(points for _, points in series):
        axes.legend(loc="lower left", fontsize=8)
    figure.autofmt_xdate()
    return _svg(figure)


def criteria_chart(
    rows: list[tuple[str, float | None, float | None]], labels: tuple[str, str]
) -> bytes:
    """Horizontal bars per criterion (average on 1-5): the agent against the team."""
    figure = _figure(7.0, max(2.0, 0.45 * len(rows) + 1))
    axes = figure.add_subplot()
    positions = range(len(rows))
    axes.barh(
        [p + 0.2 for p in positions],
        [r[1] or 0 for r in rows],
        height=0.4,
        color=BRAND,
        label=labels[0],
    )
    axes.barh(
        [p - 0.2 for p in positions],
        [r[2] or 0 for r in rows],
        height=0.4,
        color=TEAM,
        label=labels[1],
    )
    axes.set_yticks(list(positions), [r[0] for r in rows], fontsize=8)
    axes.set_xlim(1, 5)
    axes.invert_yaxis()
    axes.legend(loc="lower right", fontsize=8)
    axes.grid(axis="x", alpha=0.3)
    return _svg(figure)


def distribution_chart(bands: dict[str, int], title: str) -> bytes:
    """How many evaluation scores fell in each band."""
    figure = _figure(6.0, 2.8)
    axes = figure.add_subplot()
    axes.bar(list(bands), list(bands.values()), color=BAND_COLOURS)
    axes.set_ylabel("Evaluations")
    axes.set_title(title, fontsize=11)
    axes.tick_params(axis="x", labelsize=8)
    return _svg(figure)
