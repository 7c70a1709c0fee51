"""The Evaluations sheet: one row per evaluation with its scores and comments, as it streams in.

Nothing is read here: the producer hands over an EvaluationSource (evaluation_chunks.py), whose
chunks are read only as the writer pulls the rows, so memory stays flat however many there are.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _

from ..scoring import band
from ..ui.labels import band_label, label
from ..xlsx.model import DATE, LONG_TEXT, POINTS, SCORE, Column, Table
from .evaluation_chunks import NOT_APPLICABLE, EvaluationSource


def evaluations_table(source: EvaluationSource, with_agent: bool) -> Table:
    """Every evaluation in the period: date, interaction, reviewer, how it was picked, score,
    criteria, comments."""
    criteria = source.criteria
    columns = [
        Column(_("Date"), DATE),
        *([Column(_("Agent"))] if with_agent else []),
        Column(_("Interaction")),
        Column(_("Channel")),
        Column(_("Reviewer")),
        Column(_("Scorecard")),
        Column(_("How picked")),
        Column(_("Score"), SCORE),
        Column(_("Band")),
        Column(_("Critical fail")),
        *[Column(name, POINTS) for _, name in criteria.columns],
        Column(_("Comments"), LONG_TEXT),
        Column(_("Strengths"), LONG_TEXT),
        Column(_("Areas to improve"), LONG_TEXT),
        Column(_("Dispute")),
        Column(_("Dispute resolution"), LONG_TEXT),
    ]
    rows = evaluation_rows(source, with_agent)
    return Table(columns, rows, color_scale=[name for _, name in criteria.columns])


def evaluation_rows(source: EvaluationSource, with_agent: bool) -> Iterator[tuple[Any, ...]]:
    """The rows of the Evaluations sheet, made a chunk at a time as the chunks are read."""
    by_id, chunks = source.criteria.by_id, source.chunks
    missing, words = (None,) * len(source.criteria.columns), _Words()
    try:
        for chunk in chunks:
            values = {row[0]: _values(row, words.not_applicable) for row in chunk.values}
            comments = _comments(chunk.comments, by_id)
            disputes = _disputes(chunk.disputes, words.disputes)
            for row in chunk.evaluations:
                found = values.get(row[0], missing), comments.get(row[0]), disputes.get(row[0])
                yield _row(row, *found, words, with_agent)
    finally:
        close = getattr(chunks, "close", None)
        if close is not None:  # a generator reading a database cursor: let it go at once
            close()


class _Once(dict[Any, Any]):
    """Each value worked out once per sheet: a label in the reader's language, a score's band."""

    def __init__(self, make: Callable[[Any], Any]) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, key: Any) -> Any:
        value = self[key] = self.make(key)
        return value


@dataclass(frozen=True)
class _Words:
    """The sheet's labels, each made once: a translated label costs a catalogue lookup per call."""

    channels: _Once = field(default_factory=lambda: _Once(label))
    disputes: _Once = field(default_factory=lambda: _Once(label))
    picks: _Once = field(default_factory=lambda: _Once(label))
    # a few thousand scores at most
    bands: _Once = field(default_factory=lambda: _Once(lambda s: band_label(band(s))))
    yes: str = field(default_factory=lambda: _("Yes"))
    not_applicable: str = field(default_factory=lambda: _("N/A"))


def _values(row: Sequence[Any], not_applicable: str) -> list[Any]:
    return [not_applicable if value == NOT_APPLICABLE else value for value in row[1:]]


def _comments(rows: Sequence[Any], by_id: dict[int, tuple[str, str]]) -> dict[int, str]:
    """Per evaluation, its criterion comments, one line each: "criterion name: comment"."""
    lines: dict[int, list[str]] = defaultdict(list)
    for evaluation_id, criterion_id, comment in rows:
        lines[evaluation_id].append(f"{by_id[criterion_id][1]}: {comment}")
    return {evaluation_id: "\n".join(texts) for evaluation_id, texts in lines.items()}


def _disputes(rows: Sequence[Any], labels: _Once) -> dict[int, tuple[str, str | None]]:
    """The newest dispute of each evaluation: its status (as the reader reads it) and the note."""
    return {evaluation_id: (labels[status], note or None) for evaluation_id, status, note in rows}


def _row(
    row: Any,
    scores: Sequence[Any],
    comments: str | None,
    dispute: tuple[str, str | None] | None,
    words: _Words,
    with_agent: bool,
) -> tuple[Any, ...]:
    """One evaluation as a sheet row (plain tuple unpacking: this runs once per evaluation)."""
    (_, day, agent, external_id, channel, reviewer) = row[:6]
    (scorecard, picked, score, critical, strengths, improvements) = row[6:]
    outcome, resolution = dispute or (None, None)
    return (
        day,
        *((agent,) if with_agent else ()),
        external_id,
        words.channels[channel],
        reviewer,
        scorecard,
        words.picks[picked],
        score,
        words.bands[score],
        words.yes if critical else None,
        *scores,
        comments,
        strengths or None,
        improvements or None,
        outcome,
        resolution,
    )
