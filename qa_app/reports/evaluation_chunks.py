"""What the Evaluations sheet reads: its criteria, then the evaluations `CHUNK` at a time.

The rows are core selects read a chunk at a time (a server-side cursor on PostgreSQL); each chunk's
criterion values, comments and disputes come in three more selects, so no ORM object is made and
memory stays flat. The criterion values come one row per evaluation, one column per criterion key,
grouped by the database (a tenth of the rows the score table holds); only the scores that carry a
comment come as rows. These return plain database rows: the sheet (evaluation_sheet.py) makes the
labels.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import aliased

from ..accounts.models import User
from ..disputes.models import Dispute
from ..evaluations.models import Evaluation, EvaluationScore, EvaluationStatus
from ..extensions import db
from ..interactions.models import Channel, Interaction
from ..results import queries
from ..results.periods import Filters
from ..results.queries import AgentIds
from ..results.sql import utc_day
from ..scorecards.models import Criterion, ScorecardVersion, Section

CHUNK = 500
Progress = Callable[[int], None]  # called with the evaluations read so far
NOT_APPLICABLE = 0  # the value a criterion marked N/A is read as: real scores are 1-5


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


@dataclass(frozen=True)
class ChunkRows:
    """A chunk of evaluation rows, with its criterion values, comments and disputes."""

    evaluations: Sequence[Any]
    values: Sequence[Any]  # (evaluation id, value of each key...), N/A as NOT_APPLICABLE
    comments: Sequence[Any]  # (evaluation id, criterion id, comment), in criterion order
    disputes: Sequence[Any]  # (evaluation id, status, resolution note), oldest first


@dataclass(frozen=True)
class EvaluationSource:
    """What the Evaluations sheet is made of: its criteria, and its chunks as they are read."""

    criteria: CriteriaInUse
    chunks: Iterator[ChunkRows]


def count_evaluations(filters: Filters, agent_ids: AgentIds | None) -> int:
    """How many evaluations the Evaluations sheet will list: a report's size."""
    return int(db.session.scalar(_in_scope(_base(sa.func.count()), filters, agent_ids)) or 0)


def read_evaluations(
    filters: Filters, agent_ids: AgentIds | None, progress: Progress | None = None
) -> EvaluationSource:
    """The criteria now; the chunks only once the writer reaches the sheet."""
    criteria = criteria_in_use(filters, agent_ids)
    return EvaluationSource(criteria, evaluation_chunks(filters, agent_ids, criteria, progress))


def evaluation_chunks(
    filters: Filters,
    agent_ids: AgentIds | None,
    criteria: CriteriaInUse,
    progress: Progress | None = None,
) -> Iterator[ChunkRows]:
    """The period's evaluations, `CHUNK` at a time, each chunk with what goes with it.

    `progress` hears the evaluations read after each chunk; what it raises stops the reading.
    """
    key_ids: dict[str, list[int]] = {key: [] for key, _name in criteria.columns}
    for criterion_id, (key, _name) in criteria.by_id.items():
        key_ids[key].append(criterion_id)
    connection = db.session.connection()
    read = ChunkReader(connection, list(key_ids.values()))
    result = connection.execute(_select(filters, agent_ids).execution_options(yield_per=CHUNK))
    done = 0
    try:
        for rows in result.partitions():
            yield read(rows)
            done += len(rows)
            if progress is not None:
                progress(done)
    finally:
        result.close()


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
        Evaluation.picked,
        sa.cast(Evaluation.score, sa.Float),  # floats, not Decimals, for 10^5 rows
        Evaluation.is_critical_fail,
        Evaluation.strengths,
        Evaluation.improvements,
    )
    stmt = stmt.join(agent, agent.id == Interaction.agent_id).join(
        reviewer, reviewer.id == Evaluation.reviewer_id
    )
    return _in_scope(stmt, filters, agent_ids).order_by(Interaction.occurred_at, Evaluation.id)


class ChunkReader:
    """Reads what goes with each chunk, over one connection; `key_ids` lists each key's criteria."""

    def __init__(self, connection: sa.Connection, key_ids: Sequence[Sequence[int]]) -> None:
        self.connection = connection
        in_chunk = _in_chunk(connection.dialect.name)
        self.statements = (
            _values(key_ids, in_chunk(EvaluationScore.evaluation_id)),
            _comments(in_chunk(EvaluationScore.evaluation_id)),
            _disputes(in_chunk(Dispute.evaluation_id)),
        )

    def __call__(self, evaluations: Sequence[Any]) -> ChunkRows:
        """The rows that go with `evaluations` (whose first column is the evaluation id)."""
        ids = {"ids": [row[0] for row in evaluations]}
        values, comments, disputes = (
            self.connection.execute(statement, ids).all() for statement in self.statements
        )
        return ChunkRows(evaluations, values, comments, disputes)


def _in_chunk(dialect: str) -> Callable[[sa.ColumnElement[int]], sa.ColumnElement[bool]]:
    """The test "among the chunk's ids", given as the parameter `ids` at each execute.

    PostgreSQL takes the list as one array: as an IN list, rendering and parsing 500 placeholders
    per query took longer than the queries did. SQLite takes it as one JSON array, read back by
    its json_each table: the statement is then made once and kept in the cache, not made again
    for each chunk's 500 placeholders. Any other database gets an IN list.
    """
    if dialect == "postgresql":
        ids = sa.bindparam("ids", type_=postgresql.ARRAY(sa.Integer))
        return lambda column: column == sa.any_(ids)
    if dialect == "sqlite":
        listed = sa.func.json_each(sa.bindparam("ids", type_=sa.JSON)).table_valued("value")
        return lambda column: column.in_(sa.select(listed.c.value))
    expanding = sa.bindparam("ids", expanding=True)
    return lambda column: column.in_(expanding)


def _values(key_ids: Sequence[Sequence[int]], in_chunk: sa.ColumnElement[bool]) -> sa.Select[Any]:
    """Per evaluation, the value of each key (the criteria with one key are its versions)."""
    value = sa.case((EvaluationScore.is_na, NOT_APPLICABLE), else_=EvaluationScore.score)
    by_key = [
        sa.func.max(sa.case((EvaluationScore.criterion_id.in_(criteria), value)))
        for criteria in key_ids
    ]
    return (
        sa.select(EvaluationScore.evaluation_id, *by_key)
        .where(in_chunk)
        .group_by(EvaluationScore.evaluation_id)
    )


def _comments(in_chunk: sa.ColumnElement[bool]) -> sa.Select[Any]:
    return (
        sa.select(
            EvaluationScore.evaluation_id, EvaluationScore.criterion_id, EvaluationScore.comment
        )
        .where(in_chunk, EvaluationScore.comment != "")
        .order_by(EvaluationScore.evaluation_id, EvaluationScore.criterion_id)
    )


def _disputes(in_chunk: sa.ColumnElement[bool]) -> sa.Select[Any]:
    return (
        sa.select(Dispute.evaluation_id, Dispute.status, Dispute.resolution_note)
        .where(in_chunk)
        .order_by(Dispute.id)
    )
