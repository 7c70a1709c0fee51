"""The session chart as SVG: matplotlib's object API (Figure + Agg), never pyplot.

Figures and SVG text handling are the result charts' (text stays text, in any script).
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext

from ..i18n import current_locale
from ..results.charts import WIDTH, new_figure, number_ticks, plain, to_svg, wrap

COLOURS = ["#1f4e79", "#c9822b", "#1b7a3a", "#a4262c", "#6b4c9a", "#2b8a9a", "#7a6a1b", "#555555"]
MARKERS = ["o", "s", "D", "^", "v", "P", "X", "*"]
Rows = list[tuple[str, dict[int, int | None]]]  # (row label, reviewer id -> score)


def _plot_reviewers(axes: Any, rows: Rows, reviewers: list[tuple[int, str]]) -> None:
    step = 0.6 / max(1, len(reviewers))
    for index, (reviewer_id, name) in enumerate(reviewers):
        offset = -0.3 + step * (index + 0.5)  # side by side, so equal scores stay visible
        points = [
            (value, position + offset)
            for position, (_, scores) in enumerate(rows)
            if (value := scores.get(reviewer_id)) is not None
        ]
        axes.scatter(
            [x for x, _ in points],
            [y for _, y in points],
            label=plain(name),
            color=COLOURS[index % len(COLOURS)],
            marker=MARKERS[index % len(MARKERS)],
            s=48,
        )


def scores_chart(rows: Rows, reviewers: list[tuple[int, str]]) -> bytes:
    """Each reviewer's score (1-5) per criterion: one marker per reviewer on every row."""
    figure = new_figure(WIDTH, max(2.6, 0.7 * len(rows) + 1.8))  # readable on a phone too
    axes = figure.add_subplot()
    _plot_reviewers(axes, rows, reviewers)
    axes.set_yticks(list(range(len(rows))), [wrap(label, 20) for label, _ in rows])
    axes.set_xlim(0.5, 5.5)
    axes.set_xticks([1, 2, 3, 4, 5])
    number_ticks(axes.xaxis, current_locale())
    axes.set_xlabel(gettext("Score"))
    axes.invert_yaxis()
    axes.grid(axis="x", alpha=0.3)
    if reviewers:
        axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.25))  # one name a line
    return to_svg(figure)
