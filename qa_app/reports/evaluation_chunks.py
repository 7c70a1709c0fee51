"""What the Evaluations sheet reads for each chunk of evaluations: scores, comments, disputes.

The criterion values come one row per evaluation, one column per criterion key, grouped by the
database (a tenth of the rows the score table holds); only the scores that carry a comment come
as rows. These return plain database rows: the labels are made by the sheet.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from ..disputes.models import Dispute
from ..evaluations.models import EvaluationScore

NOT_APPLICABLE = 0  # the value a criterion marked N/A is read as: real scores are 1-5


@dataclass(frozen=True)
class ChunkRows:
    """A chunk of evaluation rows, with its criterion values, comments and disputes."""

    evaluations: Sequence[Any]
    values: Sequence[Any]  # (evaluation id, value of each key...), N/A as NOT_APPLICABLE
    comments: Sequence[Any]  # (evaluation id, criterion id, comment), in criterion order
    disputes: Sequence[Any]  # (evaluation id, status, resolution note), oldest first


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
    per query took longer than the queries did.
    """
    if dialect == "postgresql":
        ids = sa.bindparam("ids", type_=postgresql.ARRAY(sa.Integer))
        return lambda column: column == sa.any_(ids)
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
