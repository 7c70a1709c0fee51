"""The Evaluations sheet: one row per evaluation with its scores and comments, streamed in chunks.

The rows are core selects read `CHUNK` at a time (a server-side cursor on PostgreSQL); each chunk's
criterion values, comments and disputes come in three more selects (evaluation_chunks.py), so no
ORM object is made and memory stays flat.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import aliased

from ..accounts.models import User
from ..evaluations.models import Evaluation, EvaluationStatus
from ..extensions import db
from ..interactions.models import Channel, Interaction
from ..results import queries
from ..results.periods import Filters
from ..results.queries import AgentIds
from ..results.sql import utc_day
from ..scorecards.models import Criterion, ScorecardVersion, Section
from ..scoring import band
from ..ui.labels import band_label, label
from .evaluation_chunks import NOT_APPLICABLE, ChunkReader
from .model import DATE, LONG_TEXT, POINTS, SCORE, Column, Table

CHUNK = 500


def _in_scope(stmt: sa.Select[Any], filters: Filters, agent_ids: AgentIds | None) -> sa.Select[Any]:
    """The evaluations the results count: submitted, not calibration, in the period and filters."""
    start = datetime.combine(filters.start, time(), tzinfo=UTC)
    stmt = stmt.where(
        Evaluation.status == EvaluationStatus.SUBMITTED,
        Evaluation.is_calibration.is_(False),
        Interaction.occurred_at >= start,
        Interaction.occurred_at < start + timedelta(days=filters.days),
    )
    if agent_ids is not None:
        stmt = stmt.where(Interaction.agent_id.in_(agent_ids))
    if filters.channel:
        stmt = stmt.where(Interaction.channel == Channel(filters.channel))
    if filters.scorecard_id:
        stmt = stmt.where(ScorecardVersion.scorecard_id == filters.scorecard_id)
    return stmt


def _base(*columns: Any) -> sa.Select[Any]:
    return (
        sa.select(*columns)
        .select_from(Evaluation)
        .join(Interaction, Interaction.id == Evaluation.interaction_id)
        .join(ScorecardVersion, ScorecardVersion.id == Evaluation.scorecard_version_id)
    )


@dataclass(frozen=True)
class CriteriaInUse:
    """The criteria on the scorecard versions used: one column per key, and each criterion."""

    columns: list[tuple[str, str]]  # (key, newest name), in scorecard order
    by_id: dict[int, tuple[str, str]]  # criterion id -> (key, its own name)


def criteria_in_use(filters: Filters, agent_ids: AgentIds | None) -> CriteriaInUse:
    """The criteria of the scorecard versions the period's evaluations used."""
    versions = _in_scope(_base(Evaluation.scorecard_version_id), filters, agent_ids).distinct()
    stmt = (
        sa.select(Criterion.id, Criterion.key, Criterion.name)
        .join(Section, Section.id == Criterion.section_id)
        .where(Criterion.scorecard_version_id.in_(versions))
        .order_by(Criterion.scorecard_version_id, Section.position, Criterion.position)
    )
    by_id = {criterion_id: (key, name) for criterion_id, key, name in db.session.execute(stmt)}
    keys = list(dict.fromkeys(key for key, _ in by_id.values()))
    names = queries.criterion_names(keys)
    return CriteriaInUse([(key, names.get(key, key)) for key in keys], by_id)


def evaluations_table(filters: Filters, agent_ids: AgentIds | None, with_agent: bool) -> Table:
    """Every evaluation in the period: date, interaction, reviewer, score, criteria, comments."""
    criteria = criteria_in_use(filters, agent_ids)
    columns = [
        Column(_("Date"), DATE),
        *([Column(_("Agent"))] if with_agent else []),
        Column(_("Interaction")),
        Column(_("Channel")),
        Column(_("Reviewer")),
        Column(_("Scorecard")),
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
    rows = evaluation_rows(filters, agent_ids, criteria, with_agent)
    return Table(columns, rows, color_scale=[name for _, name in criteria.columns])


def _select(filters: Filters, agent_ids: AgentIds | None) -> sa.Select[Any]:
    agent, reviewer = aliased(User), aliased(User)
    stmt = _base(
        Evaluation.id,
        utc_day(Interaction.occurred_at),  # a date is all the sheet shows, and cheap to read
        agent.display_name,
        Interaction.external_id,
        Interaction.channel,
        reviewer.display_name,
        ScorecardVersion.name,
        sa.cast(Evaluation.score, sa.Float),  # floats, not Decimals, for 10^5 rows
        Evaluation.is_critical_fail,
        Evaluation.strengths,
        Evaluation.improvements,
    )
    stmt = stmt.join(agent, agent.id == Interaction.agent_id).join(
        reviewer, reviewer.id == Evaluation.reviewer_id
    )
    return _in_scope(stmt, filters, agent_ids).order_by(Interaction.occurred_at, Evaluation.id)


def evaluation_rows(
    filters: Filters, agent_ids: AgentIds | None, criteria: CriteriaInUse, with_agent: bool
) -> Iterator[tuple[Any, ...]]:
    """The rows of the Evaluations sheet, read and yielded a chunk at a time."""
    key_ids: dict[str, list[int]] = {key: [] for key, _name in criteria.columns}
    for criterion_id, (key, _name) in criteria.by_id.items():
        key_ids[key].append(criterion_id)
    connection = db.session.connection()
    read = ChunkReader(connection, list(key_ids.values()))
    result = connection.execute(_select(filters, agent_ids).execution_options(yield_per=CHUNK))
    missing, words = (None,) * len(key_ids), _Words()
    for chunk in map(read, result.partitions()):
        values = {row[0]: _values(row, words.not_applicable) for row in chunk.values}
        comments = _comments(chunk.comments, criteria.by_id)
        disputes = _disputes(chunk.disputes, words.disputes)
        for row in chunk.evaluations:
            found = values.get(row[0], missing), comments.get(row[0]), disputes.get(row[0])
            yield _row(row, *found, words, with_agent)


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
    (scorecard, score, critical, strengths, improvements) = row[6:]
    outcome, resolution = dispute or (None, None)
    return (
        day,
        *((agent,) if with_agent else ()),
        external_id,
        words.channels[channel],
        reviewer,
        scorecard,
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
